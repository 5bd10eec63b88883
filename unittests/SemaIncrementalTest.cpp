//===- SemaIncrementalTest.cpp - The incremental check is checkSchema -----===//
//
// A differential test: a generated schema of several files is edited at
// random, one file at a time (as an editor does: a keystroke, an item
// replaced, removed, duplicated or broken), and after every edit the
// incremental check must report exactly what a from-scratch checkSchema
// reports over the same trees: the same diagnostics (kind, severity,
// locations, message, notes, fix-its) in the same order.
//
//===----------------------------------------------------------------------===//
#include "strata/Parse/Parser.h"
#include "strata/Sema/IncrementalCheck.h"
#include "strata/Sema/Sema.h"
#include "strata/Support/SourceFiles.h"
#include <gtest/gtest.h>
#include <random>

using namespace strata;

namespace {
constexpr unsigned Relations = 40, Derived = 40, Files = 4;

std::string relation(unsigned I) {
  return "relation rel_" + std::to_string(I) + "(id: int, ref: int" +
         (I % 3 == 0 ? ", note: string" : "") + ")\n";
}

/// An atom reading relation I with variables From and To.
std::string readRelation(unsigned I, const char *From, const char *To) {
  if (I % 2)
    return "rel_" + std::to_string(I) + "{id: " + From + ", ref: " + To + "}";
  return "rel_" + std::to_string(I) + "(" + From + ", " + To + (I % 3 == 0 ? ", _)" : ")");
}

std::string derived(unsigned I, std::mt19937 &Rng) {
  std::string Name = "der_" + std::to_string(I);
  std::string S = "derived " + Name + "(a: int, b: int) {\n";
  auto Rel = [&] { return unsigned(Rng() % Relations); };
  S += "  " + Name + "(A, C) <- " + readRelation(Rel(), "A", "B") + ", " +
       readRelation(Rel(), "B", "C") + "\n";
  if (I > 0) {
    unsigned Other = Rng() % I; // an earlier one: no cycle to begin with
    S += "  " + Name + "(A, C) <- " + readRelation(Rel(), "A", "B") + ", der_" +
         std::to_string(Other) + "(B, C)" + (Rng() % 2 ? ", A > 3" : "") + "\n";
  }
  return S + "}\n";
}

const char *VectorItems[] = {
    "relation doc(id: int, v: vector(3))\n",
    "index doc_v on doc(v) hnsw(metric: l2)\n",
    "derived near(id: int, dist: float) {\n"
    "  near(Id, D) <- doc(1, Q), hnsw_nearest(\"doc_v\", Q, 5, Id, D)\n}\n",
};

/// Replacements that break or change an item in ways the checks notice:
/// a type, an arity, a rename or typo (maybe closing a cycle), a syntax
/// error, a negation, an index name, a head arity, a type mismatch, an
/// illegal name, a relation the server would not recognise.
const std::pair<const char *, const char *> Variants[] = {
    {"ref: int", "ref: string"},
    {"(id: int", "(id: int, more: int"},
    {"rel_", "rel_x"},
    {"der_", "der_1"},
    {"(", "(("},
    {", der_", ", !der_"},
    {"doc_v", "doc_w"},
    {"(A, C) <-", "(A) <-"},
    {"A > 3", "A > \"x\""},
    {"rel_", "Rel_"},
    {"(id: int, ref: int", "(id: vector(2), ref: vector(2)"},
};

std::string variant(const std::string &Item, std::mt19937 &Rng) {
  std::string S = Item;
  const auto &[From, To] = Variants[Rng() % std::size(Variants)];
  size_t At = S.find(From);
  if (At != std::string::npos)
    S.replace(At, llvm::StringRef(From).size(), To);
  return S;
}

/// The schema as files of item texts, edited at random.
struct Project {
  std::vector<std::vector<std::string>> Items, Original;
  std::mt19937 Rng;

