#include "prospect_import/import.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "prospect_import/csv_reader.h"
#include "prospect_import/curl_http.h"
#include "prospect_import/encoding.h"
#include "prospect_import/groups.h"
#include "prospect_import/header_map.h"
#include "prospect_import/input.h"
#include "prospect_import/outcome_book.h"
#include "prospect_import/journal.h"
#include "prospect_import/report.h"
#include "prospect_import/report_folder.h"
#include "prospect_import/resume.h"
#include "prospect_import/row_checker.h"
#include "prospect_import/sender.h"
#include "prospect_import/session.h"
#include "prospect_import/signals.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr std::uint64_t k_problems_shown = 20;  // row problems printed before "and N more"

char delimiter_char(const std::string& d) {
  if (d == "tab" || d == "\\t" || d == "\t") return '\t';
  if (d == "auto") return '\0';
  return d.front();
}

std::string describe_delimiter(char d) { return d == '\t' ? "tab" : std::string("'") + d + "'"; }

ExitCode exit_code_of(StopReason r) {
  switch (r) {
    case StopReason::finished: return ExitCode::ok;
    case StopReason::interrupted: return ExitCode::interrupted;
    case StopReason::terminated: return ExitCode::terminated;
    case StopReason::auth_refused: return ExitCode::no_permission;
    case StopReason::program_missing: return ExitCode::config;
    case StopReason::unreachable:
    case StopReason::too_many_failures: return ExitCode::unavailable;
    case StopReason::record_failed: return ExitCode::io_error;
  }
  return ExitCode::unavailable;
}

std::string describe_stop(StopReason r, const std::string& message) {
  switch (r) {
    case StopReason::finished: return "";
    case StopReason::interrupted: return "stopped by Ctrl-C (SIGINT)";
    case StopReason::terminated: return "stopped by SIGTERM";
    case StopReason::auth_refused: return "the API refused the credentials (" + message + ")";
    case StopReason::program_missing: return "the program no longer exists (" + message + ")";
    case StopReason::unreachable: return "the API's certificate could not be verified (" + message + ")";
    case StopReason::too_many_failures:
      return std::to_string(k_max_consecutive_failures) + " rows in a row failed after all retries (" + message + ")";
    case StopReason::record_failed: return "the outcome of a row could not be recorded";
  }
  return message;
}

// One run of an import: holds what the stages share.
class ImportRun {
 public:
  ImportRun(const Options& options, Io& io, spdlog::logger& log)
      : m_options(options), m_io(io), m_log(log), m_start(m_clock.now()) {
    m_summary.file = options.file;
    m_summary.program = options.program;
    m_summary.dry_run = options.dry_run || options.offline;
    m_summary.offline = options.offline;
  }

  ~ImportRun() {
    // A spooled input is only needed while the run lasts (a resume spools again).
    std::error_code ec;
    if (m_folder) std::filesystem::remove(m_folder->spool_path(), ec);
  }
  ImportRun(const ImportRun&) = delete;
  ImportRun& operator=(const ImportRun&) = delete;

  ExitCode run() {
    if (!m_options.offline) m_signals.emplace();  // from here on, a signal stops the run cleanly
    if (auto e = m_input.open(m_options.file)) return fail(*e);
    std::optional<Failure> failure;
    m_folder = ReportFolder::open(m_options.report_dir, failure);
    if (!m_folder) return fail_plain(*failure);
    if (auto f = check_journal()) return fail_plain(*f);
    if (m_options.offline) {
      if (auto e = load_groups()) return fail(*e);
    } else {
      if (m_options.groups_file) m_log.info("--groups-file is not used online: the groups come from the program");
      if (auto e = check_header()) return fail(*e);
      if (auto f = connect()) return abort_before_sending(*f);
    }
    if (auto f = open_report()) return fail_plain(*f);
    if (auto e = check_rows()) return fail(*e);
    if (!m_options.offline) send_rows();
    return finish();
  }

 private:
  std::optional<Failure> open_report() {
    std::optional<FileError> error;
    m_report = ReportWriter::open(m_folder->dir(), error);
    if (!m_report) return Failure{error->code, error->message};
    return std::nullopt;
  }

