#include "prospect_import/import.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "prospect_import/csv_reader.h"
#include "prospect_import/encoding.h"
#include "prospect_import/groups.h"
#include "prospect_import/header_map.h"
#include "prospect_import/report.h"
#include "prospect_import/row_checker.h"

namespace prospect_import {
namespace {

constexpr std::uint64_t k_problems_shown = 20;  // row problems printed before "and N more"

char delimiter_char(const std::string& d) {
  if (d == "tab" || d == "\\t" || d == "\t") return '\t';
  if (d == "auto") return '\0';
  return d.front();
}

std::string describe_delimiter(char d) {
  return d == '\t' ? "tab" : std::string("'") + d + "'";
}

// One run of an import: holds what the stages share.
class ImportRun {
 public:
  ImportRun(const Options& options, Io& io, spdlog::logger& log)
      : m_options(options), m_io(io), m_log(log), m_start(std::chrono::steady_clock::now()) {
    m_summary.file = options.file;
    m_summary.program = options.program;
    m_summary.dry_run = options.dry_run || options.offline;
    m_summary.offline = options.offline;
  }

  ExitCode run() {
    if (auto e = open_input()) return fail(*e);
    if (auto e = load_groups()) return fail(*e);
    std::optional<FileError> error;
    m_report = ReportWriter::open(m_options.report_dir, error);
    if (!m_report) return fail_report(*error);
    if (auto e = check_rows()) return fail(*e);
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
                       "cannot open the groups file " + *m_options.groups_file + ": " +
                           std::strerror(errno)};
    }
    m_groups.emplace(read_group_names(in));
    m_log.debug("{} group names read from {}", m_groups->groups().size(), *m_options.groups_file);
    return std::nullopt;
  }

  std::optional<FileError> check_rows() {
    auto request = parse_encoding(m_options.encoding);  // checked by the CLI layer
    auto decoder = make_decoder(*m_stream, request.value_or(EncodingRequest{}));
    const Decoder& dec = *decoder;
    CsvReader reader(std::move(decoder), delimiter_char(m_options.delimiter));
    Record record;
    if (!reader.next(record)) {
      return reader.error().value_or(FileError{
          ExitCode::data_error, 0,
          "the file is empty: it needs a header row (`prospect-import template` prints it)"});
    }
    HeaderMap header = map_header(record.fields, record.line);
    if (header.error) return header.error;
    m_log.info("reading {} ({}, {} separated)", m_options.file, dec.encoding(),
               describe_delimiter(reader.delimiter()));
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
      m_report->add_error(row.line, describe_problems(row.problems), row.read);
      return;
    }
    if (!m_groups && !row.sent[index(Column::group_name)].empty()) m_unchecked_groups = true;
    ++m_summary.dry_run_ok;
    m_report->add_success(SuccessRow{row.line, SuccessStatus::valid, "", "", "", &row.sent});
  }

  void show_problems(const CheckedRow& row) {
    for (const auto& p : row.problems) {
      if (++m_problems_seen > k_problems_shown && m_options.verbosity <= 0) continue;
      m_log.info("{}:{}: {}", m_options.file, row.line, describe_problems({p}));
    }
  }

  ExitCode finish() {
    if (m_problems_seen > k_problems_shown && m_options.verbosity <= 0) {
      m_log.warn("... and {} more problems (-v shows all; errors.csv lists every row)",
                 m_problems_seen - k_problems_shown);
    }
    if (m_unchecked_groups) {
      m_log.warn("Group Name was not checked: offline, pass --groups-file with the program's "
                 "groups (`prospect-import groups --program ID > groups.txt` writes it)");
    }
    ExitCode code = m_summary.invalid > 0 ? ExitCode::rows_failed : ExitCode::ok;
    m_summary.exit_code = to_int(code);
    m_summary.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    if (auto e = m_report->finish(m_summary)) return fail_report(*e);
    m_log.info("{} rows checked: {} valid, {} invalid. Report: {}", m_summary.rows(),
               m_summary.succeeded(), m_summary.invalid, m_report->dir().string());
    if (m_options.json) {
      m_io.out << to_json(m_summary).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
               << "\n";
    }
    return code;
  }

  // A problem of the input, named after it ("prospects.csv:14: ...").
  ExitCode fail(const FileError& e) {
    m_log.error("error: {}", format_file_error(m_options.file, e));
    return e.code;
  }

  // A problem of the report folder, whose message names the folder.
  ExitCode fail_report(const FileError& e) {
    m_log.error("error: {}", e.message);
    return e.code;
  }

  const Options& m_options;
  Io& m_io;
  spdlog::logger& m_log;
  std::chrono::steady_clock::time_point m_start;
  Summary m_summary;
  std::ifstream m_file;
  std::istream* m_stream = nullptr;
  std::optional<GroupCatalog> m_groups;
  std::unique_ptr<ReportWriter> m_report;
  std::uint64_t m_problems_seen = 0;
  bool m_unchecked_groups = false;
};

}  // namespace

std::string format_file_error(const std::string& file, const FileError& e) {
  return e.line ? file + ":" + std::to_string(e.line) + ": " + e.message : file + ": " + e.message;
}

ExitCode import_file(const Options& options, Io& io, spdlog::logger& log) {
  return ImportRun(options, io, log).run();
}

}  // namespace prospect_import
