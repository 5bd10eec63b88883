//===- Parser.cpp - ANTLR glue: lexing, two-stage parsing, errors ---------===//
#include "strata/Parse/Parser.h"
#include "ASTBuilder.h"
#include "CodePointStream.h"
#include "Nesting.h"
#include "RecursiveDescent.h"
#include "Scanner.h"
#include "StrataLexer.h"
#include "StrataParser.h"
#include "antlr4-runtime.h"
#include "strata/Parse/Lexers.h"
#include "strata/Support/SourceFiles.h"
#include <algorithm>
#include <cassert>
#include <set>

using namespace strata;
using namespace strata::parse;
using strata_antlr::StrataLexer;

namespace {

std::string describeTokenType(size_t Type, const antlr4::dfa::Vocabulary &V) {
  switch (Type) {
  case antlr4::Token::EOF:
    return "end of file";
  case P::IDENT:
    return "a name";
  case P::INT:
    return "an integer";
  case P::FLOAT:
    return "a float";
  case P::STRING:
    return "a string";
  case P::MIGRATION_NAME:
    return "a migration name";
  default:
    break;
  }
  std::string Literal = V.getLiteralName(Type);
  if (Literal.size() >= 2 && Literal.front() == '\'')
    return "`" + Literal.substr(1, Literal.size() - 2) + "`";
  return V.getDisplayName(Type);
}

/// "`:`", "`)` or `,`", "a name, `[` or `(`"; long sets are cut short.
std::string describeExpected(const antlr4::misc::IntervalSet &Set,
                             const antlr4::dfa::Vocabulary &V) {
  std::vector<size_t> Types;
  for (ssize_t T : Set.toList())
    Types.push_back(static_cast<size_t>(T));
  auto Has = [&](size_t T) { return std::find(Types.begin(), Types.end(), T) != Types.end(); };
  bool HasName = Has(P::IDENT);
  // `:` (of `:-`) and `.` after a clause are accepted only to report them as
  // mistakes; never suggest them.
  bool HideColon = Has(P::ARROW_LEFT);
  bool HideDot = Has(P::COMMA) && Has(P::RBRACE);
  std::vector<std::string> Parts;
  if (HasName)
    Parts.push_back("a name");
  for (size_t T : Types) {
    if (T == size_t(P::IDENT) || (HasName && isKeywordToken(T)) ||
        (HideColon && T == size_t(P::COLON)) || (HideDot && T == size_t(P::DOT)))
      continue;
    Parts.push_back(describeTokenType(T, V));
  }
  constexpr size_t MaxShown = 6;
  bool Cut = Parts.size() > MaxShown;
  if (Cut)
    Parts.resize(MaxShown);
  std::string Out;
  for (size_t I = 0; I < Parts.size(); ++I) {
    if (I > 0)
      Out += (I + 1 == Parts.size() && !Cut) ? " or " : ", ";
    Out += Parts[I];
  }
  if (Cut)
    Out += " or another token";
  return Out;
}

std::string describeFound(antlr4::Token *T) {
  if (T->getType() == antlr4::Token::EOF)
    return "end of file";
  std::string Text = T->getText();
  if (Text.size() > 24)
    Text = Text.substr(0, 21) + "...";
  return "`" + Text + "`";
}

/// Turns ANTLR's reports into Strata diagnostics and remembers that the
/// parse failed somewhere.
class SyntaxErrorCollector : public antlr4::BaseErrorListener {
public:
  SyntaxErrorCollector(DiagnosticEngine &Diags, const SourcePositions &Pos, unsigned MaxErrors)
      : Diags(Diags), Pos(Pos), MaxErrors(MaxErrors) {}

