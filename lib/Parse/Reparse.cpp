//===- Reparse.cpp - Which part of an edited schema file to parse again ---===//
//
// A plan cuts the new text at Begin and End and claims that parsing it whole
// gives the old items before Begin, the items of [Begin, End) parsed on
// their own, and the old items from End on. That needs the lexer to split
// the new text into the same tokens, and the parser to group those tokens
// into the same items.
//
// Lexing. The lexer has no modes or predicates, so from a given offset it
// produces the same tokens whatever precedes it; two lexings of the same
// text agree from the first offset where both start a token. Near a cut
// they can differ only by a token running across it.
//
//  - Begin lies in the unchanged prefix and is, in the old text, the start
//    of an item, the end of an item whose last byte is `)` or `}`, or the
//    end of a text whose last byte is '\n'. The old tokens end exactly at
//    Begin and the new text equals the old up to there, so the new tokens
//    are the old ones except that the last one could now run on into
//    changed text. That token is `)`, `}`, the `*/` of a block comment or
//    white space: nothing else can directly precede an item's keyword (a
//    line comment stops before a line break, and `hnsw` or a name would
//    merge with the keyword), and a final '\n' is white space (in a clean
//    parse no comment or string holds it). Only white space can grow, and
//    it is skipped, so lexing from Begin alone gives the rest.
//  - End is the start of a kept back item, and from there on the new text
//    is the old one, so a token starts at End unless one runs across it.
//    The byte before End is '\n' and the byte at End is the first letter
//    of the item's keyword; of all tokens only a block comment can hold
//    both, and lexed alone the range would then end in an unterminated
//    block comment, a diagnostic. End of input changes nothing else but
//    where an unclosed string stops, also a diagnostic. Without the '\n'
//    rule a range ending in `// note` would end the comment there when
//    lexed alone, while in the whole text the comment swallows the first
//    line of the next item, and no diagnostic says so; a range ending in
//    `hnsw` or a name would merge with the next keyword.
//  - When the range is empty, the tokens before Begin meet the item's
//    keyword directly; only white space could run on, and it holds no
//    letter.
//
// Parsing. Without hidden tokens, the new token stream is the kept front
// items' tokens, the range's, and the kept back items' tokens, each a
// sequence of whole items (the range's because `file : item* EOF` parsed
// it). The parser cannot group them otherwise (checked against
// grammar/Strata.g4 and the decisions the generated parser makes):
//  - The `item*` loop and the choice of item kind are decided on one token:
//    RELATION, DERIVED, INDEX or MIGRATION starts an item, EOF ends the
//    loop. Keywords are soft, but an item's first token is its keyword.
//  - No item can be continued past its last token: a relation ends with its
//    columns' `)` or `}`, a derived relation with its rule body's `}`, a
//    migration with `}`, an index with `hnsw` or the `)` of its options.
//    Nothing can follow those within the item, except `(` after a bare
//    `hnsw`, and no item starts with `(`: after `hnsw` both parses see a
//    keyword or EOF and end the item. (A range that starts with `(` after
//    a kept bare-`hnsw` item fails to parse on its own.)
//  - Every other decision is settled by tokens of its own item. The ones
//    the generated parser does not settle on one token (adaptivePredict)
//    are the `, x` versus `, )` loops of index options, column lists,
//    record fields, named atoms and list literals; `name` versus `name [`
//    in a type, `name <` in a head argument, `name (` versus `name {` in
//    an atom, `name (` versus `name` in an expression, `create relation`
//    versus `create rule` in a migration; `renamed_from x` after a column
//    versus a next block-form column named `renamed_from` (all two
//    tokens); and an atom versus a comparison in a rule body, which looks
//    one token past the atom. Each lies inside the brackets of a column
//    list, column block, rule body or migration body, which close within
//    the same item, so prediction (SLL or LL) never reads past the item.
//  - The AST builder converts each item on its own. The only file-wide
//    count, the bracket depth of the nesting limit, is 0 between items
//    because a correct item's brackets balance. The file-wide checks of
//    migration files do not apply to schema files.
//
// So when the range parses without a diagnostic the whole text parses to
// the spliced result, which has none either: a whole text with an error
// never comes with a clean range parse, and the cache cannot hide one.
//
//===----------------------------------------------------------------------===//
#include "strata/Parse/Reparse.h"
#include <algorithm>
#include <variant>

using namespace strata;

ItemSpan strata::itemSpan(const ast::Item &I, const char *BufferStart) {
  llvm::SMRange R = std::visit([](const auto &D) { return D.Range; }, I);
  return {static_cast<size_t>(R.Start.getPointer() - BufferStart),
          static_cast<size_t>(R.End.getPointer() - BufferStart)};
}

