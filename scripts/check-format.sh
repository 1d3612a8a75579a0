#!/usr/bin/env bash
# Checks that our C++ sources follow .clang-format; changes nothing. Lists
# each file that differs and exits 1 if any does. Fix with:
#   clang-format -i FILE...
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "installing: clang-format" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang-format
fi

mapfile -t files < <(find src include tests sandbox fuzz -path tests/data -prune -o \
  -type f \( -name '*.cc' -o -name '*.h' \) -print | sort)
bad=()
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" 2>/dev/null; then bad+=("$f"); fi
done
echo "$(clang-format --version): ${#files[@]} files, ${#bad[@]} not formatted"
for f in "${bad[@]}"; do echo "  $f"; done
[ "${#bad[@]}" -eq 0 ]
