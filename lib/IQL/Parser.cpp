//===- Parser.cpp - IQL text to statements ----------------------------------===//
#include "strata/IQL/Parser.h"
#include "strata/IQL/Limits.h"
#include "llvm/ADT/StringExtras.h"
#include <cerrno>
#include <cstdlib>

using namespace strata::iql;
using llvm::StringRef;

//===-- Splitting a program into statements --------------------------------===//

/// Blanks out `//` and `/* */` comments (outside strings), keeping newlines
/// so that line numbers stay right.
static std::string stripComments(StringRef Program) {
  std::string Out;
  Out.reserve(Program.size());
  bool InString = false, InBlock = false;
  for (size_t I = 0; I < Program.size(); ++I) {
    char C = Program[I];
    char Next = I + 1 < Program.size() ? Program[I + 1] : '\0';
    if (InBlock) {
      if (C == '*' && Next == '/') {
        InBlock = false;
        ++I;
      } else if (C == '\n') {
        Out += '\n';
      }
      continue;
    }
    if (InString) {
      Out += C;
      if (C == '\\' && Next != '\0' && Next != '\n') {
        Out += Next;
        ++I;
      } else if (C == '"' || C == '\n') {
        InString = false;
      }
      continue;
    }
    if (C == '"') {
      InString = true;
      Out += C;
    } else if (C == '/' && Next == '/') {
      while (I < Program.size() && Program[I] != '\n')
        ++I;
      if (I < Program.size())
        Out += '\n';
    } else if (C == '/' && Next == '*') {
      InBlock = true;
      ++I;
    } else {
      Out += C;
    }
  }
  return Out;
}

std::vector<SourceStatement> strata::iql::splitProgram(StringRef Program) {
  std::string Text = stripComments(Program);
  std::vector<SourceStatement> Out;
  StringRef Rest = Text;
  unsigned LineNo = 0;
  while (!Rest.empty()) {
    auto [Line, Tail] = Rest.split('\n');
    Rest = Tail;
    ++LineNo;
    Line = Line.rtrim(" \t\r\f\v");
    if (Line.trim().empty())
      continue;
    bool Continues = (Line[0] == ' ' || Line[0] == '\t') && !Out.empty();
    if (Continues)
      Out.back().Text += " " + Line.trim().str();
    else
      Out.push_back({LineNo, Line.trim().str()});
  }
  return Out;
}

//===-- Lexer --------------------------------------------------------------===//

