//===- OperationKindsTest.cpp - Every stage handles every operation kind --===//
//
// Walks strata/AST/Operations.def. For each kind, a sample operation must
// parse to that kind, dump, format, serialize and read back, build, print
// and re-parse, apply, invert, lower and say what it touches. A kind added
// to the .def without a sample here, or that one of those stages forgets,
// fails this test (the stages generated from the .def fail to compile or
// link instead).
//
//===----------------------------------------------------------------------===//
#include "strata/AST/ASTDumper.h"
#include "strata/CodeGen/Lowering.h"
#include "strata/Format/Formatter.h"
#include "strata/IQL/Parser.h"
#include "strata/IQL/Printer.h"
#include "strata/Migrate/Autodetect.h"
#include "strata/Migrate/Operation.h"
#include "strata/Parse/Parser.h"
#include "strata/Serialize/Serialize.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <map>

using namespace strata;

namespace {

struct KindRow {
  Operation::Kind K;
  const char *Id;
  llvm::StringRef Name, Keyword;
  char Marker;
  unsigned Tag;
};

const KindRow Kinds[] = {
#define OPERATION(K, Name, Keyword, Marker, Tag)                                                   \
  {Operation::Kind::K, #K, Name, Keyword, Marker, Tag},
#include "strata/AST/Operations.def"
};

/// The state every sample applies to.
const char *const Base = R"(
  create relation employee(id: int, name: string, salary: int, note: string)
  create relation tmp(id: int)
  create relation doc(id: int, emb: vector(3))
  create rule senior(name: string) {
    senior(N) <- employee{name: N, salary: S}, S > 100000
  }
  create index doc_search on doc(emb) hnsw(metric: l2))";

/// One operation of each kind, by the kind's identifier in the .def.
const std::map<std::string, const char *> Samples = {
    {"CreateRelation", "create relation dept(id: int, name: string)"},
    {"DropRelation", "drop relation tmp(id: int)"},
    {"RenameRelation", "rename relation tmp -> scratch"},
    {"AddColumn", "add column employee.level: int = 1 after name"},
    {"DropColumn", "drop column employee.note: string = \"\""},
    {"RenameColumn", "rename column employee.note -> remark"},
    {"RetypeColumn",
     "retype column employee.id: int -> float using X => to_float(X) reverse X => to_int(X)"},
    {"ReorderColumns",
     "reorder columns employee(id, name, salary, note) -> (name, id, note, salary)"},
    {"CreateRule", "create rule rich(name: string) {\n"
                   "    rich(N) <- employee{name: N, salary: S}, S > 500000\n  }"},
    {"DropRule", "drop rule senior(name: string) {\n"
                 "    senior(N) <- employee{name: N, salary: S}, S > 100000\n  }"},
    {"ReplaceRule", "replace rule senior {\n"
                    "    senior(N) <- employee{name: N, salary: S}, S > 1\n  } was {\n"
                    "    senior(N) <- employee{name: N, salary: S}, S > 100000\n  }"},
    {"RenameRule", "rename rule senior -> veteran"},
    {"CreateIndex", "create index doc_fast on doc(emb) hnsw(metric: cosine, m: 8)"},
    {"DropIndex", "drop index doc_search on doc(emb) hnsw(metric: l2)"},
    {"AlterIndex", "alter index doc_search hnsw(m: 32) was hnsw(metric: l2)"},
    {"RunIql", "run iql {\n    forward { +tmp[(1,)] }\n    backward { -tmp(1) }\n  }"},
};

/// Operations whose lowering exercises every spelling of an expression the
/// lowering print style must keep: arithmetic and its parentheses, unary
/// minus, number spellings, lists, escaped strings, calls, aggregates with
/// word arguments and orders, negated atoms, casts and fills.
const char *const ExpressionSamples[] = {
    "create rule calc(id: int, t: int, u: int, w: int) {\n"
    "    calc(I, T, U, W) <- employee{id: I, salary: S}, T = ((S + 15) * -2) - (S / 4), "
    "U = 0 - (S - (1 - S)), W = (S)\n  }",
    "create rule near(id: int) {\n"
    "    near(I) <- doc{id: I, emb: E}, D = cosine(E, [1.0, 0.50, 2e0]), D > 0.25\n  }",
    "create rule total(note: string, t: int, n: int) {\n"
    "    total(D, sum<S>, count<I>) <- employee{id: I, note: D, salary: S}, S > -3, "
    "!senior(D), D != \"a\\\"b<-c\\\\\"\n  }",
    "create rule best(name: string, score: int) {\n"
    "    best(top_k<3, N, S:desc>) <- employee{name: N, salary: S}\n  }",
    "add column employee.tags: list[string] = [\"x\", \"y\\n\"] after note",
    "add column employee.score: float = -1.50 after note",
    "retype column employee.salary: int -> float using X => to_float(X) * 1.5 "
    "reverse X => to_int(X / 1.5)",
};

class OperationKindsTest : public ::testing::Test {
protected:
  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};

