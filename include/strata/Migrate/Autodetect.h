//===- Autodetect.h - Schema diff to ordered operations ---------*- C++ -*-===//
//
// The autodetector behind `strata makemigrations`: compares the state the
// migration history reaches with the state the schema files declare and
// produces the operations that turn one into the other, in an order the
// server accepts (rules dropped before what they read changes and created
// after it, creates in dependency order, drops in reverse).
//
// Everything is deterministic: maps are sorted by name and ties are broken
// by name, so the same inputs give the same operations on any machine.
//
//  - AutodetectDiff.cpp: the diff and the final ordering of operations.
//  - AutodetectRenames.cpp: rename detection, similarity scores, clause
//    canonicalisation, schema hints.
//  - AutodetectOrder.cpp: rule dependency graph and topological orders.
//  - AutodetectCasts.cpp: the casts of retyped columns (answers, the
//    server's conversions, questions).
//  - AutodetectAnswers.cpp: why a --rename answer cannot be honoured.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_MIGRATE_AUTODETECT_H
#define STRATA_MIGRATE_AUTODETECT_H

#include "strata/AST/SourceFile.h"
#include "strata/Migrate/Operation.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace strata {

/// What the schema files say beyond the schema state: fill values and
/// `renamed_from` annotations. Keys use the new (schema file) names.
struct SchemaHints {
  /// new relation or derived relation name -> old name.
  std::map<std::string, std::string> RenamedRelations;
  /// "rel.newcol" -> old column name.
  std::map<std::string, std::string> RenamedColumns;
  /// "rel.col" -> fill value as written.
  std::map<std::string, ast::Expr> Fills;
  /// Where a column and its type are written (a missing fill value is
  /// reported at the column, with its fix-it after the type).
  struct ColumnPlace {
    llvm::SMRange Column, Type;
  };
  /// Relation name -> its columns' places, in declared order (the order of
  /// the relation's columns in the schema state).
  std::map<std::string, std::vector<ColumnPlace>> ColumnPlaces;
};

/// Collects the hints of every schema item of Files. Call before the files
/// are moved into analyzeSchema.
SchemaHints collectHints(llvm::ArrayRef<ast::SourceFile> Files);

/// One rename the autodetector considered.
struct RenameGuess {
  enum class Kind { Relation, Column, Rule };
  Kind TheKind = Kind::Relation;
  /// `employee.dept` / `employee.department` for columns (the relation by
  /// its new name), plain names otherwise.
  std::string From, To;
  /// In [0, 1]; 1 for identical structure and names that differ only a
  /// little.
  double Score = 0;
  /// `Did you rename employee.dept to employee.department? [y/N]`
  std::string Question;
  /// `employee.dept=employee.department`, the `--rename` value accepting it.
  std::string Answer;
  /// How it was decided: "hint" (renamed_from), "flag" (--rename),
  /// "asked" (yes in a terminal), "refused" (no in a terminal) or
  /// "unanswered" (not a terminal: written as drop + add).
  std::string Decision;
  bool Accepted = false;
};

struct AutodetectOptions {
  /// `--rename old=new` answers; old/new are `rel`, `rel.col` or rule
  /// names (for columns the new side may omit the relation: `r.a=b`).
  std::vector<std::pair<std::string, std::string>> Renames;
  /// Where each answer of Renames was given (the flag's text in a buffer of
  /// the command line), for locating what is wrong with it; may be empty.
  std::vector<llvm::SMRange> RenameLocs;
  /// `--cast rel.col=EXPR` / `--cast-reverse rel.col=EXPR` answers: the
  /// cast of a retyped column, by its relation's and its own names in the
  /// schema files. An answer wins over the server's conversion.
  struct CastAnswer {
    std::string Column; // `rel.col`
    bool Reverse = false;
    Cast TheCast;
    llvm::SMRange Loc; // the answer as given
    std::string Flag;  // `--cast` or `--cast-reverse`, for messages
  };
  std::vector<CastAnswer> Casts;
  /// Asks for the cast of retyped column Rel.Col from From to To (its
  /// reverse: from To back to From, when Reverse), one the server has no
  /// function for; nullopt when none is given. Null when not interactive.
  std::function<std::optional<Cast>(const std::string &Rel, const std::string &Col,
                                    const Type &From, const Type &To, bool Reverse)>
      AskCast;
  /// Asks a yes/no question (a terminal); null when not interactive.
  std::function<bool(const std::string &Question)> AskRename;
  /// Asks for the fill value of new column Rel.Col of type T; nullopt when
  /// none was given. Null when not interactive.
  std::function<std::optional<ast::Expr>(const std::string &Rel, const std::string &Col,
                                         const Type &T)>
      AskFill;
  /// Candidate renames scoring below this are not considered.
  double MinScore = 0.5;
};

struct AutodetectResult {
  std::vector<OperationPtr> Operations;
  std::vector<RenameGuess> Renames;
  /// False after an error was reported (a missing fill value, ...).
  bool Ok = true;
};

/// The operations turning From into To. Problems (missing fill values) are
/// reported to Diags; rename warnings too.
AutodetectResult autodetect(const SchemaState &From, const SchemaState &To,
                            const SchemaHints &Hints, const AutodetectOptions &Opts,
                            DiagnosticEngine &Diags);

/// A 128-bit hash (32 hex digits) of everything autodetect compares. When
/// two states have equal fingerprints, autodetect finds no operation
/// between them (and reports nothing, unless `--rename` answers go unused).
std::string schemaFingerprint(const SchemaState &S);

// ---- Pieces shared with the writer, merge and squash ---------------------

/// The clauses of a rule in canonical text: variables renamed V0, V1... in
/// order of first appearance, one clause per entry, sorted. Equal lists
/// mean the same rule. HeadName, when given, replaces the head name.
std::vector<std::string>
canonicalClauses(llvm::ArrayRef<std::shared_ptr<const ast::Clause>> Clauses,
                 llvm::StringRef HeadName = "");

/// Relation names a rule's clauses read (body atoms, positive or negated).
std::set<std::string> readsOf(llvm::ArrayRef<std::shared_ptr<const ast::Clause>> Clauses);

/// Objects an operation changes, as `rel`, `rel.col`, `rule` or
/// `index:NAME` keys. With Reads, also the relations a rule operation reads.
std::vector<std::string> touchedObjects(const Operation &Op, bool Reads = false);
/// Whether two touched-object keys overlap (equal, or a relation and one of
/// its columns).
bool objectsOverlap(llvm::StringRef A, llvm::StringRef B);

/// The fill value the fix-it proposes for a column of type T: 0, 0.0, "",
/// false, [] (empty when records have none).
std::string defaultFillText(const Type &T);
/// The same, as an expression (nullopt for records).
std::optional<ast::Expr> defaultFill(const Type &T);

/// 1 - edit distance / longer length.
double nameSimilarity(llvm::StringRef A, llvm::StringRef B);

} // namespace strata

#endif
