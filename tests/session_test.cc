#include "prospect_import/session.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>

#include "fake_http.h"

namespace prospect_import {
namespace {

using namespace std::chrono_literals;
using testing::answer;
using testing::FakeClock;
using testing::FakeHttp;
using testing::rate_headers;

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
    Session session(http, pacer, clock, sleeper, ApiTarget{"https://api.example", "IRabc", "1001"},
                    5, *log);
    auto groups = session.list_groups();
    rate_limited = session.rate_limited();
    return groups;
  }

  FakeClock clock;
  FakeHttp http{clock};
  RecordingSleeper sleeper{clock};
  std::vector<Clock::Duration>& slept = sleeper.slept;
  Pacer pacer{9};
  std::shared_ptr<spdlog::logger> log =
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_st>());
  std::uint64_t rate_limited = 0;
};

TEST_F(SessionTest, TooManyRequestsWithAHugeResetWaitsAnHourThenLists) {
  http.script(1, {answer(429, "{}", {{"x-ratelimit-reset", "9300000000"}})});
  http.set_responder(
      [](const HttpRequest&, Clock::TimePoint) { return answer(200, k_groups_page); });
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

// --- the listings themselves: paging that would never end, messages, 429 waits said (issue 7,
// items 6, 10) ---

constexpr const char* k_base = "https://api.example/impact";
const std::string k_groups = "/Advertisers/IRabc/Campaigns/1001/MediaPartnerGroups";

std::string page_uri(int n) { return k_groups + "?Page=" + std::to_string(n) + "&PageSize=1000"; }

std::string page(int n, const std::string& num_pages, const std::string& next) {
  return R"({"@page": ")" + std::to_string(n) + R"(", "@numpages": ")" + num_pages +
         R"(", "@nextpageuri": ")" + next + R"(", "Groups": [{"Id": ")" + std::to_string(n) +
         R"(", "Name": "G)" + std::to_string(n) + R"("}]})";
}

// A session over a fake API whose answer to page N is `pages(N)`; the log goes to `logged`.
class ListingTest : public ::testing::Test {
 protected:
  void answer_pages(std::function<testing::FakeAnswer(int page)> pages) {
    http.set_responder([pages](const HttpRequest& r, Clock::TimePoint) {
      auto at = r.url.find("Page=");
      return pages(std::stoi(r.url.substr(at + 5)));
    });
  }

  // The listing's error, or nothing when it was read whole (into `groups`).
  std::optional<Error> list_groups() {
    Session session(http, pacer, clock, sleeper, ApiTarget{k_base, "IRabc", "1001"}, 0, *log);
    auto listed = session.list_groups();
    if (!listed) return listed.error();
    groups = std::move(*listed);
    return std::nullopt;
  }

  std::vector<std::string> urls() const {
    std::vector<std::string> u;
    for (const auto& s : http.sent()) u.push_back(s.request.url);
    return u;
  }

  FakeClock clock;
  FakeHttp http{clock};
  testing::FakeSleeper sleeper{http, clock};
  Pacer pacer{42};
  std::ostringstream logged;
  std::shared_ptr<spdlog::logger> log = [this] {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(logged);
    sink->set_pattern("%l: %v");
    auto l = std::make_shared<spdlog::logger>("test", sink);
    l->set_level(spdlog::level::debug);
    return l;
  }();
  std::vector<Group> groups;
};

TEST_F(ListingTest, FollowsEveryPageToTheEnd) {
  answer_pages([](int n) { return answer(200, page(n, "3", n < 3 ? page_uri(n + 1) : "")); });
  EXPECT_FALSE(list_groups());
  EXPECT_EQ(groups.size(), 3u);
  EXPECT_EQ(http.sent().size(), 3u);
}

