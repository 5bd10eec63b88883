//===- HtmlText.cpp - Escaping and IQL highlighting for the html page ------===//
#include "strata/IQL/Lexer.h"
#include "strata/Review/Render.h"

using namespace strata;
using namespace strata::review;

std::string review::escapeHtml(llvm::StringRef Text) {
  std::string Out;
  Out.reserve(Text.size());
  for (char C : Text) {
    switch (C) {
    case '&':
      Out += "&amp;";
      break;
    case '<':
      Out += "&lt;";
      break;
    case '>':
      Out += "&gt;";
      break;
    case '"':
      Out += "&quot;";
      break;
    case '\'':
      Out += "&#39;";
      break;
    default:
      Out += C;
    }
  }
  return Out;
}

std::string review::proseHtml(llvm::StringRef Text) {
  std::string Out;
  while (!Text.empty()) {
    size_t Open = Text.find('`');
    size_t Close = Open == llvm::StringRef::npos ? Open : Text.find('`', Open + 1);
    if (Close == llvm::StringRef::npos) {
      Out += escapeHtml(Text);
      break;
    }
    Out += escapeHtml(Text.take_front(Open)) + "<code>" + escapeHtml(Text.slice(Open + 1, Close)) +
           "</code>";
    Text = Text.drop_front(Close + 1);
  }
  return Out;
}

namespace {
const char *classOf(iql::TokenKind K) {
  switch (K) {
  case iql::TokenKind::Ident:
    return "k";
  case iql::TokenKind::Var:
  case iql::TokenKind::Wildcard:
    return "v";
  case iql::TokenKind::Int:
  case iql::TokenKind::Float:
    return "n";
  case iql::TokenKind::String:
    return "s";
  case iql::TokenKind::Punct:
    return "p";
  default:
    return nullptr;
  }
}
} // namespace

std::string review::highlightIql(llvm::StringRef Statement) {
  std::string Out;
  size_t At = 0;
  for (const iql::Token &T : iql::lex(Statement)) {
    const char *Class = classOf(T.K);
    if (!Class || T.End > Statement.size() || T.Pos < At)
      break; // End, or a malformed token: the rest goes out as text
    Out += escapeHtml(Statement.slice(At, T.Pos));
    Out += std::string("<span class=\"") + Class + "\">" +
           escapeHtml(Statement.slice(T.Pos, T.End)) + "</span>";
    At = T.End;
  }
  Out += escapeHtml(Statement.substr(At));
  return Out;
}
