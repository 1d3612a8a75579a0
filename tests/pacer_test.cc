#include "prospect_import/pacer.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace prospect_import {
namespace {

using namespace std::chrono_literals;
using TimePoint = Pacer::TimePoint;
using Duration = Pacer::Duration;

const TimePoint k_t0 = TimePoint{} + std::chrono::hours(1000);

RateInfo rate(long limit, long remaining, long reset_s) { return RateInfo{limit, remaining, reset_s}; }

double seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

// Sends `count` requests as the sender does: polls next_send every 100 ms
// and sends as soon as it allows. Returns the send times.
std::vector<TimePoint> send_times(Pacer& pacer, TimePoint start, std::uint64_t rows_left, int count) {
  std::vector<TimePoint> times;
  TimePoint now = start;
  while (static_cast<int>(times.size()) < count) {
    if (pacer.next_send(now, rows_left) <= now) {
      pacer.sent(now);
      times.push_back(now);
      --rows_left;
    } else {
      now += 100ms;
    }
  }
  return times;
}

TEST(Pacer, NothingKnownMeansNoWaiting) {
  Pacer pacer(1);
  EXPECT_EQ(pacer.next_send(k_t0, 1'000'000), k_t0);
  pacer.sent(k_t0);
  EXPECT_EQ(pacer.next_send(k_t0, 1'000'000), k_t0);
  EXPECT_FALSE(pacer.window_reset());
}

TEST(Pacer, NoWaitingWhileTheBudgetCoversEveryRowLeft) {
  Pacer pacer(1);
  pacer.observe(rate(1000, 100, 3000), k_t0, 0);
  EXPECT_EQ(pacer.limit(), 1000);
  EXPECT_EQ(pacer.window_reset(), k_t0 + 3000s);
  auto times = send_times(pacer, k_t0, 100, 100);
  EXPECT_EQ(times.front(), k_t0);
  EXPECT_EQ(times.back(), k_t0) << "all 100 rows fit the budget of 100: no spreading";
}

TEST(Pacer, SpreadsTheBudgetWhenRowsExceedIt) {
  Pacer pacer(1);
  pacer.observe(rate(1000, 10, 100), k_t0, 0);
  auto times = send_times(pacer, k_t0, 1000, 10);
  EXPECT_EQ(times.front(), k_t0) << "the first request goes at once";
  for (std::size_t i = 1; i < times.size(); ++i) {
    double gap = seconds(times[i] - times[i - 1]);
    EXPECT_GE(gap, 9.5) << "send " << i;
    EXPECT_LE(gap, 10.5) << "send " << i;
  }
  EXPECT_LT(times.back(), k_t0 + 100s) << "the whole budget is used within its window";
}

TEST(Pacer, WaitsForTheResetWhenTheBudgetIsSpent) {
  Pacer pacer(1);
  pacer.observe(rate(1000, 0, 30), k_t0, 0);
  EXPECT_EQ(pacer.next_send(k_t0, 5), k_t0 + 30s);
  EXPECT_EQ(pacer.next_send(k_t0 + 10s, 5), k_t0 + 30s);
  EXPECT_EQ(pacer.next_send(k_t0 + 30s, 5), k_t0 + 30s) << "a new window: no waiting";
}

TEST(Pacer, SpendingTheLastOfTheBudgetWaitsForTheReset) {
  Pacer pacer(1);
  pacer.observe(rate(1000, 2, 60), k_t0, 0);
  pacer.sent(k_t0);
  pacer.sent(k_t0);
  EXPECT_EQ(pacer.next_send(k_t0, 3), k_t0 + 60s);
}

TEST(Pacer, RequestsInFlightCountAsSpent) {
  Pacer pacer(1);
  pacer.observe(rate(1000, 3, 60), k_t0, 3);
  EXPECT_EQ(pacer.next_send(k_t0, 1), k_t0 + 60s);
}

TEST(Pacer, TooManyRequestsPausesAtLeastTheReset) {
  std::set<Duration> pauses;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Pacer pacer(seed);
    pacer.rate_limited(rate(1000, 0, 30), k_t0, 0);
    Duration pause = pacer.next_send(k_t0, 1) - k_t0;
    EXPECT_GE(pause, 30s) << "seed " << seed;
    EXPECT_LE(pause, 32s) << "seed " << seed << ": only a little jitter";
    pauses.insert(pause);
  }
  EXPECT_GT(pauses.size(), 1u) << "jitter spreads clients apart";
}

