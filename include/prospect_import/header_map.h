#pragma once
// Maps the header record of an input to the template's columns (CLI.md "The
// template"): ASCII case, surrounding white space and a BOM do not matter, the
// Japanese headers count too, unknown columns are ignored. A column map
// (--map) names the file's column for a template column; otherwise the API's
// field names and common variants ("E-mail", "Website", "Company") are
// taken for a missing template column when exactly one header is one.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "prospect_import/column_map.h"
#include "prospect_import/error.h"
#include "prospect_import/template.h"

namespace prospect_import {

struct HeaderMap {
  // Field index of each template column in a record, if the file has it.
  std::array<std::optional<std::size_t>, k_column_count> index{};
  std::size_t width = 0;             // fields in the header record
  std::vector<std::string> unknown;  // non-empty headers that are not template columns
  // Template columns read from a header of another name, without a --map:
  // "\"E-mail\" as Contact Email", for the log.
  std::vector<std::string> aliased;
  std::optional<Error> error;  // a required column missing, or a column twice (65)
};

// REQUIRES: header_line is the physical line of the header record.
HeaderMap map_header(const std::vector<std::string>& header, std::uint64_t header_line,
                     const ColumnMap& map = {});

// Which column of the file each template column is read from, in the
// template's order, as the journal keeps it (short: it is in its header):
// "1,2,3,-,-,-,-,4" (1-based, "-" for none).
std::string describe_columns(const HeaderMap& map);

// Header names for a message: quoted, the first 10, each cut to 40
// characters, then "and N more"; "nothing" for none. Bounded, because a
// 1M-column header once made one 10.9 MB log line.
std::string quoted_list(const std::vector<std::string>& names);

// The template column a header names, if any.
std::optional<Column> column_for_header(std::string_view header);

// The template column a header is another name of ("E-mail", "Website",
// "ContactEmail"), if any.
std::optional<Column> column_for_alias(std::string_view header);

}  // namespace prospect_import
