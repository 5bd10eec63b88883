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
