#include "prospect_import/progress.h"

#include <gtest/gtest.h>

#include "prospect_import/clock.h"

namespace prospect_import {
namespace {

using namespace std::chrono_literals;

ProgressSnapshot busy() {
  ProgressSnapshot p;
  p.done = 1234;
  p.total = 100000;
  p.created = 1200;
  p.ok = 20;
  p.failed = 14;
  p.elapsed = 617s;
  p.left = 13h + 50min;
  p.rate_wait = 125s;
  return p;
}

TEST(Progress, AWideTerminalShowsEverything) {
  EXPECT_EQ(terminal_progress(busy(), 200),
            "1234/100000 rows 1%, 1200 created, 14 failed, 2.0 rows/s, 13h50m left (rate limit: "
            "waiting 2m5s)");
}

TEST(Progress, ANarrowTerminalLosesTheLeastUsefulPartsFirstAndNeverReachesTheLastColumn) {
  EXPECT_EQ(terminal_progress(busy(), 80),
            "1234/100000 rows 1%, 1200 created, 14 failed, 2.0 rows/s, 13h50m left");
  EXPECT_EQ(terminal_progress(busy(), 50), "1234/100000 rows 1%, 1200 created, 13h50m left");
  EXPECT_EQ(terminal_progress(busy(), 30), "1234/100000 rows 1%");
  EXPECT_EQ(terminal_progress(busy(), 10), "1234/1000");
  for (std::size_t width = 2; width <= 200; ++width) {
    EXPECT_LT(terminal_progress(busy(), width).size(), width) << width;
  }
}

TEST(Progress, ADryRunCountsOk) {
  ProgressSnapshot p = busy();
  p.dry_run = true;
  p.rate_wait.reset();
  EXPECT_EQ(terminal_progress(p, 200),
            "1234/100000 rows 1%, 20 ok, 14 failed, 2.0 rows/s, 13h50m left");
}

TEST(Progress, ALogLineHasEveryPart) {
  EXPECT_EQ(log_progress_line(busy()),
            "sent 1234/100000 rows (1%), 2.0 rows/s: 1200 created, 20 already existed, 14 failed; "
            "about 13h50m "
            "left (waiting 2m5s for the rate limit)");
}

TEST(Progress, ModesDurationsAndTerminals) {
  EXPECT_EQ(parse_progress_mode("always"), ProgressMode::always);
  EXPECT_EQ(parse_progress_mode("sometimes"), std::nullopt);
  EXPECT_FALSE(capable_term("dumb"));
  EXPECT_FALSE(capable_term(std::nullopt));
  EXPECT_TRUE(capable_term("xterm-256color"));
  EXPECT_EQ(terminal_width(120, "90"), 120u);
  EXPECT_EQ(terminal_width(std::nullopt, "90"), 90u);
  EXPECT_EQ(terminal_width(std::nullopt, "wide"), 80u);
  EXPECT_EQ(utc_timestamp(std::chrono::system_clock::time_point{} + 86400s + 61s),
            "1970-01-02T00:01:01Z");
}

// Every duration said is a wait or a time left: a rate-limit wait of 0.99 s
// (its reset, less the time the answer took) is "1s", not "0s".
TEST(FormatDuration, NearestSecondAndNeverZeroForAWaitLeft) {
  EXPECT_EQ(format_duration(0s), "0s");
  EXPECT_EQ(format_duration(1ms), "1s");
  EXPECT_EQ(format_duration(900ms), "1s");
  EXPECT_EQ(format_duration(1s), "1s");
  EXPECT_EQ(format_duration(999ms), "1s");
  EXPECT_EQ(format_duration(1400ms), "1s");
  EXPECT_EQ(format_duration(1600ms), "2s");
  EXPECT_EQ(format_duration(12min + 5s), "12m5s");
  EXPECT_EQ(format_duration(59min + 59s + 600ms), "1h0m");
  EXPECT_EQ(format_duration(3h + 20min + 30s), "3h20m");
}

}  // namespace
}  // namespace prospect_import
