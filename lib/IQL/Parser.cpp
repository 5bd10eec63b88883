//===- Parser.cpp - IQL tokens to a statement's tree -----------------------===//
//
// Recursive descent over the lexer's tokens. The first problem found stops
// the parse; its message is the server's wording, since the engine replies
// with it, and its offset points at the token where it was found.
//
//===----------------------------------------------------------------------===//
#include "strata/IQL/Parser.h"
#include "strata/IQL/Lexer.h"
#include "strata/IQL/Limits.h"
#include "strata/IQL/Printer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace strata;
using namespace strata::iql;
using llvm::StringRef;
using Tok = TokenKind;

namespace {
class Parser {
public:
  Parser(StringRef Text, ParseOptions Options) : Text(Text), Toks(lex(Text)), Options(Options) {}

  /// The statement, or a DiagnosticError located at the first problem.
  llvm::Expected<Statement> run();

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
  /// Records the first error, at the next token unless At says where.
  bool fail(std::string Message, DiagKind Kind = DiagKind::IqlSyntax, size_t At = StringRef::npos) {
    if (Err.empty()) {
      Err = std::move(Message);
      ErrPos = At == StringRef::npos ? peek().Pos : At;
      ErrKind = Kind;
    }
    return false;
  }
  /// Where the token before the next one ends: the end of what was just parsed.
  unsigned endOfPrevious() const { return Pos ? unsigned(Toks[Pos - 1].End) : 0; }
  std::string near() const {
    const Token &T = peek();
    if (T.K == Tok::End)
      return " at end of statement";
    return " near '" + Text.substr(T.Pos, 20).str() + "'";
  }
  /// The server refuses the trailing period older IQL wrote (`+r(1).`
  /// fails), each statement form with its own message; see trailingPeriod.
  bool atEnd() const { return peek().K == Tok::End; }
  /// Whether the statement ends in a `.` right here.
  bool atTrailingPeriod() const { return isPunct(".") && peek(1).K == Tok::End; }
  bool expectEnd() { return atEnd() || fail("Unexpected input" + near()); }
  bool expectBodyEnd();
  std::string source(size_t From, size_t To) const {
    return Text.substr(Toks[From].Pos, Toks[To].Pos - Toks[From].Pos).trim().str();
  }

  bool parseByLeadingToken(Statement &Out);
  bool parseQuery(Statement &Out);
  bool parseTypeDecl(Statement &Out);
  bool parseSessionClause(Statement &Out);
  bool parseLooseFact(Statement &Out);
  bool parseRuleBody(std::vector<Literal> &Out);
  bool parseMeta(Statement &Out);
  bool acceptMeta(Statement &Out, const MetaCommandForm &Form);
  bool parseIndexCreate(const std::vector<std::string> &W, IndexSpec &Out);
  bool parseTargetsOrFacts(Statement &Out);
  bool parseBulk(Statement &Out, bool Insert);
  bool parseTargets(bool Insert, std::vector<std::pair<bool, Atom>> &Targets);
  bool finishRuleTargets(Statement &Out, std::vector<std::pair<bool, Atom>> Targets);
  bool parseSchema(Statement &Out);
  bool parseColumnType(ColumnType &Out, unsigned Depth);
  bool parseAtom(Atom &Out, bool AllowAggregates, bool AllowCapitalised = false);
  bool parseArgs(std::vector<Expr> &Out, bool AllowAggregates);
  bool parseTupleList(std::vector<std::vector<Expr>> &Out);
  bool parseBody(std::vector<Literal> &Out, bool TrailingComma = false);
  bool parseLiteral(Literal &Out);
  bool parseLiteralParts(Literal &Out);
  bool parseExpr(Expr &Out, unsigned Depth);
  bool parseTerm(Expr &Out, unsigned Depth);
  bool parseBinaryLevel(Expr &Out, unsigned Depth, llvm::StringRef Ops,
                        bool (Parser::*Next)(Expr &, unsigned));
  bool parseUnary(Expr &Out, unsigned Depth);
  bool parseUnaryParts(Expr &Out, unsigned Depth);
  bool parsePrimary(Expr &Out, unsigned Depth);
  bool parseWord(Expr &Out, const std::string &Word, unsigned Depth);
  bool parseList(Expr &Out, unsigned Depth);
  bool parseAggregate(Expr &Out);
  bool parseOrder(Expr &Var);
  bool checkRelationName(const std::string &Name);
  bool countOperator();

