#!/usr/bin/env bash
# Memory of a resumed import, by how much its journal holds: an online import
# into the sandbox (c=16) is killed (SIGKILL) once its journal holds 10 % of
# the rows, then once 60 %; each is resumed and its peak memory measured. The
# difference over the difference in rows done is what a done row costs.
#
#   bench/resume_memory.sh [ROWS] [TOOL]
#
# ROWS: default 200000. TOOL: the prospect-import binary to measure (default
# build/prospect-import, built first with scripts/build.sh), for comparing
# another build against this one.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-200000}"
tool="${2:-}"
if [ -z "$tool" ]; then
  scripts/build.sh >/dev/null
  tool=build/prospect-import
fi
work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
python3 tests/tools/gen_prospects.py --rows "$rows" --seed 3 >"$work/p.csv" 2>/dev/null
export IMPACT_ACCOUNT_SID=IRsandbox0001 IMPACT_AUTH_TOKEN=sandbox-token

done_records() {  # outcomes in a journal; 0 before it exists
  local n
  n="$(grep -c '"fate"' "$1" 2>/dev/null)" || true
  echo "${n:-0}"
}

measure() {  # percent: prints "done peak_kib"
  local percent="$1" report="$work/report-$1"
  export HOME="$work/home-$1" XDG_STATE_HOME="$work/home-$1/state"
  mkdir -p "$HOME"
  build/sandbox/prospect-sandbox --rate-limit 1000000000 --threads 16 >"$work/sandbox.out" 2>/dev/null &
  sandbox_pid=$!
  for _ in $(seq 100); do grep -q listening "$work/sandbox.out" && break; sleep 0.1; done
  local url
  url="$(grep -o 'listening on [^ ]*' "$work/sandbox.out" | cut -d' ' -f3)"
  "$tool" -q --program 1001 --api-base "$url" --concurrency 16 \
    --report-dir "$report" "$work/p.csv" >/dev/null 2>&1 &
  local import_pid=$! want=$((rows * percent / 100))
  while [ "$(done_records "$report/journal")" -lt "$want" ]; do sleep 0.05; done
  kill -KILL "$import_pid"
  wait "$import_pid" 2>/dev/null || true
  local held
  held="$(done_records "$report/journal")"
  /usr/bin/time -f "%M" -o "$work/time" "$tool" -q --resume --program 1001 \
    --api-base "$url" --concurrency 16 --report-dir "$report" "$work/p.csv" >/dev/null 2>&1 || true
  kill "$sandbox_pid"
  wait "$sandbox_pid" 2>/dev/null || true
  sandbox_pid=""
  echo "$held $(tail -n 1 "$work/time")"
}

read -r few few_kib <<<"$(measure 10)"
read -r many many_kib <<<"$(measure 60)"
printf '%-34s %10s %12s\n' "resumed import of $rows rows" "rows done" "peak memory"
printf '%-34s %10s %9s MiB\n' "killed at 10 %" "$few" "$((few_kib / 1024))"
printf '%-34s %10s %9s MiB\n' "killed at 60 %" "$many" "$((many_kib / 1024))"
python3 -c "print(f'a done row costs {($many_kib - $few_kib) * 1024 / max($many - $few, 1):.0f} B of memory')"