  void syntaxError(antlr4::Recognizer *R, antlr4::Token *Offending, size_t, size_t CharPos,
                   const std::string &Msg, std::exception_ptr) override {
    Failed = true;
    if (!Offending) { // from the lexer, which has no tokens to offer
      reportOnce(Pos.loc(CharPos), llvm::SMRange(), Msg);
      return;
    }
    llvm::SMLoc Start = Pos.loc(Offending->getStartIndex());
    llvm::SMRange Range(Start, Offending->getType() == antlr4::Token::EOF
                                   ? Start
                                   : Pos.locAfter(Offending->getStopIndex()));
    switch (Offending->getType()) {
    case P::UNTERMINATED_STRING:
      return; // reported when the tokens were scanned
    case P::UNKNOWN_CHAR:
      if (admit(Start))
        Diags.reportAt(DiagKind::UnexpectedCharacter, Range, Offending->getText());
      return;
    default:
      break;
    }
    auto *Parser = dynamic_cast<antlr4::Parser *>(R);
    std::string Message = "unexpected " + describeFound(Offending);
    if (Parser) {
      antlr4::misc::IntervalSet Expected = Parser->getExpectedTokens();
      if (!Expected.isEmpty())
        Message = "expected " + describeExpected(Expected, Parser->getVocabulary()) + ", found " +
                  describeFound(Offending);
    }
    reportOnce(Start, Range, Message);
  }

  bool Failed = false;

private:
  /// Whether an error at Loc should be reported: once per location, and
  /// parsing stops (by exception, caught in parseText) past the limit.
  bool admit(llvm::SMLoc Loc) {
    if (!Seen.insert(Loc.getPointer()).second)
      return false;
    if (++Reported > MaxErrors) {
      Diags.report(DiagKind::TooManySyntaxErrors, Loc, MaxErrors);
      throw antlr4::ParseCancellationException("too many syntax errors");
    }
    return true;
  }

  void reportOnce(llvm::SMLoc Loc, llvm::SMRange Range, const std::string &Msg) {
    if (!admit(Loc))
      return;
    auto B = Diags.report(DiagKind::SyntaxError, Loc, Msg);
    if (Range.isValid() && Range.Start != Range.End)
      B.range(Range);
  }

  DiagnosticEngine &Diags;
  const SourcePositions &Pos;
  unsigned MaxErrors;
  unsigned Reported = 0;
  std::set<const char *> Seen;
};

/// True when Tree holds an error node or a rule that failed to match.
bool subtreeHasError(antlr4::tree::ParseTree *Tree) {
  std::vector<antlr4::tree::ParseTree *> Work{Tree};
  while (!Work.empty()) {
    antlr4::tree::ParseTree *Node = Work.back();
    Work.pop_back();
    if (dynamic_cast<antlr4::tree::ErrorNode *>(Node))
      return true;
    if (auto *Ctx = dynamic_cast<antlr4::ParserRuleContext *>(Node))
      if (Ctx->exception)
        return true;
    for (antlr4::tree::ParseTree *Child : Node->children)
      Work.push_back(Child);
  }
  return false;
}

/// Collects comments and catches what the grammar cannot report well:
/// unterminated strings and comments, and nesting deep enough to exhaust
/// the recursive-descent parser's stack. Returns false to stop parsing.
bool scanTokens(const std::vector<antlr4::Token *> &Tokens, const SourcePositions &Pos,
                const ParseLimits &Limits, ast::SourceFile &File, DiagnosticEngine &Diags) {
  unsigned Depth = 0;
  bool Ok = true;
  for (antlr4::Token *T : Tokens) {
    llvm::SMRange Range(Pos.loc(T->getStartIndex()), Pos.locAfter(T->getStopIndex()));
    switch (T->getType()) {
    case P::LINE_COMMENT:
      File.Comments.push_back({T->getText(), Range});
      break;
    case P::BLOCK_COMMENT: {
      std::string Text = T->getText();
      if (Text.size() < 4 || Text.compare(Text.size() - 2, 2, "*/") != 0) {
        Diags.report(DiagKind::UnterminatedComment, Range.Start);
        Ok = false;
      }
      File.Comments.push_back({Text, Range});
      break;
    }
    case P::UNTERMINATED_STRING:
      Diags.reportAt(DiagKind::UnterminatedString, Range);
      break;
    default:
      break;
    }
    if (!stepNesting(T->getType(), Depth, Limits.MaxNesting)) {
      Diags.report(DiagKind::NestingTooDeep, Range.Start, Limits.MaxNesting);
      return false;
    }
  }
  return Ok;
}

llvm::StringRef withoutByteOrderMark(llvm::StringRef Text) {
  if (Text.startswith("\xEF\xBB\xBF"))
    return Text.drop_front(3);
  return Text;
}

} // namespace

