//===- EmitSchema.cpp - Files, schema items, columns, clauses -------------===//
#include "Emitter.h"
#include "strata/AST/Printer.h"

using namespace strata;
using namespace strata::ast;
using namespace strata::format::detail;


std::string strata::format::detail::columnList(const std::vector<Column> &Columns) {
  std::string Out = "(";
  for (size_t I = 0; I < Columns.size(); ++I)
    Out += (I ? ", " : "") + toString(Columns[I]);
  return Out + ")";
}

std::string strata::format::detail::optionList(const std::vector<IndexOption> &Options) {
  std::string Out = "(";
  for (size_t I = 0; I < Options.size(); ++I)
    Out += (I ? ", " : "") + toString(Options[I]);
  return Out + ")";
}

std::string strata::format::detail::indexText(const IndexDecl &D) {
  std::string Out = "index " + D.Name.Name + " on " + D.Relation.Name + "(" +
                    D.Column.Name + ") hnsw";
  // A bare `hnsw` and an empty `hnsw()` both mean the defaults; keep what
  // was written so the syntax tree stays the same.
  if (D.HasOptionList)
    Out += optionList(D.Options);
  return Out;
}

std::string strata::format::detail::renamedFrom(const std::optional<Ident> &Old) {
  return Old ? " renamed_from " + Old->Name : std::string();
}

Emitter::Emitter(const SourceFile &File, const llvm::SourceMgr &SM,
                 const FormatOptions &Opts)
    : File(File), SM(SM), W(File, SM, Opts) {}

const char *Emitter::after(char C, const char *From, const char *Fallback) const {
  const char *End = SM.getMemoryBuffer(File.BufferID)->getBufferEnd();
  for (const char *P = From; P && P < End; ++P) {
    if (*P == C)
      return P + 1;
    if (P + 1 < End && P[0] == '/' && P[1] == '/') {
      while (P < End && *P != '\n')
        ++P;
    } else if (P + 1 < End && P[0] == '/' && P[1] == '*') {
      llvm::StringRef Rest(P + 2, size_t(End - P - 2));
      size_t Close = Rest.find("*/");
      if (Close == llvm::StringRef::npos)
        return Fallback;
      P += 2 + Close + 1;
    }
  }
  return Fallback;
}

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

void Emitter::columnLines(unsigned Indent, const std::vector<Column> &Columns) {
  for (const Column &C : Columns)
    W.code(Indent, toString(C), begin(C.Range), end(C.Range));
}

void Emitter::clauseLines(unsigned Indent, const std::vector<Clause> &Clauses) {
  for (const Clause &C : Clauses)
    W.code(Indent, toString(C), begin(C.Range), end(C.Range));
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
  std::string Head = "derived " + D.Name.Name + renamedFrom(D.RenamedFrom) +
                     columnList(D.Columns) + " {";
  block(0, Head, begin(D.Range), after('{', ScanFrom, ScanFrom), end(D.Range),
        [&] { clauseLines(1, D.Clauses); });
}

void Emitter::item(const IndexDecl &D) {
  W.code(0, indexText(D), begin(D.Range), end(D.Range));
}

void Emitter::item(const MigrationDecl &M) {
  const char *NameEnd = end(M.Name.Range);
  const char *Open = after('{', NameEnd, NameEnd);
  block(0, "migration " + M.Name.Name + " {", begin(M.Range), Open, end(M.Range), [&] {
    const char *Limit =
        M.Operations.empty() ? end(M.Range) - 1 : begin(M.Operations.front().Range);
    headerLine(1, "depends", M.Depends, Limit, Open);
    headerLine(1, "replaces", M.Replaces, Limit, Open);
    // The header lines and the operations are separate paragraphs.
    if (!M.Depends.empty() || !M.Replaces.empty())
      W.setNextBlank(Blank::Force);
    for (const Operation &Op : M.Operations)
      operation(1, Op);
  });
}
