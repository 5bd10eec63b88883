//===- Differential.cpp - Checker and engine, statement by statement ------===//
#include "Differential.h"
#include "Exceptions.h"
#include "Transcript.h"
#include "strata/Engine/Engine.h"
#include "strata/Exec/ReplyCheck.h"
#include "strata/IQL/Parser.h"
#include "strata/Verify/Catalog.h"
#include "strata/Verify/MigrationStatement.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace strata;
using namespace strata::difftest;
using llvm::StringRef;
using StmtK = iql::Statement::Kind;

namespace {

Verdict refused(std::string Message, FailureKind Kind) { return {false, std::move(Message), Kind}; }

Verdict refused(std::string Message) {
  FailureKind K = classifyFailure(Message);
  return refused(std::move(Message), K);
}

/// Why a migration never contains S (it parsed), or empty when it may.
std::string exclusionReason(const iql::Statement &S) {
  switch (S.K) {
  case StmtK::SessionRule:
    return "session rule (no `+`: not persisted)";
  case StmtK::SessionFact:
    return "session fact (no `+`: not persisted)";
  case StmtK::TypeDecl:
    return "`type` declaration (session-only)";
  case StmtK::DropRule:
    return "`-name` drop (a migration uses `.rel drop`/`.rule drop`)";
  case StmtK::SchemaDecl:
    for (const iql::Column &C : S.Columns)
      if (C.Type.K == iql::ColumnType::Kind::Named)
        return "schema with a named column type (Strata never emits one)";
    return "";
  case StmtK::Meta:
    if (migrationKind(S))
      return "";
    if (S.Command == iql::MetaCommandId::RuleDropPrefix)
      return "`.rule drop prefix` (a migration names each rule)";
    return "`." + (S.Words.empty() ? std::string() : S.Words[0]) +
           "` command other than those a migration sends";
  default:
    return "";
  }
}

/// Why a migration never contains a statement that does not parse, or
/// empty, judged by its first word: a dot command other than those a
/// migration sends (`.session`, `.why`, ...), or a session rule or fact
/// (every statement a migration sends starts with `+`, `-`, `?` or `.`).
std::string unparsedExclusionReason(StringRef Text) {
  StringRef Trimmed = Text.ltrim();
  if (!Trimmed.empty() && llvm::isAlpha(Trimmed.front()))
    return Trimmed.contains("<-") ? "session rule (no `+`: not persisted)"
                                  : "session fact (no `+`: not persisted)";
  if (!Trimmed.consume_front("."))
    return "";
  StringRef Command = Trimmed.take_while([](char C) { return C != ' ' && C != '\n'; });
  for (const iql::MetaCommandForm &F : iql::allMetaForms())
    if (F.Migration && Command == F.Command)
      return "";
  return "`." + Command.str() + "` command other than those a migration sends";
}

/// The engine refused because it does not implement what the server does
/// (a function of Functions.def, an aggregate): it says so itself.
bool engineUnsupported(const Verdict &Engine) {
  return !Engine.Accepted && StringRef(Engine.Message).contains("by the embedded engine");
}

/// The engine's verdict on one statement sent alone.
Verdict engineVerdict(const Reply &R) {
  if (R.IsError && !R.ValidationErrors.empty())
    return refused(R.ValidationErrors.front().Message, FailureKind::Syntax);
  if (std::optional<std::string> Why = exec::replyFailure(R))
    return refused(*Why);
  return {};
}

/// The checker: one catalog per knowledge graph, following the engine's
/// current graph (`.kg` is a session command the checker does not model).
class Checker {
public:
  Verdict check(StringRef Text, const std::string &Graph) {
    llvm::Expected<std::optional<iql::Statement>> S = readMigrationStatement(Text);
    if (!S) {
      std::string Message = llvm::toString(S.takeError());
      bool Parses = static_cast<bool>(iql::parseStatement(Text));
      return Parses ? refused(Message) : refused(Message, FailureKind::Syntax);
    }
    if (!*S)
      return {};
    IqlCatalog &C = Catalogs[Graph];
    if (llvm::Error E = C.execute(**S))
      return refused(llvm::toString(std::move(E)));
    if (!C.brokenRule().empty())
      return refused(C.brokenRule());
    return {};
  }
  void forgetGraph(const std::string &Graph) { Catalogs.erase(Graph); }

private:
  std::map<std::string, IqlCatalog> Catalogs;
};

/// `.kg drop NAME`: the name, or empty.
std::string droppedGraph(const iql::Statement &S) {
  if (S.Command == iql::MetaCommandId::KgDrop)
    return S.Words[2];
  return "";
}

/// The server's verdicts, read from its transcript in order: a statement
/// on one line is matched with the next echo of the same text.
class ServerVerdicts {
public:
  explicit ServerVerdicts(StringRef Transcript) : Steps(conformance::readTranscript(Transcript)) {}

