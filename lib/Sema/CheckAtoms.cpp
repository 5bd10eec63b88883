//===- CheckAtoms.cpp - Body atoms ----------------------------------------===//
//
// An atom names a relation or derived relation and gives one argument per
// column, by position or by column name. Positive atoms bind variables and
// give them the column's type.
//
//===----------------------------------------------------------------------===//
#include "ClauseChecker.h"
#include "strata/AST/Printer.h"
#include "strata/IQL/Builtins.h"
#include "strata/Sema/Suggest.h"

using namespace strata;
using namespace strata::sema;

const ColumnList *ClauseChecker::lookupRelation(const ast::Ident &Relation) {
  const SchemaState &State = Scope.State;
  if (Scope.Reads)
    Scope.Reads->push_back(Relation.Name);
  if (Columns) {
    auto It = Columns->find(Relation.Name);
    if (It != Columns->end())
      return It->second;
  } else if (const ColumnList *Columns = State.columnsOf(Relation.Name)) {
    return Columns;
  }
  if (Scope.AssumeExist && Scope.AssumeExist->count(Relation.Name))
    return nullptr;
  NameSuggester S(Relation.Name);
  if (spellCheckingAllowed(Diags)) {
    for (const auto &Entry : State.relations())
      S.offer(Entry.first);
    for (const auto &Entry : State.derived())
      S.offer(Entry.first);
  }
  addSuggestion(Diags.reportAt(DiagKind::UnknownRelation, Relation.Range, Relation.Name),
                Relation.Range, S.best());
  return nullptr;
}

static llvm::SMRange declLoc(const SchemaState &State, llvm::StringRef Name) {
  if (const RelationDef *R = State.relation(Name))
    return R->Loc;
  if (const DerivedDef *D = State.derivedRelation(Name))
    return D->Loc;
  return {};
}

void ClauseChecker::bindArgument(const ast::Expr &Arg, const ColumnList &Columns, size_t Index,
                                 llvm::StringRef Relation, bool Record) {
  const ast::Expr &E = Arg.stripParens();
  if (!E.isVariable())
    return;
  const ColumnDef &Col = Columns.Columns[Index];
  auto It = VarTypes.find(E.Text);
  if (It == VarTypes.end()) {
    if (Record)
      VarTypes.try_emplace(E.Text, VarType{Col.Ty, E.Range, Relation, &Col});
    return;
  }
  if (Type::comparable(It->second.Ty, Col.Ty))
    return;
  DiagnosticBuilder B = Diags.reportAt(DiagKind::VariableTypeConflict, E.Range, E.Text,
                                       Col.Ty.str(), It->second.Ty.str());
  noteVariableType(B, E);
}

void ClauseChecker::checkAtom(const ast::Atom &A, bool Negated) {
  if (iql::isIndexSearch(A.Relation.Name) && !A.IsNamed) {
    if (Negated)
      Diags.reportAt(DiagKind::HnswNearestMisuse, A.Range, "cannot be negated");
    else
      checkHnswNearest(A);
    return;
  }
  for (const ast::Expr &E : A.Args)
    checkExpr(E);
  for (const ast::NamedArg &N : A.NamedArgs)
    checkExpr(N.Value);

  const ColumnList *Columns = lookupRelation(A.Relation);
  if (!Columns)
    return;
  if (!A.IsNamed) {
    if (A.Args.size() != Columns->size()) {
      DiagnosticBuilder B =
          Diags.reportAt(DiagKind::AtomArity, A.Range, A.Relation.Name,
                         plural(Columns->size(), "column"), plural(A.Args.size(), "argument"));
      llvm::SMRange Decl = declLoc(Scope.State, A.Relation.Name);
      if (Decl.isValid())
        B.noteAt(DiagKind::NoteDeclaredHere, Decl, A.Relation.Name);
      return;
    }
    for (size_t I = 0; I < A.Args.size(); ++I)
      bindArgument(A.Args[I], *Columns, I, A.Relation.Name, !Negated);
    return;
  }
  llvm::StringMap<const ast::NamedArg *> Seen;
  for (const ast::NamedArg &N : A.NamedArgs) {
    auto [It, Inserted] = Seen.try_emplace(N.Column.Name, &N);
    if (!Inserted) {
      Diags.reportAt(DiagKind::DuplicateNamedArgument, N.Column.Range, N.Column.Name)
          .noteAt(DiagKind::NotePreviousArgument, It->second->Column.Range);
      continue;
    }
    std::optional<size_t> Index = Columns->find(N.Column.Name);
    if (!Index) {
      addSuggestion(
          Diags.reportAt(DiagKind::UnknownColumn, N.Column.Range, A.Relation.Name, N.Column.Name),
          N.Column.Range, closestColumn(*Columns, N.Column.Name));
      continue;
    }
    bindArgument(N.Value, *Columns, *Index, A.Relation.Name, !Negated);
  }
}

/// `hnsw_nearest("index", Query, K, Id, Dist[, EfSearch])` (parser/mod.rs
/// try_parse_hnsw_nearest).
void ClauseChecker::checkHnswNearest(const ast::Atom &A) {
  if (A.Args.size() < 5 || A.Args.size() > 6) {
    Diags.reportAt(DiagKind::HnswNearestMisuse, A.Range,
                   fmt::format("takes 5 or 6 arguments (index, query, k, id, distance "
                               "[, ef_search]), not {0}",
                               A.Args.size()));
    return;
  }
  const ast::Expr &Index = A.Args[0].stripParens();
  if (Scope.Reads && Index.TheKind == ast::Expr::Kind::String)
    Scope.Reads->push_back(Index.Text);
  if (Index.TheKind != ast::Expr::Kind::String) {
    Diags.reportAt(DiagKind::HnswNearestMisuse, Index.Range,
                   "needs the index name as a string literal first");
  } else if (!Scope.State.index(Index.Text) &&
             !(Scope.AssumeExist && Scope.AssumeExist->count(Index.Text))) {
    NameSuggester S(Index.Text);
    for (const auto &Entry : Scope.State.indexes())
      S.offer(Entry.first);
    DiagnosticBuilder B = Diags.reportAt(DiagKind::UnknownIndexReference, Index.Range, Index.Text);
    if (!S.best().empty()) {
      B.fixIt(Index.Range, ast::quoteString(S.best()));
      B.noteAt(DiagKind::NoteDidYouMean, Index.Range, S.best().str());
    }
  }
  checkExpr(A.Args[1]);
  const ast::Expr &K = A.Args[2].stripParens();
  if (K.TheKind != ast::Expr::Kind::Int || K.IntValue < 1)
    Diags.reportAt(DiagKind::HnswNearestMisuse, K.Range,
                   "needs `k` as an integer literal of at least 1");
  for (size_t I : {3, 4}) {
    const ast::Expr &V = A.Args[I].stripParens();
    if (!V.isVariable()) {
      Diags.reportAt(DiagKind::HnswNearestMisuse, V.Range,
                     fmt::format("needs a variable for the {0}, not `{1}`",
                                 I == 3 ? "id" : "distance", ast::toString(V)));
      continue;
    }
    if (I == 4)
      VarTypes.try_emplace(V.Text, VarType{Type::floatTy(), {}, {}, nullptr});
  }
  if (A.Args.size() == 6) {
    const ast::Expr &Ef = A.Args[5].stripParens();
    if (Ef.TheKind != ast::Expr::Kind::Int || Ef.IntValue < 1)
      Diags.reportAt(DiagKind::HnswNearestMisuse, Ef.Range,
                     "needs `ef_search` as an integer literal of at least 1");
  }
}
