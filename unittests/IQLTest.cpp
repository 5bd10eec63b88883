//===- IQLTest.cpp - lib/IQL: the parser, the server's vocabulary ----------===//
#include "strata/IQL/Builtins.h"
#include "strata/IQL/Lexer.h"
#include "strata/IQL/Limits.h"
#include "strata/IQL/Names.h"
#include "strata/IQL/Parser.h"
#include "strata/IQL/Printer.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <gtest/gtest.h>
#include <regex>

using namespace strata;
using namespace strata::iql;

namespace {
/// Parses Text as the file `stmt.iql` and renders the error as the driver
/// would print it, `[Kind]` tag included; empty when Text parses.
std::string renderedError(llvm::StringRef Text) {
  llvm::SourceMgr SM;
  SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(Text, "stmt.iql"), llvm::SMLoc());
  llvm::Expected<Statement> S = parseStatement(SM.getMemoryBuffer(1)->getBuffer());
  if (S)
    return "";
  Diagnostic D = takeDiagnostic(S.takeError(), DiagKind::IqlSyntax);
  DiagnosticEngine Diags(SM);
  Diags.report(D.Kind, D.Loc, D.Message);
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  renderDiagnostics(Diags, OS, RenderOptions());
  return OS.str();
}

std::string repeat(llvm::StringRef Piece, size_t Times) {
  std::string S;
  for (size_t I = 0; I < Times; ++I)
    S += Piece;
  return S;
}

std::string slice(const Statement &S, unsigned Begin, unsigned End) {
  return S.Text.substr(Begin, End - Begin);
}
} // namespace

TEST(IQLVocabulary, FunctionsAndAggregatesAreFoundInAnyCase) {
  ASSERT_NE(findFunction("TO_FLOAT"), nullptr);
  EXPECT_EQ(findFunction("to_float")->Id, FunctionId::ToFloat);
  EXPECT_EQ(functionInfo(FunctionId::Concat).Arity, 3u);
  EXPECT_EQ(findFunction("to_string"), nullptr); // not a server function
  ASSERT_NE(findAggregate("countdistinct"), nullptr);
  EXPECT_EQ(findAggregate("countdistinct")->Kind, AggregateKind::CountDistinct);
  EXPECT_TRUE(findAggregate("Count")->isCount());
  EXPECT_EQ(findAggregate("median"), nullptr);
}

TEST(IQLVocabulary, SignaturesGiveArityAndArgumentTypes) {
  const BuiltinFunction &Substr = functionInfo(FunctionId::Substr);
  ASSERT_EQ(Substr.params().size(), 3u);
  EXPECT_EQ(Substr.params()[0], ParamType::String);
  EXPECT_EQ(Substr.params()[2], ParamType::Int);
  EXPECT_EQ(paramTypeName(Substr.params()[0]), "string");
  EXPECT_TRUE(functionInfo(FunctionId::TimeNow).params().empty());
  EXPECT_EQ(functionInfo(FunctionId::LshMultiProbe).Arity, 4u);
  EXPECT_EQ(functionInfo(FunctionId::DequantizeScaled).params()[0], ParamType::Int8Vector);
}

TEST(IQLVocabulary, ValuesFitParameterTypes) {
  EXPECT_TRUE(valueFits(ParamType::Number, Value::integer(1)));
  EXPECT_TRUE(valueFits(ParamType::Number, Value::real(1.5)));
  EXPECT_FALSE(valueFits(ParamType::Int, Value::real(1.5)));
  EXPECT_FALSE(valueFits(ParamType::Timestamp, Value::string("1")));
  EXPECT_TRUE(valueFits(ParamType::Vector, Value::list({Value::real(1.0)})));
  EXPECT_TRUE(valueFits(ParamType::Sequence, Value::string("ab")));
  EXPECT_FALSE(valueFits(ParamType::Ordered, Value::boolean(true)));
  EXPECT_TRUE(valueFits(ParamType::Any, Value::boolean(true)));
  EXPECT_FALSE(valueFits(ParamType::Any, Value::null()));
}

