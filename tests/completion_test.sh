#!/usr/bin/env bash
# The shell completions really complete: `prospect-import --pro<TAB>` offers
# --program and `prospect-import ledger <TAB>` its subcommands, in bash (with
# bash-completion loaded, as a user has it) and in zsh (typed into an
# interactive zsh in a pty, with compinit); fish's file passes `fish -n` and
# fish completes the same.
#   tests/completion_test.sh BASH_FILE ZSH_FPATH_DIR FISH_FILE
# A shell that is not installed is skipped (exit 77 when all are); CI and
# scripts/package-test.sh install all three.
set -uo pipefail
bash_file=$1 zsh_dir=$2 fish_file=$3
failures=0 ran=0

# A config file with two profiles, which --profile completes from.
config_home=$(mktemp -d)
trap 'rm -rf "$config_home"' EXIT
mkdir -p "$config_home/prospect-import"
printf 'program = 1\n[profiles.acme]\nprogram = 2\n[ profiles."beta" ]\n' >"$config_home/prospect-import/config.toml"

# expect WHAT GOT WORD...: each WORD is one of GOT's lines.
expect() {
  local what=$1 got=$2 word
  shift 2
  for word in "$@"; do
    if ! grep -qxF -- "$word" <<<"$got"; then
      echo "FAIL: $what: expected \"$word\" among the completions, got: $(tr '\n' ' ' <<<"$got")"
      failures=$((failures + 1))
    fi
  done
}

# bash: the completion function, called as readline would call it.
bash_complete() {
  bash --norc --noprofile -c '
    [ -r /usr/share/bash-completion/bash_completion ] && . /usr/share/bash-completion/bash_completion
    . "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    complete -p prospect-import >/dev/null || { echo "no completion registered"; exit 1; }
    _prospect_import prospect-import "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' bash "$bash_file" "$@"
}

# zsh: types the line and TAB into an interactive zsh in a pty; every match
# the completion system is given is printed between markers.
zsh_complete() {
  timeout 60 zsh -f -c '
    zmodload zsh/zpty
    zpty z zsh -f -i
    zpty -w z "PROMPT=; unsetopt zle_bracketed_paste 2>/dev/null; fpath=(${(q)1} \$fpath)"
    zpty -w z "autoload -Uz compinit; compinit -u -D"
    # The markers are typed split (<""M>), so that the echo of these lines never matches.
    zpty -w z "compadd() { local -a m; builtin compadd -O m \"\$@\"; print -rl -- \"<\"\"M>\"\${^m}; builtin compadd \"\$@\"; }"
    zpty -w z "comppostfuncs=(__done); __done() { print -r -- \"<DO\"\"NE>\"; }"
    zpty -n -w z "$2"$'"'"'\t'"'"'
    zpty -r z out "*<DONE>*" || exit 1
    print -r -- $out' zsh "$zsh_dir" "$1" | tr -d '\r' | sed -n 's/.*<M>\(.*\)/\1/p' | sed 's/<DONE>.*//'
}

if command -v bash >/dev/null && [ -r /usr/share/bash-completion/bash_completion ]; then
  ran=$((ran + 1))
  expect "bash: prospect-import --pro" "$(bash_complete prospect-import --pro)" --program
  expect "bash: prospect-import ledger " "$(bash_complete prospect-import ledger '')" sync show forget
  expect "bash: prospect-import --progress " "$(bash_complete prospect-import --progress '')" auto always never
  expect "bash: prospect-import help te" "$(bash_complete prospect-import help te)" template
  expect "bash: prospect-import con" "$(bash_complete prospect-import con)" config
  expect "bash: prospect-import --profile " "$(XDG_CONFIG_HOME=$config_home bash_complete prospect-import --profile '')" acme beta
else
  echo "skipped bash: bash-completion is not installed (apt-get install bash-completion)"
fi

if command -v zsh >/dev/null; then
  ran=$((ran + 1))
  expect "zsh: prospect-import --pro" "$(zsh_complete 'prospect-import --pro')" --program
  expect "zsh: prospect-import ledger " "$(zsh_complete 'prospect-import ledger ')" sync show forget
  expect "zsh: prospect-import --profile " "$(XDG_CONFIG_HOME=$config_home zsh_complete 'prospect-import --profile ')" acme beta
else
  echo "skipped zsh: zsh is not installed (apt-get install zsh)"
fi

if command -v fish >/dev/null; then
  ran=$((ran + 1))
  if ! fish -n "$fish_file"; then
    echo "FAIL: fish -n $fish_file"
    failures=$((failures + 1))
  fi
  fish_complete() { fish --no-config -c "source \$argv[1]; complete -C \$argv[2]" "$fish_file" "$1" | cut -f1; }
  expect "fish: prospect-import --pro" "$(fish_complete 'prospect-import --pro')" --program
  expect "fish: prospect-import ledger " "$(fish_complete 'prospect-import ledger ')" sync show forget
  expect "fish: prospect-import --profile " "$(XDG_CONFIG_HOME=$config_home fish_complete 'prospect-import --profile ')" acme beta
else
  echo "skipped fish: fish is not installed (apt-get install fish)"
fi

if ((ran == 0)); then
  echo "SKIPPED: none of bash-completion, zsh and fish is installed (scripts/install-deps.sh installs them)"
  exit 77
fi
((failures == 0)) && echo "completions: all passed ($ran shells)"
exit $((failures > 0))
