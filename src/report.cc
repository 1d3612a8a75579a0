#include "prospect_import/report.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "prospect_import/os_error.h"

namespace prospect_import {
namespace {

constexpr std::string_view k_bom = "\xEF\xBB\xBF";
constexpr const char* k_success = "success.csv";
constexpr const char* k_errors = "errors.csv";
constexpr const char* k_summary = "summary.json";

bool is_formula_lead(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

std::size_t leading_quotes(std::string_view v) {
  std::size_t n = 0;
  while (n < v.size() && v[n] == '\'') ++n;
  return n;
}

std::filesystem::path temp_path(const std::filesystem::path& dir, const char* name) {
  return dir / ("." + std::string(name) + ".tmp");
}

std::string header_row(std::initializer_list<std::string_view> first) {
  std::string r;
  for (auto h : first) r += std::string(r.empty() ? "" : ",") + std::string(h);
  for (const auto& c : k_columns) r += "," + std::string(c.header);
  return r + "\r\n";
}

// Flushes, syncs and closes f, then renames its temporary file into place.
// Returns 0, or the errno of the first step that failed (read at once: a
// full disk was once reported as "No such file or directory").
int commit_file(std::FILE* f, const std::filesystem::path& dir, const char* name) {
  int error = std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0 ? 0 : errno;
  if (std::fclose(f) != 0 && error == 0) error = errno;
  if (error != 0) return error;
  std::error_code ec;
  std::filesystem::rename(temp_path(dir, name), dir / name, ec);
  return ec.value();
}

int sync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return errno;
  int error = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return error;
}

// Keeps the first failure of several steps.
void keep_first(int& error, int next) {
  if (error == 0) error = next;
}

}  // namespace

std::string neutralise(std::string_view value) {
  std::size_t q = leading_quotes(value);
  if (q < value.size() && is_formula_lead(value[q])) return "'" + std::string(value);
  return std::string(value);
}

std::string undo_neutralise(std::string_view value) {
  std::size_t q = leading_quotes(value);
  if (q > 0 && q < value.size() && is_formula_lead(value[q])) return std::string(value.substr(1));
  return std::string(value);
}

static bool needs_quotes(std::string_view v) {
  for (char c : v) {  // one pass: find_first_of would search the set once per character
    if (c == ',' || c == '"' || c == ';' || c == '\r' || c == '\n' || c == '\t') return true;
  }
  return !v.empty() && (v.front() == ' ' || v.back() == ' ');
}

std::string csv_cell(std::string_view value) {
  std::string v = neutralise(value);
  bool quote = needs_quotes(v);
  if (!quote) return v;
  std::string r = "\"";
  for (char c : v) {
    if (c == '"') r += '"';
    r += c;
  }
  return r + "\"";
}

std::string_view to_string(SuccessStatus s) {
  switch (s) {
    case SuccessStatus::created: return "created";
    case SuccessStatus::already_exists: return "already_exists";
    case SuccessStatus::dry_run_ok: return "dry_run_ok";
    case SuccessStatus::valid: return "valid";
  }
  return "valid";
}

Result<std::unique_ptr<ReportWriter>> ReportWriter::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Error{ExitCode::cant_create, "cannot create the report folder " + dir.string() + ": " +
                                            ec.message() + "; choose another with --report-dir"};
  }
  std::FILE* success = std::fopen(temp_path(dir, k_success).c_str(), "wb");
  std::FILE* errors = success ? std::fopen(temp_path(dir, k_errors).c_str(), "wb") : nullptr;
  if (!errors) {
    int err = errno;
    Error error = is_out_of_descriptors(err)  // not the folder's fault
                      ? Error{ExitCode::io_error, "cannot write the report in " + dir.string() + ": " + describe_errno(err)}
                      : Error{ExitCode::cant_create, "cannot write in the report folder " + dir.string() + ": " +
                                                         std::strerror(err) + "; choose another with --report-dir"};
    if (success) std::fclose(success);
    return error;
  }
  auto writer = std::unique_ptr<ReportWriter>(new ReportWriter(dir, success, errors));
  writer->write_row(success, std::string(k_bom) + header_row({"Row", "Status", "Prospect ID",
                                                              "Matched Partner ID",
                                                              "Matched Partner Name"}));
  writer->write_row(errors, std::string(k_bom) + header_row({"Row", "Error"}));
  return writer;
}

ReportWriter::ReportWriter(std::filesystem::path dir, std::FILE* success, std::FILE* errors)
    : m_dir(std::move(dir)), m_success(success), m_errors(errors) {
  static constexpr std::size_t k_buffer = 1 << 16;
  std::setvbuf(m_success, nullptr, _IOFBF, k_buffer);
  std::setvbuf(m_errors, nullptr, _IOFBF, k_buffer);
}

ReportWriter::~ReportWriter() {
  // Not finished: leave no temporary files behind; the old report stays as it was.
  if (m_success) {
    std::fclose(m_success);
    std::fclose(m_errors);
    std::error_code ec;
    std::filesystem::remove(temp_path(m_dir, k_success), ec);
    std::filesystem::remove(temp_path(m_dir, k_errors), ec);
  }
}

void ReportWriter::write_row(std::FILE* f, const std::string& line) {
  errno = 0;
  if (std::fwrite(line.data(), 1, line.size(), f) != line.size() && m_write_error == 0) {
    m_write_error = errno != 0 ? errno : EIO;
  }
}

void ReportWriter::add_success(const SuccessRow& row) {
  m_buffer = std::to_string(row.line) + "," + std::string(to_string(row.status)) + "," +
             csv_cell(row.prospect_id) + "," + csv_cell(row.matched_partner_id) + "," +
             csv_cell(row.matched_partner_name);
  for (const auto& v : *row.sent) m_buffer += "," + csv_cell(v);
  m_buffer += "\r\n";
  write_row(m_success, m_buffer);
}

void ReportWriter::add_error(std::uint64_t line, std::string_view error, const Values& read) {
  m_buffer = std::to_string(line) + "," + csv_cell(error);
  for (const auto& v : read) m_buffer += "," + csv_cell(v);
  m_buffer += "\r\n";
  write_row(m_errors, m_buffer);
}

Status ReportWriter::finish(const Summary& summary) {
  std::string json = to_json(summary).dump(2, ' ', false,
                                           nlohmann::ordered_json::error_handler_t::replace);
  std::FILE* f = std::fopen(temp_path(m_dir, k_summary).c_str(), "wb");
  int error = f ? 0 : errno;
  if (f) write_row(f, json + "\n");
  // summary.json goes first and comes back last: a crash in between leaves
  // CSVs without a summary, which no one mistakes for a finished report.
  std::error_code ec;
  std::filesystem::remove(m_dir / k_summary, ec);
  keep_first(error, m_write_error);
  keep_first(error, commit_file(m_success, m_dir, k_success));
  keep_first(error, commit_file(m_errors, m_dir, k_errors));
  m_success = m_errors = nullptr;
  if (f && error == 0) {
    error = commit_file(f, m_dir, k_summary);
    keep_first(error, sync_dir(m_dir));
  } else if (f) {
    std::fclose(f);
  }
  if (error != 0) {
    for (const char* name : {k_success, k_errors, k_summary}) std::filesystem::remove(temp_path(m_dir, name), ec);
    return Error{ExitCode::io_error, "cannot write the report in " + m_dir.string() + ": " + describe_errno(error)};
  }
  return {};
}

}  // namespace prospect_import