TEST(IQLVocabulary, EveryTableEntryIsFoundByItsName) {
  for (const BuiltinFunction &F : allFunctions())
    EXPECT_EQ(findFunction(F.Name), &F) << F.Name;
  for (const BuiltinAggregate &A : allAggregates())
    EXPECT_EQ(findAggregate(A.Name), &A) << A.Name;
}

TEST(IQLNames, TheServerRule) {
  EXPECT_EQ(checkName("employee_2"), NameProblem::None);
  EXPECT_EQ(checkName(""), NameProblem::Empty);
  EXPECT_EQ(checkName("__x"), NameProblem::InternalPrefix);
  EXPECT_EQ(checkName("Employee"), NameProblem::BadStart);
  EXPECT_EQ(checkName("a-b"), NameProblem::BadCharacter);
  EXPECT_EQ(checkName(std::string(MaxNameBytes + 1, 'a')), NameProblem::TooLong);
  EXPECT_EQ(checkName(std::string(MaxNameBytes, 'a')), NameProblem::None);
  EXPECT_TRUE(isReservedWord("count_distinct"));
  EXPECT_TRUE(isReservedWord("vector"));
  EXPECT_FALSE(isReservedWord("employee"));
}

TEST(IQLParser, ResolvesBuiltinsWhileParsing) {
  llvm::Expected<Statement> S =
      parseStatement("+n(G, countdistinct<I>) <- p(G, I), Y = to_float(I)");
  ASSERT_TRUE(bool(S)) << llvm::toString(S.takeError());
  ASSERT_EQ(S->Rule.Head.Args.size(), 2u);
  const Expr &Agg = S->Rule.Head.Args[1];
  ASSERT_EQ(Agg.K, Expr::Kind::Aggregate);
  EXPECT_EQ(Agg.Aggregate->Id, AggregateId::CountDistinctAlias);
  const Literal &Cmp = S->Rule.Body[1];
  ASSERT_EQ(Cmp.Rhs.K, Expr::Kind::Call);
  ASSERT_NE(Cmp.Rhs.Function, nullptr);
  EXPECT_EQ(Cmp.Rhs.Function->Id, FunctionId::ToFloat);
}

TEST(IQLParser, UnknownFunctionIsLeftForTheEvaluator) {
  llvm::Expected<Statement> S = parseStatement("?p(X), Y = frobnicate(X)");
  ASSERT_TRUE(bool(S)) << llvm::toString(S.takeError());
  EXPECT_EQ(S->Body[1].Rhs.Function, nullptr);
}

TEST(IQLParser, ErrorsAreLocatedDiagnostics) {
  std::string Text = "+p(X) <- q(X), r(X, #)";
  llvm::Expected<Statement> S = parseStatement(Text);
  ASSERT_FALSE(bool(S));
  Diagnostic D = takeDiagnostic(S.takeError(), DiagKind::IqlSyntax);
  EXPECT_EQ(D.Kind, DiagKind::IqlSyntax);
  EXPECT_EQ(D.Message, "Unexpected character '#'");
  EXPECT_EQ(D.Loc.getPointer(), Text.data() + Text.find('#'));
  std::string Out = renderedError(Text);
  EXPECT_NE(Out.find("stmt.iql:1:21: error: Unexpected character '#' [IqlSyntax]"),
            std::string::npos)
      << Out;
}

TEST(IQLParser, UnknownMetaCommandsAreLocatedAtTheWord) {
  std::string Out = renderedError(".frobnicate now");
  EXPECT_NE(Out.find("stmt.iql:1:2: error: Unknown command: .frobnicate [IqlSyntax]"),
            std::string::npos)
      << Out;
  Out = renderedError(".kg   frob");
  EXPECT_NE(Out.find("stmt.iql:1:7: error: Unknown .kg command: frob [IqlSyntax]"),
            std::string::npos)
      << Out;
  Out = renderedError(".rule remove r");
  EXPECT_NE(Out.find("stmt.iql:1:7: error: Usage: .rule remove NAME INDEX [IqlSyntax]"),
            std::string::npos)
      << Out;
}

