//===- Session.cpp - Running programs the way the server does -------------===//
//
// A program is parsed whole first; one unparsable statement refuses it all
// (an error reply listing every failing statement). Then the statements run
// in order, each adding message lines, and the reply is:
//  - the result of the program's last query (`?...`, `.rule NAME`,
//    `.rel NAME`), evaluated after every other statement has run, when the
//    program has one: the messages are then dropped, as the server does;
//  - otherwise every statement's message lines, one row each.
// Rule registration and evaluation failures end the program with an error
// reply; what ran before stays applied (the server is not transactional).
//
//===----------------------------------------------------------------------===//
#include "AtomQuery.h"
#include "ChangeLog.h"
#include "ClauseConflicts.h"
#include "Evaluator.h"
#include "Explain.h"
#include "Ranking.h"
#include "ReplyOrder.h"
#include "RuleSafety.h"
#include "Store.h"
#include "UnknownCalls.h"
#include "strata/Engine/Engine.h"
#include "strata/IQL/Builtins.h"
#include "strata/IQL/Parser.h"
#include "strata/IQL/Printer.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

using namespace strata;
using namespace strata::engine;

struct Session::SessionState {
  SessionExtras Extras;
};

namespace {

std::string errorText(llvm::Error E) { return llvm::toString(std::move(E)); }

/// The query a program ends with, run once every statement has.
struct PendingQuery {
  /// Why: a body answered from the persistent rules and facts alone, a
  /// constant's column headed by its place (`_c0`); WhyNot: Fact explained.
  enum class Kind { Body, RelDescribe, Why, WhyNot } K = Kind::Body;
  std::vector<Literal> Body;
  std::string Relation;
  Atom Fact;
};

struct Outcome {
  std::vector<std::string> Messages;
  llvm::Optional<PendingQuery> Query;
  llvm::Optional<std::string> Error;
};

/// Constants of an insert, or the server's complaint about the first term
/// that is not one (the grammar allows any term there; the server does not).
/// A constant as a fact stores it. The server keeps a list of numbers as a
/// vector of 32-bit floats, so `0.1` in a stored vector reads back as
/// 0.10000000149011612 (28_docs_coverage/07, 31_lsh/04); integers in a list
/// and every scalar keep their value.
Value storedConstant(const Value &V) {
  if (V.kind() != Value::Kind::List)
    return V;
  const std::vector<Value> &Elements = V.asList();
  if (llvm::none_of(Elements, [](const Value &E) { return E.kind() == Value::Kind::Float; }))
    return V;
  // Out of a float's range the server's conversion gives an infinity.
  auto Narrow = [](double D) {
    if (std::isfinite(D) && std::fabs(D) > double(std::numeric_limits<float>::max()))
      return std::copysign(std::numeric_limits<double>::infinity(), D);
    return double(float(D));
  };
  std::vector<Value> Narrowed;
  Narrowed.reserve(Elements.size());
  for (const Value &E : Elements)
    Narrowed.push_back(E.kind() == Value::Kind::Float ? Value::real(Narrow(E.asFloat())) : E);
  return Value::list(std::move(Narrowed));
}

llvm::Expected<Tuple> constantsOf(const std::vector<Expr> &Terms) {
  auto Refuse = [](const std::string &What) {
    return DiagnosticError::make(DiagKind::IqlSyntax, llvm::SMLoc(),
                                 "Cannot insert " + What + " - use constants only");
  };
  Tuple Out;
  for (const Expr &T : Terms) {
    switch (T.K) {
    case Expr::Kind::Constant:
      Out.push_back(storedConstant(T.Constant));
      continue;
    case Expr::Kind::Variable:
      return Refuse("variable '" + T.Name + "'");
    case Expr::Kind::Wildcard:
      return Refuse("placeholder '_'");
    case Expr::Kind::Binary:
      return Refuse("arithmetic expression");
    case Expr::Kind::Call:
      return Refuse("function call");
    case Expr::Kind::Aggregate:
      return Refuse("aggregate");
    }
  }
  return Out;
}

const char *typeName(const Value &V) {
  switch (V.kind()) {
  case Value::Kind::Null:
    return "Null";
  case Value::Kind::Bool:
    return "Bool";
  case Value::Kind::Int:
    return "Int64";
  case Value::Kind::Float:
    return "Float64";
  case Value::Kind::String:
    return "String";
  case Value::Kind::List:
    return "Vector";
  }
  return "Unknown";
}

/// The first schema violation of Rows, or empty when they all fit.
std::string violation(const Schema &S, const std::vector<Tuple> &Rows) {
  for (size_t I = 0; I < Rows.size(); ++I) {
    const Tuple &T = Rows[I];
    if (T.size() != S.size())
      return "Tuple #" + std::to_string(I) + ": ARITY_MISMATCH (Expected " +
             std::to_string(S.size()) + " columns, got " + std::to_string(T.size()) + ")";
    for (size_t C = 0; C < S.size(); ++C)
      if (!S[C].Type.accepts(T[C]))
        return "Tuple #" + std::to_string(I) + ": column '" + S[C].Name +
               "' - TYPE_MISMATCH (Expected type '" + S[C].Type.text() + "', got '" +
               typeName(T[C]) + "')";
  }
  return "";
}

std::string letterName(size_t I) {
  static const char *Names[] = {"X", "Y", "Z", "W", "V", "U", "T", "S", "R", "Q"};
  return I < 10 ? Names[I] : "V" + std::to_string(I);
}

bool validGraphName(llvm::StringRef N) {
  if (N.empty() || N.size() > 128)
    return false;
  for (char C : N)
    if (!llvm::isAlnum(C) && C != '_' && C != '-')
      return false;
  return true;
}

std::string canonicalMetric(llvm::StringRef M) {
  if (std::optional<iql::IndexMetric> Metric = iql::parseIndexMetric(M))
    return iql::indexMetricName(*Metric).str();
  return "";
}

/// Runs one program's statements against a session.
class Runner {
public:
  Runner(Store &S, std::string &GraphName, SessionExtras &Extras)
      : TheStore(S), GraphName(GraphName), Extras(Extras) {}

