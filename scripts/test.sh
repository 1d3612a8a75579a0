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
# Line tables only (-g1, CMakeLists.txt says why), given here so that a build
# folder configured before with -g follows.
optimize=-O2
flags=(-DPI_WERROR=ON)
case "${1:-}" in
  "") ;;
  # -O1, as the sanitizers' manuals advise: UBSan's checks at -O2 took twice
  # as long to compile (cli.cc: 98 s), for reports no better.
  --sanitize) build=build-asan optimize=-O1 flags+=(-DPI_SANITIZE=ON) ;;
  --tsan) build=build-tsan optimize=-O1 flags+=(-DPI_TSAN=ON) ;;
  *)
    echo "usage: scripts/test.sh [--sanitize | --tsan]" >&2
    exit 2 ;;
esac
flags+=("-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=$optimize -g1 -DNDEBUG")
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${flags[@]}" >/dev/null
targets=(all)
if [ "$build" = build-tsan ]; then
  # Only the programs the ThreadSanitizer run below uses.
  targets=(unit_tests e2e_tests e2e_online_tests prospect-import prospect-sandbox)
fi
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}"
cd "$build"
run_ctest() { ctest --output-on-failure --parallel "$(nproc)" --timeout 600 "$@"; }
if [ "$build" = build-tsan ]; then
  run_ctest -L unit
  # Imports that run the real binary with several requests in flight, faults,
  # lost answers, kills and a SIGINT; offline files checked on every core
  # (the generated ones have unknown groups, duplicates, Shift_JIS).
  run_ctest -R '(OfflineSample\.|OfflineStop\.|GeneratedFile\.|OnlineFaults\.|Online\.(CleanImport|SigintStops|RateLimitIsWaitedOut)|KillAndResume\..*/early_middle_late)'
else
  run_ctest
fi
