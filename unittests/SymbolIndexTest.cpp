//===- SymbolIndexTest.cpp - lib/Index: editor queries over a workspace ---===//
#include "strata/Index/SymbolIndex.h"
#include "strata/Parse/Keywords.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "llvm/Support/MemoryBuffer.h"
#include <chrono>
#include <gtest/gtest.h>

using namespace strata;
using namespace strata::index;

namespace {

const char *People = R"(relation employee {
  id: int
  name: string
  salary: float
}
relation dept(id: int, title: string)
)";

const char *Rules = R"(derived senior(name: string, pay: float) {
  senior(N, S) <- employee(_, N, S), S > 100.0
  senior(N, S) <- employee{name: N, salary: S}, !dept(_, N)
}
derived rich(total: float) {
  rich(sum<S>) <- senior(_, S)
}
index emb on docs(vec) hnsw(metric: cosine)
relation docs(id: int, vec: vector(3))
derived near(id: int, dist: float) {
  near(Id, D) <- hnsw_nearest("emb", [1.0, 2.0, 3.0], 3, Id, D), len("x") > 0
}
)";

const char *Init = R"(migration 0001_init {
  create relation employee(id: int, name: string, salary: float)
  create relation dept(id: int, title: string)
}
)";

const char *More = R"(migration 0002_more {
  depends 0001_init
  add column employee.level: int = 1 after salary
  rename column dept.title -> name
  create rule senior(name: string, pay: float) {
    senior(N, S) <- employee(_, N, S, _)
  }
  drop column employee.level: int = 1 after salary
  retype column employee.salary: float -> string using X => concat(X, "", "")
}
)";

class Workspace : public ::testing::Test {
protected:
  void SetUp() override {
    add("schema/people.strata", People);
    add("schema/rules.strata", Rules);
    add("migrations/0001_init.mig", Init);
    add("migrations/0002_more.mig", More);
  }
  void add(const std::string &Path, const std::string &Text) {
    Texts[Path] = Text;
    Index.updateText(Path, Text);
  }
  /// The offset of the Nth (from 0) occurrence of Needle in Path, plus Delta.
  size_t at(const std::string &Path, llvm::StringRef Needle, unsigned Nth = 0, size_t Delta = 0) {
    llvm::StringRef T = Texts[Path];
    size_t Pos = T.find(Needle);
    for (unsigned I = 0; I < Nth && Pos != llvm::StringRef::npos; ++I)
      Pos = T.find(Needle, Pos + 1);
    EXPECT_NE(Pos, std::string::npos) << Needle.str() << " #" << Nth << " in " << Path;
    return Pos + Delta;
  }
  std::string text(const Location &L) { return Texts[L.Path].substr(L.Begin, L.End - L.Begin); }
  /// "path:text" for each location, to compare as a whole.
  std::vector<std::string> spell(const std::vector<Location> &Ls) {
    std::vector<std::string> Out;
    for (const Location &L : Ls)
      Out.push_back(L.Path + ":" + text(L));
    return Out;
  }
  std::vector<Location> refs(const std::string &Path, size_t Offset, bool Decl = true) {
    std::vector<Location> Out;
    for (const Occurrence &O : Index.references(Path, Offset, Decl))
      Out.push_back(O.Loc);
    return Out;
  }
  std::string apply(const std::string &Path, const std::vector<TextEdit> &Edits) {
    std::string T = Texts[Path];
    for (auto It = Edits.rbegin(); It != Edits.rend(); ++It)
      T.replace(It->Begin, It->End - It->Begin, It->NewText);
    return T;
  }
  std::vector<std::string> labels(const Completion &C) {
    std::vector<std::string> Out;
    for (const CompletionItem &I : C.Items)
      Out.push_back(I.Label);
    return Out;
  }
  bool hasLabel(const Completion &C, llvm::StringRef L) {
    for (const CompletionItem &I : C.Items)
      if (I.Label == L)
        return true;
    return false;
  }

  SymbolIndex Index;
  std::map<std::string, std::string> Texts;
};

const std::string P = "schema/people.strata", R = "schema/rules.strata",
                  M1 = "migrations/0001_init.mig", M2 = "migrations/0002_more.mig";

//===-- symbolAt --------------------------------------------------------------===//

TEST_F(Workspace, SymbolAtKinds) {
  auto S = Index.symbolAt(P, at(P, "employee"));
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Sym.Kind, SymbolKind::Relation);
  EXPECT_EQ(S->Sym.Name, "employee");
  EXPECT_EQ(S->Occ.TheRole, Role::Declaration);

  S = Index.symbolAt(R, at(R, "senior(N, S)", 0, 1)); // a clause head
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Sym.Kind, SymbolKind::Derived);
  EXPECT_EQ(S->Occ.TheRole, Role::Reference);

  S = Index.symbolAt(R, at(R, "salary: S"));
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Sym.Kind, SymbolKind::Column);
  EXPECT_EQ(S->Sym.Owner, "employee");
  EXPECT_EQ(S->Sym.Name, "salary");

  S = Index.symbolAt(R, at(R, "N, S) <- employee(_"));
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Sym.Kind, SymbolKind::Variable);
  EXPECT_EQ(S->Sym.Owner, "senior");
  EXPECT_EQ(S->Occ.TheRole, Role::Declaration);

  S = Index.symbolAt(R, at(R, "emb on"));
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Sym.Kind, SymbolKind::Index);
  S = Index.symbolAt(R, at(R, "len("));
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Sym.Kind, SymbolKind::Function);
  S = Index.symbolAt(R, at(R, "sum<"));
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Sym.Kind, SymbolKind::Aggregate);
  S = Index.symbolAt(M2, at(M2, "0001_init"));
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Sym.Kind, SymbolKind::Migration);
}