  StringRef Text;
  std::vector<Token> Toks;
  ParseOptions Options;
  size_t Pos = 0;
  size_t Operators = 0;    // binary operators parsed so far, against MaxOperators
  bool InQuery = false;    // a query's atoms may order their variables (`S:desc`)
  size_t LiteralStart = 0; // the first token of the literal being parsed
  std::string Err;
  size_t ErrPos = 0;
  DiagKind ErrKind = DiagKind::IqlSyntax;
};
} // namespace

bool Parser::countOperator() {
  if (++Operators <= MaxOperators)
    return true;
  return fail("Statement too long: more than " + std::to_string(MaxOperators) +
                  " arithmetic operators",
              DiagKind::IqlLimitExceeded);
}

bool Parser::checkRelationName(const std::string &Name) {
  if (StringRef(Name).startswith("__"))
    return fail("Relation names starting with '__' are reserved: '" + Name + "'");
  return true;
}

llvm::Expected<Statement> Parser::run() {
  Statement Out;
  Out.Text = Text.str();
  auto Located = [&](DiagKind Kind, size_t At, std::string Message) {
    At = std::min(At, Text.size());
    return DiagnosticError::make(Kind, llvm::SMLoc::getFromPointer(Text.data() + At),
                                 std::move(Message));
  };
  // The lexer's first complaint wins over anything the parser would say.
  auto Bad = llvm::find_if(Toks, [](const Token &T) { return T.K == Tok::Error; });
  if (Bad != Toks.end())
    return Located(Bad->ErrorKind, Bad->Pos, Bad->Text);
  if (parseByLeadingToken(Out))
    return Out;
  if (Err.empty())
    return Located(DiagKind::IqlSyntax, 0, "Unrecognized statement: " + Text.str());
  return Located(ErrKind, ErrPos, Err);
}

/// Dispatches on how the statement starts.
bool Parser::parseByLeadingToken(Statement &Out) {
  if (Text.startswith("."))
    return parseMeta(Out);
  if (isPunct("?"))
    return parseQuery(Out);
  if (peek().K == Tok::Ident && peek().Text == "type" &&
      (peek(1).K == Tok::Var || peek(1).K == Tok::Ident))
    return parseTypeDecl(Out);
  if (isPunct("+") || isPunct("-"))
    return parseTargetsOrFacts(Out);
  if (peek().K == Tok::Ident)
    return parseSessionClause(Out);
  return parseLooseFact(Out);
}

/// What the server says about a session fact whose text after the name,
/// Rest (from the first `(`), is not one tuple: it splits the text inside
/// the outer parentheses at commas and names the first piece that is not
/// a term (`chain(E, F), chain(F, G)` has `F)`).
static std::string looseFactError(StringRef Rest) {
  if (!Rest.endswith(")"))
    return "Expected parentheses: " + Rest.str();
  llvm::SmallVector<StringRef, 8> Pieces;
  Rest.drop_front().drop_back().split(Pieces, ',');
  for (StringRef Piece : Pieces)
    if (Piece.count('(') != Piece.count(')'))
      return "Invalid term: '" + Piece.trim().str() + "'";
  return "Expected parentheses: " + Rest.str();
}

/// Any other statement with a `(`, as the server reads it: a session fact
/// whose relation is everything before the `(` (`X = f(Y)` is a fact of
/// `X = f`, which then fails on its variable, as on the server:
/// 30_quantization/05, 06_joins/10).
bool Parser::parseLooseFact(Statement &Out) {
  auto Open =
      llvm::find_if(Toks, [](const Token &T) { return T.K == Tok::Punct && T.Text == "("; });
  if (Open == Toks.end())
    return fail("Unrecognized statement: " + Text.str());
  Pos = size_t(Open - Toks.begin());
  Out.K = Statement::Kind::SessionFact;
  Out.Rule.Head.Relation = Text.substr(0, Open->Pos).trim().str();
  Atom &Head = Out.Rule.Head;
  ++Pos;
  if ((accept(")") || (parseArgs(Head.Args, false) && accept(")"))) && atEnd())
    return true;
  Err.clear();
  return fail(looseFactError(Text.substr(Open->Pos).trim()));
}

