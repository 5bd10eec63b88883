//===- StateFile.cpp - The engine's persistent state, as text --------------===//
//
// The body of a state file (StateFileIO.cpp adds the header and does the
// I/O): deterministic, line-oriented IQL-like text: graphs in name order,
// each with its schemas, facts (sorted), rules (clauses in order) and
// indexes.
//
//===----------------------------------------------------------------------===//
#include "Store.h"
#include "strata/Engine/Engine.h"
#include "strata/IQL/Parser.h"
#include "strata/IQL/Printer.h"
#include "llvm/ADT/StringExtras.h"

using namespace strata::engine;
using llvm::StringRef;

static llvm::Error failure(const std::string &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

static std::string schemaText(const std::string &Name, const Schema &S) {
  std::string T = "+" + Name + "(";
  for (size_t I = 0; I < S.size(); ++I)
    T += (I ? ", " : "") + S[I].Name + ": " + S[I].Type.text();
  return T + ")";
}

std::string Engine::serialize() const {
  std::string Out;
  for (const auto &GEntry : TheStore->Graphs) {
    const Graph &G = GEntry.second;
    Out += "graph " + GEntry.first + "\n";
    for (const auto &REntry : G.Relations) {
      const std::string &Name = REntry.first;
      const BaseRelation &R = REntry.second;
      if (R.Columns)
        Out += "schema " + schemaText(Name, *R.Columns) + "\n";
      else
        Out += "rel " + Name + "\n";
      for (const Tuple &T : sortedTuples(R.Tuples)) {
        Out += "fact +" + Name + "(";
        for (size_t I = 0; I < T.size(); ++I)
          Out += (I ? ", " : "") + T[I].literal();
        Out += ")\n";
      }
    }
    for (const auto &Rule : G.Rules) {
      if (Rule.second.empty())
        Out += "cleared " + Rule.first + "\n";
      for (const Clause &C : Rule.second)
        Out += "rule +" + iql::printClause(C) + "\n";
    }
    for (const auto &I : G.Indexes)
      Out += "index " + I.second.text() + "\n";
  }
  return Out;
}

llvm::Expected<Engine> Engine::deserialize(StringRef Text) {
  Engine E;
  Store &S = E.store();
  S.Graphs.clear();
  Graph *Current = nullptr;
  unsigned LineNo = 0;
  iql::ParseOptions Options;
  Options.AllowNull = true;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    ++LineNo;
    if (Line.empty())
      continue;
    auto [Keyword, Payload] = Line.split(' ');
    auto Bad = [&](const std::string &Why) {
      return failure("line " + std::to_string(LineNo) + ": " + Why);
    };
    if (Keyword == "graph") {
      if (Payload.empty())
        return Bad("a graph needs a name");
      Current = &S.Graphs[Payload.str()];
      continue;
    }
    if (!Current)
      return Bad("`" + Keyword.str() + "` before any `graph` line");
    if (Keyword == "rel" || Keyword == "cleared") {
      if (Payload.empty() || Payload.contains(' '))
        return Bad("expected one name after `" + Keyword.str() + "`");
      if (Keyword == "rel")
        Current->Relations[Payload.str()];
      else
        Current->Rules[Payload.str()];
      continue;
    }
    llvm::Expected<Statement> Parsed = iql::parseStatement(Payload, Options);
    if (!Parsed)
      return Bad(llvm::toString(Parsed.takeError()));
    Statement &St = *Parsed;
    if (Keyword == "schema" && St.K == Statement::Kind::SchemaDecl) {
      Current->Relations[St.Relation].Columns = St.Columns;
    } else if (Keyword == "fact" && St.K == Statement::Kind::Insert && St.Rows.size() == 1) {
      Tuple T;
      for (const Expr &X : St.Rows[0]) {
        if (X.K != Expr::Kind::Constant)
          return Bad("a fact may only hold constants");
        T.push_back(X.Constant);
      }
      Current->Relations[St.Relation].Tuples.insert(std::move(T));
    } else if (Keyword == "rule" && St.K == Statement::Kind::PersistentRule) {
      Current->Rules[St.Rule.Head.Relation].push_back(St.Rule);
    } else if (Keyword == "index" && St.Command == iql::MetaCommandId::IndexCreate) {
      Current->Indexes[St.Index.Name] = St.Index;
    } else {
      return Bad("unexpected `" + Keyword.str() + "` line");
    }
  }
  S.Graphs["default"];
  return E;
}
