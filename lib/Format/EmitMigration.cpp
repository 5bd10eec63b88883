//===- EmitMigration.cpp - Migrations, their headers and operations -------===//
#include "Emitter.h"
#include "strata/AST/Printer.h"
#include <algorithm>

using namespace strata;
using namespace strata::ast;
using namespace strata::format::detail;

namespace {

std::string qualified(const Ident &Relation, const Ident &Column) {
  return Relation.Name + "." + Column.Name;
}

std::string typeAndFill(const TypeExpr &Type, const std::optional<Expr> &Fill) {
  std::string Out = ": " + toString(Type);
  if (Fill)
    Out += " = " + toString(*Fill);
  return Out;
}

std::string position(const std::optional<ColumnPosition> &P) {
  if (!P)
    return "";
  return P->First ? " first" : " after " + P->After.Name;
}

std::string cast(const char *Keyword, const std::optional<CastExpr> &C) {
  if (!C)
    return "";
  return std::string(" ") + Keyword + " " + C->Var.Name + " => " + toString(C->Body);
}
} // namespace

void Emitter::item(const MigrationDecl &M) {
  const char *NameEnd = end(M.Name.Range);
  const char *Open = after('{', NameEnd, NameEnd);
  block(0, "migration " + M.Name.Name + " {", begin(M.Range), Open, end(M.Range), [&] {
    const char *Limit = M.Operations.empty() ? end(M.Range) - 1 : begin(M.Operations.front().Range);
    headerLine(1, "depends", M.Depends, Limit, Open);
    headerLine(1, "replaces", M.Replaces, Limit, Open);
    // The header lines and the operations are separate paragraphs.
    if (!M.Depends.empty() || !M.Replaces.empty())
      W.setNextBlank(Blank::Force);
    for (const Operation &Op : M.Operations)
      operation(1, Op);
  });
}

void Emitter::headerLine(unsigned Indent, const char *Keyword, const std::vector<Ident> &Names,
                         const char *Limit, const char *Open) {
  if (Names.empty())
    return;
  // Several `depends` lines merge into one: the order of names is kept.
  std::string Text = Keyword;
  for (size_t I = 0; I < Names.size(); ++I)
    Text += (I ? ", " : " ") + Names[I].Name;
  // A header written after the operations still prints first, anchored
  // just inside the migration's `{`, so that the comments among the
  // operations stay with them instead of all moving up here.
  if (begin(Names.front().Range) >= Limit) {
    W.placeTrailingBefore(Limit);
    W.code(Indent, Text, Open, Open);
    return;
  }
  W.code(Indent, Text, begin(Names.front().Range), std::min(end(Names.back().Range), Limit));
}

void Emitter::operation(unsigned Indent, const Operation &Op) {
  std::visit([&](const auto &O) { op(Indent, Op.Range, O); }, Op.Body);
}

void Emitter::relationOp(unsigned Indent, llvm::SMRange R, const char *Verb, const Ident &Name,
                         const std::vector<Column> &Columns, bool BlockForm) {
  std::string Head = std::string(Verb) + " relation " + Name.Name;
  if (!BlockForm) {
    W.code(Indent, Head + columnList(Columns), begin(R), end(R));
    return;
  }
  const char *NameEnd = end(Name.Range);
  block(Indent, Head + " {", begin(R), after('{', NameEnd, NameEnd), end(R),
        [&] { columnLines(Indent + 1, Columns); });
}

