//===- Catalog.cpp - An abstract model of the server's catalog ------------===//
#include "strata/Verify/Catalog.h"
#include "ClauseConversion.h"
#include "Recursion.h"
#include "strata/AST/Printer.h"
#include "strata/IQL/Builtins.h"
#include "strata/Sema/Sema.h"
#include "llvm/ADT/StringSet.h"
#include <algorithm>
#include <fmt/format.h>

using namespace strata;
using llvm::StringRef;

struct IqlCatalog::Impl {
  /// Owns the buffers parsed clauses point into.
  llvm::SourceMgr SM;
  /// The catalog as a typed SchemaState, kept in step for checkClauses.
  SchemaState Mirror;
  llvm::StringSet<> AssumeExist;
  std::map<std::string, ColumnList> Hints;
  /// Further hints, looked up after Hints in order (beginMigration).
  std::vector<const SchemaState *> HintStates;
  /// The state the running stream goes toward (beginPhase): a rule the
  /// stream registers is typed by its declaration there first, so a
  /// derived relation retyped in one migration is checked with its new
  /// types forward and its old ones backward.
  const SchemaState *Toward = nullptr;
  /// Rules (by name) registered since beginPhase.
  std::set<std::string> RegisteredTowards;
  /// Names synced since the last beginMigration: their mirror entries are
  /// re-synced when the hints change.
  std::set<std::string> Dirty;

  const ColumnList *hint(const std::string &Name) const {
    if (Toward && RegisteredTowards.count(Name))
      if (const DerivedDef *D = Toward->derivedRelation(Name))
        return &D->Columns;
    if (auto H = Hints.find(Name); H != Hints.end())
      return &H->second;
    for (const SchemaState *S : HintStates)
      if (const DerivedDef *D = S->derivedRelation(Name))
        return &D->Columns;
    return nullptr;
  }
  /// The declared columns as the server holds them, for relations declared
  /// by an executed schema statement (not for those taken from a
  /// SchemaState): inserted values are checked against their types.
  std::map<std::string, iql::Schema> Schemas;
  /// Relations created by a fact insert without a declaration: arity.
  std::map<std::string, size_t> Undeclared;
  /// Relation -> rule -> number of body atoms of the rule reading it.
  std::map<std::string, std::map<std::string, unsigned>> Readers;
};

IqlCatalog::IqlCatalog() : P(std::make_unique<Impl>()) {}
IqlCatalog::~IqlCatalog() = default;
IqlCatalog::IqlCatalog(IqlCatalog &&) = default;

