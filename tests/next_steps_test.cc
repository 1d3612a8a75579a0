#include "prospect_import/next_steps.h"

#include <gtest/gtest.h>

namespace prospect_import {
namespace {

using Lines = std::vector<std::string>;

Options given(std::vector<std::string> args, std::string file) {
  Options o;
  o.args = std::move(args);
  o.file = std::move(file);
  return o;
}

TEST(ShellQuote, QuotesOnlyWhatTheShellWouldRead) {
  EXPECT_EQ(shell_quote("prospects.csv"), "prospects.csv");
  EXPECT_EQ(shell_quote("--report-dir=/tmp/r"), "--report-dir=/tmp/r");
  EXPECT_EQ(shell_quote("my file.csv"), "'my file.csv'");
  EXPECT_EQ(shell_quote("it's $HOME"), "'it'\\''s $HOME'");
  EXPECT_EQ(shell_quote(""), "''");
}

TEST(NextSteps, AfterExit1TheCommandsToCopyAndReimportTheErrors) {
  Options o = given({"--program", "1001", "--resume", "--report-dir", "my report", "in put.csv"},
                    "in put.csv");
  Summary s;
  EXPECT_EQ(next_steps(o, s, "my report", ExitCode::rows_failed),
            (Lines{"To fix the rows that did not succeed and import them again:",
                   "  cp 'my report/errors.csv' errors-to-fix.csv",
                   "  (correct errors-to-fix.csv; its Row and Error columns are ignored)",
                   "  prospect-import --program 1001 --report-dir 'my report' errors-to-fix.csv"}));
}

TEST(NextSteps, AfterAnAbortTheResumeCommand) {
  Options o = given({"--program", "1001", "p.csv"}, "p.csv");
  EXPECT_EQ(next_steps(o, Summary{}, "prospect-import-report", ExitCode::interrupted),
            Lines{"To continue where it stopped: prospect-import --resume --program 1001 p.csv"});
  o.offline = true;
  EXPECT_EQ(next_steps(o, Summary{}, "prospect-import-report", ExitCode::interrupted), Lines{});
}

TEST(NextSteps, ADryRunNamesTheFirstMatches) {
  Options o = given({"--dry-run", "p.csv"}, "p.csv");
  o.dry_run = true;
  Summary s;
  s.dry_run_ok = 9;
  s.matched = 7;
  for (std::uint64_t line = 2; line < 7; ++line)
    s.first_matches.push_back({line, "P" + std::to_string(line), "55"});
  EXPECT_EQ(next_steps(o, s, "r", ExitCode::ok),
            (Lines{"7 of 9 rows match existing partner accounts (success.csv: Matched Partner ID)",
                   "  line 2: P2, partner ID 55", "  line 3: P3, partner ID 55",
                   "  line 4: P4, partner ID 55", "  line 5: P5, partner ID 55",
                   "  line 6: P6, partner ID 55", "  ... and 2 more in success.csv"}));
}

TEST(NextSteps, ACleanImportSaysNothingMore) {
  EXPECT_EQ(next_steps(given({"p.csv"}, "p.csv"), Summary{}, "r", ExitCode::ok), Lines{});
}

}  // namespace
}  // namespace prospect_import