  std::string messages() {
    std::string S;
    for (const Diagnostic &D : Diags.diagnostics())
      S += D.Message + "\n";
    return S;
  }

  /// Registers a migration whose body is Body and returns its buffer.
  unsigned addMigration(const std::string &Body) {
    std::string Text = "migration 0001_t {\n  " + Body + "\n}\n";
    std::optional<unsigned> ID = addSourceText(Text, "t.mig", Diags);
    EXPECT_TRUE(ID);
    return ID.value_or(0);
  }

  std::vector<OperationPtr> build(const ast::SourceFile &F) {
    std::vector<OperationPtr> Out;
    for (const ast::Item &I : F.Items)
      if (auto *M = std::get_if<ast::MigrationDecl>(&I))
        for (const ast::Operation &Op : M->Operations)
          if (OperationPtr P = buildOperation(Op, Diags))
            Out.push_back(P);
    return Out;
  }

  SchemaState base() {
    SchemaState S;
    unsigned ID = addMigration(Base);
    for (const OperationPtr &Op : build(parseBuffer(ID, ast::FileKind::Migration, Diags)))
      EXPECT_TRUE(Op->apply(S, Diags)) << messages();
    return S;
  }

  /// The one operation of F, checked to be of Row's kind.
  const ast::Operation *parsedOperation(const ast::SourceFile &F, const KindRow &Row) {
    const auto *M = F.Items.size() == 1 ? std::get_if<ast::MigrationDecl>(&F.Items[0]) : nullptr;
    if (!M || M->Operations.size() != 1) {
      ADD_FAILURE() << "the sample is not one operation";
      return nullptr;
    }
    EXPECT_EQ(M->Operations[0].Body.index(), Row.Tag) << "parsed as another kind";
    return &M->Operations[0];
  }

  void checkDumpAndFormat(unsigned ID, const ast::SourceFile &F, const KindRow &Row) {
    std::string Dump;
    llvm::raw_string_ostream OS(Dump);
    ast::dumpAST(F, SM, OS);
    EXPECT_NE(OS.str().find(std::string(Row.Id)), std::string::npos) << Dump;
    std::optional<std::string> Formatted =
        format::formatBuffer(ID, ast::FileKind::Migration, Diags);
    ASSERT_TRUE(Formatted) << messages();
    EXPECT_NE(Formatted->find(("\n  " + Row.Keyword + " ").str()), std::string::npos) << *Formatted;
  }

  void checkSerialized(unsigned ID, const ast::SourceFile &F, const KindRow &Row) {
    llvm::StringRef Buffer = SM.getMemoryBuffer(ID)->getBuffer();
    serialize::LocationEncoder Enc;
    Enc.addFile(Buffer);
    serialize::BinaryWriter W;
    serialize::writeItem(F.Items[0], Enc, W);
    std::string Bytes = W.take();
    serialize::LocationDecoder Dec;
    Dec.setFile(0, Buffer);
    serialize::BinaryReader R(Bytes);
    ast::SourceFile Back;
    ASSERT_TRUE(serialize::readItem(R, Dec, Back.Items.emplace_back()));
    EXPECT_TRUE(R.atEnd());
    ast::SourceFile Original;
    Original.Items.push_back(F.Items[0]);
    EXPECT_EQ(format::normalizedDump(Back, SM), format::normalizedDump(Original, SM));
    parsedOperation(Back, Row);
  }

