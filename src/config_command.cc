#include "prospect_import/config_command.h"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <ostream>

#include "prospect_import/os_error.h"
#include "prospect_import/session.h"

namespace prospect_import {
namespace {

const char* const k_keys[] = {"config_file", "profile",     "api_base", "account_sid", "auth_token",
                              "program",     "concurrency", "ledger",   "report_dir"};

const char* origin_name(Origin o) {
  switch (o) {
    case Origin::flag:
      return "flag";
    case Origin::environment:
      return "environment";
    case Origin::config:
      return "config";
    case Origin::default_value:
      break;
  }
  return "default";
}

// The value of one setting; null when it is not set. The token is only "set".
nlohmann::ordered_json value_of(const Options& o, const SettingSources& sources,
                                const std::string& key) {
  auto optional = [](const std::optional<std::string>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
  };
  if (key == "config_file") return optional(o.config_file);
  if (key == "profile") return optional(o.profile);
  if (key == "api_base") return o.api_base;
  if (key == "account_sid") return optional(o.account_sid);
  if (key == "auth_token") return sources.count(key) ? nlohmann::ordered_json("set") : nullptr;
  if (key == "program") return optional(o.program);
  if (key == "concurrency") return o.concurrency;
  if (key == "ledger") return o.no_ledger ? nlohmann::ordered_json() : optional(o.ledger);
  return o.report_dir;
}

// Why a setting that is not set is not, for the text form.
std::string unset_because(const std::string& key, const Options& o, Io& io) {
  if (key == "config_file") {
    auto where = default_config_location(io.getenv);
    return where.path ? "(" + *where.path + " is not there)"
                      : "(neither XDG_CONFIG_HOME nor HOME is set)";
  }
  if (key == "ledger" && !o.no_ledger) return "(neither XDG_STATE_HOME nor HOME is set)";
  return "";
}

std::string describe(const SettingSource& s) {
  std::string text = origin_name(s.origin);
  return s.from.empty() ? text : text + " " + s.from;
}

void print_text(const Options& o, const SettingSources& sources, Io& io) {
  for (const char* key : k_keys) {
    const auto value = value_of(o, sources, key);
    const auto source = sources.find(key);
    std::string line = std::string(key) + std::string(13 - std::strlen(key), ' ');
    if (std::string(key) == "auth_token") {
      line += value.is_null() ? "not set" : "set (from " + source->second.from + ")";
    } else if (value.is_null()) {
      std::string why = unset_because(key, o, io);
      if (source != sources.end() && source->second.origin == Origin::flag)
        why = "(" + describe(source->second) + ")";
      line += "not set" + (why.empty() ? "" : " " + why);
    } else {
      line += (value.is_string() ? value.get<std::string>() : value.dump()) + "  (" +
              describe(source->second) + ")";
    }
    io.out << line << "\n";
  }
}

void print_json(const Options& o, const SettingSources& sources, Io& io) {
  nlohmann::ordered_json all = nlohmann::ordered_json::object();
  for (const char* key : k_keys) {
    nlohmann::ordered_json setting = {{"value", value_of(o, sources, key)}};
    const auto source = sources.find(key);
    const bool known = source != sources.end();
    setting["source"] =
        known ? nlohmann::ordered_json(origin_name(source->second.origin)) : nullptr;
    setting["from"] = known && !source->second.from.empty()
                          ? nlohmann::ordered_json(source->second.from)
                          : nullptr;
    all[key] = setting;
  }
  io.out << all.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

// What a run would say of the token file, said now (on standard error).
Status check_token_file(const Options& o, Io& io) {
  if (!o.auth_token_file) return {};
  struct stat st {};
  if (::stat(o.auth_token_file->c_str(), &st) != 0) {
    io.err << "warning: the auth token file " << *o.auth_token_file
           << " cannot be read: " << describe_errno(errno) << "\n";
    return {};
  }
  return check_token_file_mode(*o.auth_token_file, static_cast<unsigned>(st.st_mode), o, io);
}

}  // namespace

void add_config_options(CLI::App& app, Options& o) {
  app.add_option("--config", o.config_file,
                 "read settings from this TOML file [env PROSPECT_IMPORT_CONFIG, default "
                 "$XDG_CONFIG_HOME/prospect-import/config.toml, else ~/.config/...]; a flag or "
                 "variable beats it")
      ->type_name("FILE")
      ->group("Account");
  app.add_option("--profile", o.profile,
                 "use the config file's [profiles.NAME] table over its top-level settings "
                 "[env IMPACT_PROFILE]")
      ->type_name("NAME")
      ->group("Account");
  app.add_flag("--strict-perms", o.strict_perms,
               "refuse (78) an auth token file that group or others can read, instead of warning")
      ->group("Account");
}

CLI::App* add_config_command(CLI::App& app) {
  return app.add_subcommand(
      "config",
      "print each effective setting and where it came from (flag, environment, config file and "
      "profile, default); the token is only said to be set (--json: an object)");
}

ExitCode print_config(const Options& o, const SettingSources& sources, Io& io) {
  if (o.json) {
    print_json(o, sources, io);
  } else {
    print_text(o, sources, io);
  }
  if (auto s = check_token_file(o, io); !s) {
    io.err << "error: " << s.error().message << "\n";
    return s.error().code;
  }
  return ExitCode::ok;
}

}  // namespace prospect_import