TEST(IQLParser, MetaCommandsAreMatchedToTheirForm) {
  auto CommandOf = [](llvm::StringRef Text) {
    llvm::Expected<Statement> S = parseStatement(Text);
    EXPECT_TRUE(bool(S)) << Text.str();
    return S ? S->Command : (llvm::consumeError(S.takeError()), MetaCommandId::None);
  };
  EXPECT_EQ(CommandOf(".kg"), MetaCommandId::KgCurrent);
  EXPECT_EQ(CommandOf(".kg use g"), MetaCommandId::KgUse);
  EXPECT_EQ(CommandOf(".rel"), MetaCommandId::RelList);
  EXPECT_EQ(CommandOf(".rel edge"), MetaCommandId::RelDescribe);
  EXPECT_EQ(CommandOf(".rule"), MetaCommandId::RuleListAll);
  EXPECT_EQ(CommandOf(".rule drop prefix tmp_"), MetaCommandId::RuleDropPrefix);
  EXPECT_EQ(CommandOf(".rule drop prefix"), MetaCommandId::RuleDrop); // the rule `prefix`
  EXPECT_EQ(CommandOf(".rule edit r 1 r(X) <- q(X)"), MetaCommandId::RuleEdit);
  EXPECT_EQ(CommandOf(".index create i on d(v) type hnsw"), MetaCommandId::IndexCreate);
  EXPECT_EQ(CommandOf(".session clear"), MetaCommandId::SessionClear);
  EXPECT_EQ(CommandOf(".load file.iql --replace"), MetaCommandId::Load);
  EXPECT_EQ(CommandOf("?p(X)"), MetaCommandId::None);
}

TEST(IQLParser, ServerOnlyMetaCommandsStayUnknown) {
  for (const ServerOnlyMetaCommand &C : serverOnlyMetaCommands()) {
    std::string Text = std::string(".") + C.Command + (*C.Sub ? " " : "") + C.Sub;
    for (llvm::StringRef Arg : llvm::split(C.Args, ' '))
      if (!Arg.empty() && Arg != "...")
        Text += " x";
    llvm::Expected<Statement> S = parseStatement(Text);
    EXPECT_FALSE(bool(S)) << Text;
    if (!S)
      llvm::consumeError(S.takeError());
  }
}

TEST(IQLParser, UnknownAggregateHasItsOwnKind) {
  llvm::Expected<Statement> S = parseStatement("+n(G, median<I>) <- p(G, I)");
  ASSERT_FALSE(bool(S));
  EXPECT_EQ(llvm::toString(S.takeError()), "Unknown aggregate 'median'");
  // Located at the aggregate's name.
  EXPECT_NE(renderedError("+n(G, median<I>) <- p(G, I)")
                .find("stmt.iql:1:7: error: Unknown aggregate 'median' [IqlUnknownAggregate]"),
            std::string::npos)
      << renderedError("+n(G, median<I>) <- p(G, I)");
}

TEST(IQLParser, MalformedLiteralsHaveTheirOwnKinds) {
  std::string Out = renderedError("?p(X), X = \"open");
  EXPECT_NE(Out.find("stmt.iql:1:12: error: Unterminated string literal [IqlUnterminatedString]"),
            std::string::npos)
      << Out;
  Out = renderedError("+p(99999999999999999999)");
  EXPECT_NE(Out.find("stmt.iql:1:4: error: Integer literal out of range: 99999999999999999999 "
                     "[IqlIntegerOutOfRange]"),
            std::string::npos)
      << Out;
  // 2^63 lexes (its negation is the least int64) but alone it is too large.
  Out = renderedError("+p(9223372036854775808)");
  EXPECT_NE(Out.find("1:4: error: Integer literal out of range: 9223372036854775808 "
                     "[IqlIntegerOutOfRange]"),
            std::string::npos)
      << Out;
  llvm::Expected<Statement> Least = parseStatement("+p(-9223372036854775808)");
  ASSERT_TRUE(bool(Least)) << llvm::toString(Least.takeError());
  EXPECT_EQ(Least->Rows[0][0].Constant.asInt(), INT64_MIN);
  // Anything else stays a plain syntax error.
  Out = renderedError("?p(X), X == 1");
  EXPECT_NE(Out.find("error: Use '=' for equality, not '==' [IqlSyntax]"), std::string::npos)
      << Out;
}

