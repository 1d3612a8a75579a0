#include "prospect_import/session.h"

#include <gtest/gtest.h>

#include "fake_http.h"

namespace prospect_import {
namespace {

using namespace std::chrono_literals;
using testing::answer;
using testing::FakeClock;
using testing::FakeHttp;

const char* k_groups_page = R"({"Groups": [{"Id": "77", "Name": "Bloggers"}], "@nextpageuri": ""})";

// Sleeps by moving the fake clock, and remembers how long each sleep was.
class RecordingSleeper final : public Sleeper {
 public:
  explicit RecordingSleeper(FakeClock& clock) : m_clock(clock) {}
  void sleep_until(Clock::TimePoint deadline) override {
    if (deadline <= m_clock.now()) return;
    slept.push_back(deadline - m_clock.now());
    m_clock.set(deadline);
  }
  std::vector<Clock::Duration> slept;

 private:
  FakeClock& m_clock;
};

// The listings' loop around 429s (issue 7, item 4), on a fake clock.
class SessionTest : public ::testing::Test {
 protected:
  Result<std::vector<Group>> list_groups() {
    Session session(http, pacer, clock, sleeper, ApiTarget{"https://api.example", "IRabc", "1001"}, 5);
    auto groups = session.list_groups();
    rate_limited = session.rate_limited();
    return groups;
  }

  FakeClock clock;
  FakeHttp http{clock};
  RecordingSleeper sleeper{clock};
  std::vector<Clock::Duration>& slept = sleeper.slept;
  Pacer pacer{9};
  std::uint64_t rate_limited = 0;
};

TEST_F(SessionTest, TooManyRequestsWithAHugeResetWaitsAnHourThenLists) {
  http.script(1, {answer(429, "{}", {{"x-ratelimit-reset", "9300000000"}})});
  http.set_responder([](const HttpRequest&, Clock::TimePoint) { return answer(200, k_groups_page); });
  auto groups = list_groups();
  ASSERT_TRUE(groups) << groups.error().message;
  ASSERT_EQ(slept.size(), 1u);
  EXPECT_EQ(slept[0], 1h) << "an hour, the cap, from the answer";
  EXPECT_EQ(groups->size(), 1u);
  EXPECT_EQ(rate_limited, 1u);
}

TEST_F(SessionTest, TooManyRequestsWithoutAUsableResetBacksOffThenStops) {
  http.set_responder([](const HttpRequest&, Clock::TimePoint) {
    return answer(429, "{}", {{"x-ratelimit-reset", "-3"}});
  });
  auto groups = list_groups();
  ASSERT_FALSE(groups);
  EXPECT_EQ(groups.error().code, ExitCode::unavailable);
  EXPECT_EQ(groups.error().message,
            "the API answered 429 (too many requests) 10 times in a row without a usable "
            "X-RateLimit-Reset header (the last one's was negative), so when to send again is "
            "unknown; try again later");
  EXPECT_EQ(http.sent().size(), 10u);
  EXPECT_EQ(rate_limited, 10u);
  ASSERT_EQ(slept.size(), 9u);
  const double nominal[] = {1, 2, 4, 8, 16, 32, 60, 60, 60};
  for (std::size_t i = 0; i < slept.size(); ++i) {
    double s = std::chrono::duration<double>(slept[i]).count();
    EXPECT_GE(s, nominal[i]) << "wait " << i;
    EXPECT_LE(s, nominal[i] + 1.25) << "wait " << i;
  }
}

}  // namespace
}  // namespace prospect_import
