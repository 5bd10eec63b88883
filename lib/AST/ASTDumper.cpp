//===- ASTDumper.cpp - One node a line, for golden tests ------------------===//
#include "strata/AST/ASTDumper.h"
#include "strata/AST/Printer.h"
#include "strata/Support/DiagnosticRenderer.h"

using strata::LineColumn;
using strata::LineColumnCursor;

using namespace strata::ast;

namespace {
class Dumper {
public:
  Dumper(const llvm::SourceMgr &SM, llvm::raw_ostream &OS) : Cursor(SM), OS(OS) {}

  void file(const SourceFile &F) {
    OS << "SourceFile " << (F.Kind == FileKind::Schema ? "schema" : "migration") << '\n';
    for (const Item &I : F.Items)
      std::visit([&](const auto &D) { item(D); }, I);
    for (const std::string &Name : F.InvalidNames)
      line(1, llvm::SMLoc()) << "Invalid " << Name << '\n';
    for (const Comment &C : F.Comments)
      line(1, C.Range.Start) << "Comment " << C.Text << '\n';
  }

private:
  llvm::raw_ostream &line(unsigned Depth, llvm::SMLoc Loc) {
    OS.indent(Depth * 2);
    if (Loc.isValid()) {
      LineColumn LC = Cursor.at(Loc);
      OS << '<' << LC.Line << ':' << LC.Column << "> ";
    }
    return OS;
  }

  void columns(unsigned Depth, const std::vector<Column> &Cs) {
    for (const Column &C : Cs)
      line(Depth, C.Range.Start) << "Column " << toString(C) << '\n';
  }

  void clauses(unsigned Depth, const std::vector<Clause> &Cs) {
    for (const Clause &C : Cs) {
      line(Depth, C.Range.Start) << "Clause " << C.Head.Name << '\n';
      line(Depth + 1, C.HeadRange.Start) << "Head " << C.Head.Name << '(';
      bool First = true;
      for (const HeadArg &A : C.HeadArgs) {
        OS << (First ? "" : ", ") << toString(A);
        First = false;
      }
      OS << ")\n";
      for (const BodyLiteral &L : C.Body) {
        const char *Kind = L.TheKind == BodyLiteral::Kind::Positive  ? "Positive"
                           : L.TheKind == BodyLiteral::Kind::Negated ? "Negated"
                                                                     : "Comparison";
        line(Depth + 1, L.Range.Start) << Kind << ' ' << toString(L) << '\n';
      }
    }
  }

  void options(unsigned Depth, const std::vector<IndexOption> &Opts) {
    for (const IndexOption &O : Opts)
      line(Depth, O.Key.loc()) << "Option " << toString(O) << '\n';
  }

  void item(const RelationDecl &D) {
    line(1, D.Range.Start) << "Relation " << D.Name.Name << (D.BlockForm ? " block" : "");
    if (D.RenamedFrom)
      OS << " renamed_from " << D.RenamedFrom->Name;
    OS << '\n';
    columns(2, D.Columns);
  }
  void item(const DerivedDecl &D) {
    line(1, D.Range.Start) << "Derived " << D.Name.Name;
    if (D.RenamedFrom)
      OS << " renamed_from " << D.RenamedFrom->Name;
    OS << '\n';
    columns(2, D.Columns);
    clauses(2, D.Clauses);
  }
  void index(unsigned Depth, const IndexDecl &D) {
    line(Depth, D.Range.Start) << "Index " << D.Name.Name << " on " << D.Relation.Name << '('
                               << D.Column.Name << ")\n";
    options(Depth + 1, D.Options);
  }
  void item(const IndexDecl &D) { index(1, D); }
  void item(const MigrationDecl &M) {
    line(1, M.Range.Start) << "Migration " << M.Name.Name << '\n';
    for (const Ident &D : M.Depends)
      line(2, D.loc()) << "Depends " << D.Name << '\n';
    for (const Ident &R : M.Replaces)
      line(2, R.loc()) << "Replaces " << R.Name << '\n';
    for (const Operation &Op : M.Operations)
      std::visit([&](const auto &O) { op(Op.Range.Start, O); }, Op.Body);
  }

