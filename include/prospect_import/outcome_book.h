#pragma once
// Every row of an online run between its check and the report: invalid rows
// with their problems, valid ones with their values as sent and, once known,
// their final outcome (from the journal of a run being resumed, or this run).
// At the end it writes the report in input order and counts the summary.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "prospect_import/journal.h"
#include "prospect_import/report.h"
#include "prospect_import/row_checker.h"
#include "prospect_import/sender.h"
#include "prospect_import/summary.h"

namespace prospect_import {

class OutcomeBook {
 public:
  // resume: the journal of the run being continued, or null.
  // REQUIRES: resume outlives the book.
  explicit OutcomeBook(const JournalContents* resume) : m_resume(resume) {}

  // A checked row. not_reached: the run stopped before any row was sent, so
  // the row is reported not attempted even if it is invalid (CLI.md).
  void add(const CheckedRow& row, bool not_reached);

  // The valid rows still without an outcome, in order; positions[i] is where
  // the i-th of them is in the book.
  std::vector<SendRow> to_send(std::vector<std::size_t>& positions) const;

  // Records the outcome of the row at `position`; returns it as journaled.
  const JournalEntry& record(std::size_t position, const RowResult& result);

  // Writes every row (rows without an outcome as "not attempted: <why>") and
  // counts them into the summary. Rows refused or failed are logged too.
  void write(ReportWriter& report, Summary& summary, const std::string& why_not_attempted,
             const std::string& file, spdlog::logger& log) const;

 private:
  struct Row {
    std::uint64_t line = 0;
    Values read;
    Values sent;
    std::string group_id;
    std::string problems;              // why it is invalid; empty when valid
    std::optional<JournalEntry> done;  // its final outcome
    bool sent_before = false;          // the journal says a request went out
  };

  const JournalContents* m_resume;
  std::vector<Row> m_rows;
};

}  // namespace prospect_import
