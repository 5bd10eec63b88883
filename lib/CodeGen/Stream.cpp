//===- Stream.cpp - Writing command streams as .iql or JSON ---------------===//
#include "strata/CodeGen/Stream.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

using namespace strata;

SourcePos strata::sourceOf(const Migration &M, const Operation &Op, const llvm::SourceMgr &SM) {
  SourcePos P;
  P.File = llvm::sys::path::filename(M.Path).str();
  if (P.File.empty())
    P.File = M.Name + ".mig";
  llvm::SMLoc L = Op.loc().Start;
  if (L.isValid() && SM.FindBufferContainingLoc(L))
    P.Line = SM.FindLineNumber(L);
  return P;
}

std::vector<StreamItem> strata::streamOf(const std::vector<const LoweredMigration *> &Steps,
                                         bool Backward) {
  std::vector<StreamItem> Out;
  for (const LoweredMigration *L : Steps) {
    if (!Backward) {
      for (const LoweredOperation &Op : L->Ops)
        for (const IqlStatement &S : Op.Forward)
          Out.push_back({L->M, &Op, &S});
      continue;
    }
    for (auto It = L->Ops.rbegin(); It != L->Ops.rend(); ++It) {
      if (It->Irreversible && It->Backward.empty())
        Out.push_back({L->M, &*It, nullptr});
      for (const IqlStatement &S : It->Backward)
        Out.push_back({L->M, &*It, &S});
    }
  }
  return Out;
}

namespace {
std::string origin(const StreamItem &I, const llvm::SourceMgr &SM) {
  SourcePos P = sourceOf(*I.M, *I.Op->Op, SM);
  std::string S = "// " + I.M->Name + ": " + I.Op->Op->describe() + " (" + P.File;
  if (P.Line)
    S += ":" + std::to_string(P.Line);
  return S + ")";
}
} // namespace

void strata::writeIql(const std::vector<StreamItem> &Items, const llvm::SourceMgr &SM,
                      bool Comments, llvm::raw_ostream &OS) {
  for (const StreamItem &I : Items) {
    if (!I.S) {
      if (Comments)
        OS << origin(I, SM) << ": irreversible, nothing undoes it\n";
      continue;
    }
    if (Comments)
      OS << origin(I, SM) << (I.S->Lossy ? " [lossy]" : "") << '\n';
    OS << I.S->Text << '\n';
  }
}

void strata::writeJson(const std::vector<StreamItem> &Items, const llvm::SourceMgr &SM,
                       bool Backward, const JsonHeader &Header, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  auto Where = [&](const StreamItem &I) {
    SourcePos P = sourceOf(*I.M, *I.Op->Op, SM);
    J.attribute("migration", I.M->Name);
    J.attribute("operation", I.Op->Op->describe());
    J.attribute("file", P.File);
    J.attribute("line", static_cast<int64_t>(P.Line));
  };
  J.object([&] {
    J.attribute("version", static_cast<int64_t>(IqlStreamJsonVersion));
    J.attribute("direction", Backward ? "backward" : "forward");
    for (const auto &[Key, Value] : Header)
      J.attribute(Key, Value);
    J.attributeArray("statements", [&] {
      for (const StreamItem &I : Items)
        if (I.S)
          J.object([&] {
            J.attribute("text", I.S->Text);
            Where(I);
            J.attribute("lossy", I.S->Lossy);
            J.attribute("step", stepPurposeName(I.S->Purpose));
          });
    });
    J.attributeArray("irreversible", [&] {
      for (const StreamItem &I : Items)
        if (!I.S)
          J.object([&] { Where(I); });
    });
  });
  OS << '\n';
}
