// Runs our CSV reader (decoder + CsvReader, as the tool reads a file) over
// public CSV test suites in tests/data/external: csv-spectrum, Apache Commons
// CSV's CSVFileParser fixtures and a Pollock subset. Each suite has a table of
// the cases where we knowingly read differently; the test fails when an
// unlisted case differs or a listed case no longer does, so the table stays
// exactly the list of our deviations. Each folder's SOURCE.md describes its
// format.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prospect_import/csv_reader.h"
#include "prospect_import/encoding.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Row = std::vector<std::string>;
using Table = std::vector<Row>;

const fs::path k_external = PI_EXTERNAL_DIR;

// A case where our reader knowingly differs from a suite's expectation.
struct KnownDifference {
  std::string_view case_name;
  std::string_view reason;
};

constexpr KnownDifference k_spectrum_differences[] = {
    {"newlines_crlf", "a line break inside a quoted field reads as LF (the suite keeps CRLF)"},
    {"location_coordinates",
     "a suite error: its JSON expects phone 1234567890, but the CSV holds 2095257564"},
};

constexpr KnownDifference k_commons_differences[] = {
    {"test_default.txt",
     "a quote after leading spaces opens a quoted field, text after the closing quote is "
     "appended, and all-empty records are skipped"},
    {"test_rfc4180.txt", "as test_default.txt, and blank lines are skipped too"},
};

constexpr KnownDifference k_pollock_differences[] = {
    {"file_field_delimiter_0x20", "space is not one of our delimiters (, ; tab)"},
    {"file_field_delimiter_0x2C_0x20",
     "\", \" is not one of our delimiters: values keep the space"},
    {"file_quotation_char_0x27", "we quote only with '\"'"},
    {"file_escape_char_0x00",
     "a quote inside a quoted field must be doubled; a lone one closes it"},
    {"file_escape_char_0x5C", "we escape quotes only as \"\", not with a backslash"},
    {"file_multitable_less", "a second table in the file is read as more records"},
    {"file_multitable_more", "a second table in the file is read as more records"},
    {"file_multitable_same", "a second table in the file is read as more records"},
    {"row_extra_quote1_col0", "a stray quote at a cell's start opens a quoted field"},
    {"row_extra_quote1_col5", "a stray quote at a cell's start opens a quoted field"},
    {"row_extra_quote40_col0", "a stray quote at a cell's start opens a quoted field"},
    {"row_extra_quote40_col5", "a stray quote at a cell's start opens a quoted field"},
    {"row_field_delimiter_1_0x20", "a row delimited by spaces is not repaired"},
    {"row_field_delimiter_40_0x20", "a row delimited by spaces is not repaired"},
    {"row_less_sep_row1_col1", "a row missing a delimiter is not repaired"},
    {"row_less_sep_row1_col5", "a row missing a delimiter is not repaired"},
    {"row_less_sep_row40_col1", "a row missing a delimiter is not repaired"},
    {"row_less_sep_row40_col5", "a row missing a delimiter is not repaired"},
    {"row_more_sep_row1_col0", "a row with an extra delimiter is not repaired"},
    {"row_more_sep_row1_col5", "a row with an extra delimiter is not repaired"},
    {"row_more_sep_row40_col0", "a row with an extra delimiter is not repaired"},
    {"row_more_sep_row40_col5", "a row with an extra delimiter is not repaired"},
};

// Pollock files (with delimiter , ; or tab) on which detect_delimiter misses.
constexpr std::array<KnownDifference, 0> k_detect_differences{};

// ---------------------------------------------------------------------------
// Helpers

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> files_in(const fs::path& dir, std::string_view extension) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == extension) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A value as JSON text, so that line breaks and quotes show in messages;
// shortened, as Pollock's rows are long.
template <typename T>
std::string show(const T& value) {
  constexpr std::size_t k_max = 160;
  std::string text = json(value).dump(-1, ' ', false, json::error_handler_t::replace);
  return text.size() <= k_max ? text : text.substr(0, k_max) + "...";
}

