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
      std::visit([&](const auto &O) { op(Op.Range.Start, Op.Body.index(), O); }, Op.Body);
  }

  /// Every operation kind the same way, from the fields its struct lists
  /// (STRATA_OPERATION_FIELDS): a head line with the kind and the fields
  /// that read inline, then one line (or block) per part below it.
  template <typename Op> void op(llvm::SMLoc L, size_t Kind, const Op &O) {
    const std::vector<llvm::StringRef> &Names = fieldNames<Op>();
    auto Walk = [&](Pass P) {
      size_t I = 0;
      std::apply([&](const auto &...F) { (field(P, Names[I++], F), ...); }, O.fields());
    };
    line(2, L) << operationKindIdentifier(Kind);
    Walk(Pass::Head);
    OS << '\n';
    Walk(Pass::Parts);
  }

  /// The head line is written first (Head), then the lines below it (Parts).
  /// One overload per type of operation field: a kind with a new type of
  /// field does not compile until its dump is decided here.
  enum class Pass { Head, Parts };
  void field(Pass P, llvm::StringRef Name, const Ident &I) {
    if (P == Pass::Head)
      OS << inlineFieldPrefix(Name, /*IsType=*/false) << I.Name;
  }
  void field(Pass P, llvm::StringRef Name, const TypeExpr &T) {
    if (P == Pass::Head)
      OS << inlineFieldPrefix(Name, /*IsType=*/true) << toString(T);
  }
  void field(Pass P, llvm::StringRef Name, const std::vector<Ident> &Names) {
    if (P == Pass::Head)
      OS << inlineNameList(Name, Names);
  }
  void field(Pass P, llvm::StringRef, const std::optional<Expr> &Fill) {
    if (P == Pass::Head && Fill)
      OS << " = " << toString(*Fill);
  }
  void field(Pass P, llvm::StringRef, const std::optional<ColumnPosition> &Pos) {
    if (P == Pass::Head && Pos)
      OS << (Pos->First ? " first" : " after " + Pos->After.Name);
  }
  /// The source's layout choice (block or short form): not dumped.
  void field(Pass, llvm::StringRef, bool) {}
  void field(Pass P, llvm::StringRef, const std::vector<Column> &Cs) {
    if (P == Pass::Parts)
      columns(3, Cs);
  }
  void field(Pass P, llvm::StringRef, const std::vector<Clause> &Cs) {
    if (P == Pass::Parts)
      clauses(3, Cs);
  }
  void field(Pass P, llvm::StringRef, const std::vector<IndexOption> &Opts) {
    if (P == Pass::Parts)
      options(3, Opts);
  }
  /// An optional list is what a change replaces (`was ...`).
  void field(Pass P, llvm::StringRef, const std::optional<std::vector<Clause>> &Old) {
    if (P == Pass::Parts && Old) {
      line(3, llvm::SMLoc()) << "Was\n";
      clauses(4, *Old);
    }
  }
  void field(Pass P, llvm::StringRef, const std::optional<std::vector<IndexOption>> &Old) {
    if (P == Pass::Parts && Old) {
      line(3, llvm::SMLoc()) << "Was\n";
      options(4, *Old);
    }
  }
  void field(Pass P, llvm::StringRef, const IndexDecl &D) {
    if (P == Pass::Parts)
      index(3, D);
  }
  void field(Pass P, llvm::StringRef Name, const std::optional<CastExpr> &C) {
    if (P == Pass::Parts && C)
      line(3, C->Var.loc()) << Name << ' ' << C->Var.Name << " => " << toString(C->Body) << '\n';
  }
  void field(Pass P, llvm::StringRef Name, const IqlText &T) {
    if (P == Pass::Parts)
      line(3, T.Range.Start) << Name << ' ' << quoteString(T.Text) << '\n';
  }
  void field(Pass P, llvm::StringRef Name, const std::optional<IqlText> &T) {
    if (T)
      field(P, Name, *T);
  }

  LineColumnCursor Cursor;
  llvm::raw_ostream &OS;
};
} // namespace

void strata::ast::dumpAST(const SourceFile &File, const llvm::SourceMgr &SM,
                          llvm::raw_ostream &OS) {
  Dumper(SM, OS).file(File);
}
