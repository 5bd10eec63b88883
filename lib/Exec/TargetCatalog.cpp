//===- TargetCatalog.cpp - Reading and comparing a target's catalog --------===//
//
// The replies are command output, one line per object:
//
//   `  NAME (arity: N, columns: [COL: TYPE, ...], tuples: K)`   (`.rel`)
//   `  NAME (N clause(s))`                                      (`.rule list`)
//   `Index 'NAME' on REL.COL (type: T, metric: M, ...)`         (`.index list`)
//
// Headers (`Relations:`, `Rules:`) and empty answers (`No relations ...`,
// `No rules defined.`, `No indexes.`) carry no object. Types may contain
// `, ` (records), so a column list is split at depth zero only.
//
//===----------------------------------------------------------------------===//
#include "strata/Exec/TargetCatalog.h"
#include "strata/CodeGen/IqlText.h"
#include "strata/Engine/Engine.h"
#include "strata/Exec/ReplyCheck.h"
#include "strata/IQL/Names.h"
#include "strata/Sema/ServerClause.h"
#include "llvm/ADT/StringExtras.h"
#include <fmt/format.h>
#include <set>

using namespace strata;
using namespace strata::exec;

namespace {
using Columns = std::vector<std::pair<std::string, std::string>>;

llvm::Error unreadable(llvm::StringRef Command, llvm::StringRef Line) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "cannot read the target's catalog: `%s` answered `%s`",
                                 Command.str().c_str(), Line.str().c_str());
}

/// The lines of Command's reply (a message may hold several).
llvm::Expected<std::vector<std::string>> replyLines(Target &T, llvm::StringRef Command,
                                                    bool *Lost) {
  llvm::Expected<Reply> R = T.execute(Command.str());
  if (!R) {
    if (Lost)
      *Lost = true;
    return R.takeError();
  }
  if (std::optional<std::string> Why = replyFailure(*R))
    return unreadable(Command, *Why);
  std::vector<std::string> Out;
  for (const auto &Row : R->Rows)
    for (const Cell &V : Row)
      if (llvm::Optional<llvm::StringRef> S = V.getAsString())
        for (llvm::StringRef Line : llvm::split(*S, '\n'))
          if (!Line.trim().empty())
            Out.push_back(Line.str());
  return Out;
}

/// `a: int, b: {x: int, y: string}` split at top-level `, `.
std::optional<Columns> parseColumns(llvm::StringRef Text) {
  Columns Out;
  int Depth = 0;
  size_t Start = 0;
  auto Take = [&](size_t End) {
    llvm::StringRef Col = Text.slice(Start, End).trim();
    std::pair<llvm::StringRef, llvm::StringRef> NT = Col.split(": ");
    if (NT.first.empty() || NT.second.empty())
      return false;
    Out.emplace_back(NT.first.str(), NT.second.trim().str());
    return true;
  };
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (C == '[' || C == '{' || C == '(')
      ++Depth;
    else if (C == ']' || C == '}' || C == ')')
      --Depth;
    else if (C == ',' && Depth == 0) {
      if (!Take(I))
        return std::nullopt;
      Start = I + 1;
    }
  }
  if (!Text.trim().empty() && !Take(Text.size()))
    return std::nullopt;
  return Out;
}

/// One `.rel` line; false when it is not one.
bool parseRelation(llvm::StringRef Line, TargetCatalog &C) {
  size_t Open = Line.find(" (arity: ");
  if (!Line.startswith("  ") || Open == llvm::StringRef::npos)
    return false;
  std::string Name = Line.slice(2, Open).trim().str();
  llvm::StringRef Rest = Line.drop_front(Open);
  Columns Cols;
  size_t ColStart = Rest.find("columns: [");
  if (ColStart != llvm::StringRef::npos) {
    Rest = Rest.drop_front(ColStart + strlen("columns: ["));
    size_t End = Rest.rfind("], tuples:");
    if (End == llvm::StringRef::npos)
      End = Rest.rfind(']');
    if (End == llvm::StringRef::npos)
      return false;
    std::optional<Columns> Parsed = parseColumns(Rest.take_front(End));
    if (!Parsed)
      return false;
    Cols = std::move(*Parsed);
  }
  C.Relations[Name] = std::move(Cols);
  // The count comes last; a target that leaves it out just has none.
  size_t Tuples = Line.rfind("tuples: ");
  uint64_t N = 0;
  if (Tuples != llvm::StringRef::npos &&
      !Line.drop_front(Tuples + strlen("tuples: ")).take_while(llvm::isDigit).getAsInteger(10, N))
    C.Facts[Name] = N;
  return true;
}

