//===- RDParser.h - The recursive-descent parser's state --------*- C++ -*-===//
//
// Shared by RDDecls.cpp (declarations, types, literals), RDRules.cpp
// (clauses, atoms, expressions), RDMigrations.cpp (migration files),
// RDOperations.cpp (their operations) and RDIql.cpp (raw IQL); see
// RecursiveDescent.h.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_PARSE_RDPARSER_H
#define STRATA_LIB_PARSE_RDPARSER_H

#include "Scanner.h"
#include "strata/AST/SourceFile.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Compiler.h"
#include <array>
#include <iterator>
#include <vector>

namespace strata::parse {

/// The elements of Staging, moved into a vector of exactly their number:
/// parsed lists are collected on the stack and allocated once, at their
/// size, instead of growing (and moving every element) one push at a time.
template <typename T> std::vector<T> exactVector(llvm::SmallVectorImpl<T> &Staging) {
  return std::vector<T>(std::make_move_iterator(Staging.begin()),
                        std::make_move_iterator(Staging.end()));
}

/// Thrown at the first token the parser does not expect; caught by
/// parseWithoutAntlr, never seen outside it.
struct GiveUp {};

/// The scanner's tokens, read on demand, with any lookahead. Comments go
/// straight to the file; brackets nested past the limit give up (the ANTLR
/// path reports them). Tokens of finished items are dropped.
class TokenWindow {
public:
  using RawToken = Scanner::RawToken;

  TokenWindow(llvm::StringRef Text, ast::SourceFile &File, const ParseLimits &Limits)
      : Text(Text), Lexer(Text), File(File), Limits(Limits) {}

  const RawToken &peek(size_t Ahead = 0) {
    while (Next + Ahead >= Tokens.size())
      scanMore();
    return Tokens[Next + Ahead];
  }
  size_t type(size_t Ahead = 0) { return peek(Ahead).Type; }
  RawToken take() {
    RawToken T = peek();
    ++Next;
    LastEnd = T.Offset + T.Bytes;
    return T;
  }
  /// Forgets the tokens already taken, once there are enough of them to
  /// be worth moving the rest (called between items).
  void dropTaken() {
    if (Next >= 4096)
      dropTakenNow();
  }

  llvm::SMLoc loc(uint32_t Offset) const {
    return llvm::SMLoc::getFromPointer(Text.data() + Offset);
  }
  llvm::SMLoc start(const RawToken &T) const { return loc(T.Offset); }
  llvm::SMLoc end(const RawToken &T) const { return loc(T.Offset + T.Bytes); }
  llvm::SMRange range(const RawToken &T) const { return {start(T), end(T)}; }
  /// From Start to the end of the last token taken.
  llvm::SMRange rangeFrom(llvm::SMLoc Start) const { return {Start, loc(LastEnd)}; }
  llvm::StringRef text(const RawToken &T) const { return Text.substr(T.Offset, T.Bytes); }

private:
  /// Scans the next tokens into the window (at least one).
  void scanMore();
  /// Comments go to the file, out of the hot loop.
  LLVM_ATTRIBUTE_NOINLINE void addComment(const RawToken &T);
  void dropTakenNow();

  llvm::StringRef Text;
  Scanner Lexer;
  ast::SourceFile &File;
  const ParseLimits &Limits;
  std::vector<RawToken> Tokens;
  /// Where the scanner puts each batch before comments leave it.
  std::array<RawToken, 256> Batch;
  size_t Next = 0;
  uint32_t ScanPos = 0;
  uint32_t LastEnd = 0;
  unsigned Depth = 0;
  bool SawEof = false;
};

class RDParser {
public:
  RDParser(llvm::StringRef Text, ast::SourceFile &File, DiagnosticEngine &Diags,
           const ParseLimits &Limits)
      : Toks(Text, File, Limits), File(File), Diags(&Diags), Limits(Limits) {}

  /// file : item* EOF ; throws GiveUp. A schema file holds schema items,
  /// a migration file one migration.
  void file();

private:
  using RawToken = Scanner::RawToken;

