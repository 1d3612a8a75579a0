#!/usr/bin/env bash
# The main job on the bundled samples: installs what is missing, builds,
# starts the sandbox API on loopback, imports samples/ into it, shows the report.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh

work=$(mktemp -d)
build/sandbox/prospect-sandbox --port 0 --state-file "$work/sandbox-state.json" >"$work/port" &
sandbox=$!
trap 'kill "$sandbox" 2>/dev/null || true; wait "$sandbox" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q listening "$work/port" && break; sleep 0.1; done
api=$(sed -n 's/^listening on //p' "$work/port")

# The sandbox's built-in account; a real import uses your own SID and token.
export IMPACT_ACCOUNT_SID=IRsandbox0001 IMPACT_AUTH_TOKEN=sandbox-token IMPACT_API_BASE="$api"

echo "== the program's groups =="
build/prospect-import groups --program 1001
for f in prospects prospects-sjis prospects-with-errors; do
  echo
  echo "== importing samples/$f.csv into program 1001 at $api =="
  status=0
  build/prospect-import --program 1001 --report-dir "$work/report-$f" "samples/$f.csv" || status=$?
  echo "exit code $status"
  echo "-- success.csv --"; cat "$work/report-$f/success.csv"
  echo "-- errors.csv --"; cat "$work/report-$f/errors.csv"
done
echo
echo "== summary.json of the last import =="
cat "$work/report-prospects-with-errors/summary.json"
