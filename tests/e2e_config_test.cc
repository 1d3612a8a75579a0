// End-to-end: the config file, its profiles and the token's sources (issue 8
// §3, "How it is shown" (h)) with the real binary. Each test's HOME and
// XDG_CONFIG_HOME are its own temporary folder (test_util.h), so the config
// file written there is the one the tool finds by default.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sandbox_fixture.h"
#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ChildProcess;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::read_file;
using testing::RunResult;
using testing::Sandbox;
using testing::TempDir;
using testing::write_file;

using Env = std::map<std::string, std::string>;
const fs::path k_samples = PI_SAMPLES_DIR;
const std::string k_token = "tok-Config-7Hq2-never-print-me";

// The tool in `cwd` with the isolated environment plus `extra`, stopped after 60 s.
RunResult run(std::vector<std::string> args, const Env& extra = {}, const fs::path& cwd = {}) {
  Env env = testing::base_environment();
  for (const auto& [k, v] : extra) env[k] = v;
  TempDir capture;
  ChildProcess tool(
      ChildProcess::Spec{PI_BINARY, std::move(args), env, capture / "out", capture / "err"}, cwd);
  const auto code = tool.wait(std::chrono::seconds(60));
  EXPECT_TRUE(code.has_value()) << "prospect-import still running after 60 s";
  return RunResult{code.value_or(-1), read_file(capture / "out"), read_file(capture / "err")};
}

// The default config file of this test's user.
fs::path config_path() { return testing::test_home() / ".config/prospect-import/config.toml"; }

void write_private(const fs::path& path, const std::string& content, unsigned mode = 0600) {
  fs::create_directories(path.parent_path());
  write_file(path, content);
  fs::permissions(path, fs::perms(mode));
}

void expect_no_token(const RunResult& r) {
  EXPECT_THAT(r.out, Not(HasSubstr(k_token)));
  EXPECT_THAT(r.err, Not(HasSubstr(k_token)));
}

