//===- Review.h - What a migration does, gathered for a reviewer -*- C++ -*-===//
//
// `strata review` shows a person (or a bot) everything Strata knows about a
// migration before it runs: the schema before and after it as a diff per
// relation, each operation with its safety lints, whether it is data-safe,
// whether it can be reverted, the data pre-checks `migrate` will run, and
// the forward and backward IQL it lowers to, grouped under it; and the
// migration graph with the reviewed migrations marked.
//
// This header is the model: plain values gathered once from the stages
// that own each fact (Migrate replays, CodeGen lowers, Verify lints and
// verifies, Exec plans the pre-checks, Graph draws). The renderers
// (strata/Review/Render.h) only format it, so html, markdown, json and the
// terminal cannot disagree.
//
// A migration that cannot be read or replayed still gets its entry, with
// the rendered diagnostics in place of the parts that could not be
// computed (Problems), so a reviewer sees why.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_REVIEW_REVIEW_H
#define STRATA_REVIEW_REVIEW_H

#include "strata/Migrate/MigrationGraph.h"
#include "strata/Support/Diagnostics.h"
#include <string>
#include <vector>

namespace strata::review {

/// One line of a diff: ' ' kept, '+' added, '-' removed.
struct DiffLine {
  char Sign = ' ';
  std::string Text;
};

/// The change to one relation, derived relation or index set of a
/// relation: its declaration before and after, line by line (columns,
/// rule clauses, the indexes on it), diffed.
struct ObjectDiff {
  enum class Kind { Relation, Derived };
  enum class Change { Added, Removed, Changed };
  Kind TheKind = Kind::Relation;
  Change TheChange = Change::Changed;
  std::string Name;
  std::vector<DiffLine> Lines;
};

/// A safety lint (docs/lints.md) found at an operation.
struct LintFinding {
  std::string Code;     // `S001`; empty for a problem with a suppression comment
  std::string Kind;     // the diagnostic kind, `LintDropLosesData`
  std::string Severity; // `warning` (review never promotes lints to errors)
  std::string Message;
  std::string Fix; // what to do about it
};

/// A data pre-check `strata migrate` runs before the operation's
/// statements are sent (docs/targets.md, lib/Exec/PreChecks.cpp).
struct PreCheck {
  std::string Kind; // `moves-every-fact`, `conversion-never-null`, `types-fit`, `target-empty`
  std::string Relation;
  std::string Description;
};

/// One statement an operation lowers to.
struct IqlLine {
  std::string Step; // stepPurposeName: `apply`, `move-to-stage`, ...
  std::string Text; // exactly as sent
  bool Lossy = false;
};

enum class Reversibility { Reversible, Lossy, Irreversible };
/// `reversible`, `lossy`, `irreversible`.
const char *reversibilityName(Reversibility R);

struct OperationReview {
  size_t Index = 0;     // 1-based, in the migration
  std::string Kind;     // Operation::kindName: `add_column`
  char Marker = '~';    // '+' creates, '-' drops, '~' changes
  std::string Summary;  // describe(): `add column employee.level`
  std::string Source;   // the operation in `.mig` syntax
  unsigned Line = 0;    // in the migration's file; 0 when unknown
  bool DataSafe = true; // Operation::isDataSafe
  Reversibility Reverse = Reversibility::Reversible;
  std::string ReverseWhy; // one sentence saying why
  std::vector<LintFinding> Lints;
  std::vector<PreCheck> PreChecks;
  /// Why there are no pre-checks, when that needs saying (`run iql`).
  std::string PreCheckNote;
  std::vector<IqlLine> Forward;
  /// In the order they run when the migration is reverted.
  std::vector<IqlLine> Backward;
};

struct MigrationReview {
  std::string Name;
  std::string File; // the path as loaded
  std::vector<std::string> Depends, Replaces;
  /// Everything below was computed; false when Problems stand in for it.
  bool Complete = false;
  std::vector<ObjectDiff> Schema;
  std::vector<OperationReview> Ops;
  /// Lint findings tied to no operation (a suppression comment that
  /// silences nothing, away from any operation).
  std::vector<LintFinding> OtherLints;
  /// `verified`, `forward only` or `failed`, from strata/Verify/Verifier.h.
  std::string Verified;
  std::string VerifyMessage;
  /// Diagnostics of this migration (text, as `strata` prints them), in
  /// place of what could not be computed.
  std::string Problems;
};

struct Review {
  /// How the migrations were chosen, in words (`named on the command
  /// line`, `pending on file:t.kg`, `the latest leaf migration`).
  std::string Selection;
  std::vector<MigrationReview> Migrations;
  /// The migration graph in DOT (strata/Graph/HistoryGraph.h) with the
  /// reviewed migrations marked; empty when the history does not load.
  std::string GraphDot;
  /// The same laid out by Graphviz, or GraphError; both empty when the
  /// review was built without the picture (GraphPicture::DotOnly).
  std::string GraphSvg, GraphError;
  /// Diagnostics of the whole history (text), when it does not load.
  std::string Problems;
  bool hasProblems() const;
};

/// Whether a review lays its graph out as SVG (only the html page shows
/// the picture; laying it out loads Graphviz).
enum class GraphPicture { DotOnly, WithSvg };

/// Reviews Selected (migrations of G) in the order given. Diagnostics of
/// each migration are rendered into its entry and then moved to Diags, so
/// the caller's exit status and stderr see them too.
Review buildReview(const MigrationGraph &G, const std::vector<const Migration *> &Selected,
                   DiagnosticEngine &Diags, GraphPicture Picture);

/// The review of a history that does not load: Diags holds why (rendered
/// into Problems). Each `.mig` file of Dir is parsed again on its own so
/// that a file with problems gets an entry showing them; Names (migration
/// names, possibly none) get an entry whether or not their file has any.
Review buildFailedReview(llvm::StringRef Dir, const std::vector<std::string> &Names,
                         DiagnosticEngine &Diags);

/// The diff between two lists of lines, by longest common subsequence:
/// kept lines in order, each removal before the addition that replaces it.
std::vector<DiffLine> diffLines(const std::vector<std::string> &Before,
                                const std::vector<std::string> &After);

} // namespace strata::review

#endif
