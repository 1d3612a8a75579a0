#include "prospect_import/report.h"

#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>
#include <utility>

#include "prospect_import/os_error.h"

namespace prospect_import {
namespace {

constexpr std::string_view k_bom = "\xEF\xBB\xBF";
constexpr const char* k_success = "success.csv";
constexpr const char* k_errors = "errors.csv";
constexpr const char* k_summary = "summary.json";
constexpr const char* k_reports[] = {k_success, k_errors, k_summary};

bool is_formula_lead(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

std::size_t leading_quotes(std::string_view v) {
  std::size_t n = 0;
  while (n < v.size() && v[n] == '\'') ++n;
  return n;
}

std::string temp_name(const char* name) { return "." + std::string(name) + ".tmp"; }

std::string header_row(std::initializer_list<std::string_view> first) {
  std::string r;
  for (auto h : first) r += std::string(r.empty() ? "" : ",") + std::string(h);
  for (const auto& c : k_columns) r += "," + std::string(c.header);
  return r + "\r\n";
}

// Keeps the first failure of several steps.
void keep_first(int& error, int next) {
  if (error == 0) error = next;
}

// A new temporary file for the report `name`, as a stream.
Result<std::FILE*> create_temp(const Folder& folder, const char* name) {
  auto fd = folder.create(temp_name(name), Access::write_only);
  if (!fd) return fd.error();
  std::FILE* f = ::fdopen(fd->get(), "wb");
  if (!f) {
    int err = errno;
    return Error{ExitCode::io_error, "cannot write the report in " + folder.path().string() + ": " +
                                         describe_errno(err)};
  }
  fd->release();  // f owns it now
  return f;
}

// The temporary file of each of k_reports, or none (those made are removed again).
Status create_temps(const Folder& folder, std::FILE* (&files)[3]) {
  for (std::size_t i = 0; i < 3; ++i) {
    auto f = create_temp(folder, k_reports[i]);
    if (f) {
      files[i] = *f;
      continue;
    }
    for (std::size_t j = 0; j < i; ++j) {
      std::fclose(files[j]);
      folder.remove(temp_name(k_reports[j]));
    }
    return f.error();
  }
  return {};
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
    case SuccessStatus::created:
      return "created";
    case SuccessStatus::already_exists:
      return "already_exists";
    case SuccessStatus::dry_run_ok:
      return "dry_run_ok";
    case SuccessStatus::valid:
      return "valid";
    case SuccessStatus::known:
      return "known";
  }
  return "valid";
}

Result<std::unique_ptr<ReportWriter>> ReportWriter::open(const Folder& folder, Keeping keeping) {
  // Refused now rather than at the end: rename() would replace a link, but a
  // link there is a sign of someone else at work in the folder.
  for (const char* name : k_reports) {
    if (auto s = folder.check_replaceable(name); !s) return s.error();
  }
  if (auto s = History(folder, keeping.keep_reports).check(); !s) return s.error();
  std::FILE* files[3] = {};
  if (auto s = create_temps(folder, files); !s) return s.error();
  auto writer = std::unique_ptr<ReportWriter>(
      new ReportWriter(folder, keeping, files[0], files[1], files[2]));
  writer->write_row(
      writer->m_success,
      std::string(k_bom) + header_row({"Row", "Status", "Prospect ID", "Matched Partner ID",
                                       "Matched Partner Name"}));
  writer->write_row(writer->m_errors, std::string(k_bom) + header_row({"Row", "Error"}));
  return writer;
}

ReportWriter::ReportWriter(Folder folder, Keeping keeping, std::FILE* success, std::FILE* errors,
                           std::FILE* summary)
    : m_folder(std::move(folder)),
      m_keeping(keeping),
      m_success(success),
      m_errors(errors),
      m_summary(summary) {
  static constexpr std::size_t k_buffer = 1 << 16;
  std::setvbuf(m_success, nullptr, _IOFBF, k_buffer);
  std::setvbuf(m_errors, nullptr, _IOFBF, k_buffer);
}

ReportWriter::~ReportWriter() { discard(); }

// Not finished: leave no temporary files behind; the old report stays as it was.
void ReportWriter::discard() {
  for (std::FILE** f : {&m_success, &m_errors, &m_summary}) {
    if (*f) std::fclose(std::exchange(*f, nullptr));
  }
  for (const char* name : k_reports) m_folder.remove(temp_name(name));
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

// Flushes, syncs and closes f. Returns 0, or the errno of the first step that
// failed (read at once: a full disk was once reported as "No such file or directory").
int ReportWriter::close_durably(std::FILE* f) {
  int error = std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0 ? 0 : errno;
  if (std::fclose(f) != 0 && error == 0) error = errno;
  return error;
}

Status ReportWriter::finish(const Summary& summary) {
  std::string json =
      to_json(summary).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  write_row(m_summary, json + "\n");
  int error = m_write_error;
  for (std::FILE** f : {&m_success, &m_errors, &m_summary})
    keep_first(error, close_durably(std::exchange(*f, nullptr)));
  if (error == 0) {
    // Only a report that is complete on disk replaces the old one, which goes to history/.
    if (auto s = History(m_folder, m_keeping.keep_reports).keep_replaced(m_keeping.journal); !s) {
      discard();
      return s.error();
    }
    // summary.json goes first and comes back last: a crash in between leaves
    // CSVs without a summary, which no one mistakes for a finished report.
    m_folder.remove(k_summary);
    for (const char* name : k_reports) {
      if (error == 0 && !m_folder.rename(temp_name(name), name)) error = errno;
    }
    if (error == 0 && !m_folder.sync()) error = errno;
  }
  if (error != 0) {
    discard();
    return Error{ExitCode::io_error,
                 "cannot write the report in " + dir().string() + ": " + describe_errno(error)};
  }
  return {};
}

}  // namespace prospect_import