TEST_F(Workspace, SymbolAtEdgesAndGaps) {
  size_t B = at(P, "employee");
  EXPECT_TRUE(Index.symbolAt(P, B + 8)); // just after the name still counts
  EXPECT_FALSE(Index.symbolAt(P, 0));    // on `relation`
  EXPECT_FALSE(Index.symbolAt(P, at(P, "{")));
  EXPECT_FALSE(Index.symbolAt(P, 100000));
  EXPECT_FALSE(Index.symbolAt("nowhere.strata", 0));
  // The wildcard is no variable.
  EXPECT_FALSE(Index.symbolAt(R, at(R, "_, N, S)")));
}

//===-- definition ------------------------------------------------------------===//

TEST_F(Workspace, DefinitionAcrossFilesAndHistory) {
  // From an atom in rules.strata: the schema declaration in people.strata
  // and the migration that created the relation.
  auto Defs = spell(Index.definition(R, at(R, "employee(_")));
  EXPECT_EQ(Defs, (std::vector<std::string>{M1 + ":employee", P + ":employee"}));
  // From a migration: the same.
  EXPECT_EQ(spell(Index.definition(M2, at(M2, "employee(_"))), Defs);
}

TEST_F(Workspace, DefinitionOfDerivedAndColumns) {
  auto Defs = spell(Index.definition(R, at(R, "senior(_, S)")));
  EXPECT_EQ(Defs, (std::vector<std::string>{M2 + ":senior", R + ":senior"}));
  // A named argument's column: its declaration and the history's creation.
  Defs = spell(Index.definition(R, at(R, "salary: S")));
  EXPECT_EQ(Defs, (std::vector<std::string>{M1 + ":salary", P + ":salary"}));
  // A column created by `add column` and one by a rename.
  EXPECT_EQ(spell(Index.definition(M2, at(M2, "level", 1))),
            (std::vector<std::string>{M2 + ":level"}));
  EXPECT_EQ(spell(Index.definition(M2, at(M2, "-> name", 0, 3))),
            (std::vector<std::string>{M2 + ":name"}));
  // An index's column in the index declaration.
  EXPECT_EQ(spell(Index.definition(R, at(R, "vec) hnsw"))), (std::vector<std::string>{R + ":vec"}));
}

TEST_F(Workspace, DefinitionOfVariableIsItsFirstOccurrence) {
  auto Defs = Index.definition(R, at(R, "S > 100"));
  ASSERT_EQ(Defs.size(), 1u);
  EXPECT_EQ(Defs[0].Begin, at(R, "S) <- employee(_"));
  // The second clause's S is another variable.
  Defs = Index.definition(R, at(R, "S}, !dept"));
  ASSERT_EQ(Defs.size(), 1u);
  EXPECT_EQ(Defs[0].Begin, at(R, "S) <- employee{", 0));
}

TEST_F(Workspace, DefinitionOfMigrationAndIndexString) {
  EXPECT_EQ(spell(Index.definition(M2, at(M2, "0001_init"))),
            (std::vector<std::string>{M1 + ":0001_init"}));
  // `hnsw_nearest("emb", ...)` names the index inside its string.
  EXPECT_EQ(spell(Index.definition(R, at(R, "emb\"", 0, 1))),
            (std::vector<std::string>{R + ":emb"}));
}

//===-- references ------------------------------------------------------------===//

TEST_F(Workspace, ReferencesOfRelationEverywhere) {
  auto All = spell(refs(P, at(P, "employee")));
  EXPECT_EQ(All, (std::vector<std::string>{M1 + ":employee", M2 + ":employee", M2 + ":employee",
                                           M2 + ":employee", M2 + ":employee", P + ":employee",
                                           R + ":employee", R + ":employee"}));
  auto NoDecl = refs(P, at(P, "employee"), false);
  EXPECT_EQ(NoDecl.size(), All.size() - 1);
}

TEST_F(Workspace, ReferencesOfColumnThroughNamedAtomAndHistory) {
  auto Refs = spell(refs(P, at(P, "salary")));
  EXPECT_EQ(Refs, (std::vector<std::string>{M1 + ":salary", M2 + ":salary", M2 + ":salary",
                                            M2 + ":salary", P + ":salary", R + ":salary"}));
  // `dept.title` is renamed in history: the old name's references.
  Refs = spell(refs(P, at(P, "title")));
  EXPECT_EQ(Refs, (std::vector<std::string>{M1 + ":title", M2 + ":title", P + ":title"}));
}

