// End-to-end: an import killed with SIGKILL at several points and resumed ends
// with every valid row exactly once on the server and the report of a run that
// was never interrupted.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <set>
#include <thread>

#include "prospect_import/csv_reader.h"
#include "sandbox_fixture.h"
#include "test_util.h"

namespace prospect_import {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::read_file;
using testing::RunSpec;
using testing::Sandbox;
using testing::TempDir;

const std::filesystem::path k_generator = PI_GENERATOR;

std::map<std::string, std::string> env_for(const Sandbox& s) {
  auto env = testing::base_environment();
  env["IMPACT_ACCOUNT_SID"] = "IRsandbox0001";
  env["IMPACT_AUTH_TOKEN"] = "sandbox-token";
  env["IMPACT_API_BASE"] = s.base_url();
  env["IMPACT_PROGRAM_ID"] = "1001";
  return env;
}

std::vector<std::string> import_args(const std::filesystem::path& report,
                                     const std::filesystem::path& input) {
  return {"--concurrency", "4",           "--max-retries", "10", "--report-dir",
          report.string(), input.string()};
}

// Outcome records in the journal so far.
std::size_t outcomes_in(const std::filesystem::path& journal) {
  std::string text = read_file(journal);
  std::size_t n = 0;
  for (std::size_t at = 0; (at = text.find("\"fate\":", at)) != std::string::npos; ++at) ++n;
  return n;
}

// Starts an import and kills it with SIGKILL once the journal holds `after` outcomes.
void import_and_kill(const Sandbox& s, const std::filesystem::path& report,
                     const std::filesystem::path& input, std::size_t after, bool resume) {
  auto args = import_args(report, input);
  if (resume) args.insert(args.begin(), "--resume");
  ChildProcess tool(ChildProcess::Spec{PI_BINARY, args, env_for(s),
                                       report.parent_path() / "out.txt",
                                       report.parent_path() / "err.txt"});
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (outcomes_in(report / "journal") < after && std::chrono::steady_clock::now() < deadline) {
    if (tool.wait(5ms)) break;  // finished before the point: nothing to kill
  }
  tool.signal(SIGKILL);
  tool.wait(5s);
  EXPECT_EQ(read_file(report / "journal").find("\"finished\""), std::string::npos)
      << "killed after " << after << " outcomes, before the end";
}

// Resumes until the import finishes (exit 0 or 1); returns the last exit code.
int resume_to_the_end(const Sandbox& s, const std::filesystem::path& report,
                      const std::filesystem::path& input) {
  int code = -1;
  for (int i = 0; i < 3 && code != 0 && code != 1; ++i) {
    auto args = import_args(report, input);
    args.insert(args.begin(), "--resume");
    code = testing::run_binary(PI_BINARY, RunSpec{args, env_for(s), std::nullopt, {}}).exit_code;
  }
  return code;
}

// A report's rows, without what legitimately differs between two servers:
// the Prospect ID and, for rows whose answer a kill lost, the matched partner.
std::vector<std::vector<std::string>> comparable(const std::filesystem::path& csv) {
  std::ifstream in(csv, std::ios::binary);
  CsvReader reader(make_decoder(in, EncodingRequest{}), ',');
  std::vector<std::vector<std::string>> rows;
  Record r;
  while (reader.next(r)) {
    if (r.fields.size() > 5 && r.fields[1] == "created")
      r.fields[2] = r.fields[3] = r.fields[4] = "";
    rows.push_back(r.fields);
  }
  return rows;
}

struct Expect {
  std::size_t valid = 0;
};

Expect generate(const std::filesystem::path& csv, int rows) {
  std::string cmd = "python3 '" + k_generator.string() + "' --rows " + std::to_string(rows) +
                    " --seed 11 --invalid-rate 0.1 --expect-out '" + csv.string() + ".json' > '" +
                    csv.string() + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  auto e = nlohmann::json::parse(read_file(csv.string() + ".json"));
  return Expect{e["valid"].get<std::size_t>()};
}

void expect_each_valid_row_once(const Sandbox& s, std::size_t valid) {
  auto state = s.state();
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& p : state["prospects"]) {
    std::string email = p["fields"].value("ContactEmail", "");
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    keys.emplace(email, p["fields"].value("GroupId", ""));
  }
  EXPECT_EQ(state["prospects"].size(), valid) << "every valid row on the server";
  EXPECT_EQ(keys.size(), state["prospects"].size()) << "none twice";
}

struct KillPlan {
  const char* name;
  std::vector<std::string> sandbox_args;
  std::vector<std::size_t> kill_after;  // outcomes in the journal at each kill
};

void PrintTo(const KillPlan& k, std::ostream* os) { *os << k.name; }

class KillAndResume : public ::testing::TestWithParam<KillPlan> {};

