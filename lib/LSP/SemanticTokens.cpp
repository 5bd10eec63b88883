//===- SemanticTokens.cpp - Colouring from the syntax tree ----------------===//
//
// Tokens come from the syntax tree, not from a second lexer: a name is
// coloured as what the tree says it is (a relation, a derived relation, a
// column, a variable), comments from the file's comment list. Items with
// syntax errors are not in the tree and stay uncoloured.
//
//===----------------------------------------------------------------------===//
#include "FeatureSupport.h"
#include "strata/LSP/Server.h"
#include "llvm/ADT/StringSet.h"
#include <tuple>

using namespace strata;
using namespace strata::lsp;

namespace {
using T = SemanticTokenType;

struct Token {
  size_t Begin, End;
  T Type;
  bool Declaration;
};

class TokenCollector {
public:
  TokenCollector(llvm::StringRef Text, const ast::SourceFile &F) : Text(Text) {
    for (const ast::Item &I : F.Items)
      if (const auto *D = std::get_if<ast::DerivedDecl>(&I))
        Derived.insert(D->Name.Name);
  }

  std::vector<Token> Tokens;

  void add(llvm::SMRange R, T Type, bool Declaration = false) {
    auto [B, E] = offsetsIn(R, Text);
    if (E > B && R.Start.isValid())
      Tokens.push_back({B, E, Type, Declaration});
  }
  void name(const ast::Ident &I, T Type, bool Declaration = false) {
    if (!I.empty())
      add(I.Range, Type, Declaration);
  }
  T relationType(const ast::Ident &I) { return Derived.count(I.Name) ? T::Derived : T::Relation; }

  void type(const ast::TypeExpr &E) {
    name(E.Name, T::Type);
    for (const ast::TypeExpr &Element : E.Element)
      type(Element);
    for (const ast::TypeField &F : E.Fields) {
      name(F.Name, T::Column, true);
      type(F.Type);
    }
  }
  void columns(const std::vector<ast::Column> &Cs) {
    for (const ast::Column &C : Cs) {
      name(C.Name, T::Column, true);
      type(C.Type);
      if (C.RenamedFrom)
        name(*C.RenamedFrom, T::Column);
      if (C.Fill)
        expr(*C.Fill);
    }
  }
  void expr(const ast::Expr &E) {
    using K = ast::Expr::Kind;
    switch (E.TheKind) {
    case K::Variable:
      add(E.Range, T::Variable);
      break;
    case K::String:
      add(E.Range, T::String);
      break;
    case K::Int:
    case K::Float:
      add(E.Range, T::Number);
      break;
    case K::Call: {
      auto [B, End] = offsetsIn(E.Range, Text);
      (void)End;
      Tokens.push_back({B, std::min(B + E.Text.size(), Text.size()), T::Function, false});
      break;
    }
    default:
      break;
    }
    for (const ast::Expr &O : E.Operands)
      expr(O);
  }
  void atom(const ast::Atom &A) {
    name(A.Relation, relationType(A.Relation));
    for (const ast::Expr &E : A.Args)
      expr(E);
    for (const ast::NamedArg &N : A.NamedArgs) {
      name(N.Column, T::Column);
      expr(N.Value);
    }
  }
  void clauses(const std::vector<ast::Clause> &Cs) {
    for (const ast::Clause &C : Cs) {
      name(C.Head, T::Derived);
      for (const ast::HeadArg &H : C.HeadArgs) {
        if (H.IsAggregate) {
          name(H.Aggregate, T::Function);
          for (const ast::AggregateArg &A : H.AggArgs)
            expr(A.Value);
        } else {
          expr(H.Value);
        }
      }
      for (const ast::BodyLiteral &L : C.Body) {
        if (L.TheKind == ast::BodyLiteral::Kind::Comparison) {
          expr(L.Lhs);
          expr(L.Rhs);
        } else {
          atom(L.TheAtom);
        }
      }
    }
  }
  void index(const ast::IndexDecl &X, bool Declaration) {
    name(X.Name, T::Index, Declaration);
    name(X.Relation, T::Relation);
    name(X.Column, T::Column);
  }

  // The fields of a migration operation (Migration.h, fields()).
  void field(llvm::StringRef Name, T IdentType, const ast::Ident &I) {
    name(I, Name == "Column" ? T::Column : Name == "Relation" ? T::Relation : IdentType);
  }
  void field(llvm::StringRef, T, const std::vector<ast::Column> &Cs) { columns(Cs); }
  void field(llvm::StringRef, T, const ast::TypeExpr &E) { type(E); }
  void field(llvm::StringRef, T, const std::optional<ast::Expr> &E) {
    if (E)
      expr(*E);
  }
  void field(llvm::StringRef, T, const std::vector<ast::Clause> &Cs) { clauses(Cs); }
  void field(llvm::StringRef, T, const std::optional<std::vector<ast::Clause>> &Cs) {
    if (Cs)
      clauses(*Cs);
  }
  void field(llvm::StringRef, T, const ast::IndexDecl &X) { index(X, false); }
  void field(llvm::StringRef, T, const std::vector<ast::Ident> &Is) {
    for (const ast::Ident &I : Is)
      name(I, T::Column);
  }
  template <typename Other> void field(llvm::StringRef, T, const Other &) {}