  void run(const Statement &St, Outcome &O);
  Reply answer(const PendingQuery &Q);

private:
  Graph &graph() { return TheStore.Graphs[GraphName]; }
  void meta(const Statement &St, Outcome &O);
  void noteMeta(ChangeLog &Log, const Statement &St);
  void clearSession(Outcome &O);
  void listSession(Outcome &O);
  void dropSessionRules(const std::string &Name, Outcome &O);
  void explain(const Statement &St, Outcome &O);
  void listGraphs(Outcome &O);
  void createGraph(const std::string &Name, Outcome &O);
  void useGraph(const std::string &Name, Outcome &O);
  void dropGraph(const std::string &Name, Outcome &O);
  void listRelations(Outcome &O);
  void dropRelation(const std::string &Name, Outcome &O);
  void describeRelation(const std::string &Name, Outcome &O);
  void listRules(Outcome &O);
  void showRule(const std::string &Name, Outcome &O);
  void dropRulesWithPrefix(const std::string &Prefix, Outcome &O);
  void dropRule(const std::string &Name, Outcome &O);
  void clearRule(const std::string &Name, Outcome &O);
  void removeClause(const std::string &Name, const std::string &IndexText, Outcome &O);
  void queryRule(const std::string &Name, Outcome &O);
  void listIndexes(Outcome &O);
  void dropIndex(const std::string &Name, Outcome &O);
  void createIndex(IndexSpec Spec, Outcome &O);
  void persistentRule(const Clause &Rule, Outcome &O);
  void sessionRule(const Clause &Rule, Outcome &O);
  void sessionFact(const Atom &Fact, Outcome &O);
  void insert(const Statement &St, Outcome &O);
  void remove(const Statement &St, Outcome &O);
  void conditionalDelete(const Statement &St, Outcome &O);
  void update(const Statement &St, Outcome &O);
  /// Why applying an update's deletes and inserts would pass the facts
  /// limit of a relation (Budget.h); empty when it would not.
  std::string factLimitProblem(const Statement &St,
                               const std::vector<std::pair<size_t, Tuple>> &Deletes,
                               const std::vector<std::pair<size_t, Tuple>> &Inserts,
                               const std::set<std::string> &Emptied);
  /// Removes the rule Name from G, telling G's body index; false when G
  /// has no such rule.
  static bool eraseRule(Graph &G, const std::string &Name) {
    auto It = G.Rules.find(Name);
    if (It == G.Rules.end())
      return false;
    G.BodyIndex.removed(It->second);
    G.Rules.erase(It);
    return true;
  }
  void switchTo(const std::string &Name) {
    GraphName = Name;
    Extras = SessionExtras(); // the session's rules and facts belong to its graph
  }

