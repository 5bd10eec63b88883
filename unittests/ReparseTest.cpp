//===- ReparseTest.cpp - Range parsing and reparse plans ------------------===//
//
// The property that matters: whenever a plan's range parses without a
// diagnostic, splicing old items around it gives exactly the whole-text
// parse (items, every location inside them, comments), and a whole text
// with a diagnostic never comes with a clean range parse. The randomized
// test checks both over thousands of edits of generated schemas.
//
//===----------------------------------------------------------------------===//
#include "strata/Parse/Reparse.h"
#include "strata/AST/ASTDumper.h"
#include "strata/AST/Printer.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "strata/Support/SourceFiles.h"
#include <cctype>
#include <cstdio>
#include <cstring>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <random>

using namespace strata;

namespace {

/// One text in its own SourceMgr; parses count their diagnostics.
class Buffer {
public:
  static std::unique_ptr<Buffer> load(const std::string &Text) {
    auto B = std::make_unique<Buffer>();
    std::optional<unsigned> ID = addSourceText(Text, "t.strata", B->Diags);
    if (!ID)
      return nullptr;
    B->ID = *ID;
    return B;
  }

  llvm::StringRef text() const { return SM.getMemoryBuffer(ID)->getBuffer(); }
  const char *start() const { return text().data(); }

  ast::SourceFile parse(size_t &DiagCount) { return parse(0, text().size(), DiagCount); }
  ast::SourceFile parse(size_t Begin, size_t End, size_t &DiagCount) {
    size_t Before = Diags.size();
    ast::SourceFile File = parseBufferRange(ID, Begin, End, ast::FileKind::Schema, Diags);
    DiagCount = Diags.size() - Before;
    return File;
  }

  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};
  unsigned ID = 0;
};

std::vector<ItemSpan> spans(const ast::SourceFile &File, const char *Start) {
  std::vector<ItemSpan> Out;
  for (const ast::Item &I : File.Items)
    Out.push_back(itemSpan(I, Start));
  return Out;
}

// ---- describing an item independently of where it lies

/// Every field of an item, with every range as a byte offset from Base plus
/// Delta, and the printed form of its columns, clauses and options. Two
/// items describe alike when they hold the same and lie at the same bytes.
class Describer {
public:
  Describer(const char *Base, int64_t Delta) : Base(Base), Delta(Delta), OS(Out) {}

  std::string item(const ast::Item &I) {
    std::visit([&](const auto &D) { decl(D); }, I);
    return OS.str();
  }

private:
  void range(llvm::SMRange R) {
    if (!R.isValid()) {
      OS << "[-] ";
      return;
    }
    OS << '[' << (R.Start.getPointer() - Base) + Delta << ',' << (R.End.getPointer() - Base) + Delta
       << ") ";
  }
  void ident(const ast::Ident &I) {
    OS << I.Name;
    range(I.Range);
  }
  void expr(const ast::Expr &E) {
    OS << "(expr " << int(E.TheKind) << ' ' << E.Text << ' ' << E.IntValue << ' ' << E.BoolValue
       << ' ' << int(E.Op) << ' ';
    range(E.Range);
    for (const ast::Expr &O : E.Operands)
      expr(O);
    OS << ") ";
  }
  void type(const ast::TypeExpr &T) {
    OS << "(type " << int(T.TheForm) << ' ' << T.Size << ' ';
    ident(T.Name);
    range(T.Range);
    for (const ast::TypeExpr &E : T.Element)
      type(E);
    for (const ast::TypeField &F : T.Fields) {
      ident(F.Name);
      type(F.Type);
    }
    OS << ") ";
  }
  void column(const ast::Column &C) {
    OS << "\n  column `" << ast::toString(C) << "` ";
    ident(C.Name);
    type(C.Type);
    if (C.Fill)
      expr(*C.Fill);
    if (C.RenamedFrom)
      ident(*C.RenamedFrom);
    range(C.Range);
  }
  void atom(const ast::Atom &A) {
    OS << "(atom " << A.IsNamed << ' ';
    ident(A.Relation);
    range(A.Range);
    for (const ast::Expr &E : A.Args)
      expr(E);
    for (const ast::NamedArg &N : A.NamedArgs) {
      ident(N.Column);
      expr(N.Value);
    }
    OS << ") ";
  }
  void clause(const ast::Clause &C) {
    OS << "\n  clause `" << ast::toString(C) << "` ";
    ident(C.Head);
    range(C.HeadRange);
    range(C.Range);
    for (const ast::HeadArg &A : C.HeadArgs) {
      OS << "\n    arg " << A.IsAggregate << ' ';
      range(A.Range);
      if (A.IsAggregate) {
        ident(A.Aggregate);
        for (const ast::AggregateArg &G : A.AggArgs) {
          expr(G.Value);
          if (G.Order)
            ident(*G.Order);
        }
      } else {
        expr(A.Value);
      }
    }
    for (const ast::BodyLiteral &L : C.Body) {
      OS << "\n    literal " << int(L.TheKind) << ' ' << int(L.Op) << ' ';
      range(L.Range);
      if (L.TheKind == ast::BodyLiteral::Kind::Comparison) {
        expr(L.Lhs);
        expr(L.Rhs);
      } else {
        atom(L.TheAtom);
      }
    }
  }
  void renamedFrom(const std::optional<ast::Ident> &R) {
    if (R) {
      OS << "renamed_from ";
      ident(*R);
    }
  }

