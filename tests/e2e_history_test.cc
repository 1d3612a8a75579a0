// End-to-end, reports that are kept and runs that can be discarded, quiet and
// scriptable exits (issue 8, sections 4 and 5): the real binary against the
// sandbox, whose counters show what was sent.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <regex>
#include <set>

#include "sandbox_fixture.h"
#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using testing::ChildProcess;
using ::testing::HasSubstr;
using testing::read_file;
using testing::RunResult;
using testing::RunSpec;
using testing::Sandbox;
using testing::TempDir;
using testing::write_file;

using Env = std::map<std::string, std::string>;
using Names = std::set<std::string>;

const fs::path k_samples = PI_SAMPLES_DIR;
const fs::path k_valid = k_samples / "prospects.csv";  // 10 valid rows
const fs::path k_with_errors = k_samples / "prospects-with-errors.csv";

Env env_for(const Sandbox& s, const std::string& token = "sandbox-token") {
  Env env = testing::base_environment();
  env["IMPACT_ACCOUNT_SID"] = "IRsandbox0001";
  env["IMPACT_AUTH_TOKEN"] = token;
  env["IMPACT_API_BASE"] = s.base_url();
  env["IMPACT_PROGRAM_ID"] = "1001";
  return env;
}

std::vector<std::string> import_args(const fs::path& report, const fs::path& file,
                                     std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--report-dir", report.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(file.string());
  return args;
}

RunResult import(const Sandbox& s, const fs::path& report, const fs::path& file,
                 std::vector<std::string> extra = {}, const std::string& token = "sandbox-token") {
  return testing::run_binary(
      PI_BINARY, RunSpec{import_args(report, file, std::move(extra)), env_for(s, token), {}, {}});
}

RunResult offline(const fs::path& report, const fs::path& file,
                  std::vector<std::string> extra = {}) {
  extra.insert(extra.begin(), "--offline");
  return testing::run_binary(PI_BINARY, RunSpec{import_args(report, file, extra), {}, {}, {}});
}

Names names_in(const fs::path& dir) {
  Names names;
  if (!fs::exists(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

// Every file of the folder, by its path inside it, and its content.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = read_file(e.path());
  }
  return files;
}

json summary_in(const fs::path& dir) { return json::parse(read_file(dir / "summary.json")); }

// "2026-11-30T14:56:30Z" -> "20261130T145630Z"
std::string stamp_of(const json& summary) {
  std::string s = summary["started_at"];
  return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2) + "T" + s.substr(11, 2) +
         s.substr(14, 2) + s.substr(17, 2) + "Z";
}

// (g): a token that stopped working keeps the last good report in history/.
TEST(History, ACredentialsFailureKeepsTheLastGoodReport) {
  Sandbox sandbox;
  TempDir tmp;
  auto good = import(sandbox, tmp / "r", k_valid);
  ASSERT_EQ(good.exit_code, 0) << good.err;
  auto before = snapshot(tmp / "r");
  json good_summary = summary_in(tmp / "r");
  EXPECT_THAT(good_summary["started_at"].get<std::string>(),
              ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));

  auto refused = import(sandbox, tmp / "r", k_valid, {}, "expired-token");
  ASSERT_EQ(refused.exit_code, 77) << refused.err;
  json own = summary_in(tmp / "r");
  EXPECT_EQ(own["exit_code"], 77);
  EXPECT_EQ(own["not_attempted"], 10);

  fs::path kept = tmp / "r/history" / stamp_of(good_summary);
  EXPECT_EQ(names_in(tmp / "r/history"), Names{stamp_of(good_summary)});
  EXPECT_EQ(names_in(kept), (Names{"errors.csv", "journal", "success.csv", "summary.json"}));
  for (const char* name : {"success.csv", "errors.csv", "summary.json", "journal"})
    EXPECT_EQ(read_file(kept / name), before.at(name)) << name;
  EXPECT_THAT(read_file(kept / "journal"), HasSubstr("\"finished\":true"));
  EXPECT_FALSE(fs::exists(tmp / "r/journal")) << "the finished import's journal went with it";
  EXPECT_EQ(testing::mode_of(tmp / "r/history"), 0700u);
  EXPECT_EQ(testing::mode_of(kept), 0700u);

  auto again = import(sandbox, tmp / "r", k_valid);  // the token works again
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(names_in(tmp / "r/history").size(), 2u) << "the 77 report is kept too";
}

