//===- IqlReader.cpp - Reads and validates IQL migration statements -------===//
#include "strata/Verify/IqlReader.h"
#include "strata/IQL/Builtins.h"
#include "strata/IQL/Names.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include <fmt/format.h>

using namespace strata;
using namespace strata::stmt;
using llvm::StringRef;

llvm::StringRef stmt::stmtKindName(StmtKind K) {
  switch (K) {
  case StmtKind::Comment: return "comment";
  case StmtKind::Schema: return "schema declaration";
  case StmtKind::Insert: return "fact insert";
  case StmtKind::Delete: return "fact delete";
  case StmtKind::ConditionalDelete: return "conditional delete";
  case StmtKind::AtomicUpdate: return "atomic update";
  case StmtKind::Rule: return "persistent rule";
  case StmtKind::Query: return "query";
  case StmtKind::RelDrop: return ".rel drop";
  case StmtKind::RuleDrop: return ".rule drop";
  case StmtKind::RuleClear: return ".rule clear";
  case StmtKind::RuleRemove: return ".rule remove";
  case StmtKind::IndexCreate: return ".index create";
  case StmtKind::IndexDrop: return ".index drop";
  }
  return "statement";
}

namespace {

bool isUpperC(char C) { return C >= 'A' && C <= 'Z'; }
bool isLowerC(char C) { return C >= 'a' && C <= 'z'; }
bool isIdentStart(char C) { return llvm::isAlpha(C) || C == '_'; }
bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_'; }

bool fail(std::string &Why, std::string Message) {
  Why = std::move(Message);
  return false;
}

/// Removes comments, joins continuation lines and checks the lexical rules:
/// line structure, strings, escapes, bracket balance, `==`, `:=`, `$`.
bool normalize(StringRef Text, std::string &Out, std::string &Why) {
  // Line structure first: one statement, continuation lines indented.
  {
    size_t LineNo = 0;
    for (StringRef Rest = Text; !Rest.empty() || LineNo == 0; ++LineNo) {
      auto [Line, Tail] = Rest.split('\n');
      Rest = Tail;
      Line = Line.rtrim("\r");
      if (LineNo == 0 && !Line.empty() && (Line[0] == ' ' || Line[0] == '\t'))
        return fail(Why, "a statement must start at the beginning of a line; a line that starts "
                         "with whitespace continues the previous statement");
      if (LineNo > 0 && !Line.trim().empty() && Line[0] != ' ' && Line[0] != '\t')
        return fail(Why, fmt::format("line {} of the statement starts a new statement (one "
                                     "statement per line; continuation lines are indented)",
                                     LineNo + 1));
      if (Rest.empty())
        break;
    }
  }
  std::vector<char> Stack;
  unsigned CommentDepth = 0;
  Out.clear();
  for (size_t I = 0, E = Text.size(); I < E; ++I) {
    char C = Text[I];
    char N = I + 1 < E ? Text[I + 1] : '\0';
    if (CommentDepth) {
      if (C == '/' && N == '*') {
        ++CommentDepth;
        ++I;
      } else if (C == '*' && N == '/') {
        --CommentDepth;
        ++I;
        if (!CommentDepth)
          Out += ' ';
      }
      continue;
    }
    if (C == '/' && N == '/') {
      while (I < E && Text[I] != '\n')
        ++I;
      Out += ' ';
      continue;
    }
    if (C == '/' && N == '*') {
      CommentDepth = 1;
      ++I;
      continue;
    }
    if (C == '"') {
      Out += C;
      for (++I;; ++I) {
        if (I >= E)
          return fail(Why, "unterminated string literal");
        char S = Text[I];
        if (S == '\n' || S == '\r')
          return fail(Why, "a string literal may not span lines; write `\\n`");
        if (S == '\\') {
          char Esc = I + 1 < E ? Text[I + 1] : '\0';
          if (!llvm::is_contained(StringRef("nrt\\\""), Esc) || Esc == '\0')
            return fail(Why, fmt::format("unknown escape `\\{}` in a string literal (the server "
                                         "keeps it verbatim, backslash included)",
                                         Esc ? std::string(1, Esc) : std::string()));
          Out += S;
          Out += Esc;
          ++I;
          continue;
        }
        Out += S;
        if (S == '"')
          break;
      }
      continue;
    }
    if (C == '\'')
      return fail(Why, "strings are double-quoted; `'` is not a string delimiter");
    if (C == '\n' || C == '\r' || C == '\t') {
      Out += ' ';
      continue;
    }
    if (C == '=' && N == '=')
      return fail(Why, "Use '=' for equality, not '=='");
    if (C == ':' && N == '=')
      return fail(Why, "Invalid syntax: ':=' is not a valid operator");
    if (C == '$')
      return fail(Why, "`$` parameters are not bound when a migration runs");
    if (C == '(' || C == '[' || C == '{')
      Stack.push_back(C);
    if (C == ')' || C == ']' || C == '}') {
      char Open = C == ')' ? '(' : C == ']' ? '[' : '{';
      if (Stack.empty() || Stack.back() != Open)
        return fail(Why, fmt::format("unbalanced `{}`", C));
      Stack.pop_back();
    }
    Out += C;
  }
  if (CommentDepth)
    return fail(Why, "unterminated block comment");
  if (!Stack.empty())
    return fail(Why, fmt::format("unbalanced `{}`: it is never closed", Stack.back()));
  Out = StringRef(Out).trim().str();
  return true;
}

/// Calls F(Index, Char) for every character outside strings and outside
/// brackets deeper than the top level; stops when F returns true.
bool isAggregateName(StringRef Name);

template <typename Fn> size_t scanTopLevel(StringRef S, Fn F) {
  int Depth = 0, Angle = 0;
  for (size_t I = 0; I < S.size(); ++I) {
    char C = S[I];
    // `top_k<3, Score:desc>`: an aggregate's `<` groups like a bracket.
    if (C == '<' && I > 0 && isIdentChar(S[I - 1])) {
      size_t B = I;
      while (B > 0 && isIdentChar(S[B - 1]))
        --B;
      if (isAggregateName(S.slice(B, I))) {
        ++Depth;
        ++Angle;
        continue;
      }
    }
    if (C == '>' && Angle > 0) {
      --Angle;
      --Depth;
      continue;
    }
    if (C == '"') {
      for (++I; I < S.size() && S[I] != '"'; ++I)
        if (S[I] == '\\')
          ++I;
      continue;
    }
    if (C == '(' || C == '[' || C == '{') {
      ++Depth;
      continue;
    }
    if (C == ')' || C == ']' || C == '}') {
      --Depth;
      continue;
    }
    if (Depth == 0 && F(I, C))
      return I;
  }
  return StringRef::npos;
}

size_t findTopLevel(StringRef S, StringRef Needle) {
  return scanTopLevel(S, [&](size_t I, char) { return S.substr(I).startswith(Needle); });
}

std::vector<std::string> splitTopLevel(StringRef S, char Sep) {
  std::vector<std::string> Parts;
  size_t Start = 0;
  scanTopLevel(S, [&](size_t I, char C) {
    if (C == Sep) {
      Parts.push_back(S.slice(Start, I).trim().str());
      Start = I + 1;
    }
    return false;
  });
  Parts.push_back(S.substr(Start).trim().str());
  return Parts;
}

/// Whether the string has `<-` outside strings at any depth.
bool containsArrow(StringRef S) {
  for (size_t I = 0; I + 1 < S.size(); ++I) {
    if (S[I] == '"') {
      for (++I; I < S.size() && S[I] != '"'; ++I)
        if (S[I] == '\\')
          ++I;
      continue;
    }
    if (S[I] == '<' && S[I + 1] == '-')
      return true;
  }
  return false;
}

/// `name(args)` with the closing parenthesis last. Args are split at
/// top-level commas; `name()` has no arguments.
bool parseAtom(StringRef S, std::string &Name, std::vector<std::string> &Args, std::string &Why) {
  S = S.trim();
  size_t Open = S.find('(');
  if (Open == StringRef::npos || !S.endswith(")"))
    return fail(Why, fmt::format("Invalid atom: `{}`", S.str()));
  Name = S.substr(0, Open).rtrim().str();
  // The matching parenthesis of Open must be the last character.
  int Depth = 0;
  size_t Close = StringRef::npos;
  for (size_t I = Open; I < S.size(); ++I) {
    if (S[I] == '"') {
      for (++I; I < S.size() && S[I] != '"'; ++I)
        if (S[I] == '\\')
          ++I;
      continue;
    }
    if (S[I] == '(' || S[I] == '[' || S[I] == '{')
      ++Depth;
    else if ((S[I] == ')' || S[I] == ']' || S[I] == '}') && --Depth == 0) {
      Close = I;
      break;
    }
  }
  if (Close != S.size() - 1)
    return fail(Why, fmt::format("unexpected text after the atom: `{}`",
                                 S.substr(Close + 1).str()));
  StringRef Inner = S.slice(Open + 1, Close).trim();
  Args.clear();
  if (!Inner.empty())
    Args = splitTopLevel(Inner, ',');
  for (const std::string &A : Args)
    if (A.empty())
      return fail(Why, fmt::format("Empty argument in atom: `{}`", S.str()));
  return true;
}

bool isAggregateName(StringRef Name) { return iql::findAggregate(Name) != nullptr; }

/// Rejects bare lowercase words used as values (the server's "Unquoted
/// atom"), variables in facts when Ground, and aggregates outside heads.
bool checkTerm(StringRef T, bool Ground, bool AllowAggregate, std::string &Why) {
  for (size_t I = 0; I < T.size(); ++I) {
    char C = T[I];
    if (C == '"') {
      for (++I; I < T.size() && T[I] != '"'; ++I)
        if (T[I] == '\\')
          ++I;
      continue;
    }
    if (llvm::isDigit(C)) {
      // A number, including exponents like 1e10 and 1.5e-3.
      while (I + 1 < T.size() && (isIdentChar(T[I + 1]) || T[I + 1] == '.'))
        ++I;
      continue;
    }
    if (!isIdentStart(C))
      continue;
    size_t Start = I;
    while (I + 1 < T.size() && isIdentChar(T[I + 1]))
      ++I;
    StringRef Word = T.slice(Start, I + 1);
    size_t Next = I + 1;
    while (Next < T.size() && T[Next] == ' ')
      ++Next;
    char After = Next < T.size() ? T[Next] : '\0';
    // `Score:desc` inside an aggregate: the annotation is a word.
    if (Start > 0 && T[Start - 1] == ':' && (Word == "desc" || Word == "asc"))
      continue;
    if (After == '(') {
      if (Ground)
        return fail(Why, fmt::format("a fact must be ground: `{}(...)` is not a value",
                                     Word.str()));
      continue; // a built-in function call
    }
    if (After == '<' && isAggregateName(Word)) {
      if (!AllowAggregate)
        return fail(Why, fmt::format("aggregate `{}<...>` is only allowed in a rule head",
                                     Word.str()));
      continue;
    }
    if (Word == "true" || Word == "false")
      continue;
    if (isUpperC(Word[0]) || Word[0] == '_') {
      if (Ground)
        return fail(Why, fmt::format("a fact must be ground: `{}` is a variable", Word.str()));
      continue;
    }
    return fail(Why, fmt::format("Unquoted atom '{0}' is not allowed. Use \"{0}\" (quoted "
                                 "string) instead.",
                                 Word.str()));
  }
  return true;
}

bool checkAtomName(StringRef Name, std::string &Why) {
  if (Name.startswith("__"))
    return fail(Why, fmt::format("Relation name '{}' is reserved: names starting with '__' are "
                                 "internal",
                                 Name.str()));
  return checkRelationName(Name, Why);
}

bool isComparisonItem(StringRef Item) {
  // A comparison operator at top level: = != < <= > >=.
  return scanTopLevel(Item, [](size_t, char C) {
           return C == '=' || C == '<' || C == '>' || C == '!';
         }) != StringRef::npos &&
         !Item.startswith("!");
}

bool checkBody(StringRef Body, std::string &Why) {
  if (Body.empty())
    return fail(Why, "a rule needs a body after `<-`");
  for (const std::string &ItemS : splitTopLevel(Body, ',')) {
    StringRef Item(ItemS);
    if (Item.empty())
      return fail(Why, "empty literal in a rule body");
    if (Item.startswith("hnsw_nearest(")) {
      std::string Name;
      std::vector<std::string> Args;
      if (!parseAtom(Item, Name, Args, Why))
        return false;
      if (Args.size() < 5 || Args.size() > 6)
        return fail(Why, fmt::format("hnsw_nearest requires 5-6 arguments (index, query, k, "
                                     "id_var, dist_var [, ef_search]), got {}",
                                     Args.size()));
      if (!StringRef(Args[0]).startswith("\""))
        return fail(Why, "hnsw_nearest: first argument must be a string literal (index name)");
      continue;
    }
    if (isComparisonItem(Item)) {
      if (!checkTerm(Item, /*Ground=*/false, /*AllowAggregate=*/false, Why))
        return false;
      continue;
    }
    StringRef AtomText = Item;
    if (AtomText.consume_front("!"))
      AtomText = AtomText.ltrim();
    std::string Name;
    std::vector<std::string> Args;
    if (!parseAtom(AtomText, Name, Args, Why))
      return false;
    if (!checkAtomName(Name, Why))
      return false;
    for (const std::string &A : Args)
      if (!checkTerm(A, false, false, Why))
        return false;
  }
  return true;
}

bool hasTypedArgument(const std::vector<std::string> &Args) {
  for (StringRef A : Args) {
    size_t Colon = findTopLevel(A, ":");
    if (Colon == StringRef::npos)
      continue;
    StringRef Col = A.substr(0, Colon).trim(), Ty = A.substr(Colon + 1).trim();
    if (Col.empty() || !llvm::all_of(Col, isIdentChar))
      continue;
    if (Ty.startswith("int") || Ty.startswith("string") || Ty.startswith("bool") ||
        Ty.startswith("float") || Ty.startswith("list") || (!Ty.empty() && isUpperC(Ty[0])))
      return true;
  }
  return false;
}

std::optional<int64_t> parseInt(StringRef S) {
  int64_t V;
  if (S.getAsInteger(10, V))
    return std::nullopt;
  return V;
}

std::optional<Statement> readMeta(StringRef S, std::string &Why) {
  llvm::SmallVector<StringRef, 16> Tok;
  S.split(Tok, ' ', -1, /*KeepEmpty=*/false);
  Statement St;
  std::string Cmd = Tok[0].lower();
  std::string Sub = Tok.size() > 1 ? Tok[1].lower() : "";
  auto NeedArgs = [&](size_t N, const char *Usage) {
    if (Tok.size() != N) {
      Why = fmt::format("expected `{}`", Usage);
      return false;
    }
    return true;
  };
  if ((Cmd == ".rel" || Cmd == ".relation") && Sub == "drop") {
    if (!NeedArgs(3, ".rel drop NAME") || !checkAtomName(Tok[2], Why))
      return std::nullopt;
    St.Kind = StmtKind::RelDrop;
    St.Name = Tok[2].str();
    return St;
  }
  if (Cmd == ".rule" && (Sub == "drop" || Sub == "clear")) {
    if (Tok.size() > 2 && Tok[2].lower() == "prefix") {
      Why = "`.rule drop prefix` drops rules a migration does not name; name each rule";
      return std::nullopt;
    }
    if (!NeedArgs(3, Sub == "drop" ? ".rule drop NAME" : ".rule clear NAME") ||
        !checkAtomName(Tok[2], Why))
      return std::nullopt;
    St.Kind = Sub == "drop" ? StmtKind::RuleDrop : StmtKind::RuleClear;
    St.Name = Tok[2].str();
    return St;
  }
  if (Cmd == ".rule" && Sub == "remove") {
    if (!NeedArgs(4, ".rule remove NAME INDEX") || !checkAtomName(Tok[2], Why))
      return std::nullopt;
    std::optional<int64_t> N = parseInt(Tok[3]);
    if (!N) {
      Why = fmt::format("clause index `{}` is not an integer", Tok[3].str());
      return std::nullopt;
    }
    if (*N < 1) {
      Why = "Index must be 1 or greater (1-based indexing)";
      return std::nullopt;
    }
    St.Kind = StmtKind::RuleRemove;
    St.Name = Tok[2].str();
    St.ClauseNumber = static_cast<unsigned>(*N);
    return St;
  }
  if ((Cmd == ".index" || Cmd == ".idx") && Sub == "drop") {
    if (!NeedArgs(3, ".index drop NAME"))
      return std::nullopt;
    St.Kind = StmtKind::IndexDrop;
    St.Name = Tok[2].str();
    return St;
  }
  if ((Cmd == ".index" || Cmd == ".idx") && Sub == "create") {
    if (Tok.size() < 5) {
      Why = "expected `.index create NAME on RELATION(COLUMN) [options]`";
      return std::nullopt;
    }
    if (Tok[3].lower() != "on") {
      Why = "Missing 'on' keyword. Usage: .index create <name> on <relation>(<column>)";
      return std::nullopt;
    }
    St.Kind = StmtKind::IndexCreate;
    St.Name = Tok[2].str();
    St.Index.Name = St.Name;
    StringRef Target = Tok[4];
    size_t Open = Target.find('(');
    if (Open == StringRef::npos || !Target.endswith(")")) {
      Why = fmt::format("Expected relation(column) format, got '{}'", Target.str());
      return std::nullopt;
    }
    St.Index.Relation = Target.substr(0, Open).str();
    St.Index.Column = Target.slice(Open + 1, Target.size() - 1).trim().str();
    if (St.Index.Column.empty()) {
      Why = "Empty column name in relation specification";
      return std::nullopt;
    }
    if (!checkAtomName(St.Index.Relation, Why))
      return std::nullopt;
    if (!llvm::all_of(St.Index.Column, isIdentChar)) {
      Why = fmt::format("Invalid column name: '{}'", St.Index.Column);
      return std::nullopt;
    }
    for (size_t I = 5; I < Tok.size(); I += 2) {
      std::string Key = Tok[I].lower();
      if (I + 1 >= Tok.size()) {
        Why = fmt::format("option `{}` has no value", Tok[I].str());
        return std::nullopt;
      }
      StringRef Value = Tok[I + 1];
      if (Key == "type") {
        if (Value.lower() != "hnsw") {
          Why = fmt::format("unknown index type `{}`; the server builds `hnsw` indexes",
                            Value.str());
          return std::nullopt;
        }
      } else if (Key == "metric") {
        std::optional<Metric> M = parseMetric(Value);
        if (!M) {
          Why = fmt::format("unknown metric `{}`; use cosine|cos, euclidean|l2|euclid, "
                            "dot_product|dot|dotproduct|inner or manhattan|l1|taxicab",
                            Value.str());
          return std::nullopt;
        }
        St.Index.TheMetric = *M;
      } else if (Key == "m" || Key == "ef_construction" || Key == "efc" ||
                 Key == "ef_search" || Key == "efs") {
        std::optional<int64_t> N = parseInt(Value);
        if (!N) {
          Why = fmt::format("Invalid value for '{}': expected integer, got '{}'", Tok[I].str(),
                            Value.str());
          return std::nullopt;
        }
        if (Key == "m" && (*N < 2 || *N > 256)) {
          Why = fmt::format("m must be between 2 and 256, got {}", *N);
          return std::nullopt;
        }
        if (Key != "m" && *N < 1) {
          Why = fmt::format("{} must be at least 1, got {}", Tok[I].str(), *N);
          return std::nullopt;
        }
        (Key == "m" ? St.Index.M
                    : (Key == "ef_construction" || Key == "efc") ? St.Index.EfConstruction
                                                                 : St.Index.EfSearch) = *N;
      } else {
        Why = fmt::format("Unknown option: '{}'. Valid options: type, metric, m, "
                          "ef_construction, ef_search",
                          Tok[I].str());
        return std::nullopt;
      }
    }
    return St;
  }
  Why = fmt::format("`{}` is not a command a migration sends (only `.rel drop`, `.rule "
                    "drop|clear|remove`, `.index create|drop`)",
                    S.str());
  return std::nullopt;
}

bool readRows(StringRef Inner, bool Ground, std::vector<std::vector<std::string>> &Rows,
              std::string &Why) {
  for (const std::string &TupleS : splitTopLevel(Inner, ',')) {
    StringRef Tuple(TupleS);
    if (!Tuple.startswith("(") || !Tuple.endswith(")"))
      return fail(Why, fmt::format("a bulk fact list holds tuples `(v, ...)`, not `{}`",
                                   Tuple.str()));
    std::vector<std::string> Row = splitTopLevel(Tuple.drop_front().drop_back(), ',');
    for (const std::string &V : Row)
      if (V.empty() || !checkTerm(V, Ground, false, Why))
        return Why.empty() ? fail(Why, "empty value in a fact") : false;
    Rows.push_back(std::move(Row));
  }
  return true;
}

} // namespace

