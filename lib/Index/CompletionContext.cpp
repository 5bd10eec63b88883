//===- CompletionContext.cpp - Reading the text before the cursor ---------===//
//
// A small scan of the schema language's tokens: brackets are kept on a
// stack with the two tokens before each (`edge(`, `<- person{`), and the
// brace that holds rule clauses remembers whether the clause being written
// is past its `<-` and which variables it has used.
//
//===----------------------------------------------------------------------===//
#include "CompletionContext.h"
#include "llvm/ADT/StringExtras.h"
#include <vector>

using namespace strata;
using namespace strata::index;
using Where = CursorContext::Where;

namespace {

bool isWordChar(char C) { return llvm::isAlnum(C) || C == '_'; }

bool isBodyStart(llvm::StringRef Tok) {
  return Tok == "<-" || Tok == ":-" || Tok == "," || Tok == "!";
}

bool isUpper(char C) { return C >= 'A' && C <= 'Z'; }

/// `X`, `Name`, `_tmp`; `_` alone is the wildcard.
bool isVariable(llvm::StringRef Tok) {
  return isUpper(Tok[0]) || (Tok[0] == '_' && Tok.size() > 1);
}

struct Open {
  char Bracket = '(';
  size_t Pos = 0;
  std::string Before, BeforeBefore; // the tokens before the bracket
  bool BeforeIsName = false;
  bool SeenArrow = false;            // a clause brace: past the clause's `<-`
  std::set<std::string> Variables{}; // a clause brace: the clause's so far

  bool isNamedAtom() const { return Bracket == '{' && BeforeIsName && isBodyStart(BeforeBefore); }
  /// `derived d(...) {`, `create rule d(...) {`, `replace rule d {`, `was {`.
  bool holdsClauses() const {
    return Bracket == '{' && (Before == ")" || Before == "was" || BeforeBefore == "rule");
  }
};

class Scanner {
public:
  explicit Scanner(llvm::StringRef Text) : Text(Text) {}
  /// Scans Text up to End; false when End is inside a string or comment.
  bool run(size_t End);

  std::vector<Open> Stack;
  std::string Prev, PrevPrev;
  bool PrevIsName = false, PrevIsLiteral = false;

  Open *clauseBrace() {
    for (auto It = Stack.rbegin(); It != Stack.rend(); ++It)
      if (It->holdsClauses())
        return &*It;
    return nullptr;
  }

private:
  /// Whether the previous token can end a body literal or open the braces.
  bool endsLiteral() const {
    return Prev == "{" || Prev == ")" || Prev == "]" || PrevIsName || PrevIsLiteral;
  }
  /// The end of the comment or string at I, or npos when it runs to End.
  size_t skipCommentOrString(size_t I, size_t End) const;
  void token(size_t Pos, llvm::StringRef Tok, bool Name, bool Literal);

