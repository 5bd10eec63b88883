//===- EngineFunctionsTest.cpp - The engine's built-in functions ----------===//
//
// Each function family's edge cases through strata/Engine/Functions.h:
// wrong argument kinds, empty input, overflow and NaN (all null), the
// server's documented special cases, and the ranking aggregates and
// time_now through a session.
//
//===----------------------------------------------------------------------===//
#include "strata/Engine/Engine.h"
#include "strata/Engine/Functions.h"
#include <cmath>
#include <gtest/gtest.h>
#include <limits>

using namespace strata;
using namespace strata::engine;
using iql::FunctionId;
using iql::Value;

namespace {

Value I(int64_t V) { return Value::integer(V); }
Value F(double V) { return Value::real(V); }
Value S(std::string V) { return Value::string(std::move(V)); }
Value B(bool V) { return Value::boolean(V); }
Value L(std::vector<Value> V) { return Value::list(std::move(V)); }
Value Null() { return Value::null(); }

Value call(FunctionId Id, std::vector<Value> Args) { return callFunction(Id, Args); }

constexpr int64_t Min64 = std::numeric_limits<int64_t>::min();
constexpr int64_t Max64 = std::numeric_limits<int64_t>::max();

TEST(EngineFunctions, EveryFunctionAnswersNullForWrongArgumentCount) {
  for (const iql::BuiltinFunction &Fn : iql::allFunctions())
    EXPECT_TRUE(call(Fn.Id, std::vector<Value>(Fn.Arity + 1, I(1))).isNull()) << Fn.Name;
}

TEST(EngineFunctions, EveryFunctionAnswersNullForNullArguments) {
  for (const iql::BuiltinFunction &Fn : iql::allFunctions()) {
    if (Fn.Arity > 0) {
      EXPECT_TRUE(call(Fn.Id, std::vector<Value>(Fn.Arity, Null())).isNull()) << Fn.Name;
    }
  }
}

/// A value of the wrong type for T (Functions.def's signatures).
Value misfit(iql::ParamType T) {
  switch (T) {
  case iql::ParamType::String:
  case iql::ParamType::Vector:
  case iql::ParamType::Int8Vector:
  case iql::ParamType::Sequence:
    return I(1);
  case iql::ParamType::Ordered:
    return B(true);
  case iql::ParamType::Any:
    return Null();
  default:
    return S("1");
  }
}

/// A value that fits T.
Value fit(iql::ParamType T) {
  switch (T) {
  case iql::ParamType::String:
  case iql::ParamType::Sequence:
    return S("ab");
  case iql::ParamType::Vector:
  case iql::ParamType::Int8Vector:
    return L({I(1), I(2)});
  default:
    return I(1);
  }
}

TEST(EngineFunctions, EveryFunctionAnswersNullForAnArgumentOfTheWrongType) {
  for (const iql::BuiltinFunction &Fn : iql::allFunctions())
    for (size_t Wrong = 0; Wrong < Fn.Arity; ++Wrong) {
      std::vector<Value> Args;
      for (size_t I = 0; I < Fn.Arity; ++I)
        Args.push_back(I == Wrong ? misfit(Fn.Params[I]) : fit(Fn.Params[I]));
      EXPECT_TRUE(call(Fn.Id, Args).isNull()) << Fn.Name << " argument " << Wrong + 1;
    }
}

//===-- Math ----------------------------------------------------------------===//

TEST(EngineFunctions, AbsKeepsTheKindAndSaturates) {
  EXPECT_EQ(call(FunctionId::Abs, {I(-3)}), I(3));
  EXPECT_EQ(call(FunctionId::Abs, {F(-2.5)}), F(2.5));
  EXPECT_EQ(call(FunctionId::Abs, {I(Min64)}), I(Max64));      // saturation, as abs_int64
  EXPECT_EQ(call(FunctionId::AbsInt64, {I(Min64)}), I(Max64)); // documented saturation
  EXPECT_TRUE(call(FunctionId::AbsInt64, {F(-1.5)}).isNull());
  EXPECT_EQ(call(FunctionId::AbsFloat64, {I(-4)}), F(4.0));
  EXPECT_TRUE(call(FunctionId::Abs, {S("-1")}).isNull());
}

TEST(EngineFunctions, RootsLogsAndOverflow) {
  EXPECT_EQ(call(FunctionId::Sqrt, {I(9)}), F(3.0));
  EXPECT_TRUE(call(FunctionId::Sqrt, {F(-1.0)}).isNull());
  EXPECT_EQ(call(FunctionId::Log, {I(1)}), F(0.0));
  EXPECT_TRUE(call(FunctionId::Log, {I(0)}).isNull());
  EXPECT_TRUE(call(FunctionId::Log, {F(-2.0)}).isNull());
  EXPECT_EQ(call(FunctionId::Exp, {I(0)}), F(1.0));
  EXPECT_TRUE(call(FunctionId::Exp, {F(1000.0)}).isNull());
  EXPECT_EQ(call(FunctionId::Pow, {I(2), I(10)}), F(1024.0));
  EXPECT_TRUE(call(FunctionId::Pow, {I(0), I(-1)}).isNull());     // infinity
  EXPECT_TRUE(call(FunctionId::Pow, {F(-8.0), F(0.5)}).isNull()); // NaN
  EXPECT_TRUE(call(FunctionId::Pow, {S("2"), I(2)}).isNull());
  EXPECT_EQ(call(FunctionId::Sin, {I(0)}), F(0.0));
  EXPECT_EQ(call(FunctionId::Cos, {I(0)}), F(1.0));
  EXPECT_EQ(call(FunctionId::Tan, {F(0.0)}), F(0.0));
  EXPECT_TRUE(call(FunctionId::Sin, {F(INFINITY)}).isNull());
}

TEST(EngineFunctions, FloorCeilAndSignAreInts) {
  EXPECT_EQ(call(FunctionId::Floor, {F(-1.5)}), I(-2));
  EXPECT_EQ(call(FunctionId::Ceil, {F(-1.5)}), I(-1));
  EXPECT_EQ(call(FunctionId::Floor, {I(Min64)}), I(Min64));
  EXPECT_EQ(call(FunctionId::Ceil, {F(1e300)}), I(Max64)); // past int64: saturates
  EXPECT_EQ(call(FunctionId::Floor, {F(-1e300)}), I(Min64));
  EXPECT_EQ(call(FunctionId::Sign, {F(-0.5)}), I(-1));
  EXPECT_EQ(call(FunctionId::Sign, {I(0)}), I(0));
  EXPECT_EQ(call(FunctionId::Sign, {I(Max64)}), I(1));
  EXPECT_TRUE(call(FunctionId::Sign, {B(true)}).isNull());
}

TEST(EngineFunctions, Conversions) {
  EXPECT_EQ(call(FunctionId::ToInt, {S(" 42 ")}), I(42));
  EXPECT_EQ(call(FunctionId::ToInt, {F(-2.9)}), I(-2));
  EXPECT_EQ(call(FunctionId::ToInt, {B(true)}), I(1));
  EXPECT_TRUE(call(FunctionId::ToInt, {S("4x")}).isNull());
  EXPECT_TRUE(call(FunctionId::ToInt, {S("")}).isNull());
  EXPECT_EQ(call(FunctionId::ToInt, {F(1e19)}), I(Max64)); // saturates
  EXPECT_TRUE(call(FunctionId::ToInt, {S("9223372036854775808")}).isNull());
  EXPECT_EQ(call(FunctionId::ToFloat, {I(3)}), F(3.0));
  EXPECT_EQ(call(FunctionId::ToFloat, {S("2.5")}), F(2.5));
  EXPECT_TRUE(call(FunctionId::ToFloat, {S("nan")}).isNull());
  EXPECT_TRUE(call(FunctionId::ToFloat, {L({})}).isNull());
}

TEST(EngineFunctions, ScalarMinMax) {
  EXPECT_EQ(call(FunctionId::MinVal, {I(3), I(5)}), I(3));
  EXPECT_EQ(call(FunctionId::MaxVal, {I(3), F(4.5)}), F(4.5));
  EXPECT_EQ(call(FunctionId::MinVal, {I(3), F(4.5)}), F(3.0)); // mixed: float
  EXPECT_EQ(call(FunctionId::MaxVal, {S("apple"), S("pear")}), S("pear"));
  EXPECT_TRUE(call(FunctionId::MinVal, {S("1"), I(2)}).isNull());
}

//===-- Strings -------------------------------------------------------------===//

TEST(EngineFunctions, StringLengthsCountBytes) {
  EXPECT_EQ(call(FunctionId::Len, {S("")}), I(0));
  EXPECT_EQ(call(FunctionId::Len, {S("héllo")}), I(6)); // bytes, as the reference says
  EXPECT_EQ(call(FunctionId::Len, {L({I(1), I(2)})}), I(2));
  EXPECT_TRUE(call(FunctionId::Len, {I(12)}).isNull());
  EXPECT_EQ(call(FunctionId::Upper, {S("MiXeD 1")}), S("MIXED 1"));
  EXPECT_EQ(call(FunctionId::Lower, {S("MiXeD")}), S("mixed"));
  EXPECT_EQ(call(FunctionId::Upper, {S("straße é")}), S("STRASSE É"));
  EXPECT_EQ(call(FunctionId::Lower, {S("ΟΔΟΣ Ω")}), S("οδος ω"));
  EXPECT_EQ(call(FunctionId::Trim, {S("\u00A0x\u3000")}), S("x"));
  EXPECT_EQ(call(FunctionId::Trim, {S(" \t a b \n")}), S("a b"));
  EXPECT_TRUE(call(FunctionId::Trim, {I(1)}).isNull());
}

TEST(EngineFunctions, CaseAndTrimKeepBytesThatAreNotUtf8) {
  // A stray continuation byte, a truncated sequence, an overlong form: each
  // survives as it is, and the letters around it still change case.
  std::string Bad = std::string("a\x80"
                                "b\xC3") +
                    "\xC0\xAF";
  EXPECT_EQ(call(FunctionId::Upper, {S(Bad)}), S(std::string("A\x80"
                                                             "B\xC3") +
                                                 "\xC0\xAF"));
  EXPECT_EQ(call(FunctionId::Lower, {S("\xFF\xCE\xA3")}), S("\xFF\xCF\x83")); // Σ after a bad byte
  EXPECT_EQ(call(FunctionId::Trim, {S(" \x80 ")}), S("\x80"));
  EXPECT_EQ(call(FunctionId::Trim, {S("\xE3\x80")}), S("\xE3\x80")); // half of U+3000
  EXPECT_EQ(call(FunctionId::Len, {S("\x80")}), I(1));
}

TEST(EngineFunctions, SubstrCountsBytesClampsAndRefusesNegatives) {
  EXPECT_EQ(call(FunctionId::Substr, {S("hello world"), I(0), I(5)}), S("hello"));
  EXPECT_EQ(call(FunctionId::Substr, {S("héllo"), I(1), I(2)}), S("é"));
  EXPECT_TRUE(call(FunctionId::Substr, {S("héllo"), I(2), I(2)}).isNull()); // inside é
  EXPECT_EQ(call(FunctionId::Substr, {S("abc"), I(2), I(100)}), S("c"));
  EXPECT_EQ(call(FunctionId::Substr, {S("abc"), I(10), I(1)}), S(""));
  EXPECT_EQ(call(FunctionId::Substr, {S(""), I(0), I(0)}), S(""));
  EXPECT_TRUE(call(FunctionId::Substr, {S("abc"), I(-1), I(1)}).isNull());
  EXPECT_TRUE(call(FunctionId::Substr, {S("abc"), I(0), I(-1)}).isNull());
  EXPECT_TRUE(call(FunctionId::Substr, {S("abc"), F(0.0), I(1)}).isNull());
}

TEST(EngineFunctions, ReplaceEveryOccurrence) {
  EXPECT_EQ(call(FunctionId::Replace, {S("a-b-c"), S("-"), S("+")}), S("a+b+c"));
  EXPECT_EQ(call(FunctionId::Replace, {S("aaa"), S("aa"), S("b")}), S("ba"));
  EXPECT_EQ(call(FunctionId::Replace, {S("abc"), S("x"), S("y")}), S("abc"));
  EXPECT_EQ(call(FunctionId::Replace, {S("hé"), S(""), S("-")}), S("-h-é-"));
  EXPECT_TRUE(call(FunctionId::Replace, {S("abc"), I(1), S("y")}).isNull());
  // A result past 1 MiB is an overflow.
  std::string Big(1 << 19, 'a');
  EXPECT_TRUE(call(FunctionId::Replace, {S(Big), S("a"), S("aaa")}).isNull());
}

TEST(EngineFunctions, ConcatPrintsValues) {
  EXPECT_EQ(call(FunctionId::Concat, {S("a"), I(1), F(2.5)}), S("a12.5"));
  EXPECT_EQ(call(FunctionId::Concat, {S(""), S(""), S("")}), S(""));
  EXPECT_TRUE(call(FunctionId::Concat, {S("a"), Null(), S("b")}).isNull());
  std::string Half(1 << 19, 'x');
  EXPECT_TRUE(call(FunctionId::Concat, {S(Half), S(Half), S("x")}).isNull());
}

//===-- Time ----------------------------------------------------------------===//

int64_t fixedClock() { return 1700000000000; }

TEST(EngineFunctions, TimeNowReadsTheInstalledClock) {
  Clock Previous = setClock(fixedClock);
  EXPECT_EQ(call(FunctionId::TimeNow, {}), I(1700000000000));
  Engine E;
  Session Ses(E);
  Reply R = Ses.execute("?T = time_now(), D = time_diff(T, 1699999999000)");
  setClock(Previous);
  ASSERT_FALSE(R.IsError) << R.ErrorMessage;
  ASSERT_EQ(R.Rows.size(), 1u);
  EXPECT_EQ(*R.Rows[0][0].getAsInteger(), 1700000000000);
  EXPECT_EQ(*R.Rows[0][1].getAsInteger(), 1000);
  // The system clock again: some time after 2023.
  EXPECT_GT(nowMillis(), 1700000000000);
}

TEST(EngineFunctions, TimeArithmeticSaturates) {
  EXPECT_EQ(call(FunctionId::TimeDiff, {I(5000), I(2000)}), I(3000));
  EXPECT_EQ(call(FunctionId::TimeAdd, {I(1000), I(-500)}), I(500));
  EXPECT_EQ(call(FunctionId::TimeSub, {I(1000), I(500)}), I(500));
  EXPECT_EQ(call(FunctionId::IntervalDuration, {I(1000), I(400)}), I(-600));
  EXPECT_EQ(call(FunctionId::TimeAdd, {I(Max64), I(1)}), I(Max64));
  EXPECT_EQ(call(FunctionId::TimeSub, {I(Min64), I(1)}), I(Min64));
  EXPECT_EQ(call(FunctionId::IntervalDuration, {I(Max64), I(Min64)}), I(Min64));
  EXPECT_TRUE(call(FunctionId::TimeDiff, {F(1.0), I(1)}).isNull()); // not an Int
}

TEST(EngineFunctions, Decays) {
  EXPECT_EQ(call(FunctionId::TimeDecay, {I(998000), I(1000000), I(1000)}), F(0.25));
  EXPECT_EQ(call(FunctionId::TimeDecay, {I(2000), I(1000), I(1000)}), F(1.0)); // future
  EXPECT_EQ(call(FunctionId::TimeDecay, {I(0), I(1000), I(0)}), F(0.0));       // no half-life
  EXPECT_EQ(call(FunctionId::TimeDecay, {I(1000), I(1000), I(-5)}), F(1.0));
  EXPECT_EQ(call(FunctionId::TimeDecayLinear, {I(5000), I(10000), I(10000)}), F(0.5));
  EXPECT_EQ(call(FunctionId::TimeDecayLinear, {I(0), I(10000), I(5000)}), F(0.0));
  EXPECT_EQ(call(FunctionId::TimeDecay, {I(Min64), I(Max64), I(1)}), F(0.0)); // no overflow
}

TEST(EngineFunctions, TemporalTests) {
  EXPECT_EQ(call(FunctionId::TimeBefore, {I(1), I(2)}), B(true));
  EXPECT_EQ(call(FunctionId::TimeAfter, {I(1), I(2)}), B(false));
  EXPECT_EQ(call(FunctionId::TimeBetween, {I(5), I(5), I(10)}), B(true));
  EXPECT_EQ(call(FunctionId::PointInInterval, {I(11), I(5), I(10)}), B(false));
  EXPECT_EQ(call(FunctionId::WithinLast, {I(900), I(1000), I(100)}), B(true));
  EXPECT_EQ(call(FunctionId::WithinLast, {I(1001), I(1000), I(100)}), B(false)); // future
  EXPECT_EQ(call(FunctionId::WithinLast, {I(Min64), I(Max64), I(Max64)}), B(false));
  EXPECT_EQ(call(FunctionId::IntervalsOverlap, {I(0), I(10), I(10), I(20)}), B(true));
  EXPECT_EQ(call(FunctionId::IntervalsOverlap, {I(0), I(9), I(10), I(20)}), B(false));
  EXPECT_EQ(call(FunctionId::IntervalContains, {I(0), I(10), I(2), I(10)}), B(true));
  EXPECT_EQ(call(FunctionId::IntervalContains, {I(0), I(10), I(2), I(11)}), B(false));
  EXPECT_TRUE(call(FunctionId::TimeBefore, {S("1"), I(2)}).isNull());
}

//===-- Vectors -------------------------------------------------------------===//

TEST(EngineFunctions, DistancesNarrowToFloat) {
  Value A = L({F(3.0), F(4.0)}), Z = L({I(0), I(0)}), One = L({F(1.0), F(1.0)});
  EXPECT_EQ(call(FunctionId::Euclidean, {A, Z}), F(5.0));
  EXPECT_EQ(call(FunctionId::Manhattan, {A, One}), F(5.0));
  EXPECT_EQ(call(FunctionId::Dot, {A, One}), F(7.0));
  EXPECT_EQ(call(FunctionId::Cosine, {A, A}), F(0.0));
  EXPECT_EQ(call(FunctionId::Cosine, {A, Z}), F(0.0)); // a zero vector: 0, as the server
  EXPECT_EQ(call(FunctionId::Cosine, {L({F(1.0), F(0.0)}), L({F(-1.0), F(0.0)})}), F(2.0));
  EXPECT_EQ(call(FunctionId::Euclidean, {L({}), L({})}), F(0.0));
  EXPECT_TRUE(call(FunctionId::Euclidean, {A, L({F(1.0)})}).isNull()); // lengths differ
  EXPECT_TRUE(call(FunctionId::Dot, {A, L({F(1.0), S("x")})}).isNull());
  EXPECT_TRUE(call(FunctionId::Dot, {A, F(1.0)}).isNull());
  // 0.1 is stored as a float, as the server stores it.
  EXPECT_EQ(call(FunctionId::Dot, {L({F(0.1)}), L({I(1)})}), F(double(0.1f)));
}

TEST(EngineFunctions, VectorArithmetic) {
  EXPECT_EQ(call(FunctionId::Normalize, {L({F(3.0), F(4.0)})}),
            L({F(double(0.6f)), F(double(0.8f))}));
  EXPECT_EQ(call(FunctionId::Normalize, {L({F(0.0), F(0.0)})}), L({F(0.0), F(0.0)}));
  EXPECT_EQ(call(FunctionId::Normalize, {L({})}), L({}));
  EXPECT_EQ(call(FunctionId::VecDim, {L({I(1), I(2), I(3)})}), I(3));
  EXPECT_TRUE(call(FunctionId::VecDim, {S("abc")}).isNull());
  EXPECT_EQ(call(FunctionId::VecAdd, {L({I(1), F(2.5)}), L({I(1), I(1)})}), L({F(2.0), F(3.5)}));
  EXPECT_TRUE(call(FunctionId::VecAdd, {L({I(1)}), L({I(1), I(1)})}).isNull());
  EXPECT_EQ(call(FunctionId::VecScale, {L({I(1), I(-2)}), F(0.5)}), L({F(0.5), F(-1.0)}));
  EXPECT_TRUE(call(FunctionId::VecScale, {L({F(1e38)}), F(1e10)}).isNull()); // float overflow
  EXPECT_TRUE(call(FunctionId::VecScale, {L({I(1)}), S("2")}).isNull());
}

TEST(EngineFunctions, QuantizationFollowsTheServer) {
  // 30_quantization/01 and 02.
  Value V = L({F(1.0), F(0.5), F(-0.5), F(-1.0)});
  EXPECT_EQ(call(FunctionId::QuantizeLinear, {V}), L({I(127), I(63), I(-64), I(-128)}));
  EXPECT_EQ(call(FunctionId::QuantizeSymmetric, {V}), L({I(127), I(64), I(-64), I(-127)}));
  Value Flat = L({F(2.0), F(2.0)});
  EXPECT_EQ(call(FunctionId::QuantizeLinear, {Flat}), L({I(0), I(0)}));
  EXPECT_EQ(call(FunctionId::QuantizeSymmetric, {L({F(0.0)})}), L({I(0)}));
  EXPECT_EQ(call(FunctionId::QuantizeLinear, {L({})}), L({}));
  EXPECT_EQ(call(FunctionId::Dequantize, {L({I(127), I(-128)})}), L({F(127.0), F(-128.0)}));
  EXPECT_EQ(call(FunctionId::DequantizeScaled, {L({I(127), I(-128)}), F(0.5)}),
            L({F(63.5), F(-64.0)}));
  EXPECT_TRUE(call(FunctionId::Dequantize, {L({I(128)})}).isNull()); // not an int8
  EXPECT_TRUE(call(FunctionId::Dequantize, {L({F(1.0)})}).isNull());
}

TEST(EngineFunctions, Int8Distances) {
  Value P = L({I(3), I(4)}), Z = L({I(0), I(0)});
  EXPECT_EQ(call(FunctionId::EuclideanInt8, {P, Z}), F(5.0));
  EXPECT_EQ(call(FunctionId::ManhattanInt8, {P, Z}), F(7.0));
  EXPECT_EQ(call(FunctionId::DotInt8, {P, P}), F(25.0));
  EXPECT_EQ(call(FunctionId::CosineInt8, {P, P}), F(0.0));
  EXPECT_EQ(call(FunctionId::CosineInt8, {P, Z}), F(1.0)); // a zero vector: 1, as the server
  EXPECT_EQ(call(FunctionId::EuclideanInt8, {L({I(127)}), L({I(-128)})}), F(255.0));
  EXPECT_EQ(call(FunctionId::DotInt8, {P, L({I(1)})}), F(0.0)); // different lengths, as the server
  EXPECT_TRUE(call(FunctionId::EuclideanInt8, {P, L({I(1)})}).isNull());
}

TEST(EngineFunctions, LshAgreesWithTheServersBuckets) {
  // 31_lsh/01 (table 0, 4 hyperplanes) and 05 (table 4, 42 hyperplanes).
  EXPECT_EQ(call(FunctionId::LshBucket, {L({F(1.0), F(0.0), F(0.0), F(0.0)}), I(0), I(4)}), I(8));
  EXPECT_EQ(call(FunctionId::LshBucket, {L({F(-1.0), F(0.0), F(0.0), F(0.0)}), I(0), I(4)}), I(7));
  EXPECT_EQ(call(FunctionId::LshBucket, {L({F(1.0), F(2.0), F(3.0)}), I(4), I(42)}),
            I(1611170160950));
  EXPECT_EQ(call(FunctionId::LshBucket, {L({F(4.0), F(5.0), F(6.0)}), I(4), I(42)}),
            I(2153476890934));
  EXPECT_EQ(call(FunctionId::LshBucket, {L({}), I(0), I(4)}), I(0));
  EXPECT_EQ(call(FunctionId::LshBucket, {L({F(1.0)}), I(0), I(0)}), I(0));
  // A negative count reads as the server's huge unsigned one: 62 hyperplanes.
  EXPECT_EQ(call(FunctionId::LshBucket, {L({F(1.0), F(-2.0)}), I(1), I(-1)}),
            call(FunctionId::LshBucket, {L({F(1.0), F(-2.0)}), I(1), I(62)}));
  // More than 62 hyperplanes count as 62: the bucket stays an Int.
  EXPECT_GE(call(FunctionId::LshBucket, {L({F(1.0), F(-2.0)}), I(1), I(1000)}).asInt(), 0);
}

TEST(EngineFunctions, LshProbesByHammingDistance) {
  EXPECT_EQ(call(FunctionId::LshProbes, {I(5), I(3), I(7)}),
            L({I(5), I(4), I(7), I(1), I(6), I(0), I(3)}));
  EXPECT_EQ(call(FunctionId::LshProbes, {I(5), I(3), I(0)}), L({}));
  EXPECT_EQ(call(FunctionId::LshProbes, {I(0), I(0), I(5)}), L({I(0)}));
  // Distance three at most: 1 + 3 + 3 + 1 probes for 3 bits.
  EXPECT_EQ(call(FunctionId::LshProbes, {I(0), I(3), I(100)}).asList().size(), 8u);
  EXPECT_EQ(call(FunctionId::LshProbes, {I(0), I(3), I(-1)}).asList().size(), 8u); // every probe
  Value V = L({F(1.0), F(0.5), F(0.0), F(-0.5)});
  Value Multi = call(FunctionId::LshMultiProbe, {V, I(0), I(4), I(5)});
  ASSERT_EQ(Multi.asList().size(), 5u);
  EXPECT_EQ(Multi.asList()[0], call(FunctionId::LshBucket, {V, I(0), I(4)}));
  EXPECT_TRUE(call(FunctionId::LshMultiProbe, {V, I(0), I(4), F(5.0)}).isNull());
}

TEST(EngineFunctions, NamesMatchInAnyCase) {
  // The server reads `ABS(X)` as abs (transcripts 32_math, 35_strings); a
  // capitalised word that names no function stays a variable.
  Engine E;
  Session Ses(E);
  Reply R = Ses.execute("?A = ABS(-3), B = Substr(\"hello\", 1, 2)");
  ASSERT_FALSE(R.IsError) << R.ErrorMessage;
  ASSERT_EQ(R.Rows.size(), 1u);
  EXPECT_EQ(*R.Rows[0][0].getAsInteger(), 3);
  EXPECT_EQ(*R.Rows[0][1].getAsString(), "el");
  EXPECT_TRUE(Ses.execute("?A = Nope(3)").IsError);
}

//===-- Ranking aggregates --------------------------------------------------===//

struct EngineRanking : ::testing::Test {
  Engine E;
  Session Ses{E};

