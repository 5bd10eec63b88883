//===- Demand.cpp - Demand-driven rewriting of a query (magic sets) --------===//
#include "Demand.h"
#include "strata/IQL/Builtins.h"
#include <algorithm>

using namespace strata::engine;

namespace {

void addVariables(const Expr &E, std::set<std::string> &Out) {
  if (E.isVariable())
    Out.insert(E.Name);
  for (const Expr &A : E.Args)
    addVariables(A, Out);
}

/// Which arguments of an atom are known when it is solved: constants,
/// computed arguments (the planner solves an atom only once their inputs
/// are bound) and variables bound before it. Bit I is argument I (only the
/// first 64 columns are restricted).
uint64_t boundMask(const Atom &A, const std::set<std::string> &Bound) {
  uint64_t Mask = 0;
  for (size_t I = 0; I < A.Args.size() && I < 64; ++I) {
    const Expr &E = A.Args[I];
    bool Known = E.K == Expr::Kind::Constant || E.K == Expr::Kind::Binary ||
                 E.K == Expr::Kind::Call || (E.isVariable() && Bound.count(E.Name));
    if (Known)
      Mask |= uint64_t(1) << I;
  }
  return Mask;
}

std::string patternText(uint64_t Mask, size_t Arity) {
  std::string P;
  for (size_t I = 0; I < Arity; ++I)
    P += I < 64 && (Mask & (uint64_t(1) << I)) ? 'b' : 'f';
  return P;
}

Atom atomOf(std::string Relation, std::vector<Expr> Args) {
  Atom A;
  A.Relation = std::move(Relation);
  A.Args = std::move(Args);
  return A;
}

Literal positive(Atom A) {
  Literal L;
  L.K = Literal::Kind::Positive;
  L.A = std::move(A);
  return L;
}

bool sameArgs(const std::vector<Expr> &X, const std::vector<Expr> &Y) {
  if (X.size() != Y.size())
    return false;
  for (size_t I = 0; I < X.size(); ++I)
    if (!X[I].isVariable() || !Y[I].isVariable() || X[I].Name != Y[I].Name)
      return false;
  return true;
}

class Rewriter {
public:
  Rewriter(const ClauseMap &Clauses, const std::set<std::string> &Eligible,
           const std::set<std::string> &Seeded, const BodyOrder &Order, unsigned Tag)
      : Clauses(Clauses), Eligible(Eligible), Seeded(Seeded), Order(Order),
        Tag(std::to_string(Tag)) {}

  llvm::Expected<DemandProgram> run(const std::vector<Literal> &Body) {
    llvm::Expected<std::vector<Literal>> Top = adornBody(Body, nullptr);
    if (!Top)
      return Top.takeError();
    Out.Body = std::move(*Top);
    while (!Work.empty()) {
      auto [Relation, Mask, Arity] = Work.back();
      Work.pop_back();
      if (llvm::Error E = adornRelation(Relation, Mask, Arity))
        return E;
    }
    return std::move(Out);
  }

private:
  const ClauseMap &Clauses;
  const std::set<std::string> &Eligible;
  const std::set<std::string> &Seeded;
  const BodyOrder &Order;
  std::string Tag;
  DemandProgram Out;
  std::set<std::string> Made; // adorned relations already queued
  std::vector<std::tuple<std::string, uint64_t, size_t>> Work;

  // Names start with \x02, which no IQL name can, and carry the tag.
  std::string adornedName(const std::string &R, uint64_t Mask, size_t Arity) const {
    return "\x02" + Tag + ":" + R + ":" + patternText(Mask, Arity);
  }
  std::string magicName(const std::string &R, uint64_t Mask, size_t Arity) const {
    return "\x02" + Tag + ":magic:" + R + ":" + patternText(Mask, Arity);
  }

  /// The columns of R (at Arity) where every clause's head has a variable:
  /// only those can take a binding from a magic relation.
  uint64_t variableHeadColumns(const std::string &R, size_t Arity) const {
    uint64_t Mask = Arity >= 64 ? ~uint64_t(0) : (uint64_t(1) << Arity) - 1;
    for (const Clause *C : Clauses.at(R)) {
      if (C->Head.Args.size() != Arity)
        continue;
      for (size_t I = 0; I < Arity && I < 64; ++I)
        if (!C->Head.Args[I].isVariable())
          Mask &= ~(uint64_t(1) << I);
    }
    return Mask;
  }

  /// The bound arguments of Args, in column order.
  static std::vector<Expr> boundArgs(const std::vector<Expr> &Args, uint64_t Mask) {
    std::vector<Expr> Out;
    for (size_t I = 0; I < Args.size() && I < 64; ++I)
      if (Mask & (uint64_t(1) << I))
        Out.push_back(Args[I]);
    return Out;
  }

