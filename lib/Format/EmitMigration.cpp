//===- EmitMigration.cpp - Migrations, their headers and operations -------===//
#include "Emitter.h"
#include "strata/AST/Printer.h"
#include <algorithm>

using namespace strata;
using namespace strata::ast;
using namespace strata::format::detail;

void Emitter::item(const MigrationDecl &M) {
  const char *NameEnd = end(M.Name.Range);
  const char *Open = after('{', NameEnd, NameEnd);
  block(0, "migration " + M.Name.Name + " {", begin(M.Range), Open, end(M.Range), [&] {
    const char *Limit = M.Operations.empty() ? end(M.Range) - 1 : begin(M.Operations.front().Range);
    headerLine(1, "depends", M.Depends, Limit, Open);
    headerLine(1, "replaces", M.Replaces, Limit, Open);
    // The header lines and the operations are separate paragraphs.
    if (!M.Depends.empty() || !M.Replaces.empty())
      W.setNextBlank(Blank::Force);
    for (const Operation &Op : M.Operations)
      operation(1, Op);
  });
}

void Emitter::headerLine(unsigned Indent, const char *Keyword, const std::vector<Ident> &Names,
                         const char *Limit, const char *Open) {
  if (Names.empty())
    return;
  // Several `depends` lines merge into one: the order of names is kept.
  std::string Text = Keyword;
  for (size_t I = 0; I < Names.size(); ++I)
    Text += (I ? ", " : " ") + Names[I].Name;
  // A header written after the operations still prints first, anchored
  // just inside the migration's `{`, so that the comments among the
  // operations stay with them instead of all moving up here.
  if (begin(Names.front().Range) >= Limit) {
    W.placeTrailingBefore(Limit);
    W.code(Indent, Text, Open, Open);
    return;
  }
  W.code(Indent, Text, begin(Names.front().Range), std::min(end(Names.back().Range), Limit));
}

/// What an operation's fields put where, collected by the field's type
/// (and its name where the type alone does not say how it reads, as in the
/// AST dump): the text of the operation's first line, and the parts that
/// go on lines of their own inside a `{ ... }` block. One overload per type
/// of operation field: a kind with a new type of field does not compile
/// until its layout is decided here.
struct strata::format::detail::OpParts {
  /// The keyword and every field that reads inline.
  std::string Head;
  /// Where the scan for the block's `{` starts (just past the last inline
  /// name or column), and what to take when it finds none.
  const char *BraceFrom;
  const char *BraceFallback = nullptr;
  const std::vector<Column> *Columns = nullptr;
  /// The author's choice for Columns: a block with one column a line.
  bool BlockForm = false;
  const std::vector<Clause> *Clauses = nullptr;
  /// What Clauses replace (`} was { ... }`).
  const std::vector<Clause> *OldClauses = nullptr;
  /// Raw IQL bodies with the keyword that opens each (`forward`).
  std::vector<std::pair<std::string, const IqlText *>> Iql;

  OpParts(size_t Kind, llvm::SMRange R) : Head(operationKeyword(Kind)), BraceFrom(begin(R)) {}