// What our reader makes of a file: its records and the error that stopped it.
struct ReadResult {
  std::vector<Record> records;
  std::optional<Error> error;
};

ReadResult read_csv(const fs::path& file, char delimiter) {
  std::ifstream in(file, std::ios::binary);  // outlives the reader's decoder
  CsvReader reader(make_decoder(in, EncodingRequest{}), delimiter);
  ReadResult result;
  for (Record record; reader.next(record);) result.records.push_back(record);
  result.error = reader.error();
  return result;
}

std::string describe(const Error& e) {
  return "file error at line " + std::to_string(e.line) + ": " + e.message;
}

// A strict RFC 4180 reader for the suites' own expected tables (Pollock's
// clean files): independent of the reader under test.
Table parse_rfc4180(std::string_view s) {
  Table table;
  Row row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c != '"')
        field += c;
      else if (i + 1 < s.size() && s[i + 1] == '"')
        field += s[++i];
      else
        quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',' || c == '\n') {
      row.push_back(std::exchange(field, {}));
      if (c == '\n') table.push_back(std::exchange(row, {}));
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) {  // no line break after the last record
    row.push_back(field);
    table.push_back(row);
  }
  return table;
}

// How one row differs from another, or "" when equal.
std::string row_difference(const Row& got, const Row& want) {
  if (got.size() != want.size()) {
    return "got " + std::to_string(got.size()) + " fields " + show(got) + ", want " +
           std::to_string(want.size()) + " " + show(want);
  }
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i] != want[i]) {
      return "field " + std::to_string(i + 1) + ": got " + show(got[i]) + ", want " + show(want[i]);
    }
  }
  return "";
}

// The first difference between our records and the expected ones (each
// described by `differ`), how many differ, or "" when all agree.
template <typename Got, typename Want, typename Differ>
std::string first_difference(const std::vector<Got>& got, const std::vector<Want>& want,
                             Differ differ) {
  std::string first;
  std::size_t count = 0;
  for (std::size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
    std::string d = differ(got[i], want[i]);
    if (d.empty()) continue;
    if (first.empty()) first = "record " + std::to_string(i + 1) + ": " + d;
    ++count;
  }
  if (got.size() != want.size()) {
    std::string sizes =
        "got " + std::to_string(got.size()) + " records, want " + std::to_string(want.size());
    first = first.empty() ? sizes : sizes + "; " + first;
  }
  if (count > 1) first += " (" + std::to_string(count) + " records differ)";
  return first;
}

// One case's outcome: how we differ from the suite, "" when we agree.
struct CaseResult {
  std::string name;
  std::string difference;
};

const KnownDifference* find_listed(std::span<const KnownDifference> listed, std::string_view name) {
  auto it = std::find_if(listed.begin(), listed.end(),
                         [&](const KnownDifference& d) { return d.case_name == name; });
  return it == listed.end() ? nullptr : &*it;
}

