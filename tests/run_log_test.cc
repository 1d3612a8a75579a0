// How a run ends for scripts and cron: --json on every exit, -q's one line,
// timestamps when standard error is not a terminal.

#include "prospect_import/run_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace prospect_import {
namespace {

using ::testing::MatchesRegex;

TEST(WantsJson, IsReadFromTheWordsUpToDoubleDash) {
  EXPECT_TRUE(wants_json({"--bogus", "--json", "p.csv"}));
  EXPECT_FALSE(wants_json({"p.csv"}));
  EXPECT_FALSE(wants_json({"--", "--json"}));
}

TEST(ExitJson, WithoutAReportIsTheCodeAndTheError) {
  EXPECT_EQ(exit_json(2, "no FILE given", std::nullopt).dump(),
            R"({"exit_code":2,"error":"no FILE given"})");
  EXPECT_EQ(exit_json(66, std::nullopt, std::nullopt).dump(), R"({"exit_code":66,"error":""})");
}

TEST(ExitJson, WithAReportIsItsSummaryWithTheProcesssCodeAndError) {
  Summary s{"p.csv", "1001", false, false};
  s.not_attempted = 10;
  s.exit_code = 77;
  auto j = exit_json(77, "the API refused the credentials", s);
  EXPECT_EQ(j["rows"], 10);
  EXPECT_EQ(j["exit_code"], 77);
  EXPECT_EQ(j["error"], "the API refused the credentials");
  s.exit_code = 0;
  s.not_attempted = 0;
  s.created = 10;
  auto ok = exit_json(0, std::nullopt, s);
  EXPECT_FALSE(ok.contains("error"));
  EXPECT_EQ(ok, to_json(s));
  // The report said 0 but its journal could not be finished: the process's code wins.
  EXPECT_EQ(exit_json(74, "cannot write the journal", s)["exit_code"], 74);
}

TEST(RunLog, OffATerminalEachLineStartsWithAnIso8601UtcTimestamp) {
  std::ostringstream err;
  RunLog log(err, 0, false);
  log.log().info("reading p.csv");
  log.log().error("error: cannot open p.csv");
  EXPECT_THAT(err.str(), MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z "
                                      "reading p.csv\n"
                                      "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z "
                                      "error: cannot open p.csv\n"));
}

TEST(RunLog, OnATerminalLinesAreAsSaid) {
  std::ostringstream err;
  RunLog log(err, 0, true);
  log.log().info("reading p.csv");
  EXPECT_EQ(err.str(), "reading p.csv\n");
}

TEST(RunLog, RemembersTheFirstErrorWithoutItsPrefix) {
  std::ostringstream err;
  RunLog log(err, -1, true);
  EXPECT_EQ(log.first_error(), std::nullopt);
  log.log().info("hidden by -q");
  log.log().warn("warning: a warning is no error");
  EXPECT_EQ(log.first_error(), std::nullopt);
  log.log().error("error: the first");
  log.log().error("error: the second");
  EXPECT_EQ(log.first_error(), "the first");
  EXPECT_EQ(err.str(), "warning: a warning is no error\nerror: the first\nerror: the second\n");
}

TEST(QuietFailureLine, SaysHowManyRowsDidNotSucceed) {
  Summary s;
  s.created = 7;
  s.invalid = 2;
  s.rejected = 1;
  EXPECT_EQ(quiet_failure_line(1, false, s, "r"),
            "error: 3 of 10 rows did not succeed; see r/errors.csv");
  EXPECT_EQ(quiet_failure_line(1, true, s, "r"), std::nullopt) << "an error line was said";
  EXPECT_EQ(quiet_failure_line(0, false, s, "r"), std::nullopt);
  EXPECT_EQ(quiet_failure_line(74, false, std::nullopt, "r"),
            "error: the run ended with exit code 74");
}

}  // namespace
}  // namespace prospect_import