/// One `.rule list` line; false when it is not one.
bool parseRule(llvm::StringRef Line, TargetCatalog &C) {
  size_t Open = Line.rfind(" (");
  if (!Line.startswith("  ") || Open == llvm::StringRef::npos || !Line.endswith(" clause(s))"))
    return false;
  unsigned N = 0;
  if (Line.slice(Open + 2, Line.size() - strlen(" clause(s))")).getAsInteger(10, N))
    return false;
  C.Rules[Line.slice(2, Open).trim().str()] = N;
  return true;
}

/// One `.index list` line; false when it is not one.
bool parseIndex(llvm::StringRef Line, TargetCatalog &C) {
  Line = Line.trim();
  if (!Line.consume_front("Index '"))
    return false;
  auto [Name, Rest] = Line.split("' on ");
  auto [Target, Props] = Rest.split(" (");
  auto [Relation, Column] = Target.rsplit('.');
  if (Name.empty() || Relation.empty() || Column.empty())
    return false;
  CatalogIndex I{Relation.str(), Column.str(), ""};
  size_t M = Props.find("metric: ");
  if (M != llvm::StringRef::npos)
    I.Metric = Props.drop_front(M + strlen("metric: "))
                   .take_until([](char Ch) { return Ch == ',' || Ch == ')'; })
                   .str();
  C.Indexes[Name.str()] = std::move(I);
  return true;
}

/// Reads Command's reply with Parse, skipping lines that name no object.
llvm::Error readAll(Target &T, llvm::StringRef Command,
                    bool (*Parse)(llvm::StringRef, TargetCatalog &), TargetCatalog &C, bool *Lost) {
  llvm::Expected<std::vector<std::string>> Lines = replyLines(T, Command, Lost);
  if (!Lines)
    return Lines.takeError();
  for (llvm::StringRef Line : *Lines) {
    bool Header = !Line.startswith(" ") && !Line.startswith("Index '");
    if (!Header && !Parse(Line, C))
      return unreadable(Command, Line);
  }
  return llvm::Error::success();
}

std::string columnsText(const Columns &Cols) {
  std::string Out = "(";
  for (const auto &[Name, Ty] : Cols)
    Out += (Out.size() > 1 ? ", " : "") + Name + ": " + Ty;
  return Out + ")";
}

Columns expectedColumns(const ColumnList &L) {
  Columns Out;
  for (const ColumnDef &C : L.Columns)
    Out.emplace_back(C.Name, codegen::iqlType(C.Ty).text());
  return Out;
}

std::string indexText(llvm::StringRef Relation, llvm::StringRef Column, llvm::StringRef Metric) {
  return fmt::format("{}.{} (metric: {})", Relation.str(), Column.str(), Metric.str());
}

/// How many clauses the server keeps for D: it registers a clause that is
/// the same, once lowered, as one it has only once, so two clauses of the
/// schema that lower alike (the same text twice, or named and positional
/// atoms meaning the same) are one rule clause on the target.
size_t keptClauses(const DerivedDef &D, const SchemaState &Want) {
  ColumnLookup Lookup = [&](llvm::StringRef Rel) -> const ColumnList * {
    return Rel == D.Name ? &D.Columns : Want.columnsOf(Rel);
  };
  std::vector<const ast::Clause *> Clauses;
  for (const auto &Clause : D.Clauses)
    Clauses.push_back(Clause.get());
  std::optional<std::vector<size_t>> Kept = keptClauseIndexes(Clauses, Lookup);
  if (!Kept)
    return D.Clauses.size(); // not lowerable: the history's own count
  size_t N = 0;
  for (size_t I = 0; I < Kept->size(); ++I)
    N += (*Kept)[I] == I;
  return N;
}

/// The difference for the relation, derived relation or rule Name, if any.
std::optional<std::string> objectDifference(const TargetCatalog &C, const SchemaState &Want,
                                            const std::string &Name) {
  auto Rel = C.Relations.find(Name);
  auto Rule = C.Rules.find(Name);
  if (const RelationDef *R = Want.relation(Name)) {
    Columns Expected = expectedColumns(R->Columns);
    if (Rel == C.Relations.end())
      return fmt::format("relation `{}` is missing on the target where the history expects {}",
                         Name, columnsText(Expected));
    if (Rel->second != Expected)
      return fmt::format("relation `{}` has columns {} on the target where the history expects {}",
                         Name, columnsText(Rel->second), columnsText(Expected));
    if (Rule != C.Rules.end())
      return fmt::format("`{}` has a rule of {} clause(s) on the target where the history "
                         "expects a relation only",
                         Name, Rule->second);
    return std::nullopt;
  }
  // A derived relation is its rule; the server may list it under `.rel`
  // too, so that listing is not a difference.
  if (const DerivedDef *D = Want.derivedRelation(Name)) {
    size_t Kept = keptClauses(*D, Want);
    if (Rule == C.Rules.end())
      return fmt::format("rule `{}` is missing on the target where the history expects {} "
                         "clause(s)",
                         Name, Kept);
    if (Rule->second != Kept)
      return fmt::format("rule `{}` has {} clause(s) on the target where the history expects {}",
                         Name, Rule->second, Kept);
    return std::nullopt;
  }
  if (Rel != C.Relations.end())
    return fmt::format("relation `{}` {} is on the target where the history has none", Name,
                       columnsText(Rel->second));
  if (Rule != C.Rules.end())
    return fmt::format("rule `{}` ({} clause(s)) is on the target where the history has none", Name,
                       Rule->second);
  return std::nullopt;
}

