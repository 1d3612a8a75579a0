#pragma once
// How a run speaks to the people and scripts around it (CLI.md, issue 8
// section 5): the log on standard error, plain on a terminal and each line
// starting with an ISO 8601 UTC timestamp elsewhere (a cron mail, a CI log);
// with -q still one line when the exit code is not 0, so that cron mails a
// failure; and with --json one JSON object on standard output on every exit.

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <spdlog/logger.h>
#include <nlohmann/json.hpp>

#include "prospect_import/summary.h"

namespace prospect_import {

// Whether args ask for --json: read from the words themselves, as the
// command line may be wrong (2) before any option is set. Nothing after "--".
bool wants_json(const std::vector<std::string>& args);

// What --json prints when a run ends: the summary of the report it wrote
// (its exit_code the process's own), else {"exit_code", "error"}; "error" is
// the first error said, when the code is not 0.
nlohmann::ordered_json exit_json(int exit_code, const std::optional<std::string>& error,
                                 const std::optional<Summary>& summary);

// The log of one run, which remembers the first error it said.
class RunLog {
 public:
  // verbosity: -1 (-q: warnings and errors only), 0, 1 (-v: debug too).
  RunLog(std::ostream& err, int verbosity, bool err_is_terminal);
  RunLog(const RunLog&) = delete;
  RunLog& operator=(const RunLog&) = delete;

  spdlog::logger& log() { return *m_log; }
  // The first message at error level, without its "error: "; nothing when none was said.
  std::optional<std::string> first_error() const;

 private:
  class ErrorSink;
  std::shared_ptr<ErrorSink> m_errors;
  std::shared_ptr<spdlog::logger> m_log;
};

// The one line -q still says when a run ends with `exit_code` != 0 and said
// no error itself (exit 1 says how many rows did not succeed); nothing otherwise.
std::optional<std::string> quiet_failure_line(int exit_code, bool error_said,
                                              const std::optional<Summary>& summary,
                                              const std::string& report_dir);

}  // namespace prospect_import
