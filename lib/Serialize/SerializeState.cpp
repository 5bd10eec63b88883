//===- SerializeState.cpp - Schema states as bytes ------------------------===//
//
// Relations, then derived relations, then indexes, each kind in the sorted
// name order the state keeps them in. The reader insists on that order: it
// is what a writer produces, and it rules out duplicate names that would
// silently replace each other.
//
//===----------------------------------------------------------------------===//
#include "strata/Serialize/Serialize.h"
#include <algorithm>

using namespace strata;
using namespace strata::serialize;

namespace {

/// Types nest only as deep as their brackets, which the parser bounds.
constexpr unsigned MaxTypeDepth = 4096;
/// A column is at least a name length, a type kind and a location tag; an
/// entry or a record field at least a name length and one more byte.
constexpr size_t MinColumnBytes = 3;
constexpr size_t MinEntryBytes = 2;
constexpr uint64_t MaxReserve = 4096;

// ---- writing

void writeType(const Type &T, BinaryWriter &W) {
  W.u64(static_cast<uint64_t>(T.kind()));
  switch (T.kind()) {
  case Type::Kind::Vector:
    W.u64(T.vectorDim());
    return;
  case Type::Kind::List:
    writeType(T.element(), W);
    return;
  case Type::Kind::Record:
    W.u64(T.fields().size());
    for (const RecordField &F : T.fields()) {
      W.str(F.Name);
      writeType(F.Ty, W);
    }
    return;
  default:
    return;
  }
}

void writeColumns(const ColumnList &Cs, const LocationEncoder &L, BinaryWriter &W) {
  W.u64(Cs.Columns.size());
  for (const ColumnDef &C : Cs.Columns) {
    W.str(C.Name);
    writeType(C.Ty, W);
    L.write(C.Loc, W);
  }
}

void writeEntry(const RelationDef &D, const LocationEncoder &L, BinaryWriter &W) {
  W.str(D.Name);
  L.write(D.Loc, W);
  writeColumns(D.Columns, L, W);
}

void writeEntry(const DerivedDef &D, const LocationEncoder &L, BinaryWriter &W) {
  W.str(D.Name);
  L.write(D.Loc, W);
  writeColumns(D.Columns, L, W);
  W.u64(D.Clauses.size());
  for (const auto &C : D.Clauses)
    writeClause(*C, L, W);
}

void writeEntry(const IndexDef &I, const LocationEncoder &L, BinaryWriter &W) {
  W.str(I.Name);
  L.write(I.Loc, W);
  W.str(I.Relation);
  W.str(I.Column);
  W.u64(static_cast<uint64_t>(I.TheMetric));
  W.i64(I.M);
  W.i64(I.EfConstruction);
  W.i64(I.EfSearch);
}

template <typename T>
void writeEntries(const SchemaState::Map<T> &M, const LocationEncoder &L, BinaryWriter &W) {
  W.u64(M.size());
  for (const auto &Entry : M)
    writeEntry(*Entry.second, L, W);
}

// ---- reading

class StateReader {
public:
  StateReader(BinaryReader &R, const LocationDecoder &L) : R(R), L(L) {}

  void readString(std::string &Out) {
    llvm::StringRef S = R.str();
    Out.assign(S.data(), S.size());
  }

  std::optional<Type> readType(unsigned Depth = 0) {
    uint64_t Kind = R.u64();
    if (!R.ok() || Kind > uint64_t(Type::Kind::Record) || Depth > MaxTypeDepth) {
      R.fail();
      return std::nullopt;
    }
    switch (static_cast<Type::Kind>(Kind)) {
    case Type::Kind::Int:
      return Type::intTy();
    case Type::Kind::Float:
      return Type::floatTy();
    case Type::Kind::String:
      return Type::stringTy();
    case Type::Kind::Bool:
      return Type::boolTy();
    case Type::Kind::Vector: {
      uint64_t Dim = R.u64();
      if (Dim > uint64_t(MaxVectorDimension)) {
        R.fail();
        return std::nullopt;
      }
      return Type::vectorTy(static_cast<uint32_t>(Dim));
    }
    case Type::Kind::List:
      if (std::optional<Type> Element = readType(Depth + 1))
        return Type::listTy(std::move(*Element));
      return std::nullopt;
    case Type::Kind::Record:
      return readRecord(Depth);
    }
    return std::nullopt;
  }