TEST(IQLParser, DeepNestingIsALocatedLimitNotAStackOverflow) {
  // Far deeper than the limit: the parser must stop at the limit, not recurse.
  std::string Deep = "?p(X), X = " + repeat("(", 100000) + "1" + repeat(")", 100000);
  std::string Out = renderedError(Deep);
  EXPECT_NE(Out.find("error: Expression nested too deeply [IqlLimitExceeded]"), std::string::npos)
      << Out.substr(0, 300);
  EXPECT_NE(Out.find("stmt.iql:1:"), std::string::npos);

  std::string Lists = "+p(" + repeat("[", 50000) + repeat("]", 50000) + ")";
  EXPECT_NE(renderedError(Lists).find("[IqlLimitExceeded]"), std::string::npos);
  std::string Negations = "?p(X), Y = " + repeat("-", 50000) + "X";
  EXPECT_NE(renderedError(Negations).find("[IqlLimitExceeded]"), std::string::npos);
  std::string Types =
      "+p(a: " + repeat("list[", MaxTypeDepth + 5) + "int" + repeat("]", MaxTypeDepth + 5) + ")";
  Out = renderedError(Types);
  EXPECT_NE(Out.find("error: Type nested too deeply [IqlLimitExceeded]"), std::string::npos) << Out;

  // Just inside the limits parses.
  std::string Fine = "?p(X), X = " + repeat("(", 50) + "1" + repeat(")", 50);
  EXPECT_EQ(renderedError(Fine), "");
}

TEST(IQLParser, LongStatementsAreALocatedLimit) {
  std::string Sum = "?p(X), Y = X" + repeat("+1", MaxOperators + 1);
  std::string Out = renderedError(Sum);
  EXPECT_NE(Out.find("error: Statement too long: more than " + std::to_string(MaxOperators) +
                     " arithmetic operators [IqlLimitExceeded]"),
            std::string::npos)
      << Out.substr(0, 300);
  // It points just past the operator over the limit.
  size_t Col = std::string("?p(X), Y = X").size() + 2 * (MaxOperators + 1);
  EXPECT_NE(Out.find("stmt.iql:1:" + std::to_string(Col) + ":"), std::string::npos)
      << Out.substr(0, 200);
  EXPECT_EQ(renderedError("?p(X), Y = X" + repeat("+1", MaxOperators)), "");

  std::string Body = "?p(X)" + repeat(", p(X)", MaxBodyLiterals);
  Out = renderedError(Body);
  EXPECT_NE(Out.find("error: Body too long: more than " + std::to_string(MaxBodyLiterals) +
                     " literals [IqlLimitExceeded]"),
            std::string::npos)
      << Out.substr(0, 300);
}

TEST(IQLLexer, TokensKnowTheirRanges) {
  std::vector<Token> T = lex("+p(\"a\\\"b\", -12) <- X");
  ASSERT_EQ(T.size(), 11u);
  EXPECT_TRUE(T[0].isPunct("+"));
  EXPECT_TRUE(T[1].is(TokenKind::Ident));
  EXPECT_EQ(T[3].K, TokenKind::String);
  EXPECT_EQ(T[3].Text, "a\"b");
  EXPECT_EQ(T[3].Pos, 3u);
  EXPECT_EQ(T[3].End, 9u);
  EXPECT_TRUE(T[5].isPunct("-"));
  EXPECT_EQ(T[6].Int, 12);
  EXPECT_EQ(T[6].Pos, 12u);
  EXPECT_EQ(T[6].End, 14u);
  EXPECT_TRUE(T[8].isPunct("<-"));
  EXPECT_EQ(T[9].K, TokenKind::Var);
  EXPECT_EQ(T[10].K, TokenKind::End);
  std::vector<Token> Bad = lex("p(#)");
  ASSERT_EQ(Bad.back().K, TokenKind::Error);
  EXPECT_EQ(Bad.back().Pos, 2u);
  EXPECT_EQ(Bad.back().ErrorKind, DiagKind::IqlSyntax);
  EXPECT_EQ(lex("\"x").back().ErrorKind, DiagKind::IqlUnterminatedString);
}

