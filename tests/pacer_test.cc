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

RateInfo rate(long limit, long remaining, long reset_s) {
  return RateInfo{limit, remaining, std::chrono::seconds(reset_s), HeaderValue::usable};
}

// A 429 whose X-RateLimit-Reset was absent, not a number or negative.
RateInfo unusable(HeaderValue why) { return RateInfo{1000, 0, std::nullopt, why}; }

double seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

// Sends `count` requests as the sender does: polls next_send every 100 ms
// and sends as soon as it allows. Returns the send times.
std::vector<TimePoint> send_times(Pacer& pacer, TimePoint start, std::uint64_t rows_left,
                                  int count) {
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
    EXPECT_EQ(pacer.rate_limited(rate(1000, 0, 30), k_t0, 0), RateLimitAction::wait);
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
    EXPECT_EQ(pacer.rate_limited(rate(1000, 0, 7 * 24 * 3600), k_t0, 0), RateLimitAction::wait);
    Duration pause = pacer.next_send(k_t0, 1) - k_t0;
    EXPECT_GE(pause, 1h - 1s) << "seed " << seed;
    EXPECT_LE(pause, 1h + 2s) << "seed " << seed << " (an hour plus a little jitter at most)";
  }
}

TEST(Pacer, TooManyRequestsWithoutHeadersStillPauses) {
  Pacer pacer(7);
  EXPECT_EQ(pacer.rate_limited(RateInfo{}, k_t0, 0), RateLimitAction::wait);
  TimePoint next = pacer.next_send(k_t0, 1);
  EXPECT_GE(next, k_t0 + 1s);
  EXPECT_LE(next, k_t0 + 5s);
  EXPECT_EQ(pacer.next_send(next, 1), next) << "sending resumes after the pause";
}

