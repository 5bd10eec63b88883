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

# test/Editors checks the VS Code extension's grammars with
# vscode-tmgrammar-test, from npm, installed into editors/vscode/node_modules
# (git-ignored) from the committed lock file. Optional: when node, npm or
# the registry is missing, those tests report unsupported.
vscode="$(cd "$(dirname "$0")/.." && pwd)/editors/vscode"
if [ -x "$vscode/node_modules/.bin/vscode-tmgrammar-test" ] &&
   [ "$vscode/node_modules/.package-lock.json" -nt "$vscode/package-lock.json" ]; then
  echo "setup: editor grammar test tools present"
elif ! command -v npm >/dev/null 2>&1; then
  echo "setup: no npm; test/Editors will report its grammar tests unsupported"
elif (cd "$vscode" && timeout 300 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null 2>&1); then
  echo "setup: editor grammar test tools installed (editors/vscode/node_modules)"
else
  echo "setup: could not install editor grammar test tools with npm; test/Editors will report them unsupported"
fi