  Store &TheStore;
  std::string &GraphName;
  SessionExtras &Extras;
};

void Runner::run(const Statement &St, Outcome &O) {
  // The server fails to parse a call of a function it does not know, so
  // nothing else about the statement is checked or done.
  if (const Expr *Call = firstUnknownCall(St)) {
    O.Error = unknownCallMessage(*Call);
    return;
  }
  Graph &G = graph();
  if (ChangeLog *Log = TheStore.changes()) {
    // Definitions change only here: by a meta command, the one rule a
    // rule statement names, or the one relation a schema declaration
    // names. (Other statements change only facts, or make a relation hold
    // a new fact set, which the log sees by itself.)
    if (St.K == Statement::Kind::Meta)
      noteMeta(*Log, St);
    else if (St.K == Statement::Kind::SchemaDecl)
      Log->noteRelation(GraphName, St.Relation);
    else if (St.K == Statement::Kind::PersistentRule)
      Log->noteRule(GraphName, St.Rule.Head.Relation);
    else if (St.K == Statement::Kind::DropRule)
      Log->noteRule(GraphName, St.Relation);
  }
  switch (St.K) {
  case Statement::Kind::Meta:
    return meta(St, O);
  case Statement::Kind::Query: {
    PendingQuery Q;
    Q.Body = St.Body;
    O.Query = std::move(Q);
    return;
  }
  case Statement::Kind::SchemaDecl: {
    BaseRelation &R = G.Relations[St.Relation];
    R.Columns = St.Columns;
    O.Messages.push_back("Schema for '" + St.Relation + "' registered with " +
                         std::to_string(St.Columns.size()) + " columns (persistent)");
    return;
  }
  case Statement::Kind::Insert:
    return insert(St, O);
  case Statement::Kind::Delete:
    return remove(St, O);
  case Statement::Kind::DropRule:
    if (eraseRule(G, St.Relation))
      O.Messages.push_back("Rule '" + St.Relation + "' dropped.");
    else
      O.Messages.push_back("'" + St.Relation + "' not found as rule.");
    return;
  case Statement::Kind::ConditionalDelete:
    return conditionalDelete(St, O);
  case Statement::Kind::Update:
    return update(St, O);
  case Statement::Kind::PersistentRule:
    return persistentRule(St.Rule, O);
  case Statement::Kind::SessionRule:
    return sessionRule(St.Rule, O);
  case Statement::Kind::SessionFact:
    return sessionFact(St.Rule.Head, O);
  case Statement::Kind::TypeDecl:
    O.Messages.push_back("Type '" + St.Relation + "' declared.");
    return;
  }
}

void Runner::persistentRule(const Clause &Rule, Outcome &O) {
  Graph &G = graph();
  const std::string &Head = Rule.Head.Relation;
  std::vector<const Clause *> Existing;
  if (auto It = G.Rules.find(Head); It != G.Rules.end())
    for (const Clause &C : It->second)
      Existing.push_back(&C);
  if (std::string Why = unsafeHeadMessage(Rule); !Why.empty()) {
    O.Error = "Failed to register rule: " + Why;
    return;
  }
  if (std::string Why = clauseConflict(Existing, Rule, false); !Why.empty()) {
    O.Error = "Failed to register rule: " + Why;
    return;
  }
  if (llvm::Error E = Evaluator::validateRule(G, Rule, Extras.Rules)) {
    O.Error = "Failed to register rule '" + Head + "': " + errorText(std::move(E));
    return;
  }
  // The same clause again is registered once (14_aggregations/151, 152).
  std::vector<Clause> &Clauses = G.Rules[Head];
  if (llvm::none_of(Clauses, [&](const Clause &C) { return iql::sameTree(C, Rule); })) {
    Clauses.push_back(Rule);
    G.BodyIndex.added(Rule);
  }
  O.Messages.push_back("Rule '" + Head + "' registered.");
}

void Runner::sessionRule(const Clause &Rule, Outcome &O) {
  const std::string &Head = Rule.Head.Relation;
  if (llvm::StringRef(Head).startswith("__")) {
    O.Error =
        "Session rule '" + Head + "' uses reserved '__' prefix. Choose a different relation name.";
    return;
  }
  std::vector<const Clause *> Existing;
  for (const Clause &C : Extras.Rules)
    if (C.Head.Relation == Head)
      Existing.push_back(&C);
  if (std::string Why = unsafeHeadMessage(Rule); !Why.empty()) {
    O.Error = Why;
    return;
  }
  if (std::string Why = clauseConflict(Existing, Rule, true); !Why.empty()) {
    O.Error = Why;
    return;
  }
  if (llvm::Error E = Evaluator::validateRule(graph(), Rule, Extras.Rules)) {
    O.Error = errorText(std::move(E));
    return;
  }
  Extras.Rules.push_back(Rule);
  O.Messages.push_back("Session rule added for '" + Head + "'.");
}

void Runner::sessionFact(const Atom &Fact, Outcome &O) {
  if (Fact.Args.empty()) {
    O.Messages.push_back("Fact must have at least one argument");
    return;
  }
  llvm::Expected<Tuple> T = constantsOf(Fact.Args);
  if (!T) {
    // The server's session-fact path fails with an error, not a message.
    O.Error = errorText(T.takeError());
    return;
  }
  Extras.Facts[Fact.Relation].insert(std::move(*T));
  O.Messages.push_back("Session fact added for '" + Fact.Relation + "'. (Use +" + Fact.Relation +
                       "(...) to persist)");
}

void Runner::insert(const Statement &St, Outcome &O) {
  std::vector<Tuple> Rows;
  for (const std::vector<Expr> &Terms : St.Rows) {
    if (Terms.empty())
      continue; // the server skips empty tuples
    llvm::Expected<Tuple> T = constantsOf(Terms);
    if (!T) {
      O.Messages.push_back(errorText(T.takeError()));
      return;
    }
    Rows.push_back(std::move(*T));
  }
  Graph &G = graph();
  auto It = G.Relations.find(St.Relation);
  if (It != G.Relations.end() && It->second.Columns) {
    std::string Why = violation(*It->second.Columns, Rows);
    if (!Why.empty()) {
      O.Messages.push_back("Insert rejected for '" + St.Relation + "': batch of " +
                           std::to_string(Rows.size()) + " tuples violated constraints: " + Why);
      return;
    }
  }
  BaseRelation &R = G.Relations[St.Relation];
  std::vector<const Tuple *> Added;
  for (const Tuple &T : Rows)
    Added.push_back(&T);
  uint64_t Limit = evaluationLimits().RelationFacts;
  if (passesFactLimit(R.Tuples, {}, Added, Limit)) {
    O.Error = relationFactsExceeded(St.Relation, Limit);
    return;
  }
  size_t Inserted = 0;
  for (Tuple &T : Rows)
    Inserted += R.Tuples.insert(std::move(T), TheStore.changes());
  O.Messages.push_back("Inserted " + std::to_string(Inserted) + " fact(s) into '" + St.Relation +
                       "'.");
}

void Runner::remove(const Statement &St, Outcome &O) {
  Graph &G = graph();
  auto It = G.Relations.find(St.Relation);
  size_t Deleted = 0;
  for (const std::vector<Expr> &Terms : St.Rows) {
    llvm::Expected<Tuple> T = constantsOf(Terms);
    if (!T) {
      std::string Why = errorText(T.takeError());
      if (St.Bulk)
        continue; // the server skips a bulk row it cannot read
      O.Messages.push_back("Delete error: " + Why);
      return;
    }
    if (It != G.Relations.end())
      Deleted += It->second.Tuples.erase(*T, TheStore.changes());
  }
  if (St.Bulk)
    O.Messages.push_back("Deleted " + std::to_string(Deleted) + " fact(s) from '" + St.Relation +
                         "'.");
  else
    O.Messages.push_back("Deleted " + std::to_string(Deleted) + " facts from '" + St.Relation +
                         "'.");
}

/// The tuple Head describes under one solution, or None when a head
/// variable is not bound by the body.
llvm::Optional<Tuple> instantiate(const Atom &Head, const std::vector<std::string> &Vars,
                                  const std::vector<Value> &Vals) {
  Tuple T;
  T.reserve(Head.Args.size()); // one allocation per fact, not one per column
  for (const Expr &A : Head.Args) {
    if (A.isVariable()) {
      auto It = std::find(Vars.begin(), Vars.end(), A.Name);
      if (It == Vars.end())
        return llvm::None;
      T.push_back(Vals[size_t(It - Vars.begin())]);
    } else if (A.K == Expr::Kind::Constant) {
      T.push_back(A.Constant);
    } else {
      return llvm::None;
    }
  }
  return T;
}

void Runner::conditionalDelete(const Statement &St, Outcome &O) {
  // The target atom joins the body, so that only facts of the relation
  // that also satisfy the body are deleted.
  std::vector<Literal> Body;
  Literal Target;
  Target.A = St.Rule.Head;
  Body.push_back(Target);
  Body.insert(Body.end(), St.Rule.Body.begin(), St.Rule.Body.end());
  std::vector<Tuple> Doomed;
  {
    Evaluator Ev(graph());
    std::vector<std::string> Vars;
    llvm::Error E = Ev.solve(Body, Vars, [&](const std::vector<Value> &Vals) {
      if (llvm::Optional<Tuple> T = instantiate(St.Rule.Head, Vars, Vals))
        Doomed.push_back(std::move(*T));
    });
    if (E) {
      O.Error = errorText(std::move(E));
      return;
    }
  }
  size_t Deleted = 0;
  auto It = graph().Relations.find(St.Relation);
  if (It != graph().Relations.end())
    for (const Tuple &T : Doomed)
      Deleted += It->second.Tuples.erase(T, TheStore.changes());
  O.Messages.push_back("Conditional delete: " + std::to_string(Deleted) +
                       " fact(s) deleted from '" + St.Relation + "'.");
}

/// Whether delete target I of update St removes every fact of its
/// relation: the body is that relation's atom alone, with distinct
/// variables, and the target is the same atom (`-n(X, Y) <- n(X, Y)`, the
/// source of a move). Its facts need not then be listed and erased one by
/// one.
static bool deletesEveryFact(const Statement &St, size_t I) {
  const auto &[Insert, Target] = St.Targets[I];
  if (Insert || St.Body.size() != 1 || St.Body[0].K != Literal::Kind::Positive)
    return false;
  const Atom &Source = St.Body[0].A;
  if (Source.Relation != Target.Relation || Source.Args.size() != Target.Args.size())
    return false;
  std::set<std::string> Seen;
  for (size_t J = 0; J < Source.Args.size(); ++J) {
    const Expr &A = Source.Args[J], &B = Target.Args[J];
    if (!A.isVariable() || !B.isVariable() || A.Name != B.Name || A.Name == "_" ||
        !Seen.insert(A.Name).second)
      return false;
  }
  return true;
}

void Runner::update(const Statement &St, Outcome &O) {
  // One evaluation of the body against the state before, then every
  // delete, then every insert. A target that deletes every fact of its
  // relation empties it at once instead.
  std::vector<std::pair<size_t, Tuple>> Deletes, Inserts;
  std::vector<bool> Emptying(St.Targets.size());
  std::set<std::string> Emptied;
  for (size_t I = 0; I < St.Targets.size(); ++I)
    if ((Emptying[I] = deletesEveryFact(St, I)))
      Emptied.insert(St.Targets[I].second.Relation);
  {
    Evaluator Ev(graph());
    std::vector<std::string> Vars;
    llvm::Error E = Ev.solve(St.Body, Vars, [&](const std::vector<Value> &Vals) {
      for (size_t I = 0; I < St.Targets.size(); ++I)
        if (!Emptying[I])
          if (llvm::Optional<Tuple> T = instantiate(St.Targets[I].second, Vars, Vals))
            (St.Targets[I].first ? Inserts : Deletes).emplace_back(I, std::move(*T));
    });
    if (E) {
      O.Error = errorText(std::move(E));
      return;
    }
  }
  Graph &G = graph();
  if (std::string Why = factLimitProblem(St, Deletes, Inserts, Emptied); !Why.empty()) {
    O.Error = Why;
    return;
  }
  size_t Deleted = 0, Inserted = 0;
  for (const std::string &Name : Emptied) {
    auto It = G.Relations.find(Name);
    if (It == G.Relations.end())
      continue;
    Deleted += It->second.Tuples.size();
    // A fresh set (a new identity): the change log writes the relation
    // whole, that is empty, rather than one removal per fact.
    It->second.Tuples = FactSet();
  }
  for (const auto &D : Deletes) {
    auto It = G.Relations.find(St.Targets[D.first].second.Relation);
    if (It != G.Relations.end())
      Deleted += It->second.Tuples.erase(D.second, TheStore.changes());
  }
  // A move into an empty relation inserts every fact at once: room for
  // them first, rather than a rehash each time the set doubles.
  std::map<size_t, size_t> PerTarget;
  for (const auto &I : Inserts)
    ++PerTarget[I.first];
  for (const auto &[Target, N] : PerTarget) {
    FactSet &Facts = G.Relations[St.Targets[Target].second.Relation].Tuples;
    Facts.reserve(Facts.size() + N);
  }
  for (auto &I : Inserts)
    Inserted += G.Relations[St.Targets[I.first].second.Relation].Tuples.insert(std::move(I.second),
                                                                               TheStore.changes());
  O.Messages.push_back("Update: " + std::to_string(Deleted) + " deleted, " +
                       std::to_string(Inserted) + " inserted.");
}

std::string Runner::factLimitProblem(const Statement &St,
                                     const std::vector<std::pair<size_t, Tuple>> &Deletes,
                                     const std::vector<std::pair<size_t, Tuple>> &Inserts,
                                     const std::set<std::string> &Emptied) {
  uint64_t Limit = evaluationLimits().RelationFacts;
  std::map<std::string, size_t> Counts;
  for (const auto &I : Inserts)
    ++Counts[St.Targets[I.first].second.Relation];
  static const TupleSet None;
  for (const auto &[Name, Count] : Counts) {
    // An emptied relation keeps only what is inserted into it.
    const TupleSet &Existing = Emptied.count(Name) ? None : graph().Relations[Name].Tuples.set();
    if (Existing.size() + Count <= Limit)
      continue;
    std::vector<const Tuple *> Gone, Added;
    for (const auto &D : Deletes)
      if (St.Targets[D.first].second.Relation == Name)
        Gone.push_back(&D.second);
    for (const auto &I : Inserts)
      if (St.Targets[I.first].second.Relation == Name)
        Added.push_back(&I.second);
    if (passesFactLimit(Existing, Gone, Added, Limit))
      return relationFactsExceeded(Name, Limit);
  }
  return "";
}

void Runner::clearSession(Outcome &O) {
  size_t Facts = 0;
  for (const auto &R : Extras.Facts)
    Facts += R.second.size();
  O.Messages.push_back("Cleared " + std::to_string(Facts) + " session fact(s), " +
                       std::to_string(Extras.Rules.size()) + " session rule(s).");
  Extras = SessionExtras();
}

/// `.session`: the session's facts (each tuple printed inside the atom's
/// own parentheses, `human(("socrates"))`, as the server does), then its
/// rules, numbered in the order they were added.
void Runner::listSession(Outcome &O) {
  size_t Facts = 0;
  for (const auto &R : Extras.Facts)
    Facts += R.second.size();
  if (!Facts && Extras.Rules.empty()) {
    O.Messages.push_back("No session data defined.");
    return;
  }
  std::vector<std::string> Lines;
  if (Facts) {
    Lines.push_back("Session facts (" + std::to_string(Facts) + "):");
    for (const auto &R : Extras.Facts)
      for (const Tuple &T : sortedTuples(R.second)) {
        std::string Row;
        for (const Value &V : T)
          Row += (Row.empty() ? "" : ", ") + V.literal();
        Lines.push_back("  " + R.first + "((" + Row + "))");
      }
  }
  if (!Extras.Rules.empty()) {
    Lines.push_back("Session rules (" + std::to_string(Extras.Rules.size()) + "):");
    for (size_t I = 0; I < Extras.Rules.size(); ++I)
      Lines.push_back("  " + std::to_string(I + 1) + ". " + iql::printClause(Extras.Rules[I]));
  }
  O.Messages.push_back(llvm::join(Lines, "\n"));
}

/// `.session drop NAME`: the session's rules for NAME (its facts stay).
void Runner::dropSessionRules(const std::string &Name, Outcome &O) {
  size_t Before = Extras.Rules.size();
  llvm::erase_if(Extras.Rules, [&](const Clause &C) { return C.Head.Relation == Name; });
  size_t Dropped = Before - Extras.Rules.size();
  if (Dropped)
    O.Messages.push_back("Dropped " + std::to_string(Dropped) + " session rule(s) for '" + Name +
                         "'.");
  else
    O.Messages.push_back("No session rules found for relation '" + Name + "'.");
}

/// `.why ?QUERY` and `.why_not rel(values)`: the words after the command
/// are a statement of their own.
void Runner::explain(const Statement &St, Outcome &O) {
  bool Why = St.Command == iql::MetaCommandId::Why;
  const char *Usage = Why ? "Usage: .why <query>" : "Usage: .why_not <relation>(<values>)";
  llvm::StringRef Rest = llvm::StringRef(St.Text).drop_front(1 + St.Words[0].size()).trim();
  llvm::Expected<Statement> Inner = iql::parseStatement(Rest);
  if (!Inner) {
    O.Error = "Parse error: " + errorText(Inner.takeError());
    return;
  }
  auto Expected = Why ? Statement::Kind::Query : Statement::Kind::SessionFact;
  if (Inner->K != Expected) {
    O.Error = std::string("Parse error: ") + Usage;
    return;
  }
  PendingQuery Q;
  Q.K = Why ? PendingQuery::Kind::Why : PendingQuery::Kind::WhyNot;
  Q.Body = std::move(Inner->Body);
  Q.Fact = std::move(Inner->Rule.Head);
  O.Query = std::move(Q);
}

/// Tells Log which definitions the meta command St may change: none when
/// it only reads (the post-conditions list the catalog after every
/// migration) or only switches graphs (`strata exec` starts with one), the
/// one rule it names, the indexes, or else any of them.
void Runner::noteMeta(ChangeLog &Log, const Statement &St) {
  using Id = iql::MetaCommandId;
  switch (St.Command) {
  case Id::KgCurrent:
  case Id::KgList:
  case Id::KgUse:
  case Id::RelList:
  case Id::RelDescribe:
  case Id::RuleListAll:
  case Id::RuleList:
  case Id::RuleDef:
  case Id::RuleQuery:
  case Id::IndexList:
  case Id::SessionList:
  case Id::Why:
  case Id::WhyNot:
  case Id::Status:
    return;
  case Id::RuleClear:
  case Id::RuleDrop:
  case Id::RuleRemove:
    return Log.noteRule(GraphName, St.Words[2]);
  case Id::RelDrop: // the relation's same-name rule, and its indexes
    Log.noteRule(GraphName, St.Words[2]);
    return Log.noteIndexes();
  case Id::IndexCreate:
  case Id::IndexDrop:
    return Log.noteIndexes();
  default:
    return Log.noteDefinitions();
  }
}

void Runner::meta(const Statement &St, Outcome &O) {
  const std::vector<std::string> &W = St.Words;
  using Id = iql::MetaCommandId;
  switch (St.Command) {
  case Id::KgCurrent:
    O.Messages.push_back("Current knowledge graph: " + GraphName);
    return;
  case Id::KgList:
    return listGraphs(O);
  case Id::KgCreate:
    return createGraph(W[2], O);
  case Id::KgUse:
    return useGraph(W[2], O);
  case Id::KgDrop:
    return dropGraph(W[2], O);
  case Id::RelList:
    return listRelations(O);
  case Id::RelDrop:
    return dropRelation(W[2], O);
  case Id::RelDescribe:
    return describeRelation(W[1], O);
  case Id::RuleListAll:
  case Id::RuleList:
    return listRules(O);
  case Id::RuleEdit:
    O.Messages.push_back("Rule editing is not supported in server mode.");
    return;
  case Id::RuleDef:
    return showRule(W[2], O);
  case Id::RuleClear:
    return clearRule(W[2], O);
  case Id::RuleDropPrefix:
    return dropRulesWithPrefix(W[3], O);
  case Id::RuleDrop:
    return dropRule(W[2], O);
  case Id::RuleRemove:
    return removeClause(W[2], W[3], O);
  case Id::RuleQuery:
    return queryRule(W[1], O);
  case Id::IndexList:
    return listIndexes(O);
  case Id::IndexDrop:
    return dropIndex(W[2], O);
  case Id::IndexCreate:
    return createIndex(St.Index, O);
  case Id::SessionList:
    return listSession(O);
  case Id::SessionClear:
    return clearSession(O);
  case Id::SessionDrop:
    return dropSessionRules(W[2], O);
  case Id::Why:
  case Id::WhyNot:
    return explain(St, O);
  case Id::Status:
    O.Messages.push_back("Server Status");
    O.Messages.push_back("  Health: healthy");
    O.Messages.push_back("  Knowledge graphs: " + std::to_string(TheStore.Graphs.size()));
    return;
  case Id::Compact:
    O.Messages.push_back("Compaction complete.");
    return;
  case Id::Load:
  case Id::Help:
  case Id::Quit:
  case Id::Exit:
  case Id::None:
    break;
  }
  O.Messages.push_back("This command is client-only and not available via server API.");
}

void Runner::listGraphs(Outcome &O) {
  O.Messages.push_back("Knowledge Graphs:");
  for (const auto &G : TheStore.Graphs)
    O.Messages.push_back("  " + G.first + (G.first == GraphName ? " *" : ""));
}

void Runner::createGraph(const std::string &Name, Outcome &O) {
  if (!validGraphName(Name)) {
    O.Messages.push_back("Create failed: Invalid knowledge graph name '" + Name + "'");
    return;
  }
  if (TheStore.Graphs.count(Name)) {
    O.Messages.push_back("Create failed: Knowledge graph '" + Name + "' already exists");
    return;
  }
  TheStore.Graphs[Name];
  O.Messages.push_back("Knowledge graph '" + Name + "' created.");
  O.Messages.push_back("Switched to knowledge graph: " + Name);
  switchTo(Name);
}

void Runner::useGraph(const std::string &Name, Outcome &O) {
  if (!TheStore.Graphs.count(Name)) {
    // The server's wording (01_knowledge_graph/01).
    O.Messages.push_back("Knowledge graph '" + Name +
                         "' not found: Knowledge graph not found: " + Name);
    return;
  }
  O.Messages.push_back("Switched to knowledge graph: " + Name);
  switchTo(Name);
}

void Runner::dropGraph(const std::string &Name, Outcome &O) {
  if (Name == GraphName) {
    O.Messages.push_back("Cannot drop current knowledge graph. Switch to another first.");
    return;
  }
  if (Name == "default") {
    O.Messages.push_back("Drop failed: Cannot drop the default knowledge graph");
    return;
  }
  if (!TheStore.Graphs.erase(Name)) {
    O.Messages.push_back("Drop failed: Knowledge graph '" + Name + "' not found");
    return;
  }
  O.Messages.push_back("Knowledge graph '" + Name + "' dropped.");
}

/// The `.rel` line of relation Name.
std::string relationListing(const std::string &Name, const BaseRelation &R) {
  std::string Line = "  " + Name + " (arity: ";
  if (R.Columns) {
    Line += std::to_string(R.Columns->size()) + ", columns: [";
    for (size_t I = 0; I < R.Columns->size(); ++I)
      Line += (I ? ", " : "") + (*R.Columns)[I].Name + ": " + (*R.Columns)[I].Type.text();
    Line += "]";
  } else {
    Line += std::to_string(R.Tuples.empty() ? 0 : R.Tuples.begin()->size());
  }
  return Line + ", tuples: " + std::to_string(R.Tuples.size()) + ")";
}

/// The `.rule list` line of rule Name.
std::string ruleListing(const std::string &Name, const std::vector<Clause> &Clauses) {
  return "  " + Name + " (" + std::to_string(Clauses.size()) + " clause(s))";
}

/// The `.index list` line of index I of G.
std::string indexListing(const Graph &G, const IndexSpec &I) {
  auto R = G.Relations.find(I.Relation);
  size_t N = R == G.Relations.end() ? 0 : R->second.Tuples.size();
  return "Index '" + I.Name + "' on " + I.Relation + "." + I.Column + " (type: " + I.Type +
         ", metric: " + I.Metric + ", vectors: " + std::to_string(N) + ", valid: true)";
}

void Runner::listRelations(Outcome &O) {
  Graph &G = graph();
  if (G.Relations.empty()) {
    O.Messages.push_back("No relations in current knowledge graph.");
    return;
  }
  O.Messages.push_back("Relations:");
  for (const auto &Entry : G.Relations)
    O.Messages.push_back(relationListing(Entry.first, Entry.second));
}

void Runner::dropRelation(const std::string &Name, Outcome &O) {
  Graph &G = graph();
  bool Had = G.Relations.erase(Name) > 0;
  Had |= eraseRule(G, Name); // the server drops a same-name rule too
  for (auto It = G.Indexes.begin(); It != G.Indexes.end();)
    if (It->second.Relation == Name)
      It = G.Indexes.erase(It);
    else
      ++It;
  O.Messages.push_back(Had ? "Relation '" + Name + "' dropped."
                           : "Relation '" + Name + "' not found.");
}

void Runner::describeRelation(const std::string &Name, Outcome &O) {
  if (!graph().Relations.count(Name)) {
    O.Messages.push_back("Relation '" + Name + "' not found.");
    return;
  }
  PendingQuery Q;
  Q.K = PendingQuery::Kind::RelDescribe;
  Q.Relation = Name;
  O.Query = std::move(Q);
}

void Runner::listRules(Outcome &O) {
  Graph &G = graph();
  if (G.Rules.empty()) {
    O.Messages.push_back("No rules defined.");
    return;
  }
  O.Messages.push_back("Rules:");
  for (const auto &R : G.Rules)
    O.Messages.push_back(ruleListing(R.first, R.second));
}

void Runner::showRule(const std::string &Name, Outcome &O) {
  Graph &G = graph();
  auto It = G.Rules.find(Name);
  if (It == G.Rules.end()) {
    O.Messages.push_back("Rule '" + Name + "' not found.");
    return;
  }
  std::string Text = "Rule: " + Name + "\nClauses:\n";
  for (size_t I = 0; I < It->second.size(); ++I)
    Text += "  " + std::to_string(I + 1) + ". " + iql::printClause(It->second[I]) + "\n";
  O.Messages.push_back(Text);
}

void Runner::dropRulesWithPrefix(const std::string &Prefix, Outcome &O) {
  Graph &G = graph();
  std::vector<std::string> Dropped;
  for (auto It = G.Rules.begin(); It != G.Rules.end();)
    if (llvm::StringRef(It->first).startswith(Prefix)) {
      Dropped.push_back(It->first);
      G.BodyIndex.removed(It->second);
      It = G.Rules.erase(It);
    } else {
      ++It;
    }
  if (Dropped.empty())
    O.Messages.push_back("No rules matching prefix '" + Prefix + "'.");
  else
    O.Messages.push_back("Dropped " + std::to_string(Dropped.size()) + " rule(s) with prefix '" +
                         Prefix + "': " + llvm::join(Dropped, ", "));
}

void Runner::dropRule(const std::string &Name, Outcome &O) {
  if (eraseRule(graph(), Name))
    O.Messages.push_back("Rule '" + Name + "' dropped.");
  else
    O.Messages.push_back("Rule '" + Name + "' not found: Failed to drop rule: Rule '" + Name +
                         "' does not exist");
}

void Runner::clearRule(const std::string &Name, Outcome &O) {
  Graph &G = graph();
  auto It = G.Rules.find(Name);
  if (It == G.Rules.end()) {
    O.Messages.push_back("Error: Failed to clear rule: Rule '" + Name + "' does not exist");
    return;
  }
  G.BodyIndex.removed(It->second);
  It->second.clear();
  O.Messages.push_back("Rule '" + Name + "' cleared.");
}

/// `.rule remove NAME INDEX`: INDEX counts clauses from 1; the parser has
/// checked that it is a number.
void Runner::removeClause(const std::string &Name, const std::string &IndexText, Outcome &O) {
  Graph &G = graph();
  auto It = G.Rules.find(Name);
  if (It == G.Rules.end()) {
    O.Messages.push_back("Error: Failed to remove rule clause: Rule '" + Name + "' does not exist");
    return;
  }
  unsigned long long Index = 0;
  llvm::getAsUnsignedInteger(IndexText, 10, Index);
  if (Index < 1 || Index > It->second.size()) {
    O.Messages.push_back("Error: Failed to remove rule clause: Clause index " + IndexText +
                         " out of bounds. Rule '" + Name + "' has " +
                         std::to_string(It->second.size()) + " clause(s).");
    return;
  }
  G.BodyIndex.removed(It->second[Index - 1]);
  It->second.erase(It->second.begin() + long(Index - 1));
  if (It->second.empty()) {
    G.Rules.erase(It);
    O.Messages.push_back("Rule '" + Name + "' deleted (last clause removed).");
  } else {
    O.Messages.push_back("Clause " + IndexText + " removed from rule '" + Name + "'.");
  }
}

/// `.rule NAME`: the rule's facts, queried with generated variables.
void Runner::queryRule(const std::string &Name, Outcome &O) {
  Graph &G = graph();
  size_t Arity = 2;
  auto It = G.Rules.find(Name);
  if (It != G.Rules.end() && !It->second.empty())
    Arity = headColumns(It->second[0].Head);
  PendingQuery Q;
  Literal L;
  L.A.Relation = Name;
  for (size_t I = 0; I < Arity; ++I) {
    Expr V;
    V.K = Expr::Kind::Variable;
    V.Name = V.Text = letterName(I);
    L.A.Args.push_back(V);
  }
  Q.Body.push_back(L);
  O.Query = std::move(Q);
}

void Runner::listIndexes(Outcome &O) {
  Graph &G = graph();
  if (G.Indexes.empty()) {
    O.Messages.push_back("No indexes.");
    return;
  }
  for (const auto &Entry : G.Indexes)
    O.Messages.push_back(indexListing(G, Entry.second));
}

void Runner::dropIndex(const std::string &Name, Outcome &O) {
  if (!graph().Indexes.erase(Name))
    O.Messages.push_back("Index error: Index '" + Name + "' not found");
  else
    O.Messages.push_back("Index '" + Name + "' dropped.");
}

void Runner::createIndex(IndexSpec Spec, Outcome &O) {
  Graph &G = graph();
  auto Fail = [&](const std::string &Why) { O.Messages.push_back("Index error: " + Why); };
  if (G.Indexes.count(Spec.Name))
    return Fail("Index '" + Spec.Name + "' already exists");
  auto R = G.Relations.find(Spec.Relation);
  if (R == G.Relations.end() || !R->second.Columns)
    return Fail("No schema found for relation '" + Spec.Relation + "'. Register a schema first.");
  const Schema &S = *R->second.Columns;
  auto Col = llvm::find_if(S, [&](const Column &C) { return C.Name == Spec.Column; });
  if (Col == S.end()) {
    std::string Names;
    for (const Column &C : S)
      Names += (Names.empty() ? "\"" : ", \"") + C.Name + "\"";
    return Fail("Column '" + Spec.Column + "' not found in relation '" + Spec.Relation +
                "'. Available: [" + Names + "]");
  }
  if (Col->Type.K != ColumnType::Kind::Vector)
    return Fail("Column '" + Spec.Column + "' of relation '" + Spec.Relation +
                "' is not a vector column");
  if (Spec.Type != "hnsw")
    return Fail("Unsupported index type '" + Spec.Type + "'. Currently only 'hnsw' is supported.");
  std::string Metric = canonicalMetric(Spec.Metric);
  if (Metric.empty())
    return Fail("Invalid metric: Unknown distance metric '" + Spec.Metric +
                "' (use cosine, euclidean, dot_product or manhattan)");
  Spec.Metric = Metric;
  if (Spec.M < 2 || Spec.M > 256)
    return Fail("m must be between 2 and 256, got " + std::to_string(Spec.M));
  if (Spec.EfConstruction < 1 || Spec.EfConstruction > 100000)
    return Fail("ef_construction must be between 1 and 100000, got " +
                std::to_string(Spec.EfConstruction));
  if (Spec.EfSearch < 1 || Spec.EfSearch > 100000)
    return Fail("ef_search must be between 1 and 100000, got " + std::to_string(Spec.EfSearch));
  G.Indexes[Spec.Name] = Spec;
  O.Messages.push_back("Index '" + Spec.Name + "' created on " + Spec.Relation + "." + Spec.Column +
                       " (" + std::to_string(R->second.Tuples.size()) + " vectors).");
}

/// T's values as a reply row.
std::vector<Cell> cellsOf(const Tuple &T) {
  std::vector<Cell> Row;
  Row.reserve(T.size());
  for (const Value &V : T)
    Row.push_back(V.toCell());
  return Row;
}

/// Rows, sorted and distinct, then in the order and window Order asks
/// for (ColumnVars: the variable of each column, as applyReplyOrder reads).
Reply rowsReply(std::vector<std::string> Columns, std::vector<Tuple> Rows,
                const ReplyOrder &Order = ReplyOrder(),
                const std::vector<std::string> &ColumnVars = {}) {
  // Rows read from a relation often come in order already (a state file
  // stores facts sorted, a chain derives them so): checking costs one
  // comparison a row, sorting a dozen.
  if (!std::is_sorted(Rows.begin(), Rows.end(), tupleLess))
    std::sort(Rows.begin(), Rows.end(), tupleLess);
  Rows.erase(std::unique(Rows.begin(), Rows.end()), Rows.end());
  applyReplyOrder(Order, ColumnVars, Rows);
  Reply R;
  R.Columns = std::move(Columns);
  R.Rows.reserve(Rows.size());
  for (const Tuple &T : Rows)
    R.Rows.push_back(cellsOf(T));
  return R;
}

/// Rows, distinct facts of one relation, sorted and then in the order and
/// window Order asks for. Without an order or window the facts are sorted
/// and converted where they are, never copied.
Reply rowsReply(std::vector<std::string> Columns, std::vector<const Tuple *> Rows,
                const ReplyOrder &Order, const std::vector<std::string> &ColumnVars) {
  if (!Order.Keys.empty() || Order.Limit || Order.Offset) {
    std::vector<Tuple> Copies;
    Copies.reserve(Rows.size());
    for (const Tuple *T : Rows)
      Copies.push_back(*T);
    return rowsReply(std::move(Columns), std::move(Copies), Order, ColumnVars);
  }
  iql::sortTupleRefs(Rows);
  Reply R;
  R.Columns = std::move(Columns);
  R.Rows.reserve(Rows.size());
  for (const Tuple *T : Rows)
    R.Rows.push_back(cellsOf(*T));
  return R;
}

/// A query of several literals, shaped as the server shapes it: when it
/// starts with an atom, that atom's every argument is a column (a
/// constant shows its value, a wildcard the value it matched: 07_filters/31,
/// 80_sip/05), followed by the body's other variables; else the body's
/// variables. A wildcard in a positive atom stands for a variable named by
/// its relation and argument position, so `a(_, X), a(_, Y)` joins the
/// first columns of two a facts, as the server's rules do (Evaluator.cpp).
Reply bodyReply(Evaluator &Ev, std::vector<Literal> Body, const ReplyOrder &Order) {
  auto Hidden = [](const Atom &A, size_t I) {
    return "\x01" + A.Relation + "_" + std::to_string(I);
  };
  for (Literal &L : Body)
    if (L.K == Literal::Kind::Positive && !iql::isIndexSearch(L.A.Relation))
      for (size_t I = 0; I < L.A.Args.size(); ++I)
        if (L.A.Args[I].K == Expr::Kind::Wildcard) {
          L.A.Args[I].K = Expr::Kind::Variable;
          L.A.Args[I].Name = Hidden(L.A, I);
        }
  std::vector<std::string> Vars;
  std::vector<Tuple> Solutions;
  if (llvm::Error E =
          Ev.solve(Body, Vars, [&](const std::vector<Value> &Vals) { Solutions.push_back(Vals); }))
    return Reply::error(errorText(std::move(E)));
  // Each column: a variable's slot in Vars, or a constant.
  std::vector<std::string> Columns, ColumnVars;
  std::vector<std::pair<int, Value>> Sources;
  auto AddVar = [&](const std::string &Header, const std::string &Name) {
    Columns.push_back(Header);
    ColumnVars.push_back(Name);
    Sources.emplace_back(int(llvm::find(Vars, Name) - Vars.begin()), Value());
  };
  std::set<std::string> Shown;
  if (Body[0].K == Literal::Kind::Positive && !iql::isIndexSearch(Body[0].A.Relation)) {
    for (const Expr &A : Body[0].A.Args) {
      if (A.isVariable()) {
        AddVar(llvm::StringRef(A.Name).startswith("\x01") ? "_" : A.Name, A.Name);
        Shown.insert(A.Name);
        continue;
      }
      llvm::Expected<Value> V = evaluateGround(A);
      if (!V)
        return Reply::error(errorText(V.takeError()));
      Columns.push_back(columnName(A));
      ColumnVars.push_back("");
      Sources.emplace_back(-1, std::move(*V));
    }
  }
  for (const std::string &V : Vars)
    if (!Shown.count(V) && !llvm::StringRef(V).startswith("\x01"))
      AddVar(V, V);
  std::vector<Tuple> Rows;
  for (const Tuple &S : Solutions) {
    Tuple Row;
    for (const auto &[Slot, Constant] : Sources)
      Row.push_back(Slot >= 0 ? S[size_t(Slot)] : Constant);
    Rows.push_back(std::move(Row));
  }
  return rowsReply(Columns, std::move(Rows), Order, ColumnVars);
}

/// `.rel NAME`: every fact, headed by the schema's names or by letters.
Reply describeReply(const BaseRelation &R) {
  std::vector<std::string> Columns;
  size_t Arity = R.Columns ? R.Columns->size() : (R.Tuples.empty() ? 0 : R.Tuples.begin()->size());
  for (size_t I = 0; I < Arity; ++I)
    Columns.push_back(R.Columns ? (*R.Columns)[I].Name
                                : std::string(1, char('A' + I % 26)) +
                                      (I >= 26 ? std::to_string(I / 26) : ""));
  Budget Spent;
  for (const Tuple &T : R.Tuples)
    if (!Spent.row(T))
      return Reply::error(Spent.reason());
  return rowsReply(Columns, std::vector<Tuple>(R.Tuples.begin(), R.Tuples.end()));
}

/// `.why_not FACT`: one explanation line a row, in order.
Reply explanationReply(const Graph &G, const Atom &Fact) {
  llvm::Expected<std::vector<std::string>> Lines = explainMissing(G, Fact);
  if (!Lines)
    return Reply::error(errorText(Lines.takeError()));
  Reply R;
  R.Columns = {"explanation"};
  for (const std::string &L : *Lines)
    R.Rows.push_back({Cell(L)});
  return R;
}

Reply Runner::answer(const PendingQuery &Q) {
  Graph &G = graph();
  if (Q.K == PendingQuery::Kind::RelDescribe)
    return describeReply(G.Relations[Q.Relation]);
  if (Q.K == PendingQuery::Kind::WhyNot)
    return explanationReply(G, Q.Fact);
  bool Why = Q.K == PendingQuery::Kind::Why;
  std::vector<Literal> Body = Q.Body;
  llvm::Expected<ReplyOrder> Order = takeReplyOrder(Body);
  if (!Order)
    return Reply::error(errorText(Order.takeError()));
  Evaluator Ev(G, Why ? nullptr : &Extras);
  // A single atom answers with whole matching facts, headed by the
  // declared column names when the relation has a schema, else by the
  // query's own argument texts. An index search reads no facts of its own:
  // it answers with its variables, as any body does.
  if (Body.size() == 1 && Body[0].K == Literal::Kind::Positive &&
      !iql::isIndexSearch(Body[0].A.Relation)) {
    const Atom &A = Body[0].A;
    llvm::Expected<const TupleSet *> Facts = Ev.relationFor(A);
    if (!Facts)
      return Reply::error(errorText(Facts.takeError()));
    llvm::Expected<AtomQuery> AQ = AtomQuery::make(G, A, Why);
    if (!AQ)
      return Reply::error(errorText(AQ.takeError()));
    std::vector<const Tuple *> Rows; // facts of a set: distinct
    for (const Tuple &T : **Facts)
      if (AQ->matches(T)) {
        if (!Ev.budget().row(T))
          return Reply::error(Ev.budget().reason());
        Rows.push_back(&T);
      }
    return rowsReply(AQ->Columns, std::move(Rows), *Order, AQ->ColumnVars);
  }
  return bodyReply(Ev, std::move(Body), *Order);
}

} // namespace

