//===- StateFileFuzzer.cpp - libFuzzer target for the engine's state file -===//
//
// A state file comes from disk, where it may be torn, edited or planted, so
// its reader must refuse what it cannot read and never crash. Each input is
// read two ways, without touching the disk:
//  1. as a whole file (parseStateFile: header, length, checksum, body), so
//     the header checks see every kind of damage;
//  2. as a body given a correct header (stateFileText), which gets past
//     the checksum to the body reader; it must agree with
//     Engine::deserialize on the bare body.
// A body that reads must be a state the engine can use: written again
// (serialize) it must read back and write the same text, and a session on
// it answers a query of every relation the text declares.
// The same bytes are also read as the state file's journal
// (StateJournal.cpp, docs/safety.md "The state file and its journal"):
//  3. as a whole journal, and after a correct header, so the record
//     framing (sequence, length, checksum, torn tail) sees every kind of
//     damage; every byte must be accounted for as valid or torn;
//  4. as one record's payload, applied to an engine;
//  5. as a program run on an engine that records its changes: the record
//     it takes must rebuild the same state from scratch.
// The engine's evaluation limits are lowered, as in EngineFuzzer.cpp.
//
//===----------------------------------------------------------------------===//
#include "FuzzLimits.h"
#include "strata/Engine/Engine.h"
#include "strata/Engine/StateFile.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <cstddef>
#include <cstdint>

using namespace strata;
using namespace strata::engine;

namespace {
[[noreturn]] void violation(llvm::StringRef What, llvm::StringRef Text) {
  llvm::errs() << What << "\n" << Text << "\n";
  __builtin_trap();
}

/// Queries each relation a `schema` or `rel` line of the written state
/// names (in the graph the lines follow), so a loaded state is used as a
/// client would use it.
void queryEverything(Engine &E, llvm::StringRef Written) {
  std::unique_ptr<Session> S;
  while (!Written.empty()) {
    auto [Line, Rest] = Written.split('\n');
    Written = Rest;
    if (Line.consume_front("graph ")) {
      S = std::make_unique<Session>(E, Line.str());
      continue;
    }
    if (!S || !(Line.consume_front("schema +") || Line.consume_front("rel ")))
      continue;
    llvm::StringRef Name = Line.take_until([](char C) { return C == '('; });
    Reply R = S->execute(".rel " + Name.str());
    for (const auto &Row : R.Rows)
      for (const Cell &C : Row)
        llvm::nulls() << cellJson(C);
  }
}

void checkUsable(Engine &E) {
  std::string First = E.serialize();
  llvm::Expected<Engine> Back = parseStateFile(stateFileText(First), "written");
  if (!Back)
    violation("a written state did not read back: " + llvm::toString(Back.takeError()), First);
  std::string Second = Back->serialize();
  if (First != Second)
    violation("a state changed on a round trip", First + "----\n" + Second);
  queryEverything(E, First);
}
void checkJournal(llvm::StringRef Text) {
  static const std::string Digest(64, '0');
  std::string AfterHeader = journalText(Digest, "0123456789abcdef", {}) + Text.str();
  for (llvm::StringRef J : {Text, llvm::StringRef(AfterHeader)}) {
    llvm::Expected<JournalText> Read = parseJournal(J, "input", Digest);
    if (!Read) {
      llvm::consumeError(Read.takeError());
      continue;
    }
    if (Read->Current && Read->ValidBytes + Read->TornBytes != J.size())
      violation("a journal's bytes are not all valid or torn", J);
    Engine E;
    for (llvm::StringRef Record : Read->Records)
      if (llvm::Error Err = E.applyChanges(Record)) {
        llvm::consumeError(std::move(Err));
        break;
      }
  }
  Engine Applied;
  if (llvm::Error Err = Applied.applyChanges(Text))
    llvm::consumeError(std::move(Err));
  else
    checkUsable(Applied);
}

/// The changes a program makes, taken as a record, rebuild its state.
void checkRecord(llvm::StringRef Program) {
  Engine Live;
  Live.recordChanges();
  Session(Live).execute(Program);
  std::string Record = Live.takeChanges();
  Engine Rebuilt;
  if (llvm::Error Err = Rebuilt.applyChanges(Record))
    violation("a record did not read back: " + llvm::toString(std::move(Err)), Record);
  // Reading a state adds a `default` graph; so does replaying a record.
  llvm::Expected<Engine> Normal = Engine::deserialize(Live.serialize());
  if (!Normal)
    violation("a live state did not read back: " + llvm::toString(Normal.takeError()),
              Live.serialize());
  if (Normal->serialize() != Rebuilt.serialize())
    violation("a record did not rebuild its state",
              Record + "----\n" + Normal->serialize() + "----\n" + Rebuilt.serialize());
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  fuzz::useFuzzEvaluationLimits();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  std::string Digest;
  if (llvm::Expected<Engine> Whole = parseStateFile(Text, "input", &Digest))
    checkUsable(*Whole);
  else
    llvm::consumeError(Whole.takeError());

  llvm::Expected<Engine> Framed = parseStateFile(stateFileText(Text), "input");
  llvm::Expected<Engine> Bare = Engine::deserialize(Text);
  if (bool(Framed) != bool(Bare))
    violation("the file reader and Engine::deserialize disagree on a body", Text);
  if (Framed)
    checkUsable(*Framed);
  if (!Framed)
    llvm::consumeError(Framed.takeError());
  if (!Bare)
    llvm::consumeError(Bare.takeError());
  checkJournal(Text);
  checkRecord(Text);
  return 0;
}
