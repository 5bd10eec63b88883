//===- Version.h - Strata's version -----------------------------*- C++ -*-===//
//
// One home for the version `strata --version` prints and `strata serve`
// announces in its `authenticated` frame (a semver, as the InputLayer
// server's is). Keep it equal to the project version in CMakeLists.txt.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SUPPORT_VERSION_H
#define STRATA_SUPPORT_VERSION_H

namespace strata {
constexpr const char *StrataVersion = "0.1.0";
} // namespace strata

#endif
