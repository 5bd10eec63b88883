//===- Symbols.cpp - Document and workspace symbols -----------------------===//
//
// A schema file's outline: relations with their columns, derived relations
// with their columns and rules, indexes. A migration's: the migration with
// its operations. Workspace symbols are the declared names of every schema
// file whose name contains the query (case-insensitive).
//
//===----------------------------------------------------------------------===//
#include "DiagnosticsJson.h"
#include "FeatureSupport.h"
#include "strata/LSP/Server.h"

using namespace strata;
using namespace strata::lsp;

namespace {
// LSP SymbolKind values.
enum SymbolKind {
  Module = 2,
  Class = 5,
  Method = 6,
  Field = 8,
  Function = 12,
  Key = 20,
  Struct = 23,
  Event = 24,
};

/// S on one line, runs of white space made one space, cut at 80 bytes.
std::string oneLine(llvm::StringRef S) {
  std::string Out;
  for (char C : S) {
    bool Space = C == ' ' || C == '\t' || C == '\n' || C == '\r';
    if (Space && (Out.empty() || Out.back() == ' '))
      continue;
    Out.push_back(Space ? ' ' : C);
  }
  while (!Out.empty() && Out.back() == ' ')
    Out.pop_back();
  if (Out.size() > 80) {
    size_t Cut = 77;
    while (Cut > 0 && (Out[Cut] & 0xC0) == 0x80)
      --Cut; // not inside a UTF-8 sequence
    Out = Out.substr(0, Cut) + "...";
  }
  return Out;
}

class Outliner {
public:
  Outliner(llvm::StringRef Text) : Text(Text), Lines(Text) {}

  llvm::json::Object symbol(llvm::StringRef Name, int Kind, llvm::SMRange Range,
                            llvm::SMRange Selection, llvm::StringRef Detail,
                            llvm::json::Array Children = {}) {
    auto [B, E] = offsetsIn(Range, Text);
    auto [SB, SE] = offsetsIn(Selection, Text);
    if (SB < B || SE > E) // the selection must lie inside the range
      SB = B, SE = B;
    llvm::json::Object S{{"name", Name.empty() ? std::string("?") : Name.str()},
                         {"kind", Kind},
                         {"range", lspRange(Lines.position(B), Lines.position(E))},
                         {"selectionRange", lspRange(Lines.position(SB), Lines.position(SE))}};
    if (!Detail.empty())
      S["detail"] = Detail.str(); // a Value keeps a StringRef unowned
    if (!Children.empty())
      S["children"] = std::move(Children);
    return S;
  }

  llvm::StringRef textOf(llvm::SMRange R) {
    auto [B, E] = offsetsIn(R, Text);
    return Text.slice(B, E);
  }

  llvm::json::Array columns(const std::vector<ast::Column> &Columns) {
    llvm::json::Array Out;
    for (const ast::Column &C : Columns)
      Out.push_back(
          symbol(C.Name.Name, Field, C.Range, C.Name.Range, oneLine(textOf(C.Type.Range))));
    return Out;
  }

  llvm::json::Object item(const ast::Item &I) {
    if (const auto *R = std::get_if<ast::RelationDecl>(&I))
      return symbol(R->Name.Name, Struct, R->Range, R->Name.Range, "relation", columns(R->Columns));
    if (const auto *D = std::get_if<ast::DerivedDecl>(&I)) {
      llvm::json::Array Children = columns(D->Columns);
      for (const ast::Clause &C : D->Clauses)
        Children.push_back(symbol(oneLine(textOf(C.Range)), Method, C.Range, C.HeadRange, "rule"));
      return symbol(D->Name.Name, Function, D->Range, D->Name.Range, "derived relation",
                    std::move(Children));
    }
    if (const auto *X = std::get_if<ast::IndexDecl>(&I))
      return symbol(X->Name.Name, Key, X->Range, X->Name.Range,
                    "index on " + X->Relation.Name + "." + X->Column.Name);
    const auto &M = std::get<ast::MigrationDecl>(I);
    llvm::json::Array Ops;
    for (const ast::Operation &Op : M.Operations)
      Ops.push_back(symbol(oneLine(textOf(Op.Range)), Event, Op.Range, Op.Range,
                           ast::operationKeyword(Op.Body.index())));
    return symbol(M.Name.Name, Module, M.Range, M.Name.Range, "migration", std::move(Ops));
  }

private:
  llvm::StringRef Text;
  LineIndex Lines;
};

int declaredKind(const ast::Item &I) {
  if (std::holds_alternative<ast::RelationDecl>(I))
    return Struct;
  if (std::holds_alternative<ast::DerivedDecl>(I))
    return Function;
  return Key;
}
} // namespace

llvm::Expected<llvm::json::Value> Server::documentSymbol(const llvm::json::Value &Params) {
  llvm::Expected<std::string> Path = documentPath(Params);
  if (!Path)
    return Path.takeError();
  llvm::json::Array Symbols;
  Files.withSyntax(*Path, [&](const ast::SourceFile &F, llvm::StringRef Text) {
    Outliner O(Text);
    for (const ast::Item &I : F.Items)
      Symbols.push_back(O.item(I));
  });
  return Symbols;
}

llvm::Expected<llvm::json::Value> Server::workspaceSymbol(const llvm::json::Value &Params) {
  const llvm::json::Object *P = Params.getAsObject();
  llvm::Optional<llvm::StringRef> Query = P ? P->getString("query") : llvm::None;
  if (!Query)
    return invalidParams("`query` must be a string");
  constexpr size_t MaxSymbols = 1000;
  llvm::json::Array Symbols;
  std::string Lower = Query->lower();
  for (const std::string &Path : Files.schemaFiles()) {
    Files.withSyntax(Path, [&](const ast::SourceFile &F, llvm::StringRef Text) {
      LineIndex Lines(Text);
      for (const ast::Item &I : F.Items) {
        if (std::holds_alternative<ast::MigrationDecl>(I) || Symbols.size() >= MaxSymbols)
          continue;
        const ast::Ident &Name = ast::declaredName(I);
        if (!llvm::StringRef(llvm::StringRef(Name.Name).lower()).contains(Lower))
          continue;
        Symbols.push_back(llvm::json::Object{
            {"name", Name.Name},
            {"kind", declaredKind(I)},
            {"location", llvm::json::Object{{"uri", pathToUri(Path)},
                                            {"range", rangeIn(Name.Range, Text, Lines)}}}});
      }
    });
  }
  return Symbols;
}