  std::optional<Type> readRecord(unsigned Depth) {
    uint64_t N = R.count(MinEntryBytes);
    std::vector<RecordField> Fields;
    Fields.reserve(std::min<uint64_t>(N, 16));
    for (uint64_t I = 0; I < N; ++I) {
      RecordField &F = Fields.emplace_back(RecordField{{}, Type::intTy()});
      readString(F.Name);
      std::optional<Type> T = readType(Depth + 1);
      if (!T)
        return std::nullopt;
      F.Ty = std::move(*T);
    }
    if (!R.ok())
      return std::nullopt;
    return Type::recordTy(std::move(Fields));
  }

  void readColumns(ColumnList &Out) {
    uint64_t N = R.count(MinColumnBytes);
    Out.Columns.reserve(std::min(N, MaxReserve));
    for (uint64_t I = 0; I < N && R.ok(); ++I) {
      ColumnDef &C = Out.Columns.emplace_back(ColumnDef{{}, Type::intTy(), {}});
      readString(C.Name);
      if (std::optional<Type> T = readType())
        C.Ty = std::move(*T);
      C.Loc = L.read(R);
    }
  }

  void readEntry(RelationDef &D) {
    readString(D.Name);
    D.Loc = L.read(R);
    readColumns(D.Columns);
  }

  void readEntry(DerivedDef &D) {
    readString(D.Name);
    D.Loc = L.read(R);
    readColumns(D.Columns);
    uint64_t N = R.count(MinEntryBytes);
    D.Clauses.reserve(std::min(N, MaxReserve));
    for (uint64_t I = 0; I < N && R.ok(); ++I) {
      auto C = std::make_shared<ast::Clause>();
      if (!readClause(R, L, *C))
        return;
      D.Clauses.push_back(std::move(C));
    }
  }

  void readEntry(IndexDef &I) {
    readString(I.Name);
    I.Loc = L.read(R);
    readString(I.Relation);
    readString(I.Column);
    uint64_t MetricValue = R.u64();
    if (MetricValue > uint64_t(Metric::Manhattan))
      R.fail();
    I.TheMetric = static_cast<Metric>(MetricValue);
    I.M = R.i64();
    I.EfConstruction = R.i64();
    I.EfSearch = R.i64();
  }

  /// Reads one kind of entry into State. Names must strictly increase.
  template <typename T> void readEntries(SchemaState &State) {
    uint64_t N = R.count(MinEntryBytes);
    const T *Previous = nullptr; // kept alive by State
    for (uint64_t I = 0; I < N && R.ok(); ++I) {
      auto Entry = std::make_shared<T>();
      readEntry(*Entry);
      if (!R.ok() || (Previous && Entry->Name <= Previous->Name)) {
        R.fail();
        return;
      }
      Previous = Entry.get();
      State.put(std::shared_ptr<const T>(std::move(Entry)));
    }
  }

private:
  BinaryReader &R;
  const LocationDecoder &L;
};

} // namespace

void strata::serialize::writeSchemaState(const SchemaState &S, const LocationEncoder &L,
                                         BinaryWriter &W) {
  writeEntries(S.relations(), L, W);
  writeEntries(S.derived(), L, W);
  writeEntries(S.indexes(), L, W);
}

std::optional<SchemaState> strata::serialize::readSchemaState(BinaryReader &R,
                                                              const LocationDecoder &L) {
  SchemaState State;
  StateReader Reader(R, L);
  Reader.readEntries<RelationDef>(State);
  Reader.readEntries<DerivedDef>(State);
  Reader.readEntries<IndexDef>(State);
  if (!R.ok())
    return std::nullopt;
  return State;
}
