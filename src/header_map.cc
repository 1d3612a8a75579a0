#include "prospect_import/header_map.h"

#include <algorithm>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr std::size_t k_names_shown = 10;
constexpr std::size_t k_name_shown = 40;  // code points of one name

std::string template_columns() {
  std::string r;
  for (const auto& c : k_columns) r += (r.empty() ? "" : ", ") + std::string(c.header);
  return r;
}

std::string missing_message(const std::vector<std::string>& missing,
                            const std::vector<std::string>& found) {
  std::string what = missing.size() == 1 ? "the required column \"" + missing[0] + "\" is"
                                         : "the required columns " + quoted_list(missing) + " are";
  return what + " missing (the header has " + quoted_list(found) +
         "); the template's columns are " + template_columns() +
         " (`prospect-import template` prints them)";
}

}  // namespace

std::string quoted_list(const std::vector<std::string>& names) {
  std::string r;
  std::size_t shown = std::min(names.size(), k_names_shown);
  for (std::size_t i = 0; i < shown; ++i) {
    std::string_view n = names[i];
    std::string cut(first_code_points(n, k_name_shown));
    r += (r.empty() ? "\"" : ", \"") + cut + (cut.size() < n.size() ? "...\"" : "\"");
  }
  if (shown < names.size()) r += " and " + std::to_string(names.size() - shown) + " more";
  return r.empty() ? "nothing" : r;
}

std::optional<Column> column_for_header(std::string_view header) {
  std::string_view h = trim(header);
  if (h.starts_with("\xEF\xBB\xBF")) h = trim(h.substr(3));
  for (const auto& c : k_columns) {
    if (iequals_ascii(h, c.header) || h == c.header_ja) return c.column;
  }
  return std::nullopt;
}

HeaderMap map_header(const std::vector<std::string>& header, std::uint64_t header_line) {
  HeaderMap map;
  map.width = header.size();
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto column = column_for_header(header[i]);
    if (!column) {
      if (!trim(header[i]).empty()) map.unknown.emplace_back(trim(header[i]));
      continue;
    }
    auto& slot = map.index[index(*column)];
    if (slot && !map.error) {
      map.error = input_error(ExitCode::data_error, header_line,
                              "the column \"" + std::string(header_of(*column)) +
                                  "\" appears twice (columns " + std::to_string(*slot + 1) +
                                  " and " + std::to_string(i + 1) + "): keep one");
    }
    if (!slot) slot = i;
  }
  std::vector<std::string> missing;
  for (const auto& c : k_columns) {
    if (c.required && !map.index[index(c.column)]) missing.emplace_back(c.header);
  }
  if (!missing.empty() && !map.error) {
    std::vector<std::string> found;
    for (const auto& h : header) found.emplace_back(trim(h));
    map.error = input_error(ExitCode::data_error, header_line, missing_message(missing, found));
  }
  return map;
}

}  // namespace prospect_import