  // ---- tokens
  RawToken expect(size_t Type);
  /// Takes the next token when it is of type Type.
  bool accept(size_t Type) {
    if (Toks.type() != Type)
      return false;
    Toks.take();
    return true;
  }
  /// name : IDENT | any soft keyword
  bool atName(size_t Ahead = 0) { return isName(Toks.type(Ahead)); }
  static bool isName(size_t Type);
  ast::Ident name();

  // ---- declarations and types (RDDecls.cpp)
  void item();
  void addItem(ast::Item I);
  /// Moves the parsed items into File.Items, allocated once at their
  /// number.
  void moveItemsToFile();
  ast::RelationDecl relationDecl();
  ast::DerivedDecl derivedDecl();
  ast::IndexDecl indexDecl();
  std::optional<ast::Ident> renamedFrom();
  std::vector<ast::IndexOption> indexOptions();
  std::vector<ast::Column> columnList();
  std::vector<ast::Column> columnBlock();
  /// Element parsers fill an element already in place in its list, so
  /// that a large node is never moved from a return value into it.
  void column(ast::Column &C);
  ast::TypeExpr typeExpr();
  ast::TypeExpr recordType();
  ast::Expr literal();

  // ---- rules and expressions (RDRules.cpp)
  std::vector<ast::Clause> ruleBody();
  void clause(ast::Clause &C);
  void headArg(ast::HeadArg &Arg);
  void bodyLiteral(ast::BodyLiteral &L);
  void comparison(ast::BodyLiteral &L, ast::Expr *First);
  /// The call `name(args)` that an atom just parsed turns out to be.
  static ast::Expr callOfAtom(ast::Atom &&A);
  /// Leaves in AtomArgOperators the operators of its positional arguments.
  ast::Atom atom();
  /// A top-level expression: the operator limit counts from here.
  ast::Expr expr();
  ast::Expr exprChain();
  /// The rest of an expr whose first operand is First.
  ast::Expr exprChainFrom(ast::Expr First);
  ast::Expr operand();
  ast::Expr primary(llvm::SmallVectorImpl<llvm::SMLoc> &PendingMinus);
  std::vector<ast::Expr> exprList(size_t Close);
  void countOperator();

  // ---- migrations (RDMigrations.cpp, RDOperations.cpp, RDIql.cpp)
  void migrationFile();
  ast::MigrationDecl migrationDecl();
  ast::Ident migrationName();
  void migrationItem(ast::MigrationDecl &M);
  void operation(ast::Operation &Op);
  ast::OperationBody operationBody();
  // Each operation's parts after its keywords (`create relation` ...).
  template <typename Op> Op relationOp();
  template <typename Op> Op ruleOp();
  template <typename Op> Op renameOp();
  template <typename Op> Op columnOp();
  void qualifiedName(ast::Ident &Relation, ast::Ident &Column);
  std::optional<ast::ColumnPosition> columnPosition();
  ast::RenameColumnOp renameColumn();
  ast::RetypeColumnOp retypeColumn();
  ast::ReorderColumnsOp reorderColumns();
  std::vector<ast::Ident> nameList();
  ast::ReplaceRuleOp replaceRule();
  ast::AlterIndexOp alterIndex();
  ast::RunIqlOp runIql();
  ast::IqlText iqlBlock();

  TokenWindow Toks;
  ast::SourceFile &File;
  /// Where conversions report; a scratch engine while a diagnostic must
  /// wait for those of text that follows (RDOperations.cpp).
  DiagnosticEngine *Diags;
  const ParseLimits &Limits;
  unsigned OperatorsInExpr = 0;
  /// Operators in the arguments of the last positional atom, which count
  /// in the expression when the atom turns out to be a call.
  unsigned AtomArgOperators = 0;
  /// The raw IQL blocks parsed: comments inside them are part of their text.
  std::vector<llvm::SMRange> IqlRanges;
  /// The items so far, in chunks: a vector that doubles keeps up to half
  /// of itself empty, and holds the old and the new copy at once while it
  /// grows; the items are large (the largest declaration's size).
  std::vector<std::vector<ast::Item>> ItemChunks;
  size_t ItemCount = 0;
};

} // namespace strata::parse

#endif