  void operation(const ast::Operation &Op) {
    std::visit(
        [&](const auto &Body) {
          using Kind = std::decay_t<decltype(Body)>;
          T IdentType = T::Relation;
          if constexpr (std::is_same_v<Kind, ast::CreateRuleOp> ||
                        std::is_same_v<Kind, ast::DropRuleOp> ||
                        std::is_same_v<Kind, ast::ReplaceRuleOp> ||
                        std::is_same_v<Kind, ast::RenameRuleOp>)
            IdentType = T::Derived;
          if constexpr (std::is_same_v<Kind, ast::RenameColumnOp>)
            IdentType = T::Column;
          if constexpr (std::is_same_v<Kind, ast::AlterIndexOp>)
            IdentType = T::Index;
          const std::vector<llvm::StringRef> &Names = ast::fieldNames<Kind>();
          size_t K = 0;
          std::apply([&](const auto &...F) { (field(Names[K++], IdentType, F), ...); },
                     Body.fields());
        },
        Op.Body);
  }

  void item(const ast::Item &I) {
    if (const auto *R = std::get_if<ast::RelationDecl>(&I)) {
      name(R->Name, T::Relation, true);
      if (R->RenamedFrom)
        name(*R->RenamedFrom, T::Relation);
      columns(R->Columns);
    } else if (const auto *D = std::get_if<ast::DerivedDecl>(&I)) {
      name(D->Name, T::Derived, true);
      if (D->RenamedFrom)
        name(*D->RenamedFrom, T::Derived);
      columns(D->Columns);
      clauses(D->Clauses);
    } else if (const auto *X = std::get_if<ast::IndexDecl>(&I)) {
      index(*X, true);
    } else {
      const auto &M = std::get<ast::MigrationDecl>(I);
      name(M.Name, T::Migration, true);
      for (const ast::Ident &D : M.Depends)
        name(D, T::Migration);
      for (const ast::Ident &D : M.Replaces)
        name(D, T::Migration);
      for (const ast::Operation &Op : M.Operations)
        operation(Op);
    }
  }

  /// A comment, a token for each of its lines.
  void comment(const ast::Comment &C) {
    auto [B, E] = offsetsIn(C.Range, Text);
    while (B < E) {
      size_t NL = Text.find('\n', B);
      size_t LineEnd = std::min(NL == llvm::StringRef::npos ? Text.size() : NL, E);
      if (LineEnd > B)
        Tokens.push_back({B, LineEnd, T::Comment, false});
      B = LineEnd + 1;
    }
  }

private:
  llvm::StringRef Text;
  llvm::StringSet<> Derived;
};

/// LSP's encoding: five integers a token, each position relative to the
/// token before. Overlapping tokens and tokens over a line break are
/// dropped (the protocol allows neither by default).
llvm::json::Array encode(std::vector<Token> Tokens, llvm::StringRef Text) {
  std::sort(Tokens.begin(), Tokens.end(), [](const Token &A, const Token &B) {
    return std::tie(A.Begin, A.End) < std::tie(B.Begin, B.End);
  });
  LineIndex Lines(Text);
  llvm::json::Array Data;
  Position Prev;
  size_t LastEnd = 0;
  for (const Token &Tok : Tokens) {
    if (Tok.Begin < LastEnd || Text.slice(Tok.Begin, Tok.End).contains('\n'))
      continue;
    Position P = Lines.position(Tok.Begin);
    uint32_t Length = uint32_t(utf16Length(Text.slice(Tok.Begin, Tok.End)));
    Data.push_back(int64_t(P.Line - Prev.Line));
    Data.push_back(int64_t(P.Line == Prev.Line ? P.Character - Prev.Character : P.Character));
    Data.push_back(int64_t(Length));
    Data.push_back(int64_t(Tok.Type));
    Data.push_back(int64_t(Tok.Declaration ? 1 : 0));
    Prev = P;
    LastEnd = Tok.End;
  }
  return Data;
}
} // namespace

llvm::Expected<llvm::json::Value> Server::semanticTokensFull(const llvm::json::Value &Params) {
  llvm::Expected<std::string> Path = documentPath(Params);
  if (!Path)
    return Path.takeError();
  llvm::json::Array Data;
  Files.withSyntax(*Path, [&](const ast::SourceFile &F, llvm::StringRef Text) {
    TokenCollector C(Text, F);
    for (const ast::Item &I : F.Items)
      C.item(I);
    for (const ast::Comment &Cm : F.Comments)
      C.comment(Cm);
    Data = encode(std::move(C.Tokens), Text);
  });
  return llvm::json::Object{{"data", std::move(Data)}};
}
