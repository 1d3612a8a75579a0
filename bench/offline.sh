#!/usr/bin/env bash
# Offline validation speed and memory: prospect-import against a Python
# baseline (the test generator's independent rule checker over csv.reader,
# tests/tools/gen_prospects.py --check), on the same generated file, in one
# invocation. Prints both counts, wall time, peak memory and the ratio.
#
#   bench/offline.sh [ROWS]        (default 1000000; builds build/ first: scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
scripts/build.sh
generator=tests/tools/gen_prospects.py
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 "$generator" --rows "$rows" --seed 7 --groups-out "$work/groups.txt" \
  --expect-out "$work/expect.json" >"$work/p.csv"
echo "input: $rows rows, $(du -m "$work/p.csv" | cut -f1) MB; expected: $(cat "$work/expect.json")"

measure() {  # name, command...: prints "name seconds peak_MB"
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
  read -r secs kb < <(tail -n 1 "$work/time")
  echo "$name $secs $((kb / 1024))"
}

tool=$(measure prospect-import build/prospect-import --offline -q --groups-file "$work/groups.txt" \
  --report-dir "$work/report" "$work/p.csv")
python=$(measure python3 python3 "$generator" --check "$work/p.csv" --groups-file "$work/groups.txt")
echo "baseline counts: $(cat "$work/python3.out")"
echo "prospect-import counts: $(python3 -c "import json; s=json.load(open('$work/report/summary.json')); print({k: s[k] for k in ('rows','succeeded','invalid')})")"
printf '%-16s %8s %8s\n' what seconds peak_MB
printf '%-16s %8s %8s\n' $tool
printf '%-16s %8s %8s\n' $python
read -r _ t _ <<<"$tool"
read -r _ p _ <<<"$python"
python3 -c "print(f'prospect-import is {float($p)/max(float($t),0.001):.1f}x faster than the Python baseline')"
