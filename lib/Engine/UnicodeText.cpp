//===- UnicodeText.cpp - Unicode case mapping and white space --------------===//
#include "UnicodeText.h"
#include "llvm/Support/ConvertUTF.h"
#include <clocale>
#include <locale.h>
#include <wctype.h>

using namespace strata::engine;
using llvm::StringRef;

namespace {

/// The C.UTF-8 locale, whose tables cover all of Unicode whatever the
/// process's own locale is; null where the C library lacks it, and then
/// only ASCII letters change case.
locale_t unicodeLocale() {
  static locale_t L = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t(nullptr));
  return L;
}

/// The code point at S[I], advancing I; an invalid byte reads as itself
/// (a code point of its value), so that text that is not UTF-8 survives.
struct Decoded {
  unsigned CodePoint;
  bool Valid;
};

Decoded decodeAt(StringRef S, size_t &I) {
  const auto *Begin = reinterpret_cast<const llvm::UTF8 *>(S.data() + I);
  const auto *End = reinterpret_cast<const llvm::UTF8 *>(S.data() + S.size());
  const llvm::UTF8 *Next = Begin;
  llvm::UTF32 CP = 0;
  if (llvm::convertUTF8Sequence(&Next, End, &CP, llvm::strictConversion) != llvm::conversionOK) {
    return {static_cast<unsigned char>(S[I++]), false};
  }
  I += size_t(Next - Begin);
  return {CP, true};
}

void append(std::string &Out, unsigned CP) {
  char Buf[8];
  char *P = Buf;
  if (llvm::ConvertCodePointToUTF8(CP, P))
    Out.append(Buf, P);
}

unsigned simpleCase(bool Upper, unsigned CP) {
  if (CP < 0x80)
    return Upper ? (CP >= 'a' && CP <= 'z' ? CP - 32 : CP)
                 : (CP >= 'A' && CP <= 'Z' ? CP + 32 : CP);
  locale_t L = unicodeLocale();
  if (!L)
    return CP;
  return Upper ? unsigned(towupper_l(wint_t(CP), L)) : unsigned(towlower_l(wint_t(CP), L));
}

/// Upper-case mappings to several characters (Unicode's SpecialCasing,
/// unconditional part, the common ones); null for the others.
const char *fullUpper(unsigned CP) {
  switch (CP) {
  case 0x00DF:
    return "SS"; // ß
  case 0x0149:
    return "\u02BCN"; // ŉ
  case 0x01F0:
    return "J\u030C"; // ǰ
  case 0xFB00:
    return "FF";
  case 0xFB01:
    return "FI";
  case 0xFB02:
    return "FL";
  case 0xFB03:
    return "FFI";
  case 0xFB04:
    return "FFL";
  case 0xFB05:
  case 0xFB06:
    return "ST";
  default:
    return nullptr;
  }
}

/// Whether D is a letter with case (a byte that is not UTF-8 is none).
bool isCasedLetter(Decoded D) {
  return D.Valid && (simpleCase(true, D.CodePoint) != D.CodePoint ||
                     simpleCase(false, D.CodePoint) != D.CodePoint);
}

/// Whether the capital sigma at bytes [Start, After) of S ends a word: a
/// cased letter right before it and none right after it.
bool endsWord(StringRef S, size_t Start, size_t After) {
  if (Start == 0)
    return false;
  size_t J = Start - 1;
  while (J > 0 && (static_cast<unsigned char>(S[J]) & 0xC0) == 0x80)
    --J;
  size_t K = J;
  if (!isCasedLetter(decodeAt(S, K)))
    return false;
  size_t N = After;
  return After >= S.size() || !isCasedLetter(decodeAt(S, N));
}

} // namespace

std::string strata::engine::unicodeUpper(StringRef S) {
  std::string Out;
  Out.reserve(S.size());
  for (size_t I = 0; I < S.size();) {
    size_t Start = I;
    Decoded D = decodeAt(S, I);
    if (!D.Valid) {
      Out += S.slice(Start, I);
    } else if (const char *Full = fullUpper(D.CodePoint)) {
      Out += Full;
    } else {
      append(Out, simpleCase(true, D.CodePoint));
    }
  }
  return Out;
}

std::string strata::engine::unicodeLower(StringRef S) {
  std::string Out;
  Out.reserve(S.size());
  for (size_t I = 0; I < S.size();) {
    size_t Start = I;
    Decoded D = decodeAt(S, I);
    if (!D.Valid)
      Out += S.slice(Start, I);
    else if (D.CodePoint == 0x0130) // İ: i and a combining dot above
      Out += "i\u0307";
    else if (D.CodePoint == 0x03A3 && endsWord(S, Start, I))
      Out += "\u03C2"; // ς
    else
      append(Out, simpleCase(false, D.CodePoint));
  }
  return Out;
}

static bool isUnicodeSpace(unsigned CP) {
  switch (CP) {
  case 0x09:
  case 0x0A:
  case 0x0B:
  case 0x0C:
  case 0x0D:
  case 0x20:
  case 0x85:
  case 0xA0:
  case 0x1680:
  case 0x2028:
  case 0x2029:
  case 0x202F:
  case 0x205F:
  case 0x3000:
    return true;
  default:
    return CP >= 0x2000 && CP <= 0x200A;
  }
}

StringRef strata::engine::unicodeTrim(StringRef S) {
  size_t Begin = 0;
  while (Begin < S.size()) {
    size_t Next = Begin;
    Decoded D = decodeAt(S, Next);
    if (!D.Valid || !isUnicodeSpace(D.CodePoint))
      break;
    Begin = Next;
  }
  size_t End = S.size();
  while (End > Begin) {
    size_t Start = End - 1;
    while (Start > Begin && (static_cast<unsigned char>(S[Start]) & 0xC0) == 0x80)
      --Start;
    size_t Next = Start;
    Decoded D = decodeAt(S, Next);
    if (!D.Valid || Next != End || !isUnicodeSpace(D.CodePoint))
      break;
    End = Start;
  }
  return S.slice(Begin, End);
}
