#include "prospect_import/online_import.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <deque>
#include <optional>
#include <unordered_map>

#include "prospect_import/groups.h"
#include "prospect_import/history.h"
#include "prospect_import/import_common.h"
#include "prospect_import/import_ledger.h"
#include "prospect_import/input.h"
#include "prospect_import/journal.h"
#include "prospect_import/line_set.h"
#include "prospect_import/os_error.h"
#include "prospect_import/outcome_book.h"
#include "prospect_import/progress.h"
#include "prospect_import/report_folder.h"
#include "prospect_import/resume.h"
#include "prospect_import/sender.h"
#include "prospect_import/session.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

// The API, once reached: where to send, how, and the program's groups.
struct Connection {
  ApiTarget target;
  std::unique_ptr<HttpClient> http;
  GroupCatalog groups;
};

// What the first pass learnt of the rows.
struct FirstPass {
  std::uint64_t valid = 0;
  std::uint64_t invalid = 0;
  std::string sha256;  // of the input's bytes: which import a journal belongs to
  // Valid rows the ledger knew: the second pass does not send them (a row
  // that became known since is sent, and answers 409).
  LineSet known_lines;
};

// Rows that an import discarded by --restart had confirmed (created or found),
// by line: `known` now, also when a kill kept them from reaching the ledger.
using Confirmed = JournalOutcomes;

Confirmed confirmed_before_restart(const std::optional<JournalContents>& discarded,
                                   const JournalHeader& ours) {
  Confirmed rows;
  if (!discarded || discarded->finished || ours.dry_run) return rows;
  const JournalHeader& theirs = discarded->header;
  if (theirs.input_sha256 != ours.input_sha256 || theirs.program != ours.program ||
      theirs.account_sid != ours.account_sid || theirs.dry_run) {
    return rows;  // another import: its lines are not these rows
  }
  discarded->done.for_each([&](const JournalEntry& e) {
    bool confirmed =
        e.fate == Fate::created || e.fate == Fate::already_exists || e.fate == Fate::known;
    if (confirmed && !e.prospect_id.empty()) rows.put(e);
  });
  return rows;
}

// How sending ended, for the exit code and the rows not done.
struct SendEnd {
  StopReason reason = StopReason::finished;
  std::string message;  // why rows were not attempted, for errors.csv and the log
};

ExitCode exit_code_of(StopReason r) {
  switch (r) {
    case StopReason::finished:
      return ExitCode::ok;
    case StopReason::interrupted:
      return ExitCode::interrupted;
    case StopReason::terminated:
      return ExitCode::terminated;
    case StopReason::auth_refused:
      return ExitCode::no_permission;
    case StopReason::program_missing:
    case StopReason::no_budget:
      return ExitCode::config;
    case StopReason::unreachable:
    case StopReason::too_many_failures:
    case StopReason::rate_limit_unknown:
      return ExitCode::unavailable;
    case StopReason::record_failed:
      return ExitCode::io_error;
    case StopReason::internal:
      return ExitCode::internal;
  }
  return ExitCode::internal;
}

std::string describe_stop(StopReason r, const std::string& message) {
  switch (r) {
    case StopReason::finished:
      return "";
    case StopReason::interrupted:
      return "stopped by Ctrl-C (SIGINT)";
    case StopReason::terminated:
      return "stopped by SIGTERM";
    case StopReason::auth_refused:
      return "the API refused the credentials (" + message + ")";
    case StopReason::program_missing:
      return "the program no longer exists (" + message + ")";
    case StopReason::unreachable:
      return "the API's certificate could not be verified (" + message + ")";
    case StopReason::too_many_failures:
      return std::to_string(k_max_consecutive_failures) +
             " rows in a row failed after all retries (" + message + ")";
    case StopReason::record_failed:
      return message;
    case StopReason::rate_limit_unknown:
    case StopReason::no_budget:
      return message;
    case StopReason::internal:
      return "an internal error (a bug; please report it): " + message;
  }
  return message;
}

