//===- EngineFuzzer.cpp - libFuzzer target for the embedded IQL engine ----===//
//
// Runs each input three ways:
//  1. as one program through a fresh session on a fresh engine, and line by
//     line through another (as the server's client sends a script), so both
//     the whole-program path and statement-at-a-time state changes are hit;
//  2. serializes each engine, reads the text back and serializes again: the
//     state file must round-trip to identical text, so a mismatch traps;
//  3. as a state-file body for Engine::deserialize, which may refuse it but
//     must not crash;
//  4. line by line twice more, with demand-driven and with full evaluation
//     of bound queries (strata/Engine/Evaluation.h): every reply must be
//     the same, until one side reaches an evaluation limit (demand-driven
//     evaluation does less work, so only it may finish).
// Reply cells are rendered to JSON as `strata serve` would send them. The
// engine's evaluation limits are lowered (an internal header of
// lib/Engine): under ASan a join runs some twenty times slower, and at the
// defaults one runaway rule would cost a minute instead of milliseconds.
//
//===----------------------------------------------------------------------===//
#include "FuzzLimits.h"
#include "strata/Engine/Engine.h"
#include "strata/Engine/Evaluation.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <cstddef>
#include <cstdint>

using namespace strata;
using namespace strata::engine;

namespace {
void render(const Reply &R) {
  for (const auto &Row : R.Rows)
    for (const Cell &C : Row)
      llvm::nulls() << cellJson(C);
}

void runWhole(Engine &E, llvm::StringRef Text) {
  Session S(E);
  render(S.execute(Text));
}

void runLines(Engine &E, llvm::StringRef Text) {
  Session S(E);
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    if (!Line.trim().empty())
      render(S.execute(Line.trim()));
  }
}

/// A reply as text, to compare two evaluations by.
std::string replyText(const Reply &R) {
  std::string Out = R.IsError ? "error: " + R.ErrorMessage + "\n" : "";
  for (const std::string &C : R.Columns)
    Out += C + "|";
  for (const auto &Row : R.Rows) {
    Out += "\n";
    for (const Cell &C : Row)
      Out += cellJson(C) + "|";
  }
  return Out;
}

void checkDemandMatchesFull(llvm::StringRef Text) {
  Engine DemandEngine, FullEngine;
  Session Demand(DemandEngine), Full(FullEngine);
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    if (Line.trim().empty())
      continue;
    queryEvaluation() = QueryEvaluation::DemandDriven;
    std::string D = replyText(Demand.execute(Line.trim()));
    queryEvaluation() = QueryEvaluation::Full;
    std::string F = replyText(Full.execute(Line.trim()));
    queryEvaluation() = QueryEvaluation::DemandDriven;
    if (D == F)
      continue;
    if (llvm::StringRef(D).contains("Evaluation stopped") ||
        llvm::StringRef(F).contains("Evaluation stopped"))
      return; // a limit on one side: the states may differ from here on
    llvm::errs() << "demand-driven and full evaluation differ on `" << Line << "`:\n"
                 << D << "\n----\n"
                 << F << "\n";
    __builtin_trap();
  }
}

void checkRoundTrip(const Engine &E) {
  std::string First = E.serialize();
  llvm::Expected<Engine> Back = Engine::deserialize(First);
  if (!Back) {
    llvm::errs() << "state did not read back: " << llvm::toString(Back.takeError()) << "\n"
                 << First;
    __builtin_trap();
  }
  std::string Second = Back->serialize();
  if (First != Second) {
    llvm::errs() << "state changed on a round trip:\n" << First << "----\n" << Second;
    __builtin_trap();
  }
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  fuzz::useFuzzEvaluationLimits();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  Engine Whole, ByLine;
  runWhole(Whole, Text);
  runLines(ByLine, Text);
  checkRoundTrip(Whole);
  checkRoundTrip(ByLine);
  checkDemandMatchesFull(Text);
  if (llvm::Expected<Engine> Raw = Engine::deserialize(Text))
    checkRoundTrip(*Raw);
  else
    llvm::consumeError(Raw.takeError());
  return 0;
}
