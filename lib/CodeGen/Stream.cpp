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
    // A lowered migration has one entry per operation of M, in M's order.
    auto IndexOf = [&](const LoweredOperation &Op) {
      return static_cast<unsigned>(&Op - L->Ops.data()) + 1;
    };
    if (!Backward) {
      for (const LoweredOperation &Op : L->Ops)
        for (const IqlStatement &S : Op.Forward)
          Out.push_back({L->M, &Op, &S, IndexOf(Op)});
      continue;
    }
    for (auto It = L->Ops.rbegin(); It != L->Ops.rend(); ++It) {
      if (It->Irreversible && It->Backward.empty())
        Out.push_back({L->M, &*It, nullptr, IndexOf(*It), true});
      for (const IqlStatement &S : It->Backward)
        Out.push_back({L->M, &*It, &S, IndexOf(*It), true});
    }
  }
  return Out;
}

std::vector<StreamOperation> strata::groupByOperation(const std::vector<StreamItem> &Items) {
  std::vector<StreamOperation> Out;
  for (size_t I = 0; I < Items.size(); ++I) {
    const StreamItem &It = Items[I];
    if (Out.empty() || Out.back().Op != It.Op || Out.back().M != It.M)
      Out.push_back({It.M, It.Op, It.Index, It.Backward, {}, {}});
    if (!It.S)
      continue;
    StreamOperation &G = Out.back();
    G.Items.push_back(I);
    if (G.Steps.empty() || G.Steps.back().Purpose != It.S->Purpose ||
        G.Steps.back().Lossy != It.S->Lossy)
      G.Steps.push_back({It.S->Purpose, It.S->Lossy, {}});
    G.Steps.back().Statements.push_back(It.S);
  }
  return Out;
}

std::string strata::operationHeading(const Operation &Op) {
  llvm::StringRef Text = Op.str();
  Text = Text.take_until([](char C) { return C == '\n' || C == '\r'; }).rtrim();
  if (Text.endswith("{"))
    Text = Text.drop_back().rtrim();
  return Text.str();
}

namespace {
void writeOperation(const StreamOperation &G, const llvm::SourceMgr &SM, llvm::raw_ostream &OS) {
  SourcePos P = sourceOf(*G.M, *G.Op->Op, SM);
  OS << "// " << G.Index << ": " << operationHeading(*G.Op->Op) << " (" << P.File;
  if (P.Line)
    OS << ":" << P.Line;
  OS << ")";
  if (G.irreversible()) {
    OS << ": irreversible, nothing undoes it\n";
    return;
  }
  // One step: the header says it all; several: each under what it does.
  bool OneStep = G.Steps.size() == 1;
  OS << (OneStep && G.Steps.front().Lossy ? " [lossy]" : "") << '\n';
  for (const StreamStep &Step : G.Steps) {
    llvm::StringRef Title = stepPurposeTitle(Step.Purpose);
    if (!OneStep)
      OS << "//   - " << (Title.empty() ? stepPurposeName(Step.Purpose) : Title)
         << (Step.Lossy ? " [lossy]" : "") << '\n';
    for (const IqlStatement *S : Step.Statements)
      OS << S->Text << '\n';
  }
}
} // namespace

void strata::writeIqlOperations(const std::vector<StreamItem> &Items, const llvm::SourceMgr &SM,
                                llvm::raw_ostream &OS) {
  bool First = true;
  for (const StreamOperation &G : groupByOperation(Items)) {
    OS << (First ? "" : "\n");
    First = false;
    writeOperation(G, SM, OS);
  }
}

void strata::writeIql(const std::vector<StreamItem> &Items, const llvm::SourceMgr &SM,
                      bool Comments, llvm::raw_ostream &OS) {
  if (!Comments) {
    for (const StreamItem &I : Items)
      if (I.S)
        OS << I.S->Text << '\n';
    return;
  }
  // Each migration's run of items under its own line.
  for (size_t Begin = 0, End; Begin < Items.size(); Begin = End) {
    const StreamItem &Head = Items[Begin];
    for (End = Begin; End < Items.size() && Items[End].M == Head.M; ++End)
      ;
    OS << (Begin ? "\n" : "") << "// migration " << Head.M->Name
       << (Head.Backward ? ", backward" : ", forward") << "\n\n";
    writeIqlOperations({Items.begin() + Begin, Items.begin() + End}, SM, OS);
  }
}

namespace {
/// The `operations` array: each operation of the stream, in order, with
/// the positions of its statements in `statements`.
void writeJsonOperations(llvm::json::OStream &J, const std::vector<StreamItem> &Items,
                         const llvm::SourceMgr &SM) {
  std::vector<size_t> StatementAt(Items.size());
  for (size_t I = 0, N = 0; I < Items.size(); ++I)
    if (Items[I].S)
      StatementAt[I] = N++;
  for (const StreamOperation &G : groupByOperation(Items))
    J.object([&] {
      SourcePos P = sourceOf(*G.M, *G.Op->Op, SM);
      J.attribute("migration", G.M->Name);
      J.attribute("index", static_cast<int64_t>(G.Index));
      J.attribute("operation", G.Op->Op->describe());
      J.attribute("source", operationHeading(*G.Op->Op));
      J.attribute("file", P.File);
      J.attribute("line", static_cast<int64_t>(P.Line));
      J.attribute("irreversible", G.irreversible());
      J.attributeArray("statements", [&] {
        for (size_t I : G.Items)
          J.value(static_cast<int64_t>(StatementAt[I]));
      });
    });
}
} // namespace

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
            J.attribute("index", static_cast<int64_t>(I.Index));
          });
    });
    J.attributeArray("irreversible", [&] {
      for (const StreamItem &I : Items)
        if (!I.S)
          J.object([&] { Where(I); });
    });
    J.attributeArray("operations", [&] { writeJsonOperations(J, Items, SM); });
  });
  OS << '\n';
}
