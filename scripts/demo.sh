#!/usr/bin/env bash
# The main job on the bundled samples: installs what is missing, builds, and
# checks samples/ offline, showing the report.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
report=$(mktemp -d)
status=0
build/prospect-import --offline --groups-file samples/groups.txt --report-dir "$report" \
  samples/prospects-with-errors.csv || status=$?
echo
echo "== errors.csv (exit code $status: some rows need fixing) =="
cat "$report/errors.csv"
echo "== summary.json =="
cat "$report/summary.json"
rm -rf "$report"