  void op(llvm::SMLoc L, const CreateRelationOp &O) {
    line(2, L) << "CreateRelation " << O.Name.Name << '\n';
    columns(3, O.Columns);
  }
  void op(llvm::SMLoc L, const DropRelationOp &O) {
    line(2, L) << "DropRelation " << O.Name.Name << '\n';
    columns(3, O.Columns);
  }
  void op(llvm::SMLoc L, const RenameRelationOp &O) {
    line(2, L) << "RenameRelation " << O.From.Name << " -> " << O.To.Name << '\n';
  }
  void op(llvm::SMLoc L, const AddColumnOp &O) {
    line(2, L) << "AddColumn " << O.Relation.Name << '.' << O.Column.Name << ": "
               << toString(O.Type);
    if (O.Fill)
      OS << " = " << toString(*O.Fill);
    position(O.Position);
    OS << '\n';
  }
  void op(llvm::SMLoc L, const DropColumnOp &O) {
    line(2, L) << "DropColumn " << O.Relation.Name << '.' << O.Column.Name << ": "
               << toString(O.Type);
    if (O.Fill)
      OS << " = " << toString(*O.Fill);
    position(O.Position);
    OS << '\n';
  }
  void position(const std::optional<ColumnPosition> &P) {
    if (P)
      OS << (P->First ? " first" : " after " + P->After.Name);
  }
  void op(llvm::SMLoc L, const RenameColumnOp &O) {
    line(2, L) << "RenameColumn " << O.Relation.Name << '.' << O.Column.Name << " -> " << O.To.Name
               << '\n';
  }
  void op(llvm::SMLoc L, const RetypeColumnOp &O) {
    line(2, L) << "RetypeColumn " << O.Relation.Name << '.' << O.Column.Name << ": "
               << toString(O.From) << " -> " << toString(O.To) << '\n';
    if (O.Using)
      line(3, O.Using->Var.loc()) << "Using " << O.Using->Var.Name << " => "
                                  << toString(O.Using->Body) << '\n';
    if (O.Reverse)
      line(3, O.Reverse->Var.loc())
          << "Reverse " << O.Reverse->Var.Name << " => " << toString(O.Reverse->Body) << '\n';
  }
  void op(llvm::SMLoc L, const CreateRuleOp &O) {
    line(2, L) << "CreateRule " << O.Name.Name << '\n';
    columns(3, O.Columns);
    clauses(3, O.Clauses);
  }
  void op(llvm::SMLoc L, const DropRuleOp &O) {
    line(2, L) << "DropRule " << O.Name.Name << '\n';
    columns(3, O.Columns);
    clauses(3, O.Clauses);
  }
  void op(llvm::SMLoc L, const ReplaceRuleOp &O) {
    line(2, L) << "ReplaceRule " << O.Name.Name << '\n';
    clauses(3, O.Clauses);
    if (O.OldClauses) {
      line(3, llvm::SMLoc()) << "Was\n";
      clauses(4, *O.OldClauses);
    }
  }
  void op(llvm::SMLoc L, const RenameRuleOp &O) {
    line(2, L) << "RenameRule " << O.From.Name << " -> " << O.To.Name << '\n';
  }
  void op(llvm::SMLoc L, const CreateIndexOp &O) {
    line(2, L) << "CreateIndex\n";
    index(3, O.Index);
  }
  void op(llvm::SMLoc L, const DropIndexOp &O) {
    line(2, L) << "DropIndex\n";
    index(3, O.Index);
  }
  void op(llvm::SMLoc L, const AlterIndexOp &O) {
    line(2, L) << "AlterIndex " << O.Name.Name << '\n';
    options(3, O.Options);
    if (O.OldOptions) {
      line(3, llvm::SMLoc()) << "Was\n";
      options(4, *O.OldOptions);
    }
  }
  void op(llvm::SMLoc L, const RunIqlOp &O) {
    line(2, L) << "RunIql\n";
    iql(3, "Forward", O.Forward);
    if (O.Backward)
      iql(3, "Backward", *O.Backward);
  }
  void iql(unsigned Depth, const char *Label, const IqlText &T) {
    line(Depth, T.Range.Start) << Label << ' ' << quoteString(T.Text) << '\n';
  }

  LineColumnCursor Cursor;
  llvm::raw_ostream &OS;
};
} // namespace

void strata::ast::dumpAST(const SourceFile &File, const llvm::SourceMgr &SM,
                          llvm::raw_ostream &OS) {
  Dumper(SM, OS).file(File);
}