namespace {

/// What the server answers when it refuses a statement (an error row or
/// frame): a message for the caller's own diagnostic, not one of ours.
llvm::Error refusal(std::string Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

/// Whether the server registers a rule despite a problem of kind K that
/// Sema reports: it reads relations only at query time, and compares and
/// computes across types at run time (the mismatched part derives
/// nothing). Every other problem Sema finds in a clause (safety, unknown
/// functions, aggregate misuse) makes the server refuse to register it.
bool serverRegistersDespite(DiagKind K) {
  switch (K) {
  case DiagKind::UnknownRelation:
  case DiagKind::AtomArity:
  case DiagKind::UnknownColumn:
  case DiagKind::ComparisonTypeMismatch:
  case DiagKind::ArithmeticTypeMismatch:
  case DiagKind::HeadTypeMismatch:
  case DiagKind::VariableTypeConflict:
    return true;
  default:
    return false;
  }
}

std::string columnsText(StringRef Name, const ColumnList &C) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printColumns(Name, C, OS);
  return OS.str();
}

/// Calls F on every atom of C's body that reads a relation (not an index
/// search).
template <typename Fn> void forEachBodyAtom(const ast::Clause &C, Fn F) {
  for (const ast::BodyLiteral &L : C.Body)
    if (L.TheKind != ast::BodyLiteral::Kind::Comparison &&
        !iql::isIndexSearch(L.TheAtom.Relation.Name))
      F(L.TheAtom);
}

/// The number of columns a clause derives: a ranking aggregate gives one
/// per variable it ranks (`top_k<2, I, V:desc>` gives I and V), any other
/// head argument one.
size_t clauseWidth(const ast::Clause &C) {
  size_t Width = 0;
  for (const ast::HeadArg &H : C.HeadArgs) {
    const iql::BuiltinAggregate *Agg =
        H.IsAggregate ? iql::findAggregate(H.Aggregate.Name) : nullptr;
    if (Agg && Agg->isRanking() && H.AggArgs.size() > Agg->leadingParams())
      Width += H.AggArgs.size() - Agg->leadingParams();
    else
      ++Width;
  }
  return Width;
}

/// What the server compares when a clause joins a rule that aggregates:
/// the aggregate's kind, its leading parameters (`k`, thresholds) and which
/// variables carry which order; not the variable names. Empty for a clause
/// without an aggregate. Printed, for the server's message.
struct AggregateShape {
  std::string Key, Printed;
  bool Ranking = false;
};

AggregateShape aggregateShape(const ast::Clause &C) {
  AggregateShape Shape;
  for (const ast::HeadArg &H : C.HeadArgs) {
    if (!H.IsAggregate)
      continue;
    const iql::BuiltinAggregate *Agg = iql::findAggregate(H.Aggregate.Name);
    Shape.Ranking = Agg && Agg->isRanking();
    Shape.Key = fmt::format("{}", Agg ? int(Agg->Kind) : -1);
    std::vector<std::string> Args;
    for (size_t I = 0; I < H.AggArgs.size(); ++I) {
      const ast::AggregateArg &A = H.AggArgs[I];
      std::string Value = ast::toString(A.Value);
      Args.push_back(A.Order ? Value + ":" + A.Order->Name : Value);
      if (Agg && I < Agg->leadingParams())
        Shape.Key += "," + Value;
      else if (A.Order)
        Shape.Key += fmt::format(",{}@{}", A.Order->Name, I);
    }
    Shape.Printed = Shape.Ranking ? fmt::format("{}<{}>", H.Aggregate.Name, fmt::join(Args, ", "))
                                  : H.Aggregate.Name;
    break;
  }
  return Shape;
}

/// The server refuses a clause whose ranking aggregate differs from that of
/// the rule's clauses (or a plain aggregate joining a ranking one): its
/// transcripts (14_aggregations/175, 177-179) show it checks this before
/// the arity.
std::string aggregateConflict(const IqlCatalog::Rule &R, const ast::Clause &New) {
  AggregateShape Added = aggregateShape(New);
  for (const auto &Old : R.Clauses) {
    AggregateShape Had = aggregateShape(*Old);
    if (Added.Key.empty() || Had.Key.empty() || Added.Key == Had.Key ||
        !(Added.Ranking || Had.Ranking))
      continue;
    return fmt::format("Conflicting aggregation: cannot add clause with '{1}' to rule '{0}' "
                       "which already has a clause with '{2}'. Drop the rule first with '.rule "
                       "drop {0}' and re-create it.",
                       R.Name, Added.Printed, Had.Printed);
  }
  return "";
}

} // namespace

ast::Clause strata::positionalClause(const ast::Clause &C, const SchemaState &State) {
  ast::Clause Out = C;
  for (ast::BodyLiteral &L : Out.Body) {
    if (L.TheKind == ast::BodyLiteral::Kind::Comparison || !L.TheAtom.IsNamed)
      continue;
    const ColumnList *Cols = State.columnsOf(L.TheAtom.Relation.Name);
    if (!Cols)
      continue;
    ast::Expr Wild;
    Wild.TheKind = ast::Expr::Kind::Wildcard;
    Wild.Text = "_";
    std::vector<ast::Expr> Args(Cols->size(), Wild);
    bool Ok = true;
    for (const ast::NamedArg &A : L.TheAtom.NamedArgs) {
      std::optional<size_t> I = Cols->find(A.Column.Name);
      if (!I) {
        Ok = false;
        break;
      }
      Args[*I] = A.Value;
    }
    if (!Ok)
      continue;
    L.TheAtom.IsNamed = false;
    L.TheAtom.NamedArgs.clear();
    L.TheAtom.Args = std::move(Args);
  }
  return Out;
}

IqlCatalog IqlCatalog::fromState(const SchemaState &State) {
  IqlCatalog C;
  for (const auto &[Name, R] : State.relations()) {
    C.Relations[Name] = R->Columns;
    C.P->Mirror.put(R);
  }
  for (const auto &[Name, D] : State.derived()) {
    Rule R;
    R.Name = Name;
    R.Arity = D->Columns.size();
    for (const auto &Cl : D->Clauses) {
      auto Pos = std::make_shared<const ast::Clause>(
          verify::canonicalClause(positionalClause(*Cl, State)));
      R.Canonical.push_back(ast::toString(*Pos));
      R.Clauses.push_back(std::move(Pos));
    }
    C.indexReaders(R, +1);
    C.Rules[Name] = std::move(R);
    C.P->Hints[Name] = D->Columns;
    C.P->Mirror.put(D);
  }
  for (const auto &[Name, I] : State.indexes()) {
    C.Indexes[Name] = *I;
    C.P->Mirror.put(I);
  }
  return C;
}

