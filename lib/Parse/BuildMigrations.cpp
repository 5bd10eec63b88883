//===- BuildMigrations.cpp - Migration headers and operations -------------===//
#include "ASTBuilder.h"
#include "llvm/Support/ErrorHandling.h"

using namespace strata;
using namespace strata::parse;

ast::MigrationDecl ASTBuilder::migration(P::MigrationDeclContext *Ctx) {
  ast::MigrationDecl M;
  M.Name = ident(Ctx->migrationName());
  M.Range = range(Ctx);
  for (P::MigrationItemContext *Item : Ctx->migrationItem()) {
    if (auto *D = as<P::DependsItemContext>(Item)) {
      for (P::MigrationNameContext *N : D->migrationName())
        M.Depends.push_back(ident(N));
    } else if (auto *R = as<P::ReplacesItemContext>(Item)) {
      for (P::MigrationNameContext *N : R->migrationName())
        M.Replaces.push_back(ident(N));
    } else {
      M.Operations.push_back(operation(static_cast<P::OperationItemContext *>(Item)->operation()));
    }
  }
  return M;
}

ast::IqlText ASTBuilder::iqlText(P::IqlBlockContext *Ctx) {
  ast::IqlText T;
  size_t Begin = Ctx->LBRACE()->getSymbol()->getStopIndex() + 1;
  size_t End = Ctx->RBRACE()->getSymbol()->getStartIndex(); // exclusive
  T.Range = {Pos.loc(Begin), Pos.loc(End)};
  if (End > Begin)
    T.Text = text(T.Range).str();
  IqlRanges.push_back(T.Range);
  return T;
}

namespace {
/// Fills the fields of a parsed operation (STRATA_OPERATION_FIELDS) from the
/// children of its grammar alternative, so that no kind needs code of its
/// own here. Each field takes the next child of the sub-rule its type is
/// written with (a `name` for an Ident, counting the two names of a
/// `qualifiedName`; a `typeExpr` for a TypeExpr, ...), so an alternative
/// lists its parts in the order of the fields; a part that is absent
/// leaves an optional field empty. One overload per type of operation
/// field: a kind with a new type of field does not compile until how it
/// is parsed is decided here.
class FieldReader {
public:
  FieldReader(ASTBuilder &B, antlr4::ParserRuleContext *Alternative) : B(B) {
    for (antlr4::tree::ParseTree *Child : Alternative->children) {
      if (auto *Q = as<P::QualifiedNameContext>(Child))
        Children.insert(Children.end(), Q->children.begin(), Q->children.end());
      else
        Children.push_back(Child);
    }
  }

