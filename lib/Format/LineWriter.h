//===- LineWriter.h - Output lines with the file's comments woven in -*- C++ -*-===//
//
// The formatter emits its output one line element at a time, each tagged
// with the source range it was printed from. The writer owns the file's
// comments, sorted by position, and a cursor into them: before a line whose
// code ends at E it places every comment not yet placed that starts before
// E, either as a trailing comment of the previous code line (same source
// line, nothing in between) or as an own line. Because the cursor only moves
// forward, every comment is placed exactly once and in source order.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_FORMAT_LINEWRITER_H
#define STRATA_LIB_FORMAT_LINEWRITER_H

#include "strata/AST/SourceFile.h"
#include "strata/Format/Formatter.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SourceMgr.h"
#include <string>
#include <vector>

namespace strata::format::detail {

/// Whether the next own line is preceded by a blank line.
enum class Blank {
  Suppress, // never (first line of a file or of a block, a closing brace)
  Preserve, // when the author left one in the source
  Force,    // always (between top-level items)
};

class LineWriter {
public:
  LineWriter(const ast::SourceFile &File, const llvm::SourceMgr &SM, const FormatOptions &Opts);

  /// Comments inside [Begin, End) belong to raw text printed verbatim (raw
  /// IQL) and are never placed on their own.
  void claimComments(const char *Begin, const char *End);

  /// One line element: Text (one line) at Indent, printed from the source
  /// range [Begin, End). Comments before it lead it at CommentIndent.
  void code(unsigned Indent, llvm::StringRef Text, const char *Begin, const char *End,
            unsigned CommentIndent);
  void code(unsigned Indent, llvm::StringRef Text, const char *Begin, const char *End) {
    code(Indent, Text, Begin, End, Indent);
  }
  /// Text (normally `}`) at Indent closing a block, printed from the source
  /// range [Begin, End). Comments left inside the block lead it one level
  /// deeper; no blank line precedes it.
  void closeBlock(unsigned Indent, const char *Begin, const char *End, llvm::StringRef Text = "}");
  /// A line of raw text: no comment placement, no blank-line decision. An
  /// empty Text gives an empty line.
  void raw(unsigned Indent, llvm::StringRef Text);

  /// Places the comments before Limit that trail the last code line, and no
  /// others.
  void placeTrailingBefore(const char *Limit);

  void setNextBlank(Blank B) { NextBlank = B; }

  /// Places the remaining comments and returns the text.
  std::string finish();

  const llvm::SourceMgr &sourceMgr() const { return SM; }
  const FormatOptions &options() const { return Opts; }

private:
  void placeCommentsBefore(const char *Begin, const char *End, unsigned Indent);
  bool trails(const ast::Comment &C) const;
  void appendTrailing(const ast::Comment &C);
  void ownComment(unsigned Indent, const ast::Comment &C);
  /// Starts a new own line, after a blank line if NextBlank asks for one.
  std::string &startLine(unsigned Indent, const char *SourceStart);
  bool blankInSource(const char *From, const char *To) const;
  unsigned lineOf(const char *P) const;
  unsigned columnOf(const char *P) const;

  const llvm::SourceMgr &SM;
  const FormatOptions &Opts;
  unsigned BufferID;
  std::vector<const ast::Comment *> Comments; // by position
  std::vector<bool> Claimed;
  size_t Next = 0; // first comment not yet placed

  std::vector<std::string> Lines; // an entry may hold several lines
  Blank NextBlank = Blank::Suppress;
  /// Where the source of the last placed line ended, for blank lines.
  const char *LastSourceEnd = nullptr;
  /// The last code line, while a trailing comment may still join it.
  long LastCodeLine = -1;
  const char *LastCodeEnd = nullptr;
};

/// Comment text moved from column FromCol to column ToCol: continuation
/// lines of a block comment shift by the same amount, so its inner layout
/// survives; trailing whitespace is dropped.
std::string shiftComment(llvm::StringRef Text, unsigned FromCol, unsigned ToCol);

/// Display width of a run of leading blanks (a tab advances to the next
/// multiple of 8).
unsigned leadingWidth(llvm::StringRef Line);

} // namespace strata::format::detail

#endif
