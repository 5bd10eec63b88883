//===- JsonWriter.cpp - A review as JSON, for bots --------------------------===//
//
// Version 1; docs/cli.md (`strata review`) gives the schema. A field may be
// added within version 1; one changing meaning or disappearing bumps it.
//
//===----------------------------------------------------------------------===//
#include "strata/Review/Render.h"
#include "llvm/Support/JSON.h"

using namespace strata;
using namespace strata::review;

namespace {
const char *changeName(ObjectDiff::Change C) {
  switch (C) {
  case ObjectDiff::Change::Added:
    return "added";
  case ObjectDiff::Change::Removed:
    return "removed";
  case ObjectDiff::Change::Changed:
    return "changed";
  }
  return "changed";
}

void stringArray(llvm::json::OStream &J, llvm::StringRef Key, const std::vector<std::string> &V) {
  J.attributeArray(Key, [&] {
    for (const std::string &S : V)
      J.value(S);
  });
}

/// Text, or null when it is empty.
void textOrNull(llvm::json::OStream &J, llvm::StringRef Key, const std::string &Text) {
  if (Text.empty())
    J.attribute(Key, nullptr);
  else
    J.attribute(Key, Text);
}

void lints(llvm::json::OStream &J, llvm::StringRef Key, const std::vector<LintFinding> &Ls) {
  J.attributeArray(Key, [&] {
    for (const LintFinding &L : Ls)
      J.object([&] {
        textOrNull(J, "code", L.Code);
        J.attribute("kind", L.Kind);
        J.attribute("severity", L.Severity);
        J.attribute("message", L.Message);
        J.attribute("fix", L.Fix);
      });
  });
}

void iql(llvm::json::OStream &J, llvm::StringRef Key, const std::vector<IqlLine> &Lines) {
  J.attributeArray(Key, [&] {
    for (const IqlLine &L : Lines)
      J.object([&] {
        J.attribute("step", L.Step);
        J.attribute("text", L.Text);
        J.attribute("lossy", L.Lossy);
      });
  });
}

void operation(llvm::json::OStream &J, const OperationReview &O) {
  J.object([&] {
    J.attribute("index", int64_t(O.Index));
    J.attribute("kind", O.Kind);
    J.attribute("marker", std::string(1, O.Marker));
    J.attribute("summary", O.Summary);
    J.attribute("source", O.Source);
    J.attribute("line", int64_t(O.Line));
    J.attribute("data_safe", O.DataSafe);
    J.attribute("reversibility", reversibilityName(O.Reverse));
    J.attribute("reversibility_reason", O.ReverseWhy);
    lints(J, "lints", O.Lints);
    J.attributeArray("prechecks", [&] {
      for (const PreCheck &P : O.PreChecks)
        J.object([&] {
          J.attribute("kind", P.Kind);
          J.attribute("relation", P.Relation);
          J.attribute("description", P.Description);
        });
    });
    textOrNull(J, "precheck_note", O.PreCheckNote);
    iql(J, "forward", O.Forward);
    iql(J, "backward", O.Backward);
  });
}

void schema(llvm::json::OStream &J, const std::vector<ObjectDiff> &Diffs) {
  J.attributeArray("schema", [&] {
    for (const ObjectDiff &D : Diffs)
      J.object([&] {
        J.attribute("kind", D.TheKind == ObjectDiff::Kind::Relation ? "relation" : "derived");
        J.attribute("name", D.Name);
        J.attribute("change", changeName(D.TheChange));
        J.attributeArray("lines", [&] {
          for (const DiffLine &L : D.Lines)
            J.object([&] {
              J.attribute("sign", std::string(1, L.Sign));
              J.attribute("text", L.Text);
            });
        });
      });
  });
}

void migration(llvm::json::OStream &J, const MigrationReview &M) {
  J.object([&] {
    J.attribute("name", M.Name);
    J.attribute("file", M.File);
    stringArray(J, "depends", M.Depends);
    stringArray(J, "replaces", M.Replaces);
    J.attribute("complete", M.Complete);
    textOrNull(J, "verified", M.Verified);
    textOrNull(J, "verify_message", M.VerifyMessage);
    textOrNull(J, "problems", M.Problems);
    schema(J, M.Schema);
    J.attributeArray("operations", [&] {
      for (const OperationReview &O : M.Ops)
        operation(J, O);
    });
    lints(J, "other_lints", M.OtherLints);
  });
}
} // namespace

void review::writeJson(const Review &R, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("version", ReviewJsonVersion);
    J.attribute("selection", R.Selection);
    textOrNull(J, "problems", R.Problems);
    J.attributeArray("migrations", [&] {
      for (const MigrationReview &M : R.Migrations)
        migration(J, M);
    });
    J.attributeObject("graph", [&] {
      textOrNull(J, "dot", R.GraphDot);
      J.attributeArray("reviewed", [&] {
        for (const MigrationReview &M : R.Migrations)
          J.value(M.Name);
      });
    });
  });
  OS << '\n';
}