void IqlCatalog::addTypeHints(const SchemaState &State) {
  for (const auto &[Name, D] : State.derived())
    P->Hints.emplace(Name, D->Columns);
}

void IqlCatalog::beginMigration(const SchemaState &Before, const SchemaState &After) {
  P->Hints.clear();
  P->HintStates = {&Before, &After};
  std::set<std::string> Dirty = std::move(P->Dirty);
  P->Dirty.clear();
  for (const std::string &N : Dirty)
    syncMirror(N);
  P->Dirty.clear();
}

void IqlCatalog::beginPhase(const SchemaState &TowardState) {
  P->Toward = &TowardState;
  P->RegisteredTowards.clear();
}

void IqlCatalog::forget(const std::string &Name) {
  Relations.erase(Name);
  P->Schemas.erase(Name);
  P->Undeclared.erase(Name);
  if (auto It = Rules.find(Name); It != Rules.end()) {
    indexReaders(It->second, -1);
    Rules.erase(It);
  }
  Indexes.erase(Name);
  syncMirror(Name);
}

std::vector<std::string> IqlCatalog::readersOf(const std::string &Relation) const {
  std::vector<std::string> Out;
  if (auto It = P->Readers.find(Relation); It != P->Readers.end())
    for (const auto &[Reader, Count] : It->second)
      Out.push_back(Reader);
  return Out;
}

void IqlCatalog::indexReaders(const Rule &R, int Delta) {
  for (const auto &Cl : R.Clauses)
    forEachBodyAtom(*Cl, [&](const ast::Atom &A) {
      auto &Count = P->Readers[A.Relation.Name][R.Name];
      Count += Delta;
      if (Count == 0)
        P->Readers[A.Relation.Name].erase(R.Name);
    });
}

void IqlCatalog::syncMirror(const std::string &Name) {
  P->Dirty.insert(Name);
  // Rules that search an index (`hnsw_nearest`) are checked against it.
  if (auto It = Indexes.find(Name); It != Indexes.end())
    P->Mirror.put(std::make_shared<const IndexDef>(It->second));
  else
    P->Mirror.eraseIndex(Name);
  auto RelIt = Relations.find(Name);
  if (RelIt != Relations.end()) {
    auto R = std::make_shared<RelationDef>();
    R->Name = Name;
    R->Columns = RelIt->second;
    P->Mirror.put(std::shared_ptr<const RelationDef>(std::move(R)));
  } else {
    P->Mirror.eraseRelation(Name);
  }
  auto RuleIt = Rules.find(Name);
  const ColumnList *Cols = nullptr;
  if (RuleIt != Rules.end()) {
    const ColumnList *H = P->hint(Name);
    if (H && H->size() == RuleIt->second.Arity)
      Cols = H;
    else if (RelIt != Relations.end() && RelIt->second.size() == RuleIt->second.Arity)
      Cols = &RelIt->second;
  }
  if (Cols) {
    auto D = std::make_shared<DerivedDef>();
    D->Name = Name;
    D->Columns = *Cols;
    D->Clauses = RuleIt->second.Clauses;
    P->Mirror.put(std::shared_ptr<const DerivedDef>(std::move(D)));
  } else {
    P->Mirror.eraseDerived(Name);
  }
  bool Assume =
      (RuleIt != Rules.end() && !Cols && RelIt == Relations.end()) || P->Undeclared.count(Name);
  if (Assume)
    P->AssumeExist.insert(Name);
  else
    P->AssumeExist.erase(Name);
}

std::string IqlCatalog::readProblem(const Rule &R) const {
  std::string Problem;
  for (const auto &Cl : R.Clauses)
    forEachBodyAtom(*Cl, [&](const ast::Atom &A) {
      if (!Problem.empty())
        return;
      const std::string &Rel = A.Relation.Name;
      std::optional<size_t> Arity = arityOf(Rel);
      if (!Arity)
        Problem = fmt::format("it reads `{}`, which does not exist", Rel);
      else if (!A.IsNamed && A.Args.size() != *Arity)
        Problem = fmt::format("it reads `{}` with {} argument(s) but `{}` has {}", Rel,
                              A.Args.size(), Rel, *Arity);
    });
  return Problem;
}

