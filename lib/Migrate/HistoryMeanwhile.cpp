//===- HistoryMeanwhile.cpp - The history's work on another thread --------===//
//
// A cold makemigrations run loads and replays the whole history and stores
// the state it reaches, and parses and analyses the whole schema:
// independent work, so the history's part runs on another thread while the
// caller goes on with the schema.
//
// loadMeanwhile: the caller reads the migration files into its source
// manager (so their buffers come before the schema's, which orders
// diagnostics by buffer), handing each to the thread as soon as it is read
// (MigrationFileFeed); the thread parses, checks and replays them through
// views of those buffers in a source manager of its own, reporting into an
// engine of its own. settle() appends what it reported to the caller's
// engine: the same diagnostics, in the same order and at the same places,
// as the load in line reports, before anything about the schema. Should a
// file not read quietly, the thread's work is dropped and the load in line
// reports it.
//
// replayMeanwhile (after a load in line): only the replay runs there;
// should it report anything at all, settle() replays again on the caller's
// thread, into the caller's engine.
//
// The threads touch nothing the caller's thread uses meanwhile: not its
// source manager, not the digest table, not the report; the graph is left
// alone by the caller until settle().
//
//===----------------------------------------------------------------------===//
#include "HistoryEntry.h"
#include "strata/Migrate/BuildCache.h"
#include "strata/Migrate/Squash.h"
#include "strata/Migrate/SumFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace strata;
using namespace strata::historyentry;

namespace {
/// What the thread needs to store the entry: the sum file it was loaded
/// with and its digest (read on the caller's thread), and the view.
struct StoreJob {
  SumFile Sum;
  std::string SumDigest;
  HistoryView View;
};

/// The shape of H (all but its state and fingerprint) into Out.
void copyShape(const HistoryView &H, HistoryView &Out) {
  Out.Leaves = H.Leaves;
  Out.NextNumber = H.NextNumber;
  Out.Empty = H.Empty;
  Out.HasSquash = H.HasSquash;
}

/// The job with Dir's sum file, its view still empty.
std::shared_ptr<StoreJob> storeJob(FileDigests &Digests, llvm::StringRef Dir) {
  std::optional<SumFile> Sum = readSum(Dir);
  if (!Sum)
    return nullptr;
  std::optional<std::string> SumDigest = Digests.digest(sumFilePath(Dir), Sum->Buffer->getBuffer());
  if (!SumDigest)
    return nullptr;
  auto Job = std::make_shared<StoreJob>();
  Job->Sum = std::move(*Sum);
  Job->SumDigest = std::move(*SumDigest);
  return Job;
}

std::shared_ptr<StoreJob> storeJob(FileDigests &Digests, llvm::StringRef Dir,
                                   const HistoryView &H) {
  std::shared_ptr<StoreJob> Job = storeJob(Digests, Dir);
  if (Job)
    copyShape(H, Job->View);
  return Job;
}

/// The view of a loaded graph, without its state.
HistoryView shapeOf(const MigrationGraph &G) {
  HistoryView H;
  for (const Migration *L : effectiveLeaves(G))
    H.Leaves.push_back(L->Name);
  H.NextNumber = G.nextNumber();
  H.Empty = G.empty();
  for (const Migration *M : G.order())
    H.HasSquash |= !M->Replaces.empty();
  return H;
}
} // namespace

struct BuildCache::LoadedHistory {
  /// The files, handed over by the caller as it reads them.
  MigrationFileFeed Feed;
  /// Views of the caller's buffers, in the order it read them.
  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};
  std::optional<MigrationGraph> Graph;
  HistoryView View; // its shape; its state once replayed
  bool Replayed = false;
};

