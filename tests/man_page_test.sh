#!/usr/bin/env bash
# The man page keeps up with the tool: it passes `mandoc -Tlint` (warnings and
# worse), and names every option that `prospect-import --help` lists (and each
# command's --help), every command, every exit code (exit_code.h holds exactly
# CLI.md's) and every environment variable the code reads.
#   tests/man_page_test.sh BINARY MAN_PAGE SOURCE_DIR
set -uo pipefail
binary=$1 page=$2 source_dir=$3
if ! command -v mandoc >/dev/null; then
  echo "SKIPPED: mandoc is not installed (apt-get install mandoc; scripts/install-deps.sh does)"
  exit 77
fi
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

if ! lint=$(mandoc -Tlint -W warning "$page" 2>&1); then
  fail "mandoc -Tlint -W warning $page:"$'\n'"$lint"
fi

# The page as a reader sees it: one long line a paragraph, no overstrike.
text=$(mandoc -Tascii -O width=1000 "$page" | sed $'s/.\b//g')
section() { awk -v s="$1" '/^[A-Z][A-Z ]+$/ { on = ($0 == s) } on' <<<"$text"; }

commands=(template programs groups ledger config help)
options=$(
  "$binary" --help
  for c in "${commands[@]}"; do "$binary" "$c" --help 2>/dev/null; done
)
# An option's line of the help starts with it: "  -q,--quiet ...", "  --program ID ...".
for opt in $(grep -oE -- '^ +-[a-zA-Z0-9,-]+' <<<"$options" | tr ',' '\n' | grep -oE -- '--?[a-zA-Z][a-zA-Z0-9-]*' | sort -u); do
  grep -qE -- "(^|[^a-zA-Z0-9-])$opt([^a-zA-Z0-9-]|\$)" <<<"$(section OPTIONS)" ||
    fail "$opt is in --help but not under OPTIONS"
done
for c in "${commands[@]}" "ledger sync" "ledger show" "ledger forget"; do
  grep -qE -- "^ +$c( |\$)" <<<"$(section COMMANDS)" || fail "the command \"$c\" is not under COMMANDS"
done

# The exit codes: `name = N,` in exit_code.h.
codes=$(grep -oE '= [0-9]+,' "$source_dir/include/prospect_import/exit_code.h" | grep -oE '[0-9]+')
[ -n "$codes" ] || fail "no exit codes found in exit_code.h"
for code in $codes; do
  grep -qE "^ +([0-9]+, )*$code(,|\$| )" <<<"$(section 'EXIT STATUS')" || fail "exit code $code is not under EXIT STATUS"
done

# The environment variables: every "NAME_LIKE_THIS" string of src/ (the code
# names no other such strings), the config file's and its profile's
# (PROSPECT_IMPORT_CONFIG, IMPACT_PROFILE) included.
vars=$(grep -ohE '"[A-Z][A-Z0-9]*(_[A-Z0-9]+)+"' "$source_dir"/src/*.cc | tr -d '"')
vars=$(sort -u <<<"$vars")
[ -n "$vars" ] || fail "no environment variables found"
for var in $vars; do
  grep -qE "(^| )$var( |,|\$)" <<<"$(section ENVIRONMENT)" || fail "$var is not under ENVIRONMENT"
done

for s in NAME SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
  grep -qx "$s" <<<"$text" || fail "no $s section"
done
grep -qE '^ +\*/[0-9]+ \* \* \* \* ' <<<"$(section EXAMPLES)" || fail "no cron line under EXAMPLES"

((failures == 0)) && echo "man page: all checks passed ($(wc -w <<<"$codes") exit codes, $(wc -w <<<"$vars") variables)"
exit $((failures > 0))