void IqlCatalog::checkRule(const std::string &Name) {
  if (!Broken.empty())
    return;
  auto It = Rules.find(Name);
  if (It == Rules.end() || It->second.Clauses.empty())
    return;
  const Rule &R = It->second;
  const ColumnList *Head = nullptr;
  if (const ColumnList *H = P->hint(Name); H && H->size() == R.Arity)
    Head = H;
  std::vector<ast::Clause> Clauses;
  for (const auto &Cl : R.Clauses)
    Clauses.push_back(*Cl);
  ast::Ident Id;
  Id.Name = Name;
  DiagnosticEngine Diags(P->SM);
  RuleScope Scope{P->Mirror, &P->AssumeExist};
  checkClauses(Id, Head, Clauses, Scope, Diags);
  // The server refuses to register a clause for some problems (safety,
  // functions, aggregates) and defers the others to query time (what a
  // rule reads, types): a refusal is reported first, as the server does.
  const Diagnostic *First = nullptr;
  for (const Diagnostic &D : Diags.diagnostics()) {
    if (D.Sev != Severity::Error)
      continue;
    if (!serverRegistersDespite(D.Kind)) {
      Broken = fmt::format("rule `{}`: {}", Name, D.Message);
      BrokenName = Name;
      BrokenRefusedByServer = true;
      return;
    }
    First = First ? First : &D;
  }
  BrokenRefusedByServer = false;
  // Existence and arity of every atom read: what the server fails on at
  // query time when a rule dangles.
  if (std::string Problem = readProblem(R); !Problem.empty())
    Broken = fmt::format("rule `{}`: {}", Name, Problem);
  else if (First)
    Broken = fmt::format("rule `{}`: {}", Name, First->Message);
  if (!Broken.empty())
    BrokenName = Name;
}

std::string IqlCatalog::recheckRule(const std::string &Name) {
  Broken.clear();
  BrokenName.clear();
  checkRule(Name);
  return Broken;
}

void IqlCatalog::removeLastClause(const std::string &Name) {
  auto It = Rules.find(Name);
  if (It == Rules.end() || It->second.Clauses.empty())
    return;
  Rule &R = It->second;
  indexReaders(R, -1);
  R.Clauses.pop_back();
  R.Canonical.pop_back();
  indexReaders(R, +1);
  if (R.Clauses.empty())
    Rules.erase(It);
  syncMirror(Name);
}

void IqlCatalog::recheckReaders(const std::string &Relation) {
  auto It = P->Readers.find(Relation);
  if (It == P->Readers.end())
    return;
  std::vector<std::string> Names;
  for (const auto &[Reader, Count] : It->second)
    Names.push_back(Reader);
  for (const std::string &N : Names)
    checkRule(N);
}

llvm::Error IqlCatalog::addClause(const iql::Statement &S) {
  auto Clause = std::make_shared<const ast::Clause>(verify::toAstClause(S.Rule));
  const std::string &Name = S.Rule.Head.Relation;
  size_t Arity = clauseWidth(*Clause);
  Rule &R = Rules[Name];
  if (std::string Conflict = aggregateConflict(R, *Clause); !Conflict.empty())
    return refusal(std::move(Conflict));
  if (R.Name.empty()) {
    R.Name = Name;
    R.Arity = Arity;
  } else if (!R.Clauses.empty() && R.Arity != Arity) {
    return refusal(fmt::format("Arity mismatch: rule '{0}' has {1} argument(s) but new clause "
                               "has {2}. Drop the rule first with '.rule drop {0}' and re-create "
                               "it.",
                               Name, R.Arity, Arity));
  }
  R.Arity = Arity;
  Rule One;
  One.Name = Name;
  One.Clauses.push_back(Clause);
  indexReaders(One, +1);
  P->RegisteredTowards.insert(Name);
  R.Canonical.push_back(ast::toString(*Clause));
  R.Clauses.push_back(std::move(Clause));
  syncMirror(Name);
  return llvm::Error::success();
}

std::optional<size_t> IqlCatalog::arityOf(const std::string &Name) const {
  if (auto It = Relations.find(Name); It != Relations.end())
    return It->second.size();
  if (auto It = P->Undeclared.find(Name); It != P->Undeclared.end())
    return It->second;
  if (auto It = Rules.find(Name); It != Rules.end())
    return It->second.Arity;
  return std::nullopt;
}