void Emitter::ruleOp(unsigned Indent, llvm::SMRange R, const char *Verb, const Ident &Name,
                     const std::vector<Column> &Columns, const std::vector<Clause> &Clauses) {
  const char *ScanFrom = Columns.empty() ? end(Name.Range) : end(Columns.back().Range);
  std::string Head = std::string(Verb) + " rule " + Name.Name + columnList(Columns) + " {";
  block(Indent, Head, begin(R), after('{', ScanFrom, ScanFrom), end(R),
        [&] { clauseLines(Indent + 1, Clauses); });
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const CreateRelationOp &O) {
  relationOp(Indent, R, "create", O.Name, O.Columns, O.BlockForm);
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const DropRelationOp &O) {
  relationOp(Indent, R, "drop", O.Name, O.Columns, O.BlockForm);
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const RenameRelationOp &O) {
  W.code(Indent, "rename relation " + O.From.Name + " -> " + O.To.Name, begin(R), end(R));
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const AddColumnOp &O) {
  W.code(Indent,
         "add column " + qualified(O.Relation, O.Column) + typeAndFill(O.Type, O.Fill) +
             position(O.Position),
         begin(R), end(R));
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const DropColumnOp &O) {
  W.code(Indent,
         "drop column " + qualified(O.Relation, O.Column) + typeAndFill(O.Type, O.Fill) +
             position(O.Position),
         begin(R), end(R));
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const RenameColumnOp &O) {
  W.code(Indent, "rename column " + qualified(O.Relation, O.Column) + " -> " + O.To.Name, begin(R),
         end(R));
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const RetypeColumnOp &O) {
  std::string Text = "retype column " + qualified(O.Relation, O.Column) + ": " + toString(O.From) +
                     " -> " + toString(O.To) + cast("using", O.Using) + cast("reverse", O.Reverse);
  W.code(Indent, Text, begin(R), end(R));
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const CreateRuleOp &O) {
  ruleOp(Indent, R, "create", O.Name, O.Columns, O.Clauses);
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const DropRuleOp &O) {
  ruleOp(Indent, R, "drop", O.Name, O.Columns, O.Clauses);
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const ReplaceRuleOp &O) {
  const char *NameEnd = end(O.Name.Range);
  const char *OpenNew = after('{', NameEnd, NameEnd);
  if (!O.OldClauses) {
    block(Indent, "replace rule " + O.Name.Name + " {", begin(R), OpenNew, end(R),
          [&] { clauseLines(Indent + 1, O.Clauses); });
    return;
  }
  W.code(Indent, "replace rule " + O.Name.Name + " {", begin(R), OpenNew);
  W.setNextBlank(Blank::Suppress);
  clauseLines(Indent + 1, O.Clauses);
  // `} was {` joins the two bodies on one line.
  const char *ScanFrom = O.Clauses.empty() ? OpenNew : end(O.Clauses.back().Range);
  const char *CloseNew = after('}', ScanFrom, ScanFrom) - 1;
  const char *OpenOld = after('{', CloseNew + 1, CloseNew + 1);
  W.closeBlock(Indent, CloseNew, OpenOld, "} was {");
  W.setNextBlank(Blank::Suppress);
  clauseLines(Indent + 1, *O.OldClauses);
  W.closeBlock(Indent, end(R) - 1, end(R));
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const RenameRuleOp &O) {
  W.code(Indent, "rename rule " + O.From.Name + " -> " + O.To.Name, begin(R), end(R));
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const CreateIndexOp &O) {
  W.code(Indent, "create " + indexText(O.Index), begin(R), end(R));
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const DropIndexOp &O) {
  W.code(Indent, "drop " + indexText(O.Index), begin(R), end(R));
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const AlterIndexOp &O) {
  std::string Text = "alter index " + O.Name.Name + " hnsw" + optionList(O.Options);
  if (O.OldOptions)
    Text += " was hnsw" + optionList(*O.OldOptions);
  W.code(Indent, Text, begin(R), end(R));
}

void Emitter::op(unsigned Indent, llvm::SMRange R, const RunIqlOp &O) {
  const char *Open = after('{', begin(R), begin(O.Forward.Range));
  block(Indent, "run iql {", begin(R), Open, end(R), [&] {
    iqlBlock(Indent + 1, "forward", O.Forward);
    if (O.Backward)
      iqlBlock(Indent + 1, "backward", *O.Backward);
  });
}
