#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang into build-fuzz/ (or
# $PI_FUZZ_BUILD) and runs each for SECONDS (default 60), one line a target.
# Exits 1 if any target found a crash, leak, time-out or out-of-memory; the
# input is kept in <build>/fuzz-out/artifacts/<target>/ (fuzz/README.md says
# how to minimise it and keep it as a regression).
#
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
build="${PI_FUZZ_BUILD:-build-fuzz}"
targets=(fuzz_csv fuzz_validate fuzz_journal fuzz_api fuzz_xlsx)

# clang and its libFuzzer runtime are not in install-deps.sh (only fuzzing
# needs them): install them here when a trivial fuzzer does not link.
fuzzer_links() {
  command -v clang++ >/dev/null || return 1
  local tmp
  tmp="$(mktemp -d)"
  echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' \
    >"$tmp/probe.cc"
  clang++ -fsanitize=fuzzer "$tmp/probe.cc" -o "$tmp/probe" >/dev/null 2>&1
  local ok=$?
  rm -rf "$tmp"
  return $ok
}
if ! fuzzer_links; then
  scripts/install-deps.sh
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  packages=(clang)
  if command -v clang >/dev/null; then
    major="$(clang -dumpversion | cut -d. -f1)"
    packages+=("libclang-rt-$major-dev")  # libclang_rt.fuzzer-x86_64.a
  fi
  echo "installing: ${packages[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
  if ! fuzzer_links; then
    major="$(clang -dumpversion | cut -d. -f1)"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "libclang-rt-$major-dev"
  fi
fi

# -O1 with line tables, as libFuzzer's manual builds its targets: they compile
# in half the time of -O2 -g, and CI builds them on every run.
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
  -DPI_FUZZ=ON -DPI_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}"

out="$build/fuzz-out"
found=0
for t in "${targets[@]}"; do
  mkdir -p "$out/corpus/$t" "$out/artifacts/$t" "$out/logs"
  rm -f "$out/artifacts/$t"/*
  # The first folder collects what the run finds; the seeds and the
  # regressions are only read (a regression that still fails stops the run).
  dirs=("$out/corpus/$t" "fuzz/corpus/$t")
  if [ -d "fuzz/regressions/$t" ]; then dirs+=("fuzz/regressions/$t"); fi
  log="$out/logs/$t.log"
  rc=0
  "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/$t/" "${dirs[@]}" >"$log" 2>&1 || rc=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)"
  if [ -z "$execs" ]; then execs="$(grep -o '^#[0-9]*' "$log" | tail -n1 | tr -d '#')"; fi
  artifacts=("$out/artifacts/$t"/*)
  if [ "$rc" -ne 0 ] || [ -e "${artifacts[0]}" ]; then
    found=1
    echo "$t: ${execs:-0} executions: FOUND (exit $rc) ${artifacts[*]} (log: $log)"
  else
    echo "$t: ${execs:-0} executions in ${seconds} s: nothing found"
  fi
done
exit "$found"
