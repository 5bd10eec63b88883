//===- Completion.cpp - What may be written at the cursor -----------------===//
//
// The items come from their one home: relations and columns from the
// index's declarations, functions and aggregates from the IQL tables
// (Functions.def, Aggregates.def), keywords from the grammar (those of
// the kind of file edited).
//
//===----------------------------------------------------------------------===//
#include "CompletionContext.h"
#include "IndexImpl.h"
#include "strata/AST/Printer.h"
#include "strata/IQL/Builtins.h"
#include "strata/Parse/Keywords.h"
#include <algorithm>

using namespace strata;
using namespace strata::index;
using Where = CursorContext::Where;

namespace {

class ItemList {
public:
  explicit ItemList(llvm::StringRef Prefix) : Prefix(Prefix) {}
  void add(llvm::StringRef Label, CompletionKind Kind, std::string Detail) {
    if (Label.size() >= Prefix.size() && Label.take_front(Prefix.size()).equals_insensitive(Prefix))
      Items.push_back({Label.str(), Kind, std::move(Detail)});
  }
  std::vector<CompletionItem> take() {
    std::stable_sort(
        Items.begin(), Items.end(),
        [](const CompletionItem &A, const CompletionItem &B) { return A.Label < B.Label; });
    Items.erase(std::unique(Items.begin(), Items.end(),
                            [](const CompletionItem &A, const CompletionItem &B) {
                              return A.Label == B.Label;
                            }),
                Items.end());
    return std::move(Items);
  }

private:
  llvm::StringRef Prefix;
  std::vector<CompletionItem> Items;
};

std::string columnsDetail(const Definition &D) {
  if (!D.Columns)
    return "";
  std::string Out = "(";
  for (size_t K = 0; K < D.Columns->size(); ++K)
    Out += (K ? ", " : "") + ast::toString((*D.Columns)[K]);
  return Out + ")";
}

/// Relations and derived relations the schema declares (in a migration
/// file, also those the history creates). OnlyDerived: heads.
void addRelations(const SymbolIndex::Impl &I, const FileEntry &Here, bool OnlyDerived,
                  ItemList &Out) {
  for (const auto &[Path, E] : I.Files) {
    if (E->isMigration() && !Here.isMigration())
      continue;
    for (const Occ &O : E->Occs) {
      bool Defines = O.TheRole == Role::Declaration || O.TheRole == Role::HistoryDefinition;
      if (!Defines || I.Table.Syms[O.Sym].Kind != SymbolKind::Relation || !O.KnownKind)
        continue;
      if (OnlyDerived && O.Kind != SymbolKind::Derived)
        continue;
      bool Derived = O.Kind == SymbolKind::Derived;
      std::string Detail = (Derived ? "derived " : "relation ") + I.Table.Syms[O.Sym].Name;
      if (O.Def >= 0)
        Detail += columnsDetail(E->Defs[O.Def]);
      Out.add(I.Table.Syms[O.Sym].Name,
              Derived ? CompletionKind::Derived : CompletionKind::Relation, Detail);
    }
  }
}

void addColumns(const SymbolIndex::Impl &I, const CursorContext &Ctx, ItemList &Out) {
  std::optional<unsigned> Rel = I.Table.lookup(SymbolKind::Relation, "", Ctx.Relation);
  auto [F, D] = Rel ? I.bestDefinition(*Rel) : std::pair<const FileEntry *, const Occ *>();
  if (!D || D->Def < 0 || !F->Defs[D->Def].Columns)
    return;
  for (const ast::Column &C : *F->Defs[D->Def].Columns)
    if (!Ctx.UsedColumns.count(C.Name.Name))
      Out.add(C.Name.Name, CompletionKind::Column, ast::toString(C.Type));
}

void addExpressionItems(const CursorContext &Ctx, bool Aggregates, ItemList &Out) {
  for (const std::string &V : Ctx.Variables)
    Out.add(V, CompletionKind::Variable, "variable");
  for (const iql::BuiltinFunction &F : iql::allFunctions())
    Out.add(F.Name, CompletionKind::Function, iql::functionSignature(F));
  if (Aggregates)
    for (const iql::BuiltinAggregate &A : iql::allAggregates())
      Out.add(A.Name, CompletionKind::Aggregate, iql::aggregateSignature(A));
}

/// The keywords a file of Here's kind can hold: a schema file has no use
/// for `depends`, nor a migration for `derived`.
void addKeywords(const FileEntry &Here, ItemList &Out) {
  for (const std::string &K : softKeywords(Here.AST.Kind))
    Out.add(K, CompletionKind::Keyword, "keyword");
}

} // namespace

Completion strata::index::completeAt(const SymbolIndex::Impl &I, const FileEntry &E,
                                     size_t Offset) {
  Offset = std::min(Offset, E.Text.size());
  CursorContext Ctx = cursorContext(E.Text, Offset);
  Completion Out{Ctx.WordBegin, Offset, {}};
  ItemList Items(llvm::StringRef(E.Text).slice(Ctx.WordBegin, Offset));
  switch (Ctx.At) {
  case Where::Nothing:
    break;
  case Where::TopLevel:
    addKeywords(E, Items);
    break;
  case Where::AtomStart:
    addRelations(I, E, false, Items);
    break;
  case Where::ClauseHead:
    addRelations(I, E, true, Items);
    break;
  case Where::HeadArg:
  case Where::Expression:
    addExpressionItems(Ctx, Ctx.At == Where::HeadArg, Items);
    break;
  case Where::NamedColumn:
    addColumns(I, Ctx, Items);
    break;
  }
  Out.Items = Items.take();
  return Out;
}
