//===- Emitter.h - AST to formatted lines -----------------------*- C++ -*-===//
//
// Walks a SourceFile and hands each line element to a LineWriter. Text of
// expressions, clauses, columns and types comes from the shared printer
// (strata/AST/Printer.h); this layer only decides lines and indentation.
// Split by area: EmitSchema.cpp (the file, schema items), EmitMigration.cpp
// (migrations), RawIql.cpp, and EmitParts.cpp for what schema items and
// migrations share. Calls between these files go one way: the file walk
// calls items, items call parts, parts call nothing back.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_FORMAT_EMITTER_H
#define STRATA_LIB_FORMAT_EMITTER_H

#include "LineWriter.h"
#include "strata/AST/SourceFile.h"
#include <string>
#include <vector>

namespace strata::format::detail {

/// The source span of a node, as the LineWriter takes it.
inline const char *begin(llvm::SMRange R) { return R.Start.getPointer(); }
inline const char *end(llvm::SMRange R) { return R.End.getPointer(); }

struct OpParts;

class Emitter {
public:
  Emitter(const ast::SourceFile &File, const llvm::SourceMgr &SM, const FormatOptions &Opts);
  std::string run();

private:
  // ---- schema items (EmitSchema.cpp)
  void item(const ast::RelationDecl &D);
  void item(const ast::DerivedDecl &D);
  void item(const ast::IndexDecl &D);

  // ---- shared by schema items and migrations (EmitParts.cpp)
  void columnLines(unsigned Indent, const std::vector<ast::Column> &Columns);
  void clauseLines(unsigned Indent, const std::vector<ast::Clause> &Clauses);

  // ---- migrations (EmitMigration.cpp)
  void item(const ast::MigrationDecl &M);
  /// `depends a, b` or `replaces a, b`. Limit is where the operations
  /// start, Open just after the migration's `{`.
  void headerLine(unsigned Indent, const char *Keyword, const std::vector<ast::Ident> &Names,
                  const char *Limit, const char *Open);
  /// Every operation kind the same way, from the fields its struct lists
  /// (STRATA_OPERATION_FIELDS), collected into OpParts.
  void operation(unsigned Indent, const ast::Operation &Op);
  /// One line, or a block holding its columns, clauses or raw IQL.
  void layOut(unsigned Indent, llvm::SMRange R, const OpParts &P);
  /// Clauses and the clauses they replace: `{ ... } was { ... }`.
  void replacedClauses(unsigned Indent, llvm::SMRange R, const OpParts &P, const char *OpenNew);

  // ---- raw IQL (RawIql.cpp)
  void iqlBlock(unsigned Indent, llvm::StringRef Keyword, const ast::IqlText &T);

  /// A block: Header (ending in `{`) printed from [Begin, HeaderEnd), the
  /// lines Body emits one level deeper, then `}` at End - 1.
  template <typename Fn>
  void block(unsigned Indent, const std::string &Header, const char *Begin, const char *HeaderEnd,
             const char *End, Fn &&Body) {
    W.code(Indent, Header, Begin, HeaderEnd);
    W.setNextBlank(Blank::Suppress);
    Body();
    W.closeBlock(Indent, End - 1, End);
  }

  /// Just past the first C at or after From, skipping whitespace and
  /// comments; used to find braces the AST keeps no position for. Only
  /// called on stretches that hold names, keywords, punctuation and
  /// comments (never strings). Falls back to Fallback. (EmitParts.cpp)
  const char *after(char C, const char *From, const char *Fallback) const;

  const ast::SourceFile &File;
  const llvm::SourceMgr &SM;
  LineWriter W;
};

// ---- text of one-line fragments (EmitParts.cpp)
std::string columnList(const std::vector<ast::Column> &Columns);
std::string optionList(const std::vector<ast::IndexOption> &Options);
/// `index NAME on rel(col) hnsw(...)`; indexSpec is the part after `index`.
std::string indexText(const ast::IndexDecl &D);
std::string indexSpec(const ast::IndexDecl &D);

/// Raw IQL laid out: one line (Lines has one entry, or none for an empty
/// body, and Inline is set) or lines indented relative to each other.
struct IqlLayout {
  bool Inline = false;
  std::vector<std::string> Lines;
};
/// Text is the body between the braces. A body with a `//` comment is never
/// inlined: the comment would swallow the closing brace.
IqlLayout layoutIql(llvm::StringRef Text, bool HasLineComment);
/// True when raw IQL text holds a `//` comment (outside strings and block
/// comments).
bool hasLineComment(llvm::StringRef Text);

} // namespace strata::format::detail

#endif
