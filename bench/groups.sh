#!/usr/bin/env bash
# "Did you mean" for unknown Group Names stays cheap (issue 7, item 5):
# prospect-import --offline on ROWS rows of which 10 % name an unknown group
# (about 1,000 distinct names, mostly typos) against 5,000 groups, and on the
# same rows with every group known, in one invocation. Prints both times, the
# ratio, and whether it is within 2x; exits 1 when it is not. The ratio is of
# CPU time (user + system), which other work on a shared machine does not
# inflate as it does the wall time (shown too).
#
#   bench/groups.sh [ROWS]        (default 1000000; needs a built build/)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 bench/gen_groups_bench.py --rows "$rows" --out-dir "$work"
echo "input: $rows rows, $(wc -l <"$work/groups.txt") groups, $(du -m "$work/unknown.csv" | cut -f1) MB"

measure() {  # name: prints "name cpu_seconds wall_seconds peak_MB invalid_rows"
  local name="$1"
  /usr/bin/time -f "%U %S %e %M" -o "$work/time" build/prospect-import --offline -q --groups-file "$work/groups.txt" \
    --report-dir "$work/report-$name" "$work/$name.csv" >/dev/null 2>"$work/$name.err" || true
  read -r user sys wall kb < <(tail -n 1 "$work/time")
  invalid=$(python3 -c "import json; print(json.load(open('$work/report-$name/summary.json'))['invalid'])")
  echo "$name $(python3 -c "print(f'{$user + $sys:.2f}')") $wall $((kb / 1024)) $invalid"
}

baseline=$(measure baseline)
unknown=$(measure unknown)
printf '%-10s %8s %8s %8s %8s\n' file cpu_s wall_s peak_MB invalid
printf '%-10s %8s %8s %8s %8s\n' $baseline
printf '%-10s %8s %8s %8s %8s\n' $unknown
read -r _ b _ _ _ <<<"$baseline"
read -r _ u _ _ _ <<<"$unknown"
python3 - "$b" "$u" <<'PY'
import sys
b, u = (float(x) for x in sys.argv[1:])
ratio = u / max(b, 0.001)
print(f"unknown groups take {ratio:.2f}x the CPU time of none: {'within' if ratio <= 2 else 'MORE than'} 2x")
sys.exit(0 if ratio <= 2 else 1)
PY
