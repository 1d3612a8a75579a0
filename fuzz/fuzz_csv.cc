// The input path of an import: bytes -> decoder -> CSV records -> header map ->
// row checks, once with `auto` everything and once with the encoding,
// delimiter and groups chosen by the first byte.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "prospect_import/csv_reader.h"
#include "prospect_import/encoding.h"
#include "prospect_import/groups.h"
#include "prospect_import/header_map.h"
#include "prospect_import/row_checker.h"
#include "prospect_import/text.h"
#include "prospect_import/validate.h"

namespace pi = prospect_import;

namespace {

// Names as --encoding takes them; exotic iconv ones included on purpose.
constexpr const char* k_encodings[] = {"utf-8",    "shift_jis",  "utf-16", "UTF-16LE",
                                       "UTF-16BE", "ISO-8859-1", "EUC-JP", "UTF-7"};
constexpr std::size_t k_encoding_count = sizeof k_encodings / sizeof k_encodings[0];
constexpr char k_delimiters[] = {'\0', ',', ';', '\t'};

const pi::GroupCatalog& groups() {
  static const pi::GroupCatalog k_groups({{"1", "Bloggers"},
                                          {"2", "bloggers"},
                                          {"3", "Tech Reviewers"},
                                          {"4", "インフルエンサー"},
                                          {"5", "Médias Français"},
                                          {"6", " Padded "}});
  return k_groups;
}

void check_row(const pi::Record& record, const pi::CheckedRow& row) {
  FUZZ_CHECK(row.line == record.line);
  FUZZ_CHECK(row.valid() == row.problems.empty());
  if (!row.valid()) {
    FUZZ_CHECK(!pi::describe_problems(row.problems).empty());
    return;
  }
  const std::string& url = row.sent[pi::index(pi::Column::media_property)];
  FUZZ_CHECK(url.starts_with("http://") || url.starts_with("https://"));
  FUZZ_CHECK(!pi::check_partner_name(row.sent[pi::index(pi::Column::partner_name)]));
  FUZZ_CHECK(!pi::check_email(row.sent[pi::index(pi::Column::contact_email)]));
  FUZZ_CHECK(!pi::check_partner_id(row.sent[pi::index(pi::Column::partner_id)]));
}

// Everything the decoder yields, read in small pieces; false if it refused the input.
bool decode_all(const std::string& input, const pi::EncodingRequest& request, std::size_t chunk,
                std::string& out) {
  std::istringstream in(input);
  auto decoder = pi::make_decoder(in, request, chunk);
  char buffer[37];
  try {
    while (std::size_t n = decoder->read(buffer, sizeof buffer)) out.append(buffer, n);
  } catch (const pi::ErrorException& e) {
    FUZZ_CHECK(e.error().code == pi::ExitCode::data_error);
    return false;
  }
  return true;
}

// The decoder's promise (encoding.h): UTF-8, no NUL, no CR but before LF.
void check_decoded(const std::string& input, const pi::EncodingRequest& request,
                   std::size_t chunk) {
  std::string text;
  if (decode_all(input, request, chunk, text)) {
    FUZZ_CHECK(pi::is_valid_utf8(text));
    FUZZ_CHECK(text.find('\0') == std::string::npos);
    for (std::size_t i = text.find('\r'); i != std::string::npos; i = text.find('\r', i + 1)) {
      FUZZ_CHECK(i + 1 < text.size() && text[i + 1] == '\n');
    }
  }
}

void run(const std::string& input, const pi::EncodingRequest& request, std::size_t chunk,
         char delimiter, const pi::GroupCatalog* catalog) {
  std::istringstream in(input);
  pi::CsvReader reader(pi::make_decoder(in, request, chunk), delimiter);
  pi::Record record;
  if (!reader.next(record)) return;
  char used = reader.delimiter();
  FUZZ_CHECK(used == ',' || used == ';' || used == '\t');
  FUZZ_CHECK(delimiter == '\0' || used == delimiter);
  pi::HeaderMap header = pi::map_header(record.fields, record.line);
  FUZZ_CHECK(header.width == record.fields.size());
  std::uint64_t last_line = record.line;
  std::vector<pi::Record> records{record};
  std::optional<pi::RowChecker> checker;
  if (!header.error) checker.emplace(header, catalog);
  pi::CheckedRow row;
  while (reader.next(record)) {
    FUZZ_CHECK(record.line > last_line);
    last_line = record.line;
    if (checker) {
      checker->check(record, row);
      check_row(record, row);
    }
    if (records.size() < 64) records.push_back(record);
  }
  for (const auto& r : records) {
    FUZZ_CHECK(r.line >= 1);
    FUZZ_CHECK(!r.fields.empty());
    for (const auto& f : r.fields) {
      FUZZ_CHECK(pi::is_valid_utf8(f));
      FUZZ_CHECK(f.find('\0') == std::string::npos);
      FUZZ_CHECK(f.find('\r') == std::string::npos);  // CRLF and lone CR read as line ends
    }
  }
  if (reader.error()) {
    FUZZ_CHECK(reader.error()->code == pi::ExitCode::data_error);
    FUZZ_CHECK(!reader.error()->message.empty());
    FUZZ_CHECK(!reader.next(record));  // an error ends the input
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  run(input, pi::EncodingRequest{}, pi::k_decode_chunk, '\0', nullptr);
  if (size == 0) return 0;

  // First byte: bits 0-2 the encoding, 3-4 the delimiter, 5 the groups,
  // 6 a decoder chunk of 8-71 bytes (the second byte) instead of 64 KiB, so
  // that CRLFs, UTF-8 and iconv sequences fall across chunk ends in small
  // inputs. The decoder alone (small reads) runs on that second input only.
  unsigned choice = data[0];
  static const std::vector<pi::EncodingRequest> k_requests = [] {
    std::vector<pi::EncodingRequest> r;
    for (const char* name : k_encodings) r.push_back(pi::parse_encoding(name).value());
    return r;
  }();
  const pi::EncodingRequest& request = k_requests[choice % k_encoding_count];
  char delimiter = k_delimiters[(choice >> 3) & 3];
  const pi::GroupCatalog* catalog = (choice & 0x20) ? &groups() : nullptr;
  std::size_t chunk = (choice & 0x40) ? 8 + (size > 1 ? data[1] % 64 : 0) : pi::k_decode_chunk;
  std::string rest = input.substr(1);
  check_decoded(rest, request, chunk);
  run(rest, request, chunk, delimiter, catalog);
  return 0;
}
