//===- AutodetectTest.cpp - Autodetector properties -----------------------===//
//
// The central property: for random schema pairs A, B, replaying
// autodetect(A -> B) on A gives exactly B, and so does replaying the
// operations parsed back from the text the writer produces.
//
//===----------------------------------------------------------------------===//
#include "strata/Migrate/Autodetect.h"
#include "strata/Migrate/Squash.h"
#include "strata/Migrate/Writer.h"
#include "strata/Parse/Parser.h"
#include "strata/Sema/Sema.h"
#include "strata/Support/FileDigests.h"
#include "strata/Support/SourceFiles.h"
#include <gtest/gtest.h>
#include <random>

using namespace strata;

namespace {

struct Analyzed {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};
  std::vector<ast::SourceFile> Files;
  std::optional<SchemaState> State;
  SchemaHints Hints;

  explicit Analyzed(const std::string &Text) {
    if (std::optional<unsigned> ID = addSourceText(Text, "schema.strata", Diags))
      Files.push_back(parseBuffer(*ID, ast::FileKind::Schema, Diags));
    Hints = collectHints(Files);
    State = analyzeSchema(Files, Diags);
  }
};

std::string dump(const SchemaState &S) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  S.dump(OS);
  return OS.str();
}

// ---- A small schema model, printed as schema text ------------------------

struct Col {
  std::string Name, Type;
};
struct Rel {
  std::string Name;
  std::vector<Col> Cols;
};
struct Rule {
  std::string Name;
  std::string Source;       // relation read
  size_t Column;            // which column of Source the head takes
  bool Named;               // named-argument atom
  int Threshold;            // -1: no comparison
  std::string Partner = ""; // a rule of the same type this one also reads
                            // (mutual recursion when it reads this one)
};
struct Index {
  std::string Name, Rel, Col;
  int M;
};
struct Model {
  std::vector<Rel> Rels;
  std::vector<Rule> Rules;
  std::vector<Index> Indexes;
  const Rel *rel(const std::string &N) const {
    for (const Rel &R : Rels)
      if (R.Name == N)
        return &R;
    return nullptr;
  }
};

std::string fillFor(const std::string &Type) {
  if (Type == "int")
    return "0";
  if (Type == "float")
    return "0.0";
  if (Type == "string")
    return "\"\"";
  return "[]";
}

std::string print(const Model &M) {
  std::string S;
  for (const Rel &R : M.Rels) {
    S += "relation " + R.Name + "(";
    for (size_t I = 0; I < R.Cols.size(); ++I)
      S += (I ? ", " : "") + R.Cols[I].Name + ": " + R.Cols[I].Type + " = " +
           fillFor(R.Cols[I].Type);
    S += ")\n";
  }
  for (const Rule &U : M.Rules) {
    const Rel *R = M.rel(U.Source);
    const Col &C = R->Cols[U.Column];
    S += "derived " + U.Name + "(v: " + C.Type + ") {\n  " + U.Name + "(X) <- ";
    if (U.Named) {
      S += R->Name + "{" + C.Name + ": X}";
    } else {
      S += R->Name + "(";
      for (size_t I = 0; I < R->Cols.size(); ++I)
        S += std::string(I ? ", " : "") + (I == U.Column ? "X" : "_");
      S += ")";
    }
    if (U.Threshold >= 0 && C.Type == "int")
      S += ", X > " + std::to_string(U.Threshold);
    if (!U.Partner.empty())
      S += "\n  " + U.Name + "(X) <- " + U.Partner + "(X)";
    S += "\n}\n";
  }
  for (const Index &I : M.Indexes)
    S += "index " + I.Name + " on " + I.Rel + "(" + I.Col + ") hnsw(m: " + std::to_string(I.M) +
         ")\n";
  return S;
}

class Gen {
public:
  explicit Gen(unsigned Seed) : R(Seed) {}
  unsigned pick(unsigned N) { return std::uniform_int_distribution<unsigned>(0, N - 1)(R); }
  bool chance(unsigned Percent) { return pick(100) < Percent; }
  std::string type() {
    static const char *Types[] = {"int", "string", "float", "vector"};
    return Types[pick(4)];
  }

