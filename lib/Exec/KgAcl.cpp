//===- KgAcl.cpp - `.kg acl` for strata serve -----------------------------===//
#include "KgAcl.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace strata;
using namespace strata::exec;
using llvm::StringRef;

namespace {
constexpr const char *Usage =
    "Usage: .kg acl list [KG] | .kg acl grant KG USER ROLE | .kg acl revoke KG USER";

bool isRole(StringRef Role) { return Role == "reader" || Role == "writer" || Role == "admin"; }

/// A user name as the server's commands take it: a plain word.
bool isPlainWord(StringRef Word) {
  return !Word.empty() && Word.size() <= 256 && Word.front() != '-' &&
         llvm::all_of(Word, [](char C) { return llvm::isAlnum(C) || C == '_' || C == '-'; });
}

Reply notFound(StringRef Graph) {
  return Reply::message("Knowledge graph '" + Graph.str() + "' not found");
}
} // namespace

llvm::Optional<Reply> KgAcl::run(StringRef Program, StringRef CurrentGraph,
                                 const engine::Engine &E) {
  StringRef Text = Program.trim();
  if (Text.contains('\n'))
    return llvm::None;
  llvm::SmallVector<StringRef, 8> W;
  Text.split(W, ' ', -1, /*KeepEmpty=*/false);
  if (W.size() < 2 || W[0] != ".kg" || W[1] != "acl")
    return llvm::None;
  StringRef Sub = W.size() > 2 ? W[2] : "";
  if (Sub == "list" && W.size() <= 4) {
    StringRef Graph = W.size() == 4 ? W[3] : CurrentGraph;
    if (!E.hasGraph(Graph))
      return notFound(Graph);
    Reply R;
    R.Columns = {"username", "role"};
    auto It = Entries.find(Graph.str());
    if (It != Entries.end())
      for (const auto &[User, Role] : It->second)
        R.Rows.push_back({Cell(User), Cell(Role)});
    return R;
  }
  if (Sub == "grant" && W.size() == 6) {
    if (!E.hasGraph(W[3]))
      return notFound(W[3]);
    if (!isPlainWord(W[4]))
      return Reply::message("Invalid user name '" + W[4].str() + "'");
    if (!isRole(W[5]))
      return Reply::message("Invalid role '" + W[5].str() + "': expected reader, writer or admin");
    Entries[W[3].str()][W[4].str()] = W[5].str();
    return Reply::message("Granted " + W[5].str() + " access on knowledge graph '" + W[3].str() +
                          "' to user '" + W[4].str() + "'.");
  }
  if (Sub == "revoke" && W.size() == 5) {
    if (!E.hasGraph(W[3]))
      return notFound(W[3]);
    auto It = Entries.find(W[3].str());
    if (It == Entries.end() || !It->second.erase(W[4].str()))
      return Reply::message("Access entry of user '" + W[4].str() + "' on knowledge graph '" +
                            W[3].str() + "' not found");
    return Reply::message("Revoked the access of user '" + W[4].str() + "' to knowledge graph '" +
                          W[3].str() + "'.");
  }
  return Reply::message(Usage);
}

void KgAcl::prune(const engine::Engine &E) {
  for (auto It = Entries.begin(); It != Entries.end();)
    if (E.hasGraph(It->first))
      ++It;
    else
      It = Entries.erase(It);
}