  /// Every statement Op lowers to (both directions) is a typed tree that
  /// lib/IQL prints as the statement's text, and that text parses back to
  /// the same tree; so does the canonical print. `run iql` statements keep
  /// the author's text and the parse made of it when lowered.
  void checkLoweredTrees(const Operation &Op, const LoweredOperation &L) {
    bool Raw = Op.kind() == Operation::Kind::RunIql;
    for (const auto *Stream : {&L.Forward, &L.Backward})
      for (const IqlStatement &St : *Stream) {
        SCOPED_TRACE(St.Text);
        ASSERT_TRUE(St.Tree) << St.ParseError;
        EXPECT_EQ(St.Purpose == StepPurpose::Raw, Raw);
        if (!Raw) {
          EXPECT_EQ(iql::printStatement(*St.Tree, iql::PrintStyle::Lowering), St.Text);
        }
        for (const std::string &Text :
             {St.Text, iql::printStatement(*St.Tree, iql::PrintStyle::Canonical)}) {
          llvm::Expected<iql::Statement> Back = iql::parseStatement(Text);
          ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError()) << "\n" << Text;
          EXPECT_TRUE(iql::sameTree(*Back, *St.Tree)) << Text;
        }
      }
  }

  /// Lowers the one operation of Body against the base state.
  void checkLowersToTrees(const std::string &Body) {
    SCOPED_TRACE(Body);
    unsigned ID = addMigration(Body);
    std::vector<OperationPtr> Ops = build(parseBuffer(ID, ast::FileKind::Migration, Diags));
    ASSERT_EQ(Ops.size(), 1u) << messages();
    SchemaState Before = base();
    SchemaState After = Before;
    ASSERT_TRUE(Ops[0]->apply(After, Diags)) << messages();
    std::optional<LoweredOperation> L = lowerOperation(*Ops[0], Before, After, Diags);
    ASSERT_TRUE(L) << messages();
    checkLoweredTrees(*Ops[0], *L);
  }

  /// Build, print, re-parse, apply, invert, lower, and what it touches.
  void checkTyped(const ast::Operation &Parsed, const KindRow &Row) {
    OperationPtr Op = buildOperation(Parsed, Diags);
    ASSERT_TRUE(Op) << messages();
    EXPECT_EQ(Op->kind(), Row.K);
    EXPECT_TRUE(llvm::StringRef(Op->describe()).startswith(Row.Keyword)) << Op->describe();
    std::string Printed = Op->str();
    EXPECT_TRUE(llvm::StringRef(Printed).startswith(Row.Keyword)) << Printed;
    unsigned Again = addMigration(Printed);
    ast::SourceFile F = parseBuffer(Again, ast::FileKind::Migration, Diags);
    std::vector<OperationPtr> Reparsed = build(F);
    ASSERT_EQ(Reparsed.size(), 1u) << messages() << Printed;
    EXPECT_EQ(Reparsed[0]->str(), Printed);

    SchemaState Before = base();
    SchemaState After = Before;
    ASSERT_TRUE(Op->apply(After, Diags)) << messages();
    OperationPtr Inverse = Op->inverse();
    ASSERT_TRUE(Inverse) << "the sample should be reversible";
    SchemaState Undone = After;
    ASSERT_TRUE(Inverse->apply(Undone, Diags)) << messages();
    EXPECT_EQ(Undone, Before);

    std::optional<LoweredOperation> L = lowerOperation(*Op, Before, After, Diags);
    ASSERT_TRUE(L) << messages();
    EXPECT_FALSE(L->Forward.empty());
    EXPECT_TRUE(!L->Backward.empty() || L->Irreversible);
    checkLoweredTrees(*Op, *L);
    EXPECT_FALSE(touchedObjects(*Op).empty()) << "autodetect cannot order it";
  }
};

TEST_F(OperationKindsTest, TableIsConsistent) {
  ASSERT_EQ(std::size(Kinds), Operation::NumKinds);
  llvm::StringSet<> Names, Keywords;
  for (size_t I = 0; I < std::size(Kinds); ++I) {
    const KindRow &Row = Kinds[I];
    SCOPED_TRACE(Row.Id);
    EXPECT_EQ(Row.Tag, I) << "tags follow the order of the lines";
    EXPECT_EQ(size_t(Row.K), I);
    EXPECT_TRUE(Names.insert(Row.Name).second);
    EXPECT_TRUE(Keywords.insert(Row.Keyword).second);
    std::string Spaced = Row.Name.str();
    std::replace(Spaced.begin(), Spaced.end(), '_', ' ');
    EXPECT_EQ(Row.Keyword, Spaced) << "the name is the keyword with underscores";
    EXPECT_TRUE(Row.Marker == '+' || Row.Marker == '-' || Row.Marker == '~');
    EXPECT_EQ(Operation::kindName(Row.K), Row.Name);
    EXPECT_EQ(Operation::kindKeyword(Row.K), Row.Keyword);
    EXPECT_EQ(Operation::kindMarker(Row.K), Row.Marker);
  }
}