namespace {

/// A place to cut the text and the number of old items before it.
struct Cut {
  size_t Offset = 0;
  size_t Items = 0;
};

/// Spans from a parse are non-empty, in order, disjoint and inside the text;
/// anything else did not come from a parse of this text.
bool spansFit(llvm::StringRef Text, llvm::ArrayRef<ItemSpan> Items) {
  size_t Last = 0;
  for (const ItemSpan &S : Items) {
    if (S.Begin < Last || S.End <= S.Begin || S.End > Text.size())
      return false;
    Last = S.End;
  }
  return true;
}

size_t commonPrefix(llvm::StringRef A, llvm::StringRef B) {
  size_t Max = std::min(A.size(), B.size());
  return std::mismatch(A.begin(), A.begin() + Max, B.begin()).first - A.begin();
}

/// At most Max bytes, so that prefix and suffix never overlap in either text.
size_t commonSuffix(llvm::StringRef A, llvm::StringRef B, size_t Max) {
  size_t N = 0;
  while (N < Max && A[A.size() - 1 - N] == B[B.size() - 1 - N])
    ++N;
  return N;
}

/// An item ending in a one-byte bracket can be cut right after: no token
/// grows from `)` or `}`, and no item goes on after its closing bracket.
/// (An index ending in bare `hnsw` may still take `(` or more letters.)
bool endsWithBracket(llvm::StringRef Old, const ItemSpan &S) {
  char Last = Old[S.End - 1];
  return Last == ')' || Last == '}';
}

/// The last cut at or before Prefix, the length of the unchanged prefix:
/// the start of an item, or the end of one closed by a bracket, or the end
/// of an old text that the new one merely extends past a line break.
Cut frontCut(llvm::StringRef Old, llvm::ArrayRef<ItemSpan> Items, size_t Prefix,
             llvm::StringRef New) {
  Cut C;
  for (size_t I = 0; I < Items.size() && Items[I].Begin <= Prefix; ++I) {
    C = {Items[I].Begin, I};
    if (Items[I].End <= Prefix && endsWithBracket(Old, Items[I]))
      C = {Items[I].End, I + 1};
  }
  // Old white space at the end may grow into the appended text, harmlessly;
  // a comment or `hnsw` there might not stay what it was.
  if (Prefix == Old.size() && (New.size() == Old.size() || Old.empty() || Old.back() == '\n'))
    C = {Old.size(), Items.size()};
  return C;
}

/// The first old item from which on everything is kept: it starts in the
/// unchanged suffix (from old offset SuffixStart) and, in the new text,
/// right after a line break or right at Front. Items.size() when none is.
size_t firstBackItem(llvm::ArrayRef<ItemSpan> Items, Cut Front, size_t SuffixStart,
                     llvm::StringRef New, int64_t Shift) {
  for (size_t I = Front.Items; I < Items.size(); ++I) {
    if (Items[I].Begin < SuffixStart)
      continue;
    size_t NewBegin = static_cast<size_t>(static_cast<int64_t>(Items[I].Begin) + Shift);
    if (NewBegin == Front.Offset || New[NewBegin - 1] == '\n')
      return I;
  }
  return Items.size();
}

} // namespace

std::optional<ReparsePlan> strata::planReparse(llvm::StringRef OldText,
                                               llvm::ArrayRef<ItemSpan> OldItems,
                                               llvm::StringRef NewText) {
  if (!spansFit(OldText, OldItems))
    return std::nullopt;
  size_t Prefix = commonPrefix(OldText, NewText);
  size_t Suffix = commonSuffix(OldText, NewText, std::min(OldText.size(), NewText.size()) - Prefix);
  int64_t Shift = static_cast<int64_t>(NewText.size()) - static_cast<int64_t>(OldText.size());

  Cut Front = frontCut(OldText, OldItems, Prefix, NewText);
  size_t Back = firstBackItem(OldItems, Front, OldText.size() - Suffix, NewText, Shift);

  ReparsePlan Plan;
  Plan.KeepFront = Front.Items;
  Plan.KeepBack = OldItems.size() - Back;
  Plan.Shift = Shift;
  Plan.Begin = Plan.OldBegin = Front.Offset;
  Plan.OldEnd = Back < OldItems.size() ? OldItems[Back].Begin : OldText.size();
  Plan.End = static_cast<size_t>(static_cast<int64_t>(Plan.OldEnd) + Shift);
  // Nothing kept: the caller is better served parsing the file as usual.
  if (Plan.Begin == 0 && Plan.End == NewText.size() && !NewText.empty())
    return std::nullopt;
  return Plan;
}
