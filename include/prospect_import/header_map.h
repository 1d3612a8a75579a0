#pragma once
// Maps the header record of an input to the template's columns (CLI.md "The
// template"): ASCII case, surrounding white space and a BOM do not matter, the
// Japanese headers count too, unknown columns are ignored.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "prospect_import/error.h"
#include "prospect_import/template.h"

namespace prospect_import {

struct HeaderMap {
  // Field index of each template column in a record, if the file has it.
  std::array<std::optional<std::size_t>, k_column_count> index{};
  std::size_t width = 0;             // fields in the header record
  std::vector<std::string> unknown;  // non-empty headers that are not template columns
  std::optional<Error> error;        // a required column missing, or a column twice (65)
};

// REQUIRES: header_line is the physical line of the header record.
HeaderMap map_header(const std::vector<std::string>& header, std::uint64_t header_line);

// Header names for a message: quoted, the first 10, each cut to 40
// characters, then "and N more"; "nothing" for none. Bounded, because a
// 1M-column header once made one 10.9 MB log line.
std::string quoted_list(const std::vector<std::string>& names);

// The template column a header names, if any.
std::optional<Column> column_for_header(std::string_view header);

}  // namespace prospect_import
