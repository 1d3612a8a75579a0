// End-to-end, the shared budget (issue 8, section 2; "how it is shown" (f)):
// the real binary against a sandbox with a short rate-limit window, whose
// record of every window (requests by User-Agent) shows what share of each
// window the tool spent.

#include <curl/curl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "sandbox_fixture.h"
#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::HasSubstr;
using testing::RunResult;
using testing::RunSpec;
using testing::Sandbox;
using testing::TempDir;
using testing::write_file;

const char* const k_account = "IRsandbox0001";

std::map<std::string, std::string> env_for(const Sandbox& s) {
  auto env = testing::base_environment();
  env["IMPACT_ACCOUNT_SID"] = k_account;
  env["IMPACT_AUTH_TOKEN"] = "sandbox-token";
  env["IMPACT_API_BASE"] = s.base_url();
  env["IMPACT_PROGRAM_ID"] = "1001";
  return env;
}

RunResult tool(const Sandbox& s, std::vector<std::string> args) {
  return testing::run_binary(PI_BINARY, RunSpec{std::move(args), env_for(s), std::nullopt, {}});
}

fs::path write_rows(const TempDir& tmp, int count) {
  std::string csv = "Partner Name,Contact Email,Media Property\n";
  for (int n = 1; n <= count; ++n) {
    std::string i = std::to_string(n);
    csv += "Partner " + i + ",p" + i + "@budget.example,https://p" + i + ".budget.example\n";
  }
  write_file(tmp / "p.csv", csv);
  return tmp / "p.csv";
}

// What one window of the account saw: the tool's requests, the others', 429s.
struct Window {
  long tool = 0;
  long others = 0;
  long refused = 0;
};

std::vector<Window> windows_of(const json& state) {
  std::vector<Window> out;
  for (const auto& w : state["rate_windows"][k_account]) {
    Window window;
    window.refused = w["refused"].get<long>();
    for (const auto& [client, n] : w["clients"].items()) {
      (client.starts_with("prospect-import/") ? window.tool : window.others) += n.get<long>();
    }
    out.push_back(window);
  }
  return out;
}

std::size_t write_nothing(char*, std::size_t size, std::size_t n, void*) { return size * n; }

// Another integration of the same account: a listing of the programs, as
// curl sends it; returns the answer's status.
long other_integration_request(const Sandbox& s) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  const std::string url = s.base_url() + "/Advertisers/" + k_account + "/Campaigns";
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl.get(), CURLOPT_USERPWD, "IRsandbox0001:sandbox-token");
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "other-integration/1");
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, write_nothing);
  if (curl_easy_perform(curl.get()) != CURLE_OK) return 0;
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  return status;
}

// A sandbox window of 4 s allowing 20 requests; the tool may spend 10 of each.
// Meanwhile another integration sends 2 requests a second (8 a window): with
// the tool's half, neither is ever refused.
TEST(BudgetEndToEnd, HalfTheShareHoldsInEveryWindowWhileAnotherIntegrationSpends) {
  Sandbox sandbox({"--rate-limit", "20", "--window", "4"});
  TempDir tmp;
  const fs::path file = write_rows(tmp, 30);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::atomic<bool> done{false};
  std::atomic<int> others_refused{0};
  std::thread other([&] {
    while (!done) {
      if (other_integration_request(sandbox) != 200) ++others_refused;
      std::this_thread::sleep_for(500ms);
    }
  });
  RunResult r = tool(sandbox, {"--budget-share", "50", "--concurrency", "4", "--report-dir",
                               (tmp / "report").string(), file.string()});
  done = true;
  other.join();
  curl_global_cleanup();

  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("sending 30 valid rows to program 1001; at the budget (10 requests "
                               "a window: 50 % of the API's limit of 20) that takes at least "));
  const json state = sandbox.state();
  const auto windows = windows_of(state);
  long tool_requests = 0;
  for (std::size_t i = 0; i < windows.size(); ++i) {
    EXPECT_LE(windows[i].tool, 10) << "window " << i << ": at most 50 % of 20";
    EXPECT_EQ(windows[i].refused, 0) << "window " << i;
    tool_requests += windows[i].tool;
  }
  EXPECT_EQ(tool_requests, 31) << "the groups listing and 30 rows, every one counted";
  EXPECT_GE(windows.size(), 4u);
  EXPECT_EQ(others_refused, 0) << "the other integration kept its half";
  EXPECT_EQ(state["counters"]["creates"], 30);
}

// --max-rate 3600 is one request a second: never more than 2 in a 2 s window,
// however much the API would allow.
TEST(BudgetEndToEnd, MaxRateSpacesEveryRequestListingsIncluded) {
  Sandbox sandbox({"--rate-limit", "1000", "--window", "2"});
  TempDir tmp;
  const fs::path file = write_rows(tmp, 5);
  const auto started = std::chrono::steady_clock::now();
  RunResult r = tool(sandbox, {"--max-rate", "3600", "--dry-run", "--report-dir",
                               (tmp / "report").string(), file.string()});
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 6 requests (the groups listing and 5 rows) a second apart: the 5 rows
  // alone take 4 s. A slow machine only makes it longer.
  EXPECT_GE(took, std::chrono::milliseconds(3900));
  EXPECT_THAT(r.err, HasSubstr("sending 5 valid rows to program 1001 as a dry run (it spends the "
                               "budget as an import does); at the budget (1000 requests a "
                               "window: the API's limit; at most 3600 requests an hour) that "
                               "takes at least 4s"));
  const auto windows = windows_of(sandbox.state());
  long tool_requests = 0;
  for (std::size_t i = 0; i < windows.size(); ++i) {
    // Sent a second apart, 2 a window; one more when a request's arrival was
    // delayed (the first one's connection set-up) and the next one's was not.
    EXPECT_LE(windows[i].tool, 3) << "window " << i;
    tool_requests += windows[i].tool;
  }
  EXPECT_EQ(tool_requests, 6);
  EXPECT_GE(windows.size(), 3u) << "6 requests a second apart span 3 windows of 2 s at least";
}

TEST(BudgetEndToEnd, AShareThatRoundsToNoRequestStopsAfterTheFirstAnswer) {
  Sandbox sandbox({"--rate-limit", "20"});
  TempDir tmp;
  RunResult r = tool(sandbox, {"--budget-share", "4", "--report-dir", (tmp / "report").string(),
                               write_rows(tmp, 3).string()});
  EXPECT_EQ(r.exit_code, 78) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--budget-share 4 leaves no request of the API's limit of 20 "
                               "requests a window (floor(4 x 20 / 100) = 0); raise "
                               "--budget-share"));
  EXPECT_EQ(sandbox.state()["counters"]["requests"], 1) << "only the groups listing";
}

}  // namespace
}  // namespace prospect_import