bool Parser::parseQuery(Statement &Out) {
  ++Pos;
  Out.K = Statement::Kind::Query;
  InQuery = true;
  // No transcript shows a query ending in a period; older IQL wrote one,
  // and the engine still reads it.
  if (!parseBody(Out.Body))
    return false;
  accept(".");
  if (!expectEnd())
    return false;
  // The server refuses the arrow anywhere in a query's text, even in a string.
  if (Text.contains("<-"))
    return fail("A query cannot contain '<-'");
  return true;
}

bool Parser::parseTypeDecl(Statement &Out) {
  Out.K = Statement::Kind::TypeDecl;
  Out.Relation = peek(1).Text;
  Pos += 2;
  if (!expect(":"))
    return false;
  if (isPunct("{"))
    return fail("Unknown base type: '" + Text.substr(peek().Pos).str() +
                "'. Use int, string, bool, float, or a type name.");
  return parseColumnType(Out.Type, 0) && atEnd();
}

/// `head <- body` or a fact `rel(...)`, both held in the session only.
bool Parser::parseSessionClause(Statement &Out) {
  Atom Head;
  if (!parseAtom(Head, /*AllowAggregates=*/true)) {
    if (Err.rfind("Expected '('", 0) == 0)
      Err = "Expected parentheses: " + Text.substr(Toks[Pos].Pos).str();
    return false;
  }
  Out.Rule.Head = std::move(Head);
  if (accept("<-")) {
    Out.K = Statement::Kind::SessionRule;
    return parseRuleBody(Out.Rule.Body);
  }
  Out.K = Statement::Kind::SessionFact;
  // The server names what follows the relation name.
  return atEnd() || fail(looseFactError(Text.substr(Toks[1].Pos).trim()));
}

/// The body after `<-`, up to the end of the statement.
bool Parser::parseRuleBody(std::vector<Literal> &Out) {
  if (peek().K == Tok::End)
    return fail("Empty rule body with head variables is not allowed. Use 'foo(constant).' "
                "for facts, or add body predicates.");
  return parseBody(Out, /*TrailingComma=*/true) && expectBodyEnd();
}

/// The end of a rule body or query. The server reads a body's last atom
/// up to the end of the text, so a trailing period makes its last
/// argument `Y).`, which it names (10_edge_cases/13).
bool Parser::expectBodyEnd() {
  if (!atTrailingPeriod())
    return expectEnd();
  size_t From = Pos;
  while (From > 0 && !(Toks[From - 1].K == Tok::Punct &&
                       (Toks[From - 1].Text == "," || Toks[From - 1].Text == "(")))
    --From;
  return fail("Invalid term: '" + Text.slice(Toks[From].Pos, Toks[Pos].End).trim().str() + "'",
              DiagKind::IqlSyntax, Toks[From].Pos);
}

/// A dot command: its words, matched against MetaCommands.def. A failure
/// points at the word it is about.
bool Parser::parseMeta(Statement &Out) {
  Out.K = Statement::Kind::Meta;
  std::vector<size_t> Offsets; // where each word starts in Text
  for (size_t I = 1; I < Text.size();) {
    if (Text[I] == ' ') {
      ++I;
      continue;
    }
    size_t End = Text.find(' ', I);
    StringRef Word = Text.slice(I, End).trim();
    if (!Word.empty()) {
      Out.Words.push_back(Word.str());
      Offsets.push_back(I);
    }
    I = End;
  }
  auto &W = Out.Words;
  auto At = [&](size_t WordI) { return WordI < Offsets.size() ? Offsets[WordI] : Text.size(); };
  if (W.empty())
    return fail("Empty command");
  const MetaCommand *Cmd = findMetaCommand(W[0]);
  if (!Cmd)
    return fail("Unknown command: ." + W[0], DiagKind::IqlSyntax, At(0));
  const MetaCommandForm *Named = nullptr; // the first form whose Sub is W[1]
  for (const MetaCommandForm &F : allMetaForms()) {
    if (StringRef(F.Command) != W[0] || !*F.Sub || W.size() < 2 || W[1] != F.Sub)
      continue;
    Named = Named ? Named : &F;
    if (metaArgsFit(F, llvm::makeArrayRef(W).drop_front(2)))
      return acceptMeta(Out, F);
  }
  if (Named && *Named->Usage)
    return fail(std::string("Usage: ") + Named->Usage, DiagKind::IqlSyntax, At(1));
  if (!Named)
    for (const MetaCommandForm &F : allMetaForms())
      if (StringRef(F.Command) == W[0] && !*F.Sub &&
          metaArgsFit(F, llvm::makeArrayRef(W).drop_front(1)))
        return acceptMeta(Out, F);
  switch (Cmd->Unmatched) {
  case MetaUnmatched::UnknownSubcommand:
    if (W.size() > 1)
      return fail("Unknown ." + W[0] + " command: " + W[1], DiagKind::IqlSyntax, At(1));
    [[fallthrough]];
  case MetaUnmatched::Usage:
    return fail(std::string("Usage: ") + Cmd->Usage, DiagKind::IqlSyntax, At(1));
  case MetaUnmatched::UnknownCommand:
    break;
  }
  return fail("Unknown command: ." + W[0], DiagKind::IqlSyntax, At(0));
}