namespace {
enum class Tok { End, Ident, Var, Wildcard, Int, Float, String, Punct, Error };

struct Token {
  Tok K = Tok::End;
  std::string Text; // identifier, punctuation, string contents, error
  int64_t Int = 0;
  double Float = 0;
  size_t Pos = 0;
};

bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_'; }

std::vector<Token> lex(StringRef S) {
  std::vector<Token> Out;
  size_t I = 0;
  auto Push = [&](Tok K, std::string Text, size_t Pos) {
    Token T;
    T.K = K;
    T.Text = std::move(Text);
    T.Pos = Pos;
    Out.push_back(std::move(T));
  };
  while (I < S.size()) {
    char C = S[I];
    if (llvm::isSpace(C)) {
      ++I;
      continue;
    }
    size_t Start = I;
    if (llvm::isAlpha(C) || C == '_') {
      while (I < S.size() && isIdentChar(S[I]))
        ++I;
      std::string Word = S.substr(Start, I - Start).str();
      if (Word == "_")
        Push(Tok::Wildcard, Word, Start);
      else if ((Word[0] >= 'A' && Word[0] <= 'Z') || Word[0] == '_')
        Push(Tok::Var, Word, Start);
      else
        Push(Tok::Ident, Word, Start);
      continue;
    }
    if (llvm::isDigit(C)) {
      while (I < S.size() && llvm::isDigit(S[I]))
        ++I;
      bool IsFloat = false;
      if (I + 1 < S.size() && S[I] == '.' && llvm::isDigit(S[I + 1])) {
        IsFloat = true;
        ++I;
        while (I < S.size() && llvm::isDigit(S[I]))
          ++I;
      }
      if (I < S.size() && (S[I] == 'e' || S[I] == 'E')) {
        size_t J = I + 1;
        if (J < S.size() && (S[J] == '+' || S[J] == '-'))
          ++J;
        if (J < S.size() && llvm::isDigit(S[J])) {
          IsFloat = true;
          I = J;
          while (I < S.size() && llvm::isDigit(S[I]))
            ++I;
        }
      }
      std::string Num = S.substr(Start, I - Start).str();
      Token T;
      T.Pos = Start;
      T.Text = Num;
      errno = 0;
      if (IsFloat) {
        T.K = Tok::Float;
        T.Float = std::strtod(Num.c_str(), nullptr);
      } else {
        T.K = Tok::Int;
        unsigned long long V = std::strtoull(Num.c_str(), nullptr, 10);
        if (errno == ERANGE || V > 9223372036854775808ULL) {
          Push(Tok::Error, "Integer literal out of range: " + Num, Start);
          return Out;
        }
        // 2^63 is only valid negated; the parser checks.
        T.Int = int64_t(V & 0x7fffffffffffffffULL);
        if (V == 9223372036854775808ULL)
          T.Text = "9223372036854775808";
      }
      Out.push_back(std::move(T));
      continue;
    }
    if (C == '"') {
      std::string Str;
      ++I;
      bool Closed = false;
      while (I < S.size()) {
        char D = S[I++];
        if (D == '"') {
          Closed = true;
          break;
        }
        if (D == '\\' && I < S.size()) {
          char E = S[I++];
          switch (E) {
          case 'n':
            Str += '\n';
            break;
          case 't':
            Str += '\t';
            break;
          case 'r':
            Str += '\r';
            break;
          default:
            Str += E;
          }
          continue;
        }
        Str += D;
      }
      if (!Closed) {
        Push(Tok::Error, "Unterminated string literal", Start);
        return Out;
      }
      Push(Tok::String, Str, Start);
      continue;
    }
    static const char *Two[] = {"<-", "<=", ">=", "!=", "=="};
    bool Matched = false;
    for (const char *P : Two)
      if (S.substr(I).startswith(P)) {
        Push(Tok::Punct, P, Start);
        I += 2;
        Matched = true;
        break;
      }
    if (Matched)
      continue;
    if (StringRef("()[]{},:.?+-*/%!=<>").contains(C)) {
      Push(Tok::Punct, std::string(1, C), Start);
      ++I;
      continue;
    }
    Push(Tok::Error, std::string("Unexpected character '") + C + "'", Start);
    return Out;
  }
  Push(Tok::End, "", S.size());
  return Out;
}

//===-- Parser -------------------------------------------------------------===//

class Parser {
public:
  Parser(StringRef Text, ParseOptions Options)
      : Text(Text), Toks(lex(Text)), Options(Options) {}

  bool run(Statement &Out, std::string &Error);
  /// Where the first error was found: a byte offset into the text.
  size_t errorPos() const { return ErrPos; }

private:
  const Token &peek(size_t Ahead = 0) const {
    size_t I = std::min(Pos + Ahead, Toks.size() - 1);
    return Toks[I];
  }
  bool isPunct(StringRef P, size_t Ahead = 0) const {
    return peek(Ahead).K == Tok::Punct && peek(Ahead).Text == P;
  }
  bool accept(StringRef P) {
    if (!isPunct(P))
      return false;
    ++Pos;
    return true;
  }
  bool expect(StringRef P) {
    if (accept(P))
      return true;
    return fail("Expected '" + P.str() + "'" + near());
  }
  bool fail(std::string Message) {
    if (Err.empty()) {
      Err = std::move(Message);
      ErrPos = peek().Pos;
    }
    return false;
  }
  std::string near() const {
    const Token &T = peek();
    if (T.K == Tok::End)
      return " at end of statement";
    return " near '" + Text.substr(T.Pos, 20).str() + "'";
  }
  bool atEnd() {
    accept("."); // an optional trailing period, as older IQL wrote
    return peek().K == Tok::End;
  }
  std::string source(size_t From, size_t To) const {
    return Text.substr(Toks[From].Pos, Toks[To].Pos - Toks[From].Pos).trim().str();
  }