  std::optional<Verdict> next(const iql::SourceStatement &Src) {
    std::string Text = echoed(Src.Text);
    for (size_t I = Next; I < Steps.size(); ++I) {
      if (echoed(Steps[I].Request) != Text)
        continue;
      Next = I + 1;
      return verdictOf(conformance::readOutcome(Steps[I].Output));
    }
    return std::nullopt;
  }

private:
  std::vector<conformance::Step> Steps;
  size_t Next = 0;

  /// A statement as the client echoes it: continuation lines joined, line
  /// comments dropped, runs of blanks made one (for matching only; a `//`
  /// inside a string is rare enough in the corpus to be left alone).
  static std::string echoed(StringRef Text) {
    std::string Out;
    for (StringRef Rest = Text; !Rest.empty();) {
      auto [Line, Tail] = Rest.split('\n');
      Rest = Tail;
      for (char C : Line.split("//").first) {
        bool Blank = llvm::isSpace(C);
        if (!Blank || (!Out.empty() && Out.back() != ' '))
          Out += Blank ? ' ' : C;
      }
      if (!Out.empty() && Out.back() != ' ')
        Out += ' ';
    }
    return StringRef(Out).rtrim().str();
  }

  static Verdict verdictOf(const conformance::Outcome &O) {
    if (O.IsTable)
      return {};
    for (const std::string &L : O.Messages)
      if (conformance::looksLikeFailure(L))
        return refused(L, StringRef(L).startswith("Parse error") ? FailureKind::Syntax
                                                                 : classifyFailure(L));
    return {};
  }
};

} // namespace

std::vector<StatementOutcome> difftest::runDifferential(StringRef Program, StringRef Transcript) {
  engine::Engine Engine;
  engine::Session Session(Engine);
  Checker Check;
  ServerVerdicts Server(Transcript);
  std::vector<StatementOutcome> Out;
  bool EngineGapSeen = false;
  for (const iql::SourceStatement &Src : iql::splitProgram(Program)) {
    StatementOutcome O;
    O.Line = Src.Line;
    O.Text = Src.Text;
    llvm::Expected<iql::Statement> Parsed = iql::parseStatement(Src.Text);
    if (Parsed)
      O.Excluded = exclusionReason(*Parsed);
    else {
      llvm::consumeError(Parsed.takeError());
      O.Excluded = unparsedExclusionReason(Src.Text);
    }
    std::string Graph = Session.currentGraph();
    O.Engine = engineVerdict(Session.execute(Src.Text));
    O.Server = Server.next(Src);
    if (!O.Server && O.Excluded.empty()) {
      if (engineUnsupported(O.Engine)) {
        O.Uncomparable = "the engine does not implement a function or aggregate it uses";
        EngineGapSeen = true;
      } else if (EngineGapSeen) {
        O.Uncomparable = "after a statement the engine does not implement";
      }
    }
    if (Parsed && O.Engine.Accepted)
      if (std::string Dropped = droppedGraph(*Parsed); !Dropped.empty())
        Check.forgetGraph(Dropped);
    if (O.compared()) {
      O.Checker = Check.check(Src.Text, Graph);
      if (!O.agrees() && !O.sharedEngineGap())
        O.Exception = documentedException(Parsed ? &*Parsed : nullptr, O.reference(), O.Checker);
    }
    Out.push_back(std::move(O));
  }
  return Out;
}
