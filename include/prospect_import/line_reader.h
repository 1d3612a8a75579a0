#pragma once
// Physical lines of decoded text (encoding.h's promise: UTF-8, LF or CRLF line
// ends, no lone CR), read through one buffer that holds at most the line being
// read and one read ahead: a line without end is a file error, never a reason
// to hold the whole file in memory.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "prospect_import/encoding.h"

namespace prospect_import {

class LineReader {
 public:
  // Nothing is read until the first next().
  // REQUIRES: `source` outlives the reader; max_line_bytes > 0.
  LineReader(ByteSource& source, std::size_t max_line_bytes);

  // The next line without its line end (LF or CRLF), valid until the next
  // call; nothing at the end of the input. A last line without a line end is
  // a line; the end of the input after a line end is not. A UTF-8 byte order
  // mark at the very start is dropped (one the decoder left: a file saved
  // with two). Throws ErrorException: the source's own, or a data error
  // at the line's number when the line holds more than max_line_bytes bytes.
  std::optional<std::string_view> next();

  // The number of the line next() returned last (1-based; 0 before the first).
  std::uint64_t line_number() const { return m_line; }

 private:
  std::string_view take(std::size_t end, std::size_t line_end_size);
  bool fill();
  [[noreturn]] void fail_too_long() const;

  ByteSource& m_source;
  std::size_t m_max_line;
  std::vector<char> m_buffer;  // [m_begin, m_end) is read but not yet returned
  std::size_t m_begin = 0;
  std::size_t m_end = 0;
  std::size_t m_scanned = 0;  // [m_begin, m_scanned) holds no LF
  std::uint64_t m_line = 0;
  bool m_eof = false;
};

}  // namespace prospect_import
