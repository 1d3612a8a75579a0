#include "prospect_import/report.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>
#include <utility>

#include "prospect_import/os_error.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

std::string_view undo_neutralise_quoted(std::string_view value) {
  std::size_t q = leading_quotes(value);
  if (q > 0 && q < value.size() && is_formula_lead(value[q])) return value.substr(1);
  return value;
}

namespace {

// Bytes that, first in a value, may make its cell more than a copy: a space
// (quoted), a quote (a neutralising one may follow) or a formula lead.
constexpr std::array<bool, 256> k_careful_lead = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view(" '=+-@\t\r")) t[c] = true;
  return t;
}();

// write_cell may read this far past the end of what it wrote.
constexpr std::size_t k_read_past = 16;

// The most write_cell writes for a value of n bytes (quoted, neutralised, each
// byte a doubled quote), with the room it may read past that.
constexpr std::size_t cell_room(std::size_t n) { return 2 * n + 3 + k_read_past; }

// Whether a byte of p[0, n) makes a cell quoted; p[n, n + k_read_past) may be read.
bool has_quote_trigger(const char* p, std::size_t n) {
#if defined(__SSE2__)
  // Sixteen bytes a step: every value of every row comes here, most shorter than that.
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i semicolon = _mm_set1_epi8(';');
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i tab = _mm_set1_epi8('\t');
  for (std::size_t i = 0; i < n; i += 16) {
    __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i hit = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, comma), _mm_cmpeq_epi8(w, quote)),
                     _mm_or_si128(_mm_cmpeq_epi8(w, semicolon), _mm_cmpeq_epi8(w, cr))),
        _mm_or_si128(_mm_cmpeq_epi8(w, lf), _mm_cmpeq_epi8(w, tab)));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (n - i < 16) mask &= (1u << (n - i)) - 1;  // the bytes past the value are not its own
    if (mask != 0) return true;
  }
  return false;
#else
  // The characters that make a cell quoted, as a table: one load per character.
  static constexpr std::array<bool, 256> k_quote_trigger = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : std::string_view(",\";\r\n\t")) t[c] = true;
    return t;
  }();
  for (std::size_t i = 0; i < n; ++i) {
    if (k_quote_trigger[static_cast<unsigned char>(p[i])]) return true;
  }
  return false;
#endif
}

// csv_cell(value) written at `at`, which has cell_room(value.size()) bytes
// (`value` is not among them); returns the end of what was written. The value
// is copied first and looked at there: most cells are that copy.
char* write_cell(char* at, std::string_view value) {
  if (value.empty()) return at;  // (and its data() may be null)
  std::memcpy(at, value.data(), value.size());
  bool careful = k_careful_lead[static_cast<unsigned char>(value.front())] || value.back() == ' ';
  bool triggered = has_quote_trigger(at, value.size());
  if (!careful && !triggered) return at + value.size();
  std::size_t q = leading_quotes(value);
  bool neutral = q < value.size() && is_formula_lead(value[q]);
  // The neutralising ' is the cell's first character, so then it cannot start with a space.
  bool quote = triggered || (!neutral && value.front() == ' ') || value.back() == ' ';
  char* out = at;
  if (quote) *out++ = '"';
  if (neutral) *out++ = '\'';
  if (!quote) {
    std::memcpy(out, value.data(), value.size());
    return out + value.size();
  }
  // Each '"' doubled: the stretches between them copied whole (most have none).
  for (std::size_t from = 0;;) {
    std::size_t mark = value.find('"', from);
    std::size_t end = mark == std::string_view::npos ? value.size() : mark + 1;
    std::memcpy(out, value.data() + from, end - from);
    out += end - from;
    if (mark == std::string_view::npos) break;
    *out++ = '"';
    from = end;
  }
  *out++ = '"';
  return out;
}