TEST(Config, ShowsWhereEachSettingComesFromAndNeverTheToken) {
  const std::string file = config_path().string();
  write_private(config_path(),
                "account_sid = \"IRtop\"\nconcurrency = 6\n"
                "[profiles.acme]\nauth_token = \"" +
                    k_token + "\"\nprogram = 1001\n");
  auto r = run({"config", "--profile", "acme", "--report-dir", "/srv/r"},
               {{"IMPACT_API_BASE", "http://127.0.0.1:9"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_no_token(r);
  const std::string ledger =
      (testing::test_home() / ".local/state/prospect-import/ledger.db").string();
  EXPECT_EQ(r.out, "config_file  " + file +
                       "  (default)\n"
                       "profile      acme  (flag --profile)\n"
                       "api_base     http://127.0.0.1:9  (environment IMPACT_API_BASE)\n"
                       "account_sid  IRtop  (config " +
                       file +
                       ")\n"
                       "auth_token   set (from auth_token in " +
                       file +
                       " [profile acme])\n"
                       "program      1001  (config " +
                       file +
                       " [profile acme])\n"
                       "concurrency  6  (config " +
                       file +
                       ")\n"
                       "ledger       " +
                       ledger +
                       "  (default)\n"
                       "report_dir   /srv/r  (flag --report-dir)\n");
  EXPECT_EQ(r.err, "");
}

TEST(Config, JsonSaysTheSameAndTheTokenFileByName) {
  TempDir secrets;
  write_private(secrets / "token", k_token + "\n");
  auto r = run({"config", "--json"}, {{"IMPACT_AUTH_TOKEN_FILE", (secrets / "token").string()},
                                      {"IMPACT_PROFILE", "nope"}});
  EXPECT_EQ(r.exit_code, 78) << "a profile without a config file is a mistake";
  EXPECT_EQ(r.err, "error: profile nope: there is no config file " + config_path().string() +
                       " (--config FILE names another)\n");

  r = run({"config", "--json"}, {{"IMPACT_AUTH_TOKEN_FILE", (secrets / "token").string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_no_token(r);
  const json settings = json::parse(r.out);
  EXPECT_EQ(settings["auth_token"],
            json({{"value", "set"},
                  {"source", "environment"},
                  {"from", "IMPACT_AUTH_TOKEN_FILE " + (secrets / "token").string()}}));
  EXPECT_EQ(settings["config_file"],
            json({{"value", nullptr}, {"source", "default"}, {"from", nullptr}}));
  EXPECT_EQ(settings["profile"],
            json({{"value", nullptr}, {"source", nullptr}, {"from", nullptr}}));
  EXPECT_EQ(settings["concurrency"],
            json({{"value", 4}, {"source", "default"}, {"from", nullptr}}));
}

// The README's cron line, as written: the account, token file, program and
// API (here the sandbox) come from a profile of the default config file.
TEST(Config, TheReadmesCronLineImportsWithOnlyAProfile) {
  Sandbox sandbox;
  TempDir data;
  fs::copy_file(k_samples / "prospects.csv", data / "prospects.csv");
  write_private(testing::test_home() / ".config/prospect-import/acme.token", "sandbox-token\n");
  write_private(config_path(),
                "[profiles.acme]\napi_base = \"" + sandbox.base_url() +
                    "\"\naccount_sid = \"IRsandbox0001\"\n"
                    "auth_token_file = \"~/.config/prospect-import/acme.token\"\n"
                    "program = 1001\n",
                0644);
  const std::vector<std::string> cron = {"--profile", "acme", "--resume", "prospects.csv"};
  auto r = run(cron, {}, data.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sandbox.state()["prospects"].size(), 10u);
  const json summary = json::parse(read_file(data / "prospect-import-report/summary.json"));
  EXPECT_EQ(summary["program"], "1001");
  EXPECT_EQ(summary["created"].get<int>() + summary["already_exists"].get<int>(), 10);
  EXPECT_THAT(r.err, Not(HasSubstr("warning")));

  // The next half hour: the ledger knows every row, nothing is sent.
  r = run(cron, {}, data.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(read_file(data / "prospect-import-report/summary.json"))["known"], 10);
  const json state = sandbox.state();
  const json& by_status = state["counters"]["by_status"];
  EXPECT_EQ(by_status.value("201", 0) + by_status.value("409", 0), 10) << "no POST the second time";
}

TEST(Config, ATokenFileOthersCanReadIsWarnedAboutAndRefusedWithStrictPerms) {
  Sandbox sandbox;
  TempDir work;
  TempDir secrets;
  const std::string token_file = (secrets / "token").string();
  write_private(token_file, "sandbox-token\n", 0644);
  const Env env = {{"IMPACT_ACCOUNT_SID", "IRsandbox0001"},
                   {"IMPACT_PROGRAM_ID", "1001"},
                   {"IMPACT_AUTH_TOKEN_FILE", token_file}};
  const std::vector<std::string> args = {"--api-base", sandbox.base_url(), "--dry-run",
                                         "--no-ledger", (k_samples / "prospects.csv").string()};
  auto r = run(args, env, work.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning: the auth token file " + token_file +
                               " is open to group or others (mode 0644): run chmod 600 " +
                               token_file + "\n"));

  auto strict = args;
  strict.insert(strict.begin(), "--strict-perms");
  r = run(strict, env, work.path());
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_THAT(r.err, HasSubstr("error: the auth token file " + token_file +
                               " is open to group or others (mode 0644), which --strict-perms "
                               "refuses: run chmod 600 " +
                               token_file + "\n"));

  fs::permissions(token_file, fs::perms(0600));
  const auto before = sandbox.state()["counters"]["requests"].get<int>();
  r = run(strict, env, work.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("chmod")));
  EXPECT_EQ(sandbox.state()["counters"]["requests"].get<int>() - before, 11);
}

TEST(Config, ATokenInAConfigFileOthersCanReadIsRefused) {
  write_private(config_path(), "auth_token = \"" + k_token + "\"\n", 0640);
  auto r = run({"--offline", (k_samples / "prospects.csv").string()});
  EXPECT_EQ(r.exit_code, 78);
  expect_no_token(r);
  EXPECT_EQ(r.err, "error: the config file " + config_path().string() +
                       " holds auth_token but is open to group or others (mode 0640): run chmod "
                       "600 " +
                       config_path().string() +
                       ", or name a token file with auth_token_file instead\n");
}

TEST(Config, MistakesInTheFileAreSaidWithWhereTheyAre) {
  TempDir dir;
  write_private(dir / "bad.toml", "program = 1001\nconcurrency = \n");
  auto r = run({"--config", (dir / "bad.toml").string(), "config"});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.err, "error: " + (dir / "bad.toml").string() +
                       ":2:15: Error while parsing key-value pair: expected value, saw '\\n'\n");

  r = run({"config"}, {{"PROSPECT_IMPORT_CONFIG", (dir / "missing.toml").string()}});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.err, "error: cannot read the config file " + (dir / "missing.toml").string() +
                       ": No such file or directory\n");

  write_private(config_path(), "progam = 1\n[profiles.acme]\n[profiles.beta]\n");
  r = run({"--profile", "acme", "config"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "warning: " + config_path().string() +
                       ":1:1: unknown key progam; did you mean program? (it is ignored)\n");
  r = run({"--profile", "gamma", "config"});
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_THAT(r.err, HasSubstr("error: the config file " + config_path().string() +
                               " has no profile gamma (its profiles: acme, beta)\n"));
}

TEST(Config, ABrokenConfigFileDoesNotKeepTheTemplateFromBeingPrinted) {
  write_private(config_path(), "program = 1001\nconcurrency = \n");
  auto r = run({"template"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Partner Name,Contact Email,Media Property,Group Name,Contact First Name,"
            "Contact Last Name,Description,Partner ID\n");
  EXPECT_EQ(run({"config"}).exit_code, 78);  // what needs the settings still says so
}

TEST(Config, HelpConfigListsItsOptions) {
  auto r = run({"help", "config"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Usage: prospect-import config [--json]"));
  for (const char* option : {"--config", "--profile", "--json", "--strict-perms"})
    EXPECT_THAT(r.out, HasSubstr(option));
  EXPECT_EQ(run({"config", "--help"}).out, r.out);
}

}  // namespace
}  // namespace prospect_import