llvm::Error IqlCatalog::checkInsertedRows(const iql::Statement &S) const {
  auto Declared = P->Schemas.find(S.Relation);
  if (Declared == P->Schemas.end() || !Relations.count(S.Relation))
    return llvm::Error::success(); // a schema-less relation takes tuples of any width
  const iql::Schema &Cols = Declared->second;
  auto Refuse = [&](size_t Row, const std::string &Why) {
    return refusal(fmt::format("Insert rejected for '{}': batch of {} tuples violated "
                               "constraints: Tuple #{}: {}",
                               S.Relation, S.Rows.size(), Row, Why));
  };
  for (size_t I = 0; I < S.Rows.size(); ++I) {
    const std::vector<iql::Expr> &Row = S.Rows[I];
    if (Row.size() != Cols.size())
      return Refuse(
          I, fmt::format("ARITY_MISMATCH (expected {} columns, got {})", Cols.size(), Row.size()));
    for (size_t C = 0; C < Cols.size(); ++C)
      if (!Cols[C].Type.accepts(Row[C].Constant))
        return Refuse(I, fmt::format("column '{}' - TYPE_MISMATCH (a value of another type "
                                     "than the column's)",
                                     Cols[C].Name));
  }
  return llvm::Error::success();
}

llvm::Error IqlCatalog::writeFacts(const std::string &Relation, size_t Width, bool Insert) {
  std::optional<size_t> A = arityOf(Relation);
  if (!A) {
    if (!Insert)
      return refusal(fmt::format("Relation '{}' not found", Relation));
    P->Undeclared[Relation] = Width; // the server creates it schema-less
    syncMirror(Relation);
    return llvm::Error::success();
  }
  // The server holds a schema-less relation's tuples whatever their width
  // (its arity, for readers, is the first insert's); a declared schema is
  // enforced.
  if (*A != Width && Relations.count(Relation))
    return refusal(fmt::format("Arity mismatch: relation '{}' has {} column(s) but the fact has {}",
                               Relation, *A, Width));
  return llvm::Error::success();
}

llvm::Error IqlCatalog::checkUpdateBody(const std::vector<iql::Literal> &Body) {
  ast::Clause Probe;
  Probe.Head.Name = "strata_update_probe";
  Probe.Body = verify::toAstBody(Body);
  DiagnosticEngine Diags(P->SM);
  RuleScope Scope{P->Mirror, &P->AssumeExist};
  checkClauses(Probe.Head, nullptr, {Probe}, Scope, Diags);
  // As for rules (checkRule): what the server refuses outright comes first.
  const Diagnostic *First = nullptr;
  for (const Diagnostic &D : Diags.diagnostics()) {
    if (D.Sev != Severity::Error)
      continue;
    if (!serverRegistersDespite(D.Kind))
      return llvm::make_error<DiagnosticError>(D);
    First = First ? First : &D;
  }
  std::string Missing;
  forEachBodyAtom(Probe, [&](const ast::Atom &A) {
    if (!Missing.empty())
      return;
    std::optional<size_t> Ar = arityOf(A.Relation.Name);
    if (!Ar)
      Missing = fmt::format("Relation '{}' not found", A.Relation.Name);
    else if (A.Args.size() != *Ar)
      Missing = fmt::format("Arity mismatch: `{}` has {} column(s) but the body reads {}",
                            A.Relation.Name, *Ar, A.Args.size());
  });
  if (!Missing.empty())
    return refusal(std::move(Missing));
  if (First)
    return llvm::make_error<DiagnosticError>(*First);
  return llvm::Error::success();
}

llvm::Error IqlCatalog::checkQueryBody(const std::vector<iql::Literal> &Body) {
  ast::Clause Probe;
  Probe.Head.Name = "strata_query_probe";
  Probe.Body = verify::toAstBody(Body);
  DiagnosticEngine Diags(P->SM);
  RuleScope Scope{P->Mirror, &P->AssumeExist};
  checkClauses(Probe.Head, nullptr, {Probe}, Scope, Diags);
  // A query reads whatever exists (a missing relation is empty) and
  // compares across types at run time; the server refuses only what it
  // cannot plan: unbound variables, unknown functions, misused aggregates.
  for (const Diagnostic &D : Diags.diagnostics())
    if (D.Sev == Severity::Error && !serverRegistersDespite(D.Kind))
      return llvm::make_error<DiagnosticError>(D);
  return llvm::Error::success();
}

