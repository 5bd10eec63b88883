//===- FunctionsTime.cpp - Temporal functions and the engine's clock -------===//
//
// Timestamps and durations are Int milliseconds (their signatures say so;
// callFunction refuses a float or any other kind). Arithmetic saturates at
// the int64 bounds, as the server's does (time_add(MAX, 1) is MAX), and so
// does the age a decay reads. Decays follow the server: a timestamp at or
// after `now` weighs 1.0, and a half-life or maximum age that is not
// positive weighs 1.0 or 0.0 by that rule alone. docs/builtins.md lists
// every edge case.
//
//===----------------------------------------------------------------------===//
#include "FunctionSupport.h"
#include "Functions.h"
#include <algorithm>
#include <atomic>
#include <chrono>

using namespace strata::engine;
using strata::iql::FunctionId;

static std::atomic<Clock> InstalledClock{nullptr};

Clock strata::engine::setClock(Clock C) { return InstalledClock.exchange(C); }

int64_t strata::engine::nowMillis() {
  if (Clock C = InstalledClock.load())
    return C();
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

static int64_t saturatingSub(int64_t X, int64_t Y) {
  int64_t R;
  if (__builtin_sub_overflow(X, Y, &R))
    return Y < 0 ? INT64_MAX : INT64_MIN;
  return R;
}

static int64_t saturatingAdd(int64_t X, int64_t Y) {
  int64_t R;
  if (__builtin_add_overflow(X, Y, &R))
    return Y > 0 ? INT64_MAX : INT64_MIN;
  return R;
}

/// time_decay (exponential, by half-lives) and time_decay_linear.
static Value decay(bool Exponential, int64_t Ts, int64_t Now, int64_t Scale) {
  if (Scale <= 0)
    return Value::real(Ts >= Now ? 1.0 : 0.0);
  if (Ts >= Now)
    return Value::real(1.0);
  double Ratio = double(saturatingSub(Now, Ts)) / double(Scale);
  return Value::real(Exponential ? std::pow(0.5, Ratio) : std::max(0.0, 1.0 - Ratio));
}

/// now - window <= ts <= now, the window's start saturating.
static Value withinLast(int64_t Ts, int64_t Now, int64_t Window) {
  return Value::boolean(saturatingSub(Now, Window) <= Ts && Ts <= Now);
}

static Value intervalTest(FunctionId F, const int64_t *T) {
  switch (F) {
  case FunctionId::TimeBefore:
    return Value::boolean(T[0] < T[1]);
  case FunctionId::TimeAfter:
    return Value::boolean(T[0] > T[1]);
  case FunctionId::TimeBetween:
  case FunctionId::PointInInterval:
    return Value::boolean(T[1] <= T[0] && T[0] <= T[2]);
  case FunctionId::IntervalsOverlap:
    return Value::boolean(T[0] <= T[3] && T[2] <= T[1]);
  default: // IntervalContains: [T0, T1] holds [T2, T3]
    return Value::boolean(T[0] <= T[2] && T[3] <= T[1]);
  }
}

Value strata::engine::callTimeFunction(FunctionId F, Args A) {
  int64_t T[4];
  if (F == FunctionId::TimeNow)
    return Value::integer(nowMillis());
  for (size_t I = 0; I < A.size(); ++I)
    T[I] = A[I].asInt();
  switch (F) {
  case FunctionId::TimeDiff:
  case FunctionId::TimeSub:
    return Value::integer(saturatingSub(T[0], T[1]));
  case FunctionId::IntervalDuration:
    return Value::integer(saturatingSub(T[1], T[0]));
  case FunctionId::TimeAdd:
    return Value::integer(saturatingAdd(T[0], T[1]));
  case FunctionId::TimeDecay:
  case FunctionId::TimeDecayLinear:
    return decay(F == FunctionId::TimeDecay, T[0], T[1], T[2]);
  case FunctionId::WithinLast:
    return withinLast(T[0], T[1], T[2]);
  default:
    return intervalTest(F, T);
  }
}