TEST_F(Workspace, ReferencesOfVariableStayInTheClause) {
  auto Refs = refs(R, at(R, "N, S) <- employee(_"));
  ASSERT_EQ(Refs.size(), 2u); // the head and the atom of the first clause
  for (const Location &L : Refs)
    EXPECT_LT(L.Begin, at(R, "senior(N, S) <- employee{"));
  // The migration's clause has variables of its own.
  EXPECT_EQ(refs(M2, at(M2, "N, S) <-")).size(), 2u);
}

TEST_F(Workspace, CastVariablesHaveTheirOwnScope) {
  auto S = Index.symbolAt(M2, at(M2, "X =>"));
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Sym.Kind, SymbolKind::Variable);
  EXPECT_EQ(S->Sym.Owner, "employee.salary");
  EXPECT_EQ(refs(M2, at(M2, "X =>")).size(), 2u);
  EXPECT_EQ(spell(Index.definition(M2, at(M2, "X, "))), (std::vector<std::string>{M2 + ":X"}));
}

TEST_F(Workspace, OccurrencesInFileAreOrdered) {
  auto Occs = Index.occurrencesIn(P);
  ASSERT_FALSE(Occs.empty());
  for (size_t I = 1; I < Occs.size(); ++I)
    EXPECT_LE(Occs[I - 1].second.Loc.Begin, Occs[I].second.Loc.Begin);
  EXPECT_TRUE(Index.occurrencesIn("missing").empty());
}

//===-- hover -----------------------------------------------------------------===//

TEST_F(Workspace, HoverRelationShowsColumnsAndProvenance) {
  auto H = Index.hover(R, at(R, "employee(_"));
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("relation employee(id: int, name: string, salary: float)"),
            std::string::npos)
      << H->Markdown;
  EXPECT_NE(H->Markdown.find("Declared in `schema/people.strata`"), std::string::npos);
  EXPECT_NE(H->Markdown.find("Created by migration `0001_init`"), std::string::npos);
  EXPECT_EQ(text(H->Range), "employee");
}

TEST_F(Workspace, HoverDerivedShowsRules) {
  auto H = Index.hover(R, at(R, "senior(_, S)"));
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("derived senior(name: string, pay: float) {\n"
                             "  senior(N, S) <- employee(_, N, S), S > 100.0\n"),
            std::string::npos)
      << H->Markdown;
}

TEST_F(Workspace, HoverColumnAndVariableTypes) {
  auto H = Index.hover(R, at(R, "salary: S"));
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("employee.salary: float"), std::string::npos) << H->Markdown;
  // Positional: S is the third column of employee.
  H = Index.hover(R, at(R, "S > 100"));
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("S: float"), std::string::npos) << H->Markdown;
  EXPECT_NE(H->Markdown.find("column `employee.salary`"), std::string::npos);
  // Named: N is bound to employee.name.
  H = Index.hover(R, at(R, "N, salary"));
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("N: string"), std::string::npos) << H->Markdown;
  // Id only occurs in hnsw_nearest: its type comes from the head's column.
  H = Index.hover(R, at(R, "Id, D)"));
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("Id: int"), std::string::npos) << H->Markdown;
}

TEST_F(Workspace, HoverBuiltinsAndIndex) {
  auto H = Index.hover(R, at(R, "len("));
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("len(sequence) -> int"), std::string::npos) << H->Markdown;
  H = Index.hover(R, at(R, "sum<"));
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("sum<X>"), std::string::npos) << H->Markdown;
  H = Index.hover(R, at(R, "emb on"));
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("index emb on docs(vec) hnsw(metric: cosine)"), std::string::npos)
      << H->Markdown;
}

TEST_F(Workspace, HoverOperationShowsEffectAndLowering) {
  auto H = Index.hover(M2, at(M2, "add column", 0, 1)); // on the keyword: the operation only
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("**add column employee.level**"), std::string::npos) << H->Markdown;
  EXPECT_NE(H->Markdown.find("Undone by `drop column employee.level`"), std::string::npos);
  // Lowered against the state the history reaches before it: the steps
  // that reshape `employee`, with CodeGen's titles.
  EXPECT_NE(H->Markdown.find("move the facts into the staging relation"), std::string::npos)
      << H->Markdown;
  EXPECT_EQ(text(H->Range).substr(0, 10), "add column");

  H = Index.hover(M2, at(M2, "drop column", 0, 1));
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("Can lose facts."), std::string::npos) << H->Markdown;

  // On a name inside an operation: the symbol, then the operation.
  H = Index.hover(M2, at(M2, "dept.title", 0, 1));
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("relation dept"), std::string::npos) << H->Markdown;
  EXPECT_NE(H->Markdown.find("**rename column dept.title"), std::string::npos) << H->Markdown;
}

TEST_F(Workspace, HoverNothing) {
  EXPECT_FALSE(Index.hover(P, 0));
  EXPECT_FALSE(Index.hover("missing.strata", 0));
  EXPECT_FALSE(Index.hover(M2, 0)); // `migration` keyword, outside any operation
}