  Model random() {
    Model M;
    unsigned N = 1 + pick(4);
    for (unsigned I = 0; I < N; ++I)
      M.Rels.push_back(randomRel("r" + std::to_string(I)));
    unsigned K = pick(4);
    for (unsigned I = 0; I < K; ++I)
      M.Rules.push_back(randomRule(M, "d" + std::to_string(I)));
    if (chance(30))
      addPair(M, "m" + std::to_string(Counter++), "");
    ensureRecognised(M);
    fixIndexes(M, pick(3));
    return M;
  }

  /// The server needs one column that is not a vector in each relation:
  /// one is added (retyping a vector would need a --cast answer).
  void ensureRecognised(Model &M) {
    for (Rel &X : M.Rels) {
      bool Ok = false;
      for (const Col &C : X.Cols)
        Ok |= C.Type != "vector";
      if (!Ok)
        X.Cols.push_back({"c" + std::to_string(Counter++), "int"});
    }
  }

  Model mutate(Model M) {
    unsigned Steps = 1 + pick(4);
    for (unsigned S = 0; S < Steps; ++S) {
      switch (pick(11)) {
      case 0: // new relation
        M.Rels.push_back(randomRel("n" + std::to_string(Counter++)));
        break;
      case 1: // drop relation
        if (M.Rels.size() > 1)
          M.Rels.erase(M.Rels.begin() + pick(M.Rels.size()));
        break;
      case 2: { // add column
        Rel &X = M.Rels[pick(M.Rels.size())];
        Col C{"c" + std::to_string(Counter++), type()};
        X.Cols.insert(X.Cols.begin() + pick(X.Cols.size() + 1), C);
        break;
      }
      case 3: { // drop column
        Rel &X = M.Rels[pick(M.Rels.size())];
        if (X.Cols.size() > 1)
          X.Cols.erase(X.Cols.begin() + pick(X.Cols.size()));
        break;
      }
      case 4: { // retype column, between types the server converts
        // (a vector's retype needs a --cast answer: retype-casts.test)
        Rel &X = M.Rels[pick(M.Rels.size())];
        Col &C = X.Cols[pick(X.Cols.size())];
        static const char *Convertible[] = {"int", "string", "float"};
        if (C.Type != "vector")
          C.Type = Convertible[pick(3)];
        break;
      }
      case 5: // new rule
        M.Rules.push_back(randomRule(M, "e" + std::to_string(Counter++)));
        break;
      case 6: // drop rule
        if (!M.Rules.empty())
          M.Rules.erase(M.Rules.begin() + pick(M.Rules.size()));
        break;
      case 7: // change a rule's threshold
        if (!M.Rules.empty())
          M.Rules[pick(M.Rules.size())].Threshold = int(pick(50));
        break;
      case 8: // index parameters
        for (Index &I : M.Indexes)
          if (chance(50))
            I.M = 2 + int(pick(60));
        break;
      case 9: // a new pair of mutually recursive rules
        addPair(M, "m" + std::to_string(Counter++), "");
        break;
      case 10: // a new rule and an existing one become mutually recursive
        if (!M.Rules.empty()) {
          Rule &U = M.Rules[pick(M.Rules.size())];
          if (U.Partner.empty())
            addPair(M, "p" + std::to_string(Counter++), U.Name);
        }
        break;
      }
    }
    ensureRecognised(M);
    // Rules and indexes must still resolve.
    std::vector<Rule> Rules;
    for (Rule U : M.Rules) {
      const Rel *X = M.rel(U.Source);
      if (!X)
        continue;
      if (U.Column >= X->Cols.size())
        U.Column = X->Cols.size() - 1;
      Rules.push_back(U);
    }
    // Partners read the same column, so they keep the same type; one whose
    // partner went away reads it no more.
    for (Rule &U : Rules) {
      bool Found = false;
      for (const Rule &V : Rules)
        Found |= V.Name == U.Partner;
      if (!Found)
        U.Partner.clear();
    }
    M.Rules = Rules;
    fixIndexes(M, chance(30) ? 1 : 0);
    return M;
  }

private:
  Rel randomRel(const std::string &Name) {
    Rel X{Name, {}};
    unsigned N = 1 + pick(4);
    for (unsigned I = 0; I < N; ++I)
      X.Cols.push_back({"c" + std::to_string(Counter++), type()});
    return X;
  }
  Rule randomRule(const Model &M, const std::string &Name) {
    const Rel &X = M.Rels[pick(M.Rels.size())];
    return Rule{Name, X.Name, pick(X.Cols.size()), chance(30), chance(50) ? int(pick(50)) : -1};
  }
  /// Adds rule Name reading what Existing reads (or a new random rule when
  /// Existing is empty, then Name reading it), each reading the other.
  void addPair(Model &M, const std::string &Name, std::string Existing) {
    if (Existing.empty()) {
      Existing = Name + "b";
      M.Rules.push_back(randomRule(M, Existing));
    }
    for (size_t I = 0; I < M.Rules.size(); ++I)
      if (M.Rules[I].Name == Existing) {
        Rule U = M.Rules[I];
        U.Name = Name;
        U.Partner = Existing;
        U.Threshold = chance(50) ? int(pick(50)) : -1;
        M.Rules[I].Partner = Name;
        M.Rules.push_back(U);
        return;
      }
  }
  void fixIndexes(Model &M, unsigned Add) {
    std::vector<Index> Kept;
    for (const Index &I : M.Indexes) {
      const Rel *X = M.rel(I.Rel);
      bool Ok = false;
      if (X)
        for (const Col &C : X->Cols)
          Ok |= C.Name == I.Col && C.Type == "vector";
      if (Ok)
        Kept.push_back(I);
    }
    M.Indexes = Kept;
    for (unsigned A = 0; A < Add; ++A)
      for (const Rel &X : M.Rels)
        for (const Col &C : X.Cols)
          if (C.Type == "vector" && chance(50)) {
            M.Indexes.push_back({"i" + std::to_string(Counter++), X.Name, C.Name, 16});
            A = Add;
            goto Next;
          }
  Next:;
  }

