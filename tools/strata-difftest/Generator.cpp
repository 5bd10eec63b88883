//===- Generator.cpp - Seeded migration-shaped IQL programs ---------------===//
#include "Generator.h"
#include "strata/IQL/Builtins.h"
#include "llvm/ADT/STLExtras.h"
#include <fmt/format.h>
#include <random>
#include <vector>

using namespace strata;
using namespace strata::difftest;

namespace {

enum class Ty { Int, Float, String, Bool };
const char *const TypeNames[] = {"int", "float", "string", "bool"};

struct Relation {
  std::string Name;
  std::vector<Ty> Columns;
  bool Derived = false;
};

/// Builds one program statement by statement; every choice comes from Rng.
class ProgramBuilder {
public:
  explicit ProgramBuilder(uint64_t Seed) : Rng(Seed) {}

  std::string build() {
    unsigned Count = 6 + pick(12);
    for (unsigned I = 0; I < 2; ++I)
      emit(schema());
    for (unsigned I = 0; I < Count; ++I)
      emit(statement());
    return Out;
  }

private:
  std::mt19937_64 Rng;
  std::string Out;
  std::vector<Relation> Relations;
  unsigned NextName = 0;
  bool Mutated = false; // the statement being built was mutated

  unsigned pick(unsigned N) { return N ? unsigned(Rng() % N) : 0; }
  bool chance(unsigned Percent) { return pick(100) < Percent; }
  template <typename T> const T &any(const std::vector<T> &V) { return V[pick(V.size())]; }

  void emit(const std::string &S) { Out += S + "\n"; }

  /// A mutation with probability Percent (at most one per statement).
  bool mutate(unsigned Percent) {
    if (Mutated || !chance(Percent))
      return false;
    return Mutated = true;
  }

  std::string constant(Ty T) {
    if (mutate(4))
      T = Ty((unsigned(T) + 1 + pick(3)) % 4); // a value of another type
    switch (T) {
    case Ty::Int:
      return std::to_string(int(pick(20)) - 5);
    case Ty::Float:
      return fmt::format("{}.5", pick(10));
    case Ty::String:
      return fmt::format("\"s{}\"", pick(5));
    case Ty::Bool:
      return chance(50) ? "true" : "false";
    }
    return "0";
  }

  std::string schema() {
    Relation R;
    R.Name = fmt::format("r{}", NextName++);
    unsigned Width = 1 + pick(3);
    std::vector<std::string> Cols;
    for (unsigned I = 0; I < Width; ++I) {
      R.Columns.push_back(Ty(pick(4)));
      Cols.push_back(fmt::format("c{}: {}", I, TypeNames[unsigned(R.Columns.back())]));
    }
    Relations.push_back(R);
    return fmt::format("+{}({})", R.Name, fmt::join(Cols, ", "));
  }

  const Relation &base() {
    std::vector<const Relation *> Bases;
    for (const Relation &R : Relations)
      if (!R.Derived)
        Bases.push_back(&R);
    return Bases.empty() ? Relations.front() : *any(Bases);
  }

  std::string relationName(const Relation &R) {
    if (mutate(3))
      return R.Name + "x"; // a name that does not exist
    return R.Name;
  }

  std::string facts() {
    const Relation &R = base();
    unsigned Rows = 1 + pick(3);
    std::vector<std::string> Tuples;
    for (unsigned I = 0; I < Rows; ++I) {
      std::vector<std::string> Vals;
      for (Ty T : R.Columns)
        Vals.push_back(constant(T));
      if (mutate(3))
        Vals.push_back(constant(Ty::Int)); // one value too many
      Tuples.push_back(fmt::format("({})", fmt::join(Vals, ", ")));
    }
    if (Rows == 1 && chance(50))
      return fmt::format("+{}{}", relationName(R), Tuples.front());
    return fmt::format("+{}[{}]", relationName(R), fmt::join(Tuples, ", "));
  }

  struct Body {
    std::vector<std::string> Literals;
    std::vector<std::pair<std::string, Ty>> Vars; // bound by positive atoms
  };

  /// A positive atom over a base relation, binding fresh variables.
  void addAtom(Body &B, const Relation &R) {
    std::vector<std::string> Args;
    for (Ty T : R.Columns) {
      if (chance(15)) {
        Args.push_back("_");
        continue;
      }
      std::string V = fmt::format("V{}", B.Vars.size());
      B.Vars.push_back({V, T});
      Args.push_back(V);
    }
    if (Args.size() > 1 && mutate(3))
      Args.pop_back(); // one argument too few
    B.Literals.push_back(fmt::format("{}({})", relationName(R), fmt::join(Args, ", ")));
  }