//===-- rename ----------------------------------------------------------------===//

/// The `[Kind]` a refusal renders with.
std::string refusal(llvm::Expected<WorkspaceEdit> E) {
  if (E)
    return "accepted";
  Diagnostic D = takeDiagnostic(E.takeError(), DiagKind::RenameRefused);
  return "[" + diagKindName(D.Kind).str() + "] " + D.Message;
}

TEST_F(Workspace, RenameRelationEditsSchemaAndAddsRenamedFrom) {
  auto Edits = Index.rename(R, at(R, "employee(_"), "staff");
  ASSERT_TRUE(bool(Edits)) << llvm::toString(Edits.takeError());
  EXPECT_EQ(Edits->count(M1), 0u); // history is never edited
  EXPECT_EQ(Edits->count(M2), 0u);
  EXPECT_EQ(apply(P, (*Edits)[P]).substr(0, 39), "relation staff renamed_from employee {\n");
  std::string Rules2 = apply(R, (*Edits)[R]);
  EXPECT_NE(Rules2.find("<- staff(_, N, S)"), std::string::npos);
  EXPECT_NE(Rules2.find("<- staff{name: N"), std::string::npos);
  EXPECT_EQ(Rules2.find("employee"), std::string::npos);
}

TEST_F(Workspace, RenameColumnEditsNamedAtomsAndIndexes) {
  auto Edits = Index.rename(P, at(P, "salary"), "pay_rate");
  ASSERT_TRUE(bool(Edits)) << llvm::toString(Edits.takeError());
  EXPECT_NE(apply(P, (*Edits)[P]).find("  pay_rate: float renamed_from salary\n"),
            std::string::npos)
      << apply(P, (*Edits)[P]);
  EXPECT_NE(apply(R, (*Edits)[R]).find("employee{name: N, pay_rate: S}"), std::string::npos);

  Edits = Index.rename(R, at(R, "vec) hnsw"), "embedding_v");
  ASSERT_TRUE(bool(Edits)) << llvm::toString(Edits.takeError());
  std::string Rules2 = apply(R, (*Edits)[R]);
  EXPECT_NE(Rules2.find("on docs(embedding_v)"), std::string::npos) << Rules2;
  EXPECT_NE(Rules2.find("embedding_v: vector(3) renamed_from vec"), std::string::npos);
}

TEST_F(Workspace, RenameDerivedEditsHeadsAndIndexEditsSearches) {
  auto Edits = Index.rename(R, at(R, "senior(_, S)"), "elder");
  ASSERT_TRUE(bool(Edits)) << llvm::toString(Edits.takeError());
  std::string Rules2 = apply(R, (*Edits)[R]);
  EXPECT_EQ(Rules2.substr(0, 69),
            "derived elder renamed_from senior(name: string, pay: float) {\n  elder");
  EXPECT_NE(Rules2.find("rich(sum<S>) <- elder(_, S)"), std::string::npos) << Rules2;
  EXPECT_EQ(Rules2.find("senior(", 40), std::string::npos); // only in renamed_from

  Edits = Index.rename(R, at(R, "emb on"), "doc_vectors");
  ASSERT_TRUE(bool(Edits)) << llvm::toString(Edits.takeError());
  Rules2 = apply(R, (*Edits)[R]);
  EXPECT_NE(Rules2.find("index doc_vectors on docs(vec)"), std::string::npos) << Rules2;
  EXPECT_NE(Rules2.find("hnsw_nearest(\"doc_vectors\", "), std::string::npos) << Rules2;
  EXPECT_EQ(refusal(Index.rename(R, at(R, "emb on"), "Bad")).substr(0, 13), "[InvalidName]");
}

TEST_F(Workspace, RenameKeepsOrUpdatesAnExistingRenamedFrom) {
  // The history has `employee` and not `staff`: the annotation still
  // names what the history knows, and stays.
  add(P, "relation staff renamed_from employee(id: int, wage: float renamed_from salary)\n");
  auto Edits = Index.rename(P, at(P, "staff"), "crew");
  ASSERT_TRUE(bool(Edits)) << llvm::toString(Edits.takeError());
  EXPECT_EQ(apply(P, (*Edits)[P]),
            "relation crew renamed_from employee(id: int, wage: float renamed_from salary)\n");
  // `dept.name` is created by the history (a rename): a stale annotation
  // is replaced by the name the history reaches.
  add(P, "relation dept(id: int, name: string renamed_from title)\n");
  Edits = Index.rename(P, at(P, "name"), "label");
  ASSERT_TRUE(bool(Edits)) << llvm::toString(Edits.takeError());
  EXPECT_EQ(apply(P, (*Edits)[P]), "relation dept(id: int, label: string renamed_from name)\n");
}