  std::mt19937 R;
  unsigned Counter = 100;
};

/// Applies Ops to a copy of From; nullopt (with the reason in Why) when one
/// does not apply.
std::optional<SchemaState> replay(SchemaState State, llvm::ArrayRef<OperationPtr> Ops,
                                  std::string &Why) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  for (const OperationPtr &Op : Ops)
    if (!Op->apply(State, Diags)) {
      Why = Op->str() + ": " +
            (Diags.diagnostics().empty() ? "" : Diags.diagnostics().back().Message);
      return std::nullopt;
    }
  return State;
}

std::vector<OperationPtr> parseBack(const std::string &Text, std::string &Why) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::vector<OperationPtr> Out;
  std::optional<unsigned> ID = addSourceText(Text, "m.mig", Diags);
  ast::SourceFile F = parseBuffer(*ID, ast::FileKind::Migration, Diags);
  for (const ast::Item &I : F.Items)
    if (const auto *M = std::get_if<ast::MigrationDecl>(&I))
      for (const ast::Operation &Op : M->Operations)
        if (OperationPtr P = buildOperation(Op, Diags))
          Out.push_back(P);
  if (Diags.hasErrors())
    Why = Diags.diagnostics().front().Message;
  // The clauses of built operations refer to nothing in SM once built.
  static std::vector<std::unique_ptr<llvm::SourceMgr>> Keep;
  return Out;
}