Session::Session(Engine &E, llvm::StringRef Graph)
    : TheEngine(E), Graph(Graph.str()), State(std::make_unique<SessionState>()) {
  TheEngine.store().Graphs[this->Graph];
}

Session::~Session() = default;

CatalogLines Session::catalogLinesOf(const std::set<std::string> &Names) const {
  CatalogLines Out;
  const auto &Graphs = TheEngine.store().Graphs;
  auto G = Graphs.find(Graph);
  if (G == Graphs.end())
    return Out;
  for (const std::string &Name : Names) {
    if (auto R = G->second.Relations.find(Name); R != G->second.Relations.end())
      Out.Relations.push_back(relationListing(Name, R->second));
    if (auto R = G->second.Rules.find(Name); R != G->second.Rules.end())
      Out.Rules.push_back(ruleListing(Name, R->second));
  }
  for (const auto &[Name, I] : G->second.Indexes)
    if (Names.count(Name) || Names.count(I.Relation))
      Out.Indexes.push_back(indexListing(G->second, I));
  return Out;
}

bool Session::hasSessionData() const {
  return !State->Extras.Rules.empty() || !State->Extras.Facts.empty();
}

size_t Session::copyFactsFrom(const Session &From, llvm::StringRef Name) {
  const auto &Graphs = From.TheEngine.store().Graphs;
  auto G = Graphs.find(From.Graph);
  if (G == Graphs.end())
    return 0;
  auto R = G->second.Relations.find(Name.str());
  if (R == G->second.Relations.end())
    return 0;
  BaseRelation &Copy = TheEngine.store().Graphs[Graph].Relations[Name.str()];
  Copy.Columns = llvm::None;
  Copy.Tuples = R->second.Tuples; // a fresh identity: the change log writes it whole
  return Copy.Tuples.size();
}

