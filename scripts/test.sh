#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every test.
#   scripts/test.sh              build/: every test
#   scripts/test.sh --sanitize   build-asan/: every test under AddressSanitizer and UBSan
#   scripts/test.sh --tsan       build-tsan/: ThreadSanitizer over the unit tests and a
#                                few end-to-end imports (tests/tsan/suppressions.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build=build
flags=(-DPI_WERROR=ON)
# ctest selections: each runs after the other; none means every test.
selections=("")
case "${1:-}" in
  "") ;;
  --sanitize)
    build=build-asan
    flags+=(-DPI_SANITIZE=ON) ;;
  --tsan)
    build=build-tsan
    flags+=(-DPI_TSAN=ON)
    # The imports run the real binary with several requests in flight.
    e2e='^(OfflineSample\.|OnlineFaults\.|Online\.(CleanImport|SigintStops|RateLimitIsWaitedOut)|KillAndResume\.EveryValidRowOnceAndTheReportOfAnUninterruptedRun/early)'
    selections=("-L unit" "-R $e2e") ;;
  *)
    echo "usage: scripts/test.sh [--sanitize | --tsan]" >&2
    exit 2 ;;
esac
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${flags[@]}" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
cd "$build"
for selection in "${selections[@]}"; do
  # shellcheck disable=SC2086  # a selection is an option and its value
  ctest --output-on-failure --parallel "$(nproc)" --timeout 600 $selection
done
