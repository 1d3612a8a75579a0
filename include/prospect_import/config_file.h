#pragma once
// The optional config file (TOML, issue 8 §3): settings that would otherwise
// be flags or environment variables, as defaults for every run (top-level
// keys) and in named profiles (`[profiles.NAME]` tables, chosen with
// --profile or IMPACT_PROFILE) whose keys beat the top-level ones:
//
//   account_sid = "IRxxxx"                       # every run
//   [profiles.acme]
//   auth_token_file = "~/.config/prospect-import/acme.token"
//   program = 1001
//
// The keys are the flags' names with '_' for '-': api_base, account_sid,
// auth_token_file, program, concurrency, ledger, report_dir, and auth_token
// (the token itself, accepted only when the file is not readable by group or
// others). "~/" at the start of a path is $HOME. Every failure is a
// configuration error (78) that names the file, and the line and column when
// there is one; a token never appears in a message.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prospect_import/error.h"
#include "prospect_import/secret.h"

namespace prospect_import {

using Getenv = std::function<std::optional<std::string>(const std::string&)>;

// What the file says for one run: the top-level keys, overlaid with the
// chosen profile's.
struct ConfigSettings {
  std::optional<std::string> api_base;
  std::optional<std::string> account_sid;
  std::optional<std::string> auth_token_file;
  std::optional<Secret> auth_token;
  std::optional<std::string> program;  // an integer in the file is read as its digits
  std::optional<int> concurrency;
  std::optional<std::string> ledger;
  std::optional<std::string> report_dir;
  // Where each key that is set came from: "FILE" or "FILE [profile NAME]".
  std::map<std::string, std::string> origin;
};

struct ConfigFile {
  std::string path;
  std::vector<std::string> profiles;  // the names of its [profiles.NAME] tables, sorted
  ConfigSettings settings;
  // Unknown keys, each "FILE:LINE:COLUMN: unknown key K; did you mean L?".
  std::vector<std::string> warnings;
};

// Reads `text`, the content of the config file `path` whose permission bits
// are `mode`. `profile`: the profile chosen (nullopt: none). `home`: what
// "~/" stands for (nullopt: "~" stays as written).
// A malformed file, a value of the wrong type or range, a profile that the
// file does not have, and an auth_token anywhere in a file that group or
// others can read are Errors (78).
Result<ConfigFile> parse_config(std::string_view text, const std::string& path, unsigned mode,
                                const std::optional<std::string>& profile,
                                const std::optional<std::string>& home);

// Where the config file is, and whether it must exist: --config or
// PROSPECT_IMPORT_CONFIG (must), else $XDG_CONFIG_HOME/prospect-import/config.toml,
// else ~/.config/prospect-import/config.toml (may be missing).
struct ConfigLocation {
  std::optional<std::string> path;  // nullopt: no HOME and no XDG_CONFIG_HOME
  bool required = false;
};
ConfigLocation default_config_location(const Getenv& getenv);

// The file at `where` read and parsed; nullopt when it may be missing and is.
// A file given explicitly that is missing, one that cannot be read or is not
// a regular file, and one over 1 MiB are Errors (78).
Result<std::optional<ConfigFile>> load_config(const ConfigLocation& where,
                                              const std::optional<std::string>& profile,
                                              const Getenv& getenv);

}  // namespace prospect_import
