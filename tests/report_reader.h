#pragma once
// Reading the tool's CSV reports in end-to-end tests (RFC 4180, a UTF-8 BOM,
// CRLF), independent of src/, so that a bug in the writer is not mirrored.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace prospect_import::testing {

// A report row by header.
using Row = std::map<std::string, std::string>;

// Every record of a CSV text, a leading BOM skipped.
std::vector<std::vector<std::string>> parse_csv(std::string text);

// A report's rows keyed by its header, with the formula neutralisation undone
// (CLI.md: a value matching ^'+[=+\-@\t\r] loses one leading ').
std::vector<Row> read_report(const std::filesystem::path& csv);

}  // namespace prospect_import::testing
