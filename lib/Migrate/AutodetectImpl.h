//===- AutodetectImpl.h - Internals of the autodetector ---------*- C++ -*-===//
#ifndef STRATA_LIB_MIGRATE_AUTODETECTIMPL_H
#define STRATA_LIB_MIGRATE_AUTODETECTIMPL_H

#include "strata/Migrate/Autodetect.h"
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace strata::detail {

/// The renames decided, by old name.
struct RenamePlan {
  std::map<std::string, std::string> Relations; // old -> new (stored)
  std::map<std::string, std::string> Rules;     // old -> new (derived)
  /// new relation name -> (old column -> new column)
  std::map<std::string, std::map<std::string, std::string>> Columns;
};

RenamePlan resolveRenames(const SchemaState &From, const SchemaState &To, const SchemaHints &Hints,
                          const AutodetectOptions &Opts, DiagnosticEngine &Diags,
                          std::vector<RenameGuess> &Guesses);

/// The casts of retyped columns (AutodetectCasts.cpp): a `--cast` answer,
/// the server's conversion (strata/Sema/Conversions.h), or a cast asked for
/// in a terminal; with none, MissingCast names the column and the flag.
class CastResolver {
public:
  CastResolver(const SchemaState &To, const AutodetectOptions &Opts, DiagnosticEngine &Diags);
  /// Op (a retype of a column by its new names) with its casts; null after
  /// reporting that it has none or that an answer does not check.
  OperationPtr withCasts(const RetypeColumn &Op);
  /// Reports the answers that no retype used, or that contradict another;
  /// false when there was one.
  bool reportUnused(const SchemaState &From);

private:
  std::optional<Cast> answered(const std::string &Column, bool Reverse, const Type &From,
                               const Type &To, bool &Failed);
  const SchemaState &To;
  const AutodetectOptions &Opts;
  DiagnosticEngine &Diags;
  std::vector<bool> Used;
};

/// Reports --rename answers that cannot hold whatever the diff finds: an
/// old name the schema still declares while nothing else takes it, two new
/// names for one old name, two old names for one new name. False when
/// there was one.
bool checkRenameAnswers(const SchemaState &To, const SchemaHints &Hints,
                        const AutodetectOptions &Opts, DiagnosticEngine &Diags);

/// Reports why --rename answer Index, which no rename used, cannot be
/// honoured: a name that does not exist, an old name still in the schema,
/// or (RenameAnswerUnused) a pair that is not dropped and added.
/// NewToOldRelation: the relation renames decided, new -> old.
void reportUnusedRename(const SchemaState &From, const SchemaState &To,
                        const AutodetectOptions &Opts, size_t Index,
                        const std::map<std::string, std::string> &NewToOldRelation,
                        DiagnosticEngine &Diags);

/// The strongly connected components of the graph over Names (an edge from
/// a rule to each rule of Names it reads), dependencies first; each
/// component sorted by name, ties between components broken by their
/// smallest name.
std::vector<std::vector<std::string>>
componentOrder(const std::set<std::string> &Names,
               const std::map<std::string, std::set<std::string>> &Reads);

/// For a group of mutually recursive rules (Members, sorted by name), the
/// order to create them in and the clauses each is created with: those that
/// read only relations outside the group, itself, a member already created
/// or one of Present (members that exist throughout). Members is reordered
/// to the creation order: each next member is the first by name that has
/// at least one such clause (a rule created with no clause does not exist
/// on the server, so a later `replace rule` of it would fail); only when
/// none has one (a cycle with no way in) does the first by name go next,
/// with Placeholder(name): a clause that derives nothing.
std::map<std::string, ClauseList>
stagedClauses(std::vector<std::string> &Members, const std::map<std::string, ClauseList> &Full,
              std::set<std::string> Present,
              const std::function<ClauseList(const std::string &)> &Placeholder);

/// `Name(V0, ..., Vn) <- V0 = zero, ..., Vn = zero, V0 != V0`: a clause
/// that gives the server the head's column types and derives nothing. The
/// first member of a cycle of rules that read only each other is created
/// with it, so the others can be created after it; a `replace rule` then
/// installs its own clauses.
ClauseList placeholderClauses(const std::string &Name, const ColumnList &Columns);

/// Whether two clause lists mean the same rule (canonicalClauses equal),
/// with A's heads read as HeadName when it is given. Decides most unchanged
/// rules by walking both lists in order, without printing them.
bool sameClauses(llvm::ArrayRef<std::shared_ptr<const ast::Clause>> A,
                 llvm::ArrayRef<std::shared_ptr<const ast::Clause>> B,
                 llvm::StringRef HeadName = "");
/// The walk alone: true only when the lists agree clause by clause, in
/// order, up to a one-to-one renaming of each clause's variables.
bool sameClausesInOrder(llvm::ArrayRef<std::shared_ptr<const ast::Clause>> A,
                        llvm::ArrayRef<std::shared_ptr<const ast::Clause>> B,
                        llvm::StringRef HeadName = "");

} // namespace strata::detail

#endif