/// The forms whose words need more than a shape: a clause index, the
/// options of `.index create`.
bool Parser::acceptMeta(Statement &Out, const MetaCommandForm &Form) {
  Out.Command = Form.Id;
  const std::vector<std::string> &W = Out.Words;
  if (Form.Id == MetaCommandId::RuleRemove) {
    unsigned long long I;
    if (llvm::getAsUnsignedInteger(W[3], 10, I) || I > 1000000000ULL)
      return fail("Invalid clause index: " + W[3]);
  }
  if (Form.Id == MetaCommandId::IndexCreate)
    return parseIndexCreate(W, Out.Index);
  return true;
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
  if (isPunct("[", 1))
    return parseBulk(Out, Insert);
  // Schema declaration: +rel(col: type, ...)
  if (Insert && isPunct("(", 1) && peek(2).K == Tok::Ident && isPunct(":", 3)) {
    Pos += 1;
    Out.Relation = Name;
    return parseSchema(Out);
  }
  std::vector<std::pair<bool, Atom>> Targets;
  if (!parseTargets(Insert, Targets))
    return false;
  if (accept("<-"))
    return finishRuleTargets(Out, std::move(Targets));
  if (Targets.size() > 1)
    return fail("An update needs a body: '<- ...'");
  if (atTrailingPeriod()) // what follows the name is no longer one tuple
    return fail("Expected parentheses: " + Text.slice(Toks[2].Pos, Toks[Pos].End).str(),
                DiagKind::IqlSyntax, Toks[2].Pos);
  if (!atEnd())
    return fail("Unexpected input" + near());
  Out.K = Insert ? Statement::Kind::Insert : Statement::Kind::Delete;
  Out.Relation = Targets[0].second.Relation;
  Out.Rows.push_back(std::move(Targets[0].second.Args));
  return true;
}

/// +rel[(...), ...] / -rel[(...), ...]
bool Parser::parseBulk(Statement &Out, bool Insert) {
  Out.K = Insert ? Statement::Kind::Insert : Statement::Kind::Delete;
  Out.Relation = peek().Text;
  Out.Bulk = true;
  Pos += 2;
  if (!accept("]")) {
    if (!parseTupleList(Out.Rows) || !expect("]"))
      return false;
  }
  if (atTrailingPeriod())
    return fail("Bulk insert must be in format: relation[(t1), (t2), ...]");
  return expectEnd();
}

/// The first atom after the sign (already consumed), then any further
/// `, +atom` / `, -atom` of an update.
bool Parser::parseTargets(bool Insert, std::vector<std::pair<bool, Atom>> &Targets) {
  Atom First;
  if (!parseAtom(First, /*AllowAggregates=*/Insert))
    return false;
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
  return true;
}

/// After `<-`: one target makes a persistent rule or a conditional delete,
/// several an update.
bool Parser::finishRuleTargets(Statement &Out, std::vector<std::pair<bool, Atom>> Targets) {
  std::vector<Literal> Body;
  if (!parseRuleBody(Body))
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
  bool Insert = Targets[0].first;
  Out.Rule.Head = std::move(Targets[0].second);
  Out.Rule.Body = std::move(Body);
  Out.Relation = Out.Rule.Head.Relation;
  Out.K = Insert ? Statement::Kind::PersistentRule : Statement::Kind::ConditionalDelete;
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
  if (!expect(")") || !expectEnd())
    return false;
  if (!Recognised)
    return fail("Unrecognized statement: " + Text.str());
  return true;
}