  void decl(const ast::RelationDecl &D) {
    OS << "relation " << D.BlockForm << ' ';
    ident(D.Name);
    renamedFrom(D.RenamedFrom);
    range(D.Range);
    for (const ast::Column &C : D.Columns)
      column(C);
  }
  void decl(const ast::DerivedDecl &D) {
    OS << "derived ";
    ident(D.Name);
    renamedFrom(D.RenamedFrom);
    range(D.Range);
    for (const ast::Column &C : D.Columns)
      column(C);
    for (const ast::Clause &C : D.Clauses)
      clause(C);
  }
  void decl(const ast::IndexDecl &D) {
    OS << "index " << D.HasOptionList << ' ';
    ident(D.Name);
    ident(D.Relation);
    ident(D.Column);
    range(D.Range);
    for (const ast::IndexOption &O : D.Options) {
      OS << "\n  option `" << ast::toString(O) << "` ";
      ident(O.Key);
      range(O.ValueRange);
    }
  }
  void decl(const ast::MigrationDecl &M) {
    // Never in a clean schema parse.
    OS << "migration ";
    ident(M.Name);
  }

  const char *Base;
  int64_t Delta;
  std::string Out;
  llvm::raw_string_ostream OS;
};

/// The AST dump of a one-item file without its `<line:col>` positions (the
/// Describer checks positions as bytes).
std::string dumpWithoutPositions(const ast::Item &Item, const llvm::SourceMgr &SM) {
  ast::SourceFile One;
  One.Items.push_back(Item);
  std::string Dump;
  llvm::raw_string_ostream OS(Dump);
  ast::dumpAST(One, SM, OS);
  OS.flush();
  std::string Out;
  for (size_t I = 0; I < Dump.size(); ++I) {
    if (Dump[I] == '<') {
      size_t Close = Dump.find("> ", I);
      if (Close != std::string::npos && Dump.find_first_not_of("0123456789:", I + 1) == Close) {
        I = Close + 1;
        continue;
      }
    }
    Out += Dump[I];
  }
  return Out;
}

/// An item of some parse, with what is needed to describe it.
struct ItemRef {
  const ast::Item *Item;
  const char *Base;
  int64_t Delta;
  const llvm::SourceMgr *SM;

  std::string describe() const { return Describer(Base, Delta).item(*Item); }
  std::string dump() const { return dumpWithoutPositions(*Item, *SM); }
  ItemSpan span() const {
    ItemSpan S = itemSpan(*Item, Base);
    return {size_t(int64_t(S.Begin) + Delta), size_t(int64_t(S.End) + Delta)};
  }
};

struct CommentRef {
  std::string Text;
  size_t Begin, End;
  bool operator==(const CommentRef &O) const {
    return Text == O.Text && Begin == O.Begin && End == O.End;
  }
};

CommentRef commentAt(const ast::Comment &C, const char *Base, int64_t Delta) {
  return {C.Text, size_t((C.Range.Start.getPointer() - Base) + Delta),
          size_t((C.Range.End.getPointer() - Base) + Delta)};
}

/// Plan must turn the old parse into the new one: checks with gtest
/// assertions that the splice equals Whole. Returns false on a mismatch.
bool spliceMatches(const ReparsePlan &Plan, const ast::SourceFile &Old, const Buffer &OldBuf,
                   const ast::SourceFile &Middle, const ast::SourceFile &Whole,
                   const Buffer &NewBuf, const std::string &Context) {
  std::vector<ItemRef> Spliced;
  size_t N = Old.Items.size();
  for (size_t I = 0; I < Plan.KeepFront; ++I)
    Spliced.push_back({&Old.Items[I], OldBuf.start(), 0, &OldBuf.SM});
  for (const ast::Item &I : Middle.Items)
    Spliced.push_back({&I, NewBuf.start(), 0, &NewBuf.SM});
  for (size_t I = N - Plan.KeepBack; I < N; ++I)
    Spliced.push_back({&Old.Items[I], OldBuf.start(), Plan.Shift, &OldBuf.SM});

  bool Ok = Spliced.size() == Whole.Items.size();
  EXPECT_EQ(Spliced.size(), Whole.Items.size()) << Context;
  for (size_t I = 0; Ok && I < Spliced.size(); ++I) {
    ItemRef W{&Whole.Items[I], NewBuf.start(), 0, &NewBuf.SM};
    ItemSpan A = Spliced[I].span(), B = W.span();
    EXPECT_TRUE(A.Begin == B.Begin && A.End == B.End) << Context << "item " << I;
    std::string DA = Spliced[I].describe(), DB = W.describe();
    EXPECT_EQ(DA, DB) << Context << "item " << I;
    std::string PA = Spliced[I].dump(), PB = W.dump();
    EXPECT_EQ(PA, PB) << Context << "item " << I;
    Ok &= A.Begin == B.Begin && A.End == B.End && DA == DB && PA == PB;
  }

  std::vector<CommentRef> Comments, WholeComments;
  for (const ast::Comment &C : Old.Comments)
    if (size_t(C.Range.End.getPointer() - OldBuf.start()) <= Plan.OldBegin)
      Comments.push_back(commentAt(C, OldBuf.start(), 0));
  for (const ast::Comment &C : Middle.Comments)
    Comments.push_back(commentAt(C, NewBuf.start(), 0));
  for (const ast::Comment &C : Old.Comments)
    if (size_t(C.Range.Start.getPointer() - OldBuf.start()) >= Plan.OldEnd)
      Comments.push_back(commentAt(C, OldBuf.start(), Plan.Shift));
  for (const ast::Comment &C : Whole.Comments)
    WholeComments.push_back(commentAt(C, NewBuf.start(), 0));
  EXPECT_TRUE(Comments == WholeComments) << Context << "comments differ";
  return Ok && Comments == WholeComments;
}