void add_session_counts(Summary& summary, const Session& session) {
  summary.requests += session.requests();
  summary.retries += session.retries();
  summary.rate_limited += session.rate_limited();
}

// Credentials, the HTTP client and the program's groups.
Result<Connection> connect(const Options& options, ImportEnv& env, Pacer& pacer, Summary& summary) {
  if (!options.program || trim(*options.program).empty()) {
    return Error{ExitCode::config,
                 "no program: pass --program ID or set IMPACT_PROGRAM_ID "
                 "(`prospect-import programs` lists them)"};
  }
  auto credentials = load_credentials(options, env.io);
  if (!credentials) return credentials.error();
  Connection c{
      ApiTarget{options.api_base, credentials->account_sid, std::string(trim(*options.program))},
      env.make_http(*credentials), GroupCatalog({})};
  Session session(*c.http, pacer, env.clock, env.sleeper, c.target, options.max_retries, env.log,
                  &env.stop);
  auto groups = session.list_groups();
  add_session_counts(summary, session);
  if (!groups) return groups.error();
  env.log.info("program {}: {} partner groups", c.target.program, groups->size());
  c.groups = GroupCatalog(std::move(*groups));
  return c;
}

const std::string& email_of(const CheckedRow& row) {
  return row.sent[index(Column::contact_email)];
}

// The rest of the first pass: every row checked and counted, and looked up in
// the ledger; only the lines of known rows are kept. `keys`: key_spill()'s.
Result<FirstPass> check_every_row(TableInput& csv, const GroupCatalog& groups, Input& input,
                                  ProblemLog& problems, ImportLedger& ledger, KeySpill keys) {
  FirstPass pass;
  RowChecker checker(csv.header(), &groups, std::move(keys));
  Record record;
  CheckedRow row;
  ImportLedger::Lookups lookups(ledger);  // one read lock for thousands of rows
  while (csv.next(record)) {
    checker.check(record, row);
    if (row.valid()) {
      ++pass.valid;
      if (ledger.find(email_of(row), row.group_id)) pass.known_lines.insert(row.line);
    } else {
      ++pass.invalid;
      problems.show(row);
    }
  }
  problems.note_fullwidth(checker);
  // A stop or a full spool ends the reading early, which can look like a file error.
  if (auto e = input.first_pass_error()) return *e;
  if (csv.error()) return *csv.error();
  auto hash = input.finish_first_pass();
  if (!hash) return hash.error();
  pass.sha256 = *hash;
  return pass;
}

// The rows the second pass works with, besides the input.
struct SecondPassRows {
  const GroupCatalog& groups;
  OutcomeBook& book;
  const JournalContents* resumed;  // null: a fresh start
  JournalWriter* journal;          // null: it could not be opened (nothing is sent)
  ImportLedger& ledger;
  const LineSet& known_lines;
  const Confirmed& restarted;  // rows a discarded import confirmed (--restart)
};

// The second pass as the sender's row source: invalid rows, rows the resumed
// journal holds (which fill the ledger) and rows the ledger knows (journaled
// `known`) go straight to the book; the others are sent. It holds back while
// the book holds too many rows behind one without an outcome. `keys`: key_spill()'s.
class SecondPass final : public RowSource {
 public:
  SecondPass(TableInput& csv, const SecondPassRows& with, std::size_t max_held, KeySpill keys)
      : m_csv(csv),
        m_checker(csv.header(), &with.groups, std::move(keys)),
        m_with(with),
        m_max_held(max_held) {}

  Pull next(SendRow& out) override {
    Record record;
    while (m_with.book.held() < m_max_held) {
      if (m_journal_errno != 0 || !m_csv.next(record)) return Pull::end;
      m_checker.check(record, m_row);
      if (settled_at_once()) continue;
      if (auto known = known_entry()) {
        add_known(*known);
        continue;
      }
      m_pending[m_pulled++] =
          Pending{m_with.book.add_pending(m_row), email_of(m_row), m_row.group_id};
      out = SendRow{m_row.line, m_row.sent, m_row.group_id, sent_before(m_row.line)};
      return Pull::row;
    }
    return Pull::later;
  }

