#include "rate_limiter.h"

#include "test_support.h"

#include <gtest/gtest.h>

namespace prospect_sandbox {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;

TEST(RateLimiter, CountsDownWithinTheWindow) {
  FakeClock clock;
  RateLimiter limiter(2, 10s, clock);
  EXPECT_EQ(limiter.spend("A"), (RateStatus{true, 2, 1, 10}));
  clock.advance(3s);
  EXPECT_EQ(limiter.spend("A"), (RateStatus{true, 2, 0, 7}));
  EXPECT_EQ(limiter.spend("A"), (RateStatus{false, 2, 0, 7}));
}

TEST(RateLimiter, ResetIsRoundedUpAndAtLeastOne) {
  FakeClock clock;
  RateLimiter limiter(1, 10s, clock);
  limiter.spend("A");
  clock.advance(9500ms);
  EXPECT_EQ(limiter.spend("A"), (RateStatus{false, 1, 0, 1}));
  clock.advance(499ms);
  EXPECT_EQ(limiter.peek("A"), (RateStatus{true, 1, 0, 1}));
}

TEST(RateLimiter, ANewWindowOpensWhenTheOldOneEnds) {
  FakeClock clock;
  RateLimiter limiter(1, 10s, clock);
  limiter.spend("A");
  clock.advance(10s);
  EXPECT_EQ(limiter.peek("A"), (RateStatus{true, 1, 1, 10}));
  EXPECT_EQ(limiter.spend("A"), (RateStatus{true, 1, 0, 10}));
}

TEST(RateLimiter, AccountsHaveTheirOwnBudgets) {
  FakeClock clock;
  RateLimiter limiter(1, 10s, clock);
  limiter.spend("A");
  EXPECT_EQ(limiter.spend("B"), (RateStatus{true, 1, 0, 10}));
  EXPECT_FALSE(limiter.spend("A").allowed);
}

TEST(RateLimiter, PeekSpendsNothing) {
  FakeClock clock;
  RateLimiter limiter(1, 10s, clock);
  EXPECT_EQ(limiter.peek("A"), (RateStatus{true, 1, 1, 10}));
  EXPECT_TRUE(limiter.spend("A").allowed);
}

TEST(RateLimiter, KeepsEveryWindowWithWhatEachClientSent) {
  FakeClock clock;
  RateLimiter limiter(2, 10s, clock);
  limiter.spend("A", "prospect-import/1");
  limiter.spend("A", "other");
  limiter.spend("A", "prospect-import/1");  // refused
  clock.advance(12s);
  limiter.spend("A", "prospect-import/1");
  limiter.spend("B", "other");
  EXPECT_EQ(
      to_text(limiter.windows_json()),
      R"({"A":[{"start_ms":0,"used":2,"refused":1,"clients":{"other":1,"prospect-import/1":2}},)"
      R"({"start_ms":12000,"used":1,"refused":0,"clients":{"prospect-import/1":1}}],)"
      R"("B":[{"start_ms":0,"used":1,"refused":0,"clients":{"other":1}}]})");
}

}  // namespace
}  // namespace prospect_sandbox
