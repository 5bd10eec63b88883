//===- Boxed.h - Seldom-used parts of AST nodes, on the heap ----*- C++ -*-===//
//
// A node that holds each of its alternatives inline pays for all of them
// in every node: every body literal held both sides of a comparison, every
// column a fill value. These holders keep such a part behind one pointer,
// allocated only when the part is set; they copy the part with the node
// (docs/performance.md, "Memory of the AST").
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_AST_BOXED_H
#define STRATA_AST_BOXED_H

#include <memory>
#include <optional>
#include <utility>

namespace strata::ast {

/// A T on the heap that reads as a default-constructed T until it is set,
/// so a node that does not use it pays a null pointer. Passes as a `T &`;
/// members are reached with `->`.
template <typename T> class Boxed {
public:
  Boxed() = default;
  Boxed(T Value) : Ptr(std::make_unique<T>(std::move(Value))) {}
  Boxed(const Boxed &Other) : Ptr(Other.Ptr ? std::make_unique<T>(*Other.Ptr) : nullptr) {}
  Boxed(Boxed &&) noexcept = default;
  Boxed &operator=(const Boxed &Other) {
    if (this != &Other)
      Ptr = Other.Ptr ? std::make_unique<T>(*Other.Ptr) : nullptr;
    return *this;
  }
  Boxed &operator=(Boxed &&) noexcept = default;
  Boxed &operator=(T Value) {
    if (Ptr)
      *Ptr = std::move(Value);
    else
      Ptr = std::make_unique<T>(std::move(Value));
    return *this;
  }

  const T &get() const { return Ptr ? *Ptr : unset(); }
  /// Allocates the value on first use.
  T &get() {
    if (!Ptr)
      Ptr = std::make_unique<T>();
    return *Ptr;
  }
  operator const T &() const { return get(); }
  operator T &() { return get(); }
  const T &operator*() const { return get(); }
  T &operator*() { return get(); }
  const T *operator->() const { return &get(); }
  T *operator->() { return &get(); }

private:
  static const T &unset() {
    static const T Default;
    return Default;
  }

  std::unique_ptr<T> Ptr;
};

/// std::optional<T> with the value on the heap: a pointer's size when
/// empty. Reads and assigns like std::optional.
template <typename T> class BoxedOptional {
public:
  BoxedOptional() = default;
  BoxedOptional(std::nullopt_t) {}
  BoxedOptional(T Value) : Ptr(std::make_unique<T>(std::move(Value))) {}
  BoxedOptional(std::optional<T> Value)
      : Ptr(Value ? std::make_unique<T>(std::move(*Value)) : nullptr) {}
  BoxedOptional(const BoxedOptional &Other)
      : Ptr(Other.Ptr ? std::make_unique<T>(*Other.Ptr) : nullptr) {}
  BoxedOptional(BoxedOptional &&) noexcept = default;
  BoxedOptional &operator=(const BoxedOptional &Other) {
    if (this != &Other)
      Ptr = Other.Ptr ? std::make_unique<T>(*Other.Ptr) : nullptr;
    return *this;
  }
  BoxedOptional &operator=(BoxedOptional &&) noexcept = default;
  BoxedOptional &operator=(std::nullopt_t) {
    Ptr.reset();
    return *this;
  }
  BoxedOptional &operator=(T Value) {
    emplace(std::move(Value));
    return *this;
  }
  BoxedOptional &operator=(std::optional<T> Value) {
    if (Value)
      emplace(std::move(*Value));
    else
      Ptr.reset();
    return *this;
  }

  bool has_value() const { return Ptr != nullptr; }
  explicit operator bool() const { return Ptr != nullptr; }
  const T &operator*() const { return *Ptr; }
  T &operator*() { return *Ptr; }
  const T *operator->() const { return Ptr.get(); }
  T *operator->() { return Ptr.get(); }
  const T &value() const { return *Ptr; }
  T &value() { return *Ptr; }
  template <typename... Args> T &emplace(Args &&...A) {
    Ptr = std::make_unique<T>(std::forward<Args>(A)...);
    return *Ptr;
  }
  void reset() { Ptr.reset(); }
  operator std::optional<T>() const { return Ptr ? std::optional<T>(*Ptr) : std::nullopt; }

private:
  std::unique_ptr<T> Ptr;
};

} // namespace strata::ast

#endif