  bool parseMeta(Statement &Out);
  bool parseIndexCreate(const std::vector<std::string> &W, IndexSpec &Out);
  bool parseTargetsOrFacts(Statement &Out);
  bool parseSchema(Statement &Out);
  bool parseColumnType(ColumnType &Out, unsigned Depth);
  bool parseAtom(Atom &Out, bool AllowAggregates);
  bool parseArgs(std::vector<Expr> &Out, bool AllowAggregates);
  bool parseTupleList(std::vector<std::vector<Expr>> &Out);
  bool parseBody(std::vector<Literal> &Out);
  bool parseLiteral(Literal &Out);
  bool parseExpr(Expr &Out, unsigned Depth);
  bool parseTerm(Expr &Out, unsigned Depth);
  bool parseBinaryLevel(Expr &Out, unsigned Depth, llvm::StringRef Ops,
                        bool (Parser::*Next)(Expr &, unsigned));
  bool parseUnary(Expr &Out, unsigned Depth);
  bool parsePrimary(Expr &Out, unsigned Depth);
  /// A call of Name, at its `(`.
  bool parseCall(Expr &Out, const std::string &Name, unsigned Depth);
  bool parseAggregate(Expr &Out, std::string Name);
  bool checkRelationName(const std::string &Name);
  bool countOperator();

  StringRef Text;
  std::vector<Token> Toks;
  ParseOptions Options;
  size_t Pos = 0;
  size_t Operators = 0; // binary operators parsed so far, against MaxOperators
  std::string Err;
  size_t ErrPos = 0;
};
} // namespace

bool Parser::countOperator() {
  if (++Operators <= MaxOperators)
    return true;
  return fail("Statement too long: more than " + std::to_string(MaxOperators) +
              " arithmetic operators");
}

bool Parser::checkRelationName(const std::string &Name) {
  if (StringRef(Name).startswith("__"))
    return fail("Relation names starting with '__' are reserved: '" + Name + "'");
  return true;
}

bool Parser::run(Statement &Out, std::string &Error) {
  Out.Text = Text.str();
  bool Ok = false;
  for (const Token &T : Toks)
    if (T.K == Tok::Error) {
      Error = T.Text;
      ErrPos = T.Pos;
      return false;
    }
  if (Text.startswith(".")) {
    Ok = parseMeta(Out);
  } else if (isPunct("?")) {
    ++Pos;
    Out.K = Statement::Kind::Query;
    Ok = parseBody(Out.Body) && (atEnd() || fail("Unexpected input" + near()));
    if (Ok && Text.contains("<-"))
      Ok = fail("A query cannot contain '<-'");
  } else if (peek().K == Tok::Ident && peek().Text == "type" &&
             (peek(1).K == Tok::Var || peek(1).K == Tok::Ident)) {
    Out.K = Statement::Kind::TypeDecl;
    Out.Relation = peek(1).Text;
    Pos += 2;
    ColumnType T;
    Ok = expect(":");
    if (Ok) {
      size_t From = Pos;
      if (isPunct("{")) {
        ErrPos = peek().Pos;
        StringRef Rest = Text.substr(peek().Pos);
        return Error = "Unknown base type: '" + Rest.str() +
                       "'. Use int, string, bool, float, or a type name.",
               false;
      }
      Ok = parseColumnType(T, 0) && atEnd();
      (void)From;
    }
  } else if (isPunct("+") || isPunct("-")) {
    Ok = parseTargetsOrFacts(Out);
  } else if (peek().K == Tok::Ident) {
    Atom Head;
    if (!parseAtom(Head, /*AllowAggregates=*/true)) {
      if (Err.rfind("Expected '('", 0) == 0)
        Err = "Expected parentheses: " + Text.substr(Toks[Pos].Pos).str();
      Ok = false;
    } else if (accept("<-")) {
      Out.K = Statement::Kind::SessionRule;
      Out.Rule.Head = std::move(Head);
      if (peek().K == Tok::End)
        Ok = fail("Empty rule body with head variables is not allowed. Use 'foo(constant).' "
                  "for facts, or add body predicates.");
      else
        Ok = parseBody(Out.Rule.Body) && (atEnd() || fail("Unexpected input" + near()));
    } else {
      Out.K = Statement::Kind::SessionFact;
      Out.Rule.Head = std::move(Head);
      // The server names what follows the relation name.
      Ok = atEnd() || fail("Expected parentheses: " + Text.substr(Toks[1].Pos).str());
    }
  } else {
    Ok = fail("Unrecognized statement: " + Text.str());
  }
  if (!Ok) {
    Error = Err.empty() ? "Unrecognized statement: " + Text.str() : Err;
    return false;
  }
  return true;
}