  // The outcome of the sender's row `index`: to the ledger when it is in the
  // journal (the journal is written first), and to the book in any case.
  void settle(std::size_t index, const JournalEntry& outcome, bool journaled) {
    auto it = m_pending.find(index);
    if (journaled) m_with.ledger.record(it->second.email, it->second.group_id, outcome);
    m_with.book.settle(it->second.slot, outcome);
    m_pending.erase(it);
  }

  // errno of a `known` row's journal write that failed (it stopped the pass), or 0.
  int journal_errno() const { return m_journal_errno; }

  // After a stop: the rows not yet read, each invalid, done or not attempted.
  void report_rest(const std::string& why) {
    Record record;
    while (m_csv.next(record)) {
      m_checker.check(record, m_row);
      if (!settled_at_once()) m_with.book.add_not_attempted(m_row, why);
    }
  }

 private:
  struct Pending {
    std::uint64_t slot = 0;  // the book's
    std::string email;       // the row's key in the ledger
    std::string group_id;
  };

  // An invalid row, or one the resumed journal holds, goes to the book as it is.
  bool settled_at_once() {
    if (!m_row.valid()) {
      m_with.book.add_invalid(m_row);
      return true;
    }
    if (auto done = resumed_outcome(m_row.line)) {
      add_done(*done);
      return true;
    }
    return false;
  }

  // A row done in the run being resumed; what the server confirmed goes to
  // the ledger too, so that it ends up holding every row the server has.
  void add_done(const JournalEntry& done) {
    m_with.ledger.record(email_of(m_row), m_row.group_id, done);
    m_with.book.add_done(m_row, done);
  }

  std::optional<LedgerEntry> known_entry() {
    if (!m_with.known_lines.count(m_row.line)) return std::nullopt;
    // Still there: it was not forgotten meanwhile.
    if (auto found = m_with.ledger.find(email_of(m_row), m_row.group_id)) return found;
    auto e = m_with.restarted.find(m_row.line);
    if (!e) return std::nullopt;
    // Confirmed by the discarded import, and maybe lost from the ledger by a kill: filled in now.
    m_with.ledger.record(email_of(m_row), m_row.group_id, *e);
    LedgerEntry entry;
    entry.prospect_id = e->prospect_id;
    entry.matched_partner_id = e->matched_partner_id;
    entry.matched_partner_name = e->matched_partner_name;
    return entry;
  }

  // Journaled without a sync of its own: a lost one is found in the ledger again.
  void add_known(const LedgerEntry& known) {
    JournalEntry entry{m_row.line,
                       Fate::known,
                       known.prospect_id,
                       known.matched_partner_id,
                       known.matched_partner_name,
                       ""};
    if (!m_with.journal->done(entry, JournalWriter::Durability::buffered))
      m_journal_errno = errno ? errno : EIO;
    m_with.book.add_done(m_row, entry);  // also when the journal failed: the report says it
  }

  std::optional<JournalEntry> resumed_outcome(std::uint64_t line) const {
    if (!m_with.resumed) return std::nullopt;
    return m_with.resumed->done.find(line);
  }
  bool sent_before(std::uint64_t line) const {
    return m_with.resumed && m_with.resumed->sent.count(line) > 0;
  }

  TableInput& m_csv;
  RowChecker m_checker;
  SecondPassRows m_with;
  std::size_t m_max_held;
  CheckedRow m_row;
  std::unordered_map<std::size_t, Pending> m_pending;  // by the sender's index
  std::size_t m_pulled = 0;
  int m_journal_errno = 0;
};

