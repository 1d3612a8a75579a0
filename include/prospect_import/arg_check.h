#pragma once
// What the command line says before CLI11 parses it, so that a mistake is
// named as the user made it: `--progam 1001 x.csv` is an unknown option with
// a suggestion (not a problem with x.csv), and `--program --dry-run` is a
// missing value (not an unknown ID "--dry-run").

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prospect_import {

struct KnownOption {
  std::string name;  // "--program", "-q"
  bool takes_value;  // false for a flag
};

struct ArgScan {
  std::string command;                    // the first word that is a command ("" for the main form)
  std::vector<std::string> command_args;  // the words after it that are not options
  bool wants_help = false;                // -h or --help given
  std::optional<std::string> problem;     // the first mistake, as said to the user
};

// Scans args (without the program name). `commands` are the subcommands'
// names; `is_file` tells whether a word names an existing file, so that a
// mistyped command is told apart from a file name. Nothing after "--" is looked at.
ArgScan scan_arguments(const std::vector<std::string>& args,
                       const std::vector<KnownOption>& options,
                       const std::vector<std::string>& commands,
                       const std::function<bool(const std::string&)>& is_file);

// The name of `names` that `word` most likely meant: the nearest by edit
// distance (at most 2, and under half the word), else the only one that
// starts with `word`; nullopt when none is close.
std::optional<std::string> nearest_name(std::string_view word,
                                        const std::vector<std::string>& names);

// "; did you mean --program?" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& names);

}  // namespace prospect_import
