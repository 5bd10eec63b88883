//===- AutodetectOrder.cpp - Rule dependencies and object keys ------------===//
#include "AutodetectImpl.h"
#include "llvm/Support/Casting.h"

using namespace strata;
using namespace strata::detail;

std::vector<std::string>
strata::detail::topologicalOrder(const std::set<std::string> &Names,
                                 const std::map<std::string, std::set<std::string>> &Reads) {
  // Kahn's algorithm over Names, always taking the smallest ready name;
  // a cycle (recursive rules) is broken at its smallest name.
  std::map<std::string, unsigned> Pending;
  std::map<std::string, std::vector<std::string>> Readers;
  for (const std::string &N : Names) {
    unsigned Count = 0;
    auto It = Reads.find(N);
    if (It != Reads.end())
      for (const std::string &Dep : It->second)
        if (Dep != N && Names.count(Dep)) {
          ++Count;
          Readers[Dep].push_back(N);
        }
    Pending[N] = Count;
  }
  std::set<std::string> Ready, Done;
  for (auto &[N, C] : Pending)
    if (C == 0)
      Ready.insert(N);
  std::vector<std::string> Out;
  while (Out.size() < Names.size()) {
    if (Ready.empty()) {
      for (auto &[N, C] : Pending)
        if (!Done.count(N)) {
          Ready.insert(N);
          break;
        }
    }
    std::string N = *Ready.begin();
    Ready.erase(Ready.begin());
    if (!Done.insert(N).second)
      continue;
    Out.push_back(N);
    for (const std::string &R : Readers[N])
      if (!Done.count(R) && --Pending[R] == 0)
        Ready.insert(R);
  }
  return Out;
}

namespace {
void addReads(std::vector<std::string> &Out, const ClauseList &Clauses) {
  for (const std::string &R : readsOf(Clauses))
    Out.push_back(R);
}
} // namespace

std::vector<std::string> strata::touchedObjects(const Operation &Op, bool Reads) {
  using llvm::dyn_cast;
  std::vector<std::string> Out;
  if (auto *O = dyn_cast<CreateRelation>(&Op))
    Out.push_back(O->Name);
  else if (auto *O = dyn_cast<DropRelation>(&Op))
    Out.push_back(O->Name);
  else if (auto *O = dyn_cast<RenameRelation>(&Op))
    Out = {O->From, O->To};
  else if (auto *O = dyn_cast<AddColumn>(&Op))
    Out.push_back(O->Relation + "." + O->Column.Name);
  else if (auto *O = dyn_cast<DropColumn>(&Op))
    Out.push_back(O->Relation + "." + O->Column.Name);
  else if (auto *O = dyn_cast<RenameColumn>(&Op))
    Out = {O->Relation + "." + O->From, O->Relation + "." + O->To};
  else if (auto *O = dyn_cast<RetypeColumn>(&Op))
    Out.push_back(O->Relation + "." + O->Column);
  else if (auto *O = dyn_cast<CreateRule>(&Op)) {
    Out.push_back(O->Name);
    if (Reads)
      addReads(Out, O->Clauses);
  } else if (auto *O = dyn_cast<DropRule>(&Op)) {
    Out.push_back(O->Name);
    if (Reads)
      addReads(Out, O->Clauses);
  } else if (auto *O = dyn_cast<ReplaceRule>(&Op)) {
    Out.push_back(O->Name);
    if (Reads) {
      addReads(Out, O->Clauses);
      if (O->OldClauses)
        addReads(Out, *O->OldClauses);
    }
  } else if (auto *O = dyn_cast<RenameRule>(&Op))
    Out = {O->From, O->To};
  else if (auto *O = dyn_cast<CreateIndex>(&Op)) {
    Out.push_back("index:" + O->Index.Name);
    if (Reads)
      Out.push_back(O->Index.Relation + "." + O->Index.Column);
  } else if (auto *O = dyn_cast<DropIndex>(&Op)) {
    Out.push_back("index:" + O->Index.Name);
    if (Reads)
      Out.push_back(O->Index.Relation + "." + O->Index.Column);
  } else if (auto *O = dyn_cast<AlterIndex>(&Op))
    Out.push_back("index:" + O->New.Name);
  else if (llvm::isa<RunIql>(&Op))
    Out.push_back("*");
  return Out;
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