TEST(AutodetectProperty, ReplayGivesTarget) {
  unsigned Checked = 0, Recursive = 0;
  for (unsigned Seed = 1; Seed <= 300; ++Seed) {
    Gen G(Seed);
    Model MA = G.random();
    Model MB = G.mutate(MA);
    std::string TA = print(MA), TB = print(MB);
    bool Pairs = false;
    for (const Model *M : {&MA, &MB})
      for (const Rule &U : M->Rules)
        Pairs |= !U.Partner.empty();
    Recursive += Pairs;
    Analyzed A(TA), B(TB);
    ASSERT_TRUE(A.State && !A.Diags.hasErrors()) << TA;
    ASSERT_TRUE(B.State && !B.Diags.hasErrors()) << TB;

    llvm::SourceMgr SM;
    DiagnosticEngine Diags(SM);
    AutodetectResult R = autodetect(*A.State, *B.State, B.Hints, {}, Diags);
    ASSERT_TRUE(R.Ok) << TA << "---\n" << TB;

    std::string Why;
    std::optional<SchemaState> Got = replay(*A.State, R.Operations, Why);
    ASSERT_TRUE(Got) << "seed " << Seed << ": " << Why << "\n" << TA << "---\n" << TB;
    EXPECT_TRUE(*Got == *B.State) << "seed " << Seed << "\n"
                                  << TA << "---\n"
                                  << TB << "--- got\n"
                                  << dump(*Got) << "--- want\n"
                                  << dump(*B.State);

    // The same through the writer's text.
    MigrationSpec Spec{"0002_x", {"0001_initial"}, {}, R.Operations};
    llvm::SourceMgr WSM;
    DiagnosticEngine WDiags(WSM);
    std::optional<std::string> Text = renderMigration(Spec, WDiags);
    ASSERT_TRUE(Text) << renderMigrationRaw(Spec);
    std::string ParseWhy;
    std::vector<OperationPtr> Parsed = parseBack(*Text, ParseWhy);
    ASSERT_TRUE(ParseWhy.empty()) << ParseWhy << "\n" << *Text;
    ASSERT_EQ(Parsed.size(), R.Operations.size()) << *Text;
    std::optional<SchemaState> Got2 = replay(*A.State, Parsed, Why);
    ASSERT_TRUE(Got2) << "seed " << Seed << ": " << Why << "\n" << *Text;
    EXPECT_TRUE(*Got2 == *B.State) << "seed " << Seed << "\n" << *Text;

    // No changes the other way round once applied; the inverse of the
    // whole run, applied backward, gives A again.
    std::vector<OperationPtr> Back;
    for (auto It = R.Operations.rbegin(); It != R.Operations.rend(); ++It)
      if (OperationPtr Inv = (*It)->inverse())
        Back.push_back(Inv);
    if (Back.size() == R.Operations.size()) {
      std::optional<SchemaState> Undone = replay(*Got, Back, Why);
      ASSERT_TRUE(Undone) << "seed " << Seed << ": " << Why;
      EXPECT_TRUE(*Undone == *A.State) << "seed " << Seed;
    }
    ++Checked;
  }
  EXPECT_EQ(Checked, 300u);
  // Mutually recursive rule groups are created, extended, bounced and
  // dropped in a good share of the pairs.
  EXPECT_GT(Recursive, 60u);
}

// makemigrations answers "no changes" from equal fingerprints without
// reading the states back: equal fingerprints must mean no operations and
// no diagnostic, and the state a written migration replays to must have the
// fingerprint of the schema it was written from (else the shortcut would
// never apply after a migration is written).
TEST(AutodetectProperty, FingerprintsDecideNoChange) {
  unsigned EqualWhenNoOps = 0, NoOps = 0;
  for (unsigned Seed = 1; Seed <= 300; ++Seed) {
    Gen G(Seed);
    Model MA = G.random();
    Model MB = G.mutate(MA);
    Analyzed A(print(MA)), B(print(MB)), B2(print(MB));
    ASSERT_TRUE(A.State && B.State && B2.State);
    std::string FA = schemaFingerprint(*A.State), FB = schemaFingerprint(*B.State);
    EXPECT_EQ(FA.size(), 32u);
    EXPECT_EQ(FB, schemaFingerprint(*B2.State)) << "seed " << Seed;

    llvm::SourceMgr SM;
    DiagnosticEngine Diags(SM);
    AutodetectResult R = autodetect(*A.State, *B.State, B.Hints, {}, Diags);
    ASSERT_TRUE(R.Ok);
    if (FA == FB) {
      EXPECT_TRUE(R.Operations.empty()) << "seed " << Seed;
    }
    if (R.Operations.empty()) {
      ++NoOps;
      EqualWhenNoOps += FA == FB;
    }

    // Equal states, whatever the hints say: nothing to do, nothing said.
    DiagnosticEngine Same(SM);
    AutodetectResult Equal = autodetect(*B2.State, *B.State, B.Hints, {}, Same);
    EXPECT_TRUE(Equal.Operations.empty());
    EXPECT_TRUE(Equal.Renames.empty()) << "seed " << Seed; // what --format json lists
    EXPECT_EQ(Same.size(), 0u) << "seed " << Seed;

    // The history's state after the written migration.
    MigrationSpec Spec{"0002_x", {"0001_initial"}, {}, R.Operations};
    llvm::SourceMgr WSM;
    DiagnosticEngine WDiags(WSM);
    std::optional<std::string> Text = renderMigration(Spec, WDiags);
    ASSERT_TRUE(Text);
    std::string Why;
    std::vector<OperationPtr> Parsed = parseBack(*Text, Why);
    std::optional<SchemaState> Replayed = replay(*A.State, Parsed, Why);
    ASSERT_TRUE(Replayed) << Why;
    EXPECT_EQ(schemaFingerprint(*Replayed), FB) << "seed " << Seed << "\n" << *Text;
  }
  EXPECT_EQ(EqualWhenNoOps, NoOps);
}

