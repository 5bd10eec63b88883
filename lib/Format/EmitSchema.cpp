//===- EmitSchema.cpp - Files and schema items ----------------------------===//
#include "Emitter.h"
#include "strata/AST/Printer.h"

using namespace strata;
using namespace strata::ast;
using namespace strata::format::detail;

namespace {
std::string renamedFrom(const std::optional<Ident> &Old) {
  return Old ? " renamed_from " + Old->Name : std::string();
}
} // namespace

Emitter::Emitter(const SourceFile &File, const llvm::SourceMgr &SM, const FormatOptions &Opts)
    : File(File), SM(SM), W(File, SM, Opts) {}

std::string Emitter::run() {
  // Raw IQL keeps its comments inside its own text (the parser may or may
  // not also list them as file comments; claiming them covers both).
  for (const Item &I : File.Items)
    if (const auto *M = std::get_if<MigrationDecl>(&I))
      for (const Operation &Op : M->Operations)
        if (const auto *Run = std::get_if<RunIqlOp>(&Op.Body)) {
          W.claimComments(begin(Run->Forward.Range), end(Run->Forward.Range));
          if (Run->Backward)
            W.claimComments(begin(Run->Backward->Range), end(Run->Backward->Range));
        }

  bool First = true;
  for (const Item &I : File.Items) {
    W.setNextBlank(First ? Blank::Suppress : Blank::Force);
    First = false;
    std::visit([&](const auto &D) { item(D); }, I);
  }
  return W.finish();
}

void Emitter::item(const RelationDecl &D) {
  std::string Head = "relation " + D.Name.Name + renamedFrom(D.RenamedFrom);
  if (!D.BlockForm) {
    W.code(0, Head + columnList(D.Columns), begin(D.Range), end(D.Range));
    return;
  }
  const char *NameEnd = end(D.RenamedFrom ? D.RenamedFrom->Range : D.Name.Range);
  block(0, Head + " {", begin(D.Range), after('{', NameEnd, NameEnd), end(D.Range),
        [&] { columnLines(1, D.Columns); });
}

void Emitter::item(const DerivedDecl &D) {
  const char *ScanFrom = D.Columns.empty()
                             ? end(D.RenamedFrom ? D.RenamedFrom->Range : D.Name.Range)
                             : end(D.Columns.back().Range);
  std::string Head =
      "derived " + D.Name.Name + renamedFrom(D.RenamedFrom) + columnList(D.Columns) + " {";
  block(0, Head, begin(D.Range), after('{', ScanFrom, ScanFrom), end(D.Range),
        [&] { clauseLines(1, D.Clauses); });
}

void Emitter::item(const IndexDecl &D) { W.code(0, indexText(D), begin(D.Range), end(D.Range)); }