// ---- generated schemas

class SchemaGen {
public:
  explicit SchemaGen(std::mt19937 &R) : R(R) {}

  unsigned pick(unsigned N) { return std::uniform_int_distribution<unsigned>(0, N - 1)(R); }
  bool chance(unsigned Percent) { return pick(100) < Percent; }
  template <size_t N> const char *oneOf(const char *const (&A)[N]) { return A[pick(N)]; }

  /// A file of Items items with blank lines and comments between them;
  /// sometimes CRLF line ends or a byte-order mark.
  std::string file(unsigned Items) {
    std::string Out;
    if (chance(50))
      Out += "// generated schema, é\n\n";
    for (unsigned I = 0; I < Items; ++I) {
      if (I > 0)
        Out += gap();
      Out += item();
    }
    // Mostly a final line break; else the text ends right after an item
    // or in a line comment, where appended text may merge with it.
    if (chance(80))
      Out += "\n";
    else if (chance(50))
      Out += " // the end";
    if (chance(15))
      Out = crlf(Out);
    if (chance(10))
      Out = "\xEF\xBB\xBF" + Out;
    return Out;
  }

  std::string item() {
    switch (pick(10)) {
    case 0:
    case 1:
    case 2:
    case 3:
      return relation();
    case 4:
    case 5:
    case 6:
    case 7:
      return derived();
    default:
      return index();
    }
  }

  std::string gap() {
    static const char *const Gaps[] = {"\n",
                                       "\n\n",
                                       "\n\n",
                                       "\n// a comment -> here\n",
                                       "\n\n// two\n// lines é\n",
                                       "\n/* a block\n   comment */\n",
                                       " ",
                                       "\n  \n",
                                       " /* inline */ ",
                                       "\n\n\n",
                                       "// trailing\n"};
    return oneOf(Gaps);
  }

  static std::string crlf(const std::string &S) {
    std::string Out;
    for (char C : S) {
      if (C == '\n')
        Out += '\r';
      Out += C;
    }
    return Out;
  }

  std::string name(const char *Prefix) {
    // Keywords are soft: now and then a name is one.
    static const char *const Soft[] = {"index",     "relation", "hnsw",         "on",  "derived",
                                       "migration", "first",    "renamed_from", "rule"};
    if (chance(5))
      return oneOf(Soft);
    return Prefix + std::to_string(pick(30));
  }

private:
  std::string type() {
    static const char *const Types[] = {
        "int",          "string",      "float",     "bool",
        "list[string]", "vector(384)", "vector(8)", "{street: string, zip: int}",
        "list[int]"};
    return oneOf(Types);
  }

  std::string fill() {
    static const char *const Fills[] = {" = 0",      " = \"n/a \\\" é\"", " = -1.5",
                                        " = [1, 2]", " = true",           " = \"\""};
    return chance(20) ? oneOf(Fills) : "";
  }

  std::string column() {
    std::string C = name("c") + ": " + type() + fill();
    if (chance(8))
      C += " renamed_from " + name("old");
    return C;
  }

  std::string relation() {
    std::string Out = "relation " + name("rel_");
    if (chance(10))
      Out += " renamed_from " + name("old_");
    unsigned Columns = 1 + pick(5);
    if (chance(50)) {
      Out += " {\n";
      for (unsigned I = 0; I < Columns; ++I) {
        Out += "  " + column();
        if (chance(20))
          Out += ",";
        if (chance(15))
          Out += " // note é";
        Out += "\n";
      }
      return Out + "}";
    }
    Out += "(";
    for (unsigned I = 0; I < Columns; ++I)
      Out += (I ? ", " : "") + column();
    return Out + (chance(10) ? ",)" : ")");
  }

  std::string term() {
    static const char *const Terms[] = {"A",       "B",  "C",   "_", "3",
                                        "\"s é\"", "-2", "1.5", "X", "true"};
    return oneOf(Terms);
  }

  std::string expr() {
    switch (pick(6)) {
    case 0:
      return "(A + B) * 2";
    case 1:
      return "abs(A - B)";
    case 2:
      return "-A % 3";
    case 3:
      return "[1, A]";
    default:
      return term();
    }
  }

  std::string atom() {
    std::string Rel = name("rel_");
    if (chance(30))
      return Rel + "{id: A, ref: " + term() + "}";
    std::string Out = Rel + "(A";
    for (unsigned I = pick(3); I > 0; --I)
      Out += ", " + term();
    return Out + ")";
  }

  std::string literal() {
    static const char *const Ops[] = {" = ", " != ", " < ", " <= ", " > ", " >= "};
    switch (pick(5)) {
    case 0:
      return "!" + atom();
    case 1:
      return expr() + oneOf(Ops) + expr();
    default:
      return atom();
    }
  }

  std::string clause(const std::string &Head) {
    std::string Out = "  " + Head + "(A, ";
    Out += chance(20) ? "count<B>" : chance(10) ? "top_k<3, B:desc>" : "B";
    Out += ") <- " + atom();
    for (unsigned I = pick(3); I > 0; --I)
      Out += ", " + literal();
    return Out;
  }