// csv_cell(value) appended to out, without building the neutralised value first.
void append_cell(std::string& out, std::string_view value) {
  std::size_t start = out.size();
  out.resize(start + cell_room(value.size()));
  char* end = write_cell(out.data() + start, value);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

void append_number(std::string& out, std::uint64_t n) {
  char digits[20];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

}  // namespace

std::string csv_cell(std::string_view value) {
  std::string r;
  append_cell(r, value);
  return r;
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
  m_background_sync.stop();
  for (std::FILE** f : {&m_success, &m_errors, &m_summary}) {
    if (*f) std::fclose(std::exchange(*f, nullptr));
  }
  for (const char* name : k_reports) m_folder.remove(temp_name(name));
}

void ReportWriter::write_row(std::FILE* f, std::string_view line) {
  errno = 0;
  if (std::fwrite(line.data(), 1, line.size(), f) != line.size() && m_write_error == 0) {
    m_write_error = errno != 0 ? errno : EIO;
  }
}

// Rows gather in a buffer of their own per file, written 64 KiB at a time.
void ReportWriter::end_row(std::FILE* f, std::string& rows) {
  rows += "\r\n";
  if (rows.size() < k_rows_buffer) return;
  write_row(f, rows);
  start_writeback(f, f == m_success ? m_success_unsent : m_errors_unsent, rows.size());
  rows.clear();
}

// Has what f holds made durable on the background thread without waiting for
// it: close_durably's fsync then waits for the last few MiB only. A failed
// sync there is an error of finish().
void ReportWriter::start_writeback(std::FILE* f, std::uint64_t& unsent, std::size_t added) {
  unsent += added;
  if (unsent < k_writeback_every) return;
  unsent = 0;
  errno = 0;
  if (std::fflush(f) != 0) {
    if (m_write_error == 0) m_write_error = errno != 0 ? errno : EIO;
    return;
  }
  m_background_sync.request(::fileno(f));
}

void ReportWriter::flush_rows() {
  write_row(m_success, m_success_rows);
  write_row(m_errors, m_error_rows);
  m_success_rows.clear();
  m_error_rows.clear();
}

void ReportWriter::add_success(const SuccessRow& row) {
  format_success(m_success_rows, row);
  end_row(m_success, m_success_rows);
}

void ReportWriter::add_success_line(std::string_view formatted) {
  m_success_rows += formatted;
  end_row(m_success, m_success_rows);
}

void ReportWriter::format_success(std::string& out, const SuccessRow& row) {
  const std::string* cells[3 + k_column_count] = {&row.prospect_id, &row.matched_partner_id,
                                                  &row.matched_partner_name};
  for (std::size_t c = 0; c < k_column_count; ++c) cells[3 + c] = &(*row.sent)[c];
  std::string_view status = to_string(row.status);
  // Room for the worst once, then the line written in place.
  constexpr std::size_t k_number_room = 20;  // the digits of any line number
  std::size_t start = out.size();
  std::size_t room = k_number_room + 1 + status.size();
  for (const std::string* v : cells) room += 1 + cell_room(v->size());
  out.resize(start + room);
  char* at = out.data() + start;
  at = std::to_chars(at, at + k_number_room, row.line).ptr;
  *at++ = ',';
  std::memcpy(at, status.data(), status.size());
  at += status.size();
  for (const std::string* v : cells) {
    *at++ = ',';
    if (!v->empty()) at = write_cell(at, *v);
  }
  out.resize(static_cast<std::size_t>(at - out.data()));
}

void ReportWriter::add_error(std::uint64_t line, std::string_view error, const Values& read) {
  std::string& out = m_error_rows;
  append_number(out, line);
  out += ',';
  append_cell(out, error);
  for (const auto& v : read) {
    out += ',';
    append_cell(out, v);
  }
  end_row(m_errors, out);
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
  flush_rows();
  m_background_sync.stop();  // before the files close: their fds are its
  int error = m_write_error;
  keep_first(error, m_background_sync.error());
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
