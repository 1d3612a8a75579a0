#pragma once
// RFC 4180 records from a UTF-8 byte stream, with exact physical line numbers.
// LineReader splits the stream into lines; this layer joins the lines of
// quoted fields that span line breaks and splits fields.
// Quoted fields: "" is a quote; delimiters and line breaks inside are data (a
// line break inside a quoted field reads as LF). A quote opens a field only at
// its start (after optional spaces); elsewhere it is data. Text after a closing
// quote is appended to the field.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prospect_import/encoding.h"
#include "prospect_import/error.h"

namespace prospect_import {

struct Record {
  std::uint64_t line = 0;  // physical line the record starts on (1-based)
  std::vector<std::string> fields;
};

// The longest record the reader accepts: a longer one almost always means a
// quote that is never closed, and reading on would swallow the rest of the file.
inline constexpr std::size_t k_max_record_bytes = 1 << 20;

// The longest physical line: a longer one is not a prospects CSV (a missing
// line break, a binary file). Larger than a record because a header of very
// many columns (200,000 is 3.8 MB) is still read and its extras ignored;
// the reader's buffer grows this far only for such a line.
inline constexpr std::size_t k_max_line_bytes = 16 << 20;

class CsvReader {
 public:
  // delimiter: ',', ';', '\t', or '\0' to take it from Excel's "sep=" line or
  // else detect it from the first record (the one of ',', ';' and tab that
  // occurs most outside quotes; ',' on a tie).
  CsvReader(std::unique_ptr<ByteSource> source, char delimiter);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record, skipping blank lines and records whose fields are
  // all empty or white space. Returns false at the end of the input or on a
  // file error, which error() then holds. The strings `record` already holds
  // are reused: reading into the same Record again allocates little.
  bool next(Record& record);

  const std::optional<Error>& error() const;
  // The delimiter in use (after the first record when detected).
  char delimiter() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// The delimiter Excel's first line "sep=;" (also "sep=," and "sep=<tab>",
// quoted or not) names; nothing for any other line. Such a line is no record:
// the header follows it, on line 2.
std::optional<char> excel_separator_line(std::string_view line);

// Detects the delimiter of a header line (see the constructor).
char detect_delimiter(std::string_view header_line);

}  // namespace prospect_import
