//===- KgAcl.h - `.kg acl` for strata serve ---------------------*- C++ -*-===//
//
// The server's per-graph access lists: `.kg acl list [KG]`, `.kg acl grant
// KG USER ROLE` (reader, writer or admin) and `.kg acl revoke KG USER`.
// The engine has no users, so `strata serve` answers these itself, before
// the engine sees the program. Its one user is an admin, whom no entry
// restricts: the entries are kept (in memory, for the server's run) so
// that clients that manage access work unchanged, and are listed back.
// A graph's entries go when a request drops the graph (one that drops and
// creates it again in the same program keeps them: the server compares
// graphs before and after a request).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_EXEC_KGACL_H
#define STRATA_LIB_EXEC_KGACL_H

#include "strata/Engine/Engine.h"
#include "strata/Engine/Reply.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include <map>
#include <string>

namespace strata::exec {

class KgAcl {
public:
  /// Program's reply when it is one `.kg acl` command, else None (the
  /// engine runs it). CurrentGraph is the one `.kg acl list` lists when it
  /// names none. A list is a table (`username`, `role`); the rest answer
  /// with a message row, a refusal in the server's manner (`... not
  /// found`, `Usage: ...`).
  llvm::Optional<Reply> run(llvm::StringRef Program, llvm::StringRef CurrentGraph,
                            const engine::Engine &E);

  /// Forgets the entries of graphs E no longer has.
  void prune(const engine::Engine &E);

private:
  std::map<std::string, std::map<std::string, std::string>> Entries; // graph -> user -> role
};

} // namespace strata::exec

#endif