ast::FileKind strata::fileKindForPath(llvm::StringRef Path) {
  return Path.endswith(".mig") ? ast::FileKind::Migration : ast::FileKind::Schema;
}

namespace {
/// Where the parser's tokens come from: the scanner, or the generated lexer
/// when the reference path is selected (strata/Parse/Lexers.h). Declared
/// before the token stream, which must go first: the scanner owns the
/// tokens' memory.
class TokenSupply {
public:
  TokenSupply(llvm::StringRef Text, antlr4::ANTLRErrorListener &Listener) {
    // The scanner's tokens hold 32-bit offsets; sources are far smaller
    // (MaxSourceFileBytes), but a larger buffer still parses, slowly.
    if (selectedLexer() == LexerKind::Scanner && Text.size() < (uint64_t(1) << 31)) {
      Hand = std::make_unique<Scanner>(Text);
      return;
    }
    Input = std::make_unique<CodePointStream>(Text);
    Generated = std::make_unique<StrataLexer>(Input.get());
    Generated->useUnlockedDfa();
    Generated->removeErrorListeners();
    Generated->addErrorListener(&Listener);
  }
  antlr4::TokenSource *source() {
    return Hand ? static_cast<antlr4::TokenSource *>(Hand.get()) : Generated.get();
  }

private:
  std::unique_ptr<Scanner> Hand;
  std::unique_ptr<CodePointStream> Input;
  std::unique_ptr<StrataLexer> Generated;
};

void finishParse(ast::SourceFile &File, const DiagnosticEngine &Diags, size_t ErrorsBefore) {
  File.HasSyntaxErrors = Diags.errorCount() != ErrorsBefore;
}

/// Stage one: fast SLL prediction that bails at the first error (only a
/// file it rejects pays for full LL and error recovery), one item at a
/// time: each item's parse tree becomes AST and is freed before the next,
/// so trees never hold more than one declaration. SLL prediction ignores
/// the calling rule, so items parse exactly as inside `file`. What the AST
/// builder reports waits in a scratch engine until the whole file has
/// parsed; returns false, with File as it was, when stage two must run.
bool parseItemsFast(strata_antlr::StrataParser &Parser, ast::SourceFile &File,
                    DiagnosticEngine &Diags, const SourcePositions &Pos,
                    const ParseLimits &Limits) {
  Parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  Parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  DiagnosticEngine Scratch(Diags.sourceMgr());
  Scratch.setWarningsAsErrors(Diags.warningsAsErrors());
  ASTBuilder Builder(Scratch, Pos, Limits);
  antlr4::TokenStream *Tokens = Parser.getTokenStream();
  try {
    while (Tokens->LA(1) != antlr4::Token::EOF) {
      Builder.buildItem(Parser.item(), File, nullptr);
      Parser.releaseParseTrees();
    }
  } catch (const antlr4::ParseCancellationException &) {
    File.Items.clear();
    return false;
  }
  Builder.finishFile(File, false);
  Diags.append(std::move(Scratch));
  return true;
}

/// Stage one as it was before parseItemsFast, kept for the reference path
/// (strata/Parse/Lexers.h) so that the differential tests compare against
/// the whole previous pipeline: the whole file in one SLL parse, then the
/// AST. Returns false when stage two must run.
bool parseWholeFileFast(strata_antlr::StrataParser &Parser, ast::SourceFile &File,
                        DiagnosticEngine &Diags, const SourcePositions &Pos,
                        const ParseLimits &Limits) {
  Parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  Parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  P::FileContext *Tree = nullptr;
  try {
    Tree = Parser.file();
  } catch (const antlr4::ParseCancellationException &) {
    return false;
  }
  ASTBuilder Builder(Diags, Pos, Limits);
  Builder.buildFile(Tree, File, nullptr);
  return true;
}

/// Parses Text, which lies inside buffer File.BufferID, into File as a file
/// of its own. SourcePositions maps ANTLR's indices into Text to pointers
/// into the buffer, so every location the parse records points at the right
/// byte whatever part of the buffer Text is.
void parseText(llvm::StringRef Text, ast::SourceFile &File, DiagnosticEngine &Diags,
               const ParseLimits &Limits) {
  size_t ErrorsBefore = Diags.errorCount();
  // A well-formed schema file never reaches ANTLR (RecursiveDescent.h).
  if (selectedLexer() == LexerKind::Scanner && selectedParser() == ParserKind::RecursiveDescent &&
      parseWithoutAntlr(Text, File, Diags, Limits))
    return finishParse(File, Diags, ErrorsBefore);
  SourcePositions Pos(Text);
  prepareParser();
  try {
    SyntaxErrorCollector Collector(Diags, Pos, Limits.MaxSyntaxErrors);
    TokenSupply Supply(Text, Collector);
    antlr4::CommonTokenStream Tokens(Supply.source());
    Tokens.fill();
    if (!scanTokens(Tokens.getTokens(), Pos, Limits, File, Diags)) {
      File.HasSyntaxErrors = true;
      return;
    }

    strata_antlr::StrataParser Parser(&Tokens);
    Parser.useUnlockedDfa();
    Parser.removeErrorListeners();
    bool Reference = selectedLexer() == LexerKind::Generated;
    if (!Collector.Failed &&
        (Reference ? parseWholeFileFast : parseItemsFast)(Parser, File, Diags, Pos, Limits))
      return finishParse(File, Diags, ErrorsBefore);

    // Stage two, for a file stage one rejected: full LL prediction with
    // error recovery over the whole file, reporting every error.
    Tokens.seek(0);
    Parser.reset();
    Parser.addErrorListener(&Collector);
    Parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    Parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    P::FileContext *Tree = nullptr;
    try {
      Tree = Parser.file();
    } catch (const antlr4::ParseCancellationException &) {
      File.HasSyntaxErrors = true; // the limit was reached and reported
      return;
    }
    ASTBuilder Builder(Diags, Pos, Limits);
    Builder.buildFile(Tree, File, Collector.Failed ? subtreeHasError : nullptr);
  } catch (const std::exception &E) {
    Diags.report(DiagKind::SyntaxError, Pos.loc(0),
                 std::string("internal parser failure: ") + E.what());
  }
  finishParse(File, Diags, ErrorsBefore);
}
} // namespace