bool stmt::checkRelationName(StringRef Name, std::string &Why) {
  iql::NameProblem P = iql::checkName(Name);
  return P == iql::NameProblem::None || fail(Why, iql::nameProblemMessage(Name, P));
}

std::optional<Type> stmt::parseColumnType(StringRef Text, std::string &Why) {
  StringRef T = Text.trim();
  // `@annotations` after a type are stripped by the server.
  if (size_t At = findTopLevel(T, "@"); At != StringRef::npos)
    T = T.substr(0, At).trim();
  if (T.startswith("{")) {
    if (!T.endswith("}")) {
      Why = fmt::format("malformed record type `{}`", T.str());
      return std::nullopt;
    }
    std::vector<RecordField> Fields;
    StringRef Inner = T.drop_front().drop_back().trim();
    if (!Inner.empty())
      for (const std::string &F : splitTopLevel(Inner, ',')) {
        size_t Colon = findTopLevel(F, ":");
        if (Colon == StringRef::npos) {
          Why = fmt::format("record field `{}` must have a type: `name: type`", F);
          return std::nullopt;
        }
        std::optional<Type> FT = parseColumnType(StringRef(F).substr(Colon + 1), Why);
        if (!FT)
          return std::nullopt;
        Fields.push_back({StringRef(F).substr(0, Colon).trim().str(), *FT});
      }
    return Type::recordTy(std::move(Fields));
  }
  size_t End = 0;
  while (End < T.size() && isIdentChar(T[End]))
    ++End;
  StringRef Word = T.substr(0, End);
  StringRef Rest = T.substr(End).ltrim();
  std::string L = Word.lower();
  if (Word.empty()) {
    Why = fmt::format("`{}` is not a column type", T.str());
    return std::nullopt;
  }
  auto RestIsRefinement = [&] {
    return Rest.empty() || (Rest.startswith("(") && Rest.endswith(")"));
  };
  if (L == "int" || L == "float" || L == "string" || L == "bool") {
    if (!RestIsRefinement()) {
      Why = fmt::format("unexpected `{}` after type `{}`", Rest.str(), Word.str());
      return std::nullopt;
    }
    return L == "int" ? Type::intTy()
           : L == "float" ? Type::floatTy()
           : L == "string" ? Type::stringTy()
                           : Type::boolTy();
  }
  if (L == "vector" || L == "vec" || L == "embedding") {
    if (Rest.startswith("[")) {
      Why = fmt::format("`{}` is rejected by the server's statement parser (a known bug of the "
                        "Python client); write `vector(N)`",
                        T.str());
      return std::nullopt;
    }
    if (Rest.empty())
      return Type::vectorTy();
    if (!Rest.startswith("(") || !Rest.endswith(")")) {
      Why = fmt::format("unexpected `{}` after type `{}`", Rest.str(), Word.str());
      return std::nullopt;
    }
    std::optional<int64_t> Dim = parseInt(Rest.drop_front().drop_back().trim());
    if (!Dim || *Dim < 1 || *Dim > MaxVectorDimension) {
      Why = fmt::format("`{}`: a vector dimension must be an integer from 1 to {}", T.str(),
                        MaxVectorDimension);
      return std::nullopt;
    }
    return Type::vectorTy(static_cast<uint32_t>(*Dim));
  }
  if (L == "list" && Rest.startswith("[") && Rest.endswith("]")) {
    std::optional<Type> Elem = parseColumnType(Rest.drop_front().drop_back(), Why);
    if (!Elem)
      return std::nullopt;
    return Type::listTy(*Elem);
  }
  if (isUpperC(Word[0])) {
    Why = fmt::format("named type `{}`: the server accepts type references but Strata never "
                      "emits them and does not model them",
                      Word.str());
    return std::nullopt;
  }
  Why = fmt::format("Unknown base type: '{}'. Use int, string, bool, float, or a type name.",
                    Word.str());
  if (L == "timestamp")
    Why += " (the server's statement parser rejects `timestamp`; store milliseconds as `int`)";
  return std::nullopt;
}

