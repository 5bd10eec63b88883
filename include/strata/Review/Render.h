//===- Render.h - A review as html, markdown, json or terminal text -*- C++ -*-===//
//
// The renderers of strata/Review/Review.h, one per format, each only
// formatting the model:
//  - html: one self-contained page (inline CSS, no script, no external
//    resource), with landmarks and headings, signs and words beside every
//    colour, printable;
//  - markdown: for a pull-request comment, long IQL folded in <details>;
//  - json: version 1, the schema in docs/cli.md, for bots;
//  - terminal: a short summary, one line an operation.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_REVIEW_RENDER_H
#define STRATA_REVIEW_RENDER_H

#include "strata/Review/Review.h"
#include "llvm/Support/raw_ostream.h"

namespace strata::review {

constexpr int ReviewJsonVersion = 1;

void writeHtml(const Review &R, llvm::raw_ostream &OS);
void writeMarkdown(const Review &R, llvm::raw_ostream &OS);
void writeJson(const Review &R, llvm::raw_ostream &OS);
void writeTerminal(const Review &R, llvm::raw_ostream &OS, bool Color);

/// Text escaped for HTML element content and attribute values.
std::string escapeHtml(llvm::StringRef Text);
/// Prose as HTML: escaped, with each `quoted` name in <code>.
std::string proseHtml(llvm::StringRef Text);
/// One IQL statement as HTML, each token in a <span> whose class says what
/// it is (lib/IQL's lexer decides): `k` a name or keyword, `v` a variable,
/// `n` a number, `s` a string, `p` punctuation; the rest as text.
std::string highlightIql(llvm::StringRef Statement);

} // namespace strata::review

#endif