// On a terminal that takes control codes the progress line is rewritten in
// place every second, cut to the terminal's width; elsewhere (a log, TERM=dumb,
// -v) it is a timestamped line every 30 s, in a log only with --progress always.
ProgressSink progress_sink(const Options& options, Io& io) {
  if (options.progress == ProgressMode::never || options.verbosity < 0) return ProgressSink{};
  if (io.err_is_terminal && options.verbosity == 0 && capable_term(io.getenv("TERM"))) {
    return ProgressSink{std::chrono::seconds(1), [&io](const ProgressSnapshot& p, bool final) {
                          auto said = io.err_columns ? io.err_columns() : std::nullopt;
                          io.err << "\r\033[K"
                                 << terminal_progress(p, terminal_width(said, io.getenv("COLUMNS")))
                                 << (final ? "\n" : "") << std::flush;
                        }};
  }
  if (!io.err_is_terminal && options.progress == ProgressMode::automatic) return ProgressSink{};
  return ProgressSink{std::chrono::seconds(30), [&io](const ProgressSnapshot& p, bool) {
                        io.err << utc_timestamp(std::chrono::system_clock::now()) << " "
                               << log_progress_line(p) << "\n"
                               << std::flush;
                      }};
}

std::string journal_failure(const ReportFolder& folder, int error) {
  return "cannot write the journal " + folder.journal_path().string() + ": " +
         describe_errno(error);
}

// Outcomes written to the journal and not yet durable: each goes to the
// ledger and the book only once its record is on the disk (the group commit).
class DurableOutcomes {
 public:
  DurableOutcomes(JournalWriter& journal, SecondPass& rows) : m_journal(journal), m_rows(rows) {}
  DurableOutcomes(const DurableOutcomes&) = delete;
  DurableOutcomes& operator=(const DurableOutcomes&) = delete;
  // Also when an exception ends the sending: the report shows what was done.
  ~DurableOutcomes() {
    try {
      settle(Sender::Settle::all);
    } catch (...) {  // NOLINT(bugprone-empty-catch): already on the way to the top-level handler
    }
  }

  // False (errno set) when the record could not be written: the row is settled as not journaled.
  bool add(std::size_t index, JournalEntry entry) {
    if (!m_journal.done(entry, JournalWriter::Durability::grouped)) {
      int e = errno;  // settling the row (the ledger, the book) may change it
      m_rows.settle(index, entry, false);
      errno = e;
      return false;
    }
    m_waiting.push_back(Waiting{m_journal.last_written(), index, std::move(entry)});
    return true;
  }

  // The outcomes now durable (with Settle::all: after waiting for every one),
  // or nothing when a sync failed (errno set); then the rest are settled as not journaled.
  std::optional<std::size_t> settle(Sender::Settle mode) {
    if (mode == Sender::Settle::all && !m_waiting.empty() &&
        !m_journal.wait_durable(m_waiting.back().number)) {
      int e = errno;
      for (auto& w : m_waiting) m_rows.settle(w.index, w.entry, false);
      m_waiting.clear();
      errno = e;
      return std::nullopt;
    }
    std::uint64_t durable = m_journal.durable();
    std::size_t settled = 0;
    for (; !m_waiting.empty() && m_waiting.front().number <= durable; ++settled) {
      m_rows.settle(m_waiting.front().index, m_waiting.front().entry, true);
      m_waiting.pop_front();
    }
    return settled;
  }

 private:
  struct Waiting {
    std::uint64_t number;  // the journal record's
    std::size_t index;     // the sender's
    JournalEntry entry;
  };
  JournalWriter& m_journal;
  SecondPass& m_rows;
  std::deque<Waiting> m_waiting;
};

