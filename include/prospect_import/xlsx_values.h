#pragma once
// A workbook cell's stored text as a CSV would carry it: numbers the way a
// person typed them, Excel's _xHHHH_ escapes undone, cell references read.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace prospect_import {

// The most columns a sheet has (Excel's XFD).
inline constexpr std::size_t k_max_sheet_columns = 16384;

// A numeric cell's <v>: an integer in full ("12345", never "12345.0" or
// "1.2345E+4", also when stored as "1.2345E+4"), any other number in its
// shortest round-trip form ("0.1", "3.14", "1e-07"). Text that is not a
// number is kept as it is.
std::string format_number(std::string_view stored);

// ECMA-376's ST_Xstring: "_x000D_" is a CR, "_x005F_" an underscore, ...;
// an escape of NUL or of half a surrogate pair is kept as written.
std::string decode_xstring(std::string_view s);

// The 0-based column of a cell reference ("A1" -> 0, "AB7" -> 27), or
// nothing when it is not one or is past XFD.
std::optional<std::size_t> column_of_reference(std::string_view reference);

// A row number ("1" to "1048576" and beyond, up to 2^32); nothing otherwise.
std::optional<std::uint64_t> parse_row_number(std::string_view s);

}  // namespace prospect_import