namespace {
/// Reads the files Names of Dir into Diags' SourceMgr, handing each over
/// to Feed as it is read; false when one does not read quietly.
bool readInto(MigrationFileFeed &Feed, llvm::StringRef Dir, llvm::ArrayRef<std::string> Names,
              DiagnosticEngine &Diags) {
  DiagnosticEngine Quiet(Diags.sourceMgr());
  for (const std::string &Name : Names) {
    llvm::SmallString<128> Path(Dir);
    llvm::sys::path::append(Path, Name);
    std::optional<FileStatus> Status;
    std::optional<unsigned> ID = loadSourceFile(Path, Quiet, MaxSourceFileBytes, &Status);
    if (!ID || Quiet.size() != 0)
      return false;
    Feed.add(Path, Diags.sourceMgr().getMemoryBuffer(*ID)->getMemBufferRef(), Status);
  }
  return true;
}
} // namespace

std::optional<HistoryView> BuildCache::loadMeanwhile(llvm::StringRef Dir, bool Storable,
                                                     DiagnosticEngine &Diags) {
  finishHistoryStore();
  DiagnosticEngine Quiet(Diags.sourceMgr());
  std::optional<std::vector<std::string>> Names = listMigrationFiles(Dir, Quiet);
  if (!Names)
    return std::nullopt;
  auto Load = std::make_shared<LoadedHistory>();
  std::shared_ptr<StoreJob> Job = Storable ? storeJob(*Digests, Dir) : nullptr;
  auto Loaded = std::make_shared<std::promise<std::shared_ptr<LoadedHistory>>>();
  LoadedMeanwhile = Loaded->get_future();
  auto Fingerprint = std::make_shared<std::promise<std::string>>();
  FingerprintMeanwhile = Fingerprint->get_future();
  HistoryThread = std::thread([this, Load, Job, Loaded, Fingerprint, Dir = Dir.str()] {
    bool Clean = loadAndReplay(Dir, *Load);
    bool Storing = Job && Clean;
    if (Storing) {
      copyShape(Load->View, Job->View);
      Job->View.State = Load->View.State;
    }
    Loaded->set_value(Load);
    if (!Storing) {
      Fingerprint->set_value("");
      return;
    }
    // The caller compares the fingerprint while the entry is written.
    Job->View.Fingerprint = schemaFingerprint(Job->View.State);
    Fingerprint->set_value(Job->View.Fingerprint);
    HistoryStored = writeHistoryEntry(Store, Job->Sum, Job->SumDigest, Job->View);
  });
  // The files are read here, into the caller's SourceMgr (so that their
  // buffers come before the schema's), while the thread parses them.
  bool Read = readInto(Load->Feed, Dir, *Names, Diags);
  Load->Feed.close(/*Failed=*/!Read);
  if (Read)
    return HistoryView();
  // The load in line reads again and reports what did not read quietly.
  finishHistoryStore();
  LoadedMeanwhile = {};
  FingerprintMeanwhile = {};
  return std::nullopt;
}

bool BuildCache::loadAndReplay(llvm::StringRef Dir, LoadedHistory &Load) {
  Load.Graph = loadHistory(Dir, Load.Diags, nullptr, &Load.Feed);
  if (!Load.Graph || Load.Feed.failed())
    return false;
  Load.View = shapeOf(*Load.Graph);
  if (Load.View.Leaves.size() != 1)
    return false;
  std::optional<SchemaState> S =
      Load.Graph->stateAfter(Load.Graph->find(Load.View.Leaves.front()), Load.Diags);
  if (!S)
    return false;
  Load.View.State = std::move(*S);
  Load.Replayed = true;
  return Load.Diags.size() == 0;
}

bool BuildCache::settleLoad(HistoryView &H, DiagnosticEngine &Diags) {
  std::shared_ptr<LoadedHistory> Load = LoadedMeanwhile.get();
  bool Clean = Load->Replayed && Load->Diags.size() == 0;
  Diags.append(std::move(Load->Diags));
  if (!Load->Graph)
    return false;
  // The files' digests, remembered here while the thread fingerprints
  // and stores the state (a file the feed did not hand over has none of
  // its status).
  if (Clean && Digests)
    for (const Migration *M : Load->Graph->order()) {
      if (std::optional<FileStatus> Status = Load->Feed.statusOf(M->Path))
        Digests->remember(M->Path, M->Checksum, *Status);
      else
        Digests->remember(M->Path, M->Checksum);
    }
  Graph = std::make_unique<MigrationGraph>(std::move(*Load->Graph));
  H = std::move(Load->View);
  H.Graph = Graph.get();
  Report.Migrations = unsigned(Graph->order().size());
  Report.History = "miss";
  if (H.Leaves.size() == 1 && !Load->Replayed)
    return false;
  H.StateLoaded = true;
  return !Diags.hasErrors();
}