  const std::pair<std::string, Ty> *varOf(const Body &B, std::vector<Ty> Types) {
    std::vector<const std::pair<std::string, Ty> *> Found;
    for (const auto &V : B.Vars)
      if (llvm::is_contained(Types, V.second))
        Found.push_back(&V);
    return Found.empty() ? nullptr : any(Found);
  }

  void addFilter(Body &B) {
    const auto *V = varOf(B, {Ty::Int, Ty::Float});
    if (!V)
      return;
    std::string Rhs = mutate(4) ? "\"text\"" : std::to_string(pick(10));
    if (mutate(3))
      Rhs = "Unbound"; // a variable no atom binds
    B.Literals.push_back(
        fmt::format("{} {} {}", V->first, any<std::string>({">", "<", "!=", ">="}), Rhs));
  }

  /// Whether a variable of type T fits a parameter of type P.
  static bool fits(iql::ParamType P, Ty T) {
    switch (P) {
    case iql::ParamType::Int:
    case iql::ParamType::Timestamp:
      return T == Ty::Int;
    case iql::ParamType::Number:
    case iql::ParamType::Ordered:
    case iql::ParamType::Any:
      return true; // V is an int or a float
    default:
      return false;
    }
  }

  /// `N = f(V)` with a one-argument numeric function of the table whose
  /// parameter takes V; as a mutation, one whose parameter does not (both
  /// sides accept it: the call is null at run time).
  void addFunction(Body &B) {
    const auto *V = varOf(B, {Ty::Int, Ty::Float});
    if (!V)
      return;
    bool Misfit = mutate(6);
    std::vector<const iql::BuiltinFunction *> Unary;
    for (const iql::BuiltinFunction &F : iql::allFunctions())
      if (F.Arity == 1 &&
          (F.Result == iql::ResultType::Int || F.Result == iql::ResultType::Float ||
           F.Result == iql::ResultType::SameAsFirst) &&
          fits(F.Params[0], V->second) != Misfit)
        Unary.push_back(&F);
    if (Unary.empty())
      return;
    std::string Name = any(Unary)->Name;
    if (mutate(6))
      Name += "x"; // a misspelled function
    std::string Result = fmt::format("V{}", B.Vars.size());
    B.Literals.push_back(fmt::format("{} = {}({})", Result, Name, V->first));
    B.Vars.push_back({Result, Ty::Float});
  }

  /// A misused aggregate: in a body atom, where only heads aggregate.
  void addBodyAggregate(Body &B) {
    const auto *V = varOf(B, {Ty::Int, Ty::Float});
    const Relation &R = base();
    if (!V || R.Columns.size() != 1)
      return;
    B.Literals.push_back(fmt::format("{}(count<{}>)", R.Name, V->first));
  }

  void addNegation(Body &B) {
    const Relation &R = base();
    std::vector<std::string> Args;
    for (Ty T : R.Columns) {
      const auto *V = varOf(B, {T});
      Args.push_back(V ? V->first : "_");
    }
    if (!Args.empty() && mutate(5))
      Args.back() = "Fresh"; // only in the negation: unsafe
    B.Literals.push_back(fmt::format("!{}({})", relationName(R), fmt::join(Args, ", ")));
  }

  Body body() {
    Body B;
    addAtom(B, base());
    if (chance(40))
      addAtom(B, any(Relations));
    if (chance(40))
      addFilter(B);
    if (chance(30))
      addFunction(B);
    if (chance(20))
      addNegation(B);
    if (mutate(3))
      addBodyAggregate(B);
    return B;
  }

  /// A head aggregate of the table over variables of B; the columns it
  /// derives are appended to Columns (a ranking aggregate derives one per
  /// variable it ranks).
  std::string aggregate(const Body &B, std::vector<Ty> &Columns) {
    const iql::BuiltinAggregate &A = iql::allAggregates()[pick(iql::allAggregates().size())];
    std::string Name = A.Name;
    if (mutate(6))
      Name += "s"; // an unknown aggregate
    const auto *V = varOf(B, A.isCount() ? std::vector<Ty>{Ty::Int, Ty::Float, Ty::String, Ty::Bool}
                                         : std::vector<Ty>{Ty::Int, Ty::Float});
    if (!V)
      return "";
    if (!A.isRanking()) {
      Columns.push_back(A.isCount()                         ? Ty::Int
                        : A.Kind == iql::AggregateKind::Avg ? Ty::Float
                                                            : V->second);
      return fmt::format("{}<{}>", Name, V->first);
    }
    // Ranked: an optional key variable first, then the ordered score.
    std::string Ranked = V->first + (A.Kind == iql::AggregateKind::WithinRadius ? ":asc" : ":desc");
    if (const auto *Key = varOf(B, {Ty::Int, Ty::String}); Key && Key != V && chance(50)) {
      Columns.push_back(Key->second);
      Ranked = Key->first + ", " + Ranked;
    }
    Columns.push_back(V->second);
    switch (A.Kind) {
    case iql::AggregateKind::TopKThreshold:
      return fmt::format("{}<{}, 0.5, {}>", Name, 1 + pick(3), Ranked);
    case iql::AggregateKind::WithinRadius:
      return fmt::format("{}<0.5, {}>", Name, Ranked);
    default:
      return fmt::format("{}<{}, {}>", Name, 1 + pick(3), Ranked);
    }
  }

