#pragma once
// What the offline and the online import share: how a failure and the rows'
// problems are said, where the keys that find duplicates go, and how a run
// ends (summary.json, the log line, --json).

#include <cstdint>
#include <functional>
#include <string>

#include "prospect_import/error.h"
#include "prospect_import/folder.h"
#include "prospect_import/import.h"
#include "prospect_import/input.h"
#include "prospect_import/report.h"
#include "prospect_import/resume.h"
#include "prospect_import/row_checker.h"
#include "prospect_import/summary.h"
#include "prospect_import/table_input.h"

namespace prospect_import {

// What --resume and --restart say of an unfinished import in the folder.
Continuation continuation(const Options& options);

// How to read the input: --encoding, --delimiter, --sheet and the column map
// (--map, --map-file: a wrong one is 2, an unreadable map file 66).
Result<TableSettings> table_settings(const Options& options);

// The input as a table, from the stream one pass reads (Input::stream() or
// first_pass(), or second_pass()'s), with Input::whole() for a workbook.
Result<std::unique_ptr<TableInput>> open_table(Input& input, std::istream& stream,
                                               const TableSettings& settings,
                                               const FirstPassSettings& spool);

// "reading FILE (UTF-8, ',' separated)", the columns taken by another name,
// and the columns ignored.
void note_reading(spdlog::logger& log, const Options& options, const TableInput& table);

// Logs "error: <what>" (an input error named after the file) and returns its code.
ExitCode fail(ImportEnv& env, const Options& options, const Error& e);

// Says each problem of invalid rows on standard error: the first 20 (all with
// -v), then how many more there were.
class ProblemLog {
 public:
  ProblemLog(spdlog::logger& log, const Options& options) : m_log(log), m_options(options) {}
  void show(const CheckedRow& row);
  void show_rest() const;
  // Once a file: how many Contact Email and Media Property cells were typed
  // in full-width ASCII and are sent in ASCII (nothing when none).
  void note_fullwidth(const RowChecker& checker) const;

 private:
  spdlog::logger& m_log;
  const Options& m_options;
  std::uint64_t m_seen = 0;
};

// An unlinked file in the report folder for the keys a RowChecker finds
// duplicates with, so that memory does not grow with them; none when it
// cannot be made (the keys then stay in memory, and `log` warns of it, as it
// does when the file cannot be written to later: a full disk). Each
// call makes a new file: `.keys.tmp` goes as soon as it is open, and a stale
// one (a kill between the two) is replaced, so every checker of a run has a
// spill of its own. A link planted there is not followed.
KeySpill key_spill(const Folder& folder, spdlog::logger& log);

// Logs "encoding: <why>" when the input's encoding is settled (CsvSettings).
std::function<void(const std::string&)> log_encoding(spdlog::logger& log);

// Commits the report with the summary (its exit_code and elapsed_s filled in
// here; env.committed holds it then) and logs the closing line. Returns
// `code`, or 74 when the report could not be written.
ExitCode end_run(ImportEnv& env, const Options& options, ReportWriter& report, Summary& summary,
                 Clock::TimePoint started, ExitCode code);

}  // namespace prospect_import