bool Parser::parseColumnType(ColumnType &Out, unsigned Depth) {
  if (Depth > MaxTypeDepth)
    return fail("Type nested too deeply", DiagKind::IqlLimitExceeded);
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
    return fail("Unknown base type: '" + Name + "'. Use int, string, bool, float, or a type name.");
  }
  return true;
}

bool Parser::parseAtom(Atom &Out, bool AllowAggregates, bool AllowCapitalised) {
  if (peek().K != Tok::Ident && !(AllowCapitalised && peek().K == Tok::Var))
    return fail("Expected a relation name" + near());
  Out.Relation = peek().Text;
  Out.Begin = unsigned(peek().Pos);
  ++Pos;
  if (!expect("("))
    return false;
  if (!accept(")") && !(parseArgs(Out.Args, AllowAggregates) && expect(")")))
    return false;
  Out.End = endOfPrevious();
  return true;
}

bool Parser::parseArgs(std::vector<Expr> &Out, bool AllowAggregates) {
  do {
    Expr E;
    if (AllowAggregates && isPunct("<")) {
      // `<COUNT_DISTINCT:X>`: an aggregate with no name before its `<`.
      return fail("Unknown aggregate function: ");
    } else if (peek().K == Tok::Ident && isPunct("<", 1) && AllowAggregates) {
      if (!parseAggregate(E))
        return false;
    } else if (!parseExpr(E, 0)) {
      return false;
    }
    Out.push_back(std::move(E));
  } while (accept(","));
  return true;
}

/// After `Var:` (consumed): `asc` or `desc`, the order of the reply's
/// rows by that variable (a query's) or of a ranking aggregate's rows.
bool Parser::parseOrder(Expr &Var) {
  if (peek().K != Tok::Ident || (peek().Text != "desc" && peek().Text != "asc"))
    return fail("Expected 'desc' or 'asc' after ':'" + near());
  Var.Order = peek().Text;
  Var.End = unsigned(peek().End);
  ++Pos;
  return true;
}

