#!/usr/bin/env bash
# Installs Strata's build and test dependencies from Debian 12 packages.
# Idempotent: packages already present are left alone.
set -euo pipefail

packages=(
  build-essential cmake ninja-build
  antlr4 libantlr4-runtime-dev default-jre-headless
  llvm-14-dev llvm-14-tools
  libfmt-dev
  pkg-config libgraphviz-dev    # `strata graph --format svg` lays out with Graphviz
  chromium fonts-dejavu-core    # test/Review: the review page rendered in a headless browser
  libjemalloc-dev               # faster allocation for the ANTLR runtime
  googletest libgtest-dev
  clang-14 libclang-rt-14-dev   # libFuzzer for the parser fuzz target
  python3
  clang-format                  # scripts/format.sh --check, run by the tests
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi
