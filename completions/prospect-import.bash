# bash completion for prospect-import                    -*- shell-script -*-
# Installed as share/bash-completion/completions/prospect-import.

_prospect_import_options='--program --account-sid --auth-token-file --api-base --cacert
  --dry-run --offline --resume --restart --strict --keep-reports --groups-file --ledger
  --no-ledger --recheck --encoding --delimiter --sheet --map --map-file --max-input-size --report-dir --json
  --concurrency --max-retries --timeout --max-rate --budget-share --progress --quiet
  --verbose --help --version --config --profile --strict-perms'
_prospect_import_commands='template programs groups ledger config help'

_prospect_import() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local i command='' ledger_action=''
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            template | programs | groups | ledger | config | help)
                [[ -z $command ]] && command=${COMP_WORDS[i]} ;;
            sync | show | forget)
                [[ $command == ledger ]] && ledger_action=${COMP_WORDS[i]} ;;
        esac
    done

    case $prev in
        --auth-token-file | --cacert | --groups-file | --ledger | --config | --map-file)
            _prospect_import_files
            return ;;
        --report-dir)
            _prospect_import_files -d
            return ;;
        --encoding)
            COMPREPLY=($(compgen -W 'auto utf-8 shift_jis euc-jp windows-1252 windows-1250 utf-16' -- "$cur"))
            return ;;
        --delimiter)
            COMPREPLY=($(compgen -W 'auto , ; tab' -- "$cur"))
            return ;;
        --progress)
            COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
            return ;;
        --profile)
            _prospect_import_profiles
            return ;;
        --program | --account-sid | --api-base | --max-input-size | --concurrency | --max-retries | \
            --timeout | --max-rate | --budget-share | --sheet | --map)
            return ;;  # a value only the user knows
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$_prospect_import_options" -- "$cur"))
        return
    fi
    case $command in
        '') COMPREPLY=($(compgen -W "$_prospect_import_commands" -- "$cur"))
            _prospect_import_files -a ;;
        ledger) [[ -z $ledger_action ]] && COMPREPLY=($(compgen -W 'sync show forget' -- "$cur")) ;;
        help) [[ $prev == help ]] && COMPREPLY=($(compgen -W "$_prospect_import_commands" -- "$cur")) ;;
    esac
}

# Files (-d: folders; -a: added to what COMPREPLY already holds), with
# bash-completion's _filedir when it is loaded.
_prospect_import_files() {
    local keep=()
    [[ $1 == -a ]] && keep=("${COMPREPLY[@]}")
    COMPREPLY=()  # _filedir adds to it
    if declare -F _filedir >/dev/null; then
        if [[ $1 == -d ]]; then _filedir -d; else _filedir; fi
    else
        local IFS=$'\n'
        if [[ $1 == -d ]]; then
            COMPREPLY=($(compgen -d -- "${COMP_WORDS[COMP_CWORD]}"))
        else
            COMPREPLY=($(compgen -f -- "${COMP_WORDS[COMP_CWORD]}"))
        fi
    fi
    COMPREPLY=("${keep[@]}" "${COMPREPLY[@]}")
}

# The [profiles.NAME] tables of the config file (--config's, else the default one).
_prospect_import_profiles() {
    local file=${PROSPECT_IMPORT_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/prospect-import/config.toml} i
    for ((i = 1; i < COMP_CWORD; i++)); do
        [[ ${COMP_WORDS[i]} == --config ]] && file=${COMP_WORDS[i + 1]}
    done
    [[ -r $file ]] || return
    local names
    names=$(sed -nE 's/^[[:space:]]*\[[[:space:]]*profiles\.("?)([A-Za-z0-9_-]+)\1[[:space:]]*\].*/\2/p' "$file")
    COMPREPLY=($(compgen -W "$names" -- "${COMP_WORDS[COMP_CWORD]}"))
}

complete -F _prospect_import prospect-import