  std::string derived() {
    std::string Name = name("der_");
    std::string Out = "derived " + Name;
    if (chance(10))
      Out += " renamed_from " + name("old_");
    Out += "(a: int, b: " + type() + ") {\n";
    for (unsigned I = 1 + pick(3); I > 0; --I) {
      Out += clause(Name);
      if (chance(10))
        Out += " // why";
      Out += "\n";
    }
    return Out + "}";
  }

  std::string index() {
    std::string Out = "index " + name("idx_") + " on " + name("rel_") + "(" + name("c") + ") hnsw";
    switch (pick(4)) {
    case 0:
      return Out;
    case 1:
      return Out + "()";
    default:
      return Out + "(metric: cosine, m: " + std::to_string(8 << pick(3)) +
             ", ef_construction: 200)";
    }
  }

  std::mt19937 &R;
};

// ---- random edits

enum class EditKind {
  Bytes,         // insert, delete or replace random bytes anywhere
  InsideItem,    // change a few bytes inside one item
  Rename,        // replace a name inside an item
  AddItem,       // insert a whole item
  RemoveItem,    // delete a whole item
  Markers,       // insert `//`, `/*`, `*/` or `"`, often at a line end
  Whitespace,    // change white space between items
  LineEnds,      // CRLF <-> LF on one line
  Append,        // add text at the very end
  ByteOrderMark, // add or remove a BOM, or add one elsewhere
  Twice,         // two random edits
  Count
};

const char *kindName(EditKind K) {
  static const char *const Names[] = {"bytes",       "inside-item", "rename",     "add-item",
                                      "remove-item", "markers",     "whitespace", "line-ends",
                                      "append",      "bom",         "two-edits"};
  return Names[size_t(K)];
}

class Editor {
public:
  explicit Editor(SchemaGen &Gen) : Gen(Gen) {}

  std::string edit(EditKind K, std::string Text, const std::vector<ItemSpan> &Items) {
    switch (K) {
    case EditKind::Bytes:
      return bytes(Text);
    case EditKind::InsideItem:
      return insideItem(Text, Items);
    case EditKind::Rename:
      return rename(Text, Items);
    case EditKind::AddItem:
      return addItem(Text, Items);
    case EditKind::RemoveItem:
      return removeItem(Text, Items);
    case EditKind::Markers:
      return markers(Text);
    case EditKind::Whitespace:
      return whitespace(Text, Items);
    case EditKind::LineEnds:
      return lineEnds(Text);
    case EditKind::Append:
      return Text + (Gen.chance(50) ? randomBytes() : Gen.gap() + Gen.item());
    case EditKind::ByteOrderMark:
      if (Gen.chance(30))
        return Text.insert(place(Text, Items), "\xEF\xBB\xBF");
      return Text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? Text.substr(3) : "\xEF\xBB\xBF" + Text;
    case EditKind::Twice: {
      std::string Once = edit(EditKind(Gen.pick(unsigned(EditKind::Twice))), Text, Items);
      return edit(EditKind(Gen.pick(unsigned(EditKind::Twice))), Once, {});
    }
    case EditKind::Count:
      break;
    }
    return Text;
  }

private:
  size_t position(const std::string &Text) { return Gen.pick(unsigned(Text.size() + 1)); }

  std::string randomBytes() {
    static const char *const Pieces[] = {
        "a",      "Z",    "_",      "0",  "7",      " ",  "\n", "\r\n",        "\t",
        "(",      ")",    "{",      "}",  "[",      "]",  ",",  ":",           "=",
        "<",      "-",    ">",      "!",  "+",      "*",  "/",  "%",           ".",
        "\"",     "\\",   "//",     "/*", "*/",     "#",  "é",  "relation ",   "derived ",
        "index ", "hnsw", "(m: 1)", "on", "x: int", "\r", "\f", "\xEF\xBB\xBF"};
    std::string Out;
    for (unsigned I = 1 + Gen.pick(3); I > 0; --I)
      Out += Gen.oneOf(Pieces);
    return Out;
  }

  std::string bytes(std::string Text) {
    size_t At = position(Text);
    size_t Len = std::min(Text.size() - At, size_t(Gen.chance(10) ? Gen.pick(200) : Gen.pick(8)));
    switch (Gen.pick(3)) {
    case 0:
      return Text.insert(At, randomBytes());
    case 1:
      return Text.erase(At, Len);
    default:
      return Text.replace(At, Len, randomBytes());
    }
  }

  std::string insideItem(std::string Text, const std::vector<ItemSpan> &Items) {
    if (Items.empty())
      return bytes(Text);
    const ItemSpan &S = Items[Gen.pick(unsigned(Items.size()))];
    size_t At = S.Begin + Gen.pick(unsigned(S.End - S.Begin));
    size_t Len = std::min(S.End - At, size_t(Gen.pick(4)));
    static const char *const Pieces[] = {"1",  "A",   "x",    ", B",     " ", "\n  ",
                                         "_2", "int", "q(A)", ", A > 1", "é"};
    if (Gen.chance(50))
      return Text.replace(At, Len, Gen.oneOf(Pieces));
    return Text.insert(At, Gen.oneOf(Pieces));
  }

