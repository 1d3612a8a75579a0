#include "prospect_import/budget.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "prospect_import/pacer.h"

namespace prospect_import {
namespace {

using namespace std::chrono_literals;
using TimePoint = Budget::TimePoint;
using Duration = Budget::Duration;

const TimePoint k_t0 = TimePoint{} + std::chrono::hours(1000);

RateInfo rate(long limit, long remaining, long reset_s) {
  return RateInfo{limit, remaining, std::chrono::seconds(reset_s), HeaderValue::usable};
}

BudgetSettings share(int percent) { return BudgetSettings{percent, std::nullopt}; }

TEST(Budget, NothingIsKnownBeforeAnAnswerSaysTheLimit) {
  Budget budget(share(50));
  budget.sent(k_t0);
  EXPECT_FALSE(budget.share(k_t0));
  EXPECT_FALSE(budget.per_window());
  budget.observe(RateInfo{}, k_t0, k_t0 + 1s);  // a proxy's page
  EXPECT_FALSE(budget.share(k_t0 + 1s));
}

TEST(Budget, TheShareIsTheFloorOfPercentTimesLimit) {
  for (auto [percent, limit, expected] :
       {std::tuple{50, 1000L, 500L}, {50, 21L, 10L}, {33, 10L, 3L}, {100, 7L, 7L}, {1, 99L, 0L}}) {
    Budget budget(share(percent));
    budget.observe(rate(limit, limit, 60), k_t0, k_t0);
    EXPECT_EQ(budget.per_window(), expected) << percent << " % of " << limit;
  }
  Budget huge(share(50));
  huge.observe(rate(std::numeric_limits<long>::max(), 1, 60), k_t0, k_t0);
  EXPECT_EQ(huge.per_window(), std::numeric_limits<long>::max() / 2) << "no overflow";
}

TEST(Budget, CountsItsOwnRequestsNotWhatOthersSpent) {
  Budget budget(share(50));
  budget.sent(k_t0);
  // Other integrations have spent 60 of the 100: Remaining does not lower the share.
  budget.observe(rate(100, 39, 600), k_t0, k_t0 + 100ms);
  for (int i = 0; i < 9; ++i) budget.sent(k_t0 + 1s);
  auto left = budget.share(k_t0 + 2s);
  ASSERT_TRUE(left);
  EXPECT_EQ(left->left, 40) << "50 of 100, 10 sent by this process";
  EXPECT_EQ(left->ends, k_t0 + 100ms + 601s) << "the latest the window can end";
}

TEST(Budget, ANewWindowCountsOnlyTheRequestsSentAfterTheOldOneCouldHaveEnded) {
  Budget budget(share(50));
  budget.sent(k_t0);
  budget.observe(rate(20, 19, 10), k_t0, k_t0 + 10ms);  // ends in [t0 + 9 s, t0 + 11.01 s]
  for (auto at : {1s, 2s, 8s, 9s, 10s, 11s}) budget.sent(k_t0 + at);
  EXPECT_EQ(budget.share(k_t0 + 11s)->left, 3);
  // At t0 + 11.01 s the window is over for sure: what went from t0 + 9 s on may
  // be in the next one.
  auto next = budget.share(k_t0 + 11s + 10ms);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->left, 7) << "3 of the 10 sent may count in the new window";
}

TEST(Budget, AnAnswerFromALaterWindowStartsItAtOnce) {
  Budget budget(share(50));
  budget.sent(k_t0);
  budget.observe(rate(20, 19, 60), k_t0, k_t0 + 10ms);
  for (int i = 0; i < 9; ++i) budget.sent(k_t0 + 30s);
  EXPECT_EQ(budget.share(k_t0 + 30s)->left, 0);
  budget.sent(k_t0 + 61s + 10ms);  // the window reset
  budget.observe(rate(20, 19, 60), k_t0 + 61s + 10ms, k_t0 + 61s + 20ms);
  auto left = budget.share(k_t0 + 61s + 20ms);
  EXPECT_EQ(left->left, 9);
  EXPECT_EQ(left->ends, k_t0 + 61s + 20ms + 61s);
}

// A window of 2 s, Reset rounded up: the bounds of two windows overlap, but a
// request sent after an answer came that is told a longer Reset is in a new one.
TEST(Budget, ALongerResetForALaterRequestIsANewWindow) {
  Budget budget(share(50));
  budget.sent(k_t0);
  budget.observe(rate(20, 19, 2), k_t0, k_t0 + 5ms);  // ends in [t0 + 1 s, t0 + 3.005 s]
  budget.sent(k_t0 + 1500ms);
  budget.observe(rate(20, 18, 1), k_t0 + 1500ms, k_t0 + 1505ms);  // [t0 + 1.5 s, t0 + 3.005 s]
  EXPECT_EQ(budget.share(k_t0 + 1505ms)->left, 8);
  budget.sent(k_t0 + 2s);  // the server's window ended at t0 + 2 s
  budget.observe(rate(20, 19, 2), k_t0 + 2s, k_t0 + 2005ms);  // [t0 + 3 s, t0 + 5.005 s]
  auto left = budget.share(k_t0 + 3100ms);
  ASSERT_TRUE(left);
  EXPECT_EQ(left->ends, k_t0 + 5005ms) << "the new window's end";
  EXPECT_EQ(left->left, 8) << "it holds what went from t0 + 1.5 s on (the old one's earliest end)";
}

TEST(Budget, AnAnswerOfAWindowThatIsOverChangesNothing) {
  Budget budget(share(50));
  budget.sent(k_t0);
  budget.observe(rate(20, 19, 60), k_t0 + 100s, k_t0 + 100s);  // ends t0 + 159..161 s
  const auto before = budget.share(k_t0 + 100s);
  budget.observe(rate(20, 3, 2), k_t0 + 10s, k_t0 + 100s);  // a window that ended by t0 + 102 s
  EXPECT_EQ(budget.share(k_t0 + 100s)->ends, before->ends);
  EXPECT_EQ(budget.share(k_t0 + 100s)->left, before->left);
}

TEST(Budget, WithoutAnAnswerTheNextWindowEndsAWindowAfterTheLastRequestAtTheLatest) {
  Budget budget(share(50));
  budget.sent(k_t0);
  budget.observe(rate(4, 3, 10), k_t0, k_t0);  // per window: 2
  budget.sent(k_t0 + 1s);
  EXPECT_EQ(budget.share(k_t0 + 1s)->left, 0);
  EXPECT_EQ(budget.share(k_t0 + 11s)->left, 2) << "over: a new window";
  budget.sent(k_t0 + 11s);
  budget.sent(k_t0 + 12s);  // their answers were lost: nothing says when this window ends
  auto left = budget.share(k_t0 + 12s);
  EXPECT_EQ(left->left, 0);
  EXPECT_EQ(left->ends, k_t0 + 12s + 11s) << "the window of the last one ends by then";
  EXPECT_EQ(budget.share(k_t0 + 23s)->left, 2);
}

TEST(Budget, MaxRateSpacesRequestsSoThatNoHourHoldsMore) {
  Budget budget(BudgetSettings{100, 7});
  EXPECT_EQ(budget.rate_gate(), TimePoint{}) << "the first goes at once";
  budget.sent(k_t0);
  const Duration gap = budget.rate_gate() - k_t0;
  EXPECT_GE(gap * 7, Duration(1h)) << "rounded up: 8 requests never fit in an hour";
  EXPECT_LT(gap * 7, Duration(1h) + 7ns);
  EXPECT_EQ(Budget(BudgetSettings{100, 3600}).spacing(), Duration(1s));
  EXPECT_FALSE(Budget().spacing());
}

TEST(Budget, AShareOfATinyLimitThatRoundsToNothingIsAProblem) {
  Budget budget(share(50));
  EXPECT_FALSE(budget.problem());
  budget.observe(rate(1, 1, 60), k_t0, k_t0);
  EXPECT_EQ(budget.problem(),
            "--budget-share 50 leaves no request of the API's limit of 1 requests a window "
            "(floor(50 x 1 / 100) = 0); raise --budget-share");
  budget.observe(rate(2, 1, 60), k_t0, k_t0);
  EXPECT_FALSE(budget.problem());
}

// ---- The pacer with a share, against a simulated API -----------------------

// impact.com's budget as the sandbox keeps it: a fixed window per account that
// opens with its first request; Reset rounded up (or down), whole seconds.
class FakeApi {
 public:
  FakeApi(long limit, Duration window, bool round_up)
      : m_limit(limit), m_window(window), m_round_up(round_up) {}