bool Parser::parseMeta(Statement &Out) {
  Out.K = Statement::Kind::Meta;
  llvm::SmallVector<StringRef, 8> Parts;
  Text.drop_front().split(Parts, ' ', -1, /*KeepEmpty=*/false);
  for (StringRef P : Parts)
    if (!P.trim().empty())
      Out.Words.push_back(P.trim().str());
  auto &W = Out.Words;
  auto Need = [&](size_t N, const char *Usage) {
    return W.size() == N || fail(std::string("Usage: ") + Usage);
  };
  if (W.empty())
    return fail("Empty command");
  const std::string &Cmd = W[0];
  if (Cmd == "kg") {
    if (W.size() == 1)
      return true;
    if (W[1] == "list")
      return Need(2, ".kg list");
    if (W[1] == "create" || W[1] == "use" || W[1] == "drop")
      return Need(3, ".kg create|use|drop NAME");
    return fail("Unknown .kg command: " + W[1]);
  }
  if (Cmd == "rel") {
    if (W.size() <= 2)
      return W.size() == 1 || W[1] != "drop" || fail("Usage: .rel drop NAME");
    if (W[1] == "drop")
      return Need(3, ".rel drop NAME");
    return fail("Usage: .rel [NAME] | .rel drop NAME");
  }
  if (Cmd == "rule") {
    if (W.size() == 1)
      return true;
    const std::string &Sub = W[1];
    if (Sub == "list")
      return Need(2, ".rule list");
    if (Sub == "edit")
      return W.size() >= 3 || fail("Usage: .rule edit NAME INDEX CLAUSE");
    if (Sub == "def" || Sub == "clear")
      return Need(3, ".rule def|clear NAME");
    if (Sub == "drop") {
      if (W.size() == 4 && W[2] == "prefix")
        return true;
      return Need(3, ".rule drop NAME | .rule drop prefix PREFIX");
    }
    if (Sub == "remove") {
      if (!Need(4, ".rule remove NAME INDEX"))
        return false;
      unsigned long long I;
      if (llvm::getAsUnsignedInteger(W[3], 10, I) || I > 1000000000ULL)
        return fail("Invalid clause index: " + W[3]);
      return true;
    }
    return Need(2, ".rule [list|NAME|def NAME|drop NAME|clear NAME|remove NAME INDEX]");
  }
  if (Cmd == "index") {
    if (W.size() >= 2 && W[1] == "list")
      return Need(2, ".index list");
    if (W.size() >= 2 && W[1] == "drop")
      return Need(3, ".index drop NAME");
    if (W.size() >= 2 && W[1] == "create")
      return parseIndexCreate(W, Out.Index);
    if (W.size() == 1)
      return fail("Usage: .index create|drop|list");
    return fail("Unknown .index command: " + W[1]);
  }
  if (Cmd == "session" && W.size() == 2 && W[1] == "clear")
    return true;
  if (Cmd == "load" || Cmd == "help" || Cmd == "quit" || Cmd == "exit" || Cmd == "status" ||
      Cmd == "compact")
    return true;
  return fail("Unknown command: ." + Cmd);
}

bool Parser::parseIndexCreate(const std::vector<std::string> &W, IndexSpec &Out) {
  // .index create NAME on REL(COL) [type T] [metric M] [m N] [ef_construction N] [ef_search N]
  if (W.size() < 5 || W[3] != "on")
    return fail("Usage: .index create NAME on REL(COL) type hnsw [metric M] [m N] "
                "[ef_construction N] [ef_search N]");
  Out = IndexSpec();
  Out.Name = W[2];
  StringRef Target = W[4];
  size_t Open = Target.find('('), Close = Target.rfind(')');
  if (Open == StringRef::npos || Close != Target.size() - 1 || Close <= Open + 1)
    return fail("Expected REL(COL) after 'on', got '" + Target.str() + "'");
  Out.Relation = Target.substr(0, Open).str();
  Out.Column = Target.substr(Open + 1, Close - Open - 1).trim().str();
  for (size_t I = 5; I < W.size(); I += 2) {
    if (I + 1 >= W.size())
      return fail("Missing value for index option '" + W[I] + "'");
    const std::string &Key = W[I], &Val = W[I + 1];
    if (Key == "type") {
      Out.Type = Val;
    } else if (Key == "metric") {
      Out.Metric = Val;
    } else if (Key == "m" || Key == "ef_construction" || Key == "ef_search") {
      long long N;
      if (llvm::getAsSignedInteger(Val, 10, N))
        return fail("Invalid value for '" + Key + "': " + Val);
      (Key == "m" ? Out.M : Key == "ef_construction" ? Out.EfConstruction : Out.EfSearch) = N;
    } else {
      return fail("Unknown index option '" + Key + "'");
    }
  }
  return true;
}