TEST_P(KillAndResume, EveryValidRowOnceAndTheReportOfAnUninterruptedRun) {
  TempDir tmp;
  auto input = tmp / "p.csv";
  Expect expect = generate(input, 160);

  Sandbox reference;
  auto ref = testing::run_binary(
      PI_BINARY, RunSpec{import_args(tmp / "ref", input), env_for(reference), std::nullopt, {}});
  ASSERT_EQ(ref.exit_code, 1) << ref.err;  // the file has invalid rows

  std::vector<std::string> args{"--latency-ms", "40"};
  args.insert(args.end(), GetParam().sandbox_args.begin(), GetParam().sandbox_args.end());
  Sandbox server(args);
  auto report = tmp / "run";
  bool first = true;
  for (std::size_t after : GetParam().kill_after) {
    import_and_kill(server, report, input, after, !first);
    first = false;
  }
  ASSERT_TRUE(std::filesystem::exists(report / "journal"));
  EXPECT_EQ(resume_to_the_end(server, report, input), 1);

  expect_each_valid_row_once(server, expect.valid);
  EXPECT_EQ(comparable(report / "success.csv"), comparable(tmp / "ref/success.csv"));
  EXPECT_EQ(comparable(report / "errors.csv"), comparable(tmp / "ref/errors.csv"));
  auto summary = nlohmann::json::parse(read_file(report / "summary.json"));
  auto ref_summary = nlohmann::json::parse(read_file(tmp / "ref/summary.json"));
  for (const char* key : {"rows", "succeeded", "created", "already_exists", "invalid", "rejected",
                          "failed", "not_attempted", "exit_code"}) {
    EXPECT_EQ(summary[key], ref_summary[key]) << key;
  }
}

INSTANTIATE_TEST_SUITE_P(Kills, KillAndResume,
                         ::testing::Values(KillPlan{"early_middle_late", {}, {3, 60, 120}},
                                           KillPlan{"during_retries",
                                                    {"--fail-rate", "0.3", "--random-seed", "5"},
                                                    {20, 70}},
                                           KillPlan{"with_lost_answers",
                                                    {"--drop-rate", "0.1", "--drop-mode",
                                                     "truncated", "--random-seed", "9"},
                                                    {10, 90}}),
                         [](const auto& p) { return std::string(p.param.name); });

// A report folder holding an import of p.csv killed after 5 rows.
class UnfinishedImport : public ::testing::Test {
 protected:
  void SetUp() override {
    generate(m_input, 60);
    import_and_kill(m_server, m_tmp / "run", m_input, 5, false);
  }
  testing::RunResult import(const std::filesystem::path& file, bool resume) {
    auto args = import_args(m_tmp / "run", file);
    if (resume) args.insert(args.begin(), "--resume");
    return testing::run_binary(PI_BINARY, RunSpec{args, env_for(m_server), std::nullopt, {}});
  }
  TempDir m_tmp;
  std::filesystem::path m_input = m_tmp / "p.csv";
  Sandbox m_server{{"--latency-ms", "40"}};
};

TEST_F(UnfinishedImport, IsNotOverwrittenWithoutResume) {
  auto again = import(m_input, false);
  EXPECT_EQ(again.exit_code, 73);
  EXPECT_THAT(again.err,
              ::testing::HasSubstr("holds an unfinished import of " + m_input.string() +
                                   " (program 1001): pass --resume to continue it, --restart "
                                   "to discard it, or choose another --report-dir"));
}

TEST_F(UnfinishedImport, AnotherFileIsRefusedWith2) {
  testing::write_file(
      m_tmp / "other.csv",
      read_file(m_input) + "Extra Co,extra@extra-co.com,https://extra-co.com,,,,,\r\n");
  auto r = import(m_tmp / "other.csv", true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, ::testing::HasSubstr("cannot resume: the unfinished import in " +
                                          (m_tmp / "run").string() + " is of another file (" +
                                          m_input.string() + ", whose content differs)"));
}

TEST(Resume, AFullDiskStopsSendingAt74AndResumeFinishes) {
  TempDir tmp;
  auto input = tmp / "p.csv";
  Expect expect = generate(input, 120);
  Sandbox server;
  // Files may not grow past 6000 bytes: the journal fills up after a few dozen rows
  // (and a ledger could not even be opened: its shared-memory file is larger).
  std::vector<std::string> args{"--fsize=6000", PI_BINARY, "--no-ledger"};
  auto import = import_args(tmp / "run", input);
  args.insert(args.end(), import.begin(), import.end());
  auto full =
      testing::run_binary("/usr/bin/prlimit", RunSpec{args, env_for(server), std::nullopt, {}});
  EXPECT_EQ(full.exit_code, 74) << full.err;
  EXPECT_THAT(full.err, ::testing::HasSubstr("cannot write the journal"));
  auto sent = server.state()["prospects"].size();
  EXPECT_GT(sent, 0u);
  EXPECT_LT(sent, expect.valid) << "sending stopped at once";
  EXPECT_EQ(resume_to_the_end(server, tmp / "run", input), 1);
  expect_each_valid_row_once(server, expect.valid);
}

