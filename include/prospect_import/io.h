#pragma once
// The outside world of one run, as a seam: streams and the environment.
// run() builds it from the process; tests build it from strings.

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

namespace prospect_import {

struct Io {
  std::istream& in;   // standard input (FILE "-")
  std::ostream& out;  // what a script captures: --json, listings
  std::ostream& err;  // logs, progress, errors
  std::function<std::optional<std::string>(const std::string&)> getenv;
  bool err_is_terminal = false;  // a person watches: progress rewrites one line
  // The terminal's width in columns as it says it now (TIOCGWINSZ); empty or nullopt: unknown.
  std::function<std::optional<std::size_t>()> err_columns = nullptr;
};

}  // namespace prospect_import
