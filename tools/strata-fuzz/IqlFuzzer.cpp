//===- IqlFuzzer.cpp - libFuzzer target for the IQL front end (lib/IQL) ---===//
//
// Any bytes given to lib/IQL must come back as statements or as a located
// diagnostic: never a crash, a hang or a stack overflow. Each input is split
// into statements (splitProgram) and is also parsed whole, as one statement
// with newlines in it, under both parse options. For every accepted
// statement three properties must hold, and a violation traps:
//  - every Begin/End range lies inside the statement's text, in order;
//  - printStatement's text parses back to the same tree (sameTree);
//  - printing that tree again gives the same text (the form is canonical).
// A refused statement's diagnostic must point into the text it was given,
// and the input's tokens must lie in order inside it.
//
//===----------------------------------------------------------------------===//
#include "strata/IQL/Lexer.h"
#include "strata/IQL/Parser.h"
#include "strata/IQL/Printer.h"
#include "llvm/Support/raw_ostream.h"
#include <cstddef>
#include <cstdint>

using namespace strata;
using namespace strata::iql;

namespace {
[[noreturn]] void violation(llvm::StringRef What, llvm::StringRef Text, llvm::StringRef Printed) {
  llvm::errs() << What << "\n  statement: " << Text << "\n  printed:   " << Printed << "\n";
  __builtin_trap();
}

class RangeChecker {
public:
  explicit RangeChecker(const Statement &S) : Size(S.Text.size()) {}

  bool check(unsigned Begin, unsigned End) const { return Begin <= End && End <= Size; }
  bool check(const Expr &E) const {
    if (!check(E.Begin, E.End))
      return false;
    for (const Expr &A : E.Args)
      if (!check(A) || A.Begin < E.Begin || A.End > E.End)
        return false;
    return true;
  }
  bool check(const std::vector<Expr> &Es) const {
    for (const Expr &E : Es)
      if (!check(E))
        return false;
    return true;
  }
  bool check(const Atom &A) const { return check(A.Begin, A.End) && check(A.Args); }
  bool check(const Literal &L) const {
    if (!check(L.Begin, L.End))
      return false;
    if (L.K == Literal::Kind::Compare)
      return check(L.Lhs) && check(L.Rhs);
    return check(L.A);
  }
  bool check(const std::vector<Literal> &Ls) const {
    for (const Literal &L : Ls)
      if (!check(L))
        return false;
    return true;
  }
  bool check(const Statement &S) const {
    for (const std::vector<Expr> &Row : S.Rows)
      if (!check(Row))
        return false;
    for (const auto &T : S.Targets)
      if (!check(T.second))
        return false;
    if (S.K == Statement::Kind::SessionRule || S.K == Statement::Kind::SessionFact ||
        S.K == Statement::Kind::PersistentRule || S.K == Statement::Kind::ConditionalDelete)
      if (!check(S.Rule.Head))
        return false;
    return check(S.Rule.Body) && check(S.Body);
  }

private:
  size_t Size;
};

void checkStatement(llvm::StringRef Text, ParseOptions Options) {
  llvm::Expected<Statement> First = parseStatement(Text, Options);
  if (!First) {
    Diagnostic D = takeDiagnostic(First.takeError(), DiagKind::IqlSyntax);
    const char *At = D.Loc.getPointer();
    if (!At || At < Text.begin() || At > Text.end())
      violation("diagnostic points outside the statement", Text, D.Message);
    return;
  }
  if (!RangeChecker(*First).check(*First))
    violation("a source range lies outside its statement or its parent", Text, "");
  std::string Printed = printStatement(*First);
  llvm::Expected<Statement> Second = parseStatement(Printed, Options);
  if (!Second)
    violation("printed statement does not parse: " + llvm::toString(Second.takeError()), Text,
              Printed);
  if (!sameTree(*First, *Second))
    violation("printed statement parses to a different tree", Text, Printed);
  if (printStatement(*Second) != Printed)
    violation("printing is not stable", Text, printStatement(*Second));
}

/// Tokens come in order, each inside the text; the last is End or Error.
void checkTokens(llvm::StringRef Text) {
  std::vector<Token> Tokens = lex(Text);
  size_t Previous = 0;
  for (const Token &T : Tokens) {
    if (T.Pos < Previous || T.Pos > T.End || T.End > Text.size())
      violation("a token's range is out of order or outside the text", Text, T.Text);
    Previous = T.End;
  }
  if (Tokens.empty() || !(Tokens.back().is(TokenKind::End) || Tokens.back().is(TokenKind::Error)))
    violation("tokens do not end with End or Error", Text, "");
}

void checkAllOptions(llvm::StringRef Text) {
  checkStatement(Text, ParseOptions());
  ParseOptions WithNull;
  WithNull.AllowNull = true;
  checkStatement(Text, WithNull);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  for (const SourceStatement &S : splitProgram(Text))
    checkAllOptions(S.Text);
  checkAllOptions(Text);
  checkTokens(Text);
  return 0;
}
