//===- MigrationStatement.cpp - The IQL statements a migration may send ---===//
#include "strata/Verify/MigrationStatement.h"
#include "strata/IQL/Builtins.h"
#include "strata/IQL/Names.h"
#include "strata/IQL/Parser.h"
#include "strata/IQL/Printer.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include <fmt/format.h>

using namespace strata;
using llvm::StringRef;
using StmtK = iql::Statement::Kind;

namespace {

/// The server's limits on HNSW build and search effort (the engine's).
constexpr int64_t MaxEf = 100000;

llvm::Error refuse(std::string Message) {
  return DiagnosticError::make(DiagKind::IqlSyntax, llvm::SMLoc(), std::move(Message));
}

llvm::Error checkRelationName(StringRef Name) {
  iql::NameProblem P = iql::checkName(Name);
  if (P == iql::NameProblem::None)
    return llvm::Error::success();
  return refuse(iql::nameProblemMessage(Name, P));
}

/// The migration shape of a meta statement, by the form the parser (or
/// the lowering, through iql::metaStatement) matched.
std::optional<MigrationStmtKind> metaKind(iql::MetaCommandId Command) {
  using Id = iql::MetaCommandId;
  switch (Command) {
  case Id::RelDrop:
    return MigrationStmtKind::RelDrop;
  case Id::RuleDrop:
    return MigrationStmtKind::RuleDrop;
  case Id::RuleClear:
    return MigrationStmtKind::RuleClear;
  case Id::RuleRemove:
    return MigrationStmtKind::RuleRemove;
  case Id::IndexCreate:
    return MigrationStmtKind::IndexCreate;
  case Id::IndexDrop:
    return MigrationStmtKind::IndexDrop;
  default:
    return std::nullopt;
  }
}

/// What the server refuses in `.index create` although it parses: the
/// engine answers these with an `Index error:` row.
llvm::Error checkIndexSpec(const iql::IndexSpec &I) {
  if (llvm::Error E = checkRelationName(I.Relation))
    return E;
  if (!llvm::all_of(I.Column, iql::isNameChar))
    return refuse(fmt::format("Invalid column name: '{}'", I.Column));
  if (I.Type != "hnsw")
    return refuse(fmt::format("unknown index type `{}`; the server builds `hnsw` indexes", I.Type));
  if (!iql::parseIndexMetric(I.Metric))
    return refuse(
        fmt::format("unknown metric `{}`; use one of {}", I.Metric, iql::indexMetricSpellings()));
  if (I.M < 2 || I.M > 256)
    return refuse(fmt::format("m must be between 2 and 256, got {}", I.M));
  if (I.EfConstruction < 1 || I.EfConstruction > MaxEf)
    return refuse(
        fmt::format("ef_construction must be between 1 and {}, got {}", MaxEf, I.EfConstruction));
  if (I.EfSearch < 1 || I.EfSearch > MaxEf)
    return refuse(fmt::format("ef_search must be between 1 and {}, got {}", MaxEf, I.EfSearch));
  return llvm::Error::success();
}

llvm::Error checkMeta(const iql::Statement &S) {
  const std::vector<std::string> &W = S.Words;
  if (S.Command == iql::MetaCommandId::RuleDropPrefix)
    return refuse("`.rule drop prefix` drops rules a migration does not name; name each rule");
  std::optional<MigrationStmtKind> K = metaKind(S.Command);
  if (!K)
    return refuse(fmt::format("`{}` is not a command a migration sends (only `.rel drop`, "
                              "`.rule drop|clear|remove`, `.index create|drop`)",
                              S.Text));
  if (*K == MigrationStmtKind::IndexCreate)
    return checkIndexSpec(S.Index);
  if (*K == MigrationStmtKind::IndexDrop)
    return llvm::Error::success();
  if (llvm::Error E = checkRelationName(W[2]))
    return E;
  if (*K == MigrationStmtKind::RuleRemove && ruleRemoveClause(S) < 1)
    return refuse("Index must be 1 or greater (1-based indexing)");
  return llvm::Error::success();
}

/// `hnsw_nearest("idx", Query, K, Id, Dist [, EfSearch])` reads an index
/// by its name, which must be written as a string.
llvm::Error checkNearest(const iql::Atom &A) {
  if (A.Args.size() < 5 || A.Args.size() > 6)
    return refuse(fmt::format("hnsw_nearest requires 5-6 arguments (index, query, k, id_var, "
                              "dist_var [, ef_search]), got {}",
                              A.Args.size()));
  const iql::Expr &Index = A.Args[0];
  if (Index.K != iql::Expr::Kind::Constant || Index.Constant.kind() != iql::Value::Kind::String)
    return refuse("hnsw_nearest: first argument must be a string literal (index name)");
  return llvm::Error::success();
}

llvm::Error checkBody(const std::vector<iql::Literal> &Body) {
  for (const iql::Literal &L : Body) {
    if (L.K == iql::Literal::Kind::Compare)
      continue;
    if (L.K == iql::Literal::Kind::Positive && iql::isIndexSearch(L.A.Relation)) {
      if (llvm::Error E = checkNearest(L.A))
        return E;
      continue;
    }
    if (llvm::Error E = checkRelationName(L.A.Relation))
      return E;
  }
  return llvm::Error::success();
}

/// Facts hold constants only; the server answers anything else with a
/// `Cannot insert ...` row and stores nothing.
llvm::Error checkGroundRows(const std::vector<std::vector<iql::Expr>> &Rows) {
  for (const std::vector<iql::Expr> &Row : Rows) {
    if (Row.empty())
      return refuse("a fact needs at least one value");
    for (const iql::Expr &E : Row) {
      if (E.K == iql::Expr::Kind::Constant)
        continue;
      if (E.K == iql::Expr::Kind::Variable)
        return refuse(fmt::format("a fact must be ground: `{}` is a variable", E.Name));
      return refuse(fmt::format("a fact must be ground: `{}` is not a constant",
                                E.Text.empty() ? iql::printExpr(E) : E.Text));
    }
  }
  return llvm::Error::success();
}

llvm::Error checkSchema(const iql::Statement &S) {
  if (llvm::Error E = checkRelationName(S.Relation))
    return E;
  for (const iql::Column &C : S.Columns)
    if (llvm::Expected<Type> T = semaType(C.Type); !T)
      return T.takeError();
  return llvm::Error::success();
}

llvm::Error checkUpdate(const iql::Statement &S) {
  bool Deletes = false;
  for (const auto &[Insert, A] : S.Targets) {
    Deletes |= !Insert;
    if (llvm::Error E = checkRelationName(A.Relation))
      return E;
  }
  if (!Deletes)
    return refuse("a persistent rule has exactly one `+` head");
  return checkBody(S.Body);
}

} // namespace