// Sends the rows of the second pass; every outcome goes to the journal, then,
// once durable, to the book.
SendEnd send_rows(const Options& options, ImportEnv& env, Connection& c, Pacer& pacer,
                  SecondPass& rows, JournalWriter& journal, const ReportFolder& folder,
                  std::uint64_t to_send, Summary& summary) {
  SenderSettings settings{c.target,
                          options.dry_run,
                          options.concurrency,
                          options.max_retries,
                          progress_sink(options, env.io),
                          to_send};
  Sender sender(*c.http, env.clock, env.sleeper, pacer, settings, env.stop, env.log);
  int journal_errno = 0;  // read right where a write failed
  DurableOutcomes outcomes(journal, rows);
  journal.on_durable([&http = *c.http] { http.wakeup(); });
  Sender::Recorder recorder{
      [&](const SendRow& r) {
        bool recorded = journal.sent(r.line);
        if (!recorded) journal_errno = errno;
        return recorded;
      },
      [&](const RowResult& r) {
        bool recorded = outcomes.add(
            r.index, JournalEntry{r.line, r.fate, r.answer.prospect_id, r.answer.matched_partner_id,
                                  r.answer.matched_partner_name, r.answer.message});
        if (!recorded && journal_errno == 0) journal_errno = errno;
        return recorded;
      },
      [&](Sender::Settle mode) {
        auto settled = outcomes.settle(mode);
        if (!settled && journal_errno == 0) journal_errno = errno;
        return settled;
      },
      [&] {
        bool written = journal.flush();
        if (!written && journal_errno == 0) journal_errno = errno;
        return written;
      }};
  SendEnd end;
  end.reason = sender.run(rows, recorder);
  if (!outcomes.settle(Sender::Settle::all)) {
    if (journal_errno == 0) journal_errno = errno;
    if (end.reason == StopReason::finished) end.reason = StopReason::record_failed;
  }
  journal.on_durable(nullptr);
  if (end.reason == StopReason::finished && rows.journal_errno() != 0) {
    end.reason = StopReason::record_failed;
    journal_errno = rows.journal_errno();
  }
  end.message = end.reason == StopReason::record_failed
                    ? journal_failure(folder, journal_errno)
                    : describe_stop(end.reason, sender.stop_message());
  summary.requests += sender.stats().requests;
  summary.retries += sender.stats().retries;
  summary.rate_limited += sender.stats().rate_limited;
  return end;
}

// The API could not be used before any row was sent: every row is reported
// not attempted, even those that would be invalid (CLI.md).
ExitCode abort_before_sending(const Options& options, ImportEnv& env, const ReportFolder& folder,
                              Input& input, TableInput& csv, Summary& summary,
                              Clock::TimePoint started, const Error& error,
                              JournalInFolder journal) {
  env.log.error("error: {}", error.message);
  auto report = ReportWriter::open(folder.folder(), Keeping{options.keep_reports, journal});
  if (!report) return error.code;
  OutcomeBook book(**report, summary, env.log, options.file);
  RowChecker reader(csv.header(), nullptr, key_spill(folder.folder(), env.log));
  Record record;
  CheckedRow row;
  while (csv.next(record)) {
    reader.check(record, row);
    book.add_not_attempted(row, error.message);
  }
  // Stopped or over --max-input-size while listing the rows: no report, the folder as it was.
  if (auto e = input.first_pass_error()) return fail(env, options, *e);
  if (csv.error()) return error.code;
  return end_run(env, options, **report, summary, started, error.code);
}

std::unique_ptr<JournalWriter> open_journal(const ReportFolder& folder, const JournalHeader& header,
                                            const std::optional<JournalContents>& resumed) {
  return resumed ? JournalWriter::append(folder.folder(), resumed->valid_bytes)
                 : JournalWriter::create(folder.folder(), header);
}

// A fresh import's header says which report it found, and the journal there
// (finished, or discarded by --restart) moves aside to go to history/ with it.
Result<JournalHeader> prepare_fresh_journal(const Options& options, const ReportFolder& folder,
                                            JournalHeader header) {
  auto fingerprint = report_fingerprint(folder.folder());
  if (!fingerprint) return fingerprint.error();
  header.report_before = *fingerprint;
  if (auto s = History(folder.folder(), options.keep_reports).displace_journal(); !s)
    return s.error();
  return header;
}