  std::string rename(std::string Text, const std::vector<ItemSpan> &Items) {
    if (Items.empty())
      return bytes(Text);
    const ItemSpan &S = Items[Gen.pick(unsigned(Items.size()))];
    // A run of name characters inside the item, possibly its keyword.
    size_t At = S.Begin + Gen.pick(unsigned(S.End - S.Begin));
    auto IsName = [](char C) { return std::isalnum(static_cast<unsigned char>(C)) || C == '_'; };
    while (At > S.Begin && IsName(Text[At - 1]))
      --At;
    size_t End = At;
    while (End < S.End && IsName(Text[End]))
      ++End;
    static const char *const Names[] = {"renamed", "relation", "hnsw", "index",     "x1",
                                        "Q",       "derived",  "on",   "migration", "a_b"};
    return Text.replace(At, End - At, Gen.oneOf(Names));
  }

  /// An item start, an item end, a line start or anywhere.
  size_t place(const std::string &Text, const std::vector<ItemSpan> &Items) {
    unsigned Which = Gen.pick(4);
    if (!Items.empty() && Which < 2) {
      const ItemSpan &S = Items[Gen.pick(unsigned(Items.size()))];
      return Which == 0 ? S.Begin : S.End;
    }
    size_t At = position(Text);
    if (Which == 2)
      while (At > 0 && Text[At - 1] != '\n')
        --At;
    return At;
  }

  std::string addItem(std::string Text, const std::vector<ItemSpan> &Items) {
    static const char *const Before[] = {"\n", "", "\n\n", " "};
    static const char *const After[] = {"\n", "", "\n\n", " ", "\n// added\n"};
    size_t At = place(Text, Items);
    return Text.insert(At, std::string(Gen.oneOf(Before)) + Gen.item() + Gen.oneOf(After));
  }

  std::string removeItem(std::string Text, const std::vector<ItemSpan> &Items) {
    if (Items.empty())
      return bytes(Text);
    const ItemSpan &S = Items[Gen.pick(unsigned(Items.size()))];
    size_t End = S.End;
    if (Gen.chance(50) && End < Text.size() && Text[End] == '\n')
      ++End;
    if (Gen.chance(20))
      return Text.replace(S.Begin, End - S.Begin, Gen.item());
    return Text.erase(S.Begin, End - S.Begin);
  }

  std::string markers(std::string Text) {
    static const char *const Markers[] = {"//", "/*", "*/", "\"", "// ", "/* x */", "\\"};
    size_t At = position(Text);
    if (Gen.chance(50)) { // at a line end, where a comment swallows least
      size_t NL = Text.find('\n', At);
      At = NL == std::string::npos ? Text.size() : NL;
      if (At > 0 && Text[At - 1] == '\r' && Gen.chance(50))
        --At;
    }
    return Text.insert(At, Gen.oneOf(Markers));
  }

  std::string whitespace(std::string Text, const std::vector<ItemSpan> &Items) {
    static const char *const Spaces[] = {"\n", " ", "\r\n", "\n\n", "\t"};
    if (Items.empty())
      return Text.insert(position(Text), Gen.oneOf(Spaces));
    // Between item I-1 and item I (or after the last one).
    size_t I = Gen.pick(unsigned(Items.size() + 1));
    size_t From = I == 0 ? 0 : Items[I - 1].End;
    size_t To = I == Items.size() ? Text.size() : Items[I].Begin;
    size_t At = From + Gen.pick(unsigned(To - From + 1));
    if (Gen.chance(50) && At < To && std::isspace(static_cast<unsigned char>(Text[At])))
      return Text.erase(At, 1);
    return Text.insert(At, Gen.oneOf(Spaces));
  }

  std::string lineEnds(std::string Text) {
    size_t At = Text.find('\n', position(Text));
    if (At == std::string::npos)
      return Text;
    if (At > 0 && Text[At - 1] == '\r')
      return Text.erase(At - 1, 1);
    return Text.insert(At, "\r");
  }

  SchemaGen &Gen;
};

struct Stats {
  unsigned Edits = 0, Unloadable = 0, Refused = 0, Planned = 0;
  unsigned RangeHadDiagnostic = 0, Checked = 0, WholeHadDiagnostic = 0;
  unsigned NeedlessFallback = 0; // range parse failed, whole text is clean
  unsigned KeptItems = 0, TotalItems = 0;
};

} // namespace

// ---- the range parser

TEST(ReparseRange, LocationsPointIntoTheBuffer) {
  std::string Text = "// é\nrelation a(x: int)\n/* c */ relation b(y: string = \"é\")\n";
  auto B = Buffer::load(Text);
  size_t Begin = Text.find("/*"), Diags = 0;
  ast::SourceFile File = B->parse(Begin, Text.size(), Diags);
  EXPECT_EQ(Diags, 0u);
  ASSERT_EQ(File.Items.size(), 1u);
  const auto &R = std::get<ast::RelationDecl>(File.Items[0]);
  EXPECT_EQ(R.Name.Range.Start.getPointer(), B->start() + Text.find("b("));
  EXPECT_EQ(R.Columns[0].Fill->Range.End.getPointer(), B->start() + Text.rfind(')'));
  EXPECT_EQ(R.Range.End.getPointer(), B->start() + Text.size() - 1);
  ASSERT_EQ(File.Comments.size(), 1u);
  EXPECT_EQ(File.Comments[0].Range.Start.getPointer(), B->start() + Begin);
}