TEST_F(Workspace, RenameVariableStaysInClause) {
  auto Edits = Index.rename(R, at(R, "S > 100"), "Pay");
  ASSERT_TRUE(bool(Edits)) << llvm::toString(Edits.takeError());
  EXPECT_EQ(apply(R, (*Edits)[R]).substr(0, 140),
            std::string(Rules)
                .replace(at(R, "senior(N, S) <-", 0, 10), 1, "Pay")
                .replace(at(R, "employee(_, N, S)", 0, 15) + 2, 1, "Pay")
                .replace(at(R, "S > 100") + 4, 1, "Pay")
                .substr(0, 140));
  EXPECT_EQ(Edits->size(), 1u);
  EXPECT_EQ((*Edits)[R].size(), 3u);
}

TEST_F(Workspace, RenameRefusals) {
  EXPECT_EQ(refusal(Index.rename(P, at(P, "employee"), "Staff")).substr(0, 13), "[InvalidName]");
  EXPECT_EQ(refusal(Index.rename(P, at(P, "employee"), "count")).substr(0, 18),
            "[ReservedWordName]");
  EXPECT_EQ(refusal(Index.rename(P, at(P, "employee"), "strata_x")).substr(0, 11), "[OwnedName]");
  EXPECT_EQ(refusal(Index.rename(P, at(P, "employee"), "dept")),
            "[OpNameExists] cannot rename relation `employee` to `dept`: `dept` already exists "
            "as a relation");
  EXPECT_EQ(refusal(Index.rename(P, at(P, "employee"), "senior")),
            "[OpNameExists] cannot rename relation `employee` to `senior`: `senior` already "
            "exists as a derived relation");
  EXPECT_EQ(refusal(Index.rename(P, at(P, "salary"), "name")),
            "[OpNameExists] cannot rename column `employee.salary` to `name`: `name` already "
            "exists as a column of `employee`");
  EXPECT_EQ(refusal(Index.rename(P, at(P, "salary"), "Bad-name")).substr(0, 13), "[InvalidName]");
  EXPECT_EQ(refusal(Index.rename(R, at(R, "S > 100"), "N")),
            "[OpNameExists] cannot rename variable `S` to `N`: `N` already exists as a variable "
            "of this clause");
  EXPECT_EQ(refusal(Index.rename(R, at(R, "S > 100"), "lower")),
            "[RenameRefused] cannot rename variable `S` to `lower`: a variable starts with an "
            "uppercase letter or `_` and goes on with letters, digits and `_`");
  EXPECT_EQ(refusal(Index.rename(R, at(R, "len("), "size")),
            "[RenameRefused] cannot rename function `len`: it is built into the server");
  EXPECT_EQ(refusal(Index.rename(M2, at(M2, "0001_init"), "x")),
            "[RenameRefused] cannot rename migration `0001_init`: migrations are history, never "
            "edited");
  EXPECT_EQ(refusal(Index.rename(M2, at(M2, "level"), "grade")),
            "[RenameRefused] cannot rename column `employee.level`: no schema file declares it, "
            "and migrations are history, never edited");
  EXPECT_EQ(refusal(Index.rename(M2, at(M2, "N, S) <-"), "Name")),
            "[RenameRefused] cannot rename variable `N`: migrations are history, never edited");
  EXPECT_EQ(refusal(Index.rename(P, 0, "x")),
            "[RenameRefused] cannot rename here: no relation, column, index or variable is under "
            "the cursor");
  // Non-ASCII names are not names of the language.
  EXPECT_EQ(refusal(Index.rename(P, at(P, "employee"), "emplo\xc3\xa9")).substr(0, 13),
            "[InvalidName]");
}

TEST_F(Workspace, RenameFromMigrationEditsOnlySchema) {
  auto Edits = Index.rename(M1, at(M1, "dept"), "department");
  ASSERT_TRUE(bool(Edits)) << llvm::toString(Edits.takeError());
  EXPECT_EQ(Edits->count(M1), 0u);
  EXPECT_EQ(Edits->count(M2), 0u);
  EXPECT_EQ(apply(P, (*Edits)[P]).find("relation department renamed_from dept(id"),
            std::string(People).find("relation dept("));
  EXPECT_NE(apply(R, (*Edits)[R]).find("!department(_, N)"), std::string::npos);
  // The same name is no edit at all.
  auto Same = Index.rename(P, at(P, "dept"), "dept");
  ASSERT_TRUE(bool(Same));
  EXPECT_TRUE(Same->empty());
}

//===-- completion ------------------------------------------------------------===//

TEST_F(Workspace, CompletionRelationsInAtomPosition) {
  add("t.strata", "derived x(a: int) {\n  x(A) <- em\n}\n");
  Texts["t.strata"] = "derived x(a: int) {\n  x(A) <- em\n}\n";
  size_t Off = at("t.strata", "<- em", 0, 5);
  Completion C = Index.completion("t.strata", Off);
  EXPECT_EQ(labels(C), (std::vector<std::string>{"employee"}));
  EXPECT_EQ(C.ReplaceBegin, Off - 2);
  EXPECT_EQ(C.ReplaceEnd, Off);
  EXPECT_EQ(C.Items[0].Kind, CompletionKind::Relation);
  EXPECT_EQ(C.Items[0].Detail, "relation employee(id: int, name: string, salary: float)");
  // After a comma and after `!`: every relation, derived ones too.
  add("t.strata", "derived x(a: int) {\n  x(A) <- dept(A, _), !\n}\n");
  C = Index.completion("t.strata", at("t.strata", "!", 0, 1));
  EXPECT_TRUE(hasLabel(C, "senior"));
  EXPECT_TRUE(hasLabel(C, "dept"));
  EXPECT_FALSE(hasLabel(C, "len"));
}

