// Where each setting comes from (settings.h): flag > environment > config
// file > default, the profile and the token included.

#include "prospect_import/settings.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using Vars = std::map<std::string, std::string>;

// A user's HOME with XDG_CONFIG_HOME in it, and its config.toml (0600).
class Settings : public ::testing::Test {
 protected:
  Settings() {
    fs::create_directories(m_home.path() / ".config" / "prospect-import");
    m_vars = {{"HOME", m_home.path().string()},
              {"XDG_CONFIG_HOME", (m_home.path() / ".config").string()}};
  }

  fs::path config_path() const { return m_home.path() / ".config/prospect-import/config.toml"; }

  void write_config(const std::string& text) {
    testing::write_file(config_path(), text);
    fs::permissions(config_path(), fs::perms(0600));
  }

  // Resolves o with `flags` given on the command line and `vars` added to the environment.
  Result<SettingSources> resolve(Options& o, std::set<std::string> flags = {}, Vars vars = {}) {
    for (const auto& [k, v] : m_vars) vars.emplace(k, v);
    Getenv getenv = [vars](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    m_warnings.str("");
    return resolve_settings(
        o, [flags](const std::string& f) { return flags.count(f) > 0; }, getenv, m_warnings);
  }

  testing::TempDir m_home;
  Vars m_vars;
  std::ostringstream m_warnings;
};

constexpr const char* k_config = R"(account_sid = "IRconfig"
program = 1001
concurrency = 8
report_dir = "/srv/reports"
ledger = "~/ledger.db"
api_base = "http://127.0.0.1:9"

[profiles.other]
program = "2002"
auth_token_file = "/run/other.token"
)";

TEST_F(Settings, WithoutAConfigFileTheDefaultsStay) {
  Options o;
  auto s = resolve(o);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_FALSE(o.config_file);
  EXPECT_EQ(o.api_base, "https://api.impact.com");
  EXPECT_EQ(o.concurrency, 4);
  EXPECT_EQ(o.report_dir, "prospect-import-report");
  EXPECT_EQ(o.ledger, m_home.path().string() + "/.local/state/prospect-import/ledger.db");
  EXPECT_EQ(s->at("ledger").origin, Origin::default_value);
  EXPECT_EQ(s->at("config_file").origin, Origin::default_value);
  EXPECT_EQ(s->count("auth_token"), 0u);
  EXPECT_EQ(s->count("profile"), 0u);
}

TEST_F(Settings, TheConfigFileBeatsTheDefaults) {
  write_config(k_config);
  Options o;
  auto s = resolve(o);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(o.config_file, config_path().string());
  EXPECT_EQ(o.account_sid, "IRconfig");
  EXPECT_EQ(o.program, "1001");
  EXPECT_EQ(o.concurrency, 8);
  EXPECT_EQ(o.report_dir, "/srv/reports");
  EXPECT_EQ(o.ledger, m_home.path().string() + "/ledger.db");
  EXPECT_EQ(o.api_base, "http://127.0.0.1:9");
  for (const char* key : {"account_sid", "program", "concurrency", "report_dir", "ledger"}) {
    EXPECT_EQ(s->at(key).origin, Origin::config) << key;
    EXPECT_EQ(s->at(key).from, config_path().string()) << key;
  }
}

TEST_F(Settings, TheEnvironmentBeatsTheConfigFile) {
  write_config(k_config);
  Options o;
  auto s = resolve(o, {},
                   {{"IMPACT_PROGRAM_ID", "3003"},
                    {"IMPACT_ACCOUNT_SID", "IRenv"},
                    {"PROSPECT_IMPORT_LEDGER", "/env/ledger.db"},
                    {"IMPACT_API_BASE", "http://127.0.0.1:8"}});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(o.program, "3003");
  EXPECT_EQ(o.account_sid, "IRenv");
  EXPECT_EQ(o.ledger, "/env/ledger.db");
  EXPECT_EQ(o.api_base, "http://127.0.0.1:8");
  EXPECT_EQ(s->at("program").origin, Origin::environment);
  EXPECT_EQ(s->at("program").from, "IMPACT_PROGRAM_ID");
  EXPECT_EQ(s->at("ledger").from, "PROSPECT_IMPORT_LEDGER");
}

