//===- Operation.h - Typed migration operations -----------------*- C++ -*-===//
//
// A closed set of schema changes. Each operation carries everything needed
// to apply it to a SchemaState (Django's state_forwards) and to undo it,
// without asking a server: a drop carries what it drops.
//
// Operations are immutable values behind OperationPtr; kinds are told apart
// with kind() or llvm::isa/dyn_cast (LLVM-style RTTI via classof).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_MIGRATE_OPERATION_H
#define STRATA_MIGRATE_OPERATION_H

#include "strata/AST/Expr.h"
#include "strata/AST/Migration.h"
#include "strata/AST/Rule.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata {

class Operation;
using OperationPtr = std::shared_ptr<const Operation>;
using ClauseList = std::vector<std::shared_ptr<const ast::Clause>>;

/// Which derived relations read each relation (through a positive or
/// negated atom). A replay keeps one in step with its state, so that a
/// change to a relation finds the rules it could break without scanning
/// every rule of the state.
class RuleReaders {
public:
  RuleReaders() = default;
  explicit RuleReaders(const SchemaState &State);
  void add(const DerivedDef &D);
  void remove(const DerivedDef &D);
  /// The derived relations reading Relation, sorted by name.
  std::vector<std::string> readersOf(llvm::StringRef Relation) const;

private:
  /// Relation -> reader -> number of atoms. Hashed: a replay or a lowering
  /// builds the table from every rule, and queries are few and sorted then.
  llvm::StringMap<llvm::StringMap<unsigned>> Readers;
};

class Operation {
public:
  /// One kind per line of strata/AST/Operations.def, in its order, so that
  /// a kind's value is the index of its parsed form in ast::OperationBody.
  enum class Kind {
#define OPERATION(Kind, Name, Keyword, Marker, Tag) Kind,
#include "strata/AST/Operations.def"
  };
  static constexpr size_t NumKinds = std::variant_size_v<ast::OperationBody>;

  /// The kind in machine-readable output: "add_column".
  static llvm::StringRef kindName(Kind K);
  /// The words that start the kind in the `.mig` language: "add column".
  static llvm::StringRef kindKeyword(Kind K);
  /// Its sign in a listing of changes: '+' creates, '-' drops, '~' changes.
  static char kindMarker(Kind K);

  virtual ~Operation() = default;
  Kind kind() const { return TheKind; }
  /// Where the operation was written; invalid for generated operations.
  llvm::SMRange loc() const { return Loc; }

  /// Applies the operation to State. When it does not apply (a drop of a
  /// missing relation, an add of an existing column, a rule that does not
  /// check against the state...) reports at loc() and returns false,
  /// leaving State unspecified.
  bool apply(SchemaState &State, DiagnosticEngine &Diags) const {
    return applyTo(State, Diags, nullptr);
  }
  /// The same; Readers, when given, must describe State and is kept in
  /// step with it (a replay passes one to avoid rescanning every rule).
  virtual bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const = 0;

  /// The operation that undoes this one, or null when there is none (a
  /// `run iql` without a backward block).
  virtual OperationPtr inverse() const = 0;

  /// A short phrase for messages and --dry-run: "add column employee.level".
  virtual std::string describe() const = 0;
  /// A fragment for generated migration names: "add_employee_level".
  virtual std::string nameFragment() const = 0;
  /// The objects the operation changes, as `rel`, `rel.col`, `rule`,
  /// `index:NAME` keys, or `*` for anything (raw IQL); with Reads, also
  /// what it reads (a rule's relations, an index's column). The
  /// autodetector orders operations by them (touchedObjects in Autodetect.h).
  virtual std::vector<std::string> touches(bool Reads) const = 0;
  /// False when applying the operation can lose facts (drops, lossy casts).
  virtual bool isDataSafe() const { return true; }

  /// The operation in `.mig` syntax, possibly over several lines, with no
  /// indentation on the first line and two spaces a level after it. The
  /// writer indents it and `strata fmt` would leave it unchanged.
  virtual void print(llvm::raw_ostream &OS) const = 0;
  std::string str() const;

protected:
  Operation(Kind K, llvm::SMRange Loc) : TheKind(K), Loc(Loc) {}

private:
  Kind TheKind;
  llvm::SMRange Loc;
};

// ---- Relations -------------------------------------------------------------