TEST_F(Workspace, CompletionColumnsOfNamedAtom) {
  add("t.strata", "derived x(a: string) {\n  x(A) <- employee{name: A, }\n}\n");
  Completion C = Index.completion("t.strata", at("t.strata", ", }", 0, 2));
  EXPECT_EQ(labels(C), (std::vector<std::string>{"id", "salary"})); // not `name`
  EXPECT_EQ(C.Items[1].Detail, "float");
  EXPECT_EQ(C.Items[1].Kind, CompletionKind::Column);
  // With a prefix, right after the brace.
  add("t.strata", "derived x(a: string) {\n  x(A) <- employee{sa}\n}\n");
  C = Index.completion("t.strata", at("t.strata", "sa}", 0, 2));
  EXPECT_EQ(labels(C), (std::vector<std::string>{"salary"}));
  // An unknown relation has no columns to offer.
  add("t.strata", "derived x(a: string) {\n  x(A) <- nothing{}\n}\n");
  EXPECT_TRUE(Index.completion("t.strata", at("t.strata", "{}", 0, 1)).Items.empty());
}

TEST_F(Workspace, CompletionExpressionsAndHeads) {
  add("t.strata", "derived x(a: int) {\n  x(A) <- dept(A, T), T = \n}\n");
  Completion C = Index.completion("t.strata", at("t.strata", "T = ", 0, 4));
  EXPECT_TRUE(hasLabel(C, "A"));
  EXPECT_TRUE(hasLabel(C, "T"));
  EXPECT_TRUE(hasLabel(C, "len"));
  EXPECT_FALSE(hasLabel(C, "sum")); // aggregates are for heads
  for (const CompletionItem &I : C.Items) {
    if (I.Label == "cosine") {
      EXPECT_EQ(I.Detail, "cosine(vector, vector) -> float");
    }
  }
  // A head argument: aggregates too.
  add("t.strata", "derived x(a: int) {\n  x(co) <- dept(A, T)\n}\n");
  C = Index.completion("t.strata", at("t.strata", "co)", 0, 2));
  EXPECT_TRUE(hasLabel(C, "count"));
  EXPECT_TRUE(hasLabel(C, "count_distinct"));
  EXPECT_TRUE(hasLabel(C, "cosine"));
  // An atom's arguments: variables and functions.
  add("t.strata", "derived x(a: int) {\n  x(A) <- dept(A, \n}\n");
  C = Index.completion("t.strata", at("t.strata", "A, ", 0, 3));
  EXPECT_TRUE(hasLabel(C, "A"));
  // Where a clause starts: derived relations.
  add("t.strata", "derived x(a: int) {\n  x(A) <- dept(A, _)\n  \n}\n");
  C = Index.completion("t.strata", at("t.strata", "_)\n", 0, 5));
  EXPECT_TRUE(hasLabel(C, "x"));
  EXPECT_FALSE(hasLabel(C, "employee"));
}

TEST_F(Workspace, CompletionKeywordsFromTheGrammar) {
  add("t.strata", "relation a(x: int)\nre");
  Completion C = Index.completion("t.strata", Texts["t.strata"].size());
  EXPECT_EQ(labels(C), (std::vector<std::string>{"relation", "renamed_from"}));
  // Every keyword of a schema file, when nothing is typed; the grammar's.
  add("t.strata", "");
  C = Index.completion("t.strata", 0);
  EXPECT_EQ(labels(C), (std::vector<std::string>{"derived", "hnsw", "index", "on", "relation",
                                                 "renamed_from"}));
  EXPECT_EQ(softKeywords().front(), "relation");
  EXPECT_EQ(softKeywords().back(), "columns");
  // Inside a migration's braces.
  add("m.mig", "migration 0003_x {\n  cr\n}\n");
  C = Index.completion("m.mig", 23);
  EXPECT_EQ(labels(C), (std::vector<std::string>{"create"}));
}