TEST(IQLParser, TreeNodesKnowTheirRanges) {
  llvm::Expected<Statement> S =
      parseStatement("  +top(G, count<I>) <- p(G, I, (I + 1)*2), !q( G ), I >= -X, G = f(\"s\")  ");
  ASSERT_TRUE(bool(S)) << llvm::toString(S.takeError());
  EXPECT_EQ(S->Text, "+top(G, count<I>) <- p(G, I, (I + 1)*2), !q( G ), I >= -X, G = f(\"s\")");
  const Atom &Head = S->Rule.Head;
  EXPECT_EQ(slice(*S, Head.Begin, Head.End), "top(G, count<I>)");
  EXPECT_EQ(slice(*S, Head.Args[1].Begin, Head.Args[1].End), "count<I>");
  EXPECT_EQ(slice(*S, Head.Args[1].Args[0].Begin, Head.Args[1].Args[0].End), "I");

  const std::vector<Literal> &Body = S->Rule.Body;
  ASSERT_EQ(Body.size(), 4u);
  EXPECT_EQ(slice(*S, Body[0].Begin, Body[0].End), "p(G, I, (I + 1)*2)");
  EXPECT_EQ(slice(*S, Body[0].A.Begin, Body[0].A.End), "p(G, I, (I + 1)*2)");
  const Expr &Product = Body[0].A.Args[2];
  EXPECT_EQ(slice(*S, Product.Begin, Product.End), "(I + 1)*2");
  EXPECT_EQ(slice(*S, Product.Args[0].Begin, Product.Args[0].End), "(I + 1)");
  EXPECT_EQ(slice(*S, Product.Args[0].Args[1].Begin, Product.Args[0].Args[1].End), "1");
  EXPECT_EQ(slice(*S, Body[1].Begin, Body[1].End), "!q( G )");
  EXPECT_EQ(slice(*S, Body[1].A.Begin, Body[1].A.End), "q( G )");
  EXPECT_EQ(slice(*S, Body[2].Begin, Body[2].End), "I >= -X");
  // `-X` reads as `0 - X`; the implied zero sits on the `-`.
  const Expr &Neg = Body[2].Rhs;
  EXPECT_EQ(slice(*S, Neg.Begin, Neg.End), "-X");
  EXPECT_EQ(slice(*S, Neg.Args[0].Begin, Neg.Args[0].End), "-");
  EXPECT_EQ(slice(*S, Neg.Args[1].Begin, Neg.Args[1].End), "X");
  EXPECT_EQ(slice(*S, Body[3].Rhs.Begin, Body[3].Rhs.End), "f(\"s\")");
  EXPECT_EQ(slice(*S, Body[3].Rhs.Args[0].Begin, Body[3].Rhs.Args[0].End), "\"s\"");

  llvm::Expected<Statement> Facts = parseStatement("+p[(1, [2, 3]), (-4.5,)]");
  ASSERT_TRUE(bool(Facts)) << llvm::toString(Facts.takeError());
  EXPECT_EQ(slice(*Facts, Facts->Rows[0][1].Begin, Facts->Rows[0][1].End), "[2, 3]");
  EXPECT_EQ(slice(*Facts, Facts->Rows[1][0].Begin, Facts->Rows[1][0].End), "-4.5");
}