std::optional<Statement> stmt::readStatement(StringRef Text, std::string &Why) {
  Why.clear();
  std::string Norm;
  if (!normalize(Text, Norm, Why))
    return std::nullopt;
  StringRef S(Norm);
  Statement St;
  if (S.empty()) {
    St.Kind = StmtKind::Comment;
    return St;
  }
  if (S.startswith(".")) {
    // Collapse runs of spaces left by comments and joined lines.
    return readMeta(S, Why);
  }
  if (S.startswith("?")) {
    if (containsArrow(S)) {
      Why = "Query cannot contain a rule definition (<-). Register the rule first with + then "
            "query it with ?";
      return std::nullopt;
    }
    St.Kind = StmtKind::Query;
    St.Clause = S.drop_front().trim().str();
    if (!checkBody(St.Clause, Why))
      return std::nullopt;
    return St;
  }
  size_t Arrow = findTopLevel(S, "<-");
  if (Arrow != StringRef::npos) {
    StringRef HeadPart = S.substr(0, Arrow).trim(), Body = S.substr(Arrow + 2).trim();
    std::vector<std::string> Heads = splitTopLevel(HeadPart, ',');
    unsigned Inserts = 0, Deletes = 0;
    for (const std::string &H : Heads) {
      if (H.empty() || (H[0] != '+' && H[0] != '-')) {
        Why = "a rule without `+` is a session rule: it is not persisted; write `+head(..) <- "
              "body`";
        return std::nullopt;
      }
      HeadAtom A;
      A.Insert = H[0] == '+';
      (A.Insert ? Inserts : Deletes)++;
      if (!parseAtom(StringRef(H).drop_front(), A.Relation, A.Args, Why) ||
          !checkAtomName(A.Relation, Why))
        return std::nullopt;
      for (const std::string &Arg : A.Args)
        if (!checkTerm(Arg, false, /*AllowAggregate=*/Heads.size() == 1 && A.Insert, Why))
          return std::nullopt;
      St.Heads.push_back(std::move(A));
    }
    if (!checkBody(Body, Why))
      return std::nullopt;
    St.Body = Body.str();
    if (Heads.size() == 1 && Inserts == 1) {
      St.Kind = StmtKind::Rule;
      St.Name = St.Heads[0].Relation;
      St.HeadArgs = St.Heads[0].Args;
      St.Heads.clear();
      St.Clause = S.drop_front().trim().str();
      if (Body.empty()) {
        Why = "a rule needs a body after `<-`";
        return std::nullopt;
      }
      return St;
    }
    if (Deletes == 0) {
      Why = "a persistent rule has exactly one `+` head";
      return std::nullopt;
    }
    St.Kind = Heads.size() == 1 ? StmtKind::ConditionalDelete : StmtKind::AtomicUpdate;
    return St;
  }
  if (S[0] != '+' && S[0] != '-') {
    Why = "a statement without `+` or `-` is a session fact or schema: it is not persisted";
    return std::nullopt;
  }
  bool Insert = S[0] == '+';
  StringRef Rest = S.drop_front().ltrim();
  size_t NameEnd = 0;
  while (NameEnd < Rest.size() && isIdentChar(Rest[NameEnd]))
    ++NameEnd;
  StringRef Name = Rest.substr(0, NameEnd);
  StringRef After = Rest.substr(NameEnd).ltrim();
  if (After.empty()) {
    Why = fmt::format("`{}{}` drops a relation or rule by name; a migration uses `.rel drop` "
                      "and `.rule drop`",
                      S[0], Name.str());
    return std::nullopt;
  }
  if (!checkAtomName(Name, Why))
    return std::nullopt;
  St.Name = Name.str();
  if (After.startswith("[")) {
    if (!After.endswith("]")) {
      Why = "unexpected text after the bulk fact list";
      return std::nullopt;
    }
    if (!readRows(After.drop_front().drop_back(), true, St.Rows, Why))
      return std::nullopt;
    St.Kind = Insert ? StmtKind::Insert : StmtKind::Delete;
    return St;
  }
  std::string AtomName;
  std::vector<std::string> Args;
  if (!parseAtom(Rest, AtomName, Args, Why))
    return std::nullopt;
  if (Insert && hasTypedArgument(Args)) {
    for (const std::string &A : Args) {
      size_t Colon = findTopLevel(A, ":");
      if (Colon == StringRef::npos) {
        Why = fmt::format("Column definition '{}' must have type: 'name: type'", A);
        return std::nullopt;
      }
      SchemaColumn C{StringRef(A).substr(0, Colon).trim().str(),
                     StringRef(A).substr(Colon + 1).trim().str()};
      if (C.Name.empty())
        Why = "Column name cannot be empty";
      else if (!llvm::all_of(C.Name, isIdentChar))
        Why = fmt::format("Invalid column name: '{}'", C.Name);
      else
        parseColumnType(C.TypeText, Why); // sets Why when the type is refused
      if (!Why.empty())
        return std::nullopt;
      for (const SchemaColumn &Prev : St.Columns)
        if (Prev.Name == C.Name) {
          Why = fmt::format("duplicate column `{}`", C.Name);
          return std::nullopt;
        }
      St.Columns.push_back(std::move(C));
    }
    St.Kind = StmtKind::Schema;
    return St;
  }
  if (Args.empty()) {
    Why = "Relation must have at least one column";
    return std::nullopt;
  }
  for (const std::string &A : Args) {
    if (findTopLevel(A, ":") != StringRef::npos) {
      Why = "not recognised as a schema declaration: at least one column type must start with "
            "int, string, bool, float or list (a declaration of only vector columns is read "
            "as a fact)";
      return std::nullopt;
    }
    if (!checkTerm(A, /*Ground=*/true, false, Why))
      return std::nullopt;
  }
  St.Rows.push_back(std::move(Args));
  St.Kind = Insert ? StmtKind::Insert : StmtKind::Delete;
  return St;
}