TEST(History, OnlyTheNewestKeepReportsStay) {
  TempDir tmp;
  std::vector<std::string> summaries;
  for (int run = 0; run < 5; ++run) {
    auto r = offline(tmp / "r", k_valid, {"--keep-reports", "2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    summaries.push_back(read_file(tmp / "r/summary.json"));
  }
  Names entries = names_in(tmp / "r/history");
  ASSERT_EQ(entries.size(), 2u);
  std::set<std::string> kept;
  for (const auto& e : entries) kept.insert(read_file(tmp / "r/history" / e / "summary.json"));
  EXPECT_EQ(kept, (std::set<std::string>{summaries[2], summaries[3]})) << "the two newest replaced";

  auto none = offline(tmp / "r", k_valid, {"--keep-reports", "0"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(names_in(tmp / "r/history"), Names{});
}

// Reports whose runs began in the same second: the later one gets -2, -3.
TEST(History, ReportsOfOneSecondGetASuffix) {
  TempDir tmp;
  for (int run = 0; run < 3; ++run) {
    if (run > 0) {
      json s = summary_in(tmp / "r");
      s["started_at"] = "2026-01-02T03:04:05Z";
      write_file(tmp / "r/summary.json", s.dump());
    }
    auto r = offline(tmp / "r", k_valid);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(names_in(tmp / "r/history"), (Names{"20260102T030405Z", "20260102T030405Z-2"}));
}

// A run that ends before it reports (2, 65, 66, 73) leaves the folder exactly as it was.
TEST(History, ARunThatEndsBeforeItReportsTouchesNothing) {
  TempDir tmp;
  ASSERT_EQ(offline(tmp / "r", k_valid).exit_code, 0);
  ASSERT_EQ(offline(tmp / "r", k_valid).exit_code, 0);
  auto before = snapshot(tmp / "r");
  write_file(tmp / "no-email.csv", "Partner Name,Media Property\nA,https://a.example\n");
  EXPECT_EQ(offline(tmp / "r", tmp / "no-email.csv").exit_code, 65);
  EXPECT_EQ(offline(tmp / "r", tmp / "missing.csv").exit_code, 66);
  EXPECT_EQ(offline(tmp / "r", k_valid, {"--delimiter", "x"}).exit_code, 2);
  EXPECT_EQ(snapshot(tmp / "r"), before);
  Sandbox sandbox;
  EXPECT_EQ(import(sandbox, tmp / "r", tmp / "no-email.csv").exit_code, 65);
  EXPECT_EQ(snapshot(tmp / "r"), before);
  EXPECT_EQ(sandbox.state()["counters"]["creates"], 0);
}

TEST(History, ALinkAtHistoryIs73BeforeAnyRowIsSentAndTouchesNothing) {
  Sandbox sandbox;
  TempDir tmp;
  ASSERT_EQ(offline(tmp / "r", k_valid).exit_code, 0);
  fs::create_directory(tmp / "elsewhere");
  fs::create_directory_symlink(tmp / "elsewhere", tmp / "r/history");
  auto before = snapshot(tmp / "r");
  auto r = import(sandbox, tmp / "r", k_valid);
  EXPECT_EQ(r.exit_code, 73);
  EXPECT_THAT(r.err, HasSubstr((tmp / "r/history").string() + " is a symbolic link"));
  EXPECT_EQ(snapshot(tmp / "r"), before);
  EXPECT_EQ(names_in(tmp / "elsewhere"), Names{});
  EXPECT_EQ(sandbox.state()["counters"]["creates"], 0);
}

// --- --restart ---

std::size_t outcomes_in(const fs::path& journal) {
  std::string text = read_file(journal);
  std::size_t n = 0;
  for (std::size_t at = 0; (at = text.find("\"fate\":", at)) != std::string::npos; ++at) ++n;
  return n;
}

// An import of `file` stopped by `sig` once `after` outcomes are in its
// journal; its exit code. SIGTERM finishes the rows in flight (one at a time
// here), SIGKILL cuts them off (two in flight).
std::optional<int> import_and_stop(const Sandbox& s, const fs::path& report, const fs::path& file,
                                   std::size_t after, int sig) {
  std::string concurrency = sig == SIGKILL ? "2" : "1";
  ChildProcess tool(ChildProcess::Spec{
      PI_BINARY, import_args(report, file, {"--concurrency", concurrency}), env_for(s),
      report.parent_path() / "out.txt", report.parent_path() / "err.txt"});
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (outcomes_in(report / "journal") < after && std::chrono::steady_clock::now() < deadline) {
    if (tool.wait(5ms)) break;
  }
  tool.signal(sig);
  return tool.wait(10s);
}

// 40 valid rows.
void write_rows(const fs::path& file) {
  std::string csv = "Partner Name,Contact Email,Media Property\n";
  for (int n = 1; n <= 40; ++n) {
    std::string i = std::to_string(n);
    csv += "Partner " + i + ",p" + i + "@restart.example,https://p" + i + ".restart.example\n";
  }
  write_file(file, csv);
}

TEST(Restart, DiscardsTheUnfinishedImportAndRowsItCreatedAreKnown) {
  Sandbox sandbox{{"--latency-ms", "40"}};
  TempDir tmp;
  write_rows(tmp / "p.csv");
  import_and_stop(sandbox, tmp / "r", tmp / "p.csv", 6, SIGKILL);
  std::string killed_journal = read_file(tmp / "r/journal");
  ASSERT_EQ(killed_journal.find("\"finished\""), std::string::npos);
  std::size_t journaled = 0;  // created and journaled; a row in flight at the kill was not
  for (auto at = killed_journal.find("\"fate\":\"created\""); at != std::string::npos;
       at = killed_journal.find("\"fate\":\"created\"", at + 1)) {
    ++journaled;
  }
  ASSERT_GE(journaled, 6u);
  ASSERT_LT(journaled, 40u);

  auto refused = import(sandbox, tmp / "r", tmp / "p.csv");
  ASSERT_EQ(refused.exit_code, 73) << "without --resume or --restart";
  EXPECT_THAT(refused.err, HasSubstr("pass --resume to continue it, --restart to discard it"));

  auto restarted = import(sandbox, tmp / "r", tmp / "p.csv", {"--restart"});
  ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
  json s = summary_in(tmp / "r");
  EXPECT_EQ(s["known"], journaled) << "what the discarded import created is known now";
  // A row in flight at the kill may have been created after all: sent again, it answers 409.
  EXPECT_LE(s["already_exists"], 2) << "at most the two in flight";
  EXPECT_EQ(s["succeeded"], 40);
  EXPECT_EQ(sandbox.state()["prospects"].size(), 40u);
  EXPECT_EQ(sandbox.state()["counters"]["creates"], 40) << "no row sent twice";

  // The discarded journal is in history/, on its own (its run never reported).
  Names entries = names_in(tmp / "r/history");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(read_file(tmp / "r/history" / *entries.begin() / "journal"), killed_journal);
  EXPECT_THAT(read_file(tmp / "r/journal"), HasSubstr("\"finished\":true"));
}

TEST(Restart, TakesThePartialReportToHistoryWithItsJournal) {
  Sandbox sandbox{{"--latency-ms", "40"}};
  TempDir tmp;
  write_rows(tmp / "p.csv");
  ASSERT_EQ(import_and_stop(sandbox, tmp / "r", tmp / "p.csv", 3, SIGTERM), 143);
  json partial = summary_in(tmp / "r");
  auto restarted = import(sandbox, tmp / "r", tmp / "p.csv", {"--restart"});
  ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
  fs::path kept = tmp / "r/history" / stamp_of(partial);
  EXPECT_EQ(names_in(kept), (Names{"errors.csv", "journal", "success.csv", "summary.json"}));
  EXPECT_EQ(summary_in(kept)["exit_code"], 143);
  EXPECT_EQ(summary_in(tmp / "r")["known"], partial["created"]);
}

TEST(Restart, WithResumeIsACommandLineError) {
  TempDir tmp;
  auto r = offline(tmp / "r", k_valid, {"--restart", "--resume"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--resume excludes --restart"));
  EXPECT_FALSE(fs::exists(tmp / "r"));
}

// A resume replaces the partial report of the run it continues: nothing goes to history/.
TEST(Resume, ReplacesThePartialReportOfTheRunItContinues) {
  Sandbox sandbox{{"--latency-ms", "40"}};
  TempDir tmp;
  write_rows(tmp / "p.csv");
  ASSERT_EQ(import_and_stop(sandbox, tmp / "r", tmp / "p.csv", 3, SIGTERM), 143);
  auto resumed = import(sandbox, tmp / "r", tmp / "p.csv", {"--resume"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_FALSE(fs::exists(tmp / "r/history"));
  EXPECT_EQ(summary_in(tmp / "r")["created"], 40);
}

// --- --strict ---

TEST(Strict, SendsNothingWhenAnyRowIsInvalid) {
  Sandbox sandbox;
  TempDir tmp;
  auto r = import(sandbox, tmp / "r", k_with_errors, {"--strict"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  json s = summary_in(tmp / "r");
  // Only the groups' listing (200): no POST, which would answer 201, 409, 4xx or count a dry run.
  auto counters = sandbox.state()["counters"];
  EXPECT_EQ(counters["requests"], s["requests"]);
  EXPECT_EQ(counters["by_status"], json({{"200", s["requests"]}})) << counters;
  EXPECT_EQ(counters["dry_runs"], 0);
  std::uint64_t invalid = s["invalid"];
  std::uint64_t valid = s["rows"].get<std::uint64_t>() - invalid;
  ASSERT_GT(invalid, 0u);
  ASSERT_GT(valid, 0u);
  EXPECT_EQ(s["not_attempted"], valid);
  EXPECT_EQ(s["succeeded"], 0);
  std::string why = "not attempted: --strict and " + std::to_string(invalid) + " invalid rows";
  std::string errors = read_file(tmp / "r/errors.csv");
  std::size_t said = 0;
  for (auto at = errors.find(why); at != std::string::npos; at = errors.find(why, at + 1)) ++said;
  EXPECT_EQ(said, valid) << errors;
  EXPECT_THAT(r.err, HasSubstr("error: --strict: " + std::to_string(invalid) +
                               " rows are invalid, so no row is sent; see errors.csv\n"));
  EXPECT_FALSE(fs::exists(tmp / "r/journal")) << "no import began";
}

TEST(Strict, SendsEveryRowWhenAllAreValid) {
  Sandbox sandbox;
  TempDir tmp;
  auto r = import(sandbox, tmp / "r", k_valid, {"--strict"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sandbox.state()["counters"]["creates"], 10);
}

TEST(Strict, AResumeMustSayWhatTheImportBeganWith) {
  Sandbox sandbox{{"--latency-ms", "40"}};
  TempDir tmp;
  write_rows(tmp / "p.csv");
  ASSERT_EQ(import_and_stop(sandbox, tmp / "r", tmp / "p.csv", 2, SIGTERM), 143);
  auto strict = import(sandbox, tmp / "r", tmp / "p.csv", {"--resume", "--strict"});
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_THAT(strict.err, HasSubstr("is one begun without --strict"));
  auto plain = import(sandbox, tmp / "r", tmp / "p.csv", {"--resume"});
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
}

// --- quiet and scriptable ---

TEST(Json, IsPrintedOnEveryExit) {
  Sandbox sandbox;
  TempDir tmp;
  write_file(tmp / "no-email.csv", "Partner Name,Media Property\nA,https://a.example\n");
  struct Case {
    std::vector<std::string> extra;
    fs::path file;
    int code;
  } cases[] = {{{"--bogus"}, k_valid, 2},
               {{}, tmp / "no-email.csv", 65},
               {{}, tmp / "missing.csv", 66},
               {{}, k_with_errors, 1},
               {{}, k_valid, 0}};
  for (const auto& c : cases) {
    auto extra = c.extra;
    extra.push_back("--json");
    auto r = import(sandbox, tmp / "r", c.file, extra);
    ASSERT_EQ(r.exit_code, c.code) << r.err;
    json j = json::parse(r.out);  // throws when it is not JSON
    EXPECT_EQ(j["exit_code"], c.code) << r.out;
    if (c.code >= 2) {
      EXPECT_FALSE(j["error"].get<std::string>().empty()) << r.out;
    } else {
      EXPECT_EQ(j["rows"], summary_in(tmp / "r")["rows"]) << r.out;
    }
  }
  auto refused = import(sandbox, tmp / "r", k_valid, {"--json"}, "expired-token");
  ASSERT_EQ(refused.exit_code, 77);
  json j = json::parse(refused.out);
  EXPECT_EQ(j["exit_code"], 77);
  EXPECT_EQ(j["not_attempted"], 10) << "the summary of the report it wrote";
  EXPECT_THAT(j["error"].get<std::string>(), HasSubstr("refused the credentials"));
}

TEST(Quiet, StillSaysOneLineWhenTheRunFails) {
  Sandbox sandbox;
  TempDir tmp;
  auto ok = import(sandbox, tmp / "r", k_valid, {"-q"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.err, "");
  auto rows = import(sandbox, tmp / "r2", k_with_errors, {"-q"});
  ASSERT_EQ(rows.exit_code, 1);
  json s = summary_in(tmp / "r2");
  EXPECT_EQ(rows.err, "error: " + std::to_string(s["rows"].get<int>() - s["succeeded"].get<int>()) +
                          " of " + std::to_string(s["rows"].get<int>()) +
                          " rows did not succeed; see " + (tmp / "r2/errors.csv").string() + "\n");
  auto refused = import(sandbox, tmp / "r3", k_valid, {"-q"}, "expired-token");
  ASSERT_EQ(refused.exit_code, 77);
  EXPECT_THAT(refused.err, ::testing::StartsWith("error: "));
  EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
}

TEST(Log, LinesStartWithAUtcTimestampWhenStandardErrorIsNotATerminal) {
  Sandbox sandbox;
  TempDir tmp;
  auto r = import(sandbox, tmp / "r", k_with_errors);
  ASSERT_EQ(r.exit_code, 1);
  ASSERT_FALSE(r.raw_err.empty());
  const std::regex stamped("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z .+");
  std::size_t lines = 0;
  for (std::size_t at = 0; at < r.raw_err.size();) {
    std::size_t end = r.raw_err.find('\n', at);
    ASSERT_NE(end, std::string::npos) << "every line ends";
    std::string line = r.raw_err.substr(at, end - at);
    EXPECT_TRUE(std::regex_match(line, stamped)) << line;
    ++lines;
    at = end + 1;
  }
  EXPECT_GT(lines, 3u);
}

}  // namespace
}  // namespace prospect_import
