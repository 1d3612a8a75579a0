#!/usr/bin/env bash
# Offline validation speed and memory: prospect-import against a Python
# baseline (the generator's own independent rule checker over csv.reader), on
# the same generated file, in one invocation. Prints wall time, peak memory
# and the ratio.
#
#   bench/offline.sh [ROWS]        (default 1000000; needs a built build/)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
shared="$(cd .. && pwd)/shared"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 "$shared/bench/gen_prospects.py" --rows "$rows" --seed 7 --groups-out "$work/groups.txt" \
  --expect-out "$work/expect.json" >"$work/p.csv"
echo "input: $rows rows, $(du -m "$work/p.csv" | cut -f1) MB; expected: $(cat "$work/expect.json")"

measure() {  # name, command...: prints "name seconds peak_MB"
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/$name.err" || true
  read -r secs kb < <(tail -n 1 "$work/time")
  echo "$name $secs $((kb / 1024))"
}

tool=$(measure prospect-import build/prospect-import --offline -q --groups-file "$work/groups.txt" \
  --report-dir "$work/report" "$work/p.csv")
python=$(measure python3 python3 -c "
import csv, sys
sys.path.insert(0, '$shared/bench')
import gen_prospects as g
groups = [l.rstrip('\n') for l in open('$work/groups.txt', encoding='utf-8')]
with open('$work/p.csv', encoding='utf-8', newline='') as f:
    r = csv.reader(f); next(r)
    print(g.check_rows(r, groups))
")
echo "counts: $(python3 -c "import json; s=json.load(open('$work/report/summary.json')); print({k: s[k] for k in ('rows','succeeded','invalid')})")"
printf '%-16s %8s %8s\n' what seconds peak_MB
printf '%-16s %8s %8s\n' $tool
printf '%-16s %8s %8s\n' $python
read -r _ t _ <<<"$tool"
read -r _ p _ <<<"$python"
python3 -c "print(f'prospect-import is {float($p)/max(float($t),0.001):.1f}x faster than the Python baseline')"