// Variable names, clause order and layout are not part of the fingerprint;
// a column type, a clause or an index parameter is.
TEST(Autodetect, FingerprintFollowsMeaning) {
  auto Fp = [](const std::string &Text) {
    Analyzed A(Text);
    EXPECT_TRUE(A.State) << Text;
    return A.State ? schemaFingerprint(*A.State) : "";
  };
  std::string Rel = "relation e(a: int, b: int, v: vector(4))\n";
  std::string Base =
      Fp(Rel + "derived p(x: int) {\n  p(X) <- e(X, Y, _), Y > 1\n  p(Q) <- e(_, Q, _)\n}\n");
  EXPECT_EQ(
      Base,
      Fp(Rel + "derived p(x: int) {\n  p(A) <- e(_, A, _)\n  p(Z) <- e(Z,W, _),   W > 1\n}\n"));
  EXPECT_NE(
      Base,
      Fp(Rel + "derived p(x: int) {\n  p(X) <- e(X, Y, _), Y > 2\n  p(Q) <- e(_, Q, _)\n}\n"));
  EXPECT_NE(Base, Fp(Rel + "derived p(x: int) {\n  p(X) <- e(X, Y, _), Y > 1\n}\n"));
  EXPECT_NE(Base,
            Fp("relation e(a: int, b: float, v: vector(4))\n"
               "derived p(x: int) {\n  p(X) <- e(X, Y, _), Y > 1\n  p(Q) <- e(_, Q, _)\n}\n"));
  // A body atom's arguments are part of the meaning: which column a
  // variable reads, and a constant's value.
  std::string Reads = Fp(Rel + "derived q(x: int) {\n  q(X) <- e(X, _, _)\n}\n");
  EXPECT_NE(Reads, Fp(Rel + "derived q(x: int) {\n  q(X) <- e(_, X, _)\n}\n"));
  EXPECT_NE(Fp(Rel + "derived q(x: int) {\n  q(X) <- e(X, 1, _)\n}\n"),
            Fp(Rel + "derived q(x: int) {\n  q(X) <- e(X, 2, _)\n}\n"));
  std::string Idx = Rel + "index i on e(v) hnsw(m: 16)\n";
  EXPECT_EQ(Fp(Idx), Fp(Rel + "index i on e(v) hnsw\n"));
  EXPECT_NE(Fp(Idx), Fp(Rel + "index i on e(v) hnsw(m: 8)\n"));
}

TEST(AutodetectProperty, Deterministic) {
  for (unsigned Seed = 1; Seed <= 50; ++Seed) {
    Gen G(Seed);
    Model MA = G.random();
    Model MB = G.mutate(MA);
    Analyzed A(print(MA)), B(print(MB));
    std::string First;
    for (int Run = 0; Run < 2; ++Run) {
      llvm::SourceMgr SM;
      DiagnosticEngine Diags(SM);
      AutodetectResult R = autodetect(*A.State, *B.State, B.Hints, {}, Diags);
      std::string Raw = renderMigrationRaw({"0002_x", {}, {}, R.Operations});
      if (Run == 0)
        First = Raw;
      else
        EXPECT_EQ(First, Raw);
    }
  }
}

TEST(Autodetect, CanonicalClausesIgnoreVariableNamesAndOrder) {
  Analyzed A("relation e(a: int, b: int)\n"
             "derived p(x: int) {\n  p(X) <- e(X, Y), Y > 1\n  p(Q) <- e(_, Q)\n}\n");
  Analyzed B("relation e(a: int, b: int)\n"
             "derived p(x: int) {\n  p(A) <- e(_, A)\n  p(Z) <- e(Z,W),   W > 1\n}\n");
  ASSERT_TRUE(A.State && B.State);
  EXPECT_EQ(canonicalClauses(A.State->derivedRelation("p")->Clauses),
            canonicalClauses(B.State->derivedRelation("p")->Clauses));
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  EXPECT_TRUE(autodetect(*A.State, *B.State, B.Hints, {}, Diags).Operations.empty());
}

