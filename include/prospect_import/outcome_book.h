#pragma once
// The rows of an online run on their way to the report, in input order: each
// is written to success.csv or errors.csv (and counted in the summary) as soon
// as it and every row before it have their outcome. Only the rows from the
// oldest without an outcome to the newest are held, so memory follows the
// sender's window, not the file.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include <spdlog/logger.h>

#include "prospect_import/journal.h"
#include "prospect_import/report.h"
#include "prospect_import/row_checker.h"
#include "prospect_import/summary.h"

namespace prospect_import {

class OutcomeBook {
 public:
  // file: the input as given, for the log's "prospects.csv:14: ..." lines.
  // REQUIRES: report, summary and log outlive the book.
  OutcomeBook(ReportWriter& report, Summary& summary, spdlog::logger& log, std::string file);

  // Rows in input order: an invalid one, one whose outcome the journal of the
  // run being resumed holds, one never reached (an abort before any request:
  // not attempted even if it is invalid, CLI.md), or one being sent, whose
  // outcome arrives later through settle() with the number add_pending gave.
  void add_invalid(const CheckedRow& row);
  void add_done(const CheckedRow& row, const JournalEntry& outcome);
  void add_not_attempted(const CheckedRow& row, const std::string& why);
  std::uint64_t add_pending(const CheckedRow& row);
  void settle(std::uint64_t slot, const JournalEntry& outcome);

  // Rows held: from the oldest without an outcome to the newest.
  std::size_t held() const { return m_rows.size(); }

  // Every row still without an outcome is "not attempted: <why>"; all are written.
  void close(const std::string& why_not_attempted);

 private:
  struct Row {
    std::uint64_t line = 0;
    Values read;
    Values sent;
    std::string error;                 // set for a row that goes to errors.csv as is
    std::optional<JournalEntry> done;  // its final outcome, once known
    bool settled = false;
  };

  void add(Row row);
  void write_settled();
  void write(const Row& row);

  ReportWriter& m_report;
  Summary& m_summary;
  spdlog::logger& m_log;
  std::string m_file;
  std::deque<Row> m_rows;
  std::uint64_t m_first_slot = 0;  // the slot of m_rows.front()
};

}  // namespace prospect_import
