#include "prospect_import/import_ledger.h"

#include <system_error>

namespace prospect_import {
namespace {

constexpr std::size_t k_batch_rows = 4096;             // rows a transaction holds at most
constexpr auto k_batch_age = std::chrono::seconds(2);  // a slow run's entries wait no longer

bool set(const std::optional<std::string>& v) { return v && !v->empty(); }

}  // namespace

std::optional<std::string> default_ledger_path(
    const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  auto state = getenv("XDG_STATE_HOME");
  if (set(state) && state->front() == '/')
    return *state + "/prospect-import/ledger.db";  // XDG: absolute only
  auto home = getenv("HOME");
  if (set(home)) return *home + "/.local/state/prospect-import/ledger.db";
  return std::nullopt;
}

Result<std::unique_ptr<Ledger>> open_ledger(const Options& options, spdlog::logger& log) {
  if (options.no_ledger) return std::unique_ptr<Ledger>();
  if (!options.ledger) {
    log.info(
        "no ledger: neither XDG_STATE_HOME nor HOME is set and there is no --ledger PATH, so rows "
        "the "
        "program already has are sent again");
    return std::unique_ptr<Ledger>();
  }
  auto ledger = Ledger::open(*options.ledger,
                             options.dry_run ? LedgerAccess::read_only : LedgerAccess::read_write);
  if (!ledger) {
    return Error{ExitCode::io_error, ledger.error().message + " (--no-ledger imports without it)"};
  }
  log.debug("ledger: {}", *options.ledger);
  return std::move(*ledger);
}

ImportLedger::ImportLedger(std::unique_ptr<Ledger> ledger, LedgerScope scope,
                           const Options& options, const Clock& clock, spdlog::logger& log)
    : m_ledger(std::move(ledger)),
      m_scope(std::move(scope)),
      m_read(m_ledger && !options.recheck),
      m_write(m_ledger && !options.dry_run),
      m_clock(clock),
      m_log(log) {}

// Also when an exception ends the run: the server has them.
ImportLedger::~ImportLedger() {
  flush();
  {
    const std::lock_guard lock(m_handing);
    m_stopping = true;
  }
  m_handed_changed.notify_all();
  if (m_writer.joinable()) m_writer.join();
}

void ImportLedger::set_import(std::string file, std::string import_id) {
  m_file = std::move(file);
  m_import_id = std::move(import_id);
}

std::optional<LedgerEntry> ImportLedger::find(const std::string& contact_email,
                                              const std::string& group_id) {
  if (!m_read) return std::nullopt;
  std::unique_lock connection(m_connection);
  auto found = m_ledger->find(m_scope, ledger_email(contact_email), group_id);
  connection.unlock();
  if (found) return *found;
  if (!m_read_failure_said) {
    m_log.warn("warning: {}; rows it would know are sent", found.error().message);
    m_read_failure_said = true;
  }
  return std::nullopt;
}

void ImportLedger::record(const std::string& contact_email, const std::string& group_id,
                          const JournalEntry& outcome) {
  bool confirmed = outcome.fate == Fate::created || outcome.fate == Fate::already_exists;
  if (!m_write || !confirmed || outcome.prospect_id.empty()) return;
  if (m_batch.empty()) m_batch_began = m_clock.now();
  LedgerEntry e;
  e.email = ledger_email(contact_email);
  e.group_id = group_id;
  e.prospect_id = outcome.prospect_id;
  e.matched_partner_id = outcome.matched_partner_id;
  e.matched_partner_name = outcome.matched_partner_name;
  e.status = std::string(to_string(outcome.fate));
  e.file = m_file;
  e.row = outcome.line;
  e.import_id = m_import_id;
  m_batch.push_back(std::move(e));
  if (m_batch.size() >= k_batch_rows || m_clock.now() - m_batch_began >= k_batch_age) hand_off();
  say_write_failure();
}

void ImportLedger::flush() {
  if (!m_batch.empty()) hand_off();
  wait_written();
  say_write_failure();
}

// A batch of 4,096 rows is tens of milliseconds of SQLite: written on the
// import's own thread, no request went out meanwhile (~7 % of an online run's
// time with nothing sent). At most one batch waits while another is written.
void ImportLedger::hand_off() {
  if (!m_writer.joinable() && !m_inline) {
    try {
      m_writer = std::thread([this] { write_batches(); });
    } catch (const std::system_error&) {
      m_inline = true;  // no thread to be had: written here, as before
    }
  }
  if (m_inline) {
    auto failure = write(m_batch);
    m_batch.clear();
    const std::lock_guard lock(m_handing);
    if (failure && !m_failure) m_failure = std::move(failure);
    return;
  }
  {
    std::unique_lock lock(m_handing);
    m_handed_changed.wait(lock, [this] { return m_handed.empty(); });
    m_handed = std::move(m_batch);
  }
  m_batch.clear();
  m_handed_changed.notify_all();
}

std::optional<std::string> ImportLedger::write(const std::vector<LedgerEntry>& batch) {
  try {
    const std::lock_guard connection(m_connection);
    if (auto s = m_ledger->put(m_scope, batch); !s) return s.error().message;
  } catch (const std::exception& e) {
    return std::string("cannot write the ledger: ") + e.what();
  }
  return std::nullopt;
}

void ImportLedger::wait_written() {
  std::unique_lock lock(m_handing);
  m_handed_changed.wait(lock, [this] { return m_handed.empty() && !m_writing; });
}

void ImportLedger::say_write_failure() {
  std::optional<std::string> failure;
  {
    const std::lock_guard lock(m_handing);
    failure.swap(m_failure);
  }
  if (!failure || m_write_failure_said) return;
  m_log.warn("warning: {}; the import goes on (its journal keeps what was done)", *failure);
  m_write_failure_said = true;
}

void ImportLedger::write_batches() {
  std::unique_lock lock(m_handing);
  for (;;) {
    m_handed_changed.wait(lock, [this] { return !m_handed.empty() || m_stopping; });
    if (m_handed.empty()) return;  // stopping, and nothing left
    std::vector<LedgerEntry> batch = std::move(m_handed);
    m_handed.clear();
    m_writing = true;
    lock.unlock();
    m_handed_changed.notify_all();  // room for the next batch
    auto failure = write(batch);
    lock.lock();
    m_writing = false;
    if (failure && !m_failure) m_failure = std::move(failure);
    m_handed_changed.notify_all();
  }
}

}  // namespace prospect_import