// Issue 7, item 6: a page pointing back was followed 100,000 times.
TEST_F(ListingTest, APageThatPointsBackEndsTheListing) {
  answer_pages([](int n) { return answer(200, page(n, "5", page_uri(n == 3 ? 1 : n + 1))); });
  auto f = list_groups();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->code, ExitCode::unavailable);
  EXPECT_EQ(f->message, "the API's listing of Groups loops: page 3 points back to " +
                            std::string(k_base) + page_uri(1) + ", which was read already");
  EXPECT_EQ(http.sent().size(), 3u);
}

TEST_F(ListingTest, MorePagesThanNumpagesPromisedEndTheListing) {
  answer_pages([](int n) { return answer(200, page(n, "2", page_uri(n + 1))); });
  auto f = list_groups();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->code, ExitCode::unavailable);
  EXPECT_EQ(
      f->message,
      "the API's listing of Groups goes on past the 2 pages its @numpages promised (page 2 points "
      "to " +
          std::string(k_base) + page_uri(3) + ")");
  EXPECT_EQ(http.sent().size(), 2u);
}

TEST_F(ListingTest, AnUnreadableNumpagesLeavesOnlyTheLoopCheck) {
  answer_pages([](int n) { return answer(200, page(n, "many", n < 4 ? page_uri(n + 1) : "")); });
  EXPECT_FALSE(list_groups());
  EXPECT_EQ(groups.size(), 4u);
}

TEST_F(ListingTest, AListingWithoutNumpagesStillEndsAfter1000Pages) {
  answer_pages([](int n) { return answer(200, page(n, "", page_uri(n + 1))); });
  auto f = list_groups();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->code, ExitCode::unavailable);
  EXPECT_EQ(f->message, "the API's listing of Groups never ends (more than 1000 pages)");
  EXPECT_EQ(http.sent().size(), 1000u);
}

// Issue 7, item 10: only page 1 can prove that the program does not exist.
TEST_F(ListingTest, NotFoundOnPageOneIsAMissingProgram) {
  answer_pages([](int) { return answer(404, R"({"Status": "ERROR", "Message": "Not Found"})"); });
  auto f = list_groups();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->code, ExitCode::config);
  EXPECT_EQ(f->message,
            "program 1001 does not exist for account IRabc (the API answered 404: Not Found); "
            "`prospect-import programs` lists the programs");
}

TEST_F(ListingTest, NotFoundOnALaterPageIsNotAMissingProgram) {
  answer_pages([](int n) {
    return n == 1 ? answer(200, page(1, "2", page_uri(2)))
                  : answer(404, R"({"Status": "ERROR", "Message": "Not Found"})");
  });
  auto f = list_groups();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->code, ExitCode::unavailable);
  EXPECT_EQ(
      f->message,
      "the API answered 404: Not Found to page 2 of the listing of Groups (GET " +
          std::string(k_base) + page_uri(2) +
          "): the listing changed while it was read, or its @nextpageuri is wrong; try again");
}

// Issue 7, item 10: a 429 wait while loading groups was silent for up to an hour.
TEST_F(ListingTest, AShortRateLimitWaitIsSaidAtVerbose) {
  http.script(1, {answer(429, "{}", rate_headers(1000, 0, 2))});
  http.script(2, {answer(200, page(1, "1", ""))});
  EXPECT_FALSE(list_groups());
  EXPECT_EQ(logged.str(),
            "debug: the API answered 429 (too many requests): waiting 2s for its rate limit before "
            "page 1 "
            "of the listing of Groups\n");
}

TEST_F(ListingTest, ALongRateLimitWaitIsAlwaysSaid) {
  http.script(1, {answer(429, "{}", rate_headers(1000, 0, 600))});
  http.script(2, {answer(200, page(1, "1", ""))});
  auto before = clock.now();
  EXPECT_FALSE(list_groups());
  // 600 s and a little jitter (pacer.h).
  EXPECT_THAT(logged.str(), ::testing::MatchesRegex(
                                "info: the API answered 429 \\(too many requests\\): waiting "
                                "10m[0-2]s for its rate limit before page 1 of the listing of "
                                "Groups\n"));
  EXPECT_GE(clock.now() - before, 600s);
}

}  // namespace
}  // namespace prospect_import