  void field(llvm::StringRef Name, const Ident &I) {
    Head += inlineFieldPrefix(Name, /*IsType=*/false).str() + I.Name;
    BraceFrom = end(I.Range);
  }
  void field(llvm::StringRef Name, const TypeExpr &T) {
    Head += inlineFieldPrefix(Name, /*IsType=*/true).str() + toString(T);
  }
  void field(llvm::StringRef Name, const std::vector<Ident> &Names) {
    Head += inlineNameList(Name, Names);
    if (!Names.empty())
      BraceFrom = end(Names.back().Range);
  }
  void field(llvm::StringRef, const std::optional<Expr> &Fill) {
    if (Fill)
      Head += " = " + toString(*Fill);
  }
  void field(llvm::StringRef, const std::optional<ColumnPosition> &P) {
    if (P)
      Head += P->First ? " first" : " after " + P->After.Name;
  }
  void field(llvm::StringRef Name, const std::optional<CastExpr> &C) {
    if (C)
      Head += " " + Name.lower() + " " + C->Var.Name + " => " + toString(C->Body);
  }
  void field(llvm::StringRef, const IndexDecl &D) { Head += " " + indexSpec(D); }
  void field(llvm::StringRef, const std::vector<IndexOption> &Options) {
    Head += " hnsw" + optionList(Options);
  }
  void field(llvm::StringRef, const std::optional<std::vector<IndexOption>> &Old) {
    if (Old)
      Head += " was hnsw" + optionList(*Old);
  }
  void field(llvm::StringRef, const std::vector<Column> &Cs) { Columns = &Cs; }
  void field(llvm::StringRef, bool Block) { BlockForm = Block; }
  void field(llvm::StringRef, const std::vector<Clause> &Cs) { Clauses = &Cs; }
  void field(llvm::StringRef, const std::optional<std::vector<Clause>> &Old) {
    if (Old)
      OldClauses = &*Old;
  }
  void field(llvm::StringRef Name, const IqlText &T) {
    if (!BraceFallback)
      BraceFallback = begin(T.Range);
    Iql.emplace_back(Name.lower(), &T);
  }
  void field(llvm::StringRef Name, const std::optional<IqlText> &T) {
    if (T)
      field(Name, *T);
  }

  /// Columns not laid out as a block read inline, after every other part
  /// of the first line (a relation's or a rule's column list).
  void finish() {
    if (!Columns || BlockForm)
      return;
    Head += columnList(*Columns);
    if (!Columns->empty())
      BraceFrom = end(Columns->back().Range);
  }
  bool hasBlock() const { return (Columns && BlockForm) || Clauses || !Iql.empty(); }
};

void Emitter::operation(unsigned Indent, const Operation &Op) {
  std::visit(
      [&](const auto &O) {
        using OpT = std::decay_t<decltype(O)>;
        OpParts Parts(Op.Body.index(), Op.Range);
        const std::vector<llvm::StringRef> &Names = fieldNames<OpT>();
        size_t I = 0;
        std::apply([&](const auto &...F) { (Parts.field(Names[I++], F), ...); }, O.fields());
        Parts.finish();
        layOut(Indent, Op.Range, Parts);
      },
      Op.Body);
}

void Emitter::layOut(unsigned Indent, llvm::SMRange R, const OpParts &P) {
  if (!P.hasBlock()) {
    W.code(Indent, P.Head, begin(R), end(R));
    return;
  }
  const char *Open = after('{', P.BraceFrom, P.BraceFallback ? P.BraceFallback : P.BraceFrom);
  if (P.OldClauses) {
    replacedClauses(Indent, R, P, Open);
    return;
  }
  block(Indent, P.Head + " {", begin(R), Open, end(R), [&] {
    if (P.Columns && P.BlockForm)
      columnLines(Indent + 1, *P.Columns);
    if (P.Clauses)
      clauseLines(Indent + 1, *P.Clauses);
    for (const auto &[Keyword, Text] : P.Iql)
      iqlBlock(Indent + 1, Keyword, *Text);
  });
}

void Emitter::replacedClauses(unsigned Indent, llvm::SMRange R, const OpParts &P,
                              const char *OpenNew) {
  W.code(Indent, P.Head + " {", begin(R), OpenNew);
  W.setNextBlank(Blank::Suppress);
  clauseLines(Indent + 1, *P.Clauses);
  // `} was {` joins the two bodies on one line.
  const char *ScanFrom = P.Clauses->empty() ? OpenNew : end(P.Clauses->back().Range);
  const char *CloseNew = after('}', ScanFrom, ScanFrom) - 1;
  const char *OpenOld = after('{', CloseNew + 1, CloseNew + 1);
  W.closeBlock(Indent, CloseNew, OpenOld, "} was {");
  W.setNextBlank(Blank::Suppress);
  clauseLines(Indent + 1, *P.OldClauses);
  W.closeBlock(Indent, end(R) - 1, end(R));
}