  void read(llvm::StringRef, ast::Ident &I) {
    if (auto *C = next<P::NameContext>())
      I = B.ident(C);
  }
  void read(llvm::StringRef, ast::TypeExpr &T) {
    if (auto *C = next<P::TypeExprContext>())
      T = B.type(C);
  }
  void read(llvm::StringRef, std::vector<ast::Ident> &Names) {
    if (auto *C = next<P::NameListContext>())
      for (P::NameContext *N : C->name())
        Names.push_back(B.ident(N));
  }
  void read(llvm::StringRef, std::optional<ast::Expr> &Fill) {
    if (auto *C = next<P::FillValueContext>())
      Fill = B.literal(C->literal());
  }
  void read(llvm::StringRef, std::optional<ast::ColumnPosition> &Pos) {
    if (auto *C = next<P::ColumnPositionContext>())
      Pos = position(C);
  }
  void read(llvm::StringRef, std::vector<ast::Column> &Cs) {
    if (auto *C = next<P::ColumnsContext>())
      Cs = B.columns(C, BlockForm);
    else if (auto *L = next<P::ColumnListContext>())
      Cs = B.columnList(L);
  }
  /// Whether the columns read last were written as a block.
  void read(llvm::StringRef, bool &Block) { Block = BlockForm; }
  void read(llvm::StringRef, std::vector<ast::Clause> &Cs) {
    if (auto *C = next<P::RuleBodyContext>())
      Cs = B.ruleBody(C);
  }
  void read(llvm::StringRef, std::optional<std::vector<ast::Clause>> &Cs) {
    if (auto *C = next<P::RuleBodyContext>())
      Cs = B.ruleBody(C);
  }
  void read(llvm::StringRef, ast::IndexDecl &D) {
    if (auto *C = next<P::IndexSpecContext>())
      D = B.index(C);
  }
  void read(llvm::StringRef, std::vector<ast::IndexOption> &Opts) {
    if (auto *C = next<P::IndexOptionsContext>())
      Opts = B.indexOptions(C);
  }
  void read(llvm::StringRef, std::optional<std::vector<ast::IndexOption>> &Opts) {
    if (auto *C = next<P::IndexOptionsContext>())
      Opts = B.indexOptions(C);
  }
  /// The cast clause whose keyword is the field's name (`Using`, `Reverse`):
  /// the clauses may come in either order.
  void read(llvm::StringRef Name, std::optional<ast::CastExpr> &Cast) {
    Cast = castFor(Name.lower());
  }
  void read(llvm::StringRef, ast::IqlText &T) {
    if (auto *C = next<P::IqlBlockContext>())
      T = B.iqlText(C);
  }
  void read(llvm::StringRef, std::optional<ast::IqlText> &T) {
    if (auto *C = next<P::IqlBlockContext>())
      T = B.iqlText(C);
  }

private:
  /// The next child of rule T not yet taken, or null.
  template <typename T> T *next() {
    for (size_t I = Taken; I < Children.size(); ++I)
      if (auto *C = dynamic_cast<T *>(Children[I])) {
        Taken = I + 1;
        return C;
      }
    return nullptr;
  }

  std::optional<ast::ColumnPosition> position(P::ColumnPositionContext *Ctx) {
    ast::ColumnPosition Pos;
    Pos.Range = B.range(Ctx);
    Pos.First = Ctx->FIRST() != nullptr;
    if (!Pos.First)
      Pos.After = B.ident(Ctx->name());
    return Pos;
  }

  /// The first `Keyword X => expr` clause; a second one is reported.
  std::optional<ast::CastExpr> castFor(const std::string &Keyword) {
    std::optional<ast::CastExpr> Found;
    P::CastClauseContext *First = nullptr;
    for (antlr4::tree::ParseTree *Child : Children) {
      auto *C = as<P::CastClauseContext>(Child);
      if (!C || C->getStart()->getText() != Keyword)
        continue;
      if (First) {
        B.diags()
            .reportAt(DiagKind::DuplicateCastClause, B.range(C), Keyword)
            .note(DiagKind::NoteFirstCastHere, B.range(First).Start, Keyword);
        continue;
      }
      First = C;
      Found = ast::CastExpr{B.ident(C->name()), B.expr(C->expr())};
    }
    return Found;
  }

  ASTBuilder &B;
  std::vector<antlr4::tree::ParseTree *> Children;
  size_t Taken = 0;
  bool BlockForm = false;
};

/// Any kind of Operations.def, from its alternative of the grammar's
/// `operation` rule.
template <typename Op> Op buildOperation(ASTBuilder &B, antlr4::ParserRuleContext *Alternative) {
  Op O;
  FieldReader Reader(B, Alternative);
  const std::vector<llvm::StringRef> &Names = ast::fieldNames<Op>();
  size_t I = 0;
  std::apply([&](auto &...Field) { (Reader.read(Names[I++], Field), ...); }, O.fields());
  return O;
}
} // namespace

ast::Operation ASTBuilder::operation(P::OperationContext *Ctx) {
  ast::Operation Op;
  Op.Range = range(Ctx);
#define OPERATION(K, Name, Keyword, Marker, Tag)                                                   \
  if (auto *C = as<P::K##Context>(Ctx)) {                                                          \
    Op.Body = buildOperation<ast::K##Op>(*this, C);                                                \
    return Op;                                                                                     \
  }
#include "strata/AST/Operations.def"
  // Every alternative of the grammar's `operation` rule is a kind.
  llvm_unreachable("operation alternative not in Operations.def");
}
