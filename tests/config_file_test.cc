// The config file (config_file.h): what it says for one run, and every way it
// can be wrong, with the whole message.

#include "prospect_import/config_file.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace prospect_import {
namespace {

const std::string k_path = "/home/me/.config/prospect-import/config.toml";
const std::optional<std::string> k_home = "/home/me";

Result<ConfigFile> parse(std::string_view text, const std::optional<std::string>& profile = {},
                         unsigned mode = 0600) {
  return parse_config(text, k_path, mode, profile, k_home);
}

std::string error_of(std::string_view text, const std::optional<std::string>& profile = {},
                     unsigned mode = 0600) {
  auto r = parse(text, profile, mode);
  if (r) return "no error";
  EXPECT_EQ(r.error().code, ExitCode::config);
  return r.error().message;
}

constexpr const char* k_two_profiles = R"(
account_sid = "IRtop"
program = "1001"
concurrency = 2

[profiles.acme]
account_sid = "IRacme"
auth_token_file = "~/.config/prospect-import/acme.token"

[profiles.beta]
program = 2002
report_dir = "/srv/reports"
)";

TEST(ConfigFile, TopLevelKeysApplyWithoutAProfile) {
  auto r = parse(k_two_profiles);
  ASSERT_TRUE(r) << r.error().message;
  const ConfigSettings& s = r->settings;
  EXPECT_EQ(s.account_sid, "IRtop");
  EXPECT_EQ(s.program, "1001");
  EXPECT_EQ(s.concurrency, 2);
  EXPECT_FALSE(s.auth_token_file);
  EXPECT_EQ(s.origin.at("account_sid"), k_path);
  EXPECT_EQ(r->profiles, (std::vector<std::string>{"acme", "beta"}));
  EXPECT_TRUE(r->warnings.empty());
}

TEST(ConfigFile, AProfileOverlaysTheTopLevelAndExpandsTilde) {
  auto r = parse(k_two_profiles, "acme");
  ASSERT_TRUE(r) << r.error().message;
  const ConfigSettings& s = r->settings;
  EXPECT_EQ(s.account_sid, "IRacme");
  EXPECT_EQ(s.origin.at("account_sid"), k_path + " [profile acme]");
  EXPECT_EQ(s.auth_token_file, "/home/me/.config/prospect-import/acme.token");
  EXPECT_EQ(s.program, "1001");
  EXPECT_EQ(s.origin.at("program"), k_path);
  EXPECT_FALSE(s.report_dir) << "beta's settings are not acme's";
}

TEST(ConfigFile, AnIntegerProgramIsReadAsItsDigits) {
  auto r = parse(k_two_profiles, "beta");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->settings.program, "2002");
  EXPECT_EQ(r->settings.report_dir, "/srv/reports");
}

TEST(ConfigFile, AnUnknownProfileListsTheProfilesThatExist) {
  EXPECT_EQ(error_of(k_two_profiles, "acne"),
            "the config file " + k_path +
                " has no profile acne; did you mean acme? (its profiles: acme, beta)");
  EXPECT_EQ(error_of("program = 1\n", "acme"),
            "the config file " + k_path + " has no profile acme (it has no [profiles.NAME] table)");
}

TEST(ConfigFile, AMalformedFileIsSaidWithLineColumnAndTheParsersMessage) {
  EXPECT_EQ(error_of("program = 1001\nconcurrency = \n"),
            k_path + ":2:15: Error while parsing key-value pair: expected value, saw '\\n'");
}

TEST(ConfigFile, AParseErrorOnATokenLineNeverQuotesTheToken) {
  const std::string message = error_of("auth_token = 12345678901234567890123456789\n");
  EXPECT_EQ(message.find("1234567890"), std::string::npos) << message;
  EXPECT_EQ(message.rfind(k_path + ":1:", 0), 0u) << message;
}

TEST(ConfigFile, UnknownKeysAreWarningsWithASuggestion) {
  auto r = parse(
      "acount_sid = \"IR1\"\n[profile.acme]\nprogram = 1\n[profiles.x]\nreport-dir = \"r\"\n");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(
      r->warnings,
      (std::vector<std::string>{
          k_path + ":1:1: unknown key acount_sid; did you mean account_sid? (it is ignored)",
          k_path + ":2:2: unknown key profile; did you mean profiles? (it is ignored)",
          k_path + ":5:1: unknown key report-dir; did you mean report_dir? (it is ignored)"}));
  EXPECT_FALSE(r->settings.account_sid);
}

TEST(ConfigFile, ValuesOfTheWrongTypeOrRangeAreErrors) {
  EXPECT_EQ(error_of("concurrency = \"4\"\n"),
            k_path + ":1:15: concurrency must be an integer from 1 to 64");
  EXPECT_EQ(error_of("concurrency = 65\n"),
            k_path + ":1:15: concurrency must be an integer from 1 to 64");
  EXPECT_EQ(error_of("account_sid = 12\n"), k_path + ":1:15: account_sid must be a string");
  EXPECT_EQ(error_of("program = true\n"), k_path + ":1:11: program must be a string or an integer");
  EXPECT_EQ(error_of("profiles = 1\n"),
            k_path + ":1:12: profiles must be tables, each [profiles.NAME]");
  EXPECT_EQ(error_of("[profiles]\nacme = 1\n"),
            k_path + ":2:8: profiles.acme must be a table, [profiles.acme]");
  EXPECT_EQ(error_of("[profiles.acme]\nconcurrency = 0\n"),
            k_path + ":2:15: concurrency must be an integer from 1 to 64")
      << "a mistake in a profile not chosen is still a mistake of the file";
}