bool Parser::parseTargetsOrFacts(Statement &Out) {
  bool Insert = isPunct("+");
  ++Pos;
  if (peek().K == Tok::Var && StringRef(peek().Text).startswith("__"))
    return checkRelationName(peek().Text);
  if (peek().K != Tok::Ident)
    return fail("Expected a relation name after '" + std::string(Insert ? "+" : "-") + "'" +
                near());
  std::string Name = peek().Text;
  if (!checkRelationName(Name))
    return false;
  // -name: drop a rule (or say it is not one).
  if (!Insert && (peek(1).K == Tok::End || (isPunct(".", 1) && peek(2).K == Tok::End))) {
    Out.K = Statement::Kind::DropRule;
    Out.Relation = Name;
    return true;
  }
  // Bulk forms: +rel[...] / -rel[...]
  if (isPunct("[", 1)) {
    Pos += 2;
    Out.K = Insert ? Statement::Kind::Insert : Statement::Kind::Delete;
    Out.Relation = Name;
    Out.Bulk = true;
    if (!accept("]")) {
      if (!parseTupleList(Out.Rows) || !expect("]"))
        return false;
    }
    return atEnd() || fail("Unexpected input" + near());
  }
  // Schema declaration: +rel(col: type, ...)
  if (Insert && isPunct("(", 1) && peek(2).K == Tok::Ident && isPunct(":", 3)) {
    Pos += 1;
    Out.Relation = Name;
    return parseSchema(Out);
  }
  Atom First;
  if (!parseAtom(First, /*AllowAggregates=*/Insert))
    return false;
  std::vector<std::pair<bool, Atom>> Targets;
  Targets.emplace_back(Insert, std::move(First));
  while (isPunct(",") && (isPunct("+", 1) || isPunct("-", 1))) {
    ++Pos;
    bool Ins = isPunct("+");
    ++Pos;
    Atom A;
    if (peek().K != Tok::Ident)
      return fail("Expected a relation name" + near());
    if (!checkRelationName(peek().Text) || !parseAtom(A, false))
      return false;
    Targets.emplace_back(Ins, std::move(A));
  }
  if (accept("<-")) {
    std::vector<Literal> Body;
    if (peek().K == Tok::End)
      return fail("Empty rule body with head variables is not allowed. Use 'foo(constant).' for "
                  "facts, or add body predicates.");
    if (!parseBody(Body) || !(atEnd() || fail("Unexpected input" + near())))
      return false;
    if (Targets.size() > 1) {
      Out.K = Statement::Kind::Update;
      Out.Targets = std::move(Targets);
      Out.Body = std::move(Body);
      for (auto &T : Out.Targets)
        for (const Expr &A : T.second.Args)
          if (A.K == Expr::Kind::Aggregate)
            return fail("Aggregates are not allowed in an update");
      return true;
    }
    Out.Rule.Head = std::move(Targets[0].second);
    Out.Rule.Body = std::move(Body);
    Out.Relation = Out.Rule.Head.Relation;
    Out.K = Insert ? Statement::Kind::PersistentRule : Statement::Kind::ConditionalDelete;
    return true;
  }
  if (Targets.size() > 1)
    return fail("An update needs a body: '<- ...'");
  if (!atEnd())
    return fail("Unexpected input" + near());
  Out.K = Insert ? Statement::Kind::Insert : Statement::Kind::Delete;
  Out.Relation = Targets[0].second.Relation;
  Out.Rows.push_back(std::move(Targets[0].second.Args));
  return true;
}

bool Parser::parseSchema(Statement &Out) {
  Out.K = Statement::Kind::SchemaDecl;
  if (!expect("("))
    return false;
  bool Recognised = false;
  do {
    if (peek().K != Tok::Ident || !isPunct(":", 1))
      return fail("Expected 'column: type'" + near());
    Column C;
    C.Name = peek().Text;
    Pos += 2;
    const Token &TypeTok = peek();
    if (TypeTok.K == Tok::Var ||
        (TypeTok.K == Tok::Ident &&
         (TypeTok.Text == "int" || TypeTok.Text == "string" || TypeTok.Text == "bool" ||
          TypeTok.Text == "float" || TypeTok.Text == "list")))
      Recognised = true;
    if (!parseColumnType(C.Type, 0))
      return false;
    for (const Column &Prev : Out.Columns)
      if (Prev.Name == C.Name)
        return fail("Duplicate column '" + C.Name + "'");
    Out.Columns.push_back(std::move(C));
  } while (accept(","));
  if (!expect(")") || !(atEnd() || fail("Unexpected input" + near())))
    return false;
  if (!Recognised)
    return fail("Unrecognized statement: " + Text.str());
  return true;
}

