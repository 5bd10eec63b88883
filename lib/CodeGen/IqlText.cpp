//===- IqlText.cpp - Building IQL statements safely -----------------------===//
#include "strata/CodeGen/IqlText.h"
#include "strata/IQL/Printer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace strata;
using namespace strata::codegen;

bool codegen::isServerRelationName(llvm::StringRef Name) {
  if (Name.empty() || Name.size() > 256 || Name.startswith("__"))
    return false;
  if (!(Name[0] >= 'a' && Name[0] <= 'z'))
    return false;
  return llvm::all_of(
      Name, [](char C) { return (C >= 'a' && C <= 'z') || (C >= '0' && C <= '9') || C == '_'; });
}

bool codegen::isServerColumnName(llvm::StringRef Name) {
  return !Name.empty() && llvm::all_of(Name, [](char C) {
    return (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') || (C >= '0' && C <= '9') || C == '_';
  });
}

bool codegen::isServerIndexName(llvm::StringRef Name) { return isServerRelationName(Name); }

bool codegen::declaresSchema(const ColumnList &Columns) {
  return llvm::any_of(Columns.Columns, [](const ColumnDef &C) {
    switch (C.Ty.kind()) {
    case Type::Kind::Int:
    case Type::Kind::Float:
    case Type::Kind::String:
    case Type::Kind::Bool:
    case Type::Kind::List:
      return true;
    case Type::Kind::Vector:
    case Type::Kind::Record:
      return false;
    }
    return false;
  });
}

std::string codegen::spell(const iql::Statement &S) {
  return iql::printStatement(S, iql::PrintStyle::Lowering);
}

iql::Statement codegen::declaration(llvm::StringRef Name, const ColumnList &Columns) {
  iql::Statement S;
  S.K = iql::Statement::Kind::SchemaDecl;
  S.Relation = Name.str();
  for (const ColumnDef &C : Columns.Columns)
    S.Columns.push_back({C.Name, iqlType(C.Ty)});
  S.Text = spell(S);
  return S;
}

namespace {
/// A meta statement of form Id with the words after the form's own, and
/// its text.
iql::Statement meta(iql::MetaCommandId Id, std::vector<std::string> Args) {
  iql::Statement S = iql::metaStatement(Id, std::move(Args));
  S.Text = spell(S);
  return S;
}
} // namespace

iql::Statement codegen::relDrop(llvm::StringRef Name) {
  return meta(iql::MetaCommandId::RelDrop, {Name.str()});
}
iql::Statement codegen::ruleDrop(llvm::StringRef Name) {
  return meta(iql::MetaCommandId::RuleDrop, {Name.str()});
}
iql::Statement codegen::indexDrop(llvm::StringRef Name) {
  return meta(iql::MetaCommandId::IndexDrop, {Name.str()});
}

iql::Statement codegen::indexCreate(const IndexDef &I) {
  iql::IndexSpec Spec;
  Spec.Name = I.Name;
  Spec.Relation = I.Relation;
  Spec.Column = I.Column;
  Spec.Metric = metricName(I.TheMetric).str();
  Spec.M = I.M;
  Spec.EfConstruction = I.EfConstruction;
  Spec.EfSearch = I.EfSearch;
  // The command's words are those of its text, as the parser splits them;
  // the form's own two (`.index create`) come from metaStatement.
  llvm::SmallVector<llvm::StringRef, 16> Words;
  std::string Text = Spec.text();
  llvm::StringRef(Text).drop_front().split(Words, ' ', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Args;
  for (llvm::StringRef Word : llvm::makeArrayRef(Words).drop_front(2))
    Args.push_back(Word.str());
  iql::Statement S = meta(iql::MetaCommandId::IndexCreate, std::move(Args));
  S.Index = std::move(Spec);
  return S;
}

namespace {
void lowerExpr(ast::Expr &E) {
  for (ast::Expr &Sub : E.Operands)
    lowerExpr(Sub);
  if (E.TheKind != ast::Expr::Kind::Negate || E.Operands.size() != 1)
    return;
  const ast::Expr &Inner = E.Operands[0].stripParens();
  if (Inner.TheKind == ast::Expr::Kind::Int || Inner.TheKind == ast::Expr::Kind::Float)
    return; // `-5` is a literal to the server
  // -X  ->  (0 - X)
  ast::Expr Zero;
  Zero.TheKind = ast::Expr::Kind::Int;
  Zero.IntValue = 0;
  Zero.Text = "0";
  ast::Expr Sub;
  Sub.TheKind = ast::Expr::Kind::Binary;
  Sub.Op = ast::BinaryOp::Sub;
  Sub.Operands = {std::move(Zero), std::move(E.Operands[0])};
  ast::Expr Paren;
  Paren.TheKind = ast::Expr::Kind::Paren;
  Paren.Range = E.Range;
  Paren.Operands.push_back(std::move(Sub));
  E = std::move(Paren);
}

llvm::Error lowerAtom(ast::Atom &A, const ColumnLookup &Lookup) {
  for (ast::Expr &E : A.Args)
    lowerExpr(E);
  for (ast::NamedArg &N : A.NamedArgs)
    lowerExpr(N.Value);
  if (!A.IsNamed)
    return llvm::Error::success();
  const ColumnList *Columns = Lookup(A.Relation.Name);
  if (!Columns)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "`" + A.Relation.Name +
                                       "` has no columns at this point of the history");
  ast::Expr Wild;
  Wild.TheKind = ast::Expr::Kind::Wildcard;
  std::vector<ast::Expr> Args(Columns->size(), Wild);
  for (ast::NamedArg &N : A.NamedArgs) {
    std::optional<size_t> Pos = Columns->find(N.Column.Name);
    if (!Pos)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "`" + A.Relation.Name + "` has no column `" + N.Column.Name +
                                         "` at this point of the history");
    Args[*Pos] = std::move(N.Value);
  }
  A.IsNamed = false;
  A.NamedArgs.clear();
  A.Args = std::move(Args);
  return llvm::Error::success();
}
} // namespace

llvm::Error codegen::lowerClauseAtoms(ast::Clause &C, const ColumnLookup &Lookup) {
  for (ast::HeadArg &H : C.HeadArgs) {
    lowerExpr(H.Value);
    for (ast::AggregateArg &A : H.AggArgs)
      lowerExpr(A.Value);
  }
  for (ast::BodyLiteral &L : C.Body) {
    if (L.TheKind == ast::BodyLiteral::Kind::Comparison) {
      lowerExpr(L.Lhs);
      lowerExpr(L.Rhs);
    } else if (llvm::Error E = lowerAtom(L.TheAtom, Lookup)) {
      return E;
    }
  }
  return llvm::Error::success();
}

iql::Statement codegen::persistentClause(const ast::Clause &C) {
  iql::Statement S;
  S.K = iql::Statement::Kind::PersistentRule;
  S.Rule = iqlClause(C);
  S.Relation = S.Rule.Head.Relation; // as the parser records a rule's head
  S.Text = spell(S);
  return S;
}

std::string FreshVars::next() {
  for (;;) {
    std::string Name = "C" + std::to_string(Counter++);
    if (!llvm::is_contained(Taken, Name))
      return Name;
  }
}
