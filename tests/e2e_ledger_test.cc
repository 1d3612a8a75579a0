// End-to-end, the ledger (issue 8, section 1): the real binary against the
// sandbox, whose request counters show what was sent. Every run of a test
// shares the test's HOME, and so its default ledger, as one user's runs do.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <random>
#include <set>
#include <tuple>

#include "sandbox_fixture.h"
#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using testing::ChildProcess;
using testing::read_file;
using testing::RunResult;
using testing::RunSpec;
using testing::Sandbox;
using testing::TempDir;
using testing::write_file;

using Env = std::map<std::string, std::string>;

Env env_for(const Sandbox& s, const std::string& program = "1001") {
  Env env = testing::base_environment();
  env["IMPACT_ACCOUNT_SID"] = "IRsandbox0001";
  env["IMPACT_AUTH_TOKEN"] = "sandbox-token";
  env["IMPACT_API_BASE"] = s.base_url();
  env["IMPACT_PROGRAM_ID"] = program;
  return env;
}

// One CSV line per row n in [first, first + count): p<n>@<domain>.
std::vector<std::string> rows(int first, int count, const std::string& domain,
                              const std::string& group) {
  std::vector<std::string> lines;
  for (int n = first; n < first + count; ++n) {
    std::string i = std::to_string(n);
    lines.push_back("Partner " + i + ",P" + i + "@" + domain + ",https://p" + i + "." + domain +
                    "," + group);
  }
  return lines;
}

void write_rows(const fs::path& file, const std::vector<std::string>& lines) {
  std::string csv = "Partner Name,Contact Email,Media Property,Group Name\n";
  for (const auto& l : lines) csv += l + "\n";
  write_file(file, csv);
}

RunResult tool(const Sandbox& s, std::vector<std::string> args,
               const std::string& program = "1001") {
  return testing::run_binary(PI_BINARY,
                             RunSpec{std::move(args), env_for(s, program), std::nullopt, {}});
}

RunResult import(const Sandbox& s, const fs::path& report, const fs::path& file,
                 std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--concurrency", "8", "--report-dir", report.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(file.string());
  return tool(s, args);
}

// Rows the sandbox was sent (each POST answered 201 or 409 here: every row is valid).
std::uint64_t posts(const json& state) {
  const json& by = state["counters"]["by_status"];
  return by.value("201", 0ull) + by.value("409", 0ull);
}

json summary_of(const fs::path& report) { return json::parse(read_file(report / "summary.json")); }

// The Status cells of success.csv (its second column).
std::vector<std::string> statuses(const fs::path& report) {
  std::vector<std::string> out;
  std::string text = read_file(report / "success.csv");
  for (std::size_t at = text.find("\r\n"); at != std::string::npos && at + 2 < text.size();
       at = text.find("\r\n", at + 2)) {
    std::size_t comma = text.find(',', at + 2);
    out.push_back(text.substr(comma + 1, text.find(',', comma + 1) - comma - 1));
  }
  return out;
}

using Key =
    std::tuple<std::string, std::string, std::string>;  // email (lower case), group, prospect ID

std::multiset<Key> on_server(const json& state, const std::string& program) {
  std::multiset<Key> keys;
  for (const auto& p : state["prospects"]) {
    if (p.value("program_id", "") != program) continue;
    std::string email = p["fields"].value("ContactEmail", "");
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    keys.emplace(email, p["fields"].value("GroupId", ""), p.value("prospect_id", ""));
  }
  return keys;
}

std::multiset<Key> in_ledger(const Sandbox& s, const std::string& program) {
  RunResult r = tool(s, {"ledger", "show", "--json", "--program", program}, program);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::multiset<Key> keys;
  for (const auto& e : json::parse(r.out)) keys.emplace(e["Email"], e["GroupId"], e["ProspectId"]);
  return keys;
}