bool Parser::parseColumnType(ColumnType &Out, unsigned Depth) {
  if (Depth > MaxTypeDepth)
    return fail("Type nested too deeply");
  if (accept("{")) {
    Out.K = ColumnType::Kind::Record;
    do {
      if (peek().K != Tok::Ident || !isPunct(":", 1))
        return fail("Expected 'field: type' in record type" + near());
      std::string F = peek().Text;
      Pos += 2;
      ColumnType T;
      if (!parseColumnType(T, Depth + 1))
        return false;
      Out.Fields.emplace_back(F, std::move(T));
    } while (accept(","));
    return expect("}");
  }
  const Token &T = peek();
  if (T.K == Tok::Var) {
    Out.K = ColumnType::Kind::Named;
    Out.Name = T.Text;
    ++Pos;
    return true;
  }
  if (T.K != Tok::Ident)
    return fail("Expected a column type" + near());
  std::string Name = T.Text;
  ++Pos;
  if (Name == "int") {
    Out.K = ColumnType::Kind::Int;
  } else if (Name == "float") {
    Out.K = ColumnType::Kind::Float;
  } else if (Name == "string") {
    Out.K = ColumnType::Kind::String;
  } else if (Name == "bool") {
    Out.K = ColumnType::Kind::Bool;
  } else if (Name == "vector") {
    Out.K = ColumnType::Kind::Vector;
    if (isPunct("["))
      return fail("Unknown type 'vector[...]': write vector(N)");
    if (accept("(")) {
      if (peek().K != Tok::Int || peek().Int <= 0 || peek().Int > 1000000)
        return fail("Expected a vector dimension" + near());
      Out.Dimension = unsigned(peek().Int);
      ++Pos;
      return expect(")");
    }
  } else if (Name == "list") {
    Out.K = ColumnType::Kind::List;
    if (!expect("["))
      return false;
    ColumnType E;
    if (!parseColumnType(E, Depth + 1))
      return false;
    Out.Element.push_back(std::move(E));
    return expect("]");
  } else {
    return fail("Unknown column type '" + Name +
                "'. Use int, float, string, bool, vector, vector(N), list[T] or a record");
  }
  return true;
}

bool Parser::parseAtom(Atom &Out, bool AllowAggregates) {
  if (peek().K != Tok::Ident)
    return fail("Expected a relation name" + near());
  Out.Relation = peek().Text;
  ++Pos;
  if (!expect("("))
    return false;
  if (accept(")"))
    return true;
  if (!parseArgs(Out.Args, AllowAggregates))
    return false;
  return expect(")");
}

bool Parser::parseArgs(std::vector<Expr> &Out, bool AllowAggregates) {
  do {
    Expr E;
    if (peek().K == Tok::Ident && isPunct("<", 1) && AllowAggregates) {
      std::string Name = peek().Text;
      Pos += 2;
      if (!parseAggregate(E, Name))
        return false;
    } else if (!parseExpr(E, 0)) {
      return false;
    }
    Out.push_back(std::move(E));
  } while (accept(","));
  return true;
}