TEST(Resume, SighupLosesNothing) {
  TempDir tmp;
  auto input = tmp / "p.csv";
  Expect expect = generate(input, 60);
  Sandbox server({"--latency-ms", "40"});
  ChildProcess tool(ChildProcess::Spec{PI_BINARY, import_args(tmp / "run", input), env_for(server),
                                       tmp / "out.txt", tmp / "err.txt"});
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (outcomes_in(tmp / "run/journal") < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  tool.signal(SIGHUP);
  EXPECT_EQ(tool.wait(20s), 1) << "the import goes on to the end (the file has invalid rows)";
  expect_each_valid_row_once(server, expect.valid);
}

TEST(Resume, ResumeWithoutAJournalIsAFirstRun) {
  TempDir tmp;
  Sandbox server;
  auto args = import_args(tmp / "run", std::filesystem::path(PI_SAMPLES_DIR) / "prospects.csv");
  args.insert(args.begin(), "--resume");
  auto r = testing::run_binary(PI_BINARY, RunSpec{args, env_for(server), std::nullopt, {}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server.state()["prospects"].size(), 10u);
}

TEST(Resume, SecondRunOnTheSameFolderRefusesAtOnceNamingTheFirst) {
  TempDir tmp;
  auto input = tmp / "p.csv";
  generate(input, 60);
  Sandbox server({"--latency-ms", "200"});
  ChildProcess first(ChildProcess::Spec{PI_BINARY, import_args(tmp / "run", input), env_for(server),
                                        tmp / "out.txt", tmp / "err.txt"});
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!std::filesystem::exists(tmp / "run/journal") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  auto second = testing::run_binary(
      PI_BINARY, RunSpec{import_args(tmp / "run", input), env_for(server), std::nullopt, {}});
  EXPECT_EQ(second.exit_code, 73);
  EXPECT_THAT(second.err,
              ::testing::HasSubstr("another prospect-import (pid " + std::to_string(first.pid()) +
                                   ") is using the report folder"));
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait(10s), 143);
}

}  // namespace
}  // namespace prospect_import

namespace prospect_import {
namespace {

// A 429 on the groups look-up means waiting for the window (here 30 s); Ctrl-C
// ends that wait at once, with every row reported not attempted.
TEST(Interrupt, CtrlCDuringARateLimitWaitStopsAtOnce) {
  TempDir tmp;
  Sandbox server({"--rate-limit", "1", "--window", "30"});
  auto env = env_for(server);
  testing::run_binary(PI_BINARY,
                      RunSpec{{"programs"}, env, std::nullopt, {}});  // spends the budget
  ChildProcess tool(ChildProcess::Spec{
      PI_BINARY, import_args(tmp / "run", std::filesystem::path(PI_SAMPLES_DIR) / "prospects.csv"),
      env, tmp / "out.txt", tmp / "err.txt"});
  // The groups look-up has been answered 429: from here on the tool waits.
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (server.state()["counters"]["rate_limited"] == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    ASSERT_FALSE(tool.wait(10ms)) << "ended before its first request was answered 429";
  }
  ASSERT_EQ(server.state()["counters"]["rate_limited"], 1);
  tool.signal(SIGINT);
  EXPECT_EQ(tool.wait(5s), 130) << "the wait for the window ends with the signal";
  auto summary = nlohmann::json::parse(read_file(tmp / "run/summary.json"));
  EXPECT_EQ(summary["not_attempted"], 10);
  EXPECT_THAT(read_file(tmp / "run/errors.csv"),
              ::testing::HasSubstr("not attempted: stopped by Ctrl-C (SIGINT)"));
}

// A budget of 4 requests an hour: once the groups are listed, the creates wait
// (the pacer spreads the budget over the window, or a 429 says wait for it); SIGTERM ends that wait
// within a second (no busy loop and no sleep that ignores signals), with the rows not sent reported
// not attempted.
TEST(Interrupt, SigtermDuringAnHourLongRateLimitWaitEndsWith143WithinASecond) {
  TempDir tmp;
  Sandbox server({"--rate-limit", "4", "--window", "3600"});
  auto args = import_args(tmp / "run", std::filesystem::path(PI_SAMPLES_DIR) / "prospects.csv");
  args.at(1) = "1";  // --concurrency
  ChildProcess tool(
      ChildProcess::Spec{PI_BINARY, args, env_for(server), tmp / "out.txt", tmp / "err.txt"});
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (server.state()["counters"]["requests"] < 1 &&
         std::chrono::steady_clock::now() < deadline) {
    ASSERT_FALSE(tool.wait(10ms)) << "ended before its first request";
  }
  ASSERT_GE(server.state()["counters"]["requests"], 1);
  ASSERT_FALSE(tool.wait(500ms)) << "it waits for the rate limit";
  tool.signal(SIGTERM);
  EXPECT_EQ(tool.wait(1s), 143) << "the hour's wait ends with the signal";
  auto summary = nlohmann::json::parse(read_file(tmp / "run/summary.json"));
  EXPECT_GT(summary["not_attempted"], 0);
  EXPECT_THAT(read_file(tmp / "run/errors.csv"),
              ::testing::HasSubstr("not attempted: stopped by SIGTERM"));
}

}  // namespace
}  // namespace prospect_import
