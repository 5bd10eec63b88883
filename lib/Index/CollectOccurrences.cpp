//===- CollectOccurrences.cpp - Every name of one parsed file -------------===//
//
// One walk over a file's AST: each name becomes an occurrence of the symbol
// it names, with its role. In a migration file every name is history (the
// operation says whether it creates the name or only mentions it); in a
// schema file names are declared or used.
//
//===----------------------------------------------------------------------===//
#include "IndexImpl.h"
#include "strata/IQL/Builtins.h"
#include "llvm/ADT/StringSet.h"
#include <algorithm>

using namespace strata;
using namespace strata::index;

namespace {

/// The variables of one clause (or cast) and the key that keeps them apart
/// from those of every other.
struct Scope {
  const ast::Clause *C = nullptr;
  std::string Key;
  std::string Owner;
  llvm::StringSet<> Seen;
};

class Collector {
public:
  Collector(FileEntry &E, SymbolTable &T) : E(E), T(T), Mig(E.isMigration()) {}

  void item(const ast::Item &I);

  // For OperationWalk: what an operation creates or mentions.
  void created(const ast::Ident &Name, SymbolKind Kind, const std::vector<ast::Column> *Cols,
               const std::vector<ast::Clause> *Cs = nullptr);
  void mentioned(const ast::Ident &Name, std::optional<SymbolKind> Kind,
                 const std::vector<ast::Column> *Cols = nullptr,
                 const std::vector<ast::Clause> *Cs = nullptr);
  void renamed(const ast::Ident &From, const ast::Ident &To, SymbolKind Kind);
  void columnAt(const ast::Ident &Rel, const ast::Ident &Col, Role R, Definition D = {}) {
    column(Rel, Col, R, D);
  }
  void position(const ast::Ident &Rel, const std::optional<ast::ColumnPosition> &P);
  void walkClauses(const std::vector<ast::Clause> &Cs) { clauses(Cs); }
  void walkIndex(const ast::IndexDecl &I, Role NameRole) { indexDecl(I, NameRole); }
  void indexName(const ast::Ident &Name, Role R);
  /// A retype's `using X => expr`: X is a variable of its own scope.
  void cast(const ast::CastExpr &Cast, const std::string &Column);

private:
  Role use() const { return Mig ? Role::HistoryReference : Role::Reference; }
  Role def() const { return Mig ? Role::HistoryDefinition : Role::Declaration; }

  Occ *add(llvm::SMRange R, unsigned Sym, Role TheRole);
  int define(Definition D) {
    E.Defs.push_back(D);
    return int(E.Defs.size() - 1);
  }
  void relationName(const ast::Ident &Name, Role R, std::optional<SymbolKind> Kind,
                    Definition D = {});
  void column(const ast::Ident &Rel, const ast::Ident &Col, Role R, Definition D = {});
  void columns(const ast::Ident &Rel, const std::vector<ast::Column> &Cols, Role R);
  void renamedFrom(const std::optional<ast::Ident> &Old);
  void indexDecl(const ast::IndexDecl &I, Role NameRole);
  void clauses(const std::vector<ast::Clause> &Cs);
  void clause(const ast::Clause &C);
  void atom(const ast::Atom &A, Scope &S);
  void expr(const ast::Expr &X, Scope &S);
  void variable(const ast::Expr &X, Scope &S);
  void migration(const ast::MigrationDecl &M);
  void operation(const ast::Operation &O);