bool Parser::parseAggregate(Expr &Out, std::string Name) {
  Out.Aggregate = findAggregate(Name);
  if (!Out.Aggregate)
    return fail("Unknown aggregate '" + Name + "'");
  Out.K = Expr::Kind::Aggregate;
  Out.Name = Name;
  do {
    const Token &T = peek();
    Expr A;
    if (T.K == Tok::Var) {
      A.K = Expr::Kind::Variable;
      A.Name = T.Text;
    } else if (T.K == Tok::Int) {
      if (T.Text == "9223372036854775808")
        return fail("Integer literal out of range: " + T.Text);
      A.Constant = Value::integer(T.Int);
    } else if (T.K == Tok::Float) {
      A.Constant = Value::real(T.Float);
    } else if (T.K == Tok::Ident) {
      A.Constant = Value::string(T.Text); // asc / desc
    } else {
      return fail("Expected an aggregate argument" + near());
    }
    A.Text = T.Text;
    ++Pos;
    // `Score:desc`: the order a ranking aggregate sorts its variable in.
    if (A.K == Expr::Kind::Variable && accept(":")) {
      if (peek().K != Tok::Ident || (peek().Text != "desc" && peek().Text != "asc"))
        return fail("Expected 'desc' or 'asc' after ':'" + near());
      A.Order = peek().Text;
      A.Text += ":" + A.Order;
      ++Pos;
    }
    Out.Args.push_back(std::move(A));
  } while (accept(","));
  if (!expect(">"))
    return false;
  Out.Text = printExpr(Out);
  return true;
}

bool Parser::parseTupleList(std::vector<std::vector<Expr>> &Out) {
  do {
    if (!expect("("))
      return false;
    std::vector<Expr> Row;
    if (!accept(")")) {
      do {
        if (isPunct(")"))
          break; // (1,) is a one-element tuple
        Expr E;
        if (!parseExpr(E, 0))
          return false;
        Row.push_back(std::move(E));
      } while (accept(","));
      if (!expect(")"))
        return false;
    }
    Out.push_back(std::move(Row));
  } while (accept(","));
  return true;
}

bool Parser::parseBody(std::vector<Literal> &Out) {
  do {
    if (Out.size() == MaxBodyLiterals)
      return fail("Body too long: more than " + std::to_string(MaxBodyLiterals) + " literals");
    Literal L;
    if (!parseLiteral(L))
      return false;
    Out.push_back(std::move(L));
  } while (accept(","));
  return true;
}

bool Parser::parseLiteral(Literal &Out) {
  if (accept("!")) {
    Out.K = Literal::Kind::Negative;
    return parseAtom(Out.A, false);
  }
  Expr L;
  if (!parseExpr(L, 0))
    return false;
  static const char *Ops[] = {"=", "!=", "<", "<=", ">", ">="};
  if (isPunct("=="))
    return fail("'==' is not supported; use '='");
  for (const char *Op : Ops)
    if (isPunct(Op)) {
      ++Pos;
      Out.K = Literal::Kind::Compare;
      Out.CmpOp = Op;
      Out.Lhs = std::move(L);
      return parseExpr(Out.Rhs, 0);
    }
  if (L.K != Expr::Kind::Call)
    return fail("Expected an atom or a comparison" + near());
  Out.K = Literal::Kind::Positive;
  Out.A.Relation = L.Name;
  Out.A.Args = std::move(L.Args);
  return true;
}

bool Parser::parseExpr(Expr &Out, unsigned Depth) {
  return parseBinaryLevel(Out, Depth, "+-", &Parser::parseTerm);
}

bool Parser::parseTerm(Expr &Out, unsigned Depth) {
  return parseBinaryLevel(Out, Depth, "*/%", &Parser::parseUnary);
}

/// A left-associative chain of Next-level operands joined by any of the
/// one-character operators in Ops.
bool Parser::parseBinaryLevel(Expr &Out, unsigned Depth, llvm::StringRef Ops,
                              bool (Parser::*Next)(Expr &, unsigned)) {
  size_t From = Pos;
  if (!(this->*Next)(Out, Depth))
    return false;
  while (peek().Text.size() == 1 && Ops.contains(peek().Text[0]) &&
         isPunct(peek().Text)) {
    char Op = peek().Text[0];
    ++Pos;
    if (!countOperator())
      return false;
    Expr R;
    if (!(this->*Next)(R, Depth))
      return false;
    Expr B;
    B.K = Expr::Kind::Binary;
    B.Op = Op;
    B.Args.push_back(std::move(Out));
    B.Args.push_back(std::move(R));
    Out = std::move(B);
  }
  Out.Text = source(From, Pos);
  return true;
}

