//===- CheckIndexes.cpp - HNSW index declarations -------------------------===//
//
// Mirrors `.index create` (meta.rs, index_manager.rs): options metric, m,
// ef_construction (efc), ef_search (efs); 2 <= m <= 256; defaults cosine,
// 16, 200, 50. The server only checks the relation has a schema; Strata also
// checks the column exists and holds vectors.
//
//===----------------------------------------------------------------------===//
#include "strata/Sema/Sema.h"
#include "strata/Sema/Suggest.h"
#include "llvm/ADT/StringMap.h"

using namespace strata;
using namespace strata::sema;

namespace {
enum class OptionKey { Metric, M, EfConstruction, EfSearch };

std::optional<OptionKey> parseKey(llvm::StringRef Key) {
  std::string K = Key.lower();
  if (K == "metric")
    return OptionKey::Metric;
  if (K == "m")
    return OptionKey::M;
  if (K == "ef_construction" || K == "efc")
    return OptionKey::EfConstruction;
  if (K == "ef_search" || K == "efs")
    return OptionKey::EfSearch;
  return std::nullopt;
}

llvm::StringRef canonicalKey(OptionKey K) {
  switch (K) {
  case OptionKey::Metric:
    return "metric";
  case OptionKey::M:
    return "m";
  case OptionKey::EfConstruction:
    return "ef_construction";
  case OptionKey::EfSearch:
    return "ef_search";
  }
  return "metric";
}

std::optional<int64_t> integerValue(const ast::IndexOption &O, llvm::StringRef Key,
                                    DiagnosticEngine &Diags) {
  int64_t V = 0;
  if (O.ValueKind != ast::IndexOption::Kind::Int || llvm::StringRef(O.Value).getAsInteger(10, V)) {
    Diags.reportAt(DiagKind::IndexOptionNotInteger, O.ValueRange, Key.str(), O.Value);
    return std::nullopt;
  }
  return V;
}
} // namespace

bool strata::applyIndexOptions(llvm::ArrayRef<ast::IndexOption> Options, IndexDef &Def,
                               DiagnosticEngine &Diags) {
  bool Ok = true;
  llvm::StringMap<const ast::IndexOption *> Seen;
  for (const ast::IndexOption &O : Options) {
    std::optional<OptionKey> Key = parseKey(O.Key.Name);
    if (!Key) {
      NameSuggester S(O.Key.Name);
      for (const char *K : {"metric", "m", "ef_construction", "ef_search"})
        S.offer(K);
      addSuggestion(Diags.reportAt(DiagKind::UnknownIndexOption, O.Key.Range, O.Key.Name),
                    O.Key.Range, S.best());
      Ok = false;
      continue;
    }
    llvm::StringRef Canon = canonicalKey(*Key);
    auto [It, Inserted] = Seen.try_emplace(Canon, &O);
    if (!Inserted) {
      Diags.reportAt(DiagKind::DuplicateIndexOption, O.Key.Range, Canon.str())
          .noteAt(DiagKind::NotePreviousDefinition, It->second->Key.Range, Canon.str());
      Ok = false;
      continue;
    }
    switch (*Key) {
    case OptionKey::Metric: {
      std::optional<Metric> M;
      if (O.ValueKind == ast::IndexOption::Kind::Word)
        M = parseMetric(O.Value);
      if (!M) {
        NameSuggester S(O.Value);
        for (Metric K : iql::allIndexMetrics())
          S.offer(metricName(K));
        addSuggestion(Diags.reportAt(DiagKind::BadMetric, O.ValueRange, O.Value), O.ValueRange,
                      S.best());
        Ok = false;
        break;
      }
      Def.TheMetric = *M;
      break;
    }
    case OptionKey::M: {
      std::optional<int64_t> V = integerValue(O, Canon, Diags);
      if (V && (*V < 2 || *V > 256)) {
        Diags.reportAt(DiagKind::IndexMOutOfRange, O.ValueRange, *V);
        V.reset();
      }
      if (V)
        Def.M = *V;
      Ok &= V.has_value();
      break;
    }
    case OptionKey::EfConstruction:
    case OptionKey::EfSearch: {
      std::optional<int64_t> V = integerValue(O, Canon, Diags);
      if (V && *V < 1) {
        Diags.reportAt(DiagKind::IndexEfNotPositive, O.ValueRange, Canon.str(), *V);
        V.reset();
      }
      if (V)
        (*Key == OptionKey::EfSearch ? Def.EfSearch : Def.EfConstruction) = *V;
      Ok &= V.has_value();
      break;
    }
    }
  }
  return Ok;
}

std::optional<IndexDef> strata::resolveIndex(const ast::IndexDecl &Decl, const SchemaState &State,
                                             DiagnosticEngine &Diags,
                                             const llvm::StringSet<> *AssumeExist) {
  IndexDef Def;
  Def.Name = Decl.Name.Name;
  Def.Relation = Decl.Relation.Name;
  Def.Column = Decl.Column.Name;
  Def.Loc = Decl.Name.Range;
  bool Ok = applyIndexOptions(Decl.Options, Def, Diags);

  const ColumnList *Columns = State.columnsOf(Decl.Relation.Name);
  if (!Columns) {
    if (AssumeExist && AssumeExist->count(Decl.Relation.Name))
      return std::nullopt;
    NameSuggester S(Decl.Relation.Name);
    if (spellCheckingAllowed(Diags)) {
      for (const auto &Entry : State.relations())
        S.offer(Entry.first);
      for (const auto &Entry : State.derived())
        S.offer(Entry.first);
    }
    addSuggestion(Diags.reportAt(DiagKind::IndexUnknownRelation, Decl.Relation.Range,
                                 Decl.Name.Name, Decl.Relation.Name),
                  Decl.Relation.Range, S.best());
    return std::nullopt;
  }
  std::optional<size_t> Col = Columns->find(Decl.Column.Name);
  if (!Col) {
    addSuggestion(Diags.reportAt(DiagKind::IndexUnknownColumn, Decl.Column.Range, Decl.Name.Name,
                                 Decl.Relation.Name, Decl.Column.Name),
                  Decl.Column.Range, closestColumn(*Columns, Decl.Column.Name));
    return std::nullopt;
  }
  const ColumnDef &C = Columns->Columns[*Col];
  if (C.Ty.kind() != Type::Kind::Vector) {
    DiagnosticBuilder B =
        Diags.reportAt(DiagKind::IndexColumnNotVector, Decl.Column.Range, Decl.Name.Name,
                       Decl.Relation.Name, Decl.Column.Name, C.Ty.str());
    if (C.Loc.isValid())
      B.noteAt(DiagKind::NoteDeclaredHere, C.Loc, Decl.Relation.Name + "." + C.Name);
    return std::nullopt;
  }
  if (!Ok)
    return std::nullopt;
  return Def;
}