TEST(ReparseRange, DiagnosticsPointIntoTheBuffer) {
  std::string Text = "relation a(x: int)\nrelation é(y: int $)\n";
  auto B = Buffer::load(Text);
  size_t Diags = 0;
  ast::SourceFile File = B->parse(Text.find('\n') + 1, Text.size(), Diags);
  ASSERT_GE(Diags, 1u);
  EXPECT_TRUE(File.HasSyntaxErrors);
  EXPECT_EQ(B->Diags.diagnostics()[0].Loc.getPointer(), B->start() + Text.find("é"));
  LineColumn LC = lineColumn(B->SM, B->Diags.diagnostics()[0].Loc);
  EXPECT_EQ(LC.Line, 2u);
  EXPECT_EQ(LC.Column, 10u);
}

TEST(ReparseRange, EndsWhereTold) {
  // The second item is outside the range; the range ends inside a comment
  // that would continue past it.
  std::string Text = "relation a(x: int) /* c */\nrelation b(y: int)\n";
  auto B = Buffer::load(Text);
  size_t Diags = 0;
  ast::SourceFile File = B->parse(0, Text.find('\n') + 1, Diags);
  EXPECT_EQ(Diags, 0u);
  EXPECT_EQ(File.Items.size(), 1u);
  File = B->parse(0, Text.find("*/"), Diags);
  EXPECT_EQ(Diags, 1u);
  EXPECT_EQ(B->Diags.diagnostics()[0].Kind, DiagKind::UnterminatedComment);
}

TEST(ReparseRange, ByteOrderMarkOnlyAtTheStart) {
  std::string Text = "\xEF\xBB\xBFrelation a(x: int)\n\xEF\xBB\xBFrelation b(y: int)\n";
  auto B = Buffer::load(Text);
  size_t Diags = 0;
  size_t Second = Text.find('\n') + 1;
  EXPECT_EQ(B->parse(0, Second, Diags).Items.size(), 1u);
  EXPECT_EQ(Diags, 0u);
  EXPECT_EQ(B->parse(3, Second, Diags).Items.size(), 1u);
  EXPECT_EQ(Diags, 0u);
  B->parse(Second, Text.size(), Diags); // a character like any other here
  ASSERT_EQ(Diags, 1u);
  EXPECT_EQ(B->Diags.diagnostics()[0].Kind, DiagKind::UnexpectedCharacter);
}

TEST(ReparseRange, WholeBufferIsParseBuffer) {
  std::string Text = "relation a(x: int)\nderived d(x: int) { d(X) <- a(X) }\n";
  auto B = Buffer::load(Text);
  size_t Diags = 0;
  ast::SourceFile Range = B->parse(0, Text.size(), Diags);
  ast::SourceFile Whole = parseBuffer(B->ID, ast::FileKind::Schema, B->Diags);
  ASSERT_EQ(Range.Items.size(), Whole.Items.size());
  for (size_t I = 0; I < Range.Items.size(); ++I)
    EXPECT_EQ(Describer(B->start(), 0).item(Range.Items[I]),
              Describer(B->start(), 0).item(Whole.Items[I]));
}

// ---- item spans

TEST(ReparseSpan, FromTheKeywordToTheLastToken) {
  std::string Text = "relation a {\n  x: int\n}  // c\n"
                     "derived d(x: int) { d(X) <- a(X) }\n"
                     "index i on a(v) hnsw\n"
                     "index j on a(v) hnsw(m: 16) \n";
  auto B = Buffer::load(Text);
  size_t Diags = 0;
  ast::SourceFile File = B->parse(Diags);
  ASSERT_EQ(Diags, 0u);
  std::vector<ItemSpan> S = spans(File, B->start());
  ASSERT_EQ(S.size(), 4u);
  auto Span = [&](const char *From, const char *ToLast) {
    size_t Begin = Text.find(From);
    return std::make_pair(Begin, Text.find(ToLast, Begin) + std::strlen(ToLast));
  };
  EXPECT_EQ(std::make_pair(S[0].Begin, S[0].End), Span("relation", "}"));
  EXPECT_EQ(std::make_pair(S[1].Begin, S[1].End), Span("derived", "}"));
  EXPECT_EQ(std::make_pair(S[2].Begin, S[2].End), Span("index i", "hnsw"));
  EXPECT_EQ(std::make_pair(S[3].Begin, S[3].End), Span("index j", "16)"));
}

// ---- plans

namespace {
struct PlanCase {
  std::unique_ptr<Buffer> Old, New;
  ast::SourceFile OldFile;
  std::vector<ItemSpan> Spans;
  std::optional<ReparsePlan> Plan;

  PlanCase(const std::string &OldText, const std::string &NewText)
      : Old(Buffer::load(OldText)), New(Buffer::load(NewText)) {
    size_t Diags = 0;
    OldFile = Old->parse(Diags);
    EXPECT_EQ(Diags, 0u);
    Spans = spans(OldFile, Old->start());
    Plan = planReparse(OldText, Spans, NewText);
  }

  /// Parses the plan's range and checks the splice against the whole parse.
  void expectSpliceMatches() {
    ASSERT_TRUE(Plan);
    size_t MiddleDiags = 0, WholeDiags = 0;
    ast::SourceFile Middle = New->parse(Plan->Begin, Plan->End, MiddleDiags);
    ast::SourceFile Whole = New->parse(WholeDiags);
    ASSERT_EQ(MiddleDiags, 0u);
    ASSERT_EQ(WholeDiags, 0u);
    EXPECT_TRUE(spliceMatches(*Plan, OldFile, *Old, Middle, Whole, *New, ""));
  }
};

const char *const ThreeItems = "// schema\n"
                               "relation a(x: int)\n"
                               "\n"
                               "derived d(x: int) {\n  d(X) <- a(X)\n}\n"
                               "\n"
                               "index i on a(v) hnsw(m: 16)\n";
} // namespace