bool Parser::parseUnary(Expr &Out, unsigned Depth) {
  if (Depth > MaxExprDepth)
    return fail("Expression nested too deeply");
  if (isPunct("-")) {
    ++Pos;
    const Token &T = peek();
    if (T.K == Tok::Int) {
      ++Pos;
      Out.K = Expr::Kind::Constant;
      Out.Constant = Value::integer(T.Text == "9223372036854775808" ? INT64_MIN : -T.Int);
      Out.Text = "-" + T.Text;
      return true;
    }
    if (T.K == Tok::Float) {
      ++Pos;
      Out.K = Expr::Kind::Constant;
      Out.Constant = Value::real(-T.Float);
      Out.Text = "-" + T.Text;
      return true;
    }
    Expr Operand;
    if (!countOperator() || !parseUnary(Operand, Depth + 1))
      return false;
    Expr Zero;
    Zero.Constant = Value::integer(0);
    Out.K = Expr::Kind::Binary;
    Out.Op = '-';
    Out.Args.push_back(std::move(Zero));
    Out.Args.push_back(std::move(Operand));
    return true;
  }
  return parsePrimary(Out, Depth + 1);
}

bool Parser::parseCall(Expr &Out, const std::string &Name, unsigned Depth) {
  ++Pos; // (
  Out.K = Expr::Kind::Call;
  Out.Name = Name;
  Out.Function = findFunction(Name);
  if (accept(")"))
    return true;
  do {
    Expr A;
    if (!parseExpr(A, Depth + 1))
      return false;
    Out.Args.push_back(std::move(A));
  } while (accept(","));
  return expect(")");
}

bool Parser::parsePrimary(Expr &Out, unsigned Depth) {
  const Token T = peek();
  Out.Text = T.Text;
  switch (T.K) {
  case Tok::Int:
    if (T.Text == "9223372036854775808")
      return fail("Integer literal out of range: " + T.Text);
    ++Pos;
    Out.Constant = Value::integer(T.Int);
    return true;
  case Tok::Float:
    ++Pos;
    Out.Constant = Value::real(T.Float);
    return true;
  case Tok::String:
    ++Pos;
    Out.Constant = Value::string(T.Text);
    Out.Text = Out.Constant.literal();
    return true;
  case Tok::Var:
    ++Pos;
    // The server matches function names in any case: `ABS(X)` calls abs.
    if (isPunct("(") && findFunction(T.Text))
      return parseCall(Out, T.Text, Depth);
    Out.K = Expr::Kind::Variable;
    Out.Name = T.Text;
    return true;
  case Tok::Wildcard:
    ++Pos;
    Out.K = Expr::Kind::Wildcard;
    return true;
  case Tok::Ident: {
    ++Pos;
    if (T.Text == "true" || T.Text == "false") {
      Out.Constant = Value::boolean(T.Text == "true");
      return true;
    }
    // `null(...)` is an atom of a relation named null, which a session
    // accepts, so the state file must read it back as one.
    if (T.Text == "null" && Options.AllowNull && !isPunct("(")) {
      Out.Constant = Value::null();
      return true;
    }
    if (!isPunct("("))
      return fail("Unexpected word '" + T.Text + "': strings must be double-quoted");
    return parseCall(Out, T.Text, Depth);
  }
  case Tok::Punct:
    if (T.Text == "(") {
      ++Pos;
      if (!parseExpr(Out, Depth + 1))
        return false;
      return expect(")");
    }
    if (T.Text == "[") {
      ++Pos;
      std::vector<Value> Elements;
      bool Ground = true;
      std::vector<Expr> Items;
      if (!accept("]")) {
        do {
          Expr E;
          if (!parseExpr(E, Depth + 1))
            return false;
          if (E.K != Expr::Kind::Constant)
            Ground = false;
          else
            Elements.push_back(E.Constant);
          Items.push_back(std::move(E));
        } while (accept(","));
        if (!expect("]"))
          return false;
      }
      if (!Ground)
        return fail("List literals may only hold constants");
      Out.Constant = Value::list(std::move(Elements));
      return true;
    }
    return fail("Unexpected '" + T.Text + "'" + near());
  case Tok::End:
    return fail("Unexpected end of statement");
  case Tok::Error:
    return fail(T.Text);
  }
  return fail("Unexpected input" + near());
}

llvm::Expected<Statement> strata::iql::parseStatement(StringRef Text, ParseOptions Options) {
  StringRef Trimmed = Text.trim();
  Parser P(Trimmed, Options);
  Statement Out;
  std::string Error;
  if (P.run(Out, Error))
    return std::move(Out);
  size_t Pos = std::min(P.errorPos(), Trimmed.size());
  return DiagnosticError::make(DiagKind::IqlSyntax, llvm::SMLoc::getFromPointer(Trimmed.data() + Pos),
                               Error);
}
