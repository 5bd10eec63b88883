//===- HistoryMeanwhile.cpp - The history's work on another thread --------===//
//
// A cold makemigrations run replays the whole history and stores the state
// it reaches, and parses and analyses the whole schema: independent work,
// so the replay (and the store after it) runs on another thread while the
// caller goes on with the schema. The thread reports into a diagnostic
// engine of its own; should it report anything at all, settle() replays
// again on the caller's thread, into the caller's engine, so that what is
// reported (and when: before anything about the schema) is exactly what a
// replay in line reports. The thread touches nothing the caller's thread
// uses meanwhile: not the source manager, not the digest table, not the
// report; the graph it replays is left alone by the caller until settle().
//
//===----------------------------------------------------------------------===//
#include "HistoryEntry.h"
#include "strata/Migrate/BuildCache.h"
#include "strata/Migrate/SumFile.h"

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

std::shared_ptr<StoreJob> storeJob(FileDigests &Digests, llvm::StringRef Dir,
                                   const HistoryView &H) {
  std::optional<SumFile> Sum = readSum(Dir);
  if (!Sum)
    return nullptr;
  std::optional<std::string> SumDigest = Digests.digest(sumFilePath(Dir), Sum->Buffer->getBuffer());
  if (!SumDigest)
    return nullptr;
  auto Job = std::make_shared<StoreJob>();
  Job->Sum = std::move(*Sum);
  Job->SumDigest = std::move(*SumDigest);
  Job->View.Leaves = H.Leaves;
  Job->View.NextNumber = H.NextNumber;
  Job->View.Empty = H.Empty;
  Job->View.HasSquash = H.HasSquash;
  return Job;
}
} // namespace

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
  if (H.Fingerprint.empty() && HistoryThread.joinable()) {
    finishHistoryStore();
    H.Fingerprint = StoredFingerprint;
  }
  return H.Fingerprint;
}