  // A request reaching the server at `t`, from this process (`mine`) or another.
  RateInfo serve(TimePoint t, bool mine) {
    if (m_windows.empty() || t >= m_start + m_window) {
      m_start = t;
      m_windows.push_back({});
    }
    Window& w = m_windows.back();
    const bool allowed = w.used < m_limit;
    if (allowed) ++w.used;
    if (mine) ++w.mine;
    if (!allowed && mine) ++m_refused;
    const double left = std::chrono::duration<double>(m_start + m_window - t).count();
    long reset = static_cast<long>(m_round_up ? std::ceil(left) : std::floor(left));
    if (w.used >= m_limit) reset = std::max(reset, 1L);
    return rate(m_limit, m_limit - w.used, reset);
  }

  struct Window {
    long used = 0;
    long mine = 0;
  };
  const std::vector<Window>& windows() const { return m_windows; }
  long refused() const { return m_refused; }

 private:
  long m_limit;
  Duration m_window;
  bool m_round_up;
  TimePoint m_start{};
  std::vector<Window> m_windows;
  long m_refused = 0;
};

struct Flight {
  TimePoint sent;
  TimePoint served;
  TimePoint answered;
};

struct Scenario {
  long limit = 20;
  Duration window = 10s;
  bool round_up = true;
  BudgetSettings settings;
  int requests = 120;
  int concurrency = 4;
  Duration latency = 150ms;
  int others_per_window = 0;  // spent by another integration at each window's start
};

// Sends `requests` through a pacer as the sender does (polling every 10 ms),
// each served halfway through its latency; returns the API's windows.
FakeApi simulate(const Scenario& s) {
  FakeApi api(s.limit, s.window, s.round_up);
  Pacer pacer(1, s.settings);
  std::vector<Flight> flights;
  std::size_t windows_seen = 0;
  int sent = 0;
  TimePoint now = k_t0;
  while (sent < s.requests || !flights.empty()) {
    for (auto it = flights.begin(); it != flights.end();) {
      if (it->answered > now) {
        ++it;
        continue;
      }
      RateInfo info = api.serve(it->served, true);
      if (api.windows().size() != windows_seen) {
        windows_seen = api.windows().size();
        for (int i = 0; i < s.others_per_window; ++i) info = api.serve(it->served, false);
      }
      pacer.observe(info, now, flights.size() - 1, it->sent);
      it = flights.erase(it);
    }
    while (sent < s.requests && static_cast<int>(flights.size()) < s.concurrency &&
           pacer.next_send(now, static_cast<std::uint64_t>(s.requests - sent)) <= now) {
      pacer.sent(now);
      flights.push_back({now, now + s.latency / 2, now + s.latency});
      ++sent;
    }
    now += 10ms;
  }
  return api;
}

void expect_at_most_per_window(const FakeApi& api, long most, const std::string& what) {
  for (std::size_t i = 0; i < api.windows().size(); ++i)
    EXPECT_LE(api.windows()[i].mine, most) << what << ": window " << i;
  EXPECT_EQ(api.refused(), 0) << what;
}

TEST(PacerBudget, HalfTheLimitInEveryWindowHoweverResetIsRounded) {
  for (bool round_up : {true, false}) {
    for (Duration window : {Duration(3s), Duration(10s), Duration(60s)}) {
      Scenario s;
      s.window = window;
      s.round_up = round_up;
      s.settings = share(50);
      FakeApi api = simulate(s);
      std::string what =
          std::string(round_up ? "up" : "down") + ", window " +
          std::to_string(std::chrono::duration_cast<std::chrono::seconds>(window).count());
      expect_at_most_per_window(api, 10, what);
      EXPECT_GE(api.windows().size(), 12u) << what << ": 120 requests at 10 a window";
      EXPECT_LE(api.windows().size(), 36u) << what << ": the share is used, not wasted";
    }
  }
}

TEST(PacerBudget, TheShareHoldsWhileAnotherIntegrationSpendsTheRest) {
  Scenario s;
  s.settings = share(50);
  s.others_per_window = 10;  // the other half
  FakeApi api = simulate(s);
  expect_at_most_per_window(api, 10, "with another integration");
}

TEST(PacerBudget, ThePercentOfAnyLimit) {
  Scenario s;
  s.limit = 1000;
  s.window = 60s;
  s.settings = share(25);
  s.requests = 700;
  s.concurrency = 8;
  s.latency = 20ms;
  FakeApi api = simulate(s);
  expect_at_most_per_window(api, 250, "25 % of 1000");
  EXPECT_LE(api.windows().size(), 5u);
}

TEST(PacerBudget, MaxRateHoldsInEveryHourAndEveryWindow) {
  Scenario s;
  s.limit = 1000;
  s.window = 60s;
  s.settings = BudgetSettings{100, 120};  // one every 30 s
  s.requests = 10;
  FakeApi api = simulate(s);
  expect_at_most_per_window(api, 2, "--max-rate 120 in 60 s windows");
}

TEST(PacerBudget, EtaAtTheShareAndAtTheMaxRate) {
  Pacer pacer(1, share(50));
  pacer.sent(k_t0);
  pacer.observe(rate(1000, 999, 3600), k_t0, 0, k_t0);  // 500 a window for this process
  // 499 left in this window (ends t0 + 3601 s at the latest), then 500 a window.
  EXPECT_EQ(pacer.limit_eta(k_t0, 499), Duration::zero());
  EXPECT_EQ(pacer.limit_eta(k_t0, 500), Duration(3601s));
  EXPECT_EQ(pacer.limit_eta(k_t0, 1499), Duration(3601s + 3600s));

  Pacer rated(1, BudgetSettings{100, 60});
  EXPECT_EQ(rated.limit_eta(k_t0, 1), Duration::zero());
  EXPECT_EQ(rated.limit_eta(k_t0, 61), Duration(1h)) << "one a minute, the first at once";
  rated.sent(k_t0);
  EXPECT_EQ(rated.limit_eta(k_t0, 1), Duration(60s));
}

TEST(PacerBudget, WaitsForTheWindowToEndWhenItsShareIsSpent) {
  Pacer pacer(1, share(50));
  pacer.sent(k_t0);
  pacer.observe(rate(4, 3, 30), k_t0, 0, k_t0);  // 2 a window; the window ends by t0 + 31 s
  pacer.sent(k_t0);
  EXPECT_EQ(pacer.next_send(k_t0, 10), k_t0 + 31s) << "the API would allow 2 more";
  EXPECT_EQ(pacer.next_send(k_t0 + 31s, 10), k_t0 + 31s);
}

}  // namespace
}  // namespace prospect_import