TEST_F(Settings, AFlagBeatsEverything) {
  write_config(k_config);
  Options o;
  o.program = "4004";  // as CLI11 set them
  o.concurrency = 3;
  o.no_ledger = true;
  auto s =
      resolve(o, {"--program", "--concurrency", "--no-ledger"}, {{"IMPACT_PROGRAM_ID", "3003"}});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(o.program, "4004");
  EXPECT_EQ(o.concurrency, 3);
  EXPECT_EQ(s->at("program").origin, Origin::flag);
  EXPECT_EQ(s->at("program").from, "--program");
  EXPECT_EQ(s->at("ledger").from, "--no-ledger");
}

TEST_F(Settings, AProfileFromTheEnvironmentOrAFlag) {
  write_config(k_config);
  Options o;
  auto s = resolve(o, {}, {{"IMPACT_PROFILE", "other"}});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(o.program, "2002");
  EXPECT_EQ(s->at("program").from, config_path().string() + " [profile other]");
  EXPECT_EQ(s->at("profile").from, "IMPACT_PROFILE");
  EXPECT_EQ(o.account_sid, "IRconfig") << "the top level still applies";

  Options flagged;
  flagged.profile = "nope";
  auto bad = resolve(flagged, {"--profile"}, {{"IMPACT_PROFILE", "other"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ExitCode::config);
  EXPECT_EQ(bad.error().message, "the config file " + config_path().string() +
                                     " has no profile nope (its profiles: other)");
}

TEST_F(Settings, TheTokenComesFromTheFlagThenTheEnvironmentThenTheConfig) {
  write_config(k_config);
  Options from_config;
  auto s = resolve(from_config, {}, {{"IMPACT_PROFILE", "other"}});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(from_config.auth_token_file, "/run/other.token");
  EXPECT_EQ(s->at("auth_token").from,
            "auth_token_file /run/other.token in " + config_path().string() + " [profile other]");

  Options from_env;
  s = resolve(from_env, {}, {{"IMPACT_PROFILE", "other"}, {"IMPACT_AUTH_TOKEN", "t"}});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_FALSE(from_env.auth_token_file) << "IMPACT_AUTH_TOKEN beats the config's token file";
  EXPECT_EQ(s->at("auth_token").from, "IMPACT_AUTH_TOKEN");

  Options from_env_file;
  s = resolve(from_env_file, {},
              {{"IMPACT_AUTH_TOKEN_FILE", "/run/env.token"}, {"IMPACT_AUTH_TOKEN", "t"}});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(from_env_file.auth_token_file, "/run/env.token");
  EXPECT_EQ(s->at("auth_token").from, "IMPACT_AUTH_TOKEN_FILE /run/env.token");

  Options from_flag;
  from_flag.auth_token_file = "/run/flag.token";
  s = resolve(from_flag, {"--auth-token-file"}, {{"IMPACT_AUTH_TOKEN_FILE", "/run/env.token"}});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(from_flag.auth_token_file, "/run/flag.token");
  EXPECT_EQ(s->at("auth_token").origin, Origin::flag);
}

TEST_F(Settings, AnInlineTokenReachesTheOptionsNeverTheSources) {
  write_config("auth_token = \"tok-inline\"\n");
  Options o;
  auto s = resolve(o);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_TRUE(o.config_token);
  EXPECT_EQ(o.config_token->reveal(), "tok-inline");
  EXPECT_EQ(s->at("auth_token").from, "auth_token in " + config_path().string());
}

TEST_F(Settings, ANamedConfigFileMustExistTheDefaultNeedNot) {
  Options o;
  auto s = resolve(o, {}, {{"PROSPECT_IMPORT_CONFIG", (m_home / "missing.toml").string()}});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ExitCode::config);
  EXPECT_EQ(s.error().message, "cannot read the config file " + (m_home / "missing.toml").string() +
                                   ": No such file or directory");
}

TEST_F(Settings, TheFlagNamesTheFileOverTheEnvironment) {
  testing::write_file(m_home / "flag.toml", "program = 5005\n");
  Options o;
  o.config_file = (m_home / "flag.toml").string();
  auto s = resolve(o, {"--config"}, {{"PROSPECT_IMPORT_CONFIG", "/nowhere.toml"}});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(o.program, "5005");
  EXPECT_EQ(s->at("config_file").origin, Origin::flag);
}

TEST_F(Settings, UnknownKeysAreWarnedAbout) {
  write_config("progam = 1\n");
  Options o;
  ASSERT_TRUE(resolve(o));
  EXPECT_EQ(m_warnings.str(), "warning: " + config_path().string() +
                                  ":1:1: unknown key progam; did you mean program? (it is "
                                  "ignored)\n");
}

}  // namespace
}  // namespace prospect_import