// Known rows that a resumed journal does not already hold.
std::uint64_t known_to_skip(const FirstPass& pass, const std::optional<JournalContents>& resumed) {
  if (!resumed) return pass.known_lines.size();
  std::uint64_t not_held = 0;
  pass.known_lines.for_each(
      [&](std::uint64_t line) { not_held += resumed->done.count(line) == 0; });
  return not_held;
}

// --- budget (issue 8 §2) ---
// "10 requests a window: 50 % of the API's limit of 20; at most 3600 an hour",
// or "" while neither the limit nor --max-rate is known.
std::string describe_budget(const Pacer& pacer) {
  const Budget& budget = pacer.budget();
  std::string text;
  if (auto per_window = budget.per_window()) {
    const int share = budget.settings().share_percent;
    text = std::to_string(*per_window) + " requests a window: " +
           (share < 100 ? std::to_string(share) + " % of the API's limit of " +
                              std::to_string(*pacer.limit())
                        : "the API's limit");
  }
  if (auto max_rate = budget.settings().max_per_hour) {
    text += (text.empty() ? "at most " : "; at most ") + std::to_string(*max_rate) +
            " requests an hour";
  }
  return text;
}

// What sending `to_send` rows takes at the budget, as the announce line ends.
std::string budget_time(Pacer& pacer, Clock::TimePoint now, std::uint64_t to_send) {
  const std::string budget = describe_budget(pacer);
  auto eta = pacer.limit_eta(now, to_send);
  if (budget.empty() || !eta) return "";
  if (*eta < std::chrono::seconds(1)) return "; the budget (" + budget + ") covers them at once";
  // "at least": whole seconds rounded down.
  return "; at the budget (" + budget + ") that takes at least " +
         format_duration(std::chrono::floor<std::chrono::seconds>(*eta));
}

// How many rows a resumed import has left, how many the ledger knows and what
// sending the rest takes at the budget: one line before anything is sent.
std::uint64_t announce(const Options& options, ImportEnv& env, const Connection& c, Pacer& pacer,
                       const FirstPass& pass, const std::optional<JournalContents>& resumed) {
  std::uint64_t done = resumed ? resumed->done.size() : 0;
  std::uint64_t known = known_to_skip(pass, resumed);
  std::uint64_t to_send = pass.valid > done + known ? pass.valid - done - known : 0;
  if (resumed) {
    env.log.info("resuming the import of {}: {} rows already done", options.file, done);
    if (resumed->ignored_records) {
      env.log.info("the journal's last {} record(s) were torn by the interruption and are ignored",
                   resumed->ignored_records);
    }
  }
  std::string notes;
  if (options.dry_run) notes += " as a dry run (it spends the budget as an import does)";
  if (known) {
    notes += " (" + std::to_string(known) +
             " more are in the ledger and are not sent; --recheck sends them)";
  }
  env.log.info("sending {} valid rows to program {}{}{}", to_send, c.target.program, notes,
               budget_time(pacer, env.clock.now(), to_send));
  return to_send;
}
// --- end budget ---

struct SecondPassInput {
  const TableSettings& settings;
  const FirstPassSettings& spool;
  Connection& connection;
  Pacer& pacer;
  ImportLedger& ledger;
  const FirstPass& first;
  const Confirmed& restarted;
  const JournalHeader& header;
  const std::optional<JournalContents>& resumed;
  std::uint64_t to_send;
};