/// `name<arg, ...>` in a head; the next token is the name.
bool Parser::parseAggregate(Expr &Out) {
  const std::string &Name = peek().Text;
  Out.Begin = unsigned(peek().Pos);
  Out.Aggregate = findAggregate(Name);
  if (!Out.Aggregate)
    return fail("Unknown aggregate '" + Name + "'", DiagKind::IqlUnknownAggregate, Out.Begin);
  Out.K = Expr::Kind::Aggregate;
  Out.Name = Name;
  Pos += 2;
  do {
    const Token &T = peek();
    Expr A;
    if (T.K == Tok::Var) {
      A.K = Expr::Kind::Variable;
      A.Name = T.Text;
    } else if (T.K == Tok::Int) {
      if (T.Text == MinIntMagnitude)
        return fail("Integer literal out of range: " + T.Text, DiagKind::IqlIntegerOutOfRange);
      A.Constant = Value::integer(T.Int);
    } else if (T.K == Tok::Float) {
      A.Constant = Value::real(T.Float);
    } else if (T.K == Tok::Ident) {
      A.Constant = Value::string(T.Text); // asc / desc
    } else {
      return fail("Expected an aggregate argument" + near());
    }
    A.Text = T.Text;
    A.Begin = unsigned(T.Pos);
    A.End = unsigned(T.End);
    ++Pos;
    // `Score:desc`: the order a ranking aggregate sorts its variable in.
    if (A.K == Expr::Kind::Variable && accept(":")) {
      if (!parseOrder(A))
        return false;
      A.Text += ":" + A.Order;
    }
    Out.Args.push_back(std::move(A));
  } while (accept(","));
  if (!expect(">"))
    return false;
  Out.End = endOfPrevious();
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

/// Literals separated by commas; a rule's body may end with one more
/// comma, which the server ignores (`r(X) <- a(X),`: transcripts
/// 13_performance/12, 11_types/25).
bool Parser::parseBody(std::vector<Literal> &Out, bool TrailingComma) {
  do {
    if (TrailingComma && !Out.empty() && peek().K == Tok::End)
      break;
    if (Out.size() == MaxBodyLiterals)
      return fail("Body too long: more than " + std::to_string(MaxBodyLiterals) + " literals",
                  DiagKind::IqlLimitExceeded);
    Literal L;
    if (!parseLiteral(L))
      return false;
    Out.push_back(std::move(L));
  } while (accept(","));
  return true;
}

bool Parser::parseLiteral(Literal &Out) {
  Out.Begin = unsigned(peek().Pos);
  if (!parseLiteralParts(Out))
    return false;
  Out.End = endOfPrevious();
  return true;
}

bool Parser::parseLiteralParts(Literal &Out) {
  LiteralStart = Pos;
  if (accept("!")) {
    Out.K = Literal::Kind::Negative;
    return parseAtom(Out.A, false);
  }
  // `CONTAINS(S, "x")`: a capitalised name that is no function reads as
  // an atom of a relation of that name, which holds nothing (transcripts
  // 35_strings/10, 20, 21).
  if (peek().K == Tok::Var && peek().Text[0] >= 'A' && peek().Text[0] <= 'Z' && isPunct("(", 1) &&
      !findFunction(peek().Text)) {
    Out.K = Literal::Kind::Positive;
    return parseAtom(Out.A, false, /*AllowCapitalised=*/true);
  }
  Expr L;
  if (!parseExpr(L, 0))
    return false;
  static const char *Ops[] = {"=", "!=", "<", "<=", ">", ">="};
  if (isPunct("=="))
    return fail("Use '=' for equality, not '=='");
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
  Out.A.Begin = L.Begin;
  Out.A.End = L.End;
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
  while (peek().Text.size() == 1 && Ops.contains(peek().Text[0]) && isPunct(peek().Text)) {
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
    B.Begin = unsigned(Toks[From].Pos);
    B.End = endOfPrevious();
    B.Args.push_back(std::move(Out));
    B.Args.push_back(std::move(R));
    Out = std::move(B);
  }
  Out.Text = source(From, Pos);
  // A parenthesised operand covers its parentheses, as its Text does.
  Out.Begin = unsigned(Toks[From].Pos);
  Out.End = endOfPrevious();
  return true;
}

bool Parser::parseUnary(Expr &Out, unsigned Depth) {
  unsigned Begin = unsigned(peek().Pos);
  if (!parseUnaryParts(Out, Depth))
    return false;
  Out.Begin = Begin;
  Out.End = endOfPrevious();
  return true;
}

/// `-` before a number is part of the literal; before anything else it
/// reads as `0 - operand`.
bool Parser::parseUnaryParts(Expr &Out, unsigned Depth) {
  if (Depth > MaxExprDepth)
    return fail("Expression nested too deeply", DiagKind::IqlLimitExceeded);
  if (isPunct("-")) {
    ++Pos;
    const Token &T = peek();
    if (T.K == Tok::Int) {
      ++Pos;
      Out.K = Expr::Kind::Constant;
      Out.Constant = Value::integer(T.Text == MinIntMagnitude ? INT64_MIN : -T.Int);
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
    size_t Minus = Pos - 1;
    Expr Operand;
    if (!countOperator() || !parseUnary(Operand, Depth + 1))
      return false;
    // The implied zero sits where the `-` is.
    Expr Zero;
    Zero.Constant = Value::integer(0);
    Zero.Begin = unsigned(Toks[Minus].Pos);
    Zero.End = Zero.Begin + 1;
    Out.K = Expr::Kind::Binary;
    Out.Op = '-';
    Out.Args.push_back(std::move(Zero));
    Out.Args.push_back(std::move(Operand));
    return true;
  }
  return parsePrimary(Out, Depth + 1);
}

bool Parser::parsePrimary(Expr &Out, unsigned Depth) {
  const Token T = peek();
  Out.Text = T.Text;
  switch (T.K) {
  case Tok::Int:
    if (T.Text == MinIntMagnitude)
      return fail("Integer literal out of range: " + T.Text, DiagKind::IqlIntegerOutOfRange);
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
    // The server matches function names in any case: `ABS(X)` calls abs;
    // `MIN(A, B)` is a call of a function it does not know, which the
    // engine refuses with the server's words (lib/Engine/UnknownCalls.h).
    if (isPunct("("))
      return parseWord(Out, T.Text, Depth);
    Out.K = Expr::Kind::Variable;
    Out.Name = T.Text;
    return true;
  case Tok::Wildcard:
    ++Pos;
    Out.K = Expr::Kind::Wildcard;
    return true;
  case Tok::Ident:
    ++Pos;
    return parseWord(Out, T.Text, Depth);
  case Tok::Punct:
    if (T.Text == "(") {
      ++Pos;
      return parseExpr(Out, Depth + 1) && expect(")");
    }
    if (T.Text == "[") {
      ++Pos;
      return parseList(Out, Depth);
    }
    return fail("Unexpected '" + T.Text + "'" + near());
  case Tok::End:
    return fail("Unexpected end of statement");
  case Tok::Error:
    return fail(T.Text, T.ErrorKind);
  }
  return fail("Unexpected input" + near());
}

/// A lowercase word in an expression (already consumed): a boolean, null,
/// or a function call.
bool Parser::parseWord(Expr &Out, const std::string &Word, unsigned Depth) {
  if (Word == "true" || Word == "false") {
    Out.Constant = Value::boolean(Word == "true");
    return true;
  }
  // `null(...)` is an atom of a relation named null, which a session
  // accepts, so the state file must read it back as one.
  if (Word == "null" && Options.AllowNull && !isPunct("(")) {
    Out.Constant = Value::null();
    return true;
  }
  if (!isPunct("("))
    return fail("Unexpected word '" + Word + "': strings must be double-quoted");
  // A query's atom (a call that starts its literal) may order its rows.
  bool Orders = InQuery && Pos == LiteralStart + 1;
  ++Pos;
  Out.K = Expr::Kind::Call;
  Out.Name = Word;
  Out.Function = findFunction(Word);
  if (accept(")"))
    return true;
  do {
    Expr A;
    if (!parseExpr(A, Depth + 1))
      return false;
    if (Orders && A.isVariable() && accept(":") && !parseOrder(A))
      return false;
    Out.Args.push_back(std::move(A));
  } while (accept(","));
  return expect(")");
}

/// A list literal after its `[`: constants only.
bool Parser::parseList(Expr &Out, unsigned Depth) {
  std::vector<Value> Elements;
  bool Ground = true;
  if (!accept("]")) {
    do {
      Expr E;
      if (!parseExpr(E, Depth + 1))
        return false;
      if (E.K != Expr::Kind::Constant)
        Ground = false;
      else
        Elements.push_back(E.Constant);
    } while (accept(","));
    if (!expect("]"))
      return false;
  }
  if (!Ground)
    return fail("List literals may only hold constants");
  Out.Constant = Value::list(std::move(Elements));
  return true;
}

llvm::Expected<Statement> strata::iql::parseStatement(StringRef Text, ParseOptions Options) {
  return Parser(Text.trim(), Options).run();
}

llvm::Expected<std::optional<Statement>> strata::iql::parseProgramStatement(StringRef Text) {
  auto Refuse = [](std::string Message) -> llvm::Error {
    return DiagnosticError::make(DiagKind::IqlSyntax, llvm::SMLoc(), std::move(Message));
  };
  // Sent alone, an indented first line would still parse; sent after
  // another statement it would continue that one. A stream never relies
  // on which.
  StringRef FirstLine = Text.split('\n').first;
  if (!FirstLine.trim().empty() && (FirstLine[0] == ' ' || FirstLine[0] == '\t'))
    return Refuse("a statement must start at the beginning of a line; a line that starts with "
                  "whitespace continues the previous statement");
  std::vector<SourceStatement> Parts = splitProgram(Text);
  if (Parts.empty())
    return std::nullopt;
  if (Parts.size() > 1)
    return Refuse("line " + std::to_string(Parts[1].Line) +
                  " of the statement starts a new statement (one statement per line; "
                  "continuation lines are indented)");
  llvm::Expected<Statement> S = parseStatement(Parts[0].Text);
  if (!S)
    // The error's location points into Parts, which dies here: keep the
    // message, the server's reason.
    return Refuse(llvm::toString(S.takeError()));
  return std::optional<Statement>(std::move(*S));
}
