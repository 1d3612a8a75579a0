// End-to-end, online: the real binary against the sandbox server over real
// HTTP(S) on 127.0.0.1. Each test checks what a user would see twice: in the
// tool's report and on the server (what it holds and what it counted).

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <iconv.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "report_reader.h"
#include "sandbox_fixture.h"
#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ChildProcess;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::read_file;
using testing::read_report;
using testing::RunResult;
using testing::Sandbox;
using testing::TempDir;
using testing::write_file;

const fs::path k_samples = PI_SAMPLES_DIR;
const fs::path k_generator = PI_GENERATOR;
const fs::path k_seed = k_samples / "../sandbox/default-seed.json";
constexpr const char* k_sid = "IRsandbox0001";
constexpr const char* k_token = "sandbox-token";

using Env = std::map<std::string, std::string>;
using testing::Row;

Env credentials(const std::string& program = "1001") {
  return {{"IMPACT_ACCOUNT_SID", k_sid},
          {"IMPACT_AUTH_TOKEN", k_token},
          {"IMPACT_PROGRAM_ID", program}};
}

constexpr auto k_run_limit = std::chrono::seconds(60);

// The tool's environment: isolated_environment() (HOME in the test's own folder), then `env`.
Env tool_environment(const Env& env) {
  Env all = testing::base_environment();
  for (const auto& [k, v] : env) all[k] = v;
  return all;
}

// Runs the tool (or `binary`) to its end, as run_binary does, but stops it after 60 s.
RunResult run(std::vector<std::string> args, const Env& env, const fs::path& cwd = {},
              const std::string& binary = PI_BINARY) {
  TempDir capture;
  ChildProcess tool(ChildProcess::Spec{binary, std::move(args), tool_environment(env),
                                       capture / "out", capture / "err"},
                    cwd);
  const auto code = tool.wait(k_run_limit);
  EXPECT_TRUE(code.has_value()) << "prospect-import still running after 60 s";
  return RunResult{code.value_or(-1), read_file(capture / "out"),
                   testing::without_log_timestamps(read_file(capture / "err"))};
}