TEST(LedgerEndToEnd, TheSameImportAgainSendsNothingAndReportsEveryRowKnown) {
  Sandbox sandbox;
  TempDir tmp;
  write_rows(tmp / "p.csv", rows(1, 50, "example.com", "Bloggers"));
  ASSERT_EQ(import(sandbox, tmp / "report", tmp / "p.csv").exit_code, 0);
  const json before = sandbox.state();
  ASSERT_EQ(posts(before), 50u);

  RunResult again = import(sandbox, tmp / "report", tmp / "p.csv");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  const json after = sandbox.state();
  EXPECT_EQ(posts(after), 50u) << "no POST the second time";
  EXPECT_EQ(after["counters"]["requests"].get<int>() - before["counters"]["requests"].get<int>(), 1)
      << "only the groups";
  EXPECT_THAT(statuses(tmp / "report"),
              ::testing::AllOf(::testing::SizeIs(50), ::testing::Each("known")));
  json s = summary_of(tmp / "report");
  EXPECT_EQ(s["known"], 50);
  EXPECT_EQ(s["succeeded"], 50);
  EXPECT_EQ(s["created"], 0);
  EXPECT_EQ(in_ledger(sandbox, "1001"), on_server(after, "1001"));
}

TEST(LedgerEndToEnd, TheOldRowsShuffledAndTwentyNewOnesSendTwenty) {
  Sandbox sandbox;
  TempDir tmp;
  auto old_rows = rows(1, 50, "example.com", "Bloggers");
  write_rows(tmp / "p.csv", old_rows);
  ASSERT_EQ(import(sandbox, tmp / "first", tmp / "p.csv").exit_code, 0);

  auto next = old_rows;
  for (const auto& r : rows(51, 20, "example.com", "Bloggers")) next.push_back(r);
  std::shuffle(next.begin(), next.end(), std::mt19937(7));
  write_rows(tmp / "export.csv", next);
  RunResult r = import(sandbox, tmp / "second", tmp / "export.csv");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(posts(sandbox.state()), 70u) << "20 POSTs for the 20 new rows";
  json s = summary_of(tmp / "second");
  EXPECT_EQ(s["known"], 50);
  EXPECT_EQ(s["created"], 20);
}

TEST(LedgerEndToEnd, SyncOfAProgramWithProspectsCreatedElsewhereCostsThreeRequests) {
  Sandbox sandbox({"--rate-limit", "100000"});
  TempDir tmp;
  write_rows(tmp / "p.csv", rows(1, 2500, "example.com", ""));
  // Created elsewhere: by a run that keeps no ledger.
  ASSERT_EQ(import(sandbox, tmp / "elsewhere", tmp / "p.csv", {"--no-ledger"}).exit_code, 0);
  const json before = sandbox.state();
  ASSERT_EQ(before["prospects"].size(), 2500u);

  RunResult sync = tool(sandbox, {"ledger", "sync", "--program", "1001"});
  EXPECT_EQ(sync.exit_code, 0) << sync.err;
  const json synced = sandbox.state();
  EXPECT_EQ(synced["counters"]["requests"].get<int>() - before["counters"]["requests"].get<int>(),
            3)
      << "2,500 prospects in pages of 1,000";

  RunResult r = import(sandbox, tmp / "report", tmp / "p.csv");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(posts(sandbox.state()), posts(before)) << "no POST";
  EXPECT_EQ(summary_of(tmp / "report")["known"], 2500);
}

