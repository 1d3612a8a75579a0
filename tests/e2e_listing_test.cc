// End-to-end, online: `programs` and `groups` against the sandbox server, as a
// script would capture them (CLI.md "Listings").

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sandbox_fixture.h"
#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ChildProcess;
using testing::read_file;
using testing::RunResult;
using testing::Sandbox;
using testing::TempDir;

// prospect-import ARGS... --api-base SANDBOX with the sandbox's credentials.
RunResult list(const Sandbox& sandbox, std::vector<std::string> args) {
  args.insert(args.end(), {"--api-base", sandbox.base_url()});
  auto env = testing::base_environment();
  env["IMPACT_ACCOUNT_SID"] = "IRsandbox0001";
  env["IMPACT_AUTH_TOKEN"] = "sandbox-token";
  TempDir capture;
  ChildProcess tool(
      ChildProcess::Spec{PI_BINARY, std::move(args), env, capture / "out", capture / "err"});
  const auto code = tool.wait(std::chrono::seconds(60));
  EXPECT_TRUE(code.has_value()) << "still running after 60 s";
  return RunResult{code.value_or(-1), read_file(capture / "out"),
                   testing::without_log_timestamps(read_file(capture / "err"))};
}

TEST(Listing, ProgramsPrintsIdTabNameALine) {
  Sandbox sandbox;
  auto r = list(sandbox, {"programs"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1001\tSpring Program\n1002\tAutumn Program\n1003\tRestricted Program\n");
}

TEST(Listing, ProgramsJsonIsAnArrayOfIdAndName) {
  Sandbox sandbox;
  auto r = list(sandbox, {"programs", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out), json::parse(R"([{"Id": "1001", "Name": "Spring Program"},
                                                {"Id": "1002", "Name": "Autumn Program"},
                                                {"Id": "1003", "Name": "Restricted Program"}])"));
}

TEST(Listing, GroupsPrintsOneNameALine) {
  Sandbox sandbox;
  auto r = list(sandbox, {"groups", "--program", "1002"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Bloggers\nbloggers\nNewsletters\n");
}

TEST(Listing, GroupsJsonIsAnArrayOfIdAndName) {
  Sandbox sandbox;
  auto r = list(sandbox, {"groups", "--program", "1002", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const json groups = json::parse(r.out);
  ASSERT_EQ(groups.size(), 3u);
  for (const auto& g : groups) EXPECT_EQ(g.size(), 2u) << g;
  EXPECT_EQ(groups[2]["Name"], "Newsletters");
  EXPECT_TRUE(groups[2]["Id"].is_string());
}

// What `groups` prints is what --groups-file reads: an offline check then
// knows the program's groups.
TEST(Listing, GroupsFeedGroupsFile) {
  Sandbox sandbox;
  TempDir tmp;
  auto r = list(sandbox, {"groups", "--program", "1001"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::write_file(tmp / "groups.txt", r.out);
  testing::write_file(tmp / "in.csv",
                      "Partner Name,Contact Email,Media Property,Group Name\n"
                      "A,a@example.com,https://a.example.com,ブロガー\n"
                      "B,b@example.com,https://b.example.com,\"The \"\"A\"\" List\"\n");
  auto check = testing::run_binary(
      PI_BINARY, {{"--offline", "--groups-file", (tmp / "groups.txt").string(), "--report-dir",
                   (tmp / "report").string(), (tmp / "in.csv").string()},
                  {},
                  std::nullopt,
                  {}});
  EXPECT_EQ(check.exit_code, 0) << check.err;
}

// The end of a dry run names the rows that match existing partner accounts.
TEST(DryRunSummary, NamesTheFirstMatches) {
  Sandbox sandbox;
  TempDir tmp;
  auto env = testing::base_environment();
  auto r = testing::run_binary(PI_BINARY, {{"--api-base", sandbox.base_url(), "--report-dir",
                                            (tmp / "report").string(), "--dry-run", "--no-ledger",
                                            (fs::path(PI_SAMPLES_DIR) / "prospects.csv").string()},
                                           {{"IMPACT_ACCOUNT_SID", "IRsandbox0001"},
                                            {"IMPACT_AUTH_TOKEN", "sandbox-token"},
                                            {"IMPACT_PROGRAM_ID", "1001"}},
                                           std::nullopt,
                                           {}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(
                "\n4 of 10 rows match existing partner accounts (success.csv: Matched Partner ID)\n"
                "  line 2: Acme Media, partner ID 556677\n"
                "  line 3: Blue Sky Blog, partner ID 120034\n"
                "  line 4: さくらメディア株式会社, partner ID 880011\n"
                "  line 6: Acme Media, partner ID 556677\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(json::parse(read_file(tmp / "report/summary.json"))["matched"], 4);
}

}  // namespace
}  // namespace prospect_import