  std::string rule() {
    Body B = body();
    Relation D;
    D.Name = fmt::format("d{}", NextName++);
    D.Derived = true;
    std::vector<std::string> Head;
    unsigned Width = 1 + pick(std::min<unsigned>(2, B.Vars.size()));
    for (unsigned I = 0; I < Width && I < B.Vars.size(); ++I) {
      Head.push_back(B.Vars[I].first);
      D.Columns.push_back(B.Vars[I].second);
    }
    if (chance(35))
      if (std::string Agg = aggregate(B, D.Columns); !Agg.empty())
        Head.push_back(Agg);
    if (mutate(5))
      Head.push_back("Nowhere"); // a head variable the body does not bind
    if (Head.size() == D.Columns.size() && !Head.empty() && chance(10)) {
      // Recursion through the rule itself; negated, it cannot be stratified.
      bool Negated = mutate(40);
      B.Literals.push_back(
          fmt::format("{}{}({})", Negated ? "!" : "", D.Name, fmt::join(Head, ", ")));
    }
    if (Head.empty()) {
      Head.push_back("1");
      D.Columns.push_back(Ty::Int);
    }
    Relations.push_back(D);
    return fmt::format("+{}({}) <- {}", D.Name, fmt::join(Head, ", "), fmt::join(B.Literals, ", "));
  }

  std::string conditionalDelete() {
    const Relation &R = base();
    Body B;
    addAtom(B, R);
    if (chance(60))
      addFilter(B);
    std::string Head = B.Literals.front();
    return fmt::format("-{} <- {}", Head, fmt::join(B.Literals, ", "));
  }

  /// `-r(..), +r(..) <- body`: moves rows of a base relation.
  std::string atomicUpdate() {
    const Relation &R = base();
    Body B;
    addAtom(B, R);
    if (chance(60))
      addFilter(B);
    std::string Old = B.Literals.front();
    std::vector<std::string> New;
    for (size_t I = 0; I < R.Columns.size(); ++I)
      New.push_back(constant(R.Columns[I]));
    return fmt::format("-{}, +{}({}) <- {}", Old, relationName(R), fmt::join(New, ", "),
                       fmt::join(B.Literals, ", "));
  }

  std::string command() {
    const Relation &R = any(Relations);
    switch (pick(8)) {
    case 5:
      return fmt::format(".rule clear {}", relationName(R));
    case 6:
      return fmt::format(".index drop v{}_idx", pick(NextName + 1));
    case 7:
      return atomicUpdate();
    case 0:
      return fmt::format(".rel drop {}", relationName(R));
    case 1:
      return fmt::format(".rule drop {}", relationName(R));
    case 2:
      return fmt::format(".rule remove {} {}", relationName(R), 1 + pick(2));
    case 3:
      if (chance(50))
        return "?" + fmt::format("{}", fmt::join(body().Literals, ", "));
      return fmt::format("?{}({})", relationName(R),
                         fmt::join(std::vector<std::string>(R.Columns.size(), "_"), ", "));
    default:
      return index();
    }
  }

  std::string index() {
    std::string Name = fmt::format("v{}", NextName++);
    unsigned Dim = 2 + pick(3);
    std::string Vec;
    for (unsigned I = 0; I < Dim; ++I)
      Vec += (I ? ", " : "") + fmt::format("{}.0", pick(5));
    emit(fmt::format("+{}(id: int, emb: vector({}))", Name, Dim));
    emit(fmt::format("+{}(1, [{}])", Name, Vec));
    std::string Column = mutate(10) ? "id" : "emb"; // an index on a non-vector column
    std::vector<std::string> Metrics;
    for (iql::IndexMetric M : iql::allIndexMetrics())
      Metrics.push_back(iql::indexMetricName(M).str());
    return fmt::format(".index create {}_idx on {}({}) metric {}", Name, Name, Column,
                       any<std::string>(Metrics));
  }

  std::string statement() {
    Mutated = false;
    switch (pick(10)) {
    case 0:
      return schema();
    case 1:
    case 2:
      return facts();
    case 3:
    case 4:
    case 5:
      return rule();
    case 6:
      return conditionalDelete();
    default:
      return command();
    }
  }
};

} // namespace

std::string difftest::generateProgram(uint64_t Seed) { return ProgramBuilder(Seed).build(); }