// The second pass: sends, then reports every row and commits the report.
ExitCode send_and_report(const Options& options, ImportEnv& env, const ReportFolder& folder,
                         Input& input, const SecondPassInput& in, Summary& summary,
                         Clock::TimePoint started) {
  auto stream = input.second_pass();
  if (!stream) return fail(env, options, stream.error());
  auto csv = open_table(input, **stream, in.settings, in.spool);
  if (!csv) return fail(env, options, csv.error());
  auto report =
      ReportWriter::open(folder.folder(), Keeping{options.keep_reports, JournalInFolder::stays});
  if (!report) return fail(env, options, report.error());
  auto header = in.resumed ? Result<JournalHeader>(in.header)
                           : prepare_fresh_journal(options, folder, in.header);
  if (!header) return fail(env, options, header.error());
  OutcomeBook book(**report, summary, env.log, options.file);
  std::size_t max_held = 16 * static_cast<std::size_t>(options.concurrency) + 64;
  auto journal = open_journal(folder, *header, in.resumed);
  SendEnd end{StopReason::record_failed, journal_failure(folder, errno)};
  SecondPass rows(**csv,
                  SecondPassRows{in.connection.groups, book, in.resumed ? &*in.resumed : nullptr,
                                 journal.get(), in.ledger, in.first.known_lines, in.restarted},
                  max_held, key_spill(folder.folder(), env.log));
  if (journal) {
    try {
      end = send_rows(options, env, in.connection, in.pacer, rows, *journal, folder, in.to_send,
                      summary);
    } catch (const std::exception& e) {
      end = SendEnd{StopReason::internal, describe_stop(StopReason::internal, e.what())};
    }
  }
  rows.report_rest(end.message);
  in.ledger.flush();
  if ((*csv)->error()) {
    end = SendEnd{StopReason::record_failed, "the input changed while it was imported: " +
                                                 describe((*csv)->error().value(), options.file)};
  }
  book.close(end.message);
  bool finished = end.reason == StopReason::finished;
  ExitCode code = !finished                              ? exit_code_of(end.reason)
                  : summary.succeeded() < summary.rows() ? ExitCode::rows_failed
                                                         : ExitCode::ok;
  if (!finished) {
    env.log.error("error: {}; rows not done are in errors.csv{}", end.message,
                  journal ? ", and --resume continues" : "");
  }
  ExitCode result = end_run(env, options, **report, summary, started, code);
  if (result == code && journal && finished && !journal->finish(to_int(code))) {
    int e = errno;
    return fail(env, options, Error{ExitCode::io_error, journal_failure(folder, e)});
  }
  return result;
}

// --strict with invalid rows: every row is reported, the valid ones not
// attempted, and nothing is sent (exit 1).
ExitCode send_nothing(const Options& options, ImportEnv& env, const ReportFolder& folder,
                      Input& input, const Connection& c, std::uint64_t invalid,
                      const TableSettings& settings, const FirstPassSettings& spool,
                      Summary& summary, Clock::TimePoint started) {
  std::string why = "--strict and " + std::to_string(invalid) + " invalid rows";
  env.log.error("error: --strict: {} rows are invalid, so no row is sent; see errors.csv", invalid);
  auto stream = input.second_pass();
  if (!stream) return fail(env, options, stream.error());
  auto csv = open_table(input, **stream, settings, spool);
  if (!csv) return fail(env, options, csv.error());
  auto report =
      ReportWriter::open(folder.folder(), Keeping{options.keep_reports, JournalInFolder::goes});
  if (!report) return fail(env, options, report.error());
  OutcomeBook book(**report, summary, env.log, options.file);
  RowChecker checker((*csv)->header(), &c.groups, key_spill(folder.folder(), env.log));
  Record record;
  CheckedRow row;
  while ((*csv)->next(record)) {
    checker.check(record, row);
    if (row.valid())
      book.add_not_attempted(row, why);
    else
      book.add_invalid(row);
  }
  if ((*csv)->error()) return fail(env, options, *(*csv)->error());
  book.close(why);
  return end_run(env, options, **report, summary, started, ExitCode::rows_failed);
}

}  // namespace