TEST_F(Workspace, CompletionKeywordsOfTheFileKind) {
  // `depends` and `derived` start with `de`: a migration holds only the
  // first, a schema file only the second.
  add("m.mig", "migration 0003_x {\n  de\n}\n");
  Completion C = Index.completion("m.mig", at("m.mig", "de", 0, 2));
  EXPECT_EQ(labels(C), (std::vector<std::string>{"depends"}));
  add("t.strata", "relation a(x: int)\nde");
  C = Index.completion("t.strata", Texts["t.strata"].size());
  EXPECT_EQ(labels(C), (std::vector<std::string>{"derived"}));
  // The words of each kind, as the parser matches them (not as names).
  llvm::ArrayRef<std::string> Schema = softKeywords(ast::FileKind::Schema);
  llvm::ArrayRef<std::string> Migration = softKeywords(ast::FileKind::Migration);
  auto Has = [](llvm::ArrayRef<std::string> Words, llvm::StringRef W) {
    return llvm::is_contained(Words, W.str());
  };
  for (llvm::StringRef W : {"relation", "derived", "index", "on", "hnsw", "renamed_from"})
    EXPECT_TRUE(Has(Schema, W)) << W.str();
  for (llvm::StringRef W : {"depends", "replaces", "migration", "create", "retype", "forward"})
    EXPECT_FALSE(Has(Schema, W)) << W.str();
  for (llvm::StringRef W : {"migration", "depends", "replaces", "create", "relation", "index",
                            "hnsw", "rule", "was", "run", "iql", "backward", "using", "columns"})
    EXPECT_TRUE(Has(Migration, W)) << W.str();
  EXPECT_FALSE(Has(Migration, "derived"));
  // Every keyword is valid in one kind of file or the other.
  for (const std::string &W : softKeywords())
    EXPECT_TRUE(Has(Schema, W) || Has(Migration, W)) << W;
}

TEST_F(Workspace, CompletionNothingInStringsCommentsAndColumnLists) {
  add("t.strata", "// rel\nrelation a(x: int) \"s\"\n");
  EXPECT_TRUE(Index.completion("t.strata", 6).Items.empty());
  EXPECT_TRUE(Index.completion("t.strata", at("t.strata", "s\"")).Items.empty());
  EXPECT_TRUE(Index.completion("t.strata", at("t.strata", "x:")).Items.empty());
  EXPECT_TRUE(Index.completion("missing", 3).Items.empty());
}

//===-- broken files, updates, non-ASCII -------------------------------------===//

TEST_F(Workspace, BrokenFilesAnswerWhatTheyCan) {
  // The first item has a syntax error and is left out; the second is indexed.
  add("b.strata", "relation broken(x: ) ]]\nrelation fine(y: int)\nderived d(a: int) {\n  d(A) <- "
                  "fine(A), ((\n}\n");
  EXPECT_FALSE(Index.symbolAt("b.strata", at("b.strata", "broken")));
  auto S = Index.symbolAt("b.strata", at("b.strata", "fine"));
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Sym.Name, "fine");
  // Every query on every offset answers without crashing.
  const std::string &T = Texts["b.strata"];
  for (size_t Off = 0; Off <= T.size() + 1; ++Off) {
    Index.symbolAt("b.strata", Off);
    Index.definition("b.strata", Off);
    Index.references("b.strata", Off, true);
    Index.hover("b.strata", Off);
    llvm::consumeError(Index.rename("b.strata", Off, "z").takeError());
    Index.completion("b.strata", Off);
  }
  // And on a garbled migration.
  add("bad.mig", "migration 0009 { add column .: -> create rule ( { } drop");
  for (size_t Off = 0; Off <= Texts["bad.mig"].size(); ++Off) {
    Index.hover("bad.mig", Off);
    Index.completion("bad.mig", Off);
  }
}

TEST_F(Workspace, UpdateReplacesOnlyThatFile) {
  size_t Before = refs(P, at(P, "employee")).size();
  add(R, "derived only(a: int) {\n  only(A) <- employee(A, _, _)\n}\n");
  EXPECT_EQ(refs(P, at(P, "employee")).size(), Before - 1);
  EXPECT_FALSE(Index.symbolAt(R, at(R, "only")) == std::nullopt);
  Index.remove(R);
  EXPECT_EQ(refs(P, at(P, "employee")).size(), Before - 2);
  EXPECT_EQ(Index.files(), (std::vector<std::string>{M1, M2, P}));
  EXPECT_EQ(Index.text(R), std::nullopt);
  EXPECT_EQ(Index.text(P), std::optional<llvm::StringRef>(Texts[P]));
}

TEST_F(Workspace, UpdateTakesParsedFileAndSourceMgr) {
  llvm::SourceMgr SM;
  std::string Text = "relation zed(a: int)\n";
  unsigned ID =
      SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(Text, "z.strata"), llvm::SMLoc());
  DiagnosticEngine Diags(SM);
  Index.update("z.strata", parseBuffer(ID, ast::FileKind::Schema, Diags), SM);
  auto S = Index.symbolAt("z.strata", 9);
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Sym.Name, "zed");
  EXPECT_EQ(S->Occ.Loc.Begin, 9u);
}

