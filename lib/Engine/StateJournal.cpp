//===- StateJournal.cpp - The state file's journal, as bytes --------------===//
//
// A journal is a header, then records:
//
//   STRATA-ENGINE-JOURNAL 1
//   snapshot <SHA-256 of the state file body this journal extends>
//   nonce <16 hex digits, new for each journal file>
//   <empty line>
//   record 1 <bytes of payload> <SHA-256 of payload>
//   <payload: lines of StateText.h>
//   record 2 ...
//
// Records are only ever appended, each in one write, fsync'ed before the
// commit that wrote it returns. A crash can therefore leave only the last
// record incomplete (cut short, or at full length with bytes that never
// reached the disk); no acknowledged record is ever the last one torn. So a
// damaged record that reaches the end of the file is a torn tail and is
// ignored, while damage with more bytes after it cannot come from a crash:
// the file was edited or corrupted, and reading stops with an error.
//
//===----------------------------------------------------------------------===//
#include "StateFileIO.h"
#include "strata/Engine/StateFile.h"

using namespace strata::engine;
using namespace strata::engine::io;
using llvm::StringRef;

static const char JournalMagic[] = "STRATA-ENGINE-JOURNAL";
static const unsigned JournalVersion = 1;

std::string strata::engine::journalText(StringRef SnapshotDigest, StringRef Nonce,
                                        const std::vector<std::string> &Records) {
  std::string Out = std::string(JournalMagic) + " " + std::to_string(JournalVersion) +
                    "\nsnapshot " + SnapshotDigest.str() + "\nnonce " + Nonce.str() + "\n\n";
  for (size_t I = 0; I < Records.size(); ++I)
    Out += "record " + std::to_string(I + 1) + " " + std::to_string(Records[I].size()) + " " +
           sha256Hex(Records[I]) + "\n" + Records[I];
  return Out;
}

namespace {
struct JournalHeader {
  std::string Snapshot, Nonce;
  size_t Size = 0;
};
} // namespace

/// The header's lines, or an error saying which is wrong.
static llvm::Expected<JournalHeader> readJournalHeader(StringRef Text, StringRef Path) {
  auto Fail = [&](const std::string &Why) {
    return failure("journal `" + Path.str() + "`: " + Why +
                   "; move it away to use the state file without it (the changes it holds "
                   "are then lost)");
  };
  StringRef Rest = Text;
  auto Next = [&](StringRef &Line) {
    if (!Rest.contains('\n'))
      return false;
    std::tie(Line, Rest) = Rest.split('\n');
    return true;
  };
  StringRef Magic, Snapshot, Nonce, Blank;
  if (!Next(Magic) || !Magic.startswith(JournalMagic))
    return Fail("not a strata journal (no `" + std::string(JournalMagic) + "` header)");
  unsigned Version = 0;
  if (Magic.drop_front(sizeof(JournalMagic) - 1).trim().getAsInteger(10, Version) ||
      Version != JournalVersion)
    return Fail("journal format `" + Magic.drop_front(sizeof(JournalMagic)).str() +
                "` is not supported (this strata reads version " + std::to_string(JournalVersion) +
                ")");
  if (!Next(Snapshot) || !Snapshot.consume_front("snapshot ") || !Next(Nonce) ||
      !Nonce.consume_front("nonce ") || !Next(Blank) || !Blank.empty())
    return Fail("its header is damaged");
  return JournalHeader{Snapshot.str(), Nonce.str(), Text.size() - Rest.size()};
}

namespace {
/// One record's place, or why it could not be read.
struct RecordRead {
  enum Kind { Good, Torn, Damaged } K = Good;
  std::string Why;
  StringRef Payload;
  size_t Size = 0; // header line and payload
};
} // namespace

static RecordRead readRecord(StringRef Rest, uint64_t Seq) {
  RecordRead R;
  size_t Eol = Rest.find('\n');
  if (Eol == StringRef::npos) {
    R.K = RecordRead::Torn; // the write stopped inside the header line
    return R;
  }
  llvm::SmallVector<StringRef, 4> Fields;
  Rest.take_front(Eol).split(Fields, ' ');
  uint64_t Number = 0, Length = 0;
  if (Fields.size() != 4 || Fields[0] != "record" || Fields[1].getAsInteger(10, Number) ||
      Fields[2].getAsInteger(10, Length) || Fields[3].size() != 64) {
    R.K = RecordRead::Damaged;
    R.Why = "its header line is unreadable";
    return R;
  }
  if (Number != Seq) {
    R.K = RecordRead::Damaged;
    R.Why = "it is numbered " + std::to_string(Number);
    return R;
  }
  size_t Available = Rest.size() - Eol - 1;
  if (Length > Available) {
    R.K = RecordRead::Torn; // cut short
    return R;
  }
  R.Payload = Rest.substr(Eol + 1, size_t(Length));
  R.Size = Eol + 1 + size_t(Length);
  if (sha256Hex(R.Payload) != Fields[3]) {
    // At full length but not all of it reached the disk: torn, when
    // nothing follows it.
    R.K = R.Size == Rest.size() ? RecordRead::Torn : RecordRead::Damaged;
    R.Why = "its checksum does not match its contents";
  }
  return R;
}

llvm::Expected<JournalText> strata::engine::parseJournal(StringRef Text, StringRef Path,
                                                         StringRef SnapshotDigest) {
  llvm::Expected<JournalHeader> H = readJournalHeader(Text, Path);
  if (!H)
    return H.takeError();
  JournalText J;
  J.Nonce = H->Nonce;
  J.ValidBytes = H->Size;
  if (SnapshotDigest.empty() || H->Snapshot != SnapshotDigest)
    return J; // left over from a compaction that replaced the snapshot
  J.Current = true;
  while (J.ValidBytes < Text.size()) {
    StringRef Rest = Text.drop_front(J.ValidBytes);
    RecordRead R = readRecord(Rest, J.Records.size() + 1);
    if (R.K == RecordRead::Torn) {
      J.TornBytes = Rest.size();
      break;
    }
    if (R.K == RecordRead::Damaged)
      return failure("journal `" + Path.str() + "`: record " +
                     std::to_string(J.Records.size() + 1) + " (at byte " +
                     std::to_string(J.ValidBytes) + ") is damaged: " + R.Why +
                     ", and more follows it, so a crash did not do it: the journal was "
                     "edited or corrupted. Restore the state file and its journal from a "
                     "backup; nothing was written");
    J.Records.push_back(R.Payload);
    J.ValidBytes += R.Size;
  }
  return J;
}