// Issue 7, item 4: "above 3,600 s waits 3,600 s", also for a Reset that
// overflowed before (9.3e9 s) and the saturated largest one.
TEST(Pacer, TooManyRequestsWithAHugeResetWaitsExactlyTheHourCap) {
  for (auto reset :
       {std::chrono::seconds(3601), std::chrono::seconds(9'300'000'000), k_max_reset}) {
    Pacer pacer(3);
    RateInfo info{1000, 0, reset, HeaderValue::usable};
    EXPECT_EQ(pacer.rate_limited(info, k_t0, 0), RateLimitAction::wait);
    EXPECT_EQ(pacer.next_send(k_t0, 1), k_t0 + 1h) << reset.count();
    EXPECT_EQ(pacer.next_send(k_t0 + 1h, 1), k_t0 + 1h) << "and then sends again";
  }
}

// Garbage, negative or absent Reset on a 429: 1 s doubling to 60 s, a little
// jitter on top; the 10th such 429 in a row gives up instead of waiting.
TEST(Pacer, TooManyRequestsWithoutAUsableResetBacksOffThenGivesUp) {
  for (HeaderValue why : {HeaderValue::absent, HeaderValue::garbage, HeaderValue::negative}) {
    Pacer pacer(5);
    TimePoint now = k_t0;
    const double nominal[] = {1, 2, 4, 8, 16, 32, 60, 60, 60};
    for (double expected : nominal) {
      ASSERT_EQ(pacer.rate_limited(unusable(why), now, 0), RateLimitAction::wait);
      double waited = seconds(pacer.next_send(now, 1) - now);
      EXPECT_GE(waited, expected);
      EXPECT_LE(waited, expected + 1.25) << "only a little jitter";
      now = pacer.next_send(now, 1);
    }
    EXPECT_EQ(pacer.rate_limited(unusable(why), now, 0), RateLimitAction::give_up)
        << "the 10th in a row";
  }
}

TEST(Pacer, AUsableResetOrAnotherAnswerEndsTheRowOfUnusableOnes) {
  Pacer pacer(5);
  for (int i = 0; i < 9; ++i)
    ASSERT_EQ(pacer.rate_limited(unusable(HeaderValue::garbage), k_t0, 0), RateLimitAction::wait);
  pacer.observe(rate(1000, 10, 60), k_t0, 0);  // an answer that is not a 429
  for (int i = 0; i < 9; ++i)
    ASSERT_EQ(pacer.rate_limited(unusable(HeaderValue::garbage), k_t0, 0), RateLimitAction::wait);
  ASSERT_EQ(pacer.rate_limited(rate(1000, 0, 5), k_t0, 0), RateLimitAction::wait);  // a usable 429
  for (int i = 0; i < 9; ++i)
    ASSERT_EQ(pacer.rate_limited(unusable(HeaderValue::absent), k_t0, 0), RateLimitAction::wait);
  EXPECT_EQ(pacer.rate_limited(unusable(HeaderValue::absent), k_t0, 0), RateLimitAction::give_up);
}

TEST(Pacer, GivingUpSaysWhyInAMessage) {
  EXPECT_EQ(unusable_resets_message(unusable(HeaderValue::garbage)),
            "the API answered 429 (too many requests) 10 times in a row without a usable "
            "X-RateLimit-Reset header (the last one's was not a number), so when to send again is "
            "unknown; try again later");
  EXPECT_EQ(unusable_resets_message(unusable(HeaderValue::negative)),
            "the API answered 429 (too many requests) 10 times in a row without a usable "
            "X-RateLimit-Reset header (the last one's was negative), so when to send again is "
            "unknown; try again later");
  EXPECT_EQ(unusable_resets_message(unusable(HeaderValue::absent)),
            "the API answered 429 (too many requests) 10 times in a row without a usable "
            "X-RateLimit-Reset header (the last one's was missing), so when to send again is "
            "unknown; try again later");
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

namespace prospect_import {
namespace {

// A fixed window of `window` opened by its first request, `limit` requests in
// it, Reset in whole seconds rounded up and at least 1: the sandbox's.
class FixedWindow {
 public:
  FixedWindow(long limit, Duration window) : m_limit(limit), m_window(window) {}
  RateInfo spend(TimePoint now, bool& allowed) {
    if (m_start == TimePoint{} || now >= m_start + m_window) {
      m_start = now;
      m_used = 0;
    }
    allowed = m_used < m_limit;
    if (allowed) ++m_used;
    auto reset = std::chrono::ceil<std::chrono::seconds>(m_start + m_window - now).count();
    return rate(m_limit, m_limit - m_used, std::max<long>(1, reset));
  }

 private:
  long m_limit;
  Duration m_window;
  TimePoint m_start{};
  long m_used = 0;
};

// Requests sent in `span` to a FixedWindow, answered at once, polled every ms.
struct Spent {
  int requests = 0;
  int refused = 0;
};
Spent spend_for(Pacer& pacer, FixedWindow& server, Duration span) {
  Spent spent;
  for (TimePoint now = k_t0; now < k_t0 + span; now += 1ms) {
    if (pacer.next_send(now, 1'000'000) > now) continue;
    pacer.sent(now);
    bool allowed = false;
    RateInfo answer = server.spend(now, allowed);
    ++spent.requests;
    if (allowed) {
      pacer.observe(answer, now, 0, now);
    } else {
      ++spent.refused;
      EXPECT_EQ(pacer.rate_limited(answer, now, 0, now), RateLimitAction::wait);
    }
  }
  return spent;
}

// Issue 10: a window of a second is always told Reset 1, and taking each
// answer's now + Reset for the window's end pushed the end a second ahead at
// every answer: the spacing grew towards the window's end, the window ended
// with its budget unspent, and a run used about 62 % of it.
TEST(Pacer, SpendsEveryWindowOfASecondThatIsAlwaysToldResetOne) {
  Pacer pacer(1);
  FixedWindow server(10, 1s);
  Spent spent = spend_for(pacer, server, 60s);
  EXPECT_EQ(spent.refused, 0);
  EXPECT_GE(spent.requests, 590) << "at least 98 % of 60 windows of 10";
  EXPECT_LE(spent.requests, 600);
}

TEST(Pacer, SpendsEveryLongWindowWithoutATooManyRequests) {
  Pacer pacer(1);
  FixedWindow server(100, 60s);
  Spent spent = spend_for(pacer, server, 600s);
  EXPECT_EQ(spent.refused, 0);
  EXPECT_GE(spent.requests, 990);
  EXPECT_LE(spent.requests, 1000);
}

TEST(Pacer, TheWindowsEndIsTheEarliestItsAnswersSay) {
  Pacer pacer(1);
  pacer.observe(rate(10, 9, 1), k_t0, 0, k_t0);
  pacer.observe(rate(10, 8, 1), k_t0 + 600ms, 0, k_t0 + 600ms);
  EXPECT_EQ(pacer.window_reset(), k_t0 + 1s) << "not moved by a later answer of the same window";
  pacer.observe(rate(10, 9, 1), k_t0 + 1100ms, 0, k_t0 + 1100ms);
  EXPECT_EQ(pacer.window_reset(), k_t0 + 2100ms) << "a request sent after its end: the next window";
  pacer.observe(rate(10, 0, 1), k_t0 + 1200ms, 0, k_t0 + 900ms);
  EXPECT_EQ(pacer.window_reset(), k_t0 + 2100ms)
      << "sent before the request that told of this window: maybe an answer of the one before";
}

}  // namespace
}  // namespace prospect_import

namespace prospect_import {
namespace {

// As spend_for, with `concurrency` requests in flight at most, each answered
// `latency` after it went (the server counts it when it goes).
Spent spend_in_flight(Pacer& pacer, FixedWindow& server, Duration span, std::size_t concurrency,
                      Duration latency) {
  struct Flight {
    TimePoint sent;
    TimePoint answered;
    RateInfo answer;
    bool allowed;
  };
  Spent spent;
  std::vector<Flight> flying;
  for (TimePoint now = k_t0; now < k_t0 + span; now += 1ms) {
    for (std::size_t i = 0; i < flying.size();) {
      if (flying[i].answered > now) {
        ++i;
        continue;
      }
      Flight f = flying[i];
      flying.erase(flying.begin() + static_cast<long>(i));
      if (f.allowed) {
        pacer.observe(f.answer, now, flying.size(), f.sent);
      } else {
        EXPECT_EQ(pacer.rate_limited(f.answer, now, flying.size(), f.sent), RateLimitAction::wait);
      }
    }
    while (flying.size() < concurrency && pacer.next_send(now, 1'000'000) <= now) {
      pacer.sent(now);
      Flight f{now, now + latency, {}, false};
      f.answer = server.spend(now, f.allowed);
      ++spent.requests;
      if (!f.allowed) ++spent.refused;
      flying.push_back(f);
    }
  }
  return spent;
}

// With more requests in flight than the limit, a window that no answer had
// told of yet began with --concurrency requests at once: 16 into a window of
// 10, six 429s a window (a third of all requests) and each a pause.
TEST(Pacer, AWindowNotYetToldOfTakesNoMoreThanTheLimit) {
  Pacer pacer(1);
  FixedWindow server(10, 1s);
  spend_for(pacer, server, 1ms);  // the groups listing, which tells the limit
  Spent spent = spend_in_flight(pacer, server, 30s, 16, 50ms);
  EXPECT_EQ(spent.refused, 0);
  EXPECT_GE(spent.requests, 280) << "at least 93 % of 30 windows of 10";
}

TEST(Pacer, AWindowNotYetToldOfIsNotWaitedForeverWhenNoAnswerComes) {
  Pacer pacer(1);
  pacer.observe(rate(2, 1, 1), k_t0, 0, k_t0);
  TimePoint now = k_t0 + 2s;  // that window is over; no answer tells of the next
  pacer.sent(now);
  pacer.sent(now);
  EXPECT_EQ(pacer.next_send(now, 100), now + 2s)
      << "the limit of 2 went; its window is over by then";
  EXPECT_EQ(pacer.next_send(now + 2s, 100), now + 2s);
}

}  // namespace
}  // namespace prospect_import

namespace prospect_import {
namespace {

TEST(Pacer, AnAnswerThatComesOutOfOrderDoesNotGiveBackTheBudget) {
  Pacer pacer(1);
  pacer.observe(rate(10, 9, 1), k_t0, 0, k_t0);  // the window's first
  for (int i = 0; i < 9; ++i) pacer.sent(k_t0 + 1ms);
  pacer.observe(rate(10, 0, 1), k_t0 + 5ms, 0, k_t0 + 1ms);  // the last counted came first
  pacer.observe(rate(10, 3, 1), k_t0 + 6ms, 0, k_t0 + 1ms);  // counted earlier, came later
  EXPECT_EQ(pacer.next_send(k_t0 + 6ms, 100), k_t0 + 1s)
      << "still spent: wait for the window's end";
}

}  // namespace
}  // namespace prospect_import
