#pragma once
// Where each setting of a run comes from: a flag beats its environment
// variable, which beats the config file (config_file.h), which beats the
// default (CLI.md). resolve_settings() fills Options once, after the flags
// are parsed, and says where each value came from for `prospect-import config`.

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>

#include "prospect_import/config_file.h"
#include "prospect_import/error.h"
#include "prospect_import/options.h"

namespace prospect_import {

enum class Origin { default_value, config, environment, flag };

struct SettingSource {
  Origin origin = Origin::default_value;
  // The flag ("--program"), the variable ("IMPACT_PROGRAM_ID"), or the file
  // ("/home/me/.config/prospect-import/config.toml [profile acme]"); "" for a default.
  std::string from;
};

// The keys are the config file's: config_file, profile, api_base,
// account_sid, auth_token, program, concurrency, ledger, report_dir.
// auth_token's `from` names where the token is read ("--auth-token-file
// /run/token", "IMPACT_AUTH_TOKEN", "auth_token in FILE [profile NAME]"); an
// unset one is absent from the map.
using SettingSources = std::map<std::string, SettingSource>;

// Whether the command line gave a flag ("--program").
using FlagGiven = std::function<bool(const std::string&)>;

// Fills o's settings that the flags left unset from the environment, the
// config file (--config / PROSPECT_IMPORT_CONFIG, else the default location)
// and its profile (--profile / IMPACT_PROFILE), then the defaults. The
// config file's warnings (unknown keys) go to `warnings`, a line each.
// A config file that is wrong is an Error (78).
Result<SettingSources> resolve_settings(Options& o, const FlagGiven& given, const Getenv& getenv,
                                        std::ostream& warnings);

}  // namespace prospect_import
