//===- AutodetectOrder.cpp - Rule dependencies and object keys ------------===//
#include "AutodetectImpl.h"
#include "strata/Support/SCC.h"
#include "llvm/Support/Casting.h"
#include <algorithm>

using namespace strata;
using namespace strata::detail;

namespace {
using NameEdges = std::map<std::string, std::vector<std::string>>;

/// The strongly connected components of the graph over Names, each sorted
/// by name, and the component of each name.
struct NameComponents {
  std::vector<std::vector<std::string>> Comps;
  std::map<std::string, size_t> CompOf;
};

NameComponents nameComponents(const std::set<std::string> &Names, const NameEdges &Edges) {
  // Nodes are numbered in name order, so a component's numbers sort as its
  // names do.
  std::vector<const std::string *> Node;
  std::map<std::string, unsigned> Number;
  for (const std::string &N : Names) {
    Number.emplace(N, Node.size());
    Node.push_back(&N);
  }
  auto Successors = [&](unsigned V, std::vector<unsigned> &Out) {
    for (const std::string &Dep : Edges.at(*Node[V]))
      Out.push_back(Number.at(Dep));
  };
  NameComponents Result;
  for (const std::vector<unsigned> &Members :
       findStronglyConnectedComponents(Node.size(), Successors).Components) {
    std::vector<std::string> &Comp = Result.Comps.emplace_back();
    for (unsigned V : Members) {
      Result.CompOf[*Node[V]] = Result.Comps.size() - 1;
      Comp.push_back(*Node[V]);
    }
  }
  return Result;
}
} // namespace

std::vector<std::vector<std::string>>
strata::detail::componentOrder(const std::set<std::string> &Names,
                               const std::map<std::string, std::set<std::string>> &Reads) {
  // Strongly connected components, then Kahn's algorithm over them, always
  // taking the ready component with the smallest name.
  NameEdges Edges;
  for (const std::string &N : Names) {
    std::vector<std::string> &E = Edges[N];
    if (auto It = Reads.find(N); It != Reads.end())
      for (const std::string &Dep : It->second)
        if (Dep != N && Names.count(Dep))
          E.push_back(Dep);
  }
  auto [Comps, CompOf] = nameComponents(Names, Edges);

  std::vector<unsigned> Pending(Comps.size(), 0);
  std::vector<std::set<size_t>> Readers(Comps.size());
  for (const auto &[N, E] : Edges)
    for (const std::string &Dep : E) {
      size_t From = CompOf[Dep], To = CompOf[N];
      if (From != To && Readers[From].insert(To).second)
        ++Pending[To];
    }
  // Ready components keyed by their smallest name.
  std::map<std::string, size_t> Ready;
  for (size_t C = 0; C < Comps.size(); ++C)
    if (Pending[C] == 0)
      Ready.emplace(Comps[C].front(), C);
  std::vector<std::vector<std::string>> Out;
  while (!Ready.empty()) {
    size_t C = Ready.begin()->second;
    Ready.erase(Ready.begin());
    Out.push_back(Comps[C]);
    for (size_t R : Readers[C])
      if (--Pending[R] == 0)
        Ready.emplace(Comps[R].front(), R);
  }
  return Out;
}

std::map<std::string, ClauseList>
strata::detail::stagedClauses(std::vector<std::string> &Members,
                              const std::map<std::string, ClauseList> &Full,
                              std::set<std::string> Present,
                              const std::function<ClauseList(const std::string &)> &Placeholder) {
  std::set<std::string> Group(Members.begin(), Members.end());
  auto Creatable = [&](const std::string &M) {
    ClauseList Staged;
    for (const auto &C : Full.at(M)) {
      bool Ok = true;
      for (const std::string &R : readsOf({C}))
        Ok &= !Group.count(R) || R == M || Present.count(R);
      if (Ok)
        Staged.push_back(C);
    }
    return Staged;
  };
  std::map<std::string, ClauseList> Out;
  std::vector<std::string> Left = std::move(Members);
  Members.clear();
  while (!Left.empty()) {
    size_t Pick = 0;
    ClauseList Staged = Creatable(Left[0]);
    for (size_t I = 0; I < Left.size() && Staged.empty(); ++I)
      if (ClauseList S = Creatable(Left[I]); !S.empty()) {
        Pick = I;
        Staged = std::move(S);
      }
    const std::string M = Left[Pick];
    if (Staged.empty())
      Staged = Placeholder(M);
    Out[M] = std::move(Staged);
    Present.insert(M);
    Members.push_back(M);
    Left.erase(Left.begin() + Pick);
  }
  return Out;
}

std::vector<std::string> strata::touchedObjects(const Operation &Op, bool Reads) {
  return Op.touches(Reads);
}

bool strata::objectsOverlap(llvm::StringRef A, llvm::StringRef B) {
  if (A == "*" || B == "*" || A == B)
    return true;
  if (A.startswith("index:") || B.startswith("index:"))
    return false;
  // A relation and one of its columns.
  return (B.startswith(A) && B.size() > A.size() && B[A.size()] == '.') ||
         (A.startswith(B) && A.size() > B.size() && A[B.size()] == '.');
}

ClauseList strata::detail::placeholderClauses(const std::string &Name, const ColumnList &Columns) {
  auto Var = [](size_t I) {
    ast::Expr V;
    V.TheKind = ast::Expr::Kind::Variable;
    V.Text = "V" + std::to_string(I);
    return V;
  };
  auto Compare = [](ast::CompareOp Op, ast::Expr L, ast::Expr R) {
    ast::BodyLiteral B;
    B.TheKind = ast::BodyLiteral::Kind::Comparison;
    B.Op = Op;
    B.Lhs = std::move(L);
    B.Rhs = std::move(R);
    return B;
  };
  auto C = std::make_shared<ast::Clause>();
  C->Head.Name = Name;
  for (size_t I = 0; I < Columns.size(); ++I) {
    ast::HeadArg H;
    H.Value = Var(I);
    C->HeadArgs.push_back(std::move(H));
    std::optional<ast::Expr> Zero = defaultFill(Columns.Columns[I].Ty);
    if (Zero)
      C->Body.push_back(Compare(ast::CompareOp::Eq, Var(I), std::move(*Zero)));
  }
  if (Columns.size())
    C->Body.push_back(Compare(ast::CompareOp::Ne, Var(0), Var(0)));
  return {C};
}