// The in-order walk that settles unchanged rules without printing them must
// map variables one to one: renaming all of them is no change, swapping two
// or merging two is.
TEST(Autodetect, ClauseWalkMapsVariablesOneToOne) {
  auto Ops = [](const std::string &OldHead, const std::string &NewHead) {
    std::string Rel = "relation e(a: int, b: int)\n";
    Analyzed A(Rel + "derived p(x: int, y: int) {\n  " + OldHead + " <- e(X, Y)\n}\n");
    Analyzed B(Rel + "derived p(x: int, y: int) {\n  " + NewHead + "\n}\n");
    EXPECT_TRUE(A.State && B.State);
    llvm::SourceMgr SM;
    DiagnosticEngine Diags(SM);
    return autodetect(*A.State, *B.State, B.Hints, {}, Diags).Operations.size();
  };
  EXPECT_EQ(Ops("p(X, Y)", "p(A, B) <- e(A, B)"), 0u);
  EXPECT_EQ(Ops("p(X, Y)", "p(Y, X) <- e(X, Y)"), 1u);
  EXPECT_EQ(Ops("p(X, Y)", "p(X, X) <- e(X, X)"), 1u);
  EXPECT_EQ(Ops("p(X, Y)", "p(X, Y) <- e(Y, X)"), 1u);
}

TEST(Autodetect, NameSimilarityAndNames) {
  EXPECT_DOUBLE_EQ(nameSimilarity("dept", "dept"), 1.0);
  EXPECT_GT(nameSimilarity("dept", "department"), 0.3);
  EXPECT_EQ(migrationNumber(7), "0007");
  EXPECT_TRUE(isValidMigrationName("add_x"));
  EXPECT_FALSE(isValidMigrationName("../x"));
  EXPECT_FALSE(isValidMigrationName(std::string(51, 'a')));
}

TEST(Squash, CancellingPairs) {
  ColumnList Cols;
  Cols.Columns.push_back({"a", Type::intTy(), {}});
  std::vector<OperationPtr> Ops = {
      std::make_shared<CreateRelation>("t", Cols), std::make_shared<RenameRelation>("u", "v"),
      std::make_shared<RenameRelation>("v", "w"),  std::make_shared<DropRelation>("t", Cols),
      std::make_shared<RenameRelation>("x", "y"),  std::make_shared<RenameRelation>("y", "x"),
  };
  std::vector<OperationPtr> Out = squashOperations(Ops);
  ASSERT_EQ(Out.size(), 1u);
  EXPECT_EQ(Out[0]->describe(), RenameRelation("u", "w").describe());
}

TEST(Squash, ReordersFoldAndCancel) {
  using Names = std::vector<std::string>;
  // Two reorders of `p` in a row fold into one from the first order to the
  // last; a reorder undone by the next goes away with it. An operation on
  // `q` between them does not stop the fold; one on `p` does.
  std::vector<OperationPtr> Ops = {
      std::make_shared<ReorderColumns>("p", Names{"a", "b", "c"}, Names{"b", "a", "c"}),
      std::make_shared<RenameRelation>("q", "r"),
      std::make_shared<ReorderColumns>("p", Names{"b", "a", "c"}, Names{"c", "b", "a"}),
      std::make_shared<ReorderColumns>("s", Names{"x", "y"}, Names{"y", "x"}),
      std::make_shared<ReorderColumns>("s", Names{"y", "x"}, Names{"x", "y"}),
      std::make_shared<RenameColumn>("p", "a", "z"),
      std::make_shared<ReorderColumns>("p", Names{"c", "b", "z"}, Names{"z", "b", "c"}),
  };
  std::vector<OperationPtr> Out = squashOperations(Ops);
  ASSERT_EQ(Out.size(), 4u);
  std::string Text;
  for (const OperationPtr &Op : Out)
    Text += Op->str() + "\n";
  EXPECT_EQ(Text, "reorder columns p(a, b, c) -> (c, b, a)\n"
                  "rename relation q -> r\n"
                  "rename column p.a -> z\n"
                  "reorder columns p(c, b, z) -> (z, b, c)\n");
}

} // namespace

// The fingerprints of many random schemas, pinned: the build cache keeps
// fingerprints across runs and binaries, so a faster encoder must give
// every schema the fingerprint it had (a changed one would cost every
// project's next run a full comparison, silently).
TEST(AutodetectProperty, FingerprintsArePinned) {
  std::string All;
  for (unsigned Seed = 1; Seed <= 60; ++Seed) {
    Gen G(Seed);
    Model M = G.random();
    Analyzed A(print(M));
    ASSERT_TRUE(A.State);
    All += schemaFingerprint(*A.State);
  }
  EXPECT_EQ(sha256Hex(All), "f36b2f23f565a5717c70e4e0b97f0bc8415b48ea4008286c483dcd88c340119b");
}
