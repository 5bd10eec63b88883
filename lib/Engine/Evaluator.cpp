//===- Evaluator.cpp - Bottom-up evaluation of rule bodies -----------------===//
#include "Evaluator.h"
#include "Budget.h"
#include "Demand.h"
#include "Functions.h"
#include "HashIndex.h"
#include "NearestSearch.h"
#include "Ranking.h"
#include "RulesOnly.h"
#include "UnknownCalls.h"
#include "strata/Engine/Evaluation.h"
#include "strata/IQL/Builtins.h"
#include "strata/IQL/Printer.h"
#include "strata/Support/SCC.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringMap.h"
#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <set>
#include <unordered_map>

using namespace strata::engine;

static llvm::Error failure(const std::string &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

//===-- Planning a body ----------------------------------------------------===//

namespace {

void collectVars(const Expr &E, std::vector<std::string> &Out) {
  if (E.K == Expr::Kind::Variable) {
    if (std::find(Out.begin(), Out.end(), E.Name) == Out.end())
      Out.push_back(E.Name);
    return;
  }
  for (const Expr &A : E.Args)
    collectVars(A, Out);
}

/// Calls Fn on each expression L holds at its top: a comparison's two
/// sides, an atom's arguments.
template <typename F> void forEachTopExpr(const Literal &L, F &&Fn) {
  if (L.K == Literal::Kind::Compare) {
    Fn(L.Lhs);
    Fn(L.Rhs);
    return;
  }
  for (const Expr &A : L.A.Args)
    Fn(A);
}

std::vector<std::string> literalVars(const Literal &L) {
  std::vector<std::string> Out;
  forEachTopExpr(L, [&](const Expr &E) { collectVars(E, Out); });
  return Out;
}

llvm::Error checkFunctions(const Expr &E) {
  if (const Expr *Call = firstUnknownCall(E))
    return failure(unknownCallMessage(*Call));
  return llvm::Error::success();
}

struct Step {
  enum class Kind { Scan, Negate, Filter, Assign, Nearest };
  Kind K = Kind::Scan;
  size_t Literal = 0; // index into the body
  int Target = -1;    // Assign: the slot bound
  bool TargetLeft = true;
};

struct Plan {
  std::vector<std::string> Vars; // slot -> name, first-use order
  llvm::StringMap<int> Slots;    // name -> slot
  /// The slot of each variable expression of the planned body, by its
  /// address: a filter or an assignment evaluates its expressions for
  /// every row, and finding a pointer costs far less than hashing a name.
  /// An expression not in it (a rule head's) is looked up by name.
  llvm::DenseMap<const Expr *, int> ExprSlots;
  /// Per body literal, per atom argument: its variable's slot, or -1 (a
  /// join reads them per tuple, too often to look names up).
  std::vector<std::vector<int>> ArgSlots;
  std::vector<Step> Steps;
  int slot(const std::string &Name) const {
    auto It = Slots.find(Name);
    return It == Slots.end() ? -1 : It->second;
  }
  int slot(const Expr &Variable) const {
    auto It = ExprSlots.find(&Variable);
    return It == ExprSlots.end() ? slot(Variable.Name) : It->second;
  }
};

/// Files the slot of every variable in E, at any depth, in P.ExprSlots.
void noteExprSlots(const Expr &E, Plan &P) {
  if (E.isVariable())
    if (int S = P.slot(E.Name); S >= 0)
      P.ExprSlots[&E] = S;
  for (const Expr &A : E.Args)
    noteExprSlots(A, P);
}

/// Gives every body variable a slot, in order of first use.
void assignSlots(const std::vector<Literal> &Body, Plan &P) {
  for (const Literal &L : Body)
    for (const std::string &V : literalVars(L))
      if (P.Slots.try_emplace(V, int(P.Vars.size())).second)
        P.Vars.push_back(V);
  for (const Literal &L : Body) {
    std::vector<int> &Slots = P.ArgSlots.emplace_back();
    if (L.K != Literal::Kind::Compare)
      for (const Expr &A : L.A.Args)
        Slots.push_back(A.isVariable() ? P.slot(A.Name) : -1);
    forEachTopExpr(L, [&](const Expr &E) { noteExprSlots(E, P); });
  }
}

/// The literal is `hnsw_nearest(...)`, an exact nearest-neighbour search.
bool isIndexSearch(const Literal &L) {
  return L.K != Literal::Kind::Compare && strata::iql::isIndexSearch(L.A.Relation);
}

/// `hnsw_nearest("index", Query, K, Id, Dist[, EfSearch])`: the shape the
/// search needs (Sema checks the same for schema files).
llvm::Error checkIndexSearch(const Literal &L) {
  const Atom &A = L.A;
  if (L.K == Literal::Kind::Negative)
    return failure("hnsw_nearest cannot be negated");
  if (A.Args.size() < 5 || A.Args.size() > 6)
    return failure("hnsw_nearest requires 5-6 arguments (index, query, k, id_var, dist_var "
                   "[, ef_search]), got " +
                   std::to_string(A.Args.size()));
  if (searchedIndex(A).empty())
    return failure("hnsw_nearest: first argument must be a string literal (index name)");
  const Expr &K = A.Args[2];
  if (K.K != Expr::Kind::Constant || K.Constant.kind() != Value::Kind::Int ||
      K.Constant.asInt() < 1)
    return failure("hnsw_nearest: k must be an integer of at least 1");
  for (const Expr &Arg : A.Args)
    if (llvm::Error E = checkFunctions(Arg))
      return E;
  return llvm::Error::success();
}

/// Rejects what the engine cannot evaluate before any ordering is tried.
llvm::Error checkBodySupported(const std::vector<Literal> &Body) {
  for (const Literal &L : Body) {
    if (L.K == Literal::Kind::Compare) {
      if (llvm::Error E = checkFunctions(L.Lhs))
        return E;
      if (llvm::Error E = checkFunctions(L.Rhs))
        return E;
      continue;
    }
    if (isIndexSearch(L)) {
      if (llvm::Error E = checkIndexSearch(L))
        return E;
      continue;
    }
    for (const Expr &A : L.A.Args) {
      if (A.K == Expr::Kind::Aggregate)
        return failure("Aggregates are only allowed in a rule head");
      if (llvm::Error E = checkFunctions(A))
        return E;
    }
  }
  return llvm::Error::success();
}

/// Orders a body greedily: at each step the first filter or assignment whose
/// inputs are bound, else the first fully bound negation, else the first
/// positive atom whose computed arguments are bound (for an index search:
/// whose query is bound, as a function's inputs must be).
class BodyOrderer {
public:
  BodyOrderer(const std::vector<Literal> &Body, Plan &P)
      : Body(Body), P(P), Used(Body.size(), false) {}

  /// First (when >= 0) is solved first if it is an atom that can be: a
  /// semi-naive round's delta literal, the fewest facts, whose variables
  /// then key the other literals' lookups. Any order solves the body; the
  /// greedy choice cannot fail later for having bound more.
  llvm::Error run(int First = -1) {
    size_t Done = 0;
    if (First >= 0 && size_t(First) < Body.size() &&
        Body[size_t(First)].K == Literal::Kind::Positive && !isIndexSearch(Body[size_t(First)]) &&
        computedArgsBound(Body[size_t(First)])) {
      takeScan(size_t(First));
      Done = 1;
    }
    for (; Done < Body.size(); ++Done)
      if (!pickComparison() && !pickNegation() && !pickScan())
        return stuck();
    return llvm::Error::success();
  }

private:
  const std::vector<Literal> &Body;
  Plan &P;
  std::set<std::string> Bound;
  std::vector<bool> Used;

  bool allBound(const std::vector<std::string> &Vs) const {
    for (const std::string &V : Vs)
      if (!Bound.count(V))
        return false;
    return true;
  }

  void take(size_t I, Step S) {
    S.Literal = I;
    P.Steps.push_back(S);
    Used[I] = true;
  }

  /// An assignment binds the one unbound variable on one side of '='.
  bool asAssignment(const Literal &L, const std::vector<std::string> &LV,
                    const std::vector<std::string> &RV, Step &S) {
    if (L.CmpOp != "=")
      return false;
    bool Left = L.Lhs.isVariable() && !Bound.count(L.Lhs.Name) && allBound(RV);
    bool Right = !Left && L.Rhs.isVariable() && !Bound.count(L.Rhs.Name) && allBound(LV);
    if (!Left && !Right)
      return false;
    const std::string &Name = Left ? L.Lhs.Name : L.Rhs.Name;
    S.K = Step::Kind::Assign;
    S.Target = P.slot(Name);
    S.TargetLeft = Left;
    Bound.insert(Name);
    return true;
  }

  bool pickComparison() {
    for (size_t I = 0; I < Body.size(); ++I) {
      const Literal &L = Body[I];
      if (Used[I] || L.K != Literal::Kind::Compare)
        continue;
      std::vector<std::string> LV, RV;
      collectVars(L.Lhs, LV);
      collectVars(L.Rhs, RV);
      Step S;
      if (allBound(LV) && allBound(RV))
        S.K = Step::Kind::Filter;
      else if (!asAssignment(L, LV, RV, S))
        continue;
      take(I, S);
      return true;
    }
    return false;
  }

  bool pickNegation() {
    for (size_t I = 0; I < Body.size(); ++I) {
      const Literal &L = Body[I];
      if (Used[I] || L.K != Literal::Kind::Negative || !allBound(literalVars(L)))
        continue;
      Step S;
      S.K = Step::Kind::Negate;
      take(I, S);
      return true;
    }
    return false;
  }

  /// Computed arguments (arithmetic, calls) are lookups, so their inputs
  /// must be bound before the atom is scanned.
  bool computedArgsBound(const Literal &L) const {
    for (const Expr &A : L.A.Args)
      if (A.K == Expr::Kind::Binary || A.K == Expr::Kind::Call) {
        std::vector<std::string> Vs;
        collectVars(A, Vs);
        if (!allBound(Vs))
          return false;
      }
    return true;
  }

  void takeScan(size_t I) {
    Step S;
    S.K = Step::Kind::Scan;
    take(I, S);
    for (const Expr &A : Body[I].A.Args)
      if (A.isVariable())
        Bound.insert(A.Name);
  }

  bool queryBound(const Literal &L) const {
    std::vector<std::string> Vs;
    collectVars(L.A.Args[1], Vs);
    return allBound(Vs);
  }

  bool pickScan() {
    for (size_t I = 0; I < Body.size(); ++I) {
      const Literal &L = Body[I];
      if (Used[I] || L.K != Literal::Kind::Positive || !computedArgsBound(L))
        continue;
      bool Search = isIndexSearch(L);
      if (Search && !queryBound(L))
        continue;
      if (Search) {
        Step S;
        S.K = Step::Kind::Nearest;
        take(I, S);
        for (const Expr &A : L.A.Args)
          if (A.isVariable())
            Bound.insert(A.Name);
      } else {
        takeScan(I);
      }
      return true;
    }
    return false;
  }

  llvm::Error stuck() const {
    for (size_t I = 0; I < Body.size(); ++I)
      if (!Used[I])
        for (const std::string &V : literalVars(Body[I]))
          if (!Bound.count(V))
            return failure("Variable '" + V + "' in '" + strata::iql::printLiteral(Body[I]) +
                           "' is not bound by a positive atom or an assignment");
    return failure("Cannot order the body");
  }
};

llvm::Error planBody(const std::vector<Literal> &Body, Plan &P, int First = -1) {
  assignSlots(Body, P);
  if (llvm::Error E = checkBodySupported(Body))
    return E;
  return BodyOrderer(Body, P).run(First);
}

//===-- Expressions --------------------------------------------------------===//

Value evalExpr(const Expr &E, const Plan *P, const std::vector<Value> *Vals);

/// An operand of arithmetic. A float literal with a whole value counts as
/// the integer: the server answers `X * 1.0` with an int X as an int (1,
/// not 1.0; 15_arithmetic/45) and `X + 0.5` as a float (11_types/64). It
/// looks like a bug of the server; the engine matches it on purpose.
Value operandValue(const Expr &E, const Plan *P, const std::vector<Value> *Vals) {
  if (E.K == Expr::Kind::Constant && E.Constant.kind() == Value::Kind::Float) {
    double D = E.Constant.asFloat();
    if (std::trunc(D) == D && std::fabs(D) < 9.2e18)
      return Value::integer(int64_t(D));
  }
  return evalExpr(E, P, Vals);
}

Value evalExpr(const Expr &E, const Plan *P, const std::vector<Value> *Vals) {
  switch (E.K) {
  case Expr::Kind::Constant:
    return E.Constant;
  case Expr::Kind::Variable: {
    int S = P ? P->slot(E) : -1;
    return S >= 0 ? (*Vals)[size_t(S)] : Value::null();
  }
  case Expr::Kind::Wildcard:
  case Expr::Kind::Aggregate:
    return Value::null();
  case Expr::Kind::Binary:
    return arithmetic(E.Op, operandValue(E.Args[0], P, Vals), operandValue(E.Args[1], P, Vals));
  case Expr::Kind::Call: {
    std::vector<Value> Args;
    for (const Expr &A : E.Args)
      Args.push_back(evalExpr(A, P, Vals));
    return callFunction(E.Function->Id, Args);
  }
  }
  return Value::null();
}

/// Whether comparison Op holds between two values that compare as C
/// (negative, zero, positive).
bool orderHolds(llvm::StringRef Op, int C) {
  // Told apart by their characters: a filter is checked for every row of
  // its body. The parser reads only = != < <= > >=.
  if (Op.size() == 1) {
    if (Op[0] == '=')
      return C == 0;
    if (Op[0] == '<')
      return C < 0;
    if (Op[0] == '>')
      return C > 0;
  } else if (Op.size() == 2 && Op[1] == '=') {
    if (Op[0] == '!')
      return C != 0;
    if (Op[0] == '<')
      return C <= 0;
  }
  return C >= 0;
}

/// As the server compares: null differs from every other value, and any
/// other comparison with it fails (11_types/19).
bool compare(llvm::StringRef Op, const Value &A, const Value &B) {
  if (A.isNull() || B.isNull())
    return Op == "!=" && A != B;
  if (A.isNumber() && B.isNumber()) {
    int C;
    if (A.kind() == Value::Kind::Int && B.kind() == Value::Kind::Int)
      C = A.asInt() < B.asInt() ? -1 : A.asInt() > B.asInt() ? 1 : 0;
    else {
      double X = A.toDouble(), Y = B.toDouble();
      if (std::isnan(X) || std::isnan(Y))
        return Op == "!=";
      C = X < Y ? -1 : X > Y ? 1 : 0;
    }
    return orderHolds(Op, C);
  }
  if (Op == "=")
    return A == B;
  if (Op == "!=")
    return A != B;
  if (A.kind() != B.kind() || A.kind() != Value::Kind::String)
    return false;
  return orderHolds(Op, A.asString().compare(B.asString()));
}

/// Whether the comparison literal L holds for the values A and B of its
/// sides. The server orders strings against a constant (`W < "banana"`:
/// 07_filters/27) but never two string variables: `A < B` holds for no
/// pair (11_types/57), which looks like a bug and is matched.
bool filterHolds(const Literal &L, const Value &A, const Value &B) {
  llvm::StringRef Op = L.CmpOp;
  bool Ordering = Op != "=" && Op != "!=";
  if (Ordering && L.Lhs.isVariable() && L.Rhs.isVariable() && A.kind() == Value::Kind::String &&
      B.kind() == Value::Kind::String)
    return false;
  return compare(Op, A, B);
}

/// A rule clause as the server evaluates its body: a wildcard in a positive
/// atom stands for a variable named by the atom's relation and the
/// argument's position, so `a(X, _), a(Y, _)` joins the second columns of
/// two a facts (18_advanced_patterns/25, 30; atoms of different relations
/// stay apart: 14_aggregations/11), and in a persistent rule a boolean
/// constant does too, so `user(Id, true)` does not filter (11_types/11;
/// a session rule's does: 07_filters/46). Both look like bugs of the
/// server.
Clause serverClause(Clause C, bool Persistent) {
  for (Literal &L : C.Body) {
    if (L.K != Literal::Kind::Positive || isIndexSearch(L))
      continue;
    for (size_t I = 0; I < L.A.Args.size(); ++I) {
      Expr &A = L.A.Args[I];
      bool Boolean =
          Persistent && A.K == Expr::Kind::Constant && A.Constant.kind() == Value::Kind::Bool;
      if (A.K != Expr::Kind::Wildcard && !Boolean)
        continue;
      A = Expr();
      A.K = Expr::Kind::Variable;
      A.Name = "\x01" + L.A.Relation + "_" + std::to_string(I);
      A.Text = "_";
    }
  }
  return C;
}

//===-- Stratification -----------------------------------------------------===//

/// Strongly connected components of the rule dependency graph, dependencies
/// first, each sorted by name (strata/Support/SCC.h: no recursion, so long
/// rule chains cannot overflow). Nodes are numbered in name order, so the
/// numbers sort as the names do.
std::vector<std::vector<std::string>>
components(const std::map<std::string, std::set<std::string>> &Deps) {
  std::vector<const std::string *> Names;
  std::map<std::string, unsigned> Number;
  for (const auto &Entry : Deps) {
    Number.emplace(Entry.first, Names.size());
    Names.push_back(&Entry.first);
  }
  auto Successors = [&](unsigned V, std::vector<unsigned> &Out) {
    for (const std::string &S : Deps.at(*Names[V]))
      if (auto It = Number.find(S); It != Number.end())
        Out.push_back(It->second);
  };
  std::vector<std::vector<std::string>> Out;
  for (const std::vector<unsigned> &Comp :
       strata::findStronglyConnectedComponents(Names.size(), Successors).Components) {
    Out.emplace_back();
    for (unsigned V : Comp)
      Out.back().push_back(*Names[V]);
  }
  return Out;
}

std::map<std::string, std::set<std::string>> dependencies(const Graph &G,
                                                          const ClauseMap &Clauses) {
  std::map<std::string, std::set<std::string>> Deps;
  for (const auto &Entry : Clauses) {
    auto &D = Deps[Entry.first];
    for (const Clause *C : Entry.second)
      for (const Literal &L : C->Body)
        if (std::string R = readRelation(G, L); !R.empty())
          D.insert(R);
  }
  return Deps;
}

/// Like negation, a search for the K nearest facts must see all of them,
/// so it cannot read a relation that depends on it recursively.
llvm::Error checkStratified(const Graph &G, const ClauseMap &Clauses) {
  auto Deps = dependencies(G, Clauses);
  std::map<std::string, size_t> ComponentOf;
  auto Comps = components(Deps);
  for (size_t I = 0; I < Comps.size(); ++I)
    for (const std::string &N : Comps[I])
      ComponentOf[N] = I;
  for (const auto &Entry : Clauses)
    for (const Clause *C : Entry.second) {
      size_t Mine = ComponentOf[Entry.first];
      for (const Literal &L : C->Body) {
        if (L.K == Literal::Kind::Compare)
          continue;
        std::string Read = readRelation(G, L);
        auto It = ComponentOf.find(Read);
        if (It == ComponentOf.end() || It->second != Mine)
          continue;
        if (isIndexSearch(L))
          return failure("Rule '" + Entry.first + "' is not stratifiable: it searches index '" +
                         searchedIndex(L.A) + "' over '" + Read +
                         "', which depends on it recursively");
        if (L.K == Literal::Kind::Negative)
          return failure("Rule '" + Entry.first + "' is not stratifiable: it negates '" +
                         L.A.Relation + "', which depends on it recursively");
        if (C->hasAggregate())
          return failure("Rule '" + Entry.first + "' is not stratifiable: it aggregates over '" +
                         L.A.Relation + "', which depends on it recursively");
      }
    }
  return llvm::Error::success();
}

/// Whether some body (of Rule, Others or the graph's rules) names Head: a
/// cycle through a rule for Head must come back through such a body. The
/// graph's rules answer from their index (RuleBodyIndex.h), not a scan.
bool someBodyNames(const Graph &G, const Clause &Rule, const std::vector<Clause> &Others,
                   const std::string &Head) {
  auto Names = [&](const Clause &C) {
    return llvm::any_of(C.Body, [&](const Literal &L) { return readRelation(G, L) == Head; });
  };
  return Names(Rule) || llvm::any_of(Others, Names) || G.BodyIndex.someBodyReads(G, Head);
}

/// What validateRule must check for stratification: the clauses of every
/// relation that Rule's body reaches (through the graph's rules and
/// Others), plus Rule, when that reaches Rule's head, i.e. when Rule lies
/// on a cycle; otherwise nothing, because the rules were stratified before
/// and a rule on no cycle cannot change that. Looking only at what Rule
/// reaches keeps registering N independent rules linear, not quadratic.
ClauseMap clausesOnCyclesThrough(const Graph &G, const Clause &Rule,
                                 const std::vector<Clause> &Others) {
  const std::string &Head = Rule.Head.Relation;
  ClauseMap SessionRules;
  for (const Clause &C : Others)
    SessionRules[C.Head.Relation].push_back(&C);
  ClauseMap Reached;
  bool OnCycle = false;
  std::vector<std::string> Work;
  auto visitBody = [&](const Clause &C) {
    for (const Literal &L : C.Body)
      if (std::string R = readRelation(G, L); !R.empty())
        Work.push_back(R);
  };
  visitBody(Rule);
  // A long walk (a rule that extends a chain walks the whole chain below
  // it) first makes sure that a cycle is possible at all.
  constexpr size_t ShortWalk = 64;
  bool CycleChecked = false;
  while (!Work.empty()) {
    if (!CycleChecked && Reached.size() > ShortWalk) {
      CycleChecked = true;
      if (!someBodyNames(G, Rule, Others, Head))
        return {};
    }
    std::string Name = std::move(Work.back());
    Work.pop_back();
    OnCycle |= Name == Head;
    if (Reached.count(Name))
      continue;
    std::vector<const Clause *> &Clauses = Reached[Name];
    if (auto It = G.Rules.find(Name); It != G.Rules.end())
      for (const Clause &C : It->second)
        Clauses.push_back(&C);
    if (auto It = SessionRules.find(Name); It != SessionRules.end())
      Clauses.insert(Clauses.end(), It->second.begin(), It->second.end());
    for (const Clause *C : Clauses)
      visitBody(*C);
  }
  if (!OnCycle)
    return {};
  Reached[Head].push_back(&Rule);
  return Reached;
}

/// A clause's head fact for a solution of its body: the head's variables'
/// slots resolved once, and one tuple reused for every solution (most
/// derive a fact that is known already).
class HeadTuple {
public:
  HeadTuple(const Clause &C, const Plan &Pl) : C(C), Pl(Pl), T(C.Head.Args.size()) {
    for (const Expr &A : C.Head.Args)
      Slots.push_back(A.isVariable() ? Pl.slot(A.Name) : -1);
  }

  const Tuple &fill(const std::vector<Value> &Vals) {
    fillInto(Vals, T);
    return T;
  }

  /// The head fact written into Out (a buffer that may have been moved
  /// from: it is sized first).
  void fillInto(const std::vector<Value> &Vals, Tuple &Out) const {
    Out.resize(Slots.size());
    for (size_t I = 0; I < Out.size(); ++I)
      Out[I] = Slots[I] >= 0 ? Vals[size_t(Slots[I])] : evalExpr(C.Head.Args[I], &Pl, &Vals);
  }

private:
  const Clause &C;
  const Plan &Pl;
  std::vector<int> Slots;
  Tuple T;
};

/// Head facts on their way into a relation that nothing reads while a
/// round's walk derives them (runRounds' Straight case): they go in
/// TupleSet::insertBatch's batches, so that the lookups of a large
/// relation overlap their cache misses instead of waiting on each in turn.
class PendingFacts {
public:
  static constexpr size_t Capacity = 64;
  PendingFacts() : Tuples(Capacity), Hashes(Capacity) {}

  /// Where the next fact is written.
  Tuple &next() { return Tuples[Count]; }
  /// Takes the fact written at next(); true once the batch is full.
  bool push() {
    Hashes[Count] = TupleSet::hashOf(Tuples[Count]);
    return ++Count == Capacity;
  }
  /// Inserts the batch into Target, calling Added with each new fact.
  void flushInto(TupleSet &Target, llvm::function_ref<void(const Tuple &)> Added) {
    Target.insertBatch(llvm::MutableArrayRef<Tuple>(Tuples).take_front(Count),
                       llvm::ArrayRef<size_t>(Hashes).take_front(Count), Added);
    Count = 0;
  }

private:
  std::vector<Tuple> Tuples;
  std::vector<size_t> Hashes;
  size_t Count = 0;
};

/// Keeps in Out the head facts of a clause's solutions that Known lacks.
/// A derived row costs memory only if it is a new fact (a closure derives
/// most of its facts several times over).
class HeadWriter {
public:
  HeadWriter(const Clause &C, const Plan &Pl, const TupleSet &Known, TupleSet &Out, Budget &Spent)
      : Head(C, Pl), Known(Known), Out(Out), Spent(Spent) {}

  void operator()(const std::vector<Value> &Vals) {
    const Tuple &T = Head.fill(Vals);
    size_t Hash = TupleSet::hashOf(T);
    if (Known.contains(T, Hash))
      return;
    auto [It, New] = Out.insert(T, Hash);
    if (New)
      Spent.bytes(materialisedBytes(*It));
  }

private:
  HeadTuple Head;
  const TupleSet &Known;
  TupleSet &Out;
  Budget &Spent;
};

} // namespace

//===-- The evaluator ------------------------------------------------------===//

struct Evaluator::Impl {
  using Callback = std::function<void(const std::vector<Value> &)>;

  /// The index a step found in Indexes, kept so that its next visit (the
  /// next tuple, or the next round of a recursive clause) need not look
  /// it up by key again. It is what Indexes holds for its key as long as
  /// no index was dropped since (IndexEpoch).
  struct StepIndex {
    const TupleSet *Set = nullptr;
    uint64_t Mask = 0;
    size_t Arity = 0;
    uint64_t Epoch = 0;
    const HashIndex *Index = nullptr;
  };

  /// The bindings of one walk over a planned body. A clause that a
  /// component's rounds evaluate again and again keeps its own, so that a
  /// round allocates nothing for them.
  struct SearchBuffers {
    std::vector<Value> Vals;
    std::vector<char> Bound;
    // Per step, the known values of its atom: a step's buffer is reused
    // by every visit (deeper steps have their own), so a lookup
    // allocates nothing once the buffers have grown.
    std::vector<Tuple> Keys;
    // Per step, the index it last looked up through.
    std::vector<StepIndex> Indexes;
    void fit(const Plan &Pl) {
      Vals.resize(Pl.Vars.size());
      Bound.assign(Pl.Vars.size(), 0);
      Keys.resize(Pl.Steps.size());
      Indexes.resize(Pl.Steps.size());
    }
  };

  const Graph &G;
  const SessionExtras *Extras;
  ClauseMap Clauses;                          // of the Loaded relations
  std::set<std::string> Loaded;               // see clausesOf
  ClauseMap SessionClauses;                   // Extras' rules, by head
  std::deque<Clause> ServerClauses;           // what Clauses point to
  std::set<const Clause *> PersistentClauses; // of ServerClauses
  // The relations of demand-driven rewritings (Demand.h), and a count of
  // the rewritings, which keeps their names apart.
  std::map<std::string, std::string> Origin, ShownAs;
  unsigned Rewritings = 0;
  std::map<std::string, std::unique_ptr<TupleSet>> Full; // relations materialised here
  std::set<std::string> Computed;
  // By body and the literal solved first (-1: none).
  std::map<std::pair<const std::vector<Literal> *, int>, std::unique_ptr<Plan>> Plans;
  std::map<std::tuple<const TupleSet *, uint64_t, size_t>, std::unique_ptr<HashIndex>> Indexes;
  uint64_t IndexEpoch = 0; // counts the times indexes were dropped
  TupleSet Empty;
  // What this evaluation has spent (Budget.h). Once over a limit, or once
  // an index search fails, it says why: every search unwinds and the
  // statement fails with it.
  Budget Spent;
  const EvaluationLimits &Limits = Spent.limits();

  Impl(const Graph &G, const SessionExtras *X) : G(G), Extras(X) {
    if (X)
      for (const Clause &C : X->Rules)
        SessionClauses[C.Head.Relation].push_back(&C);
  }

  /// The clauses of Name (the graph's, then the session's, then those a
  /// rewriting added), or null when it has none. A relation's rules are
  /// copied the first time it is asked for: a statement reads the rules of
  /// the relations it reaches, and copying every rule of the graph for
  /// each one made a run of many small statements cost the schema's size
  /// per statement.
  const std::vector<const Clause *> *clausesOf(const std::string &Name) {
    if (Loaded.insert(Name).second) {
      if (auto It = G.Rules.find(Name); It != G.Rules.end())
        for (const Clause &C : It->second) {
          Clauses[Name].push_back(&ServerClauses.emplace_back(serverClause(C, true)));
          PersistentClauses.insert(Clauses[Name].back());
        }
      if (auto It = SessionClauses.find(Name); It != SessionClauses.end())
        for (const Clause *C : It->second)
          Clauses[Name].push_back(&ServerClauses.emplace_back(serverClause(*C, false)));
    }
    auto It = Clauses.find(Name);
    return It == Clauses.end() ? nullptr : &It->second;
  }

  /// Adds a clause a rewriting made to its head's clauses.
  void addClause(Clause C) {
    std::string Head = C.Head.Relation;
    clausesOf(Head);
    Clauses[Head].push_back(&ServerClauses.emplace_back(std::move(C)));
  }

  const TupleSet *base(const std::string &Name) {
    auto It = G.Relations.find(Name);
    return It == G.Relations.end() ? &Empty : &It->second.Tuples.set();
  }

  /// The relation whose stored facts Name holds: itself, or for an
  /// adorned relation of a demand-driven query the relation it restricts.
  const std::string &origin(const std::string &Name) const {
    auto It = Origin.find(Name);
    return It == Origin.end() ? Name : It->second;
  }

  /// The relation to name in messages about Name.
  const std::string &shownName(const std::string &Name) const {
    auto It = ShownAs.find(Name);
    return It == ShownAs.end() ? Name : It->second;
  }

  /// The starting contents of Name: base facts plus session facts (an
  /// adorned relation starts with its origin's: they are facts of it, and
  /// a superset of those its bindings ask for is still sound).
  std::unique_ptr<TupleSet> seed(const std::string &Name) {
    const std::string &From = origin(Name);
    const TupleSet &Base = *base(From);
    for (const Tuple &T : Base)
      if (!Spent.bytes(materialisedBytes(T)))
        return std::make_unique<TupleSet>(); // the statement fails: Spent says why
    auto S = std::make_unique<TupleSet>(Base);
    if (Extras) {
      auto It = Extras->Facts.find(From);
      if (It != Extras->Facts.end())
        S->insert(It->second.begin(), It->second.end());
    }
    return S;
  }

  bool hasSessionFacts(const std::string &Name) const {
    return Extras && Extras->Facts.count(Name);
  }

  /// Drops the indexes built on S (the index map is ordered by set
  /// first, so they are adjacent): a round's delta set is refilled every
  /// round, at the same place.
  void invalidate(const TupleSet *S) {
    auto First = Indexes.lower_bound(std::make_tuple(S, uint64_t(0), size_t(0)));
    auto Last = First;
    while (Last != Indexes.end() && std::get<0>(Last->first) == S)
      ++Last;
    if (First != Last)
      ++IndexEpoch;
    Indexes.erase(First, Last);
  }

  /// Adds New (none of it in Target) to Target, and to the indexes
  /// built on Target so far: a recursive relation grows every round, and
  /// rebuilding its indexes each time would cost its size per round.
  /// Stored, when given, gets each stored tuple.
  void grow(TupleSet &Target, const TupleSet &New, std::vector<const Tuple *> *Stored = nullptr) {
    for (const Tuple &T : New) {
      const Tuple &Kept = *Target.insert(T).first;
      indexNewFact(Target, Kept);
      if (Stored)
        Stored->push_back(&Kept);
    }
  }

  /// Files T, just stored in Target, in the indexes built on Target.
  void indexNewFact(const TupleSet &Target, const Tuple &T) {
    auto It = Indexes.lower_bound(std::make_tuple(&Target, uint64_t(0), size_t(0)));
    for (; It != Indexes.end() && std::get<0>(It->first) == &Target; ++It) {
      auto [Set, Mask, Arity] = It->first;
      if (T.size() == Arity)
        addToIndex(*It->second, T, Mask);
    }
  }

  /// Files T under its values at Mask's columns; false once the budget
  /// is spent.
  bool addToIndex(HashIndex &Idx, const Tuple &T, uint64_t Mask) {
    // Charged as a bucket per key at worst, and a pointer per tuple.
    if (!Spent.bytes(materialisedBytes(T, Mask) + sizeof(const Tuple *)))
      return false;
    Idx.add(T);
    return true;
  }

  const HashIndex &index(const TupleSet *S, uint64_t Mask, size_t Arity) {
    auto Key = std::make_tuple(S, Mask, Arity);
    auto It = Indexes.find(Key);
    if (It != Indexes.end())
      return *It->second;
    auto Idx = std::make_unique<HashIndex>(Mask);
    for (const Tuple &T : *S)
      if (T.size() == Arity && !addToIndex(*Idx, T, Mask))
        break; // a partial index; the search stops before it reads it
    return *Indexes.emplace(Key, std::move(Idx)).first->second;
  }

  /// index(S, Mask, Arity), through the step's cache C.
  const HashIndex &stepIndex(StepIndex &C, const TupleSet *S, uint64_t Mask, size_t Arity) {
    if (!C.Index || C.Epoch != IndexEpoch || C.Set != S || C.Mask != Mask || C.Arity != Arity)
      C = StepIndex{S, Mask, Arity, IndexEpoch, &index(S, Mask, Arity)};
    return *C.Index;
  }

  llvm::Expected<const Plan *> plan(const std::vector<Literal> &Body, int First = -1) {
    auto It = Plans.find({&Body, First});
    if (It != Plans.end())
      return It->second.get();
    auto P = std::make_unique<Plan>();
    if (llvm::Error E = planBody(Body, *P, First))
      return E;
    return Plans.emplace(std::make_pair(&Body, First), std::move(P)).first->second.get();
  }

  /// Makes sure every relation Body reads is available.
  llvm::Error prepare(const std::vector<Literal> &Body) {
    std::vector<std::string> Names;
    for (const Literal &L : Body)
      if (std::string R = readRelation(G, L); !R.empty())
        Names.push_back(R);
    return ensure(Names);
  }

  llvm::Expected<const TupleSet *> relation(const std::string &Name) {
    if (llvm::Error E = ensure({Name}))
      return E;
    const TupleSet *S = source(Name);
    if (Spent.exhausted())
      return failure(Spent.reason());
    return S;
  }

  const TupleSet *source(const std::string &Name) {
    auto It = Full.find(Name);
    if (It != Full.end())
      return It->second.get();
    if (hasSessionFacts(Name)) {
      Full[Name] = seed(Name);
      return Full[Name].get();
    }
    return base(Name);
  }

  /// Every rule-defined relation reachable from Names, not yet computed,
  /// with its clauses.
  ClauseMap neededClauses(const std::vector<std::string> &Names) {
    ClauseMap Needed;
    std::vector<std::string> Work(Names.begin(), Names.end());
    while (!Work.empty()) {
      std::string N = Work.back();
      Work.pop_back();
      if (Computed.count(N) || Needed.count(N))
        continue;
      const std::vector<const Clause *> *Cs = clausesOf(N);
      if (!Cs)
        continue;
      Needed[N] = *Cs;
      for (const Clause *C : *Cs)
        for (const Literal &L : C->Body)
          if (std::string R = readRelation(G, L); !R.empty())
            Work.push_back(R);
    }
    return Needed;
  }

  llvm::Error ensure(const std::vector<std::string> &Names) {
    ClauseMap Needed = neededClauses(Names);
    if (Needed.empty())
      return llvm::Error::success();
    if (llvm::Error E = checkStratified(G, Needed))
      return E;
    for (const std::vector<std::string> &Comp : components(dependencies(G, Needed)))
      if (llvm::Error E = evaluateComponent(Comp, Needed))
        return E;
    return llvm::Error::success();
  }

  /// The relations of Reached a demand-driven rewriting may restrict
  /// (Demand.h): on no cycle through another relation, with no aggregate
  /// and no index search.
  std::set<std::string> demandEligible(const ClauseMap &Reached) const {
    std::set<std::string> Out;
    for (const std::vector<std::string> &Comp : components(dependencies(G, Reached))) {
      if (Comp.size() != 1 || !Reached.count(Comp.front()))
        continue;
      bool Plain = llvm::none_of(Reached.at(Comp.front()), [](const Clause *C) {
        return C->hasAggregate() || llvm::any_of(C->Body, isIndexSearch);
      });
      if (Plain)
        Out.insert(Comp.front());
    }
    return Out;
  }

  /// The relations of Names that start with stored facts (seed).
  std::set<std::string> seeded(const std::set<std::string> &Names) const {
    std::set<std::string> Out;
    for (const std::string &N : Names) {
      const std::string &From = origin(N);
      auto It = G.Relations.find(From);
      if ((It != G.Relations.end() && !It->second.Tuples.set().empty()) || hasSessionFacts(From))
        Out.insert(N);
    }
    return Out;
  }

  /// Body with the atoms the server answers from a relation's rules alone
  /// read from such a copy (RulesOnly.h); under either evaluation, as it
  /// changes the answer.
  std::vector<Literal> rulesOnlyBody(const std::vector<Literal> &Body) {
    for (const Literal &L : Body)
      if (L.K == Literal::Kind::Positive)
        clausesOf(L.A.Relation); // what rewriteRulesOnly looks up
    RulesOnlyProgram R = rewriteRulesOnly(Body, Clauses, ++Rewritings);
    for (Clause &C : R.Clauses)
      addClause(std::move(C));
    ShownAs.insert(R.ShownAs.begin(), R.ShownAs.end());
    return std::move(R.Body);
  }

  /// Body with its bound atoms reading relations restricted to what their
  /// bindings reach, whose rules it adds; Body itself when nothing can be
  /// restricted, or when full evaluation is asked for. A program that
  /// fails (unstratified, an unplannable clause) is left to full
  /// evaluation, so that it fails with the same error.
  std::vector<Literal> demandBody(const std::vector<Literal> &Body) {
    if (queryEvaluation() == QueryEvaluation::Full)
      return Body;
    std::vector<std::string> Names;
    for (const Literal &L : Body)
      if (std::string R = readRelation(G, L); !R.empty())
        Names.push_back(R);
    ClauseMap Reached = neededClauses(Names);
    if (Reached.empty())
      return Body;
    if (llvm::Error E = checkStratified(G, Reached)) {
      llvm::consumeError(std::move(E));
      return Body;
    }
    for (const auto &Entry : Reached)
      for (const Clause *C : Entry.second)
        if (llvm::Expected<const Plan *> P = plan(C->Body); !P) {
          llvm::consumeError(P.takeError());
          return Body;
        }
    std::set<std::string> Eligible = demandEligible(Reached);
    if (Eligible.empty())
      return Body;
    BodyOrder Order = [](const std::vector<Literal> &B) -> llvm::Expected<std::vector<size_t>> {
      Plan P;
      if (llvm::Error E = planBody(B, P))
        return E;
      std::vector<size_t> Out;
      for (const Step &S : P.Steps)
        Out.push_back(S.Literal);
      return Out;
    };
    llvm::Expected<DemandProgram> D =
        rewriteForDemand(Body, Reached, Eligible, seeded(Eligible), Order, ++Rewritings);
    if (!D) {
      llvm::consumeError(D.takeError());
      return Body;
    }
    for (Clause &C : D->Clauses)
      addClause(std::move(C));
    Origin.insert(D->Origin.begin(), D->Origin.end());
    ShownAs.insert(D->ShownAs.begin(), D->ShownAs.end());
    return std::move(D->Body);
  }

  /// The clauses of Comp the server evaluates. It computes no fixpoint
  /// across a cycle through several relations: a cycle of persistent rules
  /// answers nothing but its members' own facts (09_recursion/08, 09,
  /// 28_docs_coverage/10), and a session rule reading another relation of
  /// its cycle is left out (09_recursion/15). Recursion of a relation on
  /// itself is evaluated as usual.
  ClauseMap serverCycleClauses(const std::vector<std::string> &Comp, const ClauseMap &Needed) {
    ClauseMap Own;
    for (const std::string &N : Comp)
      Own[N] = Needed.at(N);
    // A demand-driven rewriting's cycles (an adorned relation and its
    // magic relation) are plain fixpoints: they stand for a relation on
    // no cycle through another (Demand.h).
    if (Comp.size() < 2 || ShownAs.count(Comp.front()))
      return Own;
    std::set<std::string> Members(Comp.begin(), Comp.end());
    auto ReadsOther = [&](const std::string &N, const Clause *C) {
      return llvm::any_of(C->Body, [&](const Literal &L) {
        std::string R = readRelation(G, L);
        return R != N && Members.count(R);
      });
    };
    bool PersistentCycle = false;
    for (const auto &[N, Cs] : Own)
      for (const Clause *C : Cs)
        PersistentCycle |= PersistentClauses.count(C) && ReadsOther(N, C);
    for (auto &[N, Cs] : Own) {
      if (PersistentCycle)
        Cs.clear();
      else
        llvm::erase_if(Cs, [&, &N = N](const Clause *C) { return ReadsOther(N, C); });
    }
    return Own;
  }

  llvm::Error evaluateComponent(const std::vector<std::string> &Comp, const ClauseMap &All) {
    ClauseMap Needed = serverCycleClauses(Comp, All);
    std::set<std::string> Members(Comp.begin(), Comp.end());
    bool Recursive = Comp.size() > 1;
    Rounds R;
    for (const std::string &N : Comp) {
      if (Full.count(N))
        invalidate(Full[N].get());
      Full[N] = seed(N);
      R.Sets.push_back(Full[N].get());
      for (const Clause *C : Needed.at(N))
        for (const Literal &L : C->Body)
          if (L.K == Literal::Kind::Positive && Members.count(L.A.Relation))
            Recursive = true;
    }
    R.Delta.resize(Comp.size());
    R.Fresh.resize(Comp.size());
    R.Next.resize(Comp.size());
    // First round: every clause against what is known. A clause adds to
    // the round's new facts only what is in neither the relation nor them.
    for (size_t M = 0; M < Comp.size(); ++M)
      for (const Clause *C : Needed.at(Comp[M]))
        if (llvm::Error E = evaluateClause(*C, -1, nullptr, *R.Sets[M], R.Next[M]))
          return E;
    for (size_t M = 0; M < Comp.size(); ++M) {
      grow(*R.Sets[M], R.Next[M], &R.Delta[M]);
      R.Next[M].clear();
    }
    if (Recursive)
      if (llvm::Error E = runRounds(Comp, Needed, R))
        return E;
    for (const std::string &N : Comp)
      Computed.insert(N);
    return llvm::Error::success();
  }

  /// A component's relations and their new facts, by position in the
  /// component. A round's new facts are stored in their relations, and
  /// Delta (the last round's, which this round reads) and Fresh (this
  /// round's) point at them there: a round copies no fact but into its
  /// relation.
  struct Rounds {
    std::vector<TupleSet *> Sets;
    std::vector<std::vector<const Tuple *>> Delta, Fresh;
    // This round's new facts when they cannot go straight into their
    // relations (runRounds says when they can).
    std::vector<TupleSet> Next;
  };

  /// A recursive clause as a component's rounds evaluate it, with one of
  /// its literals reading the round's delta of that literal's relation.
  /// Its plan, sources, head and search buffers are resolved on the first
  /// round that needs them and kept for the rounds after, so that a round
  /// whose delta holds one fact (a chain of N nodes takes N rounds) costs
  /// that fact's joins rather than the clause's set-up.
  struct ClauseRun {
    ClauseRun(const Clause *C, int DeltaLiteral, size_t Reads, size_t Head)
        : C(C), DeltaLiteral(DeltaLiteral), Reads(Reads), Head(Head) {}
    const Clause *C;
    int DeltaLiteral;
    size_t Reads, Head;       // members: the delta read, the relation derived
    const Plan *Pl = nullptr; // null until the first round that runs it
    std::vector<const TupleSet *> Sources;
    std::vector<llvm::Optional<NearestSearch>> Searches;
    SearchBuffers Buffers;
    std::unique_ptr<HeadTuple> HeadFact; // when Straight
    PendingFacts Pending;                // when Straight
    std::unique_ptr<HeadWriter> Writer;  // when not
    Callback Emit;
    // Whether the plan scans the delta first with no argument known, so
    // that the walk reads it as the list of new facts; otherwise it reads
    // DeltaSet, a copy made each round, through an index as any relation.
    bool ScansDelta = false;
    TupleSet DeltaSet;
  };

  /// The semi-naive rounds of a recursive component, once the first round
  /// has left each member's new facts in R.Delta: every clause runs once
  /// for each of its literals of a member whose delta is not empty, that
  /// literal reading the delta, until a round finds nothing new.
  llvm::Error runRounds(const std::vector<std::string> &Comp, const ClauseMap &Needed, Rounds &R) {
    std::vector<ClauseRun> Runs = clauseRuns(Comp, Needed);
    // A clause can put its new facts straight into its relation when no
    // clause of the component reads a member but through its delta: no
    // walk then reads a relation while it grows.
    std::map<const Clause *, unsigned> MemberLiterals;
    for (const ClauseRun &Run : Runs)
      ++MemberLiterals[Run.C];
    bool Straight = llvm::all_of(MemberLiterals, [](const auto &E) { return E.second == 1; });
    auto DropCopies = llvm::make_scope_exit([&] {
      for (ClauseRun &Run : Runs)
        invalidate(&Run.DeltaSet);
    });
    for (uint64_t Round = 0;; ++Round) {
      if (Round == Limits.RecursionRounds)
        return failure("Evaluation stopped: the recursion of '" + shownName(Comp.front()) +
                       "' did not reach a fixpoint within " +
                       std::to_string(Limits.RecursionRounds) + " rounds");
      for (ClauseRun &Run : Runs)
        if (!R.Delta[Run.Reads].empty())
          if (llvm::Error E = runClause(Run, Straight, R))
            return E;
      // A clause keeps only facts new to the relations (stored already in
      // Fresh's case, still to be stored from Next otherwise): they are
      // the next round's delta as they are.
      bool Grew = false;
      for (size_t M = 0; M < Comp.size(); ++M) {
        if (!Straight) {
          grow(*R.Sets[M], R.Next[M], &R.Fresh[M]);
          R.Next[M].clear();
        }
        Grew |= !R.Fresh[M].empty();
        R.Delta[M].swap(R.Fresh[M]);
        R.Fresh[M].clear();
      }
      if (!Grew)
        return llvm::Error::success();
    }
  }

  /// For each clause of Comp, one run per literal of a member.
  std::vector<ClauseRun> clauseRuns(const std::vector<std::string> &Comp,
                                    const ClauseMap &Needed) const {
    std::map<std::string, size_t> Member;
    for (size_t M = 0; M < Comp.size(); ++M)
      Member[Comp[M]] = M;
    std::vector<ClauseRun> Runs;
    for (size_t M = 0; M < Comp.size(); ++M)
      for (const Clause *C : Needed.at(Comp[M]))
        for (size_t I = 0; I < C->Body.size(); ++I) {
          const Literal &L = C->Body[I];
          auto It = Member.find(L.A.Relation);
          if (L.K == Literal::Kind::Positive && It != Member.end())
            Runs.emplace_back(C, int(I), It->second, M);
        }
    return Runs;
  }

  /// Runs one round of Run. Straight: its new facts go straight into
  /// their relation and to R.Fresh; else to R.Next.
  llvm::Error runClause(ClauseRun &Run, bool Straight, Rounds &R) {
    const Clause &C = *Run.C;
    const std::vector<const Tuple *> &Delta = R.Delta[Run.Reads];
    if (!Run.Pl)
      if (llvm::Error E = prepareRun(Run, Straight, R))
        return E;
    if (!Run.ScansDelta) {
      invalidate(&Run.DeltaSet);
      Run.DeltaSet.clear();
      for (const Tuple *T : Delta)
        Run.DeltaSet.insert(*T);
    }
    std::fill(Run.Buffers.Bound.begin(), Run.Buffers.Bound.end(), 0);
    SearchState St{C.Body,
                   *Run.Pl,
                   Run.Sources,
                   Run.Searches,
                   Run.Emit,
                   Run.Buffers.Vals,
                   Run.Buffers.Bound,
                   /*RowsKept=*/false,
                   Run.Buffers.Keys,
                   Run.Buffers.Indexes};
    if (Run.ScansDelta) {
      St.Span = &Delta;
      St.SpanLiteral = Run.DeltaLiteral;
    }
    llvm::Error E = walk(St);
    if (Straight)
      storePending(Run, R);
    return E;
  }

  /// Stores the head facts Run's walk left pending: the new ones are
  /// charged, indexed and noted as the round's fresh facts.
  void storePending(ClauseRun &Run, Rounds &R) {
    TupleSet &Target = *R.Sets[Run.Head];
    std::vector<const Tuple *> &Fresh = R.Fresh[Run.Head];
    Run.Pending.flushInto(Target, [&](const Tuple &T) {
      Spent.bytes(materialisedBytes(T));
      indexNewFact(Target, T);
      Fresh.push_back(&T);
    });
  }

  /// Plans Run, opens its sources and makes its head's writer.
  llvm::Error prepareRun(ClauseRun &Run, bool Straight, Rounds &R) {
    const Clause &C = *Run.C;
    // Stratification keeps aggregates out of recursion: a clause that
    // reads a member of its own component folds nothing.
    if (C.hasAggregate())
      return failure("Rule '" + shownName(C.Head.Relation) + "' aggregates in a recursion");
    llvm::Expected<const Plan *> P = plan(C.Body, Run.DeltaLiteral);
    if (!P)
      return P.takeError();
    const Plan &Pl = **P;
    if (llvm::Error E =
            openSources(C.Body, Run.DeltaLiteral, &Run.DeltaSet, Run.Sources, Run.Searches))
      return E;
    const Literal &DeltaAtom = C.Body[size_t(Run.DeltaLiteral)];
    Run.ScansDelta = Pl.Steps.front().Literal == size_t(Run.DeltaLiteral) &&
                     llvm::all_of(DeltaAtom.A.Args, [](const Expr &A) {
                       return A.isVariable() || A.K == Expr::Kind::Wildcard;
                     });
    Run.Buffers.fit(Pl);
    TupleSet &Target = *R.Sets[Run.Head];
    if (Straight) {
      Run.HeadFact = std::make_unique<HeadTuple>(C, Pl);
      Run.Emit = [this, &Run, &R](const std::vector<Value> &Vals) {
        Run.HeadFact->fillInto(Vals, Run.Pending.next());
        if (Run.Pending.push())
          storePending(Run, R);
      };
    } else {
      Run.Writer = std::make_unique<HeadWriter>(C, Pl, Target, R.Next[Run.Head], Spent);
      Run.Emit = std::ref(*Run.Writer);
    }
    Run.Pl = &Pl;
    return llvm::Error::success();
  }

  /// Derives the head facts of C not already in Known into Out. When
  /// DeltaLiteral >= 0 that body literal reads Delta instead of its relation.
  llvm::Error evaluateClause(const Clause &C, int DeltaLiteral, const TupleSet *Delta,
                             const TupleSet &Known, TupleSet &Out) {
    llvm::Expected<const Plan *> P = plan(C.Body, DeltaLiteral);
    if (!P)
      return P.takeError();
    const Plan &Pl = **P;
    if (C.hasAggregate())
      return aggregate(C, Pl, Known, Out);
    HeadWriter Keep(C, Pl, Known, Out, Spent);
    return solvePlan(C.Body, Pl, DeltaLiteral, Delta, std::ref(Keep), /*RowsKept=*/false);
  }

  /// A head with a ranking aggregate keeps, per group of the other head
  /// columns, the rows of the aggregate's variables that rankRows selects.
  llvm::Error rankingAggregate(const Clause &C, const Plan &Pl, const Expr &Rank,
                               const TupleSet &Known, TupleSet &Out) {
    std::vector<const Expr *> Vars = rankingVariables(Rank);
    std::map<Tuple, TupleSet, bool (*)(const Tuple &, const Tuple &)> Groups(tupleLess);
    llvm::Error E = solvePlan(C.Body, Pl, -1, nullptr, [&](const std::vector<Value> &Vals) {
      Tuple Key, Row;
      for (const Expr &A : C.Head.Args)
        if (&A != &Rank)
          Key.push_back(evalExpr(A, &Pl, &Vals));
      for (const Expr *V : Vars)
        Row.push_back(evalExpr(*V, &Pl, &Vals));
      Groups[Key].insert(std::move(Row));
    });
    if (E)
      return E;
    for (auto &G : Groups) {
      llvm::Expected<std::vector<Tuple>> Kept = rankRows(Rank, sortedTuples(G.second));
      if (!Kept)
        return Kept.takeError();
      for (const Tuple &Row : *Kept) {
        Tuple T;
        size_t KeyI = 0;
        for (const Expr &A : C.Head.Args) {
          if (&A == &Rank)
            T.insert(T.end(), Row.begin(), Row.end());
          else
            T.push_back(G.first[KeyI++]);
        }
        if (!Known.count(T))
          Out.insert(std::move(T));
      }
    }
    return llvm::Error::success();
  }

  llvm::Error aggregate(const Clause &C, const Plan &Pl, const TupleSet &Known, TupleSet &Out) {
    const Expr *Rank = nullptr;
    size_t Aggregates = 0;
    for (const Expr &A : C.Head.Args)
      if (A.K == Expr::Kind::Aggregate) {
        ++Aggregates;
        if (A.Aggregate->isRanking())
          Rank = &A;
      }
    if (Rank && Aggregates > 1)
      return failure("Rule '" + C.Head.Relation +
                     "' mixes a ranking aggregate with another aggregate in its head");
    if (Rank)
      return rankingAggregate(C, Pl, *Rank, Known, Out);
    std::map<Tuple, std::vector<Accumulator>, bool (*)(const Tuple &, const Tuple &)> Groups(
        tupleLess);
    // Per head argument: the aggregated variable (top_k: the score), or
    // null for a group column or an aggregate of no variable.
    std::vector<const Expr *> Inputs;
    size_t NAgg = 0;
    for (const Expr &A : C.Head.Args) {
      Inputs.push_back(nullptr);
      if (A.K != Expr::Kind::Aggregate)
        continue;
      ++NAgg;
      for (const Expr &X : A.Args)
        if (X.isVariable())
          Inputs.back() = &X;
    }
    // Per head argument, what a row gives it: a group column's
    // expression, an aggregate's input (null: none). A variable's slot is
    // looked up once rather than by name per row (-1: not bound by the
    // body, which reads as null, as evalExpr has it).
    std::vector<const Expr *> Sources;
    std::vector<int> Slots;
    for (size_t I = 0; I < C.Head.Args.size(); ++I) {
      const Expr &A = C.Head.Args[I];
      Sources.push_back(A.K == Expr::Kind::Aggregate ? Inputs[I] : &A);
      Slots.push_back(Sources[I] && Sources[I]->isVariable() ? Pl.slot(Sources[I]->Name) : -1);
    }
    auto Read = [&](size_t I, const std::vector<Value> &Vals) {
      if (!Sources[I])
        return Value::null();
      if (!Sources[I]->isVariable())
        return evalExpr(*Sources[I], &Pl, &Vals);
      return Slots[I] >= 0 ? Vals[size_t(Slots[I])] : Value::null();
    };
    Tuple Key; // reused: a solution allocates nothing once its group exists
    llvm::Error E = solvePlan(C.Body, Pl, -1, nullptr, [&](const std::vector<Value> &Vals) {
      Key.clear();
      for (size_t I = 0; I < C.Head.Args.size(); ++I)
        if (C.Head.Args[I].K != Expr::Kind::Aggregate)
          Key.push_back(Read(I, Vals));
      auto &Accs = Groups[Key];
      Accs.resize(NAgg);
      size_t AggI = 0;
      for (size_t I = 0; I < C.Head.Args.size(); ++I)
        if (C.Head.Args[I].K == Expr::Kind::Aggregate)
          Accs[AggI++].add(*C.Head.Args[I].Aggregate, Read(I, Vals));
    });
    if (E)
      return E;
    for (auto &G : Groups) {
      Tuple T;
      size_t KeyI = 0, AggI = 0;
      for (const Expr &A : C.Head.Args) {
        if (A.K != Expr::Kind::Aggregate) {
          T.push_back(G.first[KeyI++]);
          continue;
        }
        llvm::Expected<Value> V = reduce(A, G.second[AggI++]);
        if (!V)
          return V.takeError();
        T.push_back(*V);
      }
      if (!Known.count(T))
        Out.insert(std::move(T));
    }
    return llvm::Error::success();
  }

  /// One aggregate of one group, as its solutions arrive: count and
  /// min/max fold at once (a count over ten million facts keeps one
  /// number, not ten million values); the others keep their inputs,
  /// since they fold them in the values' own order (sortValues).
  struct Accumulator {
    std::vector<Value> Seen;
    int64_t Count = 0;
    llvm::Optional<Value> Best;

    void add(const iql::BuiltinAggregate &Agg, Value V) {
      switch (Agg.Kind) {
      case iql::AggregateKind::Count:
        ++Count;
        return;
      case iql::AggregateKind::MinMax: {
        // The first of equal extremes is kept, as a scan of all would.
        bool Min = Agg.Id == iql::AggregateId::Min;
        if (!V.isNull() &&
            (!Best || (Min ? compareValues(V, *Best) < 0 : compareValues(V, *Best) > 0)))
          Best = std::move(V);
        return;
      }
      default:
        Seen.push_back(std::move(V));
      }
    }
  };

  llvm::Expected<Value> reduce(const Expr &A, Accumulator &Acc) {
    std::vector<Value> &Seen = Acc.Seen;
    switch (A.Aggregate->Kind) {
    case iql::AggregateKind::Count:
      return Value::integer(Acc.Count);
    case iql::AggregateKind::CountDistinct:
      std::sort(Seen.begin(), Seen.end(),
                [](const Value &X, const Value &Y) { return compareValues(X, Y) < 0; });
      Seen.erase(std::unique(Seen.begin(), Seen.end()), Seen.end());
      return Value::integer(int64_t(Seen.size()));
    case iql::AggregateKind::MinMax:
      return Acc.Best ? *Acc.Best : Value::null();
    case iql::AggregateKind::Sum:
      sortValues(Seen);
      return integerSum(Seen);
    case iql::AggregateKind::Avg:
      sortValues(Seen);
      return sumOrAverage(false, Seen);
    default: // the ranking aggregates keep rows: rankingAggregate
      return failure("Aggregate '" + A.Name + "' does not fold to one value");
    }
  }

  /// sum<X> as the server computes it: in 64-bit integers, each float
  /// truncated toward zero, every step saturating at the int64 bounds
  /// (0.1 + 0.2 + 0.3 sums to 0, 1e100 to 9223372036854775807; transcripts
  /// 11_types/31, 42, 54, 55 and 14_aggregations/166).
  /// A sum saturates, and an average overflows to null or rounds, in an
  /// order that depends on the order of its inputs: they are folded in
  /// the values' own order, never in the order a set happens to hold
  /// its facts, so that the result is the same whatever stores them.
  static void sortValues(std::vector<Value> &Seen) {
    std::stable_sort(Seen.begin(), Seen.end(),
                     [](const Value &X, const Value &Y) { return compareValues(X, Y) < 0; });
  }

  static Value integerSum(const std::vector<Value> &Seen) {
    constexpr int64_t Max = std::numeric_limits<int64_t>::max();
    constexpr int64_t Min = std::numeric_limits<int64_t>::min();
    int64_t Total = 0;
    for (const Value &V : Seen) {
      if (!V.isNumber())
        continue;
      int64_t N = V.kind() == Value::Kind::Int ? V.asInt() : 0;
      if (V.kind() == Value::Kind::Float && !std::isnan(V.asFloat()))
        N = V.asFloat() >= 9223372036854775808.0    ? Max
            : V.asFloat() <= -9223372036854775808.0 ? Min
                                                    : int64_t(V.asFloat());
      int64_t Next;
      Total = __builtin_add_overflow(Total, N, &Next) ? (N > 0 ? Max : Min) : Next;
    }
    return Value::integer(Total);
  }

  static Value sumOrAverage(bool Sum, const std::vector<Value> &Seen) {
    Value Total = Value::integer(0);
    size_t N = 0;
    for (const Value &V : Seen) {
      if (!V.isNumber())
        continue;
      Total = arithmetic('+', Total, V);
      ++N;
    }
    if (Sum)
      return Total;
    if (N == 0 || Total.isNull())
      return Value::null();
    return Value::real(Total.toDouble() / double(N));
  }

  /// Calls Emit for every solution of Body. RowsKept: Emit keeps every
  /// solution, so each is charged its bytes here; else Emit charges what
  /// it keeps.
  llvm::Error solvePlan(const std::vector<Literal> &Body, const Plan &Pl, int DeltaLiteral,
                        const TupleSet *Delta, const Callback &Emit, bool RowsKept = true) {
    std::vector<const TupleSet *> Sources;
    std::vector<llvm::Optional<NearestSearch>> Searches;
    if (llvm::Error E = openSources(Body, DeltaLiteral, Delta, Sources, Searches))
      return E;
    SearchBuffers Buffers;
    Buffers.fit(Pl);
    return walk({Body, Pl, Sources, Searches, Emit, Buffers.Vals, Buffers.Bound, RowsKept,
                 Buffers.Keys, Buffers.Indexes});
  }

  /// What each literal of Body reads: its relation, Delta for the literal
  /// DeltaLiteral, an opened search for an index search. Sources are fixed
  /// before the search so that no relation is computed (and no index
  /// invalidated) while tuples are being walked.
  llvm::Error openSources(const std::vector<Literal> &Body, int DeltaLiteral, const TupleSet *Delta,
                          std::vector<const TupleSet *> &Sources,
                          std::vector<llvm::Optional<NearestSearch>> &Searches) {
    Sources.assign(Body.size(), nullptr);
    Searches.clear();
    Searches.resize(Body.size());
    for (size_t I = 0; I < Body.size(); ++I) {
      if (Body[I].K == Literal::Kind::Compare)
        continue;
      if (isIndexSearch(Body[I])) {
        llvm::Expected<NearestSearch> S =
            NearestSearch::open(G, searchedIndex(Body[I].A), *source(readRelation(G, Body[I])));
        if (!S)
          return S.takeError();
        Searches[I] = std::move(*S);
      } else if (int(I) == DeltaLiteral) {
        Sources[I] = Delta;
      } else {
        Sources[I] = source(Body[I].A.Relation);
      }
    }
    return llvm::Error::success();
  }

  /// One walk over a planned body: its fixed inputs and the bindings so far.
  struct SearchState {
    const std::vector<Literal> &Body;
    const Plan &Pl;
    const std::vector<const TupleSet *> &Sources;
    const std::vector<llvm::Optional<NearestSearch>> &Searches;
    const Callback &Emit;
    std::vector<Value> &Vals;
    std::vector<char> &Bound; // all clear between walks: a search unbinds what it binds
    bool RowsKept;
    std::vector<Tuple> &Keys;
    std::vector<StepIndex> &Indexes;
    // A round's delta read as the list of its facts (ClauseRun::ScansDelta)
    // by the body literal SpanLiteral, which knows none of its arguments.
    const std::vector<const Tuple *> *Span = nullptr;
    int SpanLiteral = -1;
  };

  llvm::Error walk(SearchState St) {
    if (!Spent.exhausted())
      search(St, 0);
    if (Spent.exhausted())
      return failure(Spent.reason());
    return llvm::Error::success();
  }

  /// Runs the plan from step StepI on, emitting every complete binding.
  void search(SearchState &St, size_t StepI) {
    bool Done = StepI == St.Pl.Steps.size();
    if (!(Done ? (St.RowsKept ? Spent.row(St.Vals) : Spent.row()) : Spent.step()))
      return;
    if (Done) {
      St.Emit(St.Vals);
      return;
    }
    const Step &S = St.Pl.Steps[StepI];
    const Literal &L = St.Body[S.Literal];
    switch (S.K) {
    case Step::Kind::Filter:
      if (filterHolds(L, evalExpr(L.Lhs, &St.Pl, &St.Vals), evalExpr(L.Rhs, &St.Pl, &St.Vals)))
        search(St, StepI + 1);
      return;
    case Step::Kind::Assign: {
      size_t Target = size_t(S.Target);
      St.Vals[Target] = evalExpr(S.TargetLeft ? L.Rhs : L.Lhs, &St.Pl, &St.Vals);
      St.Bound[Target] = 1;
      search(St, StepI + 1);
      St.Bound[Target] = 0;
      return;
    }
    case Step::Kind::Negate:
    case Step::Kind::Scan:
      matchAtom(St, StepI);
      return;
    case Step::Kind::Nearest:
      matchNearest(St, StepI);
      return;
    }
  }

  /// An index search continues the search once per fact among the K
  /// nearest to its query, binding its id and distance arguments.
  void matchNearest(SearchState &St, size_t StepI) {
    size_t LiteralI = St.Pl.Steps[StepI].Literal;
    const std::vector<Expr> &Args = St.Body[LiteralI].A.Args;
    llvm::Expected<std::vector<std::pair<Value, Value>>> Hits = St.Searches[LiteralI]->nearest(
        evalExpr(Args[1], &St.Pl, &St.Vals), size_t(Args[2].Constant.asInt()));
    if (!Hits) {
      Spent.stop(llvm::toString(Hits.takeError()));
      return;
    }
    // Only the id (3) and distance (4) arguments take values from a hit.
    constexpr size_t IdArg = 3, DistArg = 4;
    uint64_t Known = ~((uint64_t(1) << IdArg) | (uint64_t(1) << DistArg));
    Tuple Row(Args.size());
    for (auto &[Id, Dist] : *Hits) {
      if (!Spent.step())
        return;
      Row[IdArg] = Id;
      Row[DistArg] = Dist;
      llvm::SmallVector<int, 8> Newly;
      if (bindTuple(St, LiteralI, Known, Row, Newly))
        search(St, StepI + 1);
      for (int Slot : Newly)
        St.Bound[size_t(Slot)] = 0;
      if (Spent.exhausted())
        return;
    }
  }

  /// The columns of an atom whose values are known before it is matched
  /// (only the first 64 can be index keys).
  struct KnownColumns {
    uint64_t Mask = 0;
    Tuple &Key; // the known values, in column order
    bool AllBound = true;
  };

  KnownColumns knownColumns(SearchState &St, size_t StepI) {
    size_t LiteralI = St.Pl.Steps[StepI].Literal;
    const std::vector<Expr> &Args = St.Body[LiteralI].A.Args;
    const std::vector<int> &Slots = St.Pl.ArgSlots[LiteralI];
    KnownColumns K{0, St.Keys[StepI], true};
    // Values are assigned over the buffer's earlier ones, which for
    // integers copies no more than the integer.
    size_t N = 0;
    for (size_t I = 0; I < Args.size(); ++I) {
      const Expr &A = Args[I];
      int Slot = Slots[I];
      bool Known = A.K == Expr::Kind::Constant || A.K == Expr::Kind::Binary ||
                   A.K == Expr::Kind::Call || (Slot >= 0 && St.Bound[size_t(Slot)]);
      if (!Known || I >= 64) {
        K.AllBound = false;
        continue;
      }
      K.Mask |= uint64_t(1) << I;
      if (N == K.Key.size())
        K.Key.emplace_back();
      if (Slot >= 0)
        K.Key[N++] = St.Vals[size_t(Slot)];
      else
        K.Key[N++] = evalExpr(A, &St.Pl, &St.Vals);
    }
    K.Key.resize(N);
    return K; // when AllBound, Key is the whole tuple
  }

  /// Binds the free variables of Args to T, recording the slots bound in
  /// Newly; false when T contradicts a bound (or repeated) variable.
  bool bindTuple(SearchState &St, size_t LiteralI, uint64_t Mask, const Tuple &T,
                 llvm::SmallVectorImpl<int> &Newly) {
    const std::vector<Expr> &Args = St.Body[LiteralI].A.Args;
    const std::vector<int> &Slots = St.Pl.ArgSlots[LiteralI];
    for (size_t I = 0; I < Args.size(); ++I) {
      if (Mask & (uint64_t(1) << I))
        continue;
      const Expr &A = Args[I];
      if (A.K == Expr::Kind::Wildcard)
        continue;
      if (!A.isVariable()) { // a known expression beyond column 64
        if (evalExpr(A, &St.Pl, &St.Vals) != T[I])
          return false;
        continue;
      }
      size_t Slot = size_t(Slots[I]);
      if (St.Bound[Slot]) {
        if (St.Vals[Slot] != T[I])
          return false;
      } else {
        St.Vals[Slot] = T[I];
        St.Bound[Slot] = 1;
        Newly.push_back(int(Slot));
      }
    }
    return true;
  }

  /// A scan continues the search once per matching tuple; a negation
  /// continues it once when no tuple matches.
  void matchAtom(SearchState &St, size_t StepI) {
    const Step &S = St.Pl.Steps[StepI];
    const std::vector<Expr> &Args = St.Body[S.Literal].A.Args;
    const TupleSet *Src = St.Sources[S.Literal];
    bool Negate = S.K == Step::Kind::Negate;
    // A round's delta read as a list is scanned first with none of its
    // arguments known (ClauseRun::ScansDelta): nothing to work out.
    bool ReadsSpan = int(S.Literal) == St.SpanLiteral;
    KnownColumns K = ReadsSpan ? KnownColumns{0, St.Keys[StepI], false} : knownColumns(St, StepI);
    bool Stop = false;
    auto Visit = [&](const Tuple &T) {
      // Charged even when T does not match: scans that bind nothing are
      // joins too.
      if (!Spent.step() || T.size() != Args.size())
        return;
      llvm::SmallVector<int, 8> Newly;
      if (bindTuple(St, S.Literal, K.Mask, T, Newly)) {
        if (Negate)
          Stop = true;
        else
          search(St, StepI + 1);
      }
      for (int Slot : Newly)
        St.Bound[size_t(Slot)] = 0;
    };
    if (ReadsSpan) {
      for (const Tuple *T : *St.Span) {
        Visit(*T);
        if (Stop || Spent.exhausted())
          break;
      }
    } else if (K.AllBound) {
      Stop = Src->count(K.Key) > 0;
      if (!Negate && Stop)
        search(St, StepI + 1);
    } else if (K.Mask == 0) {
      for (const Tuple &T : *Src) {
        Visit(T);
        if (Stop || Spent.exhausted())
          break;
      }
    } else {
      // No index grows while a walk reads it (sources are fixed first,
      // and a round stores only into relations its walks do not read),
      // so the bucket stays valid.
      const HashIndex &Idx = stepIndex(St.Indexes[StepI], Src, K.Mask, Args.size());
      for (const Tuple *T : Idx.find(K.Key)) {
        Visit(*T);
        if (Stop || Spent.exhausted())
          break;
      }
    }
    if (Negate && !Stop)
      search(St, StepI + 1);
  }
};

EvaluationLimits &strata::engine::evaluationLimits() {
  static EvaluationLimits Limits;
  return Limits;
}

Evaluator::Evaluator(const Graph &G, const SessionExtras *Extras)
    : P(std::make_unique<Impl>(G, Extras)) {}
Evaluator::~Evaluator() = default;

llvm::Error Evaluator::solve(const std::vector<Literal> &Body, std::vector<std::string> &Vars,
                             const Emit &Callback) {
  // The memory budget should stop a statement first; an allocation that
  // fails anyway (the budget set too high for the machine) fails the
  // statement, which has changed nothing yet, rather than the process.
  try {
    // Only relation names change, so Run has Body's variables in Body's
    // order.
    std::vector<Literal> Run = P->demandBody(P->rulesOnlyBody(Body));
    if (llvm::Error E = P->prepare(Run))
      return E;
    // Planned afresh, not through the cache: the cache is keyed by the
    // body's address, which is stable for the rules' clauses but not for a
    // caller's body, freed after the call; a later body at the same address
    // would find this one's plan.
    Plan Fresh;
    if (llvm::Error E = planBody(Run, Fresh))
      return E;
    Vars = Fresh.Vars;
    return P->solvePlan(Run, Fresh, -1, nullptr, Callback);
  } catch (const std::bad_alloc &) {
    P->Spent.stop(outOfMemoryText());
    return failure(P->Spent.reason());
  }
}

llvm::Expected<const TupleSet *> Evaluator::relation(const std::string &Name) {
  try {
    return P->relation(Name);
  } catch (const std::bad_alloc &) {
    P->Spent.stop(outOfMemoryText());
    return failure(P->Spent.reason());
  }
}

llvm::Expected<const TupleSet *> Evaluator::relationFor(const Atom &A) {
  try {
    Literal L;
    L.A = A;
    std::vector<Literal> Run = P->demandBody(P->rulesOnlyBody({L}));
    return P->relation(Run.front().A.Relation);
  } catch (const std::bad_alloc &) {
    P->Spent.stop(outOfMemoryText());
    return failure(P->Spent.reason());
  }
}

Budget &Evaluator::budget() { return P->Spent; }

QueryEvaluation &strata::engine::queryEvaluation() {
  static QueryEvaluation Choice = QueryEvaluation::DemandDriven;
  return Choice;
}

std::optional<QueryEvaluation> strata::engine::parseQueryEvaluation(llvm::StringRef Text) {
  if (Text == "demand")
    return QueryEvaluation::DemandDriven;
  if (Text == "full")
    return QueryEvaluation::Full;
  return std::nullopt;
}

llvm::Error Evaluator::validateRule(const Graph &G, const Clause &Rule,
                                    const std::vector<Clause> &Others) {
  Plan Pl;
  if (llvm::Error E = planBody(Rule.Body, Pl))
    return E;
  for (const Expr &A : Rule.Head.Args) {
    if (A.K == Expr::Kind::Wildcard)
      return failure("Wildcard '_' is not allowed in the head of rule '" + Rule.Head.Relation +
                     "'");
    if (llvm::Error E = checkFunctions(A))
      return E;
    std::vector<std::string> Vs;
    if (A.K == Expr::Kind::Aggregate) {
      for (const Expr &X : A.Args)
        collectVars(X, Vs);
    } else {
      collectVars(A, Vs);
    }
    for (const std::string &V : Vs)
      if (Pl.slot(V) < 0)
        return failure("Variable '" + V + "' in the head of rule '" + Rule.Head.Relation +
                       "' does not appear in its body");
  }
  return checkStratified(G, clausesOnCyclesThrough(G, Rule, Others));
}

llvm::Expected<Value> strata::engine::evaluateGround(const Expr &E) {
  if (llvm::Error Err = checkFunctions(E))
    return Err;
  if (E.K == Expr::Kind::Aggregate)
    return failure("Aggregates are only allowed in a rule head");
  return evalExpr(E, nullptr, nullptr);
}