  // The journal decides whether this run starts afresh or continues (--resume).
  std::optional<Failure> check_journal() {
    if (!m_options.offline) {
      if (auto e = m_input.spool_if_not_seekable(m_folder->spool_path())) return Failure{e->code, e->message};
      auto hash = m_input.sha256();
      if (!hash) return Failure{ExitCode::io_error, "cannot read " + m_options.file};
      m_header = JournalHeader{*hash, m_options.program ? std::string(trim(*m_options.program)) : "",
                               m_options.account_sid ? std::string(trim(*m_options.account_sid)) : "",
                               m_options.dry_run, m_options.file};
    }
    auto decision = decide_resume(m_folder->read_journal(), m_header, m_options.resume, m_options.offline,
                                  m_folder->dir().string());
    if (decision.refusal) return decision.refusal;
    m_resume = std::move(decision.continue_from);
    m_book = OutcomeBook(m_resume ? &*m_resume : nullptr);
    if (m_resume) {
      m_log.info("resuming the import of {}: {} rows already done", m_options.file, m_resume->done.size());
      if (m_resume->ignored_records) {
        m_log.info("the journal's last {} record(s) were torn by the interruption and are ignored",
                   m_resume->ignored_records);
      }
    }
    return std::nullopt;
  }

  std::optional<FileError> load_groups() {
    if (!m_options.groups_file) return std::nullopt;
    std::ifstream in(*m_options.groups_file, std::ios::binary);
    if (!in) {
      return FileError{ExitCode::no_input, 0,
                       "cannot open the groups file " + *m_options.groups_file + ": " + std::strerror(errno)};
    }
    m_groups.emplace(read_group_names(in));
    m_log.debug("{} group names read from {}", m_groups->groups().size(), *m_options.groups_file);
    return std::nullopt;
  }

