#include "prospect_import/xlsx_values.h"

#include <charconv>
#include <cmath>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

bool is_integer_text(std::string_view s) {
  if (s.starts_with('-')) s.remove_prefix(1);
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// The shortest text that reads back as v; in plain digits when `fixed`.
std::string to_text(double v, bool fixed) {
  char buffer[400];
  auto [end, ec] = fixed
                       ? std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed)
                       : std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::string();
}

std::optional<char32_t> hex_escape(std::string_view s, std::size_t at) {
  // _xHHHH_ : 7 characters
  if (at + 7 > s.size() || s[at + 1] != 'x' || s[at + 6] != '_') return std::nullopt;
  unsigned value = 0;
  auto digits = s.substr(at + 2, 4);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + 4, value, 16);
  if (ec != std::errc() || end != digits.data() + 4) return std::nullopt;
  if (value == 0 || (value >= 0xD800 && value <= 0xDFFF)) return std::nullopt;
  return static_cast<char32_t>(value);
}

}  // namespace

std::string format_number(std::string_view stored) {
  std::string_view s = trim(stored);
  if (is_integer_text(s)) {
    bool negative = s.starts_with('-');
    std::string_view digits = s.substr(negative ? 1 : 0);
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    return (negative && digits != "0" ? "-" : "") + std::string(digits);
  }
  double v = 0;
  const char* begin = s.data();
  if (s.starts_with('+')) ++begin;
  auto [end, ec] = std::from_chars(begin, s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
    return std::string(stored);
  if (v == 0) return "0";
  if (v == std::trunc(v) && std::fabs(v) < 1e21) return to_text(v, true);
  return to_text(v, false);
}

std::string decode_xstring(std::string_view s) {
  if (s.find("_x") == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '_') {
      if (auto c = hex_escape(s, i)) {
        append_utf8(out, *c);
        i += 7;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

std::optional<std::size_t> column_of_reference(std::string_view reference) {
  std::size_t column = 0;
  std::size_t letters = 0;
  for (char c : reference) {
    char upper = static_cast<char>(c & ~0x20);
    if (upper < 'A' || upper > 'Z') break;
    if (++letters > 3) return std::nullopt;
    column = column * 26 + static_cast<std::size_t>(upper - 'A' + 1);
  }
  if (letters == 0 || column > k_max_sheet_columns) return std::nullopt;
  return column - 1;
}

std::optional<std::uint64_t> parse_row_number(std::string_view s) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n == 0 || n > (1ull << 32))
    return std::nullopt;
  return n;
}

}  // namespace prospect_import
