//===- StateFile.cpp - The engine's persistent state, as text --------------===//
//
// The body of a state file (StateFileIO.cpp adds the header and does the
// I/O): deterministic, line-oriented IQL-like text: graphs in name order,
// each with its schemas, facts (sorted), rules (clauses in order) and
// indexes. Journal records (ChangeLog.cpp) use the same lines, plus lines
// that remove things; both are read by applyStateText.
//
//===----------------------------------------------------------------------===//
#include "FactLine.h"
#include "StateText.h"
#include "strata/Engine/Engine.h"
#include "strata/IQL/Parser.h"
#include "strata/IQL/Printer.h"
#include "llvm/ADT/StringExtras.h"
#include <cstdio>

using namespace strata::engine;
using llvm::StringRef;

static llvm::Error textError(const std::string &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

std::string strata::engine::relationLine(const std::string &Name, const BaseRelation &R) {
  if (!R.Columns)
    return "rel " + Name + "\n";
  const Schema &S = *R.Columns;
  std::string T = "schema +" + Name + "(";
  for (size_t I = 0; I < S.size(); ++I)
    T += (I ? ", " : "") + S[I].Name + ": " + S[I].Type.text();
  return T + ")\n";
}

void strata::engine::appendFactLine(std::string &Out, StringRef Keyword, const std::string &Name,
                                    const Tuple &T) {
  Out.append(Keyword.data(), Keyword.size()).append(" +").append(Name).push_back('(');
  for (size_t I = 0; I < T.size(); ++I) {
    if (I)
      Out.append(", ");
    if (T[I].kind() == Value::Kind::Int) {
      // The most common value, printed in place (literal() makes a string).
      char Digits[24];
      int N = snprintf(Digits, sizeof Digits, "%lld", static_cast<long long>(T[I].asInt()));
      Out.append(Digits, size_t(N));
    } else {
      Out.append(T[I].literal());
    }
  }
  Out.append(")\n");
}

void strata::engine::appendFactLines(std::string &Out, StringRef Keyword, const std::string &Name,
                                     const TupleSet &S) {
  for (const Tuple *T : strata::iql::sortedTupleRefs(S))
    appendFactLine(Out, Keyword, Name, *T);
}

std::string strata::engine::ruleLines(const std::string &Name, const std::vector<Clause> &Clauses) {
  if (Clauses.empty())
    return "cleared " + Name + "\n";
  std::string Out;
  for (const Clause &C : Clauses)
    Out += "rule +" + strata::iql::printClause(C) + "\n";
  return Out;
}

std::string strata::engine::indexLine(const IndexSpec &Spec) {
  return "index " + Spec.text() + "\n";
}

std::string Engine::serialize() const {
  std::string Out;
  for (const auto &GEntry : TheStore->Graphs) {
    const Graph &G = GEntry.second;
    Out += "graph " + GEntry.first + "\n";
    for (const auto &REntry : G.Relations) {
      Out += relationLine(REntry.first, REntry.second);
      appendFactLines(Out, "fact", REntry.first, REntry.second.Tuples);
    }
    for (const auto &Rule : G.Rules)
      Out += ruleLines(Rule.first, Rule.second);
    for (const auto &I : G.Indexes)
      Out += indexLine(I.second);
  }
  return Out;
}

namespace {
/// Reads the lines of a body or a journal record into a store.
class LineReader {
public:
  LineReader(Store &S, StateTextKind Kind) : S(S), Kind(Kind) {}
  llvm::Error line(StringRef Keyword, StringRef Payload);

private:
  llvm::Error removal(StringRef Keyword, StringRef Name);
  llvm::Error statement(StringRef Keyword, StringRef Payload);
  bool plainFact(StringRef Keyword, StringRef Payload);
  void storeFact(bool Retract, StringRef Relation, Tuple T);
  Store &S;
  StateTextKind Kind;
  Graph *Current = nullptr;
  Tuple Scratch; // a plain fact's values, before they are stored
  // The relation the last fact went to: a body lists a relation's facts
  // together, so most lines skip the lookup. Forgotten when a graph or
  // relation may go away.
  BaseRelation *LastRelation = nullptr;
  std::string LastName;
};
} // namespace

static bool oneName(StringRef Payload) { return !Payload.empty() && !Payload.contains(' '); }

llvm::Error LineReader::line(StringRef Keyword, StringRef Payload) {
  if (Keyword != "fact" && Keyword != "retract")
    LastRelation = nullptr; // it may be dropped, or belong to another graph
  if (Keyword == "graph" || (Kind == StateTextKind::JournalRecord && Keyword == "dropgraph")) {
    if (Payload.empty())
      return textError("a graph needs a name");
    if (Keyword == "graph") {
      Current = &S.Graphs[Payload.str()];
    } else {
      S.Graphs.erase(Payload.str());
      Current = nullptr;
    }
    return llvm::Error::success();
  }
  if (!Current)
    return textError("`" + Keyword.str() + "` before any `graph` line");
  if (Kind == StateTextKind::JournalRecord && Keyword.startswith("drop"))
    return removal(Keyword, Payload);
  if (Keyword == "rel" || Keyword == "cleared") {
    if (!oneName(Payload))
      return textError("expected one name after `" + Keyword.str() + "`");
    if (Keyword == "rel")
      Current->Relations[Payload.str()];
    else
      Current->Rules[Payload.str()];
    return llvm::Error::success();
  }
  if (plainFact(Keyword, Payload))
    return llvm::Error::success();
  return statement(Keyword, Payload);
}

/// A fact (or a journal's retraction) in the shape the state file writes,
/// read without the parser (FactLine.h); false for any other line.
bool LineReader::plainFact(StringRef Keyword, StringRef Payload) {
  bool Retract = Kind == StateTextKind::JournalRecord && Keyword == "retract";
  if (!Retract && Keyword != "fact")
    return false;
  StringRef Relation;
  if (!readPlainFact(Payload, Relation, Scratch))
    return false;
  // A tuple of exactly its size: a state holds millions of them.
  storeFact(
      Retract, Relation,
      Tuple(std::make_move_iterator(Scratch.begin()), std::make_move_iterator(Scratch.end())));
  return true;
}

void LineReader::storeFact(bool Retract, StringRef Relation, Tuple T) {
  if (!LastRelation || Relation != LastName) {
    LastRelation = nullptr;
    auto It = Current->Relations.find(Relation.str());
    if (It == Current->Relations.end() && Retract)
      return;
    if (It == Current->Relations.end())
      It = Current->Relations.emplace(Relation.str(), BaseRelation()).first;
    LastRelation = &It->second;
    LastName = Relation.str();
  }
  if (Retract)
    LastRelation->Tuples.erase(T, nullptr);
  else
    LastRelation->Tuples.insert(std::move(T), nullptr);
}

llvm::Error LineReader::removal(StringRef Keyword, StringRef Name) {
  if (!oneName(Name))
    return textError("expected one name after `" + Keyword.str() + "`");
  if (Keyword == "droprel")
    Current->Relations.erase(Name.str());
  else if (Keyword == "droprule")
    Current->Rules.erase(Name.str());
  else if (Keyword == "dropindex")
    Current->Indexes.erase(Name.str());
  else
    return textError("unexpected `" + Keyword.str() + "` line");
  return llvm::Error::success();
}

llvm::Error LineReader::statement(StringRef Keyword, StringRef Payload) {
  strata::iql::ParseOptions Options;
  Options.AllowNull = true;
  llvm::Expected<Statement> Parsed = strata::iql::parseStatement(Payload, Options);
  if (!Parsed)
    return Parsed.takeError();
  Statement &St = *Parsed;
  bool Retract = Kind == StateTextKind::JournalRecord && Keyword == "retract";
  if (Keyword == "schema" && St.K == Statement::Kind::SchemaDecl) {
    Current->Relations[St.Relation].Columns = St.Columns;
  } else if ((Keyword == "fact" || Retract) && St.K == Statement::Kind::Insert &&
             St.Rows.size() == 1) {
    Tuple T;
    for (const Expr &X : St.Rows[0]) {
      if (X.K != Expr::Kind::Constant)
        return textError("a fact may only hold constants");
      T.push_back(X.Constant);
    }
    storeFact(Retract, St.Relation, std::move(T));
  } else if (Keyword == "rule" && St.K == Statement::Kind::PersistentRule) {
    Current->Rules[St.Rule.Head.Relation].push_back(St.Rule);
  } else if (Keyword == "index" && St.Command == strata::iql::MetaCommandId::IndexCreate) {
    Current->Indexes[St.Index.Name] = St.Index;
  } else {
    return textError("unexpected `" + Keyword.str() + "` line");
  }
  return llvm::Error::success();
}

llvm::Error strata::engine::applyStateText(Store &S, StringRef Text, StateTextKind Kind) {
  LineReader Reader(S, Kind);
  unsigned LineNo = 0;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    ++LineNo;
    if (Line.empty())
      continue;
    auto [Keyword, Payload] = Line.split(' ');
    if (llvm::Error E = Reader.line(Keyword, Payload))
      return textError("line " + std::to_string(LineNo) + ": " + llvm::toString(std::move(E)));
  }
  // Every state has a `default` graph, however it was written.
  S.Graphs["default"];
  return llvm::Error::success();
}

llvm::Expected<Engine> Engine::deserialize(StringRef Text) {
  Engine E;
  E.store().Graphs.clear();
  if (llvm::Error Err = applyStateText(E.store(), Text, StateTextKind::Body))
    return Err;
  return E;
}
