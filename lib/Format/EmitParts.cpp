//===- EmitParts.cpp - Pieces schema items and operations share ----------===//
//
// One-line text of columns, options and indexes, the lines of columns and
// clauses, and finding the braces the AST keeps no position for. Schema
// items (EmitSchema.cpp) and migration operations (EmitMigration.cpp) both
// call these; nothing here calls back into either, so calls between the
// emitter's files go one way.
//
//===----------------------------------------------------------------------===//
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
  return "index " + indexSpec(D);
}

std::string strata::format::detail::indexSpec(const IndexDecl &D) {
  std::string Out = D.Name.Name + " on " + D.Relation.Name + "(" + D.Column.Name + ") hnsw";
  // A bare `hnsw` and an empty `hnsw()` both mean the defaults; keep what
  // was written so the syntax tree stays the same.
  if (D.HasOptionList)
    Out += optionList(D.Options);
  return Out;
}

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

void Emitter::columnLines(unsigned Indent, const std::vector<Column> &Columns) {
  for (const Column &C : Columns)
    W.code(Indent, toString(C), begin(C.Range), end(C.Range));
}

void Emitter::clauseLines(unsigned Indent, const std::vector<Clause> &Clauses) {
  for (const Clause &C : Clauses)
    W.code(Indent, toString(C), begin(C.Range), end(C.Range));
}