std::vector<std::string> stmt::splitProgram(StringRef Program) {
  llvm::SmallVector<StringRef, 32> Lines;
  Program.split(Lines, '\n');
  size_t Indent = StringRef::npos;
  StringRef Prefix;
  for (StringRef L : Lines) {
    L = L.rtrim("\r");
    if (L.trim().empty())
      continue;
    size_t N = L.find_first_not_of(" \t");
    if (Indent == StringRef::npos) {
      Indent = N;
      Prefix = L.substr(0, N);
    } else {
      size_t Common = 0;
      while (Common < std::min(N, Indent) && L[Common] == Prefix[Common])
        ++Common;
      Indent = Common;
      Prefix = Prefix.substr(0, Common);
    }
  }
  std::vector<std::string> Stmts;
  for (StringRef L : Lines) {
    L = L.rtrim("\r").rtrim(" \t");
    if (L.trim().empty())
      continue;
    L = L.drop_front(std::min(Indent, L.size()));
    if ((L[0] == ' ' || L[0] == '\t') && !Stmts.empty())
      Stmts.back() += "\n" + L.str();
    else
      Stmts.push_back(L.str());
  }
  // A statement of comments only is dropped (the server skips comments).
  std::vector<std::string> Out;
  for (std::string &S : Stmts) {
    std::string Why;
    std::optional<Statement> St = readStatement(S, Why);
    if (St && St->Kind == StmtKind::Comment)
      continue;
    Out.push_back(std::move(S));
  }
  return Out;
}