std::optional<MigrationStmtKind> strata::migrationKind(const iql::Statement &S) {
  switch (S.K) {
  case StmtK::Meta:
    return metaKind(S.Command);
  case StmtK::Query:
    return MigrationStmtKind::Query;
  case StmtK::SchemaDecl:
    return MigrationStmtKind::Schema;
  case StmtK::Insert:
    return MigrationStmtKind::Insert;
  case StmtK::Delete:
    return MigrationStmtKind::Delete;
  case StmtK::ConditionalDelete:
    return MigrationStmtKind::ConditionalDelete;
  case StmtK::Update:
    return MigrationStmtKind::AtomicUpdate;
  case StmtK::PersistentRule:
    return MigrationStmtKind::Rule;
  case StmtK::DropRule:
  case StmtK::SessionRule:
  case StmtK::SessionFact:
  case StmtK::TypeDecl:
    return std::nullopt;
  }
  return std::nullopt;
}

llvm::Error strata::checkMigrationStatement(const iql::Statement &S) {
  switch (S.K) {
  case StmtK::SessionRule:
    return refuse("a rule without `+` is a session rule: it is not persisted; write `+head(..) "
                  "<- body`");
  case StmtK::SessionFact:
    return refuse("a statement without `+` or `-` is a session fact: it is not persisted; write "
                  "`+rel(..)`");
  case StmtK::TypeDecl:
    return refuse("a `type` declaration lasts only for the session; a migration declares "
                  "column types in the schema");
  case StmtK::DropRule:
    return refuse(fmt::format("`-{}` drops a relation or rule by name; a migration uses `.rel "
                              "drop` and `.rule drop`",
                              S.Relation));
  case StmtK::Meta:
    return checkMeta(S);
  case StmtK::Query:
    return checkBody(S.Body);
  case StmtK::SchemaDecl:
    return checkSchema(S);
  case StmtK::Insert:
  case StmtK::Delete:
    if (llvm::Error E = checkRelationName(S.Relation))
      return E;
    return checkGroundRows(S.Rows);
  case StmtK::Update:
    return checkUpdate(S);
  case StmtK::ConditionalDelete:
  case StmtK::PersistentRule:
    if (llvm::Error E = checkRelationName(S.Rule.Head.Relation))
      return E;
    return checkBody(S.Rule.Body);
  }
  return llvm::Error::success();
}