std::string count_phrase(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// Checks the outcomes against the table of known differences and prints the
// suite's summary line and the listed differences.
void check_against_listed(std::string_view suite, const std::vector<CaseResult>& results,
                          std::span<const KnownDifference> listed) {
  std::size_t pass = 0, known = 0, unknown = 0;
  std::ostringstream details;
  for (const CaseResult& r : results) {
    const KnownDifference* entry = find_listed(listed, r.name);
    if (r.difference.empty()) {
      ++pass;
      if (entry)
        ADD_FAILURE() << suite << "/" << r.name << " is listed as differing (" << entry->reason
                      << ") but now agrees: remove it from the table";
    } else if (entry) {
      ++known;
      details << "  " << r.name << ": " << entry->reason << "\n    " << r.difference << "\n";
    } else {
      ++unknown;
      ADD_FAILURE() << suite << "/" << r.name << " differs and is not listed: " << r.difference;
    }
  }
  for (const KnownDifference& d : listed) {
    bool exists = std::any_of(results.begin(), results.end(),
                              [&](const CaseResult& r) { return r.name == d.case_name; });
    if (!exists) ADD_FAILURE() << suite << ": listed case " << d.case_name << " does not exist";
  }
  std::cout << suite << ": " << count_phrase(results.size(), "case", "cases") << ", " << pass
            << " pass, " << count_phrase(known, "differs", "differ") << " (listed)";
  if (unknown > 0)
    std::cout << ", " << count_phrase(unknown, "differs", "differ") << " (NOT listed)";
  std::cout << "\n" << details.str();
}

// ---------------------------------------------------------------------------
// csv-spectrum: records after the header as header -> value objects.

std::string spectrum_case(const fs::path& csv, const fs::path& json_dir) {
  ReadResult read = read_csv(csv, ',');
  if (read.error) return describe(*read.error);
  if (read.records.empty()) return "no header record";
  const Row& header = read.records.front().fields;
  std::vector<json> got;
  for (std::size_t i = 1; i < read.records.size(); ++i) {
    const Row& fields = read.records[i].fields;
    if (fields.size() != header.size()) {
      return "line " + std::to_string(read.records[i].line) + " has " +
             std::to_string(fields.size()) + " fields, the header " + std::to_string(header.size());
    }
    json object = json::object();
    for (std::size_t f = 0; f < fields.size(); ++f) object[header[f]] = fields[f];
    got.push_back(std::move(object));
  }
  json expected = json::parse(read_bytes(json_dir / (csv.stem().string() + ".json")));
  if (expected.is_object()) expected = json::array({expected});  // location_coordinates
  return first_difference(got, expected.get<std::vector<json>>(), [](const json& g, const json& w) {
    return g == w ? "" : "got " + show(g) + ", want " + show(w);
  });
}

TEST(ConformanceCsv, CsvSpectrum) {
  const fs::path dir = k_external / "csv-spectrum";
  std::vector<CaseResult> results;
  for (const fs::path& csv : files_in(dir / "csvs", ".csv")) {
    results.push_back({csv.stem().string(), spectrum_case(csv, dir / "json")});
  }
  ASSERT_EQ(results.size(), 12u);
  check_against_listed("csv-spectrum", results, k_spectrum_differences);
}

// ---------------------------------------------------------------------------
// commons-csv: control files `test*.txt` (its SOURCE.md): the input file and options,
// Commons CSV's format description, then one `N:[v1, v2]` line per record.

struct ControlFile {
  std::string input;
  std::vector<std::string> options;
  std::vector<std::string> expected;  // `N:[v1, v2, ...]`
};

ControlFile read_control_file(const fs::path& file) {
  std::istringstream in(read_bytes(file));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with('#')) lines.push_back(line);
  }
  ControlFile control;
  std::istringstream first(lines.at(0));
  first >> control.input;
  for (std::string option; first >> option;) control.options.push_back(option);
  control.expected.assign(lines.begin() + 2, lines.end());  // lines[1]: CSVFormat#toString()
  return control;
}

// Plain RFC 4180 options only: we neither trim values nor know comment lines.
bool fits_rfc4180(const ControlFile& control) {
  return std::none_of(control.options.begin(), control.options.end(), [](const std::string& o) {
    return o == "IgnoreSpaces=true" || o.starts_with("CommentStart=") || o == "CheckComments";
  });
}

// Java's `CSVRecord#size() + ":" + Arrays.toString(values)`.
std::string commons_line(const Row& fields) {
  std::string line = std::to_string(fields.size()) + ":[";
  for (std::size_t i = 0; i < fields.size(); ++i) line += (i ? ", " : "") + fields[i];
  return line + "]";
}

std::string commons_case(const ControlFile& control, const fs::path& dir) {
  ReadResult read = read_csv(dir / control.input, ',');
  if (read.error) return describe(*read.error);
  std::vector<std::string> got;
  for (const Record& r : read.records) got.push_back(commons_line(r.fields));
  return first_difference(got, control.expected, [](const std::string& g, const std::string& w) {
    return g == w ? "" : "got " + show(g) + ", want " + show(w);
  });
}

