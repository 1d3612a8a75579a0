#pragma once
// Every setting of a run, filled once from flags, environment and the config
// file (flag > environment > config > default: settings.h). CLI.md is the contract.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prospect_import/progress.h"
#include "prospect_import/secret.h"

namespace prospect_import {

struct Options {
  std::string file;                                   // FILE (positional); "-" = standard input
  std::optional<std::string> program;                 // --program / IMPACT_PROGRAM_ID
  std::optional<std::string> account_sid;             // --account-sid / IMPACT_ACCOUNT_SID
  std::optional<std::string> auth_token_file;         // --auth-token-file / IMPACT_AUTH_TOKEN_FILE
  std::string api_base = "https://api.impact.com";    // --api-base / IMPACT_API_BASE
  bool dry_run = false;                               // --dry-run: DryRun=true for each valid row
  bool offline = false;                               // --offline: no network (implies dry_run)
  std::string report_dir = "prospect-import-report";  // --report-dir
  int concurrency = 4;                                // --concurrency: requests in flight
  int max_retries = 5;                     // --max-retries: per row, after transient failures
  double timeout_s = 30;                   // --timeout: seconds one request may take
  bool resume = false;                     // --resume: continue from the journal
  std::optional<std::string> cacert;       // --cacert: CA bundle for TLS
  std::string encoding = "auto";           // --encoding: auto, utf-8, shift_jis, utf-16, ...
  std::string delimiter = "auto";          // --delimiter: auto, ',', ';', tab
  std::optional<std::string> groups_file;  // --groups-file: group names for --offline
  std::string sheet;                       // --sheet: the sheet of an .xlsx; empty: the first
  std::vector<std::string> map;            // --map "Template Column=Their Column,..." (repeatable)
  std::optional<std::string> map_file;     // --map-file: one Template Column=Their Column a line
  bool json = false;                       // --json: summary on standard output
  std::uint64_t max_input_size = 2ull
                                 << 30;  // --max-input-size: most kept of standard input or a pipe
  // --ledger / PROSPECT_IMPORT_LEDGER; default $XDG_STATE_HOME/prospect-import/ledger.db, else
  // $HOME/.local/state/prospect-import/ledger.db; none when neither variable is set.
  std::optional<std::string> ledger;
  bool no_ledger = false;                   // --no-ledger: neither read nor write a ledger
  bool recheck = false;                     // --recheck: send rows the ledger knows anyway
  std::optional<std::string> forget_email;  // ledger forget --email: only this Contact Email
  // --- budget (issue 8 §2) ---
  int budget_share = 100;        // --budget-share: % of X-RateLimit-Limit this process spends
  std::optional<long> max_rate;  // --max-rate: requests an hour at most; none: no cap
  // --- end budget ---
  // --- reports kept, runs discarded (issue 8, section 4) ---
  int keep_reports = 30;  // --keep-reports: finished reports kept in history/ (0: none)
  bool restart = false;   // --restart: discard an unfinished import and start afresh
  bool strict = false;    // --strict: send nothing when any row is invalid
  // --- end of section 4 ---
  int verbosity = 0;                                // -q: -1, -v: 1
  ProgressMode progress = ProgressMode::automatic;  // --progress auto|always|never
  std::vector<std::string> args;  // the command line as given, for the commands said at the end

  // --- the config file (settings.h, config_file.h): flag > environment > config > default ---
  // --config / PROSPECT_IMPORT_CONFIG; default $XDG_CONFIG_HOME/prospect-import/config.toml,
  // else ~/.config/prospect-import/config.toml (none when that is missing).
  std::optional<std::string> config_file;
  std::optional<std::string> profile;  // --profile / IMPACT_PROFILE: a [profiles.NAME] table
  bool strict_perms = false;  // --strict-perms: refuse a token file group or others can read
  std::optional<Secret> config_token;  // the config file's auth_token (from a 0600 file only)
  // --- end of the config file's settings ---
};

}  // namespace prospect_import
