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
constexpr uint64_t SchemaFormat = 1;

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

std::string encode(const SchemaView &S, const LocationEncoder &L) {
  BinaryWriter W;
  W.u64(SchemaFormat);
  writeSchemaState(S.State, L, W);
  auto Str = [&](const std::string &V) { W.str(V); };
  auto Range = [&](llvm::SMRange R) { L.write(R, W); };
  writeMap(S.Hints.RenamedRelations, W, Str);
  writeMap(S.Hints.RenamedColumns, W, Str);
  writeMap(S.Hints.Fills, W, [&](const ast::Expr &E) { writeExpr(E, L, W); });
  writeMap(S.Hints.ColumnTypeRanges, W, Range);
  writeMap(S.Hints.ColumnRanges, W, Range);
  return W.take();
}

std::optional<SchemaView> decode(llvm::StringRef Payload, const LocationDecoder &L) {
  BinaryReader R(Payload);
  if (R.u64() != SchemaFormat)
    return std::nullopt;
  std::optional<SchemaState> State = readSchemaState(R, L);
  if (!State)
    return std::nullopt;
  SchemaView S{std::move(*State), {}};
  auto Str = [&](std::string &V) {
    V = R.str().str();
    return R.ok();
  };
  auto Range = [&](llvm::SMRange &V) {
    V = L.read(R);
    return R.ok();
  };
  if (!readMap(R, S.Hints.RenamedRelations, Str) || !readMap(R, S.Hints.RenamedColumns, Str) ||
      !readMap(R, S.Hints.Fills, [&](ast::Expr &E) { return readExpr(R, L, E); }) ||
      !readMap(R, S.Hints.ColumnTypeRanges, Range) || !readMap(R, S.Hints.ColumnRanges, Range) ||
      !R.atEnd())
    return std::nullopt;
  return S;
}
} // namespace

std::optional<SchemaView> BuildCache::schema(llvm::StringRef SchemaDir, DiagnosticEngine &Diags) {
  size_t Before = Diags.size();
  std::optional<std::vector<std::string>> Paths = listSourceFiles(SchemaDir, ".strata", Diags);
  if (!Paths)
    return std::nullopt;
  Report.SchemaFiles = unsigned(Paths->size());
  Report.Schema = "miss";

  // Read every file first (quietly: a file that fails is read again below,
  // where it is reported in its turn).
  std::vector<LoadedFile> Files;
  DiagnosticEngine Quiet(Diags.sourceMgr());
  for (const std::string &Path : *Paths)
    if (std::optional<unsigned> ID = loadSourceFile(Path, Quiet))
      Files.push_back({Path, *ID, Diags.sourceMgr().getMemoryBuffer(*ID)->getBuffer()});
  bool AllRead = Files.size() == Paths->size();

  std::string Key = schemaKey(SchemaDir, Files);
  if (Enabled && AllRead)
    if (std::optional<CacheEntry> E = Dir.load(entryName(Key), Key)) {
      LocationDecoder L;
      for (size_t I = 0; I < Files.size(); ++I)
        L.setFile(unsigned(I), Files[I].Text);
      if (std::optional<SchemaView> S = decode(E->Payload, L)) {
        Report.Schema = "hit";
        return S;
      }
    }

  std::vector<ast::SourceFile> Parsed;
  if (AllRead) {
    for (const LoadedFile &F : Files)
      Parsed.push_back(parseSchemaFile(F.Path, F.BufferID, Diags));
  } else {
    for (const std::string &Path : *Paths)
      if (std::optional<ast::SourceFile> F = parseFile(Path, Diags))
        Parsed.push_back(std::move(*F));
  }
  SchemaView S;
  S.Hints = collectHints(Parsed);
  std::optional<SchemaState> State = analyzeSchema(std::move(Parsed), Diags);
  if (!State)
    return std::nullopt;
  S.State = std::move(*State);

  if (Enabled && AllRead && Diags.size() == Before) {
    LocationEncoder L;
    for (const LoadedFile &F : Files)
      L.addFile(F.Text);
    if (Dir.store(entryName(Key), Key, encode(S, L))) {
      Report.Schema = "miss, stored";
      Dir.prune("schema-", 4);
    }
  }
  return S;
}