  /// Renames the restrictable atoms of Body, in the order the planner
  /// solves it, and adds for each the magic clause that asks for its
  /// bindings: the literals solved before it. Magic (may be null) is
  /// Body's first literal, the magic atom of the clause's own head.
  llvm::Expected<std::vector<Literal>> adornBody(std::vector<Literal> Body, const Literal *Magic) {
    llvm::Expected<std::vector<size_t>> Steps = Order(Body);
    if (!Steps)
      return Steps.takeError();
    std::set<std::string> Bound;
    std::vector<size_t> Before;
    for (size_t I : *Steps) {
      Literal &L = Body[I];
      if (L.K == Literal::Kind::Positive && Eligible.count(L.A.Relation))
        restrictAtom(Body, I, Bound, Before, Magic);
      // A negation or a filter binds nothing new; an atom or an
      // assignment binds all its variables.
      if (L.K == Literal::Kind::Positive) {
        for (const Expr &A : L.A.Args)
          addVariables(A, Bound);
      } else if (L.K == Literal::Kind::Compare && L.CmpOp == "=") {
        addVariables(L.Lhs, Bound);
        addVariables(L.Rhs, Bound);
      }
      Before.push_back(I);
    }
    return Body;
  }

  void restrictAtom(std::vector<Literal> &Body, size_t I, const std::set<std::string> &Bound,
                    const std::vector<size_t> &Before, const Literal *Magic) {
    Atom &A = Body[I].A;
    size_t Arity = A.Args.size();
    uint64_t Mask = boundMask(A, Bound) & variableHeadColumns(A.Relation, Arity);
    if (Mask == 0)
      return; // nothing bound: the relation is read whole
    std::string Relation = A.Relation;
    std::string MagicRel = magicName(Relation, Mask, Arity);
    Clause Ask;
    Ask.Head = atomOf(MagicRel, boundArgs(A.Args, Mask));
    for (size_t J : Before)
      Ask.Body.push_back(Body[J]);
    // `m(X) <- m(X)` (a left-recursive call asking for what its own head
    // was asked) adds nothing.
    bool Trivial = Magic && Ask.Body.size() == 1 && Ask.Body[0].A.Relation == MagicRel &&
                   sameArgs(Ask.Body[0].A.Args, Ask.Head.Args);
    if (!Trivial)
      Out.Clauses.push_back(std::move(Ask));
    std::string Adorned = adornedName(Relation, Mask, Arity);
    Out.ShownAs[MagicRel] = Relation;
    Out.ShownAs[Adorned] = Relation;
    Out.Origin[Adorned] = Relation;
    if (Made.insert(Adorned).second)
      Work.emplace_back(Relation, Mask, Arity);
    A.Relation = Adorned;
  }

  /// Whether Body reads Adorned with the head's bound arguments (Mask's
  /// columns of HeadArgs) passed on unchanged, as `r(X, Z) <- r(X, Y),
  /// e(Y, Z)` does with X. Every fact of Adorned then has bound values
  /// that were asked for, by induction over the rounds, when Adorned
  /// starts empty (its relation has no stored facts): so the clause needs
  /// no magic atom of its own, and a round of it joins one literal less.
  static bool passesBindingOn(const std::vector<Literal> &Body, const std::string &Adorned,
                              const std::vector<Expr> &HeadArgs, uint64_t Mask) {
    std::vector<Expr> Asked = boundArgs(HeadArgs, Mask);
    return llvm::any_of(Body, [&](const Literal &L) {
      return L.K == Literal::Kind::Positive && L.A.Relation == Adorned &&
             sameArgs(boundArgs(L.A.Args, Mask), Asked);
    });
  }

  /// The adorned clauses of Relation at Mask: each clause of that arity,
  /// its body led by the magic atom of its head's bound arguments.
  llvm::Error adornRelation(const std::string &Relation, uint64_t Mask, size_t Arity) {
    std::string Adorned = adornedName(Relation, Mask, Arity);
    for (const Clause *C : Clauses.at(Relation)) {
      if (C->Head.Args.size() != Arity)
        continue; // its facts never match an atom of this arity
      Literal Magic =
          positive(atomOf(magicName(Relation, Mask, Arity), boundArgs(C->Head.Args, Mask)));
      std::vector<Literal> Body;
      Body.reserve(C->Body.size() + 1);
      Body.push_back(Magic);
      Body.insert(Body.end(), C->Body.begin(), C->Body.end());
      llvm::Expected<std::vector<Literal>> NewBody = adornBody(std::move(Body), &Magic);
      if (!NewBody)
        return NewBody.takeError();
      if (!Seeded.count(Relation) && passesBindingOn(*NewBody, Adorned, C->Head.Args, Mask))
        NewBody->erase(NewBody->begin()); // the magic atom: see passesBindingOn
      Clause R;
      R.Head = C->Head;
      R.Head.Relation = Adorned;
      R.Body = std::move(*NewBody);
      Out.Clauses.push_back(std::move(R));
    }
    return llvm::Error::success();
  }
};

} // namespace

llvm::Expected<DemandProgram>
strata::engine::rewriteForDemand(const std::vector<Literal> &Body, const ClauseMap &Clauses,
                                 const std::set<std::string> &Eligible,
                                 const std::set<std::string> &Seeded, const BodyOrder &Order,
                                 unsigned Tag) {
  return Rewriter(Clauses, Eligible, Seeded, Order, Tag).run(Body);
}
