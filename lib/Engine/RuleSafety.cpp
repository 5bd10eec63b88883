//===- RuleSafety.cpp - Head variables a rule's body must bind -------------===//
#include "RuleSafety.h"
#include "llvm/ADT/StringExtras.h"
#include <set>

using namespace strata;
using namespace strata::engine;

namespace {
void collect(const Expr &E, std::set<std::string> &Out) {
  if (E.isVariable())
    Out.insert(E.Name);
  for (const Expr &A : E.Args)
    collect(A, Out);
}
} // namespace

std::string strata::engine::unsafeHeadMessage(const Clause &Rule) {
  std::set<std::string> Head, Bound;
  for (const Expr &A : Rule.Head.Args)
    collect(A, Head);
  for (const Literal &L : Rule.Body) {
    if (L.K == Literal::Kind::Positive)
      for (const Expr &A : L.A.Args)
        if (A.isVariable())
          Bound.insert(A.Name);
    if (L.K == Literal::Kind::Compare && L.CmpOp == "=")
      for (const Expr *Side : {&L.Lhs, &L.Rhs})
        if (Side->isVariable())
          Bound.insert(Side->Name);
  }
  std::vector<std::string> Unbound;
  for (const std::string &V : Head)
    if (!Bound.count(V))
      Unbound.push_back(V);
  if (Unbound.empty())
    return "";
  return "Unsafe rule '" + Rule.Head.Relation + "': Head variable(s) " + llvm::join(Unbound, ", ") +
         " not bound by any positive body atom. All head variables must appear in at least one "
         "positive body predicate.";
}