TEST_F(Workspace, OffsetsAreBytesAfterNonAscii) {
  // Names are ASCII; strings and comments may hold anything, and offsets
  // count bytes.
  std::string T = "// caf\xc3\xa9 \xe2\x82\xac\nderived d(a: string) {\n  d(A) <- dept(_, A), A = "
                  "\"Z\xc3\xbcrich\", len(A) > 1\n}\n";
  add("u.strata", T);
  size_t Off = T.find("len(A)") + 4;
  auto S = Index.symbolAt("u.strata", Off);
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Sym.Kind, SymbolKind::Variable);
  EXPECT_EQ(S->Occ.Loc.Begin, Off);
  EXPECT_EQ(refs("u.strata", Off).size(), 4u);
  // A non-ASCII letter in a name is a syntax error: the item is left out.
  add("v.strata", "relation caf\xc3\xa9(a: int)\nrelation ok(a: int)\n");
  EXPECT_TRUE(Index.symbolAt("v.strata", at("v.strata", "ok")));
}

TEST_F(Workspace, TheExampleProjectIndexesCleanly) {
  std::string Root = std::string(STRATA_SOURCE_DIR) + "/examples/hr/";
  SymbolIndex Hr;
  for (const char *F : {"schema/people.strata", "schema/org.strata", "schema/departments.strata",
                        "migrations/0001_initial.mig"}) {
    auto Buf = llvm::MemoryBuffer::getFile(Root + F);
    ASSERT_TRUE(bool(Buf)) << F;
    Hr.updateText(F, (*Buf)->getBuffer());
  }
  // `department` is declared once, used by rules and created by 0001.
  std::string Dep = "schema/departments.strata";
  auto Buf = llvm::MemoryBuffer::getFile(Root + Dep);
  size_t Off = (*Buf)->getBuffer().find("relation department") + 9;
  auto Defs = Hr.definition(Dep, Off);
  EXPECT_EQ(Defs.size(), 2u);
  EXPECT_GE(Hr.references(Dep, Off, true).size(), 6u);
}

//===-- scale -----------------------------------------------------------------===//

/// Not run by default: measures building the index of a large schema
/// (`--gtest_also_run_disabled_tests --gtest_filter='*Scale*'`). No timing
/// is asserted.
TEST(SymbolIndexScale, DISABLED_TenThousandRelations) {
  std::string Rels, Ders;
  for (int I = 0; I < 10000; ++I)
    Rels += "relation r" + std::to_string(I) + "(id: int, name: string, score: float)\n";
  for (int I = 0; I < 10000; ++I) {
    std::string N = std::to_string(I), Next = std::to_string((I + 1) % 10000);
    Ders += "derived d" + N + "(id: int, name: string) {\n  d" + N + "(X, Y) <- r" + N +
            "(X, Y, S), S > 1.0\n  d" + N + "(X, Y) <- r" + Next + "{id: X, name: Y}\n}\n";
  }
  using Clock = std::chrono::steady_clock;
  auto Ms = [](Clock::time_point A) {
    return std::chrono::duration<double, std::milli>(Clock::now() - A).count();
  };
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  auto T0 = Clock::now();
  unsigned A = SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(Rels, "r.strata"), {});
  unsigned B = SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(Ders, "d.strata"), {});
  ast::SourceFile FA = parseBuffer(A, ast::FileKind::Schema, Diags);
  ast::SourceFile FB = parseBuffer(B, ast::FileKind::Schema, Diags);
  double Parse = Ms(T0);
  SymbolIndex Big;
  auto T1 = Clock::now();
  Big.update("r.strata", std::move(FA), SM);
  Big.update("d.strata", std::move(FB), SM);
  double Build = Ms(T1);
  auto T2 = Clock::now();
  size_t Refs = Big.references("r.strata", 9, true).size();
  double Query = Ms(T2);
  auto T3 = Clock::now();
  Big.updateText("r.strata", Rels);
  double Update = Ms(T3);
  auto T4 = Clock::now();
  size_t Items = Big.completion("d.strata", Ders.find("<- r") + 3).Items.size();
  double Complete = Ms(T4);
  auto T5 = Clock::now();
  bool Hovered = Big.hover("d.strata", Ders.find("S > 1.0")).has_value();
  double HoverMs = Ms(T5);
  std::printf("parse %.1f ms, index %.1f ms, references %.2f ms (%zu), re-parse and update "
              "one file %.1f ms, completion %.1f ms (%zu items), hover %.2f ms\n",
              Parse, Build, Query, Refs, Update, Complete, Items, HoverMs);
  EXPECT_EQ(Items, 20000u);
  EXPECT_TRUE(Hovered);

  // Hover on an operation replays the history before it.
  std::string Mig = "migration 0001_all {\n";
  for (int I = 0; I < 10000; ++I)
    Mig += "  create relation r" + std::to_string(I) + "(id: int, name: string, score: float)\n";
  Big.updateText("m/0001_all.mig", Mig + "}\n");
  std::string Add = "migration 0002_add {\n  add column r5.level: int = 1\n}\n";
  Big.updateText("m/0002_add.mig", Add);
  auto T6 = Clock::now();
  std::optional<Hover> H = Big.hover("m/0002_add.mig", Add.find("add column") + 1);
  std::printf("hover on an operation after 10000 others %.1f ms\n", Ms(T6));
  ASSERT_TRUE(H);
  EXPECT_NE(H->Markdown.find("staging relation"), std::string::npos);
  EXPECT_EQ(Refs, 3u);
}

} // namespace