TEST(ReparsePlan, IdenticalTextsKeepEverything) {
  PlanCase C(ThreeItems, ThreeItems);
  ASSERT_TRUE(C.Plan);
  EXPECT_EQ(C.Plan->KeepFront, 3u);
  EXPECT_EQ(C.Plan->KeepBack, 0u);
  EXPECT_EQ(C.Plan->Begin, C.Plan->End);
  EXPECT_EQ(C.Plan->Shift, 0);
  C.expectSpliceMatches();

  for (const char *Text : {"", "// only\n", "relation a(x: int)", "index i on a(v) hnsw"}) {
    PlanCase Same(Text, Text);
    ASSERT_TRUE(Same.Plan) << Text;
    EXPECT_EQ(Same.Plan->KeepFront, Same.Spans.size());
    EXPECT_EQ(Same.Plan->Begin, Same.Plan->End);
  }
}

TEST(ReparsePlan, EditInOneItemReparsesOnlyIt) {
  std::string New = ThreeItems;
  New.replace(New.find("a(X)\n"), 4, "a(X), X > 1");
  PlanCase C(ThreeItems, New);
  ASSERT_TRUE(C.Plan);
  EXPECT_EQ(C.Plan->KeepFront, 1u);
  EXPECT_EQ(C.Plan->KeepBack, 1u);
  EXPECT_EQ(C.Plan->Shift, 7);
  // From the start of `d` (the last cut before the edit) to that of `i`.
  EXPECT_EQ(C.Plan->Begin, std::string(ThreeItems).find("derived"));
  EXPECT_EQ(C.Plan->End, New.find("index"));
  C.expectSpliceMatches();
}

TEST(ReparsePlan, AddingAndRemovingItems) {
  std::string Added = ThreeItems;
  Added.insert(Added.find("derived"), "relation b(y: int)\n\n");
  PlanCase Add(ThreeItems, Added);
  ASSERT_TRUE(Add.Plan);
  EXPECT_EQ(Add.Plan->KeepFront + Add.Plan->KeepBack, 3u);
  Add.expectSpliceMatches();

  std::string Removed = ThreeItems;
  size_t D = Removed.find("derived");
  Removed.erase(D, Removed.find("index") - D);
  PlanCase Remove(ThreeItems, Removed);
  ASSERT_TRUE(Remove.Plan);
  EXPECT_EQ(Remove.Plan->KeepFront, 1u);
  EXPECT_EQ(Remove.Plan->KeepBack, 1u);
  Remove.expectSpliceMatches();

  PlanCase Append(ThreeItems, std::string(ThreeItems) + "relation z(q: int)\n");
  ASSERT_TRUE(Append.Plan);
  EXPECT_EQ(Append.Plan->KeepFront, 3u);
  Append.expectSpliceMatches();
}

TEST(ReparsePlan, LineCommentCannotEndTheRange) {
  // Replacing the line break after `a` by a comment makes the comment
  // swallow `relation b`: the range must run to the end of that line.
  std::string Old = "relation a(x: int)\nrelation b(y: int)\nrelation c(z: int)\n";
  std::string New = Old;
  New.replace(New.find('\n'), 1, " // note ");
  PlanCase C(Old, New);
  ASSERT_TRUE(C.Plan);
  EXPECT_EQ(C.Plan->KeepBack, 1u);
  C.expectSpliceMatches();
  size_t Diags = 0;
  EXPECT_EQ(C.New->parse(Diags).Items.size(), 2u);
}

TEST(ReparsePlan, BareHnswIsNeverACut) {
  std::string Old = "index i on a(v) hnsw\nrelation b(y: int)\n";
  // Without the line break the keyword becomes part of a name.
  std::string Joined = Old;
  Joined.erase(Joined.find('\n'), 1);
  EXPECT_FALSE(PlanCase(Old, Joined).Plan);
  // Options added after `hnsw`: the index is parsed again.
  std::string Options = Old;
  Options.insert(Options.find('\n'), "(m: 16)");
  PlanCase C(Old, Options);
  ASSERT_TRUE(C.Plan);
  EXPECT_EQ(C.Plan->KeepFront, 0u);
  EXPECT_EQ(C.Plan->KeepBack, 1u);
  C.expectSpliceMatches();
}

TEST(ReparsePlan, BlockCommentIntoKeptItemsIsReported) {
  // The new comment closes only inside the kept `c`, which it swallows.
  std::string Old = "relation a(x: int)\nrelation b(y: int)\nrelation c(z: int) /* c */\n";
  std::string New = Old;
  New.insert(New.find("relation b"), "/* ");
  PlanCase C(Old, New);
  ASSERT_TRUE(C.Plan);
  EXPECT_EQ(C.Plan->KeepBack, 1u);
  size_t Diags = 0;
  C.New->parse(C.Plan->Begin, C.Plan->End, Diags);
  EXPECT_EQ(Diags, 1u); // the range ends inside the comment
  EXPECT_EQ(C.New->parse(Diags).Items.size(), 1u);
  EXPECT_EQ(Diags, 0u);
}

