//===- Values.cpp - Constants, names as values and fill literals ----------===//
#include "Values.h"
#include <cctype>
#include <cmath>
#include <cstdlib>

using namespace strata;
using namespace strata::parse;

std::string strata::parse::unescapeString(llvm::StringRef Token, llvm::SMLoc TokenLoc,
                                          DiagnosticEngine &Diags) {
  llvm::StringRef Body = Token.drop_front().drop_back(); // the quotes
  std::string Out;
  Out.reserve(Body.size());
  for (size_t I = 0; I < Body.size(); ++I) {
    char C = Body[I];
    if (C != '\\' || I + 1 == Body.size()) {
      Out += C;
      continue;
    }
    char Next = Body[++I];
    switch (Next) {
    case 'n':
      Out += '\n';
      break;
    case 't':
      Out += '\t';
      break;
    case 'r':
      Out += '\r';
      break;
    case '\\':
      Out += '\\';
      break;
    case '"':
      Out += '"';
      break;
    default: {
      // The server keeps unknown escapes verbatim; that is never what the
      // author meant, so say so.
      // The escaped character may be several bytes of UTF-8.
      size_t Len = 1;
      while (I + Len < Body.size() && (static_cast<unsigned char>(Body[I + Len]) & 0xC0) == 0x80)
        ++Len;
      const char *At = TokenLoc.getPointer() + 1 + I - 1;
      llvm::SMRange R(llvm::SMLoc::getFromPointer(At), llvm::SMLoc::getFromPointer(At + 1 + Len));
      std::string Escaped = Body.substr(I, Len).str();
      Diags.reportAt(DiagKind::InvalidEscape, R, Escaped);
      Out += '\\';
      Out += Escaped;
      I += Len - 1;
    }
    }
  }
  return Out;
}

/// A float literal's value; a literal too large for a double (`1e99999`)
/// is an error rather than an infinity nobody wrote on purpose.
static bool floatLiteral(llvm::StringRef Digits, llvm::SMRange Range, llvm::StringRef Text,
                         DiagnosticEngine &Diags, double &Out) {
  Out = std::strtod(Digits.str().c_str(), nullptr);
  if (std::isfinite(Out))
    return true;
  Diags.reportAt(DiagKind::FloatOutOfRange, Range, Text.str());
  return false;
}

ast::Expr strata::parse::constantValue(ConstantKind Kind, llvm::SMRange Range,
                                       DiagnosticEngine &Diags) {
  ast::Expr E;
  E.Range = Range;
  if (Kind == ConstantKind::Int) {
    E.Text = sourceText(Range).str();
    E.TheKind = ast::Expr::Kind::Int;
    uint64_t V = 0;
    if (llvm::StringRef(E.Text).getAsInteger(10, V) || V > uint64_t(INT64_MAX)) {
      Diags.reportAt(DiagKind::IntegerOutOfRange, E.Range, E.Text);
      E.TheKind = ast::Expr::Kind::Error;
      return E;
    }
    E.IntValue = static_cast<int64_t>(V);
    return E;
  }
  if (Kind == ConstantKind::Float) {
    E.Text = sourceText(Range).str();
    E.TheKind = floatLiteral(E.Text, E.Range, E.Text, Diags, E.FloatValue) ? ast::Expr::Kind::Float
                                                                           : ast::Expr::Kind::Error;
    return E;
  }
  E.TheKind = ast::Expr::Kind::String;
  E.Text = unescapeString(sourceText(Range), Range.Start, Diags);
  return E;
}

ast::Expr strata::parse::nameValue(llvm::SMRange Range) {
  ast::Expr E;
  E.Range = Range;
  llvm::StringRef Name = sourceText(Range);
  E.Text = Name.str();
  char First = Name[0];
  if (Name == "_")
    E.TheKind = ast::Expr::Kind::Wildcard;
  else if (std::isupper(static_cast<unsigned char>(First)) || First == '_')
    E.TheKind = ast::Expr::Kind::Variable;
  else if (Name == "true" || Name == "false") {
    E.TheKind = ast::Expr::Kind::Bool;
    E.BoolValue = Name == "true";
  } else
    E.TheKind = ast::Expr::Kind::Word;
  return E;
}

ast::Expr strata::parse::negativeLiteral(bool IsFloat, llvm::StringRef Digits, llvm::SMRange Range,
                                         DiagnosticEngine &Diags) {
  ast::Expr E;
  E.Range = Range;
  E.Text = "-" + Digits.str();
  if (IsFloat) {
    E.TheKind = floatLiteral(Digits, E.Range, E.Text, Diags, E.FloatValue) ? ast::Expr::Kind::Float
                                                                           : ast::Expr::Kind::Error;
    E.FloatValue = -E.FloatValue;
    return E;
  }
  uint64_t V = 0;
  if (Digits.getAsInteger(10, V) || V > uint64_t(INT64_MAX) + 1) {
    Diags.reportAt(DiagKind::IntegerOutOfRange, E.Range, E.Text);
    E.TheKind = ast::Expr::Kind::Error;
    return E;
  }
  E.TheKind = ast::Expr::Kind::Int;
  E.IntValue = static_cast<int64_t>(0 - V);
  return E;
}

ast::Expr strata::parse::wordLiteral(llvm::SMRange Range, DiagnosticEngine &Diags) {
  ast::Expr E = nameValue(Range);
  if (E.TheKind == ast::Expr::Kind::Bool)
    return E;
  Diags.reportAt(DiagKind::BareWordValue, E.Range, E.Text).fixIt(E.Range, "\"" + E.Text + "\"");
  E.TheKind = ast::Expr::Kind::Error;
  return E;
}

int64_t strata::parse::sizeValue(llvm::StringRef Digits) {
  uint64_t V = 0;
  if (Digits.getAsInteger(10, V) || V > uint64_t(INT64_MAX))
    return INT64_MAX;
  return static_cast<int64_t>(V);
}
