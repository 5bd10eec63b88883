//===- Scanner.h - Hand-written lexer behind ANTLR's TokenSource -*- C++ -*-===//
//
// The generated StrataLexer walks ANTLR's lexer DFA one code point at a time
// through hash maps and virtual calls, which was over a third of parsing.
// Scanner produces the same tokens (type, channel, code point indices, line
// and column) from the UTF-8 bytes directly, so the generated parser, its
// error recovery and every diagnostic stay as they were. The lexer rules of
// grammar/Strata.g4 remain the definition: LexerCheck.cpp compares the two
// token streams, and the unit tests and strata-fuzz-lexer run it.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_PARSE_SCANNER_H
#define STRATA_LIB_PARSE_SCANNER_H

#include "antlr4-runtime.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/Compiler.h"

namespace strata::parse {

class Scanner;

/// A token whose text is a slice of the source bytes, in 48 bytes (ANTLR's
/// CommonToken takes 112). Allocated from its Scanner's arena: the token
/// stream deletes it through unique_ptr, and the arena releases all of
/// them at once when the Scanner goes. Offsets are 32-bit: sources are far
/// below 4 GB (MaxSourceFileBytes).
class SourceToken final : public antlr4::WritableToken {
public:
  SourceToken(const Scanner *Source, size_t Type, size_t Channel, size_t Start, size_t Stop,
              size_t Line, size_t Column, size_t ByteOffset, size_t NumBytes)
      : Source(Source), ByteOffset(static_cast<uint32_t>(ByteOffset)),
        NumBytes(static_cast<uint32_t>(NumBytes)), Type(static_cast<uint16_t>(Type)),
        Channel(static_cast<uint8_t>(Channel)), Start(static_cast<uint32_t>(Start)),
        StopPlusOne(static_cast<uint32_t>(Stop + 1)), Line(static_cast<uint32_t>(Line)),
        Column(static_cast<uint32_t>(Column)) {}

  static void *operator new(size_t Size, llvm::BumpPtrAllocator &Arena) {
    return Arena.Allocate(Size, alignof(SourceToken));
  }
  static void operator delete(void *) {}
  static void operator delete(void *, llvm::BumpPtrAllocator &) {}

  std::string getText() const override;
  size_t getType() const override { return Type == EofType ? EOF : Type; }
  size_t getLine() const override { return Line; }
  size_t getCharPositionInLine() const override { return Column; }
  size_t getChannel() const override { return Channel; }
  size_t getTokenIndex() const override { return size_t(IndexPlusOne) - 1; }
  size_t getStartIndex() const override { return Start; }
  size_t getStopIndex() const override { return size_t(StopPlusOne) - 1; }
  antlr4::TokenSource *getTokenSource() const override;
  antlr4::CharStream *getInputStream() const override;
  std::string toString() const override;

  void setText(const std::string &) override;
  void setType(size_t T) override { Type = T == EOF ? EofType : static_cast<uint16_t>(T); }
  void setLine(size_t L) override { Line = static_cast<uint32_t>(L); }
  void setCharPositionInLine(size_t C) override { Column = static_cast<uint32_t>(C); }
  void setChannel(size_t C) override { Channel = static_cast<uint8_t>(C); }
  void setTokenIndex(size_t I) override { IndexPlusOne = static_cast<uint32_t>(I + 1); }

private:
  static constexpr uint16_t EofType = 0xFFFF;

  const Scanner *Source;
  uint32_t ByteOffset, NumBytes;
  uint16_t Type;
  uint8_t Channel;
  // Stored plus one, so that ANTLR's "none" (size_t(-1)) is 0.
  uint32_t Start, StopPlusOne, Line, Column, IndexPlusOne = 0;
};

/// Tokens of Text (valid UTF-8, any byte-order mark already removed), one
/// per nextToken() call, ending with EOF, exactly as StrataLexer would.
/// Whitespace is skipped and comments go to the hidden channel, as the
/// grammar says.
class Scanner final : public antlr4::TokenSource {
public:
  explicit Scanner(llvm::StringRef Text) : Text(Text) {}

  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override { return Line; }
  size_t getCharPositionInLine() override { return Column; }
  /// There is no code point stream: token text comes from the bytes.
  antlr4::CharStream *getInputStream() override { return nullptr; }
  llvm::StringRef text() const { return Text; }
  std::string getSourceName() override { return "<strata>"; }
  antlr4::TokenFactory<antlr4::CommonToken> *getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

  /// A token as the recursive-descent parser reads it: bytes only, no code
  /// points, lines or columns, and no ANTLR object.
  struct RawToken {
    uint32_t Offset;
    uint32_t Bytes;
    uint16_t Type; ///< antlr4::Token::EOF is stored as EofType
  };
  static constexpr uint16_t EofType = 0xFFFF;
  /// Up to Max tokens from byte At on into Out, whitespace skipped; the
  /// same tokens nextToken() produces (comments included), without moving
  /// this scanner. The last is an EofType token at the end of the text.
  /// Returns how many. A batch per call: a call per token was a tenth of
  /// the tokens' cost.
  size_t scanRaw(size_t At, RawToken *Out, size_t Max) const;

private:
  /// Token type and byte length of the token at Pos (not whitespace).
  /// Inlined into both callers with the commonest token's scanner: a
  /// call per layer per token was a tenth of the parse.
  LLVM_ATTRIBUTE_ALWAYS_INLINE std::pair<size_t, size_t> scanToken(size_t Pos) const;
  size_t scanNumber(size_t Pos, size_t &Type) const;
  size_t scanString(size_t Pos, size_t &Type) const;
  LLVM_ATTRIBUTE_ALWAYS_INLINE size_t scanIdentifier(size_t Pos, size_t &Type) const;
  size_t scanSlash(size_t Pos, size_t &Type) const;
  size_t scanOperator(size_t Pos, size_t &Type) const;
  /// Moves past Bytes bytes, counting code points, lines and columns.
  void advance(size_t Bytes);

  llvm::StringRef Text;
  size_t Pos = 0;
  size_t CodePoint = 0;
  size_t Line = 1;
  size_t Column = 0;
  llvm::BumpPtrAllocator Arena;
};

} // namespace strata::parse

#endif