Reply Session::execute(llvm::StringRef Program) {
  std::vector<iql::SourceStatement> Sources = iql::splitProgram(Program);
  std::vector<Statement> Statements(Sources.size());
  std::vector<ValidationError> Errors;
  for (size_t I = 0; I < Sources.size(); ++I) {
    llvm::Expected<Statement> Parsed = iql::parseStatement(Sources[I].Text);
    if (Parsed)
      Statements[I] = std::move(*Parsed);
    else
      Errors.push_back({Sources[I].Line, unsigned(I), llvm::toString(Parsed.takeError())});
    Statements[I].Line = Sources[I].Line;
  }
  if (!Errors.empty()) {
    std::string Message;
    for (const ValidationError &E : Errors)
      Message += (Message.empty() ? "" : "\n") + std::string("Parse error: ") + E.Message;
    Reply R = Reply::error(Message);
    R.ValidationErrors = std::move(Errors);
    return R;
  }
  // The session's graph may have been dropped by another session; the
  // server recreates a connection's graph on demand.
  TheEngine.store().Graphs[Graph];
  Runner Run(TheEngine.store(), Graph, State->Extras);
  Outcome O;
  for (const Statement &St : Statements) {
    Run.run(St, O);
    if (O.Error)
      return Reply::error(*O.Error);
  }
  if (O.Query)
    return Run.answer(*O.Query);
  Reply R;
  R.Columns = {"message"};
  for (const std::string &M : O.Messages)
    R.Rows.push_back({Cell(M)});
  return R;
}
