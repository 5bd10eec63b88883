#!/usr/bin/env bash
# Formats our C++ sources with clang-format and the repository's
# .clang-format: lib/, include/, tools/ and unittests/ (*.cpp, *.h). The
# generated parser (built from grammar/ into the build directory) and the
# .def tables are left alone.
#
#   scripts/format.sh           format every file in place
#   scripts/format.sh --check   change nothing; list the files that differ
#                               and exit 1 if there are any
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

tool=${CLANG_FORMAT:-}
if [ -z "$tool" ]; then
  for candidate in clang-format-14 clang-format; do
    if command -v "$candidate" >/dev/null; then tool=$candidate; break; fi
  done
fi
[ -n "$tool" ] || { echo "format.sh: clang-format not found" >&2; exit 2; }

mapfile -t files < <(find lib include tools unittests -type f \( -name '*.cpp' -o -name '*.h' \) | sort)

if [ "$check" = 0 ]; then
  "$tool" -i --style=file "${files[@]}"
  exit 0
fi

status=0
for f in "${files[@]}"; do
  if ! "$tool" --style=file "$f" | cmp -s "$f" -; then
    echo "$f"
    status=1
  fi
done
exit $status
