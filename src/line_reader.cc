#include "prospect_import/line_reader.h"

#include <cstring>
#include <string>

#include "prospect_import/error.h"

namespace prospect_import {
namespace {

constexpr std::size_t k_read_size = 1 << 16;  // bytes asked of the source at a time
constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";
constexpr std::size_t k_mib = 1 << 20;

std::string describe_size(std::size_t bytes) {
  if (bytes % k_mib == 0) return std::to_string(bytes / k_mib) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

LineReader::LineReader(ByteSource& source, std::size_t max_line_bytes)
    : m_source(source), m_max_line(max_line_bytes) {}

std::optional<std::string_view> LineReader::next() {
  for (;;) {
    const char* data = m_buffer.data();
    const void* lf =
        m_scanned < m_end ? std::memchr(data + m_scanned, '\n', m_end - m_scanned) : nullptr;
    if (lf) return take(static_cast<std::size_t>(static_cast<const char*>(lf) - data), 1);
    m_scanned = m_end;
    // One byte over the limit may be the CR of a CRLF whose LF is still unread.
    if (m_end - m_begin > m_max_line + 1) fail_too_long();
    if (!fill()) break;
  }
  if (m_begin == m_end) return std::nullopt;
  return take(m_end, 0);
}

// The line [m_begin, end), whose line end takes line_end_size bytes after it.
std::string_view LineReader::take(std::size_t end, std::size_t line_end_size) {
  std::string_view line(m_buffer.data() + m_begin, end - m_begin);
  if (line.ends_with('\r')) line.remove_suffix(1);
  if (line.size() > m_max_line) fail_too_long();
  if (m_line == 0 && line.starts_with(k_utf8_bom)) line.remove_prefix(k_utf8_bom.size());
  m_begin = m_scanned = end + line_end_size;
  ++m_line;
  return line;
}

// Moves the unfinished line to the front and reads more after it; false at
// the end of the input.
bool LineReader::fill() {
  if (m_eof) return false;
  std::size_t pending = m_end - m_begin;
  if (pending > 0) std::memmove(m_buffer.data(), m_buffer.data() + m_begin, pending);
  m_begin = 0;
  m_end = m_scanned = pending;
  if (m_buffer.size() < m_end + k_read_size) m_buffer.resize(m_end + k_read_size);
  std::size_t got = m_source.read(m_buffer.data() + m_end, k_read_size);
  m_end += got;
  m_eof = got == 0;
  return !m_eof;
}

void LineReader::fail_too_long() const {
  throw ErrorException(
      input_error(ExitCode::data_error, m_line + 1,
                  "this line is longer than " + describe_size(m_max_line) +
                      ": a line break is missing or the file is not a prospects CSV"));
}

}  // namespace prospect_import