  FileEntry &E;
  SymbolTable &T;
  bool Mig;
  unsigned Serial = 0;
  const ast::Operation *CurOp = nullptr;
  const ast::Clause *CurClause = nullptr;
};

Occ *Collector::add(llvm::SMRange R, unsigned Sym, Role TheRole) {
  int64_t B = E.offsetOf(R.Start), End = E.offsetOf(R.End);
  if (B < 0 || End < B)
    return nullptr;
  Occ O;
  O.Begin = uint32_t(B);
  O.End = uint32_t(End);
  O.Sym = Sym;
  O.TheRole = TheRole;
  O.Clause = CurClause;
  O.Op = CurOp;
  E.Occs.push_back(O);
  return &E.Occs.back();
}

void Collector::relationName(const ast::Ident &Name, Role R, std::optional<SymbolKind> Kind,
                             Definition D) {
  if (Name.empty())
    return;
  Occ *O = add(Name.Range, T.intern(SymbolKind::Relation, "", Name.Name), R);
  if (!O)
    return;
  O->KnownKind = Kind.has_value();
  O->Kind = Kind.value_or(SymbolKind::Relation);
  bool Defines = R == Role::Declaration || R == Role::HistoryDefinition;
  if (Defines)
    O->Def = define(D);
}

void Collector::column(const ast::Ident &Rel, const ast::Ident &Col, Role R, Definition D) {
  if (Rel.empty() || Col.empty())
    return;
  Occ *O = add(Col.Range, T.intern(SymbolKind::Column, Rel.Name, Col.Name), R);
  if (O && (D.Column || D.Type))
    O->Def = define(D);
}

void Collector::columns(const ast::Ident &Rel, const std::vector<ast::Column> &Cols, Role R) {
  for (const ast::Column &C : Cols) {
    Definition D;
    D.Column = &C;
    column(Rel, C.Name, R, D);
    if (C.RenamedFrom && !Mig)
      add(C.RenamedFrom->Range, T.intern(SymbolKind::Column, Rel.Name, C.RenamedFrom->Name),
          Role::RenamedFrom);
  }
}

void Collector::renamedFrom(const std::optional<ast::Ident> &Old) {
  if (Old && !Old->empty())
    add(Old->Range, T.intern(SymbolKind::Relation, "", Old->Name), Role::RenamedFrom);
}

void Collector::indexDecl(const ast::IndexDecl &I, Role NameRole) {
  if (!I.Name.empty())
    if (Occ *O = add(I.Name.Range, T.intern(SymbolKind::Index, "", I.Name.Name), NameRole))
      if (NameRole == Role::Declaration || NameRole == Role::HistoryDefinition) {
        Definition D;
        D.Index = &I;
        O->Def = define(D);
      }
  relationName(I.Relation, use(), std::nullopt);
  column(I.Relation, I.Column, use());
}

void Collector::clauses(const std::vector<ast::Clause> &Cs) {
  for (const ast::Clause &C : Cs)
    clause(C);
}

void Collector::clause(const ast::Clause &C) {
  CurClause = &C;
  Scope S;
  S.C = &C;
  S.Key = std::to_string(Serial++);
  S.Owner = C.Head.Name;
  relationName(C.Head, use(), std::nullopt);
  for (const ast::HeadArg &A : C.HeadArgs) {
    if (A.IsAggregate && iql::findAggregate(A.Aggregate.Name))
      add(A.Aggregate.Range, T.intern(SymbolKind::Aggregate, "", A.Aggregate.Name), use());
    for (const ast::AggregateArg &G : A.AggArgs)
      expr(G.Value, S);
    if (!A.IsAggregate)
      expr(A.Value, S);
  }
  for (const ast::BodyLiteral &L : C.Body) {
    if (L.TheKind == ast::BodyLiteral::Kind::Comparison) {
      expr(L.Lhs, S);
      expr(L.Rhs, S);
    } else {
      atom(L.TheAtom, S);
    }
  }
  CurClause = nullptr;
}

void Collector::atom(const ast::Atom &A, Scope &S) {
  if (iql::isIndexSearch(A.Relation.Name)) {
    // `hnsw_nearest("index", ...)`: the string names an index.
    const ast::Expr *First = A.Args.empty() ? nullptr : &A.Args.front();
    if (First && First->TheKind == ast::Expr::Kind::String) {
      llvm::SMRange R = First->Range;
      if (size_t(R.End.getPointer() - R.Start.getPointer()) == First->Text.size() + 2)
        add({llvm::SMLoc::getFromPointer(R.Start.getPointer() + 1),
             llvm::SMLoc::getFromPointer(R.End.getPointer() - 1)},
            T.intern(SymbolKind::Index, "", First->Text), use());
    }
  } else {
    relationName(A.Relation, use(), std::nullopt);
  }
  for (const ast::Expr &X : A.Args)
    expr(X, S);
  for (const ast::NamedArg &N : A.NamedArgs) {
    column(A.Relation, N.Column, use());
    expr(N.Value, S);
  }
}

void Collector::expr(const ast::Expr &X, Scope &S) {
  if (X.isVariable())
    return variable(X, S);
  if (X.TheKind == ast::Expr::Kind::Call && iql::findFunction(X.Text))
    add({X.Range.Start, llvm::SMLoc::getFromPointer(X.Range.Start.getPointer() + X.Text.size())},
        T.intern(SymbolKind::Function, "", X.Text), use());
  for (const ast::Expr &Sub : X.Operands)
    expr(Sub, S);
}

void Collector::variable(const ast::Expr &X, Scope &S) {
  bool First = S.Seen.insert(X.Text).second;
  add(X.Range, T.intern(SymbolKind::Variable, S.Owner, X.Text, S.Key),
      First ? Role::Declaration : Role::Reference);
}

void Collector::cast(const ast::CastExpr &Cast, const std::string &Column) {
  Scope S;
  S.Key = std::to_string(Serial++);
  S.Owner = Column;
  ast::Expr Var;
  Var.TheKind = ast::Expr::Kind::Variable;
  Var.Text = Cast.Var.Name;
  Var.Range = Cast.Var.Range;
  variable(Var, S);
  expr(Cast.Body, S);
}

void Collector::migration(const ast::MigrationDecl &M) {
  if (!M.Name.empty())
    add(M.Name.Range, T.intern(SymbolKind::Migration, "", M.Name.Name), Role::HistoryDefinition);
  for (const std::vector<ast::Ident> *Names : {&M.Depends, &M.Replaces})
    for (const ast::Ident &N : *Names)
      add(N.Range, T.intern(SymbolKind::Migration, "", N.Name), Role::HistoryReference);
  for (const ast::Operation &O : M.Operations) {
    CurOp = &O;
    operation(O);
  }
  CurOp = nullptr;
}

/// What each kind of operation creates and mentions.
struct OperationWalk {
  Collector &C;
  void operator()(const ast::CreateRelationOp &O) {
    C.created(O.Name, SymbolKind::Relation, &O.Columns);
  }
  void operator()(const ast::DropRelationOp &O) {
    C.mentioned(O.Name, SymbolKind::Relation, &O.Columns);
  }
  void operator()(const ast::RenameRelationOp &O) { C.renamed(O.From, O.To, SymbolKind::Relation); }
  void operator()(const ast::AddColumnOp &O) {
    C.mentioned(O.Relation, std::nullopt);
    Definition D;
    D.Type = &O.Type;
    C.columnAt(O.Relation, O.Column, Role::HistoryDefinition, D);
    C.position(O.Relation, O.Position);
  }
  void operator()(const ast::DropColumnOp &O) {
    C.mentioned(O.Relation, std::nullopt);
    C.columnAt(O.Relation, O.Column, Role::HistoryReference);
    C.position(O.Relation, O.Position);
  }
  void operator()(const ast::RenameColumnOp &O) {
    C.mentioned(O.Relation, std::nullopt);
    C.columnAt(O.Relation, O.Column, Role::HistoryReference);
    C.columnAt(O.Relation, O.To, Role::HistoryDefinition);
  }
  void operator()(const ast::RetypeColumnOp &O) {
    C.mentioned(O.Relation, std::nullopt);
    Definition D;
    D.Type = &O.To;
    C.columnAt(O.Relation, O.Column, Role::HistoryReference, D);
    for (const std::optional<ast::CastExpr> *Cast : {&O.Using, &O.Reverse})
      if (*Cast)
        C.cast(**Cast, O.Relation.Name + "." + O.Column.Name);
  }
  void operator()(const ast::ReorderColumnsOp &O) {
    C.mentioned(O.Relation, std::nullopt);
    for (const std::vector<ast::Ident> *Names : {&O.From, &O.To})
      for (const ast::Ident &N : *Names)
        C.columnAt(O.Relation, N, Role::HistoryReference);
  }
  void operator()(const ast::CreateRuleOp &O) {
    C.created(O.Name, SymbolKind::Derived, &O.Columns, &O.Clauses);
  }
  void operator()(const ast::DropRuleOp &O) {
    C.mentioned(O.Name, SymbolKind::Derived, &O.Columns, &O.Clauses);
  }
  void operator()(const ast::ReplaceRuleOp &O) {
    C.mentioned(O.Name, SymbolKind::Derived, nullptr, &O.Clauses);
    if (O.OldClauses)
      C.walkClauses(*O.OldClauses);
  }
  void operator()(const ast::RenameRuleOp &O) { C.renamed(O.From, O.To, SymbolKind::Derived); }
  void operator()(const ast::CreateIndexOp &O) { C.walkIndex(O.Index, Role::HistoryDefinition); }
  void operator()(const ast::DropIndexOp &O) { C.walkIndex(O.Index, Role::HistoryReference); }
  void operator()(const ast::AlterIndexOp &O) { C.indexName(O.Name, Role::HistoryReference); }
  void operator()(const ast::RunIqlOp &) {}
};

void Collector::operation(const ast::Operation &O) { std::visit(OperationWalk{*this}, O.Body); }

void Collector::created(const ast::Ident &Name, SymbolKind Kind,
                        const std::vector<ast::Column> *Cols, const std::vector<ast::Clause> *Cs) {
  Definition D;
  D.Columns = Cols;
  D.Clauses = Cs;
  relationName(Name, Role::HistoryDefinition, Kind, D);
  if (Cols)
    columns(Name, *Cols, Role::HistoryDefinition);
  if (Cs)
    clauses(*Cs);
}

void Collector::mentioned(const ast::Ident &Name, std::optional<SymbolKind> Kind,
                          const std::vector<ast::Column> *Cols,
                          const std::vector<ast::Clause> *Cs) {
  relationName(Name, Role::HistoryReference, Kind);
  if (Cols)
    columns(Name, *Cols, Role::HistoryReference);
  if (Cs)
    clauses(*Cs);
}

void Collector::renamed(const ast::Ident &From, const ast::Ident &To, SymbolKind Kind) {
  relationName(From, Role::HistoryReference, Kind);
  relationName(To, Role::HistoryDefinition, Kind);
}

void Collector::position(const ast::Ident &Rel, const std::optional<ast::ColumnPosition> &P) {
  if (P && !P->First)
    column(Rel, P->After, Role::HistoryReference);
}

void Collector::indexName(const ast::Ident &Name, Role R) {
  if (!Name.empty())
    add(Name.Range, T.intern(SymbolKind::Index, "", Name.Name), R);
}

void Collector::item(const ast::Item &I) {
  if (auto *R = std::get_if<ast::RelationDecl>(&I)) {
    Definition D;
    D.Columns = &R->Columns;
    relationName(R->Name, def(), SymbolKind::Relation, D);
    renamedFrom(R->RenamedFrom);
    columns(R->Name, R->Columns, def());
  } else if (auto *Dd = std::get_if<ast::DerivedDecl>(&I)) {
    Definition D;
    D.Columns = &Dd->Columns;
    D.Clauses = &Dd->Clauses;
    relationName(Dd->Name, def(), SymbolKind::Derived, D);
    renamedFrom(Dd->RenamedFrom);
    columns(Dd->Name, Dd->Columns, def());
    clauses(Dd->Clauses);
  } else if (auto *X = std::get_if<ast::IndexDecl>(&I)) {
    indexDecl(*X, def());
  } else if (auto *M = std::get_if<ast::MigrationDecl>(&I)) {
    migration(*M);
  }
}

} // namespace

void strata::index::collectOccurrences(FileEntry &E, SymbolTable &Table) {
  E.Occs.clear();
  E.Defs.clear();
  E.BySym.clear();
  Collector C(E, Table);
  for (const ast::Item &I : E.AST.Items)
    C.item(I);
  std::stable_sort(E.Occs.begin(), E.Occs.end(),
                   [](const Occ &A, const Occ &B) { return A.Begin < B.Begin; });
  for (unsigned I = 0; I < E.Occs.size(); ++I)
    E.BySym[E.Occs[I].Sym].push_back(I);
}