TEST(ReparsePlan, SpansThatDoNotFitAreRefused) {
  std::vector<ItemSpan> Bad = {{0, 5}, {3, 8}};
  EXPECT_FALSE(planReparse("relation a(x: int)", Bad, "relation a(x: int) "));
  std::vector<ItemSpan> Outside = {{0, 50}};
  EXPECT_FALSE(planReparse("relation a(x: int)", Outside, "relation a(x: int)"));
}

// ---- the property

TEST(ReparseProperty, SpliceEqualsWholeParseAndHidesNoError) {
  std::mt19937 R(20240611);
  SchemaGen Gen(R);
  Editor Ed(Gen);
  std::map<EditKind, Stats> ByKind;
  Stats All;
  constexpr unsigned Walks = 120, StepsPerWalk = 40;

  for (unsigned Walk = 0; Walk < Walks; ++Walk) {
    std::unique_ptr<Buffer> Old = Buffer::load(Gen.file(4 + Gen.pick(12)));
    ASSERT_TRUE(Old);
    size_t Diags = 0;
    ast::SourceFile OldFile = Old->parse(Diags);
    ASSERT_EQ(Diags, 0u) << Old->text().str();
    for (unsigned Step = 0; Step < StepsPerWalk; ++Step) {
      std::vector<ItemSpan> Spans = spans(OldFile, Old->start());
      EditKind Kind = EditKind(Gen.pick(unsigned(EditKind::Count)));
      std::string NewText = Ed.edit(Kind, Old->text().str(), Spans);
      Stats &S = ByKind[Kind];
      ++S.Edits;
      std::unique_ptr<Buffer> New = Buffer::load(NewText);
      if (!New) { // cut through a multi-byte character
        ++S.Unloadable;
        continue;
      }
      std::optional<ReparsePlan> Plan = planReparse(Old->text(), Spans, NewText);
      size_t WholeDiags = 0;
      ast::SourceFile Whole = New->parse(WholeDiags);
      S.WholeHadDiagnostic += WholeDiags != 0;
      std::string Context = std::string("edit ") + kindName(Kind) + "\n--- old\n" +
                            Old->text().str() + "\n--- new\n" + NewText + "\n--- ";
      if (!Plan) {
        ++S.Refused;
      } else {
        ++S.Planned;
        ASSERT_EQ(Plan->Begin, Plan->OldBegin) << Context;
        ASSERT_EQ(int64_t(Plan->End) - int64_t(Plan->OldEnd), Plan->Shift) << Context;
        ASSERT_LE(Plan->Begin, Plan->End) << Context;
        ASSERT_LE(Plan->KeepFront + Plan->KeepBack, Spans.size()) << Context;
        size_t MiddleDiags = 0;
        ast::SourceFile Middle = New->parse(Plan->Begin, Plan->End, MiddleDiags);
        // The safety property: an error in the new text is never hidden.
        if (WholeDiags != 0) {
          ASSERT_NE(MiddleDiags, 0u) << Context << "range parse hides an error";
        }
        if (MiddleDiags != 0) {
          ++S.RangeHadDiagnostic;
          S.NeedlessFallback += WholeDiags == 0;
        } else {
          ++S.Checked;
          S.KeptItems += unsigned(Plan->KeepFront + Plan->KeepBack);
          S.TotalItems += unsigned(Whole.Items.size());
          ASSERT_TRUE(spliceMatches(*Plan, OldFile, *Old, Middle, Whole, *New, Context));
        }
      }
      // Walk on from clean texts, so edits pile up.
      if (WholeDiags == 0) {
        Old = std::move(New);
        OldFile = std::move(Whole);
      }
    }
  }

  std::printf("%-12s %6s %6s %6s %6s %6s %6s %6s %6s\n", "edit", "edits", "refuse", "plan",
              "rangeE", "check", "wholeE", "kept%", "waste");
  for (auto &[Kind, S] : ByKind) {
    std::printf("%-12s %6u %6u %6u %6u %6u %6u %6.1f %6u\n", kindName(Kind), S.Edits, S.Refused,
                S.Planned, S.RangeHadDiagnostic, S.Checked, S.WholeHadDiagnostic,
                S.TotalItems ? 100.0 * S.KeptItems / S.TotalItems : 0.0, S.NeedlessFallback);
    All.Edits += S.Edits;
    All.Unloadable += S.Unloadable;
    All.Refused += S.Refused;
    All.Planned += S.Planned;
    All.RangeHadDiagnostic += S.RangeHadDiagnostic;
    All.Checked += S.Checked;
    All.WholeHadDiagnostic += S.WholeHadDiagnostic;
    All.NeedlessFallback += S.NeedlessFallback;
  }
  std::printf("%u edits (%u not UTF-8): %u refused, %u planned; %u range parses with a "
              "diagnostic (%u of them for a clean new text), %u splices checked; %u new "
              "texts with a diagnostic\n",
              All.Edits, All.Unloadable, All.Refused, All.Planned, All.RangeHadDiagnostic,
              All.NeedlessFallback, All.Checked, All.WholeHadDiagnostic);
  EXPECT_GE(All.Checked, 2000u);
  // Edits inside an item, and adding or removing items, are what the cache
  // is for: nearly all of them must be planned and reparse little.
  for (EditKind K :
       {EditKind::InsideItem, EditKind::AddItem, EditKind::RemoveItem, EditKind::Whitespace}) {
    const Stats &S = ByKind[K];
    EXPECT_GE(S.Planned, (S.Edits - S.Unloadable) * 9 / 10) << kindName(K);
  }
}