  llvm::StringRef Text;
};

size_t Scanner::skipCommentOrString(size_t I, size_t End) const {
  llvm::StringRef Rest = Text.substr(I);
  size_t Stop = llvm::StringRef::npos;
  if (Rest.startswith("//"))
    Stop = Text.find('\n', I);
  else if (Rest.startswith("/*"))
    Stop = Text.find("*/", I + 2) == llvm::StringRef::npos ? Stop : Text.find("*/", I + 2) + 2;
  else
    for (size_t J = I + 1; J < Text.size() && Text[J] != '\n'; ++J) {
      if (Text[J] == '\\') {
        ++J;
        continue;
      }
      if (Text[J] == '"') {
        Stop = J + 1;
        break;
      }
    }
  return Stop == llvm::StringRef::npos || Stop > End ? llvm::StringRef::npos : Stop;
}

bool Scanner::run(size_t End) {
  static const char *const Pairs[] = {"<-", ":-", "->", "=>", "==", "!=", "<=", ">="};
  for (size_t I = 0; I < End;) {
    char C = Text[I];
    llvm::StringRef Rest = Text.substr(I, End - I);
    if (llvm::isSpace(C)) {
      ++I;
    } else if (C == '"' || Rest.startswith("//") || Rest.startswith("/*")) {
      size_t Next = skipCommentOrString(I, End);
      if (Next == llvm::StringRef::npos)
        return false;
      if (C == '"')
        token(I, "\"", false, true);
      I = Next;
    } else if (isWordChar(C)) {
      size_t J = I;
      while (J < End && isWordChar(Text[J]))
        ++J;
      token(I, Text.slice(I, J), !llvm::isDigit(C), llvm::isDigit(C));
      I = J;
    } else {
      size_t Len = 1;
      for (const char *P : Pairs)
        if (Rest.startswith(P))
          Len = 2;
      token(I, Rest.take_front(Len), false, false);
      I += Len;
    }
  }
  return true;
}

void Scanner::token(size_t Pos, llvm::StringRef Tok, bool Name, bool Literal) {
  Open *Clause = clauseBrace();
  bool AtClauseLevel = !Stack.empty() && &Stack.back() == Clause;
  if (Tok == "(" || Tok == "{" || Tok == "[") {
    Stack.push_back({Tok[0], Pos, Prev, PrevPrev, PrevIsName});
  } else if ((Tok == ")" || Tok == "}" || Tok == "]") && !Stack.empty()) {
    Stack.pop_back();
  } else if (AtClauseLevel && (Tok == "<-" || Tok == ":-")) {
    Clause->SeenArrow = true;
  } else if (AtClauseLevel && Name && endsLiteral()) {
    // A name after a finished literal starts the next clause's head.
    Clause->SeenArrow = false;
    Clause->Variables.clear();
  }
  if (Clause && Name && isVariable(Tok))
    Clause->Variables.insert(Tok.str());
  PrevPrev = Prev;
  Prev = Tok.str();
  PrevIsName = Name;
  PrevIsLiteral = Literal;
}

/// The names followed by `:` directly inside the named atom opened at Pos,
/// except the word [Skip, SkipEnd) being typed.
std::set<std::string> usedColumns(llvm::StringRef Text, size_t Pos, size_t Skip) {
  std::set<std::string> Used;
  int Depth = 0;
  for (size_t I = Pos + 1; I < Text.size();) {
    char C = Text[I];
    if (C == '(' || C == '[' || C == '{')
      ++Depth;
    if (C == ')' || C == ']' || C == '}')
      if (--Depth < 0)
        break;
    if (Text.substr(I).startswith("<-"))
      break;
    if (!isWordChar(C)) {
      ++I;
      continue;
    }
    size_t J = I;
    while (J < Text.size() && isWordChar(Text[J]))
      ++J;
    size_t K = J;
    while (K < Text.size() && (Text[K] == ' ' || Text[K] == '\t'))
      ++K;
    if (Depth == 0 && I != Skip && K < Text.size() && Text[K] == ':')
      Used.insert(Text.slice(I, J).str());
    I = J;
  }
  return Used;
}

Where insideBrace(const Scanner &S, const Open &Top) {
  if (Top.isNamedAtom())
    return S.Prev == "{" || S.Prev == "," ? Where::NamedColumn : Where::Expression;
  if (Top.holdsClauses()) {
    if (isBodyStart(S.Prev))
      return Where::AtomStart;
    bool Ends = S.Prev == "{" || S.Prev == ")" || S.Prev == "]" || S.PrevIsName || S.PrevIsLiteral;
    return Ends ? Where::ClauseHead : Where::Expression;
  }
  return Top.BeforeBefore == "migration" ? Where::TopLevel : Where::Nothing;
}

Where whereIn(Scanner &S) {
  if (S.Stack.empty())
    return S.PrevIsName || S.PrevIsLiteral ? Where::Nothing : Where::TopLevel;
  const Open &Top = S.Stack.back();
  if (Top.Bracket == '{')
    return insideBrace(S, Top);
  if (S.PrevIsName || S.PrevIsLiteral || S.Prev == ")" || S.Prev == "]")
    return Where::Nothing;
  bool AtClauseLevel = S.Stack.size() >= 2 && S.Stack[S.Stack.size() - 2].holdsClauses();
  if (Top.Bracket == '(' && AtClauseLevel)
    return S.Stack[S.Stack.size() - 2].SeenArrow ? Where::Expression : Where::HeadArg;
  if (!S.clauseBrace())
    return Where::Nothing; // a column list, a type, index options
  return Where::Expression;
}

} // namespace

CursorContext strata::index::cursorContext(llvm::StringRef Text, size_t Offset) {
  CursorContext Ctx;
  Offset = std::min(Offset, Text.size());
  size_t Begin = Offset;
  while (Begin > 0 && isWordChar(Text[Begin - 1]))
    --Begin;
  Ctx.WordBegin = Begin;
  Scanner S(Text);
  if (!S.run(Begin))
    return Ctx;
  Ctx.At = whereIn(S);
  if (Open *Clause = S.clauseBrace())
    Ctx.Variables = Clause->Variables;
  if (Ctx.At == Where::NamedColumn) {
    Ctx.Relation = S.Stack.back().Before;
    Ctx.UsedColumns = usedColumns(Text, S.Stack.back().Pos, Begin);
  }
  return Ctx;
}
