//===- CachedSchema.cpp - The analysed schema in the build cache ----------===//
//
// The key names every schema file (its path under the schema directory,
// size and xxHash64 of its bytes): the files are read anyway, for the
// locations of anything the autodetector reports, and hashing them this way
// costs far less than a millisecond a megabyte. The entry holds the schema
// state and hints with locations as offsets into those files.
//
//===----------------------------------------------------------------------===//
#include "strata/Migrate/BuildCache.h"
#include "strata/Parse/Parser.h"
#include "strata/Sema/Sema.h"
#include "strata/Serialize/Serialize.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

using namespace strata;
using namespace strata::serialize;

namespace {
constexpr uint64_t SchemaFormat = 3;

struct LoadedFile {
  std::string Path;
  unsigned BufferID;
  llvm::StringRef Text;
};

std::string schemaKey(llvm::StringRef Dir, const std::vector<LoadedFile> &Files) {
  std::string Key = "schema 1\n";
  for (const LoadedFile &F : Files) {
    llvm::StringRef Rel(F.Path);
    if (Rel.startswith(Dir))
      Rel = Rel.drop_front(Dir.size()).ltrim('/');
    Key += Rel.str() + '\0' + std::to_string(F.Text.size()) + ' ' +
           llvm::utohexstr(llvm::xxHash64(F.Text)) + '\n';
  }
  return Key;
}

std::string entryName(llvm::StringRef Key) { return "schema-" + shortHash(Key); }

/// Locations as offsets into the schema files Texts, in order.
LocationEncoder locationEncoder(llvm::ArrayRef<llvm::StringRef> Texts) {
  LocationEncoder L;
  for (llvm::StringRef Text : Texts)
    L.addFile(Text);
  return L;
}

template <typename V, typename Fn>
void writeMap(const std::map<std::string, V> &M, BinaryWriter &W, Fn &&WriteValue) {
  W.u64(M.size());
  for (const auto &[K, Value] : M) {
    W.str(K);
    WriteValue(Value);
  }
}

template <typename V, typename Fn>
bool readMap(BinaryReader &R, std::map<std::string, V> &M, Fn &&ReadValue) {
  for (uint64_t I = 0, N = R.count(2); I < N && R.ok(); ++I) {
    std::string K = R.str().str();
    V Value;
    if (!ReadValue(Value))
      return false;
    M.emplace_hint(M.end(), std::move(K), std::move(Value));
  }
  return R.ok();
}

/// The entry: the fingerprint, then the state and hints (read only when
/// needed).
std::string encode(const SchemaView &S, const LocationEncoder &L) {
  BinaryWriter W;
  W.u64(SchemaFormat);
  W.str(S.Fingerprint);
  writeSchemaState(S.State, L, W);
  auto Str = [&](const std::string &V) { W.str(V); };
  auto Range = [&](llvm::SMRange R) { L.write(R, W); };
  writeMap(S.Hints.RenamedRelations, W, Str);
  writeMap(S.Hints.RenamedColumns, W, Str);
  writeMap(S.Hints.Fills, W, [&](const ast::Expr &E) { writeExpr(E, L, W); });
  writeMap(S.Hints.ColumnPlaces, W, [&](const std::vector<SchemaHints::ColumnPlace> &Places) {
    W.u64(Places.size());
    for (const SchemaHints::ColumnPlace &P : Places) {
      Range(P.Column);
      Range(P.Type);
    }
  });
  return W.take();
}

/// The fingerprint, and where the state begins.
std::optional<std::pair<std::string, size_t>> decodeHead(llvm::StringRef Payload) {
  BinaryReader R(Payload);
  if (R.u64() != SchemaFormat)
    return std::nullopt;
  std::string Fingerprint = R.str().str();
  if (!R.ok())
    return std::nullopt;
  return std::make_pair(std::move(Fingerprint), Payload.size() - R.remaining());
}

/// The hints and the analysed state of parsed schema files.
std::optional<SchemaView> analyze(std::vector<ast::SourceFile> &&Parsed, DiagnosticEngine &Diags) {
  SchemaView S;
  S.Hints = collectHints(Parsed);
  std::optional<SchemaState> State = analyzeSchema(std::move(Parsed), Diags);
  if (!State)
    return std::nullopt;
  S.State = std::move(*State);
  S.StateLoaded = true;
  return S;
}

bool decodeState(llvm::StringRef Bytes, const LocationDecoder &L, SchemaView &S) {
  BinaryReader R(Bytes);
  std::optional<SchemaState> State = readSchemaState(R, L);
  if (!State)
    return false;
  S.State = std::move(*State);
  auto Str = [&](std::string &V) {
    V = R.str().str();
    return R.ok();
  };
  auto Range = [&](llvm::SMRange &V) {
    V = L.read(R);
    return R.ok();
  };
  auto Places = [&](std::vector<SchemaHints::ColumnPlace> &V) {
    for (uint64_t I = 0, N = R.count(2); I < N && R.ok(); ++I) {
      SchemaHints::ColumnPlace P;
      Range(P.Column);
      Range(P.Type);
      V.push_back(P);
    }
    return R.ok();
  };
  return readMap(R, S.Hints.RenamedRelations, Str) && readMap(R, S.Hints.RenamedColumns, Str) &&
         readMap(R, S.Hints.Fills, [&](ast::Expr &E) { return readExpr(R, L, E); }) &&
         readMap(R, S.Hints.ColumnPlaces, Places) && R.atEnd();
}
} // namespace