llvm::Error IqlCatalog::declare(const iql::Statement &S) {
  ColumnList Cols;
  for (const iql::Column &C : S.Columns) {
    llvm::Expected<Type> T = semaType(C.Type);
    if (!T)
      return T.takeError();
    Cols.Columns.push_back({C.Name, *T, {}});
  }
  Relations[S.Relation] = std::move(Cols);
  P->Schemas[S.Relation] = S.Columns;
  P->Undeclared.erase(S.Relation);
  syncMirror(S.Relation);
  checkRule(S.Relation);
  recheckReaders(S.Relation);
  return llvm::Error::success();
}

llvm::Error IqlCatalog::dropRelation(const std::string &Name) {
  if (!Relations.count(Name) && !P->Undeclared.count(Name) && !Rules.count(Name))
    return refusal(fmt::format("Relation '{}' not found", Name));
  Relations.erase(Name);
  P->Schemas.erase(Name);
  P->Undeclared.erase(Name);
  // The hazard: the rule of the same name goes too.
  if (auto It = Rules.find(Name); It != Rules.end()) {
    indexReaders(It->second, -1);
    Rules.erase(It);
  }
  std::vector<std::string> IndexesOn;
  for (const auto &[IndexName, I] : Indexes)
    if (I.Relation == Name)
      IndexesOn.push_back(IndexName);
  for (const std::string &IndexName : IndexesOn) {
    Indexes.erase(IndexName);
    syncMirror(IndexName);
  }
  syncMirror(Name);
  recheckReaders(Name);
  return llvm::Error::success();
}

llvm::Error IqlCatalog::changeRule(const iql::Statement &S, MigrationStmtKind K) {
  std::string Name = statementName(S);
  auto It = Rules.find(Name);
  if (It == Rules.end())
    return refusal(fmt::format("Rule '{}' not found", Name));
  Rule &R = It->second;
  // `.rule clear` keeps the rule with no clause (the server still lists
  // it, and a second clear or a drop of it succeeds); removing the last
  // clause deletes the rule, and so does a drop.
  bool Keep = K == MigrationStmtKind::RuleClear;
  if (K == MigrationStmtKind::RuleRemove) {
    unsigned Number = ruleRemoveClause(S);
    if (Number > R.Clauses.size())
      return refusal(fmt::format("Rule '{}' has {} clause(s); there is no clause {}", Name,
                                 R.Clauses.size(), Number));
    indexReaders(R, -1);
    R.Clauses.erase(R.Clauses.begin() + (Number - 1));
    R.Canonical.erase(R.Canonical.begin() + (Number - 1));
    indexReaders(R, +1);
  } else {
    indexReaders(R, -1);
    R.Clauses.clear();
    R.Canonical.clear();
  }
  if (R.Clauses.empty() && !Keep)
    Rules.erase(It);
  syncMirror(Name);
  recheckReaders(Name);
  return llvm::Error::success();
}

llvm::Error IqlCatalog::createIndex(const IndexDef &I) {
  auto Rel = Relations.find(I.Relation);
  if (Rel == Relations.end())
    return refusal(fmt::format("Index error: relation '{}' has no declared schema", I.Relation));
  if (Indexes.count(I.Name))
    return refusal(fmt::format("Index error: index '{}' already exists", I.Name));
  std::optional<size_t> Col = Rel->second.find(I.Column);
  if (!Col)
    return refusal(
        fmt::format("Index error: relation '{}' has no column '{}'", I.Relation, I.Column));
  if (Rel->second.Columns[*Col].Ty.kind() != Type::Kind::Vector)
    return refusal(
        fmt::format("Index error: column '{}.{}' is not a vector", I.Relation, I.Column));
  Indexes[I.Name] = I;
  syncMirror(I.Name);
  return llvm::Error::success();
}

