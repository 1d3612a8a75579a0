#include "prospect_import/outcome_book.h"

namespace prospect_import {
namespace {

constexpr std::size_t k_matches_shown = 5;  // matches named at the end of a dry run

SuccessStatus status_of(Fate f) {
  return f == Fate::created          ? SuccessStatus::created
         : f == Fate::already_exists ? SuccessStatus::already_exists
         : f == Fate::known          ? SuccessStatus::known
                                     : SuccessStatus::dry_run_ok;
}

void count_success(Fate f, Summary& s) {
  ++(f == Fate::created          ? s.created
     : f == Fate::already_exists ? s.already_exists
     : f == Fate::known          ? s.known
                                 : s.dry_run_ok);
}

}  // namespace

OutcomeBook::OutcomeBook(ReportWriter& report, Summary& summary, spdlog::logger& log,
                         std::string file)
    : m_report(report), m_summary(summary), m_log(log), m_file(std::move(file)) {}

void OutcomeBook::add_invalid(const CheckedRow& row) {
  ++m_summary.invalid;
  add(Row{row.line, row.read, {}, describe_problems(row.problems), std::nullopt, true});
}

void OutcomeBook::add_done(const CheckedRow& row, const JournalEntry& outcome) {
  add(Row{row.line, row.read, row.sent, "", outcome, true});
}

void OutcomeBook::add_not_attempted(const CheckedRow& row, const std::string& why) {
  ++m_summary.not_attempted;
  add(Row{row.line, row.read, {}, "not attempted: " + why, std::nullopt, true});
}

std::uint64_t OutcomeBook::add_pending(const CheckedRow& row) {
  std::uint64_t slot = m_first_slot + m_rows.size();
  m_rows.push_back(Row{row.line, row.read, row.sent, "", std::nullopt, false});
  return slot;
}

void OutcomeBook::settle(std::uint64_t slot, const JournalEntry& outcome) {
  Row& row = m_rows.at(slot - m_first_slot);
  row.done = outcome;
  row.settled = true;
  write_settled();
}

void OutcomeBook::close(const std::string& why_not_attempted) {
  for (Row& row : m_rows) {
    if (row.settled) continue;
    ++m_summary.not_attempted;
    row.error = "not attempted: " + why_not_attempted;
    row.settled = true;
  }
  write_settled();
}

void OutcomeBook::add(Row row) {
  m_rows.push_back(std::move(row));
  write_settled();
}

void OutcomeBook::write_settled() {
  while (!m_rows.empty() && m_rows.front().settled) {
    write(m_rows.front());
    m_rows.pop_front();
    ++m_first_slot;
  }
}

void OutcomeBook::write(const Row& row) {
  if (!row.error.empty()) {
    m_report.add_error(row.line, row.error, row.read);
    return;
  }
  const JournalEntry& done = *row.done;
  if (done.fate == Fate::rejected || done.fate == Fate::failed) {
    bool rejected = done.fate == Fate::rejected;
    ++(rejected ? m_summary.rejected : m_summary.failed);
    std::string error = rejected ? done.message : "failed: " + done.message;
    m_log.info("{}:{}: {}", m_file, row.line, error);
    m_report.add_error(row.line, error, row.read);
    return;
  }
  count_success(done.fate, m_summary);
  if (!done.matched_partner_id.empty()) {
    ++m_summary.matched;
    if (m_summary.first_matches.size() < k_matches_shown) {
      m_summary.first_matches.push_back(
          {row.line, done.matched_partner_name, done.matched_partner_id});
    }
  }
  m_report.add_success(SuccessRow{row.line, status_of(done.fate), done.prospect_id,
                                  done.matched_partner_id, done.matched_partner_name, &row.sent});
}

}  // namespace prospect_import