namespace {
/// Parses Text, prints it canonically, parses that, and checks the two
/// trees agree. Returns the canonical text ("" when Text does not parse).
std::string roundTrip(llvm::StringRef Text, ParseOptions Options = {}) {
  llvm::Expected<Statement> First = parseStatement(Text, Options);
  if (!First) {
    llvm::consumeError(First.takeError());
    return "";
  }
  std::string Printed = printStatement(*First);
  llvm::Expected<Statement> Second = parseStatement(Printed, Options);
  if (!Second) {
    ADD_FAILURE() << "`" << Text.str() << "` printed as `" << Printed
                  << "`, which does not parse: " << llvm::toString(Second.takeError());
    return Printed;
  }
  EXPECT_TRUE(sameTree(*First, *Second))
      << "`" << Text.str() << "` printed as `" << Printed << "`, which parses differently";
  EXPECT_EQ(printStatement(*Second), Printed)
      << "printing is not stable for `" << Text.str() << "`";
  return Printed;
}

/// Every statement of every program file under Dir with extension Ext:
/// how many parse, after checking each one's round trip.
size_t roundTripPrograms(const std::string &Dir, llvm::StringRef Ext, size_t &Files) {
  size_t Accepted = 0;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC)) {
    if (llvm::sys::path::extension(It->path()) != Ext)
      continue;
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
        llvm::MemoryBuffer::getFile(It->path());
    if (!Buf)
      continue;
    ++Files;
    for (const SourceStatement &St : splitProgram((*Buf)->getBuffer())) {
      SCOPED_TRACE(It->path() + ":" + std::to_string(St.Line));
      if (!roundTrip(St.Text).empty())
        ++Accepted;
    }
  }
  return Accepted;
}
} // namespace

TEST(IQLPrinter, EveryStatementKindPrintsCanonically) {
  struct Case {
    const char *Input, *Printed;
  } Cases[] = {
      {".kg   use   g2", ".kg use g2"},
      {".index create v on doc(emb) metric l2 m 8", ".index create v on doc(emb) metric l2 m 8"},
      {"?p(X,Y) ,X>=Y+1,!q(Y).", "?p(X, Y), X >= Y+1, !q(Y)"},
      {"+emp(id:int,name:string,tags:list[{k: string, n:float}],v:vector(3),o:Other)",
       "+emp(id: int, name: string, tags: list[{ k: string, n: float }], v: vector(3), o: Other)"},
      {"+p(1, \"a\\tb\", [1,2.5], true, -3)", "+p(1, \"a\\tb\", [1, 2.5], true, -3)"},
      {"+p[(1,), (2, 3), ()]", "+p[(1), (2, 3), ()]"},
      {"+p[]", "+p[]"},
      {"-p(1)", "-p(1)"},
      {"-p[(1)]", "-p[(1)]"},
      {"-old_rule.", "-old_rule"},
      {"-p(X) <- p(X), X > 3", "-p(X) <- p(X), X > 3"},
      {"-a(X),+b(X, X*2) <- a(X)", "-a(X), +b(X, X*2) <- a(X)"},
      {"+top(G, count<I>, top_k<3, S, desc>) <- p(G, I, S)",
       "+top(G, count<I>, top_k<3, S, desc>) <- p(G, I, S)"},
      {"r(X) <- p(X, _), X = (1 - (2 - X)) * -(X % 2)", "r(X) <- p(X, _), X = (1-(2-X))*(0-X%2)"},
      {"fact(\"x\", 1.0e3)", "fact(\"x\", 1000.0)"},
      {"type Point: list[{x: float, y: float}]", "type Point: list[{ x: float, y: float }]"},
      // A query may not contain `<-`, even in a string, so the canonical
      // text escapes the `-`.
      {"?p(X), X = \"<\\-\"", "?p(X), X = \"<\\-\""},
  };
  for (const Case &C : Cases)
    EXPECT_EQ(roundTrip(C.Input), C.Printed) << C.Input;
  EXPECT_EQ(roundTrip("+p(null)", ParseOptions{true}), "+p(null)");
  EXPECT_EQ(roundTrip("+p(-1e999, 1e999, 0.1)"), "+p(-1e999, 1e999, 0.1)");
}

