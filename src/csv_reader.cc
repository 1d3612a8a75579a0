#include "prospect_import/csv_reader.h"

#include <algorithm>
#include <string_view>

#include "prospect_import/line_reader.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

bool all_blank(const std::vector<std::string>& fields) {
  return std::all_of(fields.begin(), fields.end(),
                     [](const std::string& f) { return trim(f).empty(); });
}

}  // namespace

std::optional<char> excel_separator_line(std::string_view line) {
  if (line.size() >= 2 && line.front() == '"' && line.back() == '"')
    line = line.substr(1, line.size() - 2);
  if (line.size() < 5 || !iequals_ascii(line.substr(0, 4), "sep=")) return std::nullopt;
  std::string_view sep = line.substr(4);
  if (sep == "," || sep == ";" || sep == "\t") return sep.front();
  if (sep == "\\t") return '\t';
  return std::nullopt;
}

char detect_delimiter(std::string_view line) {
  std::size_t counts[3] = {0, 0, 0};
  static constexpr char k_candidates[3] = {',', ';', '\t'};
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    for (int i = 0; i < 3 && !quoted; ++i) counts[i] += c == k_candidates[i];
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < 3; ++i) {
    if (counts[i] > counts[best]) best = i;
  }
  return k_candidates[best];
}

struct CsvReader::Impl {
  Impl(std::unique_ptr<ByteSource> byte_source, char delimiter_char)
      : source(std::move(byte_source)),
        lines(*source, k_max_line_bytes),
        delimiter(delimiter_char) {}

  std::unique_ptr<ByteSource> source;  // declared before `lines`, which reads from it
  LineReader lines;
  char delimiter;
  bool past_first_line = false;  // the first line that is not blank has been read
  std::optional<Error> error;
  bool done = false;

  // The record being assembled: fields[0, count) are complete and `field`
  // points at fields[count]. The caller's strings are reused from record to
  // record, so that a row of short fields allocates nothing.
  std::vector<std::string>* fields = nullptr;
  std::size_t count = 0;
  std::string* field = nullptr;
  bool in_quotes = false;
  bool at_field_start = true;
  std::size_t record_bytes = 0;
  std::uint64_t quote_line = 0;

  void start_field() {
    if (count == fields->size()) [[unlikely]]
      add_field();
    field = &(*fields)[count];
    field->clear();
    at_field_start = true;
  }

  // Out of line: start_field, once per field of every row, stays small enough to inline.
  [[gnu::noinline]] void add_field() { fields->emplace_back(); }

  // Consumes one line; returns true when the record is complete.
  bool parse_line(std::string_view s) {
    std::size_t i = 0;
    record_bytes += s.size() + 1;
    for (;;) {
      if (in_quotes) {
        std::size_t q = s.find('"', i);
        if (q == std::string_view::npos) {
          field->append(s.substr(i));
          field->push_back('\n');
          return false;
        }
        field->append(s.substr(i, q - i));
        if (q + 1 < s.size() && s[q + 1] == '"') {
          field->push_back('"');
          i = q + 2;
          continue;
        }
        in_quotes = false;
        i = q + 1;
      } else if (at_field_start && opens_quote(s, i)) {
        in_quotes = true;
        quote_line = lines.line_number();
        at_field_start = false;
        continue;
      }
      std::size_t d = find_byte(s, delimiter, i);
      field->append(s.substr(i, d == std::string_view::npos ? s.size() - i : d - i));
      ++count;
      if (d == std::string_view::npos) return true;
      start_field();
      i = d + 1;
    }
  }

  // A quote at i after optional spaces opens a quoted field (and the spaces go).
  // A tab counts as a space only when it is not the delimiter.
  bool opens_quote(std::string_view s, std::size_t& i) const {
    std::size_t j = i;
    while (j < s.size() && (s[j] == ' ' || (s[j] == '\t' && delimiter != '\t'))) ++j;
    if (j < s.size() && s[j] == '"') {
      i = j + 1;
      return true;
    }
    return false;
  }

  bool fail(std::uint64_t at, std::string message) {
    error = input_error(ExitCode::data_error, at, std::move(message));
    done = true;
    return false;
  }

  void start_record(Record& record) {
    fields = &record.fields;
    count = 0;
    in_quotes = false;
    record_bytes = 0;
    start_field();
  }

  bool read_record(Record& record) {
    std::optional<std::string_view> l = lines.next();
    if (!l) return false;
    if (!past_first_line && !trim(*l).empty()) {
      past_first_line = true;
      // Excel's "sep=;" line names the delimiter and is not the header.
      if (auto sep = excel_separator_line(*l)) {
        if (delimiter == '\0') delimiter = *sep;
        if (!(l = lines.next())) return false;
      }
    }
    record.line = lines.line_number();
    // Detect from the first line that is not blank (a blank line is no record).
    if (delimiter == '\0' && !trim(*l).empty()) delimiter = detect_delimiter(*l);
    start_record(record);
    while (!parse_line(*l)) {
      if (record_bytes > k_max_record_bytes) {
        return fail(quote_line,
                    "a quoted field opens here and is still open after 1 MiB: "
                    "a closing quote (\") is probably missing");
      }
      l = lines.next();
      if (!l) {
        return fail(quote_line,
                    "a quoted field opens here and is never closed: "
                    "a closing quote (\") is probably missing");
      }
    }
    record.fields.resize(count);
    return true;
  }

  bool next(Record& record) {
    if (done) return false;
    try {
      do {
        if (!read_record(record)) {
          done = true;
          record.fields.clear();
          return false;
        }
      } while (all_blank(record.fields));
      return true;
    } catch (const ErrorException& e) {
      error = e.error();
    }
    done = true;
    return false;
  }
};

CsvReader::CsvReader(std::unique_ptr<ByteSource> source, char delimiter)
    : m_impl(std::make_unique<Impl>(std::move(source), delimiter)) {}

CsvReader::~CsvReader() = default;

bool CsvReader::next(Record& record) { return m_impl->next(record); }

const std::optional<Error>& CsvReader::error() const { return m_impl->error; }

char CsvReader::delimiter() const { return m_impl->delimiter; }

}  // namespace prospect_import