// prospect-import --api-base SANDBOX --report-dir REPORT [extra...] FILE
RunResult run_import(const Sandbox& sandbox, const fs::path& report, const fs::path& file,
                     std::vector<std::string> extra = {}, Env env = credentials()) {
  std::vector<std::string> args{"--api-base", sandbox.base_url(), "--report-dir", report.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(file.string());
  return run(std::move(args), std::move(env));
}

// The first line of what the tool printed on standard error, with its '\n':
// the error message when the run stopped before it began.
std::string first_line(const std::string& err) { return err.substr(0, err.find('\n') + 1); }

json summary_of(const fs::path& report) { return json::parse(read_file(report / "summary.json")); }

// --- what the server holds ---

// Program 1001's groups in the sandbox's built-in seed: name -> Id.
const std::map<std::string, std::string>& group_ids() {
  static const auto ids = [] {
    std::map<std::string, std::string> m;
    const json seed = json::parse(read_file(k_seed));
    for (const auto& program : seed["Accounts"][0]["Programs"]) {
      if (program["Id"] != "1001") continue;
      for (const auto& g : program["Groups"]) m[g["Name"]] = g["Id"];
    }
    return m;
  }();
  return ids;
}

std::string field(const json& prospect, const std::string& name) {
  const auto& f = prospect["fields"];
  return f.contains(name) ? f[name].get<std::string>() : "";
}

// ContactEmail + " / " + GroupId of every prospect (a multiset: duplicates show).
std::multiset<std::string> keys_on_server(const json& state) {
  std::multiset<std::string> keys;
  for (const auto& p : state["prospects"])
    keys.insert(field(p, "ContactEmail") + " / " + field(p, "GroupId"));
  return keys;
}

std::multiset<std::string> keys_in_report(const std::vector<Row>& success) {
  std::multiset<std::string> keys;
  for (const auto& row : success) {
    const auto& g = row.at("Group Name");
    keys.insert(row.at("Contact Email") + " / " + (g.empty() ? "" : group_ids().at(g)));
  }
  return keys;
}

// The template's columns and the form fields they are sent as (API.md).
const std::vector<std::pair<std::string, std::string>> k_sent_as = {
    {"Partner Name", "PartnerName"},
    {"Contact Email", "ContactEmail"},
    {"Media Property", "MediaPropertyUrl"},
    {"Contact First Name", "ContactFirstName"},
    {"Contact Last Name", "ContactLastName"},
    {"Description", "Description"},
    {"Partner ID", "PartnerId"}};

// Every prospect on the server is a row of success.csv, with the values the
// report says were sent and the match it shows, and vice versa.
void expect_server_holds_exactly(const json& state, const std::vector<Row>& success) {
  std::map<std::string, json> by_id;
  for (const auto& p : state["prospects"]) by_id[p["prospect_id"]] = p;
  EXPECT_EQ(state["prospects"].size(), success.size());
  EXPECT_EQ(by_id.size(), success.size()) << "two prospects with one ID";
  for (const auto& row : success) {
    SCOPED_TRACE("success.csv row " + row.at("Row"));
    auto it = by_id.find(row.at("Prospect ID"));
    ASSERT_NE(it, by_id.end()) << "not on the server";
    const json& p = it->second;
    EXPECT_EQ(p["account_sid"], k_sid);
    EXPECT_EQ(p["program_id"], "1001");
    for (const auto& [column, name] : k_sent_as)
      EXPECT_EQ(field(p, name), row.at(column)) << column;
    const auto& group = row.at("Group Name");
    EXPECT_EQ(field(p, "GroupId"), group.empty() ? "" : group_ids().at(group));
    EXPECT_EQ(p["matched_partner_id"], row.at("Matched Partner ID"));
    EXPECT_EQ(p["matched_partner_name"], row.at("Matched Partner Name"));
    EXPECT_EQ(field(p, "DryRun"), "false");
  }
}

std::vector<std::string> column(const std::vector<Row>& rows, const std::string& name) {
  std::vector<std::string> values;
  for (const auto& r : rows) values.push_back(r.at(name));
  return values;
}

const Row& row_of(const std::vector<Row>& rows, const std::string& line) {
  for (const auto& r : rows) {
    if (r.at("Row") == line) return r;
  }
  throw std::runtime_error("no row " + line);
}

// gen_prospects.py --rows N --seed S --invalid-rate R into dir/p.csv; returns
// its expectation {"rows", "valid", "invalid", ...}.
json generate(const fs::path& dir, int rows, int seed, double invalid_rate) {
  ChildProcess gen(
      ChildProcess::Spec{"/usr/bin/env",
                         {"python3", k_generator.string(), "--rows", std::to_string(rows), "--seed",
                          std::to_string(seed), "--invalid-rate", std::to_string(invalid_rate),
                          "--expect-out", (dir / "e.json").string()},
                         testing::base_environment(),
                         dir / "p.csv",
                         dir / "gen.err"});
  EXPECT_EQ(gen.wait(std::chrono::seconds(60)), 0) << read_file(dir / "gen.err");
  return json::parse(read_file(dir / "e.json"));
}

// --- a clean import, and doing it again ---

TEST(Online, CleanImportCreatesEveryRowOnceWithTheValuesTheReportShows) {
  Sandbox sandbox;
  TempDir tmp;
  auto r = run_import(sandbox, tmp / "report", k_samples / "prospects.csv", {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = json::parse(r.out);
  EXPECT_EQ(s, summary_of(tmp / "report"));
  EXPECT_EQ(s["rows"], 10);
  EXPECT_EQ(s["created"], 10);
  EXPECT_EQ(s["succeeded"], 10);
  EXPECT_EQ(s["failed"], 0);
  EXPECT_EQ(s["exit_code"], 0);

  auto success = read_report(tmp / "report/success.csv");
  EXPECT_THAT(column(success, "Row"),
              ElementsAre("2", "3", "4", "5", "6", "7", "9", "10", "11", "12"));
  EXPECT_THAT(column(success, "Status"), ::testing::Each("created"));
  const json state = sandbox.state();
  expect_server_holds_exactly(state, success);
  EXPECT_EQ(state["counters"]["creates"], 10);

  // What the report shows, spelled out for the rows that are the point.
  EXPECT_EQ(row_of(success, "3").at("Media Property"), "https://www.blueskyblog.net/reviews");
  EXPECT_EQ(row_of(success, "6").at("Media Property"),
            "https://www.dealhunter.com/deals?utm_source=impact&utm_medium=affiliate");
  EXPECT_EQ(row_of(success, "6").at("Group Name"), "Coupon & Deals");
  EXPECT_EQ(row_of(success, "12").at("Group Name"), "Bloggers");
  EXPECT_EQ(row_of(success, "11").at("Partner Name"), "Pixel Studio");
  EXPECT_EQ(row_of(success, "9").at("Description"), "-20% on first order");
  EXPECT_EQ(row_of(success, "10").at("Description"), R"(=HYPERLINK("https://example.com","site"))");
  EXPECT_EQ(row_of(success, "7").at("Description"),
            "Runs the \"Deal of the Day\" newsletter\nweekly since 2019");
  EXPECT_EQ(row_of(success, "4").at("Contact First Name"), "花子");
  EXPECT_EQ(row_of(success, "5").at("Contact Email"), "zoe@café-blog.fr");
  const std::map<std::string, std::pair<std::string, std::string>> matches = {
      {"2", {"556677", "Acme Media"}},              // by email
      {"3", {"120034", "Blue Sky Blog"}},           // by host
      {"4", {"880011", "さくらメディア株式会社"}},  // by email
      {"6", {"556677", "Acme Media"}}};             // by Partner ID
  for (const auto& row : success) {
    auto m = matches.count(row.at("Row")) ? matches.at(row.at("Row"))
                                          : std::pair<std::string, std::string>{};
    EXPECT_EQ(row.at("Matched Partner ID"), m.first) << "row " << row.at("Row");
    EXPECT_EQ(row.at("Matched Partner Name"), m.second) << "row " << row.at("Row");
  }
}

TEST(Online, ReservedCharactersArriveIntact) {
  Sandbox sandbox;
  TempDir tmp;
  write_file(tmp / "p.csv",
             "Partner Name,Contact Email,Media Property,Group Name,Description\n"
             "A+B & C = 100%,first+tag@plus-sign.com,plus-sign.com/a?b=1+2&c=%20d#x,Coupon & Deals,"
             "\"1 + 1 = 2; a&b; 50% off; é ü 日本; \"\"q\"\"\"\n");
  auto r = run_import(sandbox, tmp / "report", tmp / "p.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json state = sandbox.state();
  ASSERT_EQ(state["prospects"].size(), 1u);
  const json& p = state["prospects"][0];
  EXPECT_EQ(field(p, "PartnerName"), "A+B & C = 100%");
  EXPECT_EQ(field(p, "ContactEmail"), "first+tag@plus-sign.com");
  EXPECT_EQ(field(p, "MediaPropertyUrl"), "https://plus-sign.com/a?b=1+2&c=%20d#x");
  EXPECT_EQ(field(p, "GroupId"), "80");
  EXPECT_EQ(field(p, "Description"), "1 + 1 = 2; a&b; 50% off; é ü 日本; \"q\"");
  expect_server_holds_exactly(state, read_report(tmp / "report/success.csv"));
}

// Without the ledger (e2e_ledger_test.cc has the run with it), a re-run sends every row again.
TEST(Online, ReRunWithoutTheLedgerFindsEveryRowAlreadyThereAndCreatesNothing) {
  Sandbox sandbox;
  TempDir tmp;
  ASSERT_EQ(run_import(sandbox, tmp / "report", k_samples / "prospects.csv").exit_code, 0);
  const auto first = read_report(tmp / "report/success.csv");

  auto r = run_import(sandbox, tmp / "report", k_samples / "prospects.csv", {"--no-ledger"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto s = summary_of(tmp / "report");
  EXPECT_EQ(s["already_exists"], 10);
  EXPECT_EQ(s["created"], 0);
  EXPECT_EQ(s["succeeded"], 10);
  auto again = read_report(tmp / "report/success.csv");
  EXPECT_THAT(column(again, "Status"), ::testing::Each("already_exists"));
  EXPECT_EQ(column(again, "Prospect ID"), column(first, "Prospect ID"))
      << "the existing prospects' IDs";
  const json state = sandbox.state();
  EXPECT_EQ(state["prospects"].size(), 10u);
  EXPECT_EQ(state["counters"]["creates"], 10);
  EXPECT_EQ(state["counters"]["by_status"]["409"], 10);
}

// --- faults: lost answers and 5xx must neither lose nor duplicate a row ---

class OnlineFaults : public ::testing::TestWithParam<const char*> {};

TEST_P(OnlineFaults, EveryValidRowArrivesExactlyOnce) {
  TempDir tmp;
  const json expect = generate(tmp.path(), 300, 11, 0.1);
  Sandbox sandbox({"--fail-rate", "0.2", "--drop-rate", "0.05", "--drop-mode", GetParam(),
                   "--random-seed", "5"});
  auto r = run_import(sandbox, tmp / "report", tmp / "p.csv",
                      {"--max-retries", "10", "--concurrency", "8"});
  auto s = summary_of(tmp / "report");
  EXPECT_EQ(r.exit_code, 1) << "invalid rows, nothing else: " << r.err;
  EXPECT_EQ(s["rows"], expect["rows"]);
  EXPECT_EQ(s["succeeded"], expect["valid"]);
  EXPECT_EQ(s["invalid"], expect["invalid"]);
  EXPECT_EQ(s["failed"], 0);
  EXPECT_EQ(s["rejected"], 0);
  EXPECT_EQ(s["not_attempted"], 0);
  EXPECT_EQ(s["already_exists"].get<int>() + s["created"].get<int>(), s["succeeded"]);
  EXPECT_GT(s["retries"], 0);

  const json state = sandbox.state();
  EXPECT_GT(state["counters"]["injected_faults"], 0);
  EXPECT_GT(state["counters"]["drops"], 0);
  const auto success = read_report(tmp / "report/success.csv");
  const auto on_server = keys_on_server(state);
  EXPECT_EQ(on_server.size(), expect["valid"].get<size_t>());
  EXPECT_EQ(std::set<std::string>(on_server.begin(), on_server.end()).size(), on_server.size())
      << "a duplicate";
  EXPECT_EQ(on_server, keys_in_report(success));
  expect_server_holds_exactly(state, success);
}

INSTANTIATE_TEST_SUITE_P(DropModes, OnlineFaults, ::testing::Values("empty", "truncated"));

TEST(Online, RateLimitIsWaitedOutAndCountedAsTheServerCountsIt) {
  TempDir tmp;
  const json expect = generate(tmp.path(), 200, 12, 0.0);
  Sandbox sandbox({"--rate-limit", "50", "--window", "2"});
  auto r = run_import(sandbox, tmp / "report", tmp / "p.csv");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto s = summary_of(tmp / "report");
  EXPECT_EQ(s["created"], 200);
  EXPECT_EQ(s["failed"], 0);
  ASSERT_TRUE(s["rate_limited"].is_number_integer());
  ASSERT_TRUE(s["requests"].is_number_integer());
  const json state = sandbox.state();
  EXPECT_EQ(state["prospects"].size(), 200u);
  EXPECT_EQ(state["counters"]["requests"], s["requests"]);
  EXPECT_EQ(state["counters"]["rate_limited"], s["rate_limited"]);
  EXPECT_GE(s["retries"].get<int>(), s["rate_limited"].get<int>()) << "every 429 is re-sent";
}

// The tool paces itself by X-RateLimit-Remaining, so on its own it rarely
// meets a 429. Here the window's budget is spent by an earlier run, so the
// next run's first request is answered 429 and must be waited out. The window
// opens with the first run's first request; on a machine so slow that it has
// closed again before the second run begins (no 429 met), the scenario is
// played again with a window twice as long, rather than bounding how long a
// run may take.
TEST(Online, ABudgetSpentByAnEarlierRunIsWaitedOut) {
  for (int window = 3; window <= 48; window *= 2) {
    TempDir tmp;
    TempDir tmp2;
    generate(tmp.path(), 19, 31, 0.0);
    generate(tmp2.path(), 5, 32, 0.0);
    Sandbox sandbox({"--rate-limit", "20", "--window", std::to_string(window)});
    auto first = run_import(sandbox, tmp / "report", tmp / "p.csv");
    ASSERT_EQ(first.exit_code, 0) << first.err;
    auto a = summary_of(tmp / "report");
    ASSERT_EQ(a["requests"], 20) << "the group list and 19 creates spend the window";

    auto second = run_import(sandbox, tmp2 / "report", tmp2 / "p.csv");
    EXPECT_EQ(second.exit_code, 0) << second.err;
    auto b = summary_of(tmp2 / "report");
    if (b["rate_limited"] == 0 && window < 48) continue;  // the window closed in between
    EXPECT_EQ(b["created"], 5);
    EXPECT_EQ(b["failed"], 0);
    EXPECT_GE(b["rate_limited"], 1);
    EXPECT_GE(b["retries"], b["rate_limited"]);
    const json state = sandbox.state();
    EXPECT_EQ(state["prospects"].size(), 24u);
    EXPECT_EQ(state["counters"]["rate_limited"],
              a["rate_limited"].get<int>() + b["rate_limited"].get<int>());
    EXPECT_EQ(state["counters"]["requests"], a["requests"].get<int>() + b["requests"].get<int>());
    return;
  }
}

// --- credentials and configuration ---

std::string base64(const std::string& in) {
  static const char* k_alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
    out += k_alphabet[(v >> 18) & 63];
    out += k_alphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? k_alphabet[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? k_alphabet[v & 63] : '=';
  }
  return out;
}

TEST(OnlineTokenFile, ImpactAuthTokenFileIsReadLikeTheFlag) {
  Sandbox sandbox;
  TempDir work;
  TempDir secrets;
  write_file(secrets / "token", "sandbox-token\n");
  Env env = credentials();
  env.erase("IMPACT_AUTH_TOKEN");
  env["IMPACT_AUTH_TOKEN_FILE"] = (secrets / "token").string();
  auto r = run({"--api-base", sandbox.base_url(), "--report-dir", "report", "--dry-run",
                "--no-ledger", (k_samples / "prospects.csv").string()},
               env, work.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sandbox.state()["counters"]["requests"], 11) << "the groups, then each of the 10 rows";
}

struct TokenCase {
  const char* name;
  bool from_file;
  bool verbose;
};

class OnlineBadToken : public ::testing::TestWithParam<TokenCase> {};

TEST_P(OnlineBadToken, Exits77CreatesNothingAndNeverShowsTheToken) {
  const std::string token = "tok-Zq8rW3-never-print-me";
  Sandbox sandbox;
  TempDir work;
  TempDir secrets;  // the token file lives outside the folder that is searched
  Env env = credentials();
  std::vector<std::string> args{"--api-base", sandbox.base_url(), "--report-dir", "report"};
  if (GetParam().from_file) {
    write_file(secrets / "token", token + "\n");
    env.erase("IMPACT_AUTH_TOKEN");
    args.insert(args.end(), {"--auth-token-file", (secrets / "token").string()});
  } else {
    env["IMPACT_AUTH_TOKEN"] = token;
  }
  if (GetParam().verbose) args.push_back("-v");
  args.push_back((k_samples / "prospects.csv").string());
  auto r = run(args, env, work.path());

  EXPECT_EQ(r.exit_code, 77);
  EXPECT_THAT(
      r.err,
      HasSubstr(
          "error: the API refused the credentials of account IRsandbox0001 (the API answered "
          "401: Unauthorized: invalid Account SID or Auth Token); check IMPACT_ACCOUNT_SID and "
          "the auth token\n"));
  const json state = sandbox.state();
  EXPECT_TRUE(state["prospects"].empty());
  EXPECT_EQ(state["counters"]["requests"], 1) << "nothing more is sent after a 401";
  EXPECT_TRUE(fs::exists(work / "report/summary.json")) << "the report is searched below";
  for (const std::string& secret : {token, base64(std::string(k_sid) + ":" + token)}) {
    EXPECT_THAT(r.out, Not(HasSubstr(secret)));
    EXPECT_THAT(r.err, Not(HasSubstr(secret)));
    for (const auto& f : fs::recursive_directory_iterator(work.path())) {
      if (f.is_regular_file()) {
        EXPECT_THAT(read_file(f.path()), Not(HasSubstr(secret))) << f.path();
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Sources, OnlineBadToken,
                         ::testing::Values(TokenCase{"env", false, false},
                                           TokenCase{"env_verbose", false, true},
                                           TokenCase{"file", true, false},
                                           TokenCase{"file_verbose", true, true}),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(Online, MissingProgramExits78BeforeAnyCreate) {
  Sandbox sandbox;
  TempDir tmp;
  auto r =
      run_import(sandbox, tmp / "report", k_samples / "prospects.csv", {}, credentials("4242"));
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(first_line(r.err),
            "error: program 4242 does not exist for account IRsandbox0001 (the API answered 404: "
            "Not Found: no "
            "program 4242 for this account); `prospect-import programs` lists the programs\n");
  const json state = sandbox.state();
  EXPECT_TRUE(state["prospects"].empty());
  EXPECT_EQ(state["counters"]["by_status"], json({{"404", 1}})) << "one look-up, no create";
}

TEST(Online, ForbiddenProgramExits77) {
  Sandbox sandbox;
  TempDir tmp;
  auto r =
      run_import(sandbox, tmp / "report", k_samples / "prospects.csv", {}, credentials("1003"));
  EXPECT_EQ(r.exit_code, 77);
  EXPECT_EQ(first_line(r.err),
            "error: the API refused the credentials of account IRsandbox0001 (the API answered "
            "403: Forbidden: this "
            "token may not use program 1003); check IMPACT_ACCOUNT_SID and the auth token\n");
  const json state = sandbox.state();
  EXPECT_TRUE(state["prospects"].empty());
  EXPECT_EQ(state["counters"]["by_status"], json({{"403", 1}}));
}

struct ConfigCase {
  const char* name;
  const char* unset;
  const char* message;
};

class OnlineConfig : public ::testing::TestWithParam<ConfigCase> {};

TEST_P(OnlineConfig, Exits78NamingTheVariableAndSendsNothing) {
  Sandbox sandbox;
  TempDir tmp;
  Env env = credentials();
  env.erase(GetParam().unset);
  auto r = run_import(sandbox, tmp / "report", k_samples / "prospects.csv", {}, env);
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(first_line(r.err), GetParam().message);
  EXPECT_EQ(sandbox.state()["counters"]["requests"], 0);
}

INSTANTIATE_TEST_SUITE_P(
    Missing, OnlineConfig,
    ::testing::Values(
        ConfigCase{"account_sid", "IMPACT_ACCOUNT_SID",
                   "error: no account SID: pass --account-sid SID or set IMPACT_ACCOUNT_SID\n"},
        ConfigCase{"token", "IMPACT_AUTH_TOKEN",
                   "error: no auth token: set IMPACT_AUTH_TOKEN or pass --auth-token-file PATH (a "
                   "token is never "
                   "given as a flag)\n"},
        ConfigCase{"program", "IMPACT_PROGRAM_ID",
                   "error: no program: pass --program ID or set IMPACT_PROGRAM_ID "
                   "(`prospect-import programs` lists "
                   "them)\n"}),
    [](const auto& p) { return std::string(p.param.name); });

// --- the network ---

TEST(Online, UnreachableApiExits69) {
  TempDir tmp;
  const std::string base = "http://127.0.0.1:" + std::to_string(testing::unused_port());
  auto r = run({"--api-base", base, "--report-dir", (tmp / "report").string(),
                (k_samples / "prospects.csv").string()},
               credentials());
  EXPECT_EQ(r.exit_code, 69);
  EXPECT_EQ(first_line(r.err),
            "error: cannot reach the API at " + base +
                ": Couldn't connect to server (check --api-base and the network)\n");
}

// CLI.md: "On an abort (exit 69, 77, 78, 130, 143), every row not done is in
// errors.csv with Error saying `not attempted: …`", also when the very first
// request (the group list) fails.
TEST(Online, AbortBeforeTheFirstRowStillListsEveryRowAsNotAttempted) {
  TempDir tmp;
  const std::string base = "http://127.0.0.1:" + std::to_string(testing::unused_port());
  auto r = run({"--api-base", base, "--report-dir", (tmp / "report").string(),
                (k_samples / "prospects.csv").string()},
               credentials());
  EXPECT_EQ(r.exit_code, 69);
  auto errors = read_report(tmp / "report/errors.csv");
  EXPECT_EQ(errors.size(), 10u);
  for (const auto& e : errors) EXPECT_THAT(e.at("Error"), ::testing::StartsWith("not attempted: "));
  EXPECT_EQ(summary_of(tmp / "report")["not_attempted"], 10);
}

class OnlineTls : public ::testing::Test {
 protected:
  void SetUp() override {
    m_tls = testing::make_tls_files(m_certs.path());
    m_sandbox.emplace(
        std::vector<std::string>{"--cert", m_tls.cert.string(), "--key", m_tls.key.string()},
        m_tls.ca);
    ASSERT_THAT(m_sandbox->base_url(), ::testing::StartsWith("https://127.0.0.1:"));
  }
  TempDir m_certs;
  TempDir m_tmp;
  testing::TlsFiles m_tls;
  std::optional<Sandbox> m_sandbox;
};

TEST_F(OnlineTls, TrustingTheCaImports) {
  auto r = run_import(*m_sandbox, m_tmp / "report", k_samples / "prospects.csv",
                      {"--cacert", m_tls.ca.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const json state = m_sandbox->state();
  EXPECT_EQ(state["prospects"].size(), 10u);
  expect_server_holds_exactly(state, read_report(m_tmp / "report/success.csv"));
}

TEST_F(OnlineTls, AnUntrustedCertificateExits69AndCreatesNothing) {
  auto r = run_import(*m_sandbox, m_tmp / "report", k_samples / "prospects.csv");
  EXPECT_EQ(r.exit_code, 69);
  EXPECT_THAT(r.err, HasSubstr(m_sandbox->base_url()));
  const json state = m_sandbox->state();
  EXPECT_TRUE(state["prospects"].empty());
  EXPECT_EQ(state["counters"]["requests"], 0) << "no request gets past the handshake";
}

// --- what arrives ---

TEST(Online, ShiftJisValuesArriveAsUtf8) {
  Sandbox sandbox;
  TempDir tmp;
  auto r = run_import(sandbox, tmp / "report", k_samples / "prospects-sjis.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json state = sandbox.state();
  std::map<std::string, json> by_email;
  for (const auto& p : state["prospects"]) by_email[field(p, "ContactEmail")] = p["fields"];
  ASSERT_EQ(by_email.size(), 4u);
  EXPECT_EQ(by_email["info@sakura-media.jp"],
            json({{"PartnerName", "株式会社さくら"},
                  {"ContactEmail", "info@sakura-media.jp"},
                  {"MediaPropertyUrl", "https://sakura-media.jp"},
                  {"GroupId", "96"},
                  {"ContactFirstName", "花子"},
                  {"ContactLastName", "佐藤"},
                  {"Description", "旅行とグルメのブログを運営しています"},
                  {"DryRun", "false"}}));
  const auto& fuji = by_email["contact@fuji-media.co.jp"];
  EXPECT_EQ(fuji["PartnerName"], "富士メディア");
  EXPECT_EQ(fuji["MediaPropertyUrl"], "https://www.fuji-media.co.jp/ja/特集");
  EXPECT_EQ(fuji["GroupId"], "95");
  EXPECT_EQ(fuji["Description"], "月間10万PVのレビューサイト、主にガジェット");
  const auto& hikari = by_email["hello@hikari-lab.jp"];
  EXPECT_EQ(hikari["PartnerName"], "合同会社ひかりラボ");
  EXPECT_EQ(hikari["Description"], "①②③ と ㈱ は CP932 の拡張文字") << "CP932's NEC extensions";
  EXPECT_EQ(by_email["tokyo@tokyo-blog.jp"]["ContactFirstName"], "蓮");
  expect_server_holds_exactly(state, read_report(tmp / "report/success.csv"));
}

// The UTF-8 text in another encoding (glibc's iconv), as Excel would save it.
std::string encode_as(const std::string& utf8, const char* encoding) {
  iconv_t cd = iconv_open(encoding, "UTF-8");
  std::string in = utf8, out(utf8.size() * 4, '\0');
  char* ip = in.data();
  char* op = out.data();
  std::size_t in_left = in.size(), out_left = out.size();
  EXPECT_NE(iconv(cd, &ip, &in_left, &op, &out_left), static_cast<std::size_t>(-1)) << utf8;
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

std::map<std::string, json> fields_by_email(const json& state) {
  std::map<std::string, json> by_email;
  for (const auto& p : state["prospects"]) by_email[field(p, "ContactEmail")] = p["fields"];
  return by_email;
}

// A French Excel's "CSV (separator: semicolon)": Windows-1252, `sep=;` first.
TEST(Online, Windows1252SemicolonFileFromExcelArrivesAsWritten) {
  Sandbox sandbox;
  TempDir tmp;
  write_file(tmp / "partenaires.csv",
             encode_as("sep=;\r\n"
                       "Partner Name;Contact Email;Media Property;Contact First Name;"
                       "Contact Last Name;Description\r\n"
                       "Médias Frères;contact@medias-freres.fr;www.medias-freres.fr;Hélène;"
                       "Lefèvre;Délicieux à la française, très goûteux\r\n"
                       "Bäckerei Größer;info@baeckerei.de;https://baeckerei.de;Jürgen;Weiß;"
                       "Brot und Brötchen, täglich frisch\r\n"
                       "Librería El Árbol;hola@arbol.es;https://arbol.es/niños;Begoña;Núñez;"
                       "Reseñas de libros para niños\r\n",
                       "WINDOWS-1252"));
  auto r = run_import(sandbox, tmp / "report", tmp / "partenaires.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("(Windows-1252: no valid CP932 (Shift_JIS) or EUC-JP "
                               "reading; "));
  const json state = sandbox.state();
  auto by_email = fields_by_email(state);
  ASSERT_EQ(by_email.size(), 3u);
  EXPECT_EQ(by_email["contact@medias-freres.fr"],
            json({{"PartnerName", "Médias Frères"},
                  {"ContactEmail", "contact@medias-freres.fr"},
                  {"MediaPropertyUrl", "https://www.medias-freres.fr"},
                  {"ContactFirstName", "Hélène"},
                  {"ContactLastName", "Lefèvre"},
                  {"Description", "Délicieux à la française, très goûteux"},
                  {"DryRun", "false"}}));
  EXPECT_EQ(by_email["info@baeckerei.de"]["PartnerName"], "Bäckerei Größer");
  EXPECT_EQ(by_email["info@baeckerei.de"]["ContactLastName"], "Weiß");
  EXPECT_EQ(by_email["hola@arbol.es"]["MediaPropertyUrl"], "https://arbol.es/niños");
  EXPECT_EQ(by_email["hola@arbol.es"]["Description"], "Reseñas de libros para niños");
  auto success = read_report(tmp / "report/success.csv");
  ASSERT_EQ(success.size(), 3u);
  EXPECT_EQ(success[0]["Row"], "3") << "line 1 is sep=;, the header line 2";
  expect_server_holds_exactly(state, success);
}

// EUC-JP, and addresses typed with a Japanese input method in full width.
TEST(Online, EucJpFileArrivesAsWrittenAndFullWidthAddressesInAscii) {
  Sandbox sandbox;
  TempDir tmp;
  write_file(
      tmp / "eucjp.csv",
      encode_as("Partner Name,Contact Email,Media Property,Contact First Name,"
                "Contact Last Name,Description\r\n"
                "株式会社さくら出版,ｉｎｆｏ＠ｓａｋｕｒａ．ｊｐ,ｓａｋｕｒａ．ｊｐ／本,花子,佐藤,"
                "旅行とグルメのブログを運営しています\r\n"
                "東京ラーメン案内,tokyo@ramen.example.jp,https://ramen.example.jp/東京,健一,"
                "高橋,都内のラーメン店を毎日紹介しています\r\n"
                ",ｅｒｒ＠ｅｘａｍｐｌｅ．ｊｐ,https://x.example.jp,,,名前がありません\r\n",
                "EUC-JP"));
  auto r = run_import(sandbox, tmp / "report", tmp / "eucjp.csv");
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("(EUC-JP: no valid CP932 (Shift_JIS) reading; "));
  EXPECT_THAT(r.err, HasSubstr("3 cells of Contact Email or Media Property were typed in "
                               "full-width characters"));
  const json state = sandbox.state();
  auto by_email = fields_by_email(state);
  ASSERT_EQ(by_email.size(), 2u);
  EXPECT_EQ(by_email["info@sakura.jp"],
            json({{"PartnerName", "株式会社さくら出版"},
                  {"ContactEmail", "info@sakura.jp"},
                  {"MediaPropertyUrl", "https://sakura.jp/本"},
                  {"ContactFirstName", "花子"},
                  {"ContactLastName", "佐藤"},
                  {"Description", "旅行とグルメのブログを運営しています"},
                  {"DryRun", "false"}}));
  EXPECT_EQ(by_email["tokyo@ramen.example.jp"]["Description"],
            "都内のラーメン店を毎日紹介しています");
  auto success = read_report(tmp / "report/success.csv");
  expect_server_holds_exactly(state, success);
  auto errors = read_report(tmp / "report/errors.csv");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["Contact Email"], "ｅｒｒ＠ｅｘａｍｐｌｅ．ｊｐ") << "errors.csv: as read";
}

TEST(Online, DryRunCreatesNothingAndShowsTheMatches) {
  Sandbox sandbox;
  TempDir tmp;
  auto r = run_import(sandbox, tmp / "report", k_samples / "prospects.csv", {"--dry-run"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const json state = sandbox.state();
  EXPECT_TRUE(state["prospects"].empty());
  EXPECT_EQ(state["counters"]["creates"], 0);
  EXPECT_EQ(state["counters"]["dry_runs"], 10);
  auto s = summary_of(tmp / "report");
  EXPECT_TRUE(s["dry_run"].get<bool>());
  EXPECT_EQ(s["succeeded"], 10);
  EXPECT_EQ(s["created"], 0);
  auto success = read_report(tmp / "report/success.csv");
  EXPECT_THAT(column(success, "Status"), ::testing::Each("dry_run_ok"));
  EXPECT_THAT(column(success, "Prospect ID"), ::testing::Each(""));
  EXPECT_THAT(column(success, "Matched Partner ID"),
              ElementsAre("556677", "120034", "880011", "", "556677", "", "", "", "", ""));
  EXPECT_THAT(column(success, "Matched Partner Name"),
              ElementsAre("Acme Media", "Blue Sky Blog", "さくらメディア株式会社", "", "Acme Media",
                          "", "", "", "", ""));
}

// CLI.md: a dry run of a row that already exists (409) is already_exists,
// with its Prospect ID, and counts as succeeded.
TEST(Online, DryRunOfRowsAlreadyThereShowsTheirProspectIds) {
  Sandbox sandbox;
  TempDir tmp;
  ASSERT_EQ(run_import(sandbox, tmp / "first", k_samples / "prospects.csv").exit_code, 0);
  auto r =
      run_import(sandbox, tmp / "dry", k_samples / "prospects.csv", {"--dry-run", "--no-ledger"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto s = summary_of(tmp / "dry");
  EXPECT_EQ(s["already_exists"], 10);
  EXPECT_EQ(s["succeeded"], 10);
  const auto dry = read_report(tmp / "dry/success.csv");
  EXPECT_THAT(column(dry, "Status"), ::testing::Each("already_exists"));
  EXPECT_EQ(column(dry, "Prospect ID"),
            column(read_report(tmp / "first/success.csv"), "Prospect ID"));
  EXPECT_EQ(sandbox.state()["prospects"].size(), 10u);
}

TEST(Online, InvalidRowsAreNeverSent) {
  Sandbox sandbox;
  TempDir tmp;
  auto r = run_import(sandbox, tmp / "report", k_samples / "prospects-with-errors.csv");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto s = summary_of(tmp / "report");
  EXPECT_EQ(s["invalid"], 13);
  EXPECT_EQ(s["created"], 2);
  EXPECT_EQ(s["rejected"], 0);
  const json state = sandbox.state();
  EXPECT_EQ(keys_on_server(state),
            (std::multiset<std::string>{"formula@formula.com / ", "valid@validpartner.com / 77"}));
  EXPECT_EQ(state["counters"]["by_status"], json({{"200", 1}, {"201", 2}}))
      << "the group list and two creates";
  const auto success = read_report(tmp / "report/success.csv");
  expect_server_holds_exactly(state, success);
  EXPECT_EQ(row_of(success, "16").at("Description"), "@SUM(1+1)");
  EXPECT_EQ(read_report(tmp / "report/errors.csv").size(), 13u);
}

// --- stopping ---

// Offline there is nothing in flight: a stop ends the run with nothing
// written, the report folder (and the report it holds) as it was (CLI.md 130/143).
TEST(OfflineStop, SigintLeavesTheReportFolderAndItsEarlierReportAsTheyWere) {
  TempDir tmp;
  generate(tmp.path(), 300000, 17, 0.05);
  fs::create_directories(tmp / "report");
  for (const char* name : {"success.csv", "errors.csv", "summary.json"})
    std::ofstream(tmp / "report" / name) << "the earlier report's " << name;
  ChildProcess tool(ChildProcess::Spec{
      PI_BINARY,
      {"--offline", "--report-dir", (tmp / "report").string(), (tmp / "p.csv").string()},
      tool_environment({}),
      tmp / "out",
      tmp / "err"});
  // Once the report's temporary file is there the run is under way (and its
  // signal handlers are in place): 300,000 rows take it a while longer.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!fs::exists(tmp / "report/.success.csv.tmp") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  tool.signal(SIGINT);
  const auto code = tool.wait(std::chrono::seconds(30));
  ASSERT_TRUE(code.has_value()) << "still running 30 s after SIGINT";
  EXPECT_EQ(*code, 130) << read_file(tmp / "err");
  EXPECT_THAT(read_file(tmp / "err"),
              ::testing::HasSubstr("stopped by Ctrl-C (SIGINT): nothing was written; the report "
                                   "folder is as it was"));
  std::set<std::string> left;
  for (const auto& e : fs::directory_iterator(tmp / "report"))
    left.insert(e.path().filename().string());
  EXPECT_EQ(left, (std::set<std::string>{".lock", "errors.csv", "success.csv", "summary.json"}));
  EXPECT_EQ(read_file(tmp / "report/success.csv"), "the earlier report's success.csv");
}

TEST(Online, SigintStopsAfterTheRequestsInFlightAndReportsEveryCreate) {
  TempDir tmp;
  generate(tmp.path(), 100, 13, 0.0);
  Sandbox sandbox({"--latency-ms", "200"});
  ChildProcess tool(ChildProcess::Spec{
      PI_BINARY,
      {"--api-base", sandbox.base_url(), "--report-dir", (tmp / "report").string(), "--concurrency",
       "2", (tmp / "p.csv").string()},
      tool_environment(credentials()),
      tmp / "out",
      tmp / "err"});
  // Interrupt once some rows are in: the import is then under way.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (sandbox.state()["prospects"].size() < 4 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  tool.signal(SIGINT);
  const auto code = tool.wait(std::chrono::seconds(20));
  ASSERT_TRUE(code.has_value()) << "still running 20 s after SIGINT";
  EXPECT_EQ(*code, 130) << read_file(tmp / "err");

  auto s = summary_of(tmp / "report");
  EXPECT_EQ(s["exit_code"], 130);
  EXPECT_EQ(s["rows"], 100);
  EXPECT_GT(s["not_attempted"], 0);
  EXPECT_GT(s["created"], 0);
  EXPECT_EQ(s["rows"], s["succeeded"].get<int>() + s["invalid"].get<int>() +
                           s["rejected"].get<int>() + s["failed"].get<int>() +
                           s["not_attempted"].get<int>());
  const auto success = read_report(tmp / "report/success.csv");
  EXPECT_THAT(column(success, "Status"), ::testing::Each("created"));
  EXPECT_EQ(s["created"], success.size());
  const auto errors = read_report(tmp / "report/errors.csv");
  EXPECT_EQ(errors.size(), s["not_attempted"].get<size_t>());
  for (const auto& e : errors) EXPECT_THAT(e.at("Error"), ::testing::StartsWith("not attempted: "));
  // Nothing was created that the report does not show.
  expect_server_holds_exactly(sandbox.state(), success);
}

}  // namespace
}  // namespace prospect_import

namespace prospect_import {
namespace {

TEST(Online, AFileWithoutARequiredColumnIsRefusedBeforeAnyRequest) {
  Sandbox sandbox;
  TempDir tmp;
  testing::write_file(tmp / "in.csv",
                      "Name,Contact Email,Media Property\nA,a@b.com,https://b.com\n");
  auto r = run_import(sandbox, tmp / "report", tmp / "in.csv", {}, credentials());
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(first_line(r.err),
            "error: " + (tmp / "in.csv").string() +
                ":1: the required column \"Partner Name\" is missing (the header has \"Name\", "
                "\"Contact Email\", \"Media Property\"); the template's columns are Partner "
                "Name, Contact Email, Media Property, Group Name, Contact First Name, Contact "
                "Last Name, Description, Partner ID (`prospect-import template` prints them; "
                "--map \"Partner Name=Their Column\" reads one from a column of another name)\n");
  EXPECT_EQ(sandbox.state()["counters"]["requests"], 0);
}

}  // namespace
}  // namespace prospect_import

namespace prospect_import {
namespace {

// An import reads its input twice (the hash naming its journal, then the rows):
// a pipe given by path, as bash's <(...) gives it, is kept in the report folder first.
TEST(Online, APipeGivenByPathImportsLikeAFile) {
  Sandbox sandbox;
  TempDir tmp;
  std::string command = "exec '" + std::string(PI_BINARY) + "' --api-base " + sandbox.base_url() +
                        " --report-dir '" + (tmp / "report").string() + "' <(cat '" +
                        (k_samples / "prospects.csv").string() + "')";
  auto r = run({"-c", command}, credentials(), {}, "/bin/bash");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(summary_of(tmp / "report")["created"], 10);
  EXPECT_EQ(sandbox.state()["prospects"].size(), 10u);
  EXPECT_FALSE(fs::exists(tmp / "report/.input.csv")) << "the copy goes when the run ends";
}

bool accepts_connections(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// The client asks for HTTP/2 by default: through a real HTTP/2 proxy (Debian's
// nghttpx, TLS in front of the sandbox) every create goes over h2, as the
// proxy's access log says, and arrives once.
TEST(OnlineHttp2, ThroughNghttpxEveryCreateGoesOverH2) {
  const fs::path nghttpx = "/usr/sbin/nghttpx";
  if (!fs::exists(nghttpx)) {
    GTEST_SKIP() << "nghttpx is not installed (Debian package nghttp2-proxy; "
                    "scripts/install-deps.sh installs it)";
  }
  TempDir tmp;
  Sandbox sandbox;
  auto tls = testing::make_tls_files(tmp.path());
  const std::string backend = sandbox.base_url().substr(sandbox.base_url().rfind(':') + 1);
  const int port = testing::unused_port();
  ChildProcess proxy(ChildProcess::Spec{
      nghttpx.string(),
      {"--frontend=127.0.0.1," + std::to_string(port), "--backend=127.0.0.1," + backend,
       "--workers=1", "--accesslog-file=" + (tmp / "access.log").string(),
       "--accesslog-format=$alpn $method $path $status", "--no-ocsp",
       "--errorlog-file=" + (tmp / "proxy.err").string(), tls.key.string(), tls.cert.string()},
      testing::base_environment(),
      tmp / "proxy.out",
      tmp / "proxy.stderr"});
  const std::string base = "https://127.0.0.1:" + std::to_string(port);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!accepts_connections(port) && std::chrono::steady_clock::now() < deadline) {
    ASSERT_FALSE(proxy.wait(std::chrono::milliseconds(50))) << read_file(tmp / "proxy.stderr");
  }
  auto r = run({"--api-base", base, "--cacert", tls.ca.string(), "--concurrency", "4",
                "--report-dir", (tmp / "report").string(), (k_samples / "prospects.csv").string()},
               credentials());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sandbox.state()["prospects"].size(), 10u);
  std::istringstream log(read_file(tmp / "access.log"));
  std::vector<std::string> creates;
  for (std::string line; std::getline(log, line);) {
    if (line.find(" POST ") != std::string::npos) creates.push_back(line.substr(0, line.find(' ')));
  }
  EXPECT_EQ(creates.size(), 10u);
  EXPECT_THAT(creates, ::testing::Each("h2"));
}

}  // namespace
}  // namespace prospect_import