llvm::Error IqlCatalog::execute(const iql::Statement &S) {
  Broken.clear();
  BrokenName.clear();
  std::optional<MigrationStmtKind> K = migrationKind(S);
  if (!K)
    return refusal(fmt::format("`{}` is not a statement a migration sends", S.Text));
  switch (*K) {
  case MigrationStmtKind::Query:
    return checkQueryBody(S.Body);
  case MigrationStmtKind::Schema:
    return declare(S);
  case MigrationStmtKind::Insert:
    if (llvm::Error E = checkInsertedRows(S))
      return E;
    [[fallthrough]];
  case MigrationStmtKind::Delete:
    for (const auto &Row : S.Rows)
      if (llvm::Error E = writeFacts(S.Relation, Row.size(), *K == MigrationStmtKind::Insert))
        return E;
    return llvm::Error::success();
  case MigrationStmtKind::ConditionalDelete:
    if (llvm::Error E = checkUpdateBody(S.Rule.Body))
      return E;
    return writeFacts(S.Rule.Head.Relation, S.Rule.Head.Args.size(), false);
  case MigrationStmtKind::AtomicUpdate:
    if (llvm::Error E = checkUpdateBody(S.Body))
      return E;
    for (const auto &[Insert, A] : S.Targets)
      if (llvm::Error E = writeFacts(A.Relation, A.Args.size(), Insert))
        return E;
    return llvm::Error::success();
  case MigrationStmtKind::Rule:
    return executeRule(S);
  case MigrationStmtKind::RelDrop:
    return dropRelation(statementName(S));
  case MigrationStmtKind::RuleDrop:
  case MigrationStmtKind::RuleClear:
  case MigrationStmtKind::RuleRemove:
    return changeRule(S, *K);
  case MigrationStmtKind::IndexCreate:
    return createIndex(indexDef(S));
  case MigrationStmtKind::IndexDrop:
    if (!Indexes.erase(statementName(S)))
      return refusal(fmt::format("Index error: index '{}' not found", statementName(S)));
    syncMirror(statementName(S));
    return llvm::Error::success();
  }
  return llvm::Error::success();
}

llvm::Error IqlCatalog::executeRule(const iql::Statement &S) {
  if (llvm::Error E = addClause(S))
    return E;
  checkRule(S.Rule.Head.Relation);
  // Recursion through negation is refused at registration, before what
  // the server defers.
  if (Broken.empty() || !BrokenRefusedByServer)
    if (std::string Why = verify::recursionProblem(Rules, S.Rule.Head.Relation); !Why.empty()) {
      Broken = fmt::format("rule `{}`: {}", S.Rule.Head.Relation, Why);
      BrokenName = S.Rule.Head.Relation;
      BrokenRefusedByServer = true;
    }
  if (!Broken.empty() && BrokenRefusedByServer) {
    // The server does not register the clause: neither does the model
    // (brokenRule() still says why, as `strata verify` reports it).
    removeLastClause(S.Rule.Head.Relation);
    return llvm::Error::success();
  }
  recheckReaders(S.Rule.Head.Relation);
  return llvm::Error::success();
}

/// What differenceFrom compares, and how it names what differs.
struct IqlCatalog::Comparison {
  const std::set<std::string> *Ignore;
  std::string *Object;
  const std::set<std::string> *Only;

  bool ignored(const std::string &N) const { return Ignore && Ignore->count(N); }
  /// The difference found, naming its object for the caller.
  std::string differs(const std::string &Name, std::string Message) const {
    if (Object)
      *Object = Name;
    return Message;
  }
  /// The entries of Map to compare, in name order: all, or those in Only.
  template <typename MapT>
  std::vector<const typename MapT::value_type *> entries(const MapT &Map) const {
    std::vector<const typename MapT::value_type *> Out;
    if (!Only) {
      for (const auto &E : Map)
        Out.push_back(&E);
    } else {
      for (const std::string &N : *Only)
        if (auto It = Map.find(N); It != Map.end())
          Out.push_back(&*It);
    }
    return Out;
  }
};

std::string IqlCatalog::relationsDiffer(const SchemaState &Expected, const Comparison &Cmp) const {
  for (const auto *E : Cmp.entries(Expected.relations())) {
    const auto &[Name, R] = *E;
    if (Cmp.ignored(Name))
      continue;
    auto It = Relations.find(Name);
    if (It == Relations.end())
      return Cmp.differs(Name, fmt::format("relation `{}` is missing; expected `{}`", Name,
                                           columnsText(Name, R->Columns)));
    if (!(columnsText(Name, It->second) == columnsText(Name, R->Columns)))
      return Cmp.differs(Name,
                         fmt::format("relation `{}` is declared `{}` but the state has `{}`", Name,
                                     columnsText(Name, It->second), columnsText(Name, R->Columns)));
  }
  for (const auto *E : Cmp.entries(Relations)) {
    const auto &[Name, Cols] = *E;
    if (Cmp.ignored(Name) || Expected.relation(Name))
      continue;
    const DerivedDef *D = Expected.derivedRelation(Name);
    if (!D)
      return Cmp.differs(Name,
                         fmt::format("relation `{}` exists but the state has no `{}`", Name, Name));
    if (columnsText(Name, Cols) != columnsText(Name, D->Columns))
      return Cmp.differs(
          Name, fmt::format("relation `{}` is declared `{}` but derived relation `{}` has `{}`",
                            Name, columnsText(Name, Cols), Name, columnsText(Name, D->Columns)));
  }
  for (const auto *E : Cmp.entries(P->Undeclared))
    if (const std::string &Name = E->first; !Cmp.ignored(Name) && !Expected.hasRelationName(Name))
      return Cmp.differs(
          Name, fmt::format("relation `{}` holds facts (created by an insert, never declared) but "
                            "the state has no `{}`",
                            Name, Name));
  return "";
}

