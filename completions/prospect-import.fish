# fish completion for prospect-import; installed in share/fish/vendor_completions.d.

# The [profiles.NAME] tables of the config file (--config's, else the default one).
function __prospect_import_profiles
    set -l file $PROSPECT_IMPORT_CONFIG
    if test -z "$file"
        set -l base $XDG_CONFIG_HOME
        test -n "$base"; or set base $HOME/.config
        set file $base/prospect-import/config.toml
    end
    set -l words (commandline -opc)
    set -l i (contains -i -- --config $words); and set file $words[(math $i + 1)]
    test -r "$file"; and sed -nE 's/^[[:space:]]*\[[[:space:]]*profiles\.("?)([A-Za-z0-9_-]+)\1[[:space:]]*\].*/\2/p' $file
end

set -l commands template programs groups ledger config help

complete -c prospect-import -n "not __fish_seen_subcommand_from $commands" -a template -d 'print the template header'
complete -c prospect-import -n "not __fish_seen_subcommand_from $commands" -a programs -d 'list programs (ID, name)'
complete -c prospect-import -n "not __fish_seen_subcommand_from $commands" -a groups -d "list a program's groups"
complete -c prospect-import -n "not __fish_seen_subcommand_from $commands" -a ledger -d 'the ledger of known prospects'
complete -c prospect-import -n "not __fish_seen_subcommand_from $commands" -a config -d 'the settings and their sources'
complete -c prospect-import -n "not __fish_seen_subcommand_from $commands" -a help -d 'the help of a command'
complete -c prospect-import -n "__fish_seen_subcommand_from ledger; and not __fish_seen_subcommand_from sync show forget" -f -a 'sync show forget'
complete -c prospect-import -n "__fish_seen_subcommand_from help" -f -a "$commands"

complete -c prospect-import -l program -x -d 'the program (campaign) ID'
complete -c prospect-import -l account-sid -x -d 'the account SID'
complete -c prospect-import -l auth-token-file -r -F -d 'read the auth token from this file'
complete -c prospect-import -l api-base -x -d 'the API base URL'
complete -c prospect-import -l cacert -r -F -d 'trust this CA bundle'
complete -c prospect-import -l dry-run -d 'matches, creates nothing'
complete -c prospect-import -l offline -d 'check the file locally'
complete -c prospect-import -l resume -d 'continue an interrupted import'
complete -c prospect-import -l restart -d 'discard an unfinished import, start afresh'
complete -c prospect-import -l strict -d 'send nothing when any row is invalid'
complete -c prospect-import -l keep-reports -x -d 'finished reports kept in history/'
complete -c prospect-import -l groups-file -r -F -d 'group names for --offline'
complete -c prospect-import -l ledger -r -F -d 'the ledger of known prospects'
complete -c prospect-import -l no-ledger -d 'no ledger'
complete -c prospect-import -l recheck -d 'send rows the ledger knows'
complete -c prospect-import -l encoding -x -a 'auto utf-8 shift_jis euc-jp windows-1252 windows-1250 utf-16' -d 'the input encoding'
complete -c prospect-import -l delimiter -x -a 'auto , ; tab' -d 'the field separator'
complete -c prospect-import -l sheet -x -d 'the sheet of an .xlsx workbook'
complete -c prospect-import -l map -x -d 'Template Column=Their Column,...'
complete -c prospect-import -l map-file -r -F -d 'the column map from a file'
complete -c prospect-import -l max-input-size -x -d 'most kept of standard input (500M, 4G)'
complete -c prospect-import -l report-dir -x -a '(__fish_complete_directories)' -d 'where the report goes'
complete -c prospect-import -l json -d 'the summary as JSON on standard output'
complete -c prospect-import -l concurrency -x -d 'requests in flight'
complete -c prospect-import -l max-retries -x -d 'retries of one row'
complete -c prospect-import -l max-rate -x -d 'requests an hour at most'
complete -c prospect-import -l budget-share -x -d 'percent of the account rate limit to spend'
complete -c prospect-import -l timeout -x -d 'seconds one request may take'
complete -c prospect-import -l progress -x -a 'auto always never' -d 'the progress line'
complete -c prospect-import -l config -r -F -d 'read settings from this TOML file'
complete -c prospect-import -l profile -x -a '(__prospect_import_profiles)' -d "the config file's profile"
complete -c prospect-import -l strict-perms -d 'refuse a token file others can read'
complete -c prospect-import -s q -l quiet -d 'only warnings and errors'
complete -c prospect-import -s v -l verbose -d 'more detail'
complete -c prospect-import -s h -l help -d 'print the help'
complete -c prospect-import -l version -d 'print the version'