std::optional<SchemaView> BuildCache::schema(llvm::StringRef Dir, DiagnosticEngine &Diags) {
  SchemaDir = Dir.str();
  if (!Enabled)
    return fullSchema(Dir, Diags);
  // Read every file first, quietly: should one fail, the full load reads
  // it again and reports it in its turn.
  DiagnosticEngine Quiet(Diags.sourceMgr());
  std::optional<std::vector<std::string>> Paths = listSourceFiles(Dir, ".strata", Quiet);
  if (!Paths)
    return fullSchema(Dir, Diags);
  std::vector<LoadedFile> Files;
  for (const std::string &Path : *Paths)
    if (std::optional<unsigned> ID = loadSourceFile(Path, Quiet))
      Files.push_back({Path, *ID, Diags.sourceMgr().getMemoryBuffer(*ID)->getBuffer()});
  if (Files.size() != Paths->size())
    return fullSchema(Dir, Diags);

  SchemaFiles.clear();
  for (const LoadedFile &F : Files)
    SchemaFiles.push_back(F.Text);
  Report.SchemaFiles = unsigned(Files.size());
  std::string Key = schemaKey(Dir, Files);
  if (std::optional<CacheEntry> E = Store.load(entryName(Key), Key))
    if (auto Head = decodeHead(E->Payload)) {
      Report.Schema = "hit";
      SchemaEntry = std::move(*E);
      SchemaStateAt = Head->second;
      SchemaView S;
      S.Fingerprint = std::move(Head->first);
      return S;
    }

  // Not in the cache: the schema will be parsed (at least in part) and
  // the states compared; get the parser and the history's state ready on
  // the other core meanwhile.
  prefetch();
  size_t Before = Diags.size();
  std::vector<ast::SourceFile> Parsed;
  for (const LoadedFile &F : Files)
    Parsed.push_back(parseSchemaFile(F.Path, F.BufferID, Diags));
  std::optional<SchemaView> S = analyze(std::move(Parsed), Diags);
  if (!S)
    return std::nullopt;
  Report.Schema = "miss";
  if (Diags.size() == Before)
    PendingSchemaKey = Key;
  // While the history still loads on the other core, this core has time
  // for the fingerprint (equal to the history's, it spares the comparison)
  // and for the entry storeSchema will likely write.
  if (Diags.size() == Before && (LoadedMeanwhile.valid() || ReplayedState.valid())) {
    S->Fingerprint = schemaFingerprint(S->State);
    PendingSchemaEntry = encode(*S, locationEncoder(SchemaFiles));
  }
  return S;
}

std::optional<SchemaView> BuildCache::fullSchema(llvm::StringRef Dir, DiagnosticEngine &Diags) {
  std::optional<std::vector<std::string>> Paths = listSourceFiles(Dir, ".strata", Diags);
  if (!Paths)
    return std::nullopt;
  std::vector<ast::SourceFile> Parsed;
  for (const std::string &Path : *Paths)
    if (std::optional<ast::SourceFile> F = parseFile(Path, Diags))
      Parsed.push_back(std::move(*F));
  Report.SchemaFiles = unsigned(Paths->size());
  Report.FilesParsed += unsigned(Parsed.size());
  Report.Schema = "miss";
  return analyze(std::move(Parsed), Diags);
}

bool BuildCache::loadState(SchemaView &S, DiagnosticEngine &Diags) {
  if (S.StateLoaded)
    return true;
  if (SchemaEntry) {
    LocationDecoder L;
    for (size_t I = 0; I < SchemaFiles.size(); ++I)
      L.setFile(unsigned(I), SchemaFiles[I]);
    if (decodeState(SchemaEntry->Payload.drop_front(SchemaStateAt), L, S)) {
      S.StateLoaded = true;
      Report.Schema = "hit, state read back";
      return true;
    }
    S = SchemaView();
  }
  Report.Schema = "miss (the entry did not read back)";
  std::optional<SchemaView> Full = fullSchema(SchemaDir, Diags);
  if (!Full)
    return false;
  S = std::move(*Full);
  return true;
}

void BuildCache::storeSchema(SchemaView &S) {
  if (PendingSchemaKey.empty())
    return;
  // The entry schema() encoded ahead is that of S, unchanged since.
  if (PendingSchemaEntry.empty()) {
    S.Fingerprint = schemaFingerprint(S.State);
    PendingSchemaEntry = encode(S, locationEncoder(SchemaFiles));
  }
  if (Store.store(entryName(PendingSchemaKey), PendingSchemaKey, PendingSchemaEntry)) {
    Report.Schema = "miss, stored";
    Store.prune("schema-", 4);
  }
  PendingSchemaKey.clear();
  PendingSchemaEntry.clear();
}