  // Online: credentials, the HTTP client, and the program's groups (which also
  // proves that the API is reachable, the credentials good and the program real).
  std::optional<Failure> connect() {
    if (!m_options.program || trim(*m_options.program).empty()) {
      return Failure{ExitCode::config, "no program: pass --program ID or set IMPACT_PROGRAM_ID "
                                       "(`prospect-import programs` lists them)"};
    }
    Credentials credentials;
    if (auto f = load_credentials(m_options, m_io, credentials)) return f;
    m_target = ApiTarget{m_options.api_base, credentials.account_sid, std::string(trim(*m_options.program))};
    m_http = make_curl_client(CurlSettings{credentials.account_sid, credentials.token, m_options.cacert,
                                           m_options.timeout_s, k_user_agent});
    const StopFlag& stop = m_signals->flag();
    auto sleep = [&stop](Clock::Duration d) {  // in slices, so that a signal ends the wait
      auto until = std::chrono::steady_clock::now() + d;
      while (stop.load() == 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::min<Clock::Duration>(until - std::chrono::steady_clock::now(),
                                                              std::chrono::milliseconds(100)));
      }
    };
    Session session(*m_http, m_pacer, m_clock, sleep, m_target, m_options.max_retries, &stop);
    std::vector<Group> groups;
    auto failure = session.list_groups(groups);
    m_summary.requests += session.requests();
    m_summary.retries += session.retries();
    m_summary.rate_limited += session.rate_limited();
    if (failure) return failure;
    m_log.info("program {}: {} partner groups", m_target.program, groups.size());
    m_groups.emplace(std::move(groups));
    return std::nullopt;
  }

  struct OpenedCsv {
    std::unique_ptr<CsvReader> reader;
    HeaderMap header;
    std::string encoding;
  };

  // Decodes the input, reads its header record and maps it to the template.
  std::optional<FileError> open_csv(OpenedCsv& csv) {
    auto request = parse_encoding(m_options.encoding);  // checked by the CLI layer
    auto decoder = make_decoder(m_input.stream(), request.value_or(EncodingRequest{}));
    const Decoder& dec = *decoder;
    csv.reader = std::make_unique<CsvReader>(std::move(decoder), delimiter_char(m_options.delimiter));
    Record record;
    if (!csv.reader->next(record)) {
      return csv.reader->error().value_or(FileError{
          ExitCode::data_error, 0, "the file is empty: it needs a header row (`prospect-import template` prints it)"});
    }
    csv.header = map_header(record.fields, record.line);
    csv.encoding = dec.encoding();
    return csv.header.error;
  }

  // Online, a file whose header is unusable is refused before any request.
  std::optional<FileError> check_header() {
    OpenedCsv csv;
    auto error = open_csv(csv);
    csv.reader.reset();
    m_input.rewind();
    return error;
  }

  std::optional<FileError> check_rows() {
    OpenedCsv csv;
    if (auto e = open_csv(csv)) return e;
    m_log.info("reading {} ({}, {} separated)", m_options.file, csv.encoding,
               describe_delimiter(csv.reader->delimiter()));
    note_unknown_columns(csv.header);
    RowChecker checker(csv.header, m_groups ? &*m_groups : nullptr);
    Record record;
    CheckedRow row;
    while (csv.reader->next(record)) {
      checker.check(record, row);
      record_outcome(row);
    }
    return csv.reader->error();
  }

  void note_unknown_columns(const HeaderMap& header) {
    if (header.unknown.empty()) return;
    std::string names;
    for (const auto& n : header.unknown) names += (names.empty() ? "\"" : ", \"") + n + "\"";
    m_log.info("ignoring columns that are not in the template: {}", names);
  }

  void record_outcome(const CheckedRow& row) {
    if (!row.valid() && !m_not_reached) {
      ++m_summary.invalid;
      show_problems(row);
    }
    if (!m_options.offline) {
      m_book.add(row, m_not_reached);
    } else if (!row.valid()) {
      m_report->add_error(row.line, describe_problems(row.problems), row.read);
    } else {
      if (!m_groups && !row.sent[index(Column::group_name)].empty()) m_unchecked_groups = true;
      ++m_summary.dry_run_ok;
      m_report->add_success(SuccessRow{row.line, SuccessStatus::valid, "", "", "", &row.sent});
    }
  }

  void show_problems(const CheckedRow& row) {
    for (const auto& p : row.problems) {
      if (++m_problems_seen > k_problems_shown && m_options.verbosity <= 0) continue;
      m_log.info("{}:{}: {}", m_options.file, row.line, describe_problems({p}));
    }
  }

  void send_rows() {
    std::vector<std::size_t> position;  // send index -> position in the book
    std::vector<SendRow> sends = m_book.to_send(position);
    if (!open_journal()) {
      m_stop = StopReason::record_failed;
      m_stop_message = journal_failure();
      write_online_report();
      return;
    }
    Sender sender(*m_http, m_clock, m_pacer,
                  SenderSettings{m_target, m_options.dry_run, m_options.concurrency, m_options.max_retries,
                                 progress_sink()},
                  m_signals->flag(), m_log);
    m_log.info("sending {} valid rows to program {}{}", sends.size(), m_target.program,
               m_options.dry_run ? " as a dry run" : "");
    Sender::Recorder recorder{
        [&](const SendRow& r) { return m_journal->sent(r.line); },
        [&](const RowResult& r) { return m_journal->done(m_book.record(position[r.index], r)); }};
    m_stop = sender.run(sends, recorder);
    m_stop_message = describe_stop(m_stop, sender.stop_message());
    if (m_stop == StopReason::record_failed) {
      m_stop_message = journal_failure();
    }
    m_summary.requests += sender.stats().requests;
    m_summary.retries += sender.stats().retries;
    m_summary.rate_limited += sender.stats().rate_limited;
    write_online_report();
  }

  // On a terminal the progress line is rewritten in place every second; in a
  // log (cron, CI) it is a line every 30 s.
  ProgressSink progress_sink() {
    if (!m_io.err_is_terminal || m_options.verbosity != 0) return ProgressSink{};
    return ProgressSink{std::chrono::seconds(1), [this](const std::string& line, bool final) {
                          m_io.err << "\r\033[K" << line << (final ? "\n" : "") << std::flush;
                        }};
  }

  std::string journal_failure() const {
    return "cannot write the journal " + m_folder->journal_path().string() + ": " + std::strerror(errno);
  }

  bool open_journal() {
    m_journal = m_resume ? JournalWriter::append(m_folder->journal_path(), m_resume->valid_bytes)
                         : JournalWriter::create(m_folder->journal_path(), m_header);
    return m_journal != nullptr;
  }

  void write_online_report() { m_book.write(*m_report, m_summary, m_stop_message, m_options.file, m_log); }

  // Reaching the API failed before any row was sent: every row is reported
  // not attempted (CLI.md), even those that would be invalid.
  ExitCode abort_before_sending(const Failure& f) {
    m_log.error("error: {}", f.message);
    m_stop = StopReason::unreachable;
    m_stop_message = f.message;
    m_not_reached = true;
    if (open_report() || check_rows()) return f.code;
    write_online_report();
    m_abort_code = f.code;
    finish();
    return f.code;
  }

  ExitCode finish() {
    if (m_problems_seen > k_problems_shown && m_options.verbosity <= 0) {
      m_log.info("... and {} more problems (-v shows all; errors.csv lists every row)",
                 m_problems_seen - k_problems_shown);
    }
    if (m_unchecked_groups) {
      m_log.warn("Group Name was not checked: offline, pass --groups-file with the program's "
                 "groups (`prospect-import groups --program ID > groups.txt` writes it)");
    }
    ExitCode code = m_abort_code                         ? *m_abort_code
                    : m_stop != StopReason::finished     ? exit_code_of(m_stop)
                    : m_summary.succeeded() < m_summary.rows() ? ExitCode::rows_failed
                                                               : ExitCode::ok;
    m_summary.exit_code = to_int(code);
    m_summary.elapsed_s = std::chrono::duration<double>(m_clock.now() - m_start).count();
    if (m_stop != StopReason::finished && !m_abort_code) {
      m_log.error("error: {}; rows not done are in errors.csv{}", m_stop_message,
                  m_journal ? ", and --resume continues" : "");
    }
    if (auto e = m_report->finish(m_summary)) return fail_plain(Failure{e->code, e->message});
    if (m_journal && m_stop == StopReason::finished && !m_journal->finish(to_int(code))) {
      return fail_plain(Failure{ExitCode::io_error, "cannot write the journal " + m_folder->journal_path().string()});
    }
    log_summary();
    if (m_options.json) {
      m_io.out << to_json(m_summary).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    }
    return code;
  }

  void log_summary() {
    const Summary& s = m_summary;
    if (m_options.offline) {
      m_log.info("{} rows checked: {} valid, {} invalid. Report: {}", s.rows(), s.succeeded(), s.invalid,
                 m_report->dir().string());
      return;
    }
    m_log.info("{} rows: {} created, {} already existed, {} dry-run ok, {} invalid, {} rejected by the API, "
               "{} failed, {} not attempted. Report: {}",
               s.rows(), s.created, s.already_exists, s.dry_run_ok, s.invalid, s.rejected, s.failed,
               s.not_attempted, m_report->dir().string());
  }

  // A problem of the input, named after it ("prospects.csv:14: ...").
  ExitCode fail(const FileError& e) {
    m_log.error("error: {}", format_file_error(m_options.file, e));
    return e.code;
  }

  // A problem whose message says what it is about.
  ExitCode fail_plain(const Failure& f) {
    m_log.error("error: {}", f.message);
    return f.code;
  }

  static constexpr const char* k_user_agent = "prospect-import/" PROSPECT_IMPORT_VERSION;

  const Options& m_options;
  Io& m_io;
  spdlog::logger& m_log;
  SystemClock m_clock;
  Clock::TimePoint m_start;
  Summary m_summary;
  Input m_input{m_io.in};
  std::optional<GroupCatalog> m_groups;
  std::unique_ptr<ReportWriter> m_report;
  std::uint64_t m_problems_seen = 0;
  bool m_unchecked_groups = false;
  // Online only.
  ApiTarget m_target;
  std::unique_ptr<HttpClient> m_http;
  Pacer m_pacer;
  std::optional<SignalScope> m_signals;
  std::unique_ptr<ReportFolder> m_folder;
  JournalHeader m_header;
  std::optional<JournalContents> m_resume;
  std::unique_ptr<JournalWriter> m_journal;
  OutcomeBook m_book{nullptr};
  StopReason m_stop = StopReason::finished;
  std::string m_stop_message;
  bool m_not_reached = false;             // aborted before any row was sent
  std::optional<ExitCode> m_abort_code;
};

}  // namespace

ExitCode import_file(const Options& options, Io& io, spdlog::logger& log) {
  return ImportRun(options, io, log).run();
}

}  // namespace prospect_import