TEST(ConfigFile, AnApiBaseIsCheckedAsTheFlagIs) {
  EXPECT_EQ(
      error_of("api_base = \"http://api.example.com\"\n").rfind(k_path + ":1:12: api_base: ", 0),
      0u);
}

TEST(ConfigFile, ATokenIsAcceptedOnlyFromAFileClosedToOthers) {
  const char* text = "[profiles.acme]\nauth_token = \" tok-secret \"\n";
  auto r = parse(text, "acme", 0600);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->settings.auth_token);
  EXPECT_EQ(r->settings.auth_token->reveal(), "tok-secret");
  for (unsigned mode : {0640u, 0604u, 0660u}) {
    const std::string message = error_of(text, {}, mode);
    EXPECT_EQ(message, "the config file " + k_path +
                           " holds auth_token but is open to group or others (mode 0" +
                           std::to_string(mode / 64) + std::to_string(mode / 8 % 8) +
                           std::to_string(mode % 8) + "): run chmod 600 " + k_path +
                           ", or name a token file with auth_token_file instead");
    EXPECT_EQ(message.find("tok-secret"), std::string::npos);
  }
  EXPECT_TRUE(parse("program = 1\n", {}, 0644)) << "without a token any mode will do";
}

TEST(ConfigFile, AProfilesTokenFileReplacesTheTopLevelToken) {
  auto r = parse("auth_token = \"t\"\n[profiles.a]\nauth_token_file = \"/run/t\"\n", "a");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->settings.auth_token_file, "/run/t");
  EXPECT_FALSE(r->settings.auth_token);
  EXPECT_EQ(error_of("auth_token = \"t\"\nauth_token_file = \"/run/t\"\n"),
            k_path + ":1:14: auth_token and auth_token_file are both given; keep one");
  EXPECT_EQ(error_of("auth_token = \"  \"\n"), k_path + ":1:14: auth_token is empty");
}

TEST(ConfigFile, TheDefaultLocationFollowsXdg) {
  auto env = [](std::map<std::string, std::string> vars) -> Getenv {
    return [vars](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  };
  EXPECT_EQ(default_config_location(env({{"XDG_CONFIG_HOME", "/x"}, {"HOME", "/h"}})).path,
            "/x/prospect-import/config.toml");
  EXPECT_EQ(default_config_location(env({{"XDG_CONFIG_HOME", "rel"}, {"HOME", "/h"}})).path,
            "/h/.config/prospect-import/config.toml")
      << "XDG: a relative XDG_CONFIG_HOME is ignored";
  EXPECT_FALSE(default_config_location(env({})).path);
  EXPECT_FALSE(default_config_location(env({})).required);
}

TEST(ConfigFile, AMissingFileIsAnErrorOnlyWhenItWasNamed) {
  testing::TempDir dir;
  const Getenv no_env = [](const std::string&) { return std::optional<std::string>(); };
  const std::string missing = (dir / "nope.toml").string();
  auto quiet = load_config({missing, false}, std::nullopt, no_env);
  ASSERT_TRUE(quiet);
  EXPECT_FALSE(*quiet);
  auto named = load_config({missing, true}, std::nullopt, no_env);
  ASSERT_FALSE(named);
  EXPECT_EQ(named.error().code, ExitCode::config);
  EXPECT_EQ(named.error().message,
            "cannot read the config file " + missing + ": No such file or directory");
  auto profile = load_config({missing, false}, "acme", no_env);
  ASSERT_FALSE(profile);
  EXPECT_EQ(profile.error().message,
            "profile acme: there is no config file " + missing + " (--config FILE names another)");
  auto folder = load_config({dir.path().string(), true}, std::nullopt, no_env);
  ASSERT_FALSE(folder);
  EXPECT_EQ(folder.error().message,
            "the config file " + dir.path().string() + " is not a regular file");
}

TEST(ConfigFile, TheFilesModeIsReadFromTheFileItself) {
  testing::TempDir dir;
  const Getenv no_env = [](const std::string&) { return std::optional<std::string>(); };
  const auto path = dir / "config.toml";
  testing::write_file(path, "auth_token = \"tok\"\n");
  std::filesystem::permissions(path, std::filesystem::perms(0644));
  auto open = load_config({path.string(), true}, std::nullopt, no_env);
  ASSERT_FALSE(open);
  EXPECT_NE(open.error().message.find("(mode 0644)"), std::string::npos) << open.error().message;
  std::filesystem::permissions(path, std::filesystem::perms(0600));
  auto closed = load_config({path.string(), true}, std::nullopt, no_env);
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ((*closed)->settings.auth_token->reveal(), "tok");
}

}  // namespace
}  // namespace prospect_import