/// The generic stages (parse-tree conversion, dump, layout) pair each field
/// of fields() with its name in fieldNames().
template <typename Op> void checkFieldNames() {
  const Op O{};
  const std::vector<llvm::StringRef> &Names = ast::fieldNames<Op>();
  EXPECT_EQ(Names.size(), std::tuple_size_v<decltype(O.fields())>) << Op::FieldNames;
  for (llvm::StringRef Name : Names)
    EXPECT_FALSE(Name.empty() || Name.contains(' ')) << Op::FieldNames;
}
template <size_t... I> void checkEveryKindsFieldNames(std::index_sequence<I...>) {
  (checkFieldNames<std::variant_alternative_t<I, ast::OperationBody>>(), ...);
}

TEST_F(OperationKindsTest, FieldNamesMatchFields) {
  checkEveryKindsFieldNames(std::make_index_sequence<Operation::NumKinds>());
  for (size_t I = 0; I < std::size(Kinds); ++I) {
    EXPECT_EQ(ast::operationKindIdentifier(I), Kinds[I].Id);
    EXPECT_EQ(ast::operationKeyword(I), Kinds[I].Keyword);
  }
}

TEST_F(OperationKindsTest, EveryStageHandlesEveryKind) {
  for (const KindRow &Row : Kinds) {
    SCOPED_TRACE(Row.Id);
    auto Sample = Samples.find(Row.Id);
    if (Sample == Samples.end()) {
      ADD_FAILURE() << "no sample operation for " << Row.Id;
      continue;
    }
    unsigned ID = addMigration(Sample->second);
    ast::SourceFile F = parseBuffer(ID, ast::FileKind::Migration, Diags);
    ASSERT_FALSE(Diags.hasErrors()) << messages() << Sample->second;
    const ast::Operation *Parsed = parsedOperation(F, Row);
    ASSERT_TRUE(Parsed);
    checkDumpAndFormat(ID, F, Row);
    checkSerialized(ID, F, Row);
    checkTyped(*Parsed, Row);
    ASSERT_FALSE(Diags.hasErrors()) << messages();
  }
}

TEST_F(OperationKindsTest, LoweredExpressionsAreTreesThatReadBack) {
  for (const char *Body : ExpressionSamples)
    checkLowersToTrees(Body);
  ASSERT_FALSE(Diags.hasErrors()) << messages();
}

TEST_F(OperationKindsTest, ColumnChangeStepsSayWhatTheyDo) {
  unsigned ID = addMigration(Samples.at("AddColumn"));
  std::vector<OperationPtr> Ops = build(parseBuffer(ID, ast::FileKind::Migration, Diags));
  ASSERT_EQ(Ops.size(), 1u) << messages();
  SchemaState Before = base(), After = Before;
  ASSERT_TRUE(Ops[0]->apply(After, Diags)) << messages();
  std::optional<LoweredOperation> L = lowerOperation(*Ops[0], Before, After, Diags);
  ASSERT_TRUE(L) << messages();
  std::vector<std::string> Steps;
  for (const IqlStatement &St : L->Forward)
    Steps.push_back(stepPurposeName(St.Purpose).str());
  // `senior` reads employee: bounced around the staged move.
  EXPECT_EQ(Steps, (std::vector<std::string>{"drop-reader", "declare-stage", "move-to-stage",
                                             "drop-original", "redeclare", "move-back",
                                             "drop-stage", "recreate-reader"}));
}

TEST_F(OperationKindsTest, SamplesAreAllKinds) {
  // A sample for a kind the .def no longer lists is a stale test.
  for (const auto &Entry : Samples)
    EXPECT_TRUE(llvm::any_of(Kinds, [&](const KindRow &R) { return Entry.first == R.Id; }))
        << Entry.first;
}

} // namespace
