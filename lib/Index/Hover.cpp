//===- Hover.cpp - What the symbol under the cursor is, as markdown -------===//
//
// Declarations are shown as the AST printer spells them, so hover text reads
// like the schema language; a migration operation's effect comes from
// OperationHover.cpp.
//
//===----------------------------------------------------------------------===//
#include "IndexImpl.h"
#include "OperationHover.h"
#include "strata/AST/Printer.h"
#include "strata/IQL/Builtins.h"
#include "llvm/Support/raw_ostream.h"

using namespace strata;
using namespace strata::index;

namespace {

using Found = std::pair<const FileEntry *, const Occ *>;

const Definition *definitionOf(Found F) {
  if (!F.second || F.second->Def < 0)
    return nullptr;
  return &F.first->Defs[F.second->Def];
}

void codeBlock(const std::string &Code, llvm::raw_ostream &OS) {
  OS << "```strata\n" << Code << "\n```\n";
}

std::string columnList(const std::vector<ast::Column> &Cols) {
  std::string Out = "(";
  for (size_t I = 0; I < Cols.size(); ++I)
    Out += (I ? ", " : "") + ast::toString(Cols[I]);
  return Out + ")";
}

/// Where the schema declares Sym and which migrations create its name.
void provenance(const SymbolIndex::Impl &I, unsigned Sym, llvm::raw_ostream &OS) {
  auto Decl = I.declaration(Sym);
  if (Decl.first)
    OS << "\nDeclared in `" << Decl.first->Path << "`.";
  std::vector<std::string> Creators;
  I.forEach(Sym, nullptr, [&](const FileEntry &E, const Occ &O) {
    if (O.TheRole == Role::HistoryDefinition && E.AST.Items.size() == 1)
      if (auto *M = std::get_if<ast::MigrationDecl>(&E.AST.Items.front()))
        Creators.push_back("`" + M->Name.Name + "`");
  });
  if (!Creators.empty())
    OS << "\nCreated by migration " << llvm::join(Creators, ", ") << ".";
  if (!Decl.first && Creators.empty())
    OS << "\nNot declared in the workspace.";
}

void relationHover(const SymbolIndex::Impl &I, unsigned Sym, llvm::raw_ostream &OS) {
  Symbol S = I.symbol(Sym);
  const Definition *D = definitionOf(I.bestDefinition(Sym));
  bool IsDerived = S.Kind == SymbolKind::Derived;
  std::string Code = (IsDerived ? "derived " : "relation ") + S.Name;
  if (D && D->Columns)
    Code += columnList(*D->Columns);
  if (D && D->Clauses && !D->Clauses->empty()) {
    Code += " {";
    for (const ast::Clause &C : *D->Clauses)
      Code += "\n  " + ast::toString(C);
    Code += "\n}";
  }
  codeBlock(Code, OS);
  provenance(I, Sym, OS);
}

void columnHover(const SymbolIndex::Impl &I, unsigned Sym, llvm::raw_ostream &OS) {
  const Symbol &S = I.Table.Syms[Sym];
  const Definition *D = definitionOf(I.bestDefinition(Sym));
  std::string Type = D ? definedType(*D) : "";
  codeBlock(S.Owner + "." + S.Name + (Type.empty() ? "" : ": " + Type), OS);
  std::optional<unsigned> Rel = I.Table.lookup(SymbolKind::Relation, "", S.Owner);
  OS << "Column of " << symbolKindName(Rel ? I.kindOf(*Rel) : SymbolKind::Relation) << " `"
     << S.Owner << "`.";
  provenance(I, Sym, OS);
}

void indexHover(const SymbolIndex::Impl &I, unsigned Sym, llvm::raw_ostream &OS) {
  const Definition *D = definitionOf(I.bestDefinition(Sym));
  std::string Code = "index " + I.Table.Syms[Sym].Name;
  if (D && D->Index) {
    const ast::IndexDecl &X = *D->Index;
    Code += " on " + X.Relation.Name + "(" + X.Column.Name + ") hnsw";
    if (X.HasOptionList) {
      Code += "(";
      for (size_t K = 0; K < X.Options.size(); ++K)
        Code += (K ? ", " : "") + ast::toString(X.Options[K]);
      Code += ")";
    }
  }
  codeBlock(Code, OS);
  provenance(I, Sym, OS);
}

void builtinHover(const Symbol &S, llvm::raw_ostream &OS) {
  if (S.Kind == SymbolKind::Function) {
    if (const iql::BuiltinFunction *F = iql::findFunction(S.Name))
      OS << "```iql\n" << iql::functionSignature(*F) << "\n```\nBuilt-in function.";
    return;
  }
  if (const iql::BuiltinAggregate *A = iql::findAggregate(S.Name))
    OS << "```iql\n" << iql::aggregateSignature(*A) << "\n```\nAggregate.";
}

/// The declared type of column Col (or of the column at Pos) of Rel.
std::string columnType(const SymbolIndex::Impl &I, llvm::StringRef Rel, llvm::StringRef Col,
                       size_t Pos, std::string &ColName) {
  std::optional<unsigned> RelSym = I.Table.lookup(SymbolKind::Relation, "", Rel);
  const Definition *D = RelSym ? definitionOf(I.bestDefinition(*RelSym)) : nullptr;
  if (!D || !D->Columns)
    return "";
  for (size_t K = 0; K < D->Columns->size(); ++K) {
    const ast::Column &C = (*D->Columns)[K];
    if (Col.empty() ? K == Pos : C.Name.Name == Col) {
      ColName = C.Name.Name;
      return ast::toString(C.Type);
    }
  }
  return "";
}

bool isVariableNamed(const ast::Expr &X, llvm::StringRef Name) {
  const ast::Expr &E = X.stripParens();
  return E.isVariable() && E.Text == Name;
}

/// The type of variable Name from the first atom (or head argument) that
/// holds it as a plain argument of a column whose type is known;
/// From is set to `rel.col`.
std::string inferredType(const SymbolIndex::Impl &I, const ast::Clause &C, llvm::StringRef Name,
                         std::string &From) {
  std::string Col, Type;
  auto Try = [&](llvm::StringRef Rel, llvm::StringRef ColName, size_t Pos) {
    if (Type.empty() && !(Type = columnType(I, Rel, ColName, Pos, Col)).empty())
      From = Rel.str() + "." + Col;
  };
  for (const ast::BodyLiteral &L : C.Body) {
    if (L.TheKind == ast::BodyLiteral::Kind::Comparison)
      continue;
    const ast::Atom &A = L.TheAtom;
    for (size_t K = 0; K < A.Args.size(); ++K)
      if (isVariableNamed(A.Args[K], Name))
        Try(A.Relation.Name, "", K);
    for (const ast::NamedArg &N : A.NamedArgs)
      if (isVariableNamed(N.Value, Name))
        Try(A.Relation.Name, N.Column.Name, 0);
  }
  for (size_t K = 0; K < C.HeadArgs.size(); ++K)
    if (!C.HeadArgs[K].IsAggregate && isVariableNamed(C.HeadArgs[K].Value, Name))
      Try(C.Head.Name, "", K);
  return Type;
}

void variableHover(const SymbolIndex::Impl &I, const FileEntry &, const Occ &O,
                   llvm::raw_ostream &OS) {
  const Symbol &S = I.Table.Syms[O.Sym];
  std::string From;
  std::string Type = O.Clause ? inferredType(I, *O.Clause, S.Name, From) : "";
  codeBlock(S.Name + (Type.empty() ? "" : ": " + Type), OS);
  OS << "Variable of a clause of `" << S.Owner << "`";
  if (!From.empty())
    OS << "; its type is that of column `" << From << "`";
  OS << ".";
}

void symbolHover(const SymbolIndex::Impl &I, const FileEntry &E, const Occ &O,
                 llvm::raw_ostream &OS) {
  Symbol S = I.symbol(O.Sym);
  switch (S.Kind) {
  case SymbolKind::Relation:
  case SymbolKind::Derived:
    return relationHover(I, O.Sym, OS);
  case SymbolKind::Column:
    return columnHover(I, O.Sym, OS);
  case SymbolKind::Index:
    return indexHover(I, O.Sym, OS);
  case SymbolKind::Variable:
    return variableHover(I, E, O, OS);
  case SymbolKind::Migration:
    OS << "Migration `" << S.Name << "`.";
    return provenance(I, O.Sym, OS);
  case SymbolKind::Function:
  case SymbolKind::Aggregate:
    return builtinHover(S, OS);
  }
}

/// The migration operation whose text holds Offset, if any.
const ast::Operation *operationAt(const FileEntry &E, size_t Offset) {
  for (const ast::Item &It : E.AST.Items)
    if (auto *M = std::get_if<ast::MigrationDecl>(&It))
      for (const ast::Operation &Op : M->Operations) {
        int64_t B = E.offsetOf(Op.Range.Start), End = E.offsetOf(Op.Range.End);
        if (B >= 0 && int64_t(Offset) >= B && int64_t(Offset) <= End)
          return &Op;
      }
  return nullptr;
}

} // namespace

std::string strata::index::definedType(const Definition &D) {
  if (D.Column)
    return ast::toString(D.Column->Type);
  if (D.Type)
    return ast::toString(*D.Type);
  return "";
}

std::optional<Hover> strata::index::hoverAt(const SymbolIndex::Impl &I, const FileEntry &E,
                                            size_t Offset) {
  const Occ *O = I.occAt(E, Offset);
  const ast::Operation *Op = E.isMigration() ? operationAt(E, Offset) : nullptr;
  if (!O && !Op)
    return std::nullopt;
  Hover H;
  llvm::raw_string_ostream OS(H.Markdown);
  if (O) {
    symbolHover(I, E, *O, OS);
    H.Range = E.location(*O);
  }
  if (Op) {
    OS << (O ? "\n\n---\n\n" : "");
    describeOperation(I, E, *Op, OS);
    if (!O)
      H.Range = {E.Path, size_t(E.offsetOf(Op->Range.Start)), size_t(E.offsetOf(Op->Range.End))};
  }
  OS.flush();
  return H;
}