void BuildCache::storeHistoryMeanwhile(llvm::StringRef Dir, const HistoryView &H) {
  finishHistoryStore();
  std::shared_ptr<StoreJob> Job = storeJob(*Digests, Dir, H);
  if (!Job)
    return;
  // The thread works on its own copy: the caller's view moves on. Copying
  // a state copies pointers to its (immutable) definitions.
  Job->View.State = H.State;
  HistoryThread = std::thread([this, Job] {
    Job->View.Fingerprint = schemaFingerprint(Job->View.State);
    StoredFingerprint = Job->View.Fingerprint;
    HistoryStored = writeHistoryEntry(Store, Job->Sum, Job->SumDigest, Job->View);
  });
}

void BuildCache::replayMeanwhile(llvm::StringRef Dir, const HistoryView &H, bool Storable) {
  finishHistoryStore();
  std::shared_ptr<StoreJob> Job = Storable ? storeJob(*Digests, Dir, H) : nullptr;
  const Migration *Leaf = Graph->find(H.Leaves.front());
  auto Replayed = std::make_shared<std::promise<std::optional<SchemaState>>>();
  ReplayedState = Replayed->get_future();
  HistoryThread = std::thread([this, Job, Leaf, Replayed, G = Graph.get()] {
    llvm::SourceMgr OwnSM;
    DiagnosticEngine Own(OwnSM);
    std::optional<SchemaState> S = G->stateAfter(Leaf, Own);
    if (!S || Own.size() != 0) {
      Replayed->set_value(std::nullopt);
      return;
    }
    if (Job)
      Job->View.State = *S;
    Replayed->set_value(std::move(S));
    if (!Job)
      return;
    Job->View.Fingerprint = schemaFingerprint(Job->View.State);
    StoredFingerprint = Job->View.Fingerprint;
    HistoryStored = writeHistoryEntry(Store, Job->Sum, Job->SumDigest, Job->View);
  });
}

bool BuildCache::settle(HistoryView &H, DiagnosticEngine &Diags) {
  if (LoadedMeanwhile.valid())
    return settleLoad(H, Diags);
  if (!ReplayedState.valid())
    return true;
  std::optional<SchemaState> S = ReplayedState.get();
  if (S) {
    H.State = std::move(*S);
    H.StateLoaded = true;
    if (Digests)
      for (const Migration *M : Graph->order())
        Digests->remember(M->Path, M->Checksum);
    return true;
  }
  // The thread saw a diagnostic: replay here, reporting as a replay in
  // line does (nothing is stored after a diagnostic).
  finishHistoryStore();
  std::optional<SchemaState> Again = Graph->stateAfter(Graph->find(H.Leaves.front()), Diags);
  if (!Again)
    return false;
  H.State = std::move(*Again);
  H.StateLoaded = true;
  return !Diags.hasErrors();
}

void BuildCache::finishHistoryStore() {
  if (!HistoryThread.joinable())
    return;
  HistoryThread.join();
  if (HistoryStored)
    Report.History += ", stored";
  HistoryStored = false;
}

const std::string &BuildCache::fingerprint(HistoryView &H) {
  if (H.Fingerprint.empty() && FingerprintMeanwhile.valid()) {
    H.Fingerprint = FingerprintMeanwhile.get();
    return H.Fingerprint;
  }
  if (H.Fingerprint.empty() && HistoryThread.joinable()) {
    finishHistoryStore();
    H.Fingerprint = StoredFingerprint;
  }
  return H.Fingerprint;
}