  explicit Project(unsigned Seed) : Items(Files), Rng(Seed) {
    for (unsigned I = 0; I < Relations; ++I)
      Items[Rng() % Files].push_back(relation(I));
    for (unsigned I = 0; I < Derived; ++I)
      Items[Rng() % Files].push_back(derived(I, Rng));
    for (const char *V : VectorItems)
      Items[Rng() % Files].push_back(V);
    Original = Items;
  }
  std::string text(size_t F) const {
    std::string S;
    for (const std::string &I : Items[F])
      S += I + "\n";
    return S;
  }
  /// Edits one file and returns its index: an item changed (variant), a
  /// keystroke in it, the item removed, copied to the end of a file (a
  /// duplicate), or replaced by an item of the original schema (an undo).
  size_t edit() {
    size_t F = Rng() % Files;
    std::vector<std::string> &In = Items[F];
    if (In.empty()) {
      In.push_back(relation(Rng() % Relations));
      return F;
    }
    size_t I = Rng() % In.size(), G = Rng() % Files;
    unsigned Kind = Rng() % 5;
    if (Kind == 0)
      In[I] = variant(In[I], Rng);
    else if (Kind == 1)
      In[I].insert(Rng() % In[I].size(), 1, char('a' + Rng() % 26));
    else if (Kind == 2)
      In.erase(In.begin() + I);
    else if (Kind == 3)
      Items[F = G].push_back(In[I]);
    else if (!Original[G].empty())
      In[I] = Original[G][Rng() % Original[G].size()];
    return F;
  }
};

void expectSame(const Diagnostic &A, const Diagnostic &B, const std::string &Where) {
  EXPECT_EQ(A.Kind, B.Kind) << Where;
  EXPECT_EQ(A.Sev, B.Sev) << Where;
  EXPECT_EQ(A.Loc.getPointer(), B.Loc.getPointer()) << Where;
  EXPECT_EQ(A.File, B.File) << Where;
  EXPECT_EQ(A.Message, B.Message) << Where;
  ASSERT_EQ(A.Ranges.size(), B.Ranges.size()) << Where;
  for (size_t I = 0; I < A.Ranges.size(); ++I) {
    EXPECT_EQ(A.Ranges[I].Start.getPointer(), B.Ranges[I].Start.getPointer()) << Where;
    EXPECT_EQ(A.Ranges[I].End.getPointer(), B.Ranges[I].End.getPointer()) << Where;
  }
  ASSERT_EQ(A.FixIts.size(), B.FixIts.size()) << Where;
  for (size_t I = 0; I < A.FixIts.size(); ++I) {
    EXPECT_EQ(A.FixIts[I].Range.Start.getPointer(), B.FixIts[I].Range.Start.getPointer());
    EXPECT_EQ(A.FixIts[I].Replacement, B.FixIts[I].Replacement) << Where;
  }
  ASSERT_EQ(A.Notes.size(), B.Notes.size()) << Where;
  for (size_t I = 0; I < A.Notes.size(); ++I)
    expectSame(A.Notes[I], B.Notes[I], Where + " (note)");
}
} // namespace

TEST(SemaIncremental, ReportsWhatCheckSchemaReportsOverRandomEdits) {
  size_t Reused = 0, Reported = 0;
  for (unsigned Seed = 1; Seed <= 12; ++Seed) {
    Project P(Seed);
    llvm::SourceMgr SM; // every text ever parsed stays alive in it
    DiagnosticEngine ParseDiags(SM);
    std::vector<ast::SourceFile> Trees(Files);
    std::vector<uint64_t> Stamps(Files);
    uint64_t LastStamp = 0;
    auto Parse = [&](size_t F) {
      std::optional<unsigned> ID =
          addSourceText(P.text(F), "f" + std::to_string(F) + ".strata", ParseDiags);
      ASSERT_TRUE(ID);
      Trees[F] = parseBuffer(*ID, ast::FileKind::Schema, ParseDiags);
      Stamps[F] = ++LastStamp;
    };
    for (size_t F = 0; F < Files; ++F)
      Parse(F);
    SchemaChecker Checker;
    for (unsigned Step = 0; Step < 60; ++Step) {
      if (Step > 0)
        Parse(P.edit());
      std::string Where = "seed " + std::to_string(Seed) + ", step " + std::to_string(Step);
      DiagnosticEngine Fresh(SM), Incremental(SM);
      bool FreshOk = checkSchema(Trees, Fresh);
      EXPECT_EQ(Checker.check(Trees, Stamps, Incremental), FreshOk) << Where;
      ASSERT_EQ(Incremental.size(), Fresh.size()) << Where;
      for (size_t I = 0; I < Fresh.size(); ++I)
        expectSame(Incremental.diagnostics()[I], Fresh.diagnostics()[I], Where);
      Reused += Checker.lastCounts().Reused;
      Reported += Fresh.size();
    }
  }
  // The edits exercised both reuse and diagnostics.
  EXPECT_GT(Reused, 1000u);
  EXPECT_GT(Reported, 100u);
}

// Files that keep their stamps are taken as unchanged; a file moved to
// another place in the list keeps its findings.
TEST(SemaIncremental, ReusesTheRulesOfUnchangedFiles) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::string Rels = "relation edge(src: int, dst: int)\n";
  std::string Rules = "derived reach(src: int, dst: int) {\n"
                      "  reach(X, Y) <- edge(X, Y)\n"
                      "  reach(X, Z) <- reach(X, Y), edge(Y, Z)\n}\n"
                      "derived hop(src: int) {\n  hop(X) <- edge(X, _)\n}\n";
  std::vector<ast::SourceFile> Trees;
  for (const std::string &T : {Rels, Rules})
    Trees.push_back(
        parseBuffer(*addSourceText(T, "f.strata", Diags), ast::FileKind::Schema, Diags));
  SchemaChecker Checker;
  EXPECT_TRUE(Checker.check(Trees, {1, 2}, Diags));
  EXPECT_EQ(Checker.lastCounts().Checked, 2u);
  std::swap(Trees[0], Trees[1]);
  EXPECT_TRUE(Checker.check(Trees, {2, 1}, Diags));
  EXPECT_EQ(Checker.lastCounts().Reused, 2u);
  // edge loses a column: both rules read it and are checked again.
  Trees[1] = parseBuffer(*addSourceText("relation edge(src: int)\n", "f.strata", Diags),
                         ast::FileKind::Schema, Diags);
  EXPECT_FALSE(Checker.check(Trees, {2, 3}, Diags));
  EXPECT_EQ(Checker.lastCounts().Checked, 2u);
}
