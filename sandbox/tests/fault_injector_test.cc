#include "fault_injector.h"

#include <gtest/gtest.h>

#include <vector>

namespace prospect_sandbox {
namespace {

std::vector<int> statuses(FaultInjector& faults, int count) {
  std::vector<int> out;
  for (int i = 0; i < count; ++i) out.push_back(faults.injected_status().value_or(0));
  return out;
}

TEST(FaultInjector, TheSameSeedGivesTheSameChoices) {
  FaultInjector a(0.3, 0.5, 42);
  FaultInjector b(0.3, 0.5, 42);
  EXPECT_EQ(statuses(a, 200), statuses(b, 200));
  for (int i = 0; i < 200; ++i) EXPECT_EQ(a.drop_after_commit(), b.drop_after_commit());
}

TEST(FaultInjector, AnotherSeedGivesOtherChoices) {
  FaultInjector a(0.5, 0, 1);
  FaultInjector b(0.5, 0, 2);
  EXPECT_NE(statuses(a, 200), statuses(b, 200));
}

TEST(FaultInjector, DropsDoNotDependOnTheFailRate) {
  FaultInjector a(0.0, 0.5, 7);
  FaultInjector b(0.9, 0.5, 7);
  statuses(b, 50);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(a.drop_after_commit(), b.drop_after_commit());
}

TEST(FaultInjector, RatesZeroAndOne) {
  FaultInjector never(0, 0, 3);
  FaultInjector always(1, 1, 3);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(never.injected_status(), std::nullopt);
    EXPECT_FALSE(never.drop_after_commit());
    const int status = always.injected_status().value_or(0);
    EXPECT_TRUE(status == 500 || status == 503) << status;
    EXPECT_TRUE(always.drop_after_commit());
  }
}

TEST(FaultInjector, FailsAboutTheGivenFractionWithBothStatuses) {
  FaultInjector faults(0.25, 0, 11);
  const auto seen = statuses(faults, 10000);
  const auto count = [&](int status) { return std::count(seen.begin(), seen.end(), status); };
  EXPECT_NEAR(static_cast<double>(count(500) + count(503)) / 10000.0, 0.25, 0.02);
  EXPECT_GT(count(500), 0);
  EXPECT_GT(count(503), 0);
}

}  // namespace
}  // namespace prospect_sandbox
