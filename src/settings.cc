#include "prospect_import/settings.h"

#include <type_traits>

#include "prospect_import/import_ledger.h"

namespace prospect_import {
namespace {

// What one setting is chosen from.
struct Tiers {
  const FlagGiven& given;
  const Getenv& getenv;
  const ConfigSettings& config;
};

// flag > environment (var may be null: the setting has none) > config > the
// field's default; the value is stored in `field` unless the flag set it.
template <class Field, class Value>
SettingSource choose(Field& field, const Tiers& t, const char* key, const char* flag,
                     const char* var, const std::optional<Value>& from_config) {
  if (t.given(flag)) return {Origin::flag, flag};
  if constexpr (std::is_assignable_v<Field&, std::string>) {
    if (auto v = var ? t.getenv(var) : std::nullopt) {
      field = *v;
      return {Origin::environment, var};
    }
  }
  if (from_config) {
    field = *from_config;
    return {Origin::config, t.config.origin.at(key)};
  }
  return {Origin::default_value, ""};
}

// The token: --auth-token-file, IMPACT_AUTH_TOKEN_FILE, IMPACT_AUTH_TOKEN,
// then the config file's auth_token_file or auth_token (it holds one of the
// two at most: the profile's replaces the top level's).
std::optional<SettingSource> choose_token(Options& o, const Tiers& t) {
  if (t.given("--auth-token-file"))
    return SettingSource{Origin::flag, "--auth-token-file " + *o.auth_token_file};
  if (auto file = t.getenv("IMPACT_AUTH_TOKEN_FILE")) {
    o.auth_token_file = *file;
    return SettingSource{Origin::environment, "IMPACT_AUTH_TOKEN_FILE " + *file};
  }
  if (t.getenv("IMPACT_AUTH_TOKEN")) return SettingSource{Origin::environment, "IMPACT_AUTH_TOKEN"};
  const ConfigSettings& c = t.config;
  if (c.auth_token_file) {
    o.auth_token_file = *c.auth_token_file;
    return SettingSource{Origin::config, "auth_token_file " + *c.auth_token_file + " in " +
                                             c.origin.at("auth_token_file")};
  }
  if (c.auth_token) {
    o.config_token = *c.auth_token;
    return SettingSource{Origin::config, "auth_token in " + c.origin.at("auth_token")};
  }
  return std::nullopt;
}

SettingSource choose_ledger(Options& o, const Tiers& t) {
  if (t.given("--no-ledger")) return {Origin::flag, "--no-ledger"};
  auto source =
      choose(o.ledger, t, "ledger", "--ledger", "PROSPECT_IMPORT_LEDGER", t.config.ledger);
  if (source.origin == Origin::default_value) o.ledger = default_ledger_path(t.getenv);
  return source;
}

// Which file and profile, from flag and environment only.
SettingSource choose_file(Options& o, const Tiers& t, ConfigLocation& where) {
  const std::optional<std::string> none;
  auto source = choose(o.config_file, t, "", "--config", "PROSPECT_IMPORT_CONFIG", none);
  if (source.origin == Origin::default_value) {
    where = default_config_location(t.getenv);
    o.config_file = where.path;
  } else {
    where = {o.config_file, true};
  }
  return source;
}

SettingSources choose_all(Options& o, const Tiers& t) {
  SettingSources s;
  s["api_base"] =
      choose(o.api_base, t, "api_base", "--api-base", "IMPACT_API_BASE", t.config.api_base);
  s["account_sid"] = choose(o.account_sid, t, "account_sid", "--account-sid", "IMPACT_ACCOUNT_SID",
                            t.config.account_sid);
  if (auto token = choose_token(o, t)) s["auth_token"] = *token;
  s["program"] =
      choose(o.program, t, "program", "--program", "IMPACT_PROGRAM_ID", t.config.program);
  s["concurrency"] =
      choose(o.concurrency, t, "concurrency", "--concurrency", nullptr, t.config.concurrency);
  s["ledger"] = choose_ledger(o, t);
  s["report_dir"] =
      choose(o.report_dir, t, "report_dir", "--report-dir", nullptr, t.config.report_dir);
  return s;
}

}  // namespace

Result<SettingSources> resolve_settings(Options& o, const FlagGiven& given, const Getenv& getenv,
                                        std::ostream& warnings) {
  const ConfigSettings none;
  const Tiers before_config{given, getenv, none};
  ConfigLocation where;
  const SettingSource file_source = choose_file(o, before_config, where);
  const std::optional<std::string> no_profile;
  const SettingSource profile_source =
      choose(o.profile, before_config, "", "--profile", "IMPACT_PROFILE", no_profile);
  auto file = load_config(where, o.profile, getenv);
  if (!file) return file.error();
  if (*file) {
    for (const auto& w : (*file)->warnings) warnings << "warning: " << w << "\n";
  } else {
    o.config_file.reset();  // the default file, which is not there
  }
  const ConfigSettings& config = *file ? (*file)->settings : none;
  SettingSources sources = choose_all(o, Tiers{given, getenv, config});
  sources["config_file"] = file_source;
  if (o.profile) sources["profile"] = profile_source;
  return sources;
}

}  // namespace prospect_import
