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
#include "prospect_import/report.h"
#include "prospect_import/row_checker.h"
#include "prospect_import/sender.h"
#include "prospect_import/session.h"
#include "prospect_import/signals.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr std::uint64_t k_problems_shown = 20;  // row problems printed before "and N more"
constexpr std::size_t k_no_send = SIZE_MAX;

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

SuccessStatus status_of(Fate f) {
  return f == Fate::created ? SuccessStatus::created
         : f == Fate::already_exists ? SuccessStatus::already_exists
                                     : SuccessStatus::dry_run_ok;
}

// An online row between the check and the report.
struct StoredRow {
  std::uint64_t line;
  Values read;
  std::string problems;   // why it is invalid; empty when valid
  std::size_t send;       // index into the rows sent, k_no_send when invalid
};

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

  ExitCode run() {
    if (auto e = open_input()) return fail(*e);
    if (m_options.offline) {
      if (auto e = load_groups()) return fail(*e);
    } else if (auto f = connect()) {
      return fail_plain(*f);
    }
    std::optional<FileError> error;
    m_report = ReportWriter::open(m_options.report_dir, error);
    if (!m_report) return fail_plain(Failure{error->code, error->message});
    if (auto e = check_rows()) return fail(*e);
    if (!m_options.offline) send_rows();
    return finish();
  }

 private:
  std::optional<FileError> open_input() {
    if (m_options.file == "-") {
      m_stream = &m_io.in;
      return std::nullopt;
    }
    std::error_code ec;
    if (std::filesystem::is_directory(m_options.file, ec)) {
      return FileError{ExitCode::no_input, 0, "is a folder, not a CSV file"};
    }
    m_file.open(m_options.file, std::ios::binary);
    if (!m_file) {
      return FileError{ExitCode::no_input, 0, std::string("cannot open the file: ") + std::strerror(errno)};
    }
    m_stream = &m_file;
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
    Session session(*m_http, m_pacer, m_clock, sleep_for, m_target, m_options.max_retries);
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

  static void sleep_for(Clock::Duration d) {
    if (d > Clock::Duration::zero()) std::this_thread::sleep_for(d);
  }

  std::optional<FileError> check_rows() {
    auto request = parse_encoding(m_options.encoding);  // checked by the CLI layer
    auto decoder = make_decoder(*m_stream, request.value_or(EncodingRequest{}));
    const Decoder& dec = *decoder;
    CsvReader reader(std::move(decoder), delimiter_char(m_options.delimiter));
    Record record;
    if (!reader.next(record)) {
      return reader.error().value_or(FileError{
          ExitCode::data_error, 0, "the file is empty: it needs a header row (`prospect-import template` prints it)"});
    }
    HeaderMap header = map_header(record.fields, record.line);
    if (header.error) return header.error;
    m_log.info("reading {} ({}, {} separated)", m_options.file, dec.encoding(), describe_delimiter(reader.delimiter()));
    note_unknown_columns(header);
    RowChecker checker(header, m_groups ? &*m_groups : nullptr);
    CheckedRow row;
    while (reader.next(record)) {
      checker.check(record, row);
      record_outcome(row);
    }
    return reader.error();
  }

  void note_unknown_columns(const HeaderMap& header) {
    if (header.unknown.empty()) return;
    std::string names;
    for (const auto& n : header.unknown) names += (names.empty() ? "\"" : ", \"") + n + "\"";
    m_log.info("ignoring columns that are not in the template: {}", names);
  }

  void record_outcome(const CheckedRow& row) {
    if (!row.valid()) {
      ++m_summary.invalid;
      show_problems(row);
    }
    if (!m_options.offline) {
      keep_for_sending(row);
    } else if (!row.valid()) {
      m_report->add_error(row.line, describe_problems(row.problems), row.read);
    } else {
      if (!m_groups && !row.sent[index(Column::group_name)].empty()) m_unchecked_groups = true;
      ++m_summary.dry_run_ok;
      m_report->add_success(SuccessRow{row.line, SuccessStatus::valid, "", "", "", &row.sent});
    }
  }

  void keep_for_sending(const CheckedRow& row) {
    if (!row.valid()) {
      m_rows.push_back(StoredRow{row.line, row.read, describe_problems(row.problems), k_no_send});
      return;
    }
    m_rows.push_back(StoredRow{row.line, row.read, "", m_sends.size()});
    m_sends.push_back(SendRow{row.line, row.sent, row.group_id});
  }

  void show_problems(const CheckedRow& row) {
    for (const auto& p : row.problems) {
      if (++m_problems_seen > k_problems_shown && m_options.verbosity <= 0) continue;
      m_log.info("{}:{}: {}", m_options.file, row.line, describe_problems({p}));
    }
  }

  void send_rows() {
    SignalScope signals;
    std::vector<std::optional<RowResult>> results(m_sends.size());
    Sender sender(*m_http, m_clock, m_pacer,
                  SenderSettings{m_target, m_options.dry_run, m_options.concurrency, m_options.max_retries},
                  signals.flag(), m_log);
    m_log.info("sending {} valid rows to program {}{}", m_sends.size(), m_target.program,
               m_options.dry_run ? " as a dry run" : "");
    m_stop = sender.run(m_sends, [&](const RowResult& r) {
      results[r.index] = r;
      return true;
    });
    m_stop_message = describe_stop(m_stop, sender.stop_message());
    m_summary.requests += sender.stats().requests;
    m_summary.retries += sender.stats().retries;
    m_summary.rate_limited += sender.stats().rate_limited;
    write_online_report(results);
  }

  void write_online_report(const std::vector<std::optional<RowResult>>& results) {
    for (const StoredRow& row : m_rows) {
      if (row.send == k_no_send) {
        m_report->add_error(row.line, row.problems, row.read);
        continue;
      }
      const SendRow& sent = m_sends[row.send];
      const auto& result = results[row.send];
      if (!result) {
        ++m_summary.not_attempted;
        m_report->add_error(row.line, "not attempted: " + m_stop_message, row.read);
      } else if (result->fate == Fate::rejected || result->fate == Fate::failed) {
        add_failed_row(row, *result);
      } else {
        count_success(result->fate);
        m_report->add_success(SuccessRow{row.line, status_of(result->fate), result->answer.prospect_id,
                                         result->answer.matched_partner_id,
                                         result->answer.matched_partner_name, &sent.sent});
      }
    }
  }

  void add_failed_row(const StoredRow& row, const RowResult& result) {
    bool rejected = result.fate == Fate::rejected;
    ++(rejected ? m_summary.rejected : m_summary.failed);
    std::string error = rejected ? result.answer.message : "failed: " + result.answer.message;
    m_log.info("{}:{}: {}", m_options.file, row.line, error);
    m_report->add_error(row.line, error, row.read);
  }

  void count_success(Fate f) {
    ++(f == Fate::created ? m_summary.created
       : f == Fate::already_exists ? m_summary.already_exists
                                   : m_summary.dry_run_ok);
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
    ExitCode code = m_stop != StopReason::finished ? exit_code_of(m_stop)
                    : m_summary.succeeded() < m_summary.rows() ? ExitCode::rows_failed
                                                               : ExitCode::ok;
    m_summary.exit_code = to_int(code);
    m_summary.elapsed_s = std::chrono::duration<double>(m_clock.now() - m_start).count();
    if (auto e = m_report->finish(m_summary)) return fail_plain(Failure{e->code, e->message});
    if (m_stop != StopReason::finished) m_log.error("error: {}; rows not done are in errors.csv", m_stop_message);
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
  std::ifstream m_file;
  std::istream* m_stream = nullptr;
  std::optional<GroupCatalog> m_groups;
  std::unique_ptr<ReportWriter> m_report;
  std::uint64_t m_problems_seen = 0;
  bool m_unchecked_groups = false;
  // Online only.
  ApiTarget m_target;
  std::unique_ptr<HttpClient> m_http;
  Pacer m_pacer;
  std::vector<StoredRow> m_rows;
  std::vector<SendRow> m_sends;
  StopReason m_stop = StopReason::finished;
  std::string m_stop_message;
};

}  // namespace

std::string format_file_error(const std::string& file, const FileError& e) {
  return e.line ? file + ":" + std::to_string(e.line) + ": " + e.message : file + ": " + e.message;
}

ExitCode import_file(const Options& options, Io& io, spdlog::logger& log) {
  return ImportRun(options, io, log).run();
}

}  // namespace prospect_import
