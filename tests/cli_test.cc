// The command line as a user meets it: help for each command, "did you mean",
// missing values. Whole messages are compared.

#include "prospect_import/cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace prospect_import {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result run_cli(std::vector<std::string> args) {
  std::istringstream in;
  std::ostringstream out, err;
  Io io{in, out, err, [](const std::string&) -> std::optional<std::string> { return std::nullopt; },
        false};
  int code = run(args, io);
  return {code, out.str(), err.str()};
}

const std::string k_pointer = "Run 'prospect-import --help' for the options.\n";

TEST(Cli, AMistypedOptionBeforeAValueAndAFileIsNamedWithASuggestion) {
  auto r = run_cli({"--progam", "1001", "x.csv"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "prospect-import: unknown option --progam; did you mean --program?\n" + k_pointer);
}

TEST(Cli, AMissingValueIsSaidAsSuch) {
  auto r = run_cli({"x.csv", "--program"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "prospect-import: --program needs a value\n" + k_pointer);
  r = run_cli({"--report-dir", "--dry-run", "x.csv"});
  EXPECT_EQ(r.err, "prospect-import: --report-dir needs a value\n" + k_pointer);
}

TEST(Cli, FlagsAndValuesThatAreRightPassTheScan) {
  auto r =
      run_cli({"--offline", "-qv", "--json", "--report-dir", "r", "--encoding=utf-8", "nope.csv"});
  EXPECT_EQ(r.code, 66) << r.err;
}

TEST(Cli, AMistypedCommandIsSuggested) {
  auto r = run_cli({"progams"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "prospect-import: unknown command progams; did you mean programs?\n" + k_pointer);
}

TEST(Cli, EachCommandsHelpListsTheOptionsItUsesAndPointsToTheMainHelp) {
  auto r = run_cli({"groups", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, StartsWith("Usage: prospect-import groups --program ID [--json]\n\nlist a "
                                "program's partner groups"));
  for (const char* used : {"--program ID", "--account-sid SID", "--auth-token-file PATH",
                           "--api-base URL", "--cacert FILE", "--timeout S", "--json"}) {
    EXPECT_THAT(r.out, HasSubstr("\n  " + std::string(used))) << used;
  }
  EXPECT_THAT(r.out, Not(HasSubstr("--dry-run")));
  EXPECT_THAT(r.out, Not(HasSubstr("--encoding")));
  EXPECT_THAT(
      r.out,
      HasSubstr(
          "\nThe other options, the environment and the exit codes: prospect-import --help\n"));
}

TEST(Cli, ProgramsHelpHasNoProgramOption) {
  auto r = run_cli({"programs", "-h"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, StartsWith("Usage: prospect-import programs [--json]\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("--program ")));
}

TEST(Cli, HelpCommandIsTheCommandsHelp) {
  EXPECT_EQ(run_cli({"help", "groups"}).out, run_cli({"groups", "--help"}).out);
  EXPECT_EQ(run_cli({"help"}).out, run_cli({"--help"}).out);
  auto r = run_cli({"help", "grups"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(
      r.err,
      StartsWith(
          "prospect-import: unknown command grups; did you mean groups?\nThe commands: template, "
          "programs, groups, "));
}

// Issue 11, item 4: a nested command's --help is its own, not its parent's.
TEST(Cli, LedgerSyncHelpIsTheSyncCommandsOwn) {
  auto r = run_cli({"ledger", "sync", "--help"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("Usage: prospect-import ledger sync --program ID\n\nfill the "
                                "ledger from the program's prospects listing"));
  for (const char* used :
       {"--program ID", "--ledger PATH", "--account-sid SID", "--max-rate N", "--budget-share P"}) {
    EXPECT_THAT(r.out, HasSubstr("\n  " + std::string(used))) << used;
  }
  EXPECT_THAT(r.out, Not(HasSubstr("\nCommands:"))) << "that is the ledger's help";
  EXPECT_THAT(r.out, Not(HasSubstr("--email")));
  EXPECT_EQ(run_cli({"ledger", "--program", "1", "sync", "-h"}).out, r.out);
  EXPECT_EQ(run_cli({"help", "ledger", "sync"}).out, r.out);

  auto forget = run_cli({"ledger", "forget", "--help"});
  EXPECT_THAT(forget.out, StartsWith("Usage: prospect-import ledger forget --program ID [--email "
                                     "E]\n"));
  EXPECT_THAT(forget.out, HasSubstr("\n  --email E"));
  EXPECT_THAT(run_cli({"ledger", "--help"}).out,
              StartsWith("Usage: prospect-import ledger sync|show|forget --program ID\n"));
}

TEST(Cli, AMistypedLedgerCommandIsSuggested) {
  auto r = run_cli({"ledger", "snyc", "--program", "1001"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "prospect-import: unknown ledger command snyc; did you mean sync?\n" + k_pointer);
  r = run_cli({"ledger", "snyc", "--help"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "prospect-import: unknown ledger command snyc; did you mean sync?\n" + k_pointer);
  r = run_cli({"help", "ledger", "shw"});
  EXPECT_EQ(r.err, "prospect-import: unknown ledger command shw; did you mean show?\n" + k_pointer);
  r = run_cli({"ledger", "purge"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "prospect-import: unknown ledger command purge; the ledger commands: sync, show, "
            "forget\n" +
                k_pointer);
}

TEST(Cli, TheBudgetOptionsAreCheckedAndShownByTheCommandsThatSend) {
  for (auto [args, message] :
       {std::pair{std::vector<std::string>{"--budget-share", "0", "x.csv"},
                  "--budget-share must be between 1 and 100"},
        {{"--budget-share", "101", "x.csv"}, "--budget-share must be between 1 and 100"},
        {{"--max-rate", "0", "x.csv"},
         "--max-rate must be between 1 and 1000000000 (requests an hour)"}}) {
    auto r = run_cli(args);
    EXPECT_EQ(r.code, 2) << args[0];
    EXPECT_EQ(r.err, "prospect-import: " + std::string(message) + "\n" + k_pointer);
  }
  for (const char* command : {"programs", "groups"}) {
    auto r = run_cli({command, "--help"});
    EXPECT_THAT(r.out, HasSubstr("\n  --max-rate N")) << command;
    EXPECT_THAT(r.out, HasSubstr("\n  --budget-share P")) << command;
  }
}

// --- issue 8, sections 4 and 5 ---
TEST(Cli, RestartWithResumeIsACommandLineError) {
  auto r = run_cli({"--restart", "--resume", "p.csv"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "prospect-import: --resume excludes --restart\n" + k_pointer);
}

TEST(Cli, KeepReportsMustBeANumberOfReports) {
  auto r = run_cli({"--keep-reports", "-1", "p.csv"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "prospect-import: --keep-reports must be between 0 and 100000\n" + k_pointer);
}

TEST(Cli, JsonIsPrintedOnAWrongCommandLineToo) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--json", "--progam", "1", "p.csv"},
                                             {"--json"},
                                             {"--json", "--bogus"},
                                             {"help", "bogus", "--json"}}) {
    auto r = run_cli(args);
    EXPECT_EQ(r.code, 2);
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["exit_code"], 2);
    EXPECT_FALSE(j["error"].get<std::string>().empty()) << r.out;
  }
  EXPECT_EQ(nlohmann::json::parse(run_cli({"--json"}).out)["error"],
            "no FILE given: name the CSV to import (- for standard input)");
}

TEST(Cli, JsonOnAnUnreadableFileSaysItsError) {
  auto r = run_cli({"--offline", "--json", "--report-dir", "r", "no-such.csv"});
  EXPECT_EQ(r.code, 66);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["exit_code"], 66);
  EXPECT_THAT(j["error"].get<std::string>(), StartsWith("no-such.csv: cannot open the file: "));
}
// --- end of issue 8 ---

TEST(Cli, TemplateHelpSaysWhatItPrints) {
  auto r = run_cli({"template", "--help"});
  EXPECT_EQ(r.out,
            "Usage: prospect-import template\n\nprint the header row of the import template\n\n"
            "The other options, the environment and the exit codes: prospect-import --help\n");
}

}  // namespace
}  // namespace prospect_import