TEST(IQLPrinter, NegationsPrintTheWayThatNestsLeast) {
  // `-X` reads as `0-X`; printed back it must not nest deeper than it was
  // written, or a statement within Limits.h could print past it.
  EXPECT_EQ(roundTrip("?p(X), Y = -X*2"), "?p(X), Y = -X*2");
  EXPECT_EQ(roundTrip("?p(X), Y = -X"), "?p(X), Y = 0-X");
  EXPECT_EQ(roundTrip("?p(X), Y = X*-(5)"), "?p(X), Y = X*(0-5)");
  EXPECT_EQ(roundTrip("?p(X), Y = X - --X"), "?p(X), Y = X---X");
  EXPECT_EQ(roundTrip("?p(X), Y = 2*-(-3)"), "?p(X), Y = 2*--3");
  std::string Deep = "?p(X), Y = " + repeat("-", MaxExprDepth - 20) + "X*2";
  ASSERT_EQ(renderedError(Deep), "");
  EXPECT_NE(roundTrip(Deep), "");
  std::string Parens = "?p(X), Y = " + repeat("(0-", MaxExprDepth / 2 - 5) + "X" +
                       repeat(")", MaxExprDepth / 2 - 5) + "*2";
  ASSERT_EQ(renderedError(Parens), "");
  EXPECT_NE(roundTrip(Parens), "");
}

TEST(IQLPrinter, SameTreeSeesEveryDifference) {
  auto Same = [](llvm::StringRef A, llvm::StringRef B) {
    llvm::Expected<Statement> X = parseStatement(A), Y = parseStatement(B);
    EXPECT_TRUE(X && Y);
    if (!X || !Y) {
      llvm::consumeError(X.takeError());
      llvm::consumeError(Y.takeError());
      return false;
    }
    return sameTree(*X, *Y);
  };
  EXPECT_TRUE(Same("?p(X),X<1", "  ?p( X ), X < 1."));
  EXPECT_FALSE(Same("?p(1)", "?p(2)"));
  EXPECT_FALSE(Same("?p(1)", "?p(1.0)"));
  EXPECT_FALSE(Same("?p(X)", "?p(Y)"));
  EXPECT_FALSE(Same("?p(X), X < 1", "?p(X), X <= 1"));
  EXPECT_FALSE(Same("?p(X), !q(X)", "?p(X), q(X)"));
  EXPECT_FALSE(Same("?p(X), Y = X+1", "?p(X), Y = X-1"));
  EXPECT_FALSE(Same("+p(1)", "+p[(1)]"));
  EXPECT_FALSE(Same("+p(1)", "-p(1)"));
  EXPECT_FALSE(Same("+p(a: int)", "+p(a: float)"));
  EXPECT_FALSE(Same("+p(a: list[int])", "+p(a: list[string])"));
  EXPECT_FALSE(Same("+p(G, count<X>) <- q(G, X)", "+p(G, sum<X>) <- q(G, X)"));
  EXPECT_FALSE(Same("-a(X), +b(X) <- a(X)", "+a(X), +b(X) <- a(X)"));
  EXPECT_FALSE(Same(".kg use a", ".kg use b"));
  EXPECT_FALSE(Same("type T: int", "type T: string"));
}

TEST(IQLPrinter, RoundTripsTheCodeGenGoldens) {
  // The expected IQL of test/CodeGen: check lines that hold statements.
  std::string Dir = std::string(STRATA_SOURCE_DIR) + "/test/CodeGen";
  std::regex CheckLine(R"(^# [A-Z0-9]+(-NEXT)?:(.*)$)");
  size_t Accepted = 0;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC)) {
    if (llvm::sys::path::extension(It->path()) != ".test")
      continue;
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
        llvm::MemoryBuffer::getFile(It->path());
    ASSERT_TRUE(bool(Buf)) << It->path();
    llvm::SmallVector<llvm::StringRef, 64> Lines;
    (*Buf)->getBuffer().split(Lines, '\n');
    for (llvm::StringRef Line : Lines) {
      std::smatch M;
      std::string L = Line.str();
      if (!std::regex_match(L, M, CheckLine) || L.rfind("# RUN:", 0) == 0 ||
          M[2].str().find("{{") != std::string::npos)
        continue;
      SCOPED_TRACE(It->path() + ": " + L);
      if (!roundTrip(M[2].str()).empty())
        ++Accepted;
    }
  }
  // Guard against the test quietly reading nothing.
  EXPECT_GE(Accepted, 150u);
}