class CreateRelation : public Operation {
public:
  CreateRelation(std::string Name, ColumnList Columns, llvm::SMRange Loc = {})
      : Operation(Kind::CreateRelation, Loc), Name(std::move(Name)), Columns(std::move(Columns)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::CreateRelation; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  void print(llvm::raw_ostream &OS) const override;

  std::string Name;
  ColumnList Columns;
};

class DropRelation : public Operation {
public:
  DropRelation(std::string Name, ColumnList Columns, llvm::SMRange Loc = {})
      : Operation(Kind::DropRelation, Loc), Name(std::move(Name)), Columns(std::move(Columns)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::DropRelation; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  bool isDataSafe() const override { return false; }
  void print(llvm::raw_ostream &OS) const override;

  std::string Name;
  ColumnList Columns;
};

class RenameRelation : public Operation {
public:
  RenameRelation(std::string From, std::string To, llvm::SMRange Loc = {})
      : Operation(Kind::RenameRelation, Loc), From(std::move(From)), To(std::move(To)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::RenameRelation; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  void print(llvm::raw_ostream &OS) const override;

  std::string From, To;
};

// ---- Columns ---------------------------------------------------------------

/// Where a column stands: at the end (the default), first, or after a
/// named column.
struct ColumnPlace {
  enum class Kind { End, First, After } TheKind = Kind::End;
  std::string After;

  static ColumnPlace end() { return {}; }
  static ColumnPlace first() { return {Kind::First, ""}; }
  static ColumnPlace after(std::string Name) { return {Kind::After, std::move(Name)}; }
  /// The place of the column at Index in Columns.
  static ColumnPlace of(const ColumnList &Columns, size_t Index);
};

class AddColumn : public Operation {
public:
  AddColumn(std::string Relation, ColumnDef Column, std::optional<ast::Expr> Fill,
            ColumnPlace Place, llvm::SMRange Loc = {})
      : Operation(Kind::AddColumn, Loc), Relation(std::move(Relation)), Column(std::move(Column)),
        Fill(std::move(Fill)), Place(std::move(Place)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::AddColumn; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  void print(llvm::raw_ostream &OS) const override;

  std::string Relation;
  ColumnDef Column;
  /// The value existing facts get; required to apply to a relation that may
  /// hold facts (checked when lowering, not here).
  std::optional<ast::Expr> Fill;
  ColumnPlace Place;
};

class DropColumn : public Operation {
public:
  DropColumn(std::string Relation, ColumnDef Column, std::optional<ast::Expr> Fill,
             ColumnPlace Place, llvm::SMRange Loc = {})
      : Operation(Kind::DropColumn, Loc), Relation(std::move(Relation)), Column(std::move(Column)),
        Fill(std::move(Fill)), Place(std::move(Place)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::DropColumn; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  bool isDataSafe() const override { return false; }
  void print(llvm::raw_ostream &OS) const override;

  std::string Relation;
  ColumnDef Column;
  /// The fill value the inverse (re-adding the column) uses.
  std::optional<ast::Expr> Fill;
  /// Where the column stood, so the inverse puts it back there.
  ColumnPlace Place;
};

class RenameColumn : public Operation {
public:
  RenameColumn(std::string Relation, std::string From, std::string To, llvm::SMRange Loc = {})
      : Operation(Kind::RenameColumn, Loc), Relation(std::move(Relation)), From(std::move(From)),
        To(std::move(To)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::RenameColumn; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  void print(llvm::raw_ostream &OS) const override;

  std::string Relation, From, To;
};

/// `X => to_float(X)`: converts one old value.
struct Cast {
  std::string Var;
  ast::Expr Body;
};

class RetypeColumn : public Operation {
public:
  RetypeColumn(std::string Relation, std::string Column, Type From, Type To,
               std::optional<Cast> Using, std::optional<Cast> Reverse, llvm::SMRange Loc = {})
      : Operation(Kind::RetypeColumn, Loc), Relation(std::move(Relation)),
        Column(std::move(Column)), From(std::move(From)), To(std::move(To)),
        Using(std::move(Using)), Reverse(std::move(Reverse)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::RetypeColumn; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  /// Swaps the types and the two casts.
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  /// False without a cast, or when the reverse cast is missing.
  bool isDataSafe() const override;
  void print(llvm::raw_ostream &OS) const override;

  std::string Relation, Column;
  Type From, To;
  std::optional<Cast> Using, Reverse;
};

/// Puts a relation's columns in a new order, keeping every value with its
/// column. From is the order before (every column, as they stand), To the
/// order after; the inverse swaps them.
class ReorderColumns : public Operation {
public:
  ReorderColumns(std::string Relation, std::vector<std::string> From, std::vector<std::string> To,
                 llvm::SMRange Loc = {})
      : Operation(Kind::ReorderColumns, Loc), Relation(std::move(Relation)), From(std::move(From)),
        To(std::move(To)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::ReorderColumns; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  void print(llvm::raw_ostream &OS) const override;

  std::string Relation;
  std::vector<std::string> From, To;
};

// ---- Rules (derived relations) -----------------------------------------

class CreateRule : public Operation {
public:
  CreateRule(std::string Name, ColumnList Columns, ClauseList Clauses, llvm::SMRange Loc = {})
      : Operation(Kind::CreateRule, Loc), Name(std::move(Name)), Columns(std::move(Columns)),
        Clauses(std::move(Clauses)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::CreateRule; }

