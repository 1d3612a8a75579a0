#include "prospect_import/arg_check.h"

#include <gtest/gtest.h>

namespace prospect_import {
namespace {

const std::vector<KnownOption> k_options = {
    {"--program", true},  {"--profile", true}, {"--progress", true}, {"--dry-run", false},
    {"--offline", false}, {"--json", false},   {"-q", false},        {"-v", false},
    {"--quiet", false},   {"--version", false}};
const std::vector<std::string> k_commands = {"template", "programs", "groups",
                                             "ledger",   "config",   "help"};

ArgScan scan(std::vector<std::string> args) {
  return scan_arguments(args, k_options, k_commands,
                        [](const std::string& p) { return p == "x.csv"; });
}

std::string problem(std::vector<std::string> args) {
  return scan(std::move(args)).problem.value_or("(none)");
}

TEST(ArgScan, AMistypedOptionIsNamedWithTheNearestOneNotTheFileAfterIt) {
  EXPECT_EQ(problem({"--progam", "1001", "x.csv"}),
            "unknown option --progam; did you mean --program?");
  EXPECT_EQ(problem({"--dryrun", "x.csv"}), "unknown option --dryrun; did you mean --dry-run?");
  EXPECT_EQ(problem({"--program=1001", "--ofline", "x.csv"}),
            "unknown option --ofline; did you mean --offline?");
}

TEST(ArgScan, AnOptionFarFromEveryOtherGetsNoSuggestion) {
  EXPECT_EQ(problem({"--frobnicate", "x.csv"}), "unknown option --frobnicate");
}

TEST(ArgScan, ASingleDashLongOptionSuggestsTheDoubleDash) {
  EXPECT_EQ(problem({"-program", "1001", "x.csv"}),
            "unknown option -program; did you mean --program?");
}

TEST(ArgScan, AMissingValueIsSaidAsSuch) {
  EXPECT_EQ(problem({"x.csv", "--program"}), "--program needs a value");
  EXPECT_EQ(problem({"--program", "--dry-run", "x.csv"}), "--program needs a value");
}

TEST(ArgScan, ValuesAndBundledFlagsAreNotMistakes) {
  EXPECT_EQ(problem({"--program", "1001", "-qv", "--progress=never", "x.csv"}), "(none)");
  EXPECT_EQ(problem({"--program", "-5", "x.csv"}), "(none)") << "a value may start with one dash";
  EXPECT_EQ(problem({"-", "--", "--anything"}), "(none)");
}

TEST(ArgScan, AMistypedCommandIsSuggested) {
  EXPECT_EQ(problem({"progams"}), "unknown command progams; did you mean programs?");
  EXPECT_EQ(problem({"grops", "--program", "1"}), "unknown command grops; did you mean groups?");
}

TEST(ArgScan, AFileThatLooksLikeACommandIsAFile) {
  auto s =
      scan_arguments({"groupz"}, k_options, k_commands, [](const std::string&) { return true; });
  EXPECT_FALSE(s.problem);
  EXPECT_EQ(s.command, "");
}

TEST(ArgScan, FindsTheCommandItsWordsAndHelp) {
  auto s = scan({"--json", "help", "groups"});
  EXPECT_EQ(s.command, "help");
  EXPECT_EQ(s.command_args, std::vector<std::string>{"groups"});
  s = scan({"groups", "--program", "1", "--help"});
  EXPECT_EQ(s.command, "groups");
  EXPECT_TRUE(s.command_args.empty());
  EXPECT_TRUE(s.wants_help);
  EXPECT_EQ(scan({"x.csv", "groups"}).command, "") << "a word after the FILE is not a command";
}

TEST(NearestName, PrefersTheClosestThenTheOnlyPrefix) {
  const std::vector<std::string> names = {"--program", "--profile", "--progress", "--report-dir"};
  EXPECT_EQ(nearest_name("--progrm", names), "--program");
  EXPECT_EQ(nearest_name("--report", names), "--report-dir");
  EXPECT_EQ(nearest_name("--pro", names), std::nullopt) << "three start with it";
  EXPECT_EQ(nearest_name("--x", names), std::nullopt);
  EXPECT_EQ(nearest_name("snyc", {"sync", "show", "forget"}), "sync") << "a swap is one edit";
  EXPECT_EQ(nearest_name("sohw", {"sync", "show", "forget"}), "show");
  EXPECT_EQ(nearest_name("ysnc", {"sync", "show", "forget"}), "sync");
  EXPECT_EQ(nearest_name("cyns", {"sync", "show", "forget"}), std::nullopt);
}

}  // namespace
}  // namespace prospect_import