llvm::Expected<std::optional<iql::Statement>> strata::readMigrationStatement(StringRef Text) {
  llvm::Expected<std::optional<iql::Statement>> S = iql::parseProgramStatement(Text);
  if (!S || !*S)
    return S;
  if (llvm::Error E = checkMigrationStatement(**S))
    return E;
  return S;
}

llvm::Expected<const iql::Statement *> strata::checkLoweredStatement(const IqlStatement &S) {
  if (!S.ParseError.empty())
    return refuse(S.ParseError);
  if (!S.Tree)
    return nullptr;
  if (llvm::Error E = checkMigrationStatement(*S.Tree))
    return E;
  return &*S.Tree;
}

std::string strata::statementName(const iql::Statement &S) {
  switch (S.K) {
  case StmtK::Meta:
    if (migrationKind(S) == MigrationStmtKind::IndexCreate)
      return S.Index.Name;
    return S.Words.size() > 2 ? S.Words[2] : std::string();
  case StmtK::SchemaDecl:
  case StmtK::Insert:
  case StmtK::Delete:
  case StmtK::DropRule:
  case StmtK::TypeDecl:
    return S.Relation;
  case StmtK::ConditionalDelete:
  case StmtK::PersistentRule:
  case StmtK::SessionRule:
  case StmtK::SessionFact:
    return S.Rule.Head.Relation;
  case StmtK::Query:
  case StmtK::Update:
    return "";
  }
  return "";
}

unsigned strata::ruleRemoveClause(const iql::Statement &S) {
  unsigned long long N = 0;
  if (S.Words.size() < 4 || llvm::getAsUnsignedInteger(S.Words[3], 10, N))
    return 0;
  return static_cast<unsigned>(N);
}

llvm::Expected<Type> strata::semaType(const iql::ColumnType &T) {
  using K = iql::ColumnType::Kind;
  switch (T.K) {
  case K::Int:
    return Type::intTy();
  case K::Float:
    return Type::floatTy();
  case K::String:
    return Type::stringTy();
  case K::Bool:
    return Type::boolTy();
  case K::Vector:
    return T.Dimension ? Type::vectorTy(T.Dimension) : Type::vectorTy();
  case K::List: {
    llvm::Expected<Type> E = semaType(T.Element.front());
    if (!E)
      return E.takeError();
    return Type::listTy(*E);
  }
  case K::Record: {
    std::vector<RecordField> Fields;
    for (const auto &[Name, FieldType] : T.Fields) {
      llvm::Expected<Type> F = semaType(FieldType);
      if (!F)
        return F.takeError();
      Fields.push_back({Name, *F});
    }
    return Type::recordTy(std::move(Fields));
  }
  case K::Named:
    return refuse(fmt::format("named type `{}`: the server accepts type references but Strata "
                              "never emits them and does not model them",
                              T.Name));
  }
  return refuse("unknown column type");
}

IndexDef strata::indexDef(const iql::Statement &S) {
  IndexDef D;
  D.Name = S.Index.Name;
  D.Relation = S.Index.Relation;
  D.Column = S.Index.Column;
  D.TheMetric = iql::parseIndexMetric(S.Index.Metric).value_or(Metric::Cosine);
  D.M = S.Index.M;
  D.EfConstruction = S.Index.EfConstruction;
  D.EfSearch = S.Index.EfSearch;
  return D;
}
