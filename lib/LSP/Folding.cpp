//===- Folding.cpp - Folding ranges: items, rules, operations, comments --===//
#include "FeatureSupport.h"
#include "strata/LSP/Server.h"

using namespace strata;
using namespace strata::lsp;

namespace {
class Folder {
public:
  explicit Folder(llvm::StringRef Text) : Text(Text), Lines(Text) {}

  /// A range for R when it spans lines.
  void fold(llvm::SMRange R, llvm::StringRef Kind = "") {
    auto [B, E] = offsetsIn(R, Text);
    uint32_t First = Lines.position(B).Line, Last = Lines.position(E).Line;
    add(First, Last, Kind);
  }
  void add(uint32_t First, uint32_t Last, llvm::StringRef Kind) {
    if (Last <= First)
      return;
    llvm::json::Object O{{"startLine", int64_t(First)}, {"endLine", int64_t(Last)}};
    if (!Kind.empty())
      O["kind"] = Kind;
    Ranges.push_back(std::move(O));
  }

  void item(const ast::Item &I) {
    fold(std::visit([](const auto &D) { return D.Range; }, I));
    if (const auto *D = std::get_if<ast::DerivedDecl>(&I))
      for (const ast::Clause &C : D->Clauses)
        fold(C.Range);
    if (const auto *M = std::get_if<ast::MigrationDecl>(&I))
      for (const ast::Operation &Op : M->Operations)
        fold(Op.Range);
  }

  /// Block comments over several lines fold alone; consecutive line
  /// comments fold together.
  void comments(const std::vector<ast::Comment> &Cs) {
    size_t I = 0;
    while (I < Cs.size()) {
      auto [B, E] = offsetsIn(Cs[I].Range, Text);
      uint32_t First = Lines.position(B).Line, Last = Lines.position(E).Line;
      size_t J = I + 1;
      while (J < Cs.size()) {
        auto [NB, NE] = offsetsIn(Cs[J].Range, Text);
        if (Lines.position(NB).Line != Last + 1)
          break;
        Last = Lines.position(NE).Line;
        ++J;
      }
      add(First, Last, "comment");
      I = J;
    }
  }

  llvm::json::Array Ranges;

private:
  llvm::StringRef Text;
  LineIndex Lines;
};
} // namespace

llvm::Expected<llvm::json::Value> Server::foldingRange(const llvm::json::Value &Params) {
  llvm::Expected<std::string> Path = documentPath(Params);
  if (!Path)
    return Path.takeError();
  llvm::json::Array Ranges;
  Files.withSyntax(*Path, [&](const ast::SourceFile &F, llvm::StringRef Text) {
    Folder Fo(Text);
    for (const ast::Item &I : F.Items)
      Fo.item(I);
    Fo.comments(F.Comments);
    Ranges = std::move(Fo.Ranges);
  });
  return Ranges;
}