  std::vector<std::string> rows(llvm::StringRef Program) {
    Reply R = Ses.execute(Program);
    EXPECT_FALSE(R.IsError) << R.ErrorMessage;
    std::vector<std::string> Out;
    for (const auto &Row : R.Rows) {
      std::string Line;
      for (const strata::Cell &C : Row) {
        std::string Cell;
        llvm::raw_string_ostream OS(Cell);
        OS << C.toJson();
        Line += (Line.empty() ? "" : "|") + OS.str();
      }
      Out.push_back(Line);
    }
    return Out;
  }
};

using Rows = std::vector<std::string>;

TEST_F(EngineRanking, TopKBreaksTiesByTheRow) {
  Ses.execute("+s[(3, 100), (1, 100), (2, 100), (4, 90)]");
  Ses.execute("+top2(top_k<2, Id, V:desc>) <- s(Id, V)");
  EXPECT_EQ(rows("?top2(A, B)"), (Rows{"1|100", "2|100"}));
  Ses.execute("+low(top_k<1, Id, V:asc>) <- s(Id, V)");
  EXPECT_EQ(rows("?low(A, B)"), (Rows{"4|90"}));
}

TEST_F(EngineRanking, TheOrderPrintsBackAndSurvivesTheStateFile) {
  Ses.execute("+s[(1, 5), (2, 7)]");
  Ses.execute("+best(top_k<1, Id, V:desc>) <- s(Id, V)");
  Reply R = Ses.execute(".rule def best");
  ASSERT_FALSE(R.IsError) << R.ErrorMessage;
  std::string Text;
  for (const auto &Row : R.Rows)
    if (llvm::Optional<llvm::StringRef> Line = Row[0].getAsString())
      Text += Line->str() + "\n";
  EXPECT_NE(Text.find("best(top_k<1, Id, V:desc>) <- s(Id, V)"), std::string::npos) << Text;
  llvm::Expected<Engine> Back = Engine::deserialize(E.serialize());
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  Session Again(*Back);
  Reply Q = Again.execute("?best(A, B)");
  ASSERT_EQ(Q.Rows.size(), 1u);
  EXPECT_EQ(*Q.Rows[0][1].getAsInteger(), 7);
}

TEST_F(EngineRanking, WithoutAnOrderTheLastVariableRanksAscending) {
  Ses.execute("+s[(1, 30), (2, 10), (3, 20)]");
  Ses.execute("+two(top_k<2, Id, V>) <- s(Id, V)");
  EXPECT_EQ(rows("?two(A, B)"), (Rows{"2|10", "3|20"}));
  Ses.execute("+one(top_k<1, V>) <- s(_, V)");
  EXPECT_EQ(rows("?one(A)"), (Rows{"10"}));
}

TEST_F(EngineRanking, ThresholdAndRadiusBounds) {
  Ses.execute("+s[(1, 50), (2, 100), (3, 150), (4, 99.5)]");
  Ses.execute("+hi(top_k_threshold<5, 100, Id, V:desc>) <- s(Id, V)");
  EXPECT_EQ(rows("?hi(A, B)"), (Rows{"2|100", "3|150"}));
  Ses.execute("+lo(top_k_threshold<1, 100, Id, V:asc>) <- s(Id, V)");
  EXPECT_EQ(rows("?lo(A, B)"), (Rows{"1|50"}));
  Ses.execute("+near(within_radius<99.5, Id, V:asc>) <- s(Id, V)");
  EXPECT_EQ(rows("?near(A, B)"), (Rows{"1|50", "4|99.5"}));
}

TEST_F(EngineRanking, EmptyInputAndGroups) {
  Ses.execute("+t(top_k<1, Id, V:desc>) <- s(Id, V)");
  EXPECT_TRUE(rows("?t(A, B)").empty());
  Ses.execute("+g[(\"a\", 1, 5), (\"a\", 2, 7), (\"b\", 3, 1)]");
  Ses.execute("+best(G, top_k<1, Id, V:desc>) <- g(G, Id, V)");
  EXPECT_EQ(rows("?best(G, A, B)"), (Rows{"\"a\"|2|7", "\"b\"|3|1"}));
}

TEST_F(EngineRanking, NullScoresNeverRank) {
  Ses.execute("+s[(1, \"x\"), (2, \"4\")]");
  Ses.execute("+t(top_k<5, Id, N:desc>) <- s(Id, X), N = to_int(X)");
  EXPECT_EQ(rows("?t(A, B)"), (Rows{"2|4"}));
}

TEST_F(EngineRanking, ALimitBelowOneFailsTheQuery) {
  // Sema refuses it in a schema; the engine, like the server, takes the
  // rule and fails when it is evaluated.
  Ses.execute("+s[(1, 2)]");
  Ses.execute("+t(top_k<0, Id, V:desc>) <- s(Id, V)");
  Reply Q = Ses.execute("?t(A, B)");
  EXPECT_TRUE(Q.IsError);
  EXPECT_EQ(Q.ErrorMessage, "The limit of 'top_k' must be a positive integer");
}

} // namespace
