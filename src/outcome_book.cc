#include "prospect_import/outcome_book.h"

namespace prospect_import {
namespace {

SuccessStatus status_of(Fate f) {
  return f == Fate::created ? SuccessStatus::created
         : f == Fate::already_exists ? SuccessStatus::already_exists
                                     : SuccessStatus::dry_run_ok;
}

void count_success(Fate f, Summary& s) {
  ++(f == Fate::created ? s.created : f == Fate::already_exists ? s.already_exists : s.dry_run_ok);
}

}  // namespace

void OutcomeBook::add(const CheckedRow& row, bool not_reached) {
  Row r{row.line, row.read, row.sent, row.group_id, "", std::nullopt, false};
  if (!row.valid() && !not_reached) r.problems = describe_problems(row.problems);
  if (m_resume && r.problems.empty()) {
    auto done = m_resume->done.find(row.line);
    if (done != m_resume->done.end()) r.done = done->second;
    r.sent_before = m_resume->sent.count(row.line) > 0;
  }
  m_rows.push_back(std::move(r));
}

std::vector<SendRow> OutcomeBook::to_send(std::vector<std::size_t>& positions) const {
  std::vector<SendRow> sends;
  positions.clear();
  for (std::size_t i = 0; i < m_rows.size(); ++i) {
    const Row& r = m_rows[i];
    if (!r.problems.empty() || r.done) continue;
    sends.push_back(SendRow{r.line, r.sent, r.group_id, r.sent_before});
    positions.push_back(i);
  }
  return sends;
}

const JournalEntry& OutcomeBook::record(std::size_t position, const RowResult& r) {
  auto& done = m_rows[position].done;
  done = JournalEntry{r.line, r.fate, r.answer.prospect_id, r.answer.matched_partner_id,
                      r.answer.matched_partner_name, r.answer.message};
  return *done;
}

void OutcomeBook::write(ReportWriter& report, Summary& summary, const std::string& why_not_attempted,
                        const std::string& file, spdlog::logger& log) const {
  for (const Row& row : m_rows) {
    if (!row.problems.empty()) {
      report.add_error(row.line, row.problems, row.read);
    } else if (!row.done) {
      ++summary.not_attempted;
      report.add_error(row.line, "not attempted: " + why_not_attempted, row.read);
    } else if (row.done->fate == Fate::rejected || row.done->fate == Fate::failed) {
      bool rejected = row.done->fate == Fate::rejected;
      ++(rejected ? summary.rejected : summary.failed);
      std::string error = rejected ? row.done->message : "failed: " + row.done->message;
      log.info("{}:{}: {}", file, row.line, error);
      report.add_error(row.line, error, row.read);
    } else {
      count_success(row.done->fate, summary);
      report.add_success(SuccessRow{row.line, status_of(row.done->fate), row.done->prospect_id,
                                    row.done->matched_partner_id, row.done->matched_partner_name, &row.sent});
    }
  }
}

}  // namespace prospect_import
