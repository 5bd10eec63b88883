//===- HistoryJson.cpp - The history graph as JSON for tools --------------===//
//
// Version 1; docs/cli.md (`strata graph`) documents every field. Every key
// is always present (null when it does not apply), so a reader never has
// to guess whether a missing key means false.
//
//===----------------------------------------------------------------------===//
#include "strata/Graph/HistoryGraph.h"
#include "llvm/Support/JSON.h"

using namespace strata;
using namespace strata::graph;

namespace {
void writeNode(const HistoryNode &N, llvm::json::OStream &J) {
  J.object([&] {
    J.attribute("name", N.Name);
    J.attribute("number", static_cast<int64_t>(N.Number));
    J.attribute("file", N.M ? llvm::json::Value(N.M->Path) : nullptr);
    J.attributeArray("depends", [&] {
      if (N.M)
        for (const std::string &D : N.M->Depends)
          J.value(D);
    });
    J.attribute("merge", N.Merge);
    J.attribute("squash", !N.Replaces.empty());
    J.attributeArray("replaces", [&] {
      for (const std::string &R : N.Replaces)
        J.value(R);
    });
    J.attribute("replaced_by", N.ReplacedBy.empty() ? llvm::json::Value(nullptr)
                                                    : llvm::json::Value(N.ReplacedBy));
    J.attribute("leaf", N.Leaf);
    J.attribute("divergent", N.Divergent);
    J.attribute("state", N.State ? llvm::json::Value(stateName(*N.State)) : nullptr);
  });
}
} // namespace

void graph::writeJson(const HistoryGraph &H, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("version", 1);
    J.attribute("target", H.TargetName ? llvm::json::Value(*H.TargetName) : nullptr);
    J.attributeArray("nodes", [&] {
      for (const HistoryNode &N : H.Nodes)
        writeNode(N, J);
    });
    J.attributeArray("edges", [&] {
      for (const HistoryEdge &E : H.Edges)
        J.object([&] {
          J.attribute("from", E.From);
          J.attribute("to", E.To);
          J.attribute("kind", E.TheKind == HistoryEdge::Kind::Depends ? "depends" : "replaces");
        });
    });
    J.attributeArray("leaves", [&] {
      for (const std::string &L : H.Leaves)
        J.value(L);
    });
    J.attribute("divergent", H.Leaves.size() > 1);
  });
  OS << '\n';
}