TEST(ConformanceCsv, CommonsCsvFileParser) {
  const fs::path dir = k_external / "commons-csv" / "CSVFileParser";
  std::vector<CaseResult> results;
  std::vector<std::string> not_applicable;
  for (const fs::path& file : files_in(dir, ".txt")) {
    ControlFile control = read_control_file(file);
    if (!fits_rfc4180(control)) {
      not_applicable.push_back(file.filename().string());
      continue;
    }
    results.push_back({file.filename().string(), commons_case(control, dir)});
  }
  ASSERT_EQ(results.size() + not_applicable.size(), 7u);
  check_against_listed("commons-csv", results, k_commons_differences);
  std::cout << "  not run (trimming or comment options): " << show(not_applicable) << "\n";
}

// ---------------------------------------------------------------------------
// Pollock: each case's annotated dialect (parameters/) and clean table (clean/).

struct PollockCase {
  std::string name;
  json parameters;
  fs::path input;
  fs::path clean;
};

std::vector<PollockCase> pollock_cases() {
  const fs::path dir = k_external / "pollock";
  std::vector<PollockCase> cases;
  for (const fs::path& csv : files_in(dir / "csv", ".csv")) {
    std::string file = csv.filename().string();
    json parameters = json::parse(read_bytes(dir / "parameters" / (file + "_parameters.json")));
    cases.push_back({csv.stem().string(), parameters, csv, dir / "clean" / file});
  }
  return cases;
}

// The annotated delimiter when it is one of ours, else '\0' (detect it, as the
// tool does by default).
char our_delimiter(const json& parameters) {
  std::string d = parameters.at("delimiter");
  return d == "," || d == ";" || d == "\t" ? d[0] : '\0';
}

// Compares the data records: ours after the preamble and header lines, the
// clean table's after its one header row.
std::string pollock_case(const PollockCase& c) {
  ReadResult read = read_csv(c.input, our_delimiter(c.parameters));
  if (read.error) return describe(*read.error);
  const int header_lines = c.parameters.at("header_lines");
  const int skipped_lines = c.parameters.at("preamble_lines").get<int>() + header_lines;
  Table got;
  for (const Record& r : read.records) {
    if (r.line > static_cast<std::uint64_t>(skipped_lines)) got.push_back(r.fields);
  }
  Table want = parse_rfc4180(read_bytes(c.clean));
  if (header_lines > 0 && !want.empty()) want.erase(want.begin());
  return first_difference(got, want, row_difference);
}

TEST(ConformanceCsv, Pollock) {
  std::vector<CaseResult> results;
  for (const PollockCase& c : pollock_cases()) results.push_back({c.name, pollock_case(c)});
  ASSERT_EQ(results.size(), 37u);
  check_against_listed("pollock", results, k_pollock_differences);
}

// The first line of a file, decoded as the tool decodes it.
std::string first_line(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  auto decoder = make_decoder(in, EncodingRequest{});
  std::string text;
  char buffer[4096];
  for (std::size_t n;
       text.find('\n') == std::string::npos && (n = decoder->read(buffer, sizeof buffer)) > 0;) {
    text.append(buffer, n);
  }
  std::string line = text.substr(0, text.find('\n'));
  if (line.ends_with('\r')) line.pop_back();
  return line;
}

TEST(ConformanceCsv, PollockDelimiterDetection) {
  std::vector<CaseResult> results;
  for (const PollockCase& c : pollock_cases()) {
    char annotated = our_delimiter(c.parameters);
    if (annotated == '\0') continue;  // not a delimiter we support (or no data)
    char detected = detect_delimiter(first_line(c.input));
    std::string difference;
    if (detected != annotated) {
      difference = "detected " + show(std::string(1, detected)) + ", annotated " +
                   show(std::string(1, annotated));
    }
    results.push_back({c.name, difference});
  }
  check_against_listed("pollock delimiter detection", results, k_detect_differences);
}

}  // namespace
}  // namespace prospect_import