TEST(LedgerEndToEnd, KilledAndResumedTheLedgerHoldsWhatTheServerHoldsOnce) {
  Sandbox sandbox({"--latency-ms", "10"});
  TempDir tmp;
  write_rows(tmp / "p.csv", rows(1, 300, "example.com", "Bloggers"));
  auto report = tmp / "report";
  std::vector<std::string> args{"--concurrency", "4", "--report-dir", report.string(),
                                (tmp / "p.csv").string()};
  int kills = 0;
  for (std::size_t kill_after = 20; kill_after <= 290;
       kill_after += 30) {  // 10 kills across the send phase
    auto run_args = args;
    if (kill_after > 20) run_args.insert(run_args.begin(), "--resume");
    ChildProcess child(
        ChildProcess::Spec{PI_BINARY, run_args, env_for(sandbox), tmp / "out", tmp / "err"});
    while (!child.wait(2ms)) {
      std::string journal = read_file(report / "journal");
      std::size_t outcomes = 0;
      for (std::size_t at = 0; (at = journal.find("\"fate\":", at)) != std::string::npos; ++at)
        ++outcomes;
      if (outcomes >= kill_after) {
        child.signal(SIGKILL);
        child.wait(5s);
        ++kills;
        break;
      }
    }
  }
  EXPECT_EQ(kills, 10) << "each run was killed before its end";
  RunResult last = tool(sandbox, {"--resume", "--concurrency", "4", "--report-dir", report.string(),
                                  (tmp / "p.csv").string()});
  EXPECT_EQ(last.exit_code, 0) << last.err;
  const json state = sandbox.state();
  auto server = on_server(state, "1001");
  EXPECT_EQ(server.size(), 300u);
  EXPECT_EQ(std::set<Key>(server.begin(), server.end()).size(), 300u) << "none twice";
  EXPECT_EQ(in_ledger(sandbox, "1001"), server);
}

TEST(LedgerEndToEnd, TwoConcurrentImportsIntoTwoProgramsAndASyncShareOneLedger) {
  Sandbox sandbox({"--latency-ms", "5"});
  TempDir tmp;
  write_rows(tmp / "a.csv", rows(1, 400, "a.example.com", "Bloggers"));
  write_rows(tmp / "b.csv", rows(1, 400, "b.example.com", "Newsletters"));
  auto spec = [&](const std::string& program, const std::vector<std::string>& args,
                  const std::string& name) {
    return ChildProcess::Spec{PI_BINARY, args, env_for(sandbox, program), tmp / (name + ".out"),
                              tmp / (name + ".err")};
  };
  ChildProcess a(
      spec("1001", {"--report-dir", (tmp / "ra").string(), (tmp / "a.csv").string()}, "a"));
  ChildProcess b(
      spec("1002", {"--report-dir", (tmp / "rb").string(), (tmp / "b.csv").string()}, "b"));
  ChildProcess sync(spec("1001", {"ledger", "sync"}, "sync"));
  EXPECT_EQ(sync.wait(60s), 0) << read_file(tmp / "sync.err");
  EXPECT_EQ(a.wait(60s), 0) << read_file(tmp / "a.err");
  EXPECT_EQ(b.wait(60s), 0) << read_file(tmp / "b.err");
  const json state = sandbox.state();
  EXPECT_EQ(on_server(state, "1001").size(), 400u);
  EXPECT_EQ(in_ledger(sandbox, "1001"), on_server(state, "1001"));
  EXPECT_EQ(in_ledger(sandbox, "1002"), on_server(state, "1002"));
  EXPECT_THAT(read_file(tmp / "a.err") + read_file(tmp / "b.err"),
              ::testing::Not(::testing::HasSubstr("warning")));
}

TEST(LedgerEndToEnd, ACorruptLedgerStopsTheRunBeforeAnyRequest) {
  Sandbox sandbox;
  TempDir tmp;
  write_rows(tmp / "p.csv", rows(1, 5, "example.com", ""));
  write_file(tmp / "bad.db", std::string(4096, 'x'));
  RunResult r =
      import(sandbox, tmp / "report", tmp / "p.csv", {"--ledger", (tmp / "bad.db").string()});
  EXPECT_EQ(r.exit_code, 74);
  EXPECT_EQ(r.err, "error: cannot open the ledger " + (tmp / "bad.db").string() +
                       ": file is not a database (--no-ledger imports without it)\n");
  EXPECT_EQ(sandbox.state()["counters"]["requests"], 0);
}

}  // namespace
}  // namespace prospect_import