  /// Also checks the clauses against State (checkClauses) and the
  /// stratification of the result.
  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  void print(llvm::raw_ostream &OS) const override;

  std::string Name;
  ColumnList Columns;
  ClauseList Clauses;
};

class DropRule : public Operation {
public:
  DropRule(std::string Name, ColumnList Columns, ClauseList Clauses, llvm::SMRange Loc = {})
      : Operation(Kind::DropRule, Loc), Name(std::move(Name)), Columns(std::move(Columns)),
        Clauses(std::move(Clauses)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::DropRule; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  void print(llvm::raw_ostream &OS) const override;

  std::string Name;
  ColumnList Columns;
  ClauseList Clauses;
};

class ReplaceRule : public Operation {
public:
  ReplaceRule(std::string Name, ClauseList Clauses, std::optional<ClauseList> OldClauses,
              llvm::SMRange Loc = {})
      : Operation(Kind::ReplaceRule, Loc), Name(std::move(Name)), Clauses(std::move(Clauses)),
        OldClauses(std::move(OldClauses)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::ReplaceRule; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  /// Null when the old clauses are not recorded.
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  void print(llvm::raw_ostream &OS) const override;

  std::string Name;
  ClauseList Clauses;
  std::optional<ClauseList> OldClauses;
};

class RenameRule : public Operation {
public:
  RenameRule(std::string From, std::string To, llvm::SMRange Loc = {})
      : Operation(Kind::RenameRule, Loc), From(std::move(From)), To(std::move(To)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::RenameRule; }

  /// Renames the derived relation and the heads of its clauses.
  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  void print(llvm::raw_ostream &OS) const override;

  std::string From, To;
};

// ---- Indexes ---------------------------------------------------------------

class CreateIndex : public Operation {
public:
  explicit CreateIndex(IndexDef Index, llvm::SMRange Loc = {})
      : Operation(Kind::CreateIndex, Loc), Index(std::move(Index)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::CreateIndex; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  void print(llvm::raw_ostream &OS) const override;

  IndexDef Index;
};

/// Carries every parameter so the inverse re-creates the same index.
class DropIndex : public Operation {
public:
  explicit DropIndex(IndexDef Index, llvm::SMRange Loc = {})
      : Operation(Kind::DropIndex, Loc), Index(std::move(Index)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::DropIndex; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  void print(llvm::raw_ostream &OS) const override;

  IndexDef Index;
};

/// Changes HNSW parameters (the server rebuilds the index).
class AlterIndex : public Operation {
public:
  AlterIndex(IndexDef New, std::optional<IndexDef> Old, llvm::SMRange Loc = {})
      : Operation(Kind::AlterIndex, Loc), New(std::move(New)), Old(std::move(Old)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::AlterIndex; }

  bool applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const override;
  /// Null when the old parameters are not recorded.
  OperationPtr inverse() const override;
  std::string describe() const override;
  std::string nameFragment() const override;
  std::vector<std::string> touches(bool Reads) const override;
  void print(llvm::raw_ostream &OS) const override;

  IndexDef New;
  std::optional<IndexDef> Old;
};

// ---- Raw IQL ---------------------------------------------------------------

/// Opaque to the schema state; irreversible without a backward block.
class RunIql : public Operation {
public:
  RunIql(std::string Forward, std::optional<std::string> Backward, llvm::SMRange Loc = {})
      : Operation(Kind::RunIql, Loc), Forward(std::move(Forward)), Backward(std::move(Backward)) {}
  static bool classof(const Operation *O) { return O->kind() == Kind::RunIql; }

  bool applyTo(SchemaState &, DiagnosticEngine &, RuleReaders *) const override { return true; }
  OperationPtr inverse() const override;
  std::string describe() const override { return "run iql"; }
  std::string nameFragment() const override { return "run_iql"; }
  std::vector<std::string> touches(bool) const override { return {"*"}; }
  void print(llvm::raw_ostream &OS) const override;

  std::string Forward;
  std::optional<std::string> Backward;
};

/// Converts a parsed operation, resolving types, columns and index options.
/// Returns null after reporting a problem that needs no schema state (an
/// unknown type, a bad index option); whether it applies to a state is
/// apply()'s business.
OperationPtr buildOperation(const ast::Operation &Op, DiagnosticEngine &Diags);
/// The same, taking what the operation keeps out of Op (its clauses)
/// instead of copying it: for a parsed file that is dropped once built.
OperationPtr buildOperation(ast::Operation &&Op, DiagnosticEngine &Diags);

} // namespace strata

#endif