/// How two sorted lists of canonical clauses differ (they do).
static std::string clauseDifference(const std::string &Name, const std::vector<std::string> &Want,
                                    const std::vector<std::string> &Have) {
  for (const std::string &C : Want)
    if (!std::binary_search(Have.begin(), Have.end(), C))
      return fmt::format("rule `{}` lacks clause `{}`", Name, C);
  for (const std::string &C : Have)
    if (!std::binary_search(Want.begin(), Want.end(), C))
      return fmt::format("rule `{}` has an unexpected clause `{}`", Name, C);
  return fmt::format("rule `{}` has {} clause(s) but the state has {}", Name, Have.size(),
                     Want.size());
}

std::string IqlCatalog::rulesDiffer(const SchemaState &Expected, const Comparison &Cmp) const {
  for (const auto *E : Cmp.entries(Expected.derived())) {
    const auto &[Name, D] = *E;
    if (Cmp.ignored(Name))
      continue;
    auto It = Rules.find(Name);
    if (It == Rules.end())
      return Cmp.differs(Name, fmt::format("rule `{}` is missing", Name));
    std::vector<std::string> Want, Have = It->second.Canonical;
    for (const auto &Cl : D->Clauses)
      Want.push_back(ast::toString(verify::canonicalClause(positionalClause(*Cl, Expected))));
    std::sort(Want.begin(), Want.end());
    std::sort(Have.begin(), Have.end());
    if (Want != Have)
      return Cmp.differs(Name, clauseDifference(Name, Want, Have));
  }
  // A cleared rule (no clause) derives nothing; a state cannot hold one.
  for (const auto *E : Cmp.entries(Rules))
    if (const std::string &Name = E->first;
        !Cmp.ignored(Name) && !E->second.Clauses.empty() && !Expected.derivedRelation(Name))
      return Cmp.differs(
          Name,
          fmt::format("rule `{}` exists but the state has no derived relation `{}`", Name, Name));
  return "";
}

std::string IqlCatalog::indexesDiffer(const SchemaState &Expected, const Comparison &Cmp) const {
  for (const auto *E : Cmp.entries(Expected.indexes())) {
    const auto &[Name, I] = *E;
    if (Cmp.ignored(Name))
      continue;
    auto It = Indexes.find(Name);
    std::string Want, Have;
    llvm::raw_string_ostream W(Want);
    print(*I, W);
    if (It == Indexes.end())
      return Cmp.differs(Name, fmt::format("index `{}` is missing; expected `{}`", Name, W.str()));
    llvm::raw_string_ostream H(Have);
    print(It->second, H);
    if (!(It->second == *I))
      return Cmp.differs(Name,
                         fmt::format("index is `{}` but the state has `{}`", H.str(), W.str()));
  }
  for (const auto *E : Cmp.entries(Indexes))
    if (const std::string &Name = E->first; !Cmp.ignored(Name) && !Expected.index(Name))
      return Cmp.differs(Name,
                         fmt::format("index `{}` exists but the state has no `{}`", Name, Name));
  return "";
}

std::string IqlCatalog::differenceFrom(const SchemaState &Expected,
                                       const std::set<std::string> *Ignore, std::string *Object,
                                       const std::set<std::string> *Only) const {
  Comparison Cmp{Ignore, Object, Only};
  if (std::string D = relationsDiffer(Expected, Cmp); !D.empty())
    return D;
  if (std::string D = rulesDiffer(Expected, Cmp); !D.empty())
    return D;
  return indexesDiffer(Expected, Cmp);
}