std::optional<std::string> indexDifference(const TargetCatalog &C, const SchemaState &Want,
                                           const std::string &Name) {
  const IndexDef *I = Want.index(Name);
  auto Have = C.Indexes.find(Name);
  if (!I && Have == C.Indexes.end())
    return std::nullopt;
  if (!I)
    return fmt::format("index `{}` on {} is on the target where the history has none", Name,
                       indexText(Have->second.Relation, Have->second.Column, Have->second.Metric));
  std::string Expected = indexText(I->Relation, I->Column, metricName(I->TheMetric));
  if (Have == C.Indexes.end())
    return fmt::format("index `{}` is missing on the target where the history expects it on {}",
                       Name, Expected);
  std::optional<Metric> M = parseMetric(Have->second.Metric);
  if (Have->second.Relation != I->Relation || Have->second.Column != I->Column ||
      (!Have->second.Metric.empty() && M != I->TheMetric))
    return fmt::format("index `{}` is on {} on the target where the history expects {}", Name,
                       indexText(Have->second.Relation, Have->second.Column, Have->second.Metric),
                       Expected);
  return std::nullopt;
}
} // namespace

llvm::Expected<TargetCatalog> exec::readTargetCatalog(Target &T, bool *Lost) {
  TargetCatalog C;
  if (llvm::Error E = readAll(T, ".rel", parseRelation, C, Lost))
    return E;
  if (llvm::Error E = readAll(T, ".rule list", parseRule, C, Lost))
    return E;
  if (llvm::Error E = readAll(T, ".index list", parseIndex, C, Lost))
    return E;
  return C;
}

llvm::Expected<TargetCatalog>
exec::readTargetCatalogOf(Target &T, const std::set<std::string> &Names, bool *Lost) {
  const engine::Session *S = T.inProcessSession();
  if (!S)
    return readTargetCatalog(T, Lost);
  engine::CatalogLines Lines = S->catalogLinesOf(Names);
  TargetCatalog C;
  auto ParseAll = [&](const std::vector<std::string> &Of, llvm::StringRef Command,
                      bool (*Parse)(llvm::StringRef, TargetCatalog &)) -> llvm::Error {
    for (llvm::StringRef Line : Of)
      if (!Parse(Line, C))
        return unreadable(Command, Line);
    return llvm::Error::success();
  };
  if (llvm::Error E = ParseAll(Lines.Relations, ".rel", parseRelation))
    return E;
  if (llvm::Error E = ParseAll(Lines.Rules, ".rule list", parseRule))
    return E;
  if (llvm::Error E = ParseAll(Lines.Indexes, ".index list", parseIndex))
    return E;
  return C;
}

llvm::Expected<TargetCatalog> exec::readRelationCatalog(Target &T) {
  TargetCatalog C;
  if (llvm::Error E = readAll(T, ".rel", parseRelation, C, nullptr))
    return E;
  return C;
}

std::vector<std::string> exec::catalogDifferences(const TargetCatalog &C, const SchemaState &Want,
                                                  const std::set<std::string> *Only) {
  std::set<std::string> Objects, Indexes;
  auto Wanted = [&](const std::string &Name) { return !Only || Only->count(Name); };
  if (Only) {
    Objects = *Only;
  } else {
    for (const auto &E : Want.relations())
      Objects.insert(E.first);
    for (const auto &E : Want.derived())
      Objects.insert(E.first);
    for (const auto &E : C.Relations)
      Objects.insert(E.first);
    for (const auto &E : C.Rules)
      Objects.insert(E.first);
  }
  // An index is compared when it, or the relation it is on, is.
  for (const auto &E : Want.indexes())
    if (Wanted(E.first) || Wanted(E.second->Relation))
      Indexes.insert(E.first);
  for (const auto &E : C.Indexes)
    if (Wanted(E.first) || Wanted(E.second.Relation))
      Indexes.insert(E.first);
  std::vector<std::string> Out;
  for (const std::string &Name : Objects)
    if (!iql::isOwnedName(Name))
      if (std::optional<std::string> D = objectDifference(C, Want, Name))
        Out.push_back(std::move(*D));
  for (const std::string &Name : Indexes)
    if (std::optional<std::string> D = indexDifference(C, Want, Name))
      Out.push_back(std::move(*D));
  return Out;
}