TEST(IQLPrinter, RoundTripsTheServerTranscripts) {
  std::string Dir = std::string(STRATA_SOURCE_DIR) + "/../shared/conformance/iql";
  if (!llvm::sys::fs::is_directory(Dir))
    GTEST_SKIP() << Dir << " is absent (only a checkout beside ../shared has it)";
  size_t Files = 0;
  size_t Accepted = roundTripPrograms(Dir, ".iql", Files);
  EXPECT_GE(Files, 100u);
  // Programs hold some ten statements each, most of them valid IQL.
  EXPECT_GE(Accepted, 5 * Files);
}

namespace {
Expr var(const char *Name) {
  Expr E;
  E.K = Expr::Kind::Variable;
  E.Name = Name;
  return E;
}

Expr num(Value V, std::string Spelling = "") {
  Expr E;
  E.Constant = std::move(V);
  E.Text = std::move(Spelling);
  return E;
}

Expr bin(char Op, Expr L, Expr R, unsigned Parens = 0) {
  Expr E;
  E.K = Expr::Kind::Binary;
  E.Op = Op;
  E.Args = {std::move(L), std::move(R)};
  E.Parens = Parens;
  return E;
}
} // namespace

TEST(IqlPrinterTest, LoweringStyleKeepsWrittenSpelling) {
  // T = (S + 1.50) * -(X) - (0 - Y), with a record column declared alongside.
  Literal Cmp;
  Cmp.K = Literal::Kind::Compare;
  Cmp.CmpOp = "=";
  Cmp.Lhs = var("T");
  Expr Neg = bin('-', num(Value::integer(0)), var("X"));
  Neg.Args[1].Parens = 1;
  Cmp.Rhs = bin('-', bin('*', bin('+', var("S"), num(Value::real(1.5), "1.50"), 1), Neg),
                bin('-', num(Value::integer(0), "0"), var("Y"), 1));
  Statement Rule;
  Rule.K = Statement::Kind::PersistentRule;
  Rule.Rule.Head.Relation = "r";
  Rule.Relation = "r";
  Rule.Rule.Head.Args = {var("T")};
  Literal Read;
  Read.A.Relation = "s";
  Read.A.Args = {var("S"), var("X"), var("Y")};
  Rule.Rule.Body = {Read, Cmp};
  EXPECT_EQ(printStatement(Rule, PrintStyle::Lowering),
            "+r(T) <- s(S, X, Y), T = (S + 1.50) * -(X) - (0 - Y)");
  // Both spellings read back to the tree.
  for (PrintStyle Style : {PrintStyle::Lowering, PrintStyle::Canonical}) {
    llvm::Expected<Statement> Back = parseStatement(printStatement(Rule, Style));
    ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
    EXPECT_TRUE(sameTree(*Back, Rule)) << printStatement(Rule, Style);
  }

  Statement Decl;
  Decl.K = Statement::Kind::SchemaDecl;
  Decl.Relation = "p";
  ColumnType Rec;
  Rec.K = ColumnType::Kind::Record;
  Rec.Fields = {{"a", ColumnType()}};
  ColumnType List;
  List.K = ColumnType::Kind::List;
  List.Element = {Rec};
  Decl.Columns = {{"x", List}};
  EXPECT_EQ(printStatement(Decl, PrintStyle::Lowering), "+p(x: list[{a: int}])");
  EXPECT_EQ(printStatement(Decl), "+p(x: list[{ a: int }])");
}

TEST(IqlParserTest, ProgramStatementIsOneStatement) {
  llvm::Expected<std::optional<Statement>> Comments = parseProgramStatement("// only a note");
  ASSERT_TRUE(bool(Comments));
  EXPECT_FALSE(*Comments);
  llvm::Expected<std::optional<Statement>> One = parseProgramStatement("+a(1)\n  // more");
  ASSERT_TRUE(bool(One));
  ASSERT_TRUE(*One);
  EXPECT_EQ((*One)->K, Statement::Kind::Insert);
  for (const char *Bad : {"+a(1)\n+b(2)", "  +a(1)", "+a(1"}) {
    llvm::Expected<std::optional<Statement>> S = parseProgramStatement(Bad);
    ASSERT_FALSE(bool(S)) << Bad;
    EXPECT_NE(llvm::toString(S.takeError()), "") << Bad;
  }
}