ExitCode run_online(const Options& options, ImportEnv& env) {
  Clock::TimePoint started = env.clock.now();
  Summary summary{options.file, options.program, options.dry_run, false};
  summary.started_at = utc_timestamp(std::chrono::system_clock::now());
  const Continuation how = continuation(options);
  auto settings = table_settings(options);
  if (!settings) return fail(env, options, settings.error());
  std::unique_ptr<ReportFolder>
      locked;  // declared first, released last: the spool goes while it is held
  Input input(env.io.in);
  if (auto s = input.open(options.file); !s) {
    // A signal interrupts the open of a FIFO no writer has opened yet (EINTR):
    // a stop before anything was written, not an unreadable input (66).
    if (int sig = env.stop.load()) {
      return fail(env, options, stopped_by(sig));
    }
    return fail(env, options, s.error());
  }
  auto folder = ReportFolder::open(options.report_dir);
  if (!folder) return fail(env, options, folder.error());
  locked = std::move(*folder);
  const ReportFolder& dir = *locked;
  auto read = dir.read_journal();
  if (!read) return fail(env, options, read.error());
  std::optional<JournalContents> journal = std::move(*read);
  if (auto s = check_unfinished(journal, how, false, dir.dir().string()); !s)
    return fail(env, options, s.error());
  // Failing before sending, a run continuing an unfinished import leaves its journal for later.
  const JournalInFolder before_sending =
      journal && !journal->finished && how == Continuation::resume ? JournalInFolder::stays
                                                                   : JournalInFolder::goes;
  if (options.groups_file)
    env.log.info("--groups-file is not used online: the groups come from the program");
  auto opened_ledger =
      open_ledger(options, env.log);  // before any request: one that cannot be used stops the run
  if (!opened_ledger) return fail(env, options, opened_ledger.error());

  // Pass 1: the header, the API, every row.
  FirstPassSettings spool{dir.folder(), options.max_input_size, &env.stop};
  std::istream& first = input.first_pass(spool);
  TableSettings reading = *settings;
  reading.on_encoding = log_encoding(env.log);  // said once, in the first pass
  auto csv = open_table(input, first, reading, spool);
  if (!csv) return fail(env, options, input.first_pass_error().value_or(csv.error()));
  Pacer pacer(budget_settings(options));
  auto connection = connect(options, env, pacer, summary);
  if (!connection)
    return abort_before_sending(options, env, dir, input, **csv, summary, started,
                                connection.error(), before_sending);
  note_reading(env.log, options, **csv);
  const ApiTarget& target = connection->target;
  ImportLedger ledger(std::move(*opened_ledger),
                      ledger_scope(target.base, target.account_sid, target.program), options,
                      env.clock, env.log);
  ProblemLog problems(env.log, options);
  auto pass = check_every_row(**csv, connection->groups, input, problems, ledger,
                              key_spill(dir.folder(), env.log));
  if (!pass) return fail(env, options, pass.error());
  problems.show_rest();
  ledger.set_import(options.file, pass->sha256);

  // The decisions.
  JournalHeader header{pass->sha256,
                       connection->target.program,
                       connection->target.account_sid,
                       options.dry_run,
                       options.file,
                       options.strict,
                       "",  // the report it found: noted when the journal is made
                       (*csv)->reading()};
  // The first pass's reader goes before the second's is made: its decoding
  // buffers (8 MiB) would otherwise be held twice while sending.
  csv->reset();
  Confirmed restarted;
  if (how == Continuation::restart && ledger.reads()) {
    restarted = confirmed_before_restart(journal, header);
    restarted.for_each([&](const JournalEntry& e) { pass->known_lines.insert(e.line); });
  }
  auto resumed = decide_resume(std::move(journal), header, how, false, dir.dir().string());
  if (!resumed) return fail(env, options, resumed.error());
  // --strict is decided before the import's first row is sent, so a resume does not decide again.
  if (options.strict && !*resumed && pass->invalid > 0)
    return send_nothing(options, env, dir, input, *connection, pass->invalid, *settings, spool,
                        summary, started);
  std::uint64_t to_send = announce(options, env, *connection, pacer, *pass, *resumed);

  // Pass 2.
  SecondPassInput second{*settings, spool,     *connection, pacer,    ledger,
                         *pass,     restarted, header,      *resumed, to_send};
  return send_and_report(options, env, dir, input, second, summary, started);
}

}  // namespace prospect_import