ast::SourceFile strata::parseBuffer(unsigned BufferID, ast::FileKind Kind, DiagnosticEngine &Diags,
                                    const ParseLimits &Limits) {
  const llvm::MemoryBuffer *Buffer = Diags.sourceMgr().getMemoryBuffer(BufferID);
  return parseBufferRange(BufferID, 0, Buffer->getBufferSize(), Kind, Diags, Limits);
}

ast::SourceFile strata::parseBufferRange(unsigned BufferID, size_t Begin, size_t End,
                                         ast::FileKind Kind, DiagnosticEngine &Diags,
                                         const ParseLimits &Limits) {
  const llvm::MemoryBuffer *Buffer = Diags.sourceMgr().getMemoryBuffer(BufferID);
  assert(Begin <= End && End <= Buffer->getBufferSize() && "range outside the buffer");
  End = std::min(End, Buffer->getBufferSize());
  Begin = std::min(Begin, End);
  ast::SourceFile File;
  File.Kind = Kind;
  File.BufferID = BufferID;
  File.Path = Buffer->getBufferIdentifier().str();
  llvm::StringRef Text = Buffer->getBuffer().slice(Begin, End);
  // A byte-order mark can only open the buffer; elsewhere it is a character
  // like any other.
  if (Begin == 0)
    Text = withoutByteOrderMark(Text);
  parseText(Text, File, Diags, Limits);
  return File;
}

void strata::prepareParser() {
  StrataLexer::initializeOnce();
  strata_antlr::StrataParser::initializeOnce();
}

std::optional<ast::SourceFile> strata::parseFile(llvm::StringRef Path, DiagnosticEngine &Diags,
                                                 const ParseLimits &Limits) {
  std::optional<unsigned> ID = loadSourceFile(Path, Diags);
  if (!ID)
    return std::nullopt;
  return parseBuffer(*ID, fileKindForPath(Path), Diags, Limits);
}