TEST(Pacer, TooManyRequestsPauseIsCappedAtAnHour) {
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    Pacer pacer(seed);
    pacer.rate_limited(rate(1000, 0, 7 * 24 * 3600), k_t0, 0);
    Duration pause = pacer.next_send(k_t0, 1) - k_t0;
    EXPECT_GE(pause, 1h - 1s) << "seed " << seed;
    EXPECT_LE(pause, 1h + 2s) << "seed " << seed << " (an hour plus a little jitter at most)";
  }
}

TEST(Pacer, TooManyRequestsWithoutHeadersStillPauses) {
  Pacer pacer(7);
  pacer.rate_limited(RateInfo{}, k_t0, 0);
  TimePoint next = pacer.next_send(k_t0, 1);
  EXPECT_GE(next, k_t0 + 1s);
  EXPECT_LE(next, k_t0 + 5s);
  EXPECT_EQ(pacer.next_send(next, 1), next) << "sending resumes after the pause";
}

TEST(Pacer, BackoffDoublesWithJitterUpToAMinute) {
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    Pacer pacer(seed);
    for (int attempt = 1; attempt <= 10; ++attempt) {
      double nominal = std::min(60.0, static_cast<double>(1 << (attempt - 1)));
      double d = seconds(pacer.backoff(attempt));
      EXPECT_GE(d, nominal * 0.5) << "seed " << seed << " attempt " << attempt;
      EXPECT_LE(d, nominal) << "seed " << seed << " attempt " << attempt;
    }
    double far = seconds(pacer.backoff(1000));
    EXPECT_GE(far, 30.0);
    EXPECT_LE(far, 60.0);
  }
}

TEST(Pacer, BackoffJitterVariesAndFollowsTheSeed) {
  Pacer a(42), b(42), c(43);
  std::set<Duration> seen;
  for (int i = 0; i < 10; ++i) {
    Duration da = a.backoff(3);
    EXPECT_EQ(da, b.backoff(3)) << "the same seed gives the same delays";
    seen.insert(da);
    seen.insert(c.backoff(3));
  }
  EXPECT_GT(seen.size(), 5u) << "retries of many rows are not synchronised";
}

TEST(Pacer, AnswersWithoutHeadersTeachNothing) {
  Pacer fresh(1);
  fresh.observe(RateInfo{}, k_t0, 0);
  EXPECT_EQ(fresh.next_send(k_t0, 1000), k_t0);
  fresh.observe(RateInfo{1000, 0, std::nullopt}, k_t0, 0);
  EXPECT_EQ(fresh.next_send(k_t0, 1000), k_t0) << "Remaining without Reset teaches nothing";

  Pacer spent(1);
  spent.observe(rate(1000, 0, 30), k_t0, 0);
  spent.observe(RateInfo{}, k_t0 + 1s, 0);  // a proxy's 502 page
  EXPECT_EQ(spent.next_send(k_t0 + 1s, 5), k_t0 + 30s) << "the known budget is not forgotten";
  EXPECT_EQ(spent.limit(), 1000);
}

}  // namespace
}  // namespace prospect_import

namespace prospect_import {
namespace {

// The progress line's time left: 5,000 rows under 1,000 an hour, 400 left in a
// window that resets in 30 minutes, take that half hour plus four more windows.
TEST(PacerEta, TimeLeftIsWhatTheLimitAllows) {
  Pacer pacer(1);
  EXPECT_FALSE(pacer.limit_eta(k_t0, 5000)) << "nothing known yet";
  pacer.observe(rate(1000, 999, 3600), k_t0, 0);  // the first answer of a window: its length
  pacer.observe(rate(1000, 400, 1800), k_t0 + 1800s, 0);
  EXPECT_EQ(pacer.limit_eta(k_t0 + 1800s, 400), Duration::zero()) << "fits in what is left";
  EXPECT_EQ(pacer.limit_eta(k_t0 + 1800s, 5000), Duration(1800s + 4 * 3600s));
  EXPECT_EQ(pacer.limit_eta(k_t0 + 1800s, 1400), Duration(1800s));
  EXPECT_EQ(pacer.limit_eta(k_t0 + 1800s, 1401), Duration(1800s + 3600s));
}

}  // namespace
}  // namespace prospect_import
