#include "prospect_import/column_map.h"

#include <cerrno>
#include <fstream>

#include "prospect_import/header_map.h"
#include "prospect_import/os_error.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr std::size_t k_max_map_file = 1 << 20;

std::optional<Column> template_column(std::string_view name) {
  if (auto c = column_for_header(name)) return c;
  for (const auto& c : k_columns) {
    if (iequals_ascii(trim(name), c.api_field)) return c.column;
  }
  return std::nullopt;
}

Error usage(const std::string& origin, const std::string& message) {
  return Error{ExitCode::usage, origin + ": " + message};
}

std::string template_names() {
  std::string r;
  for (const auto& c : k_columns) r += (r.empty() ? "" : ", ") + std::string(c.header);
  return r;
}

Status add_pair(std::string_view pair, const std::string& origin, ColumnMap& map) {
  auto eq = pair.find('=');
  if (eq == std::string_view::npos) {
    return usage(origin, "\"" + std::string(pair) +
                             "\" is not Template Column=Their Column (e.g. \"Contact "
                             "Email=E-mail\")");
  }
  std::string_view ours = trim(pair.substr(0, eq));
  std::string_view theirs = trim(pair.substr(eq + 1));
  auto column = template_column(ours);
  if (!column) {
    return usage(origin, "\"" + std::string(ours) + "\" is not a column of the template (" +
                             template_names() + ")");
  }
  if (theirs.empty()) {
    return usage(origin, "\"" + std::string(pair) + "\" names no column of the file after '='");
  }
  for (const auto& m : map) {
    if (m.column == *column) {
      return usage(origin,
                   std::string(header_of(*column)) + " is mapped twice (also by " + m.origin + ")");
    }
  }
  map.push_back({*column, std::string(theirs), origin});
  return {};
}

}  // namespace

Status parse_column_map(std::string_view text, char separator, const std::string& origin,
                        ColumnMap& map) {
  std::uint64_t line = 0;
  for (std::string_view rest = text; !rest.empty() || line == 0;) {
    auto end = rest.find(separator);
    std::string_view item = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    ++line;
    if (separator == '\n') {
      if (item.ends_with('\r')) item.remove_suffix(1);
      if (line == 1 && item.starts_with("\xEF\xBB\xBF")) item.remove_prefix(3);
      if (trim(item).empty() || trim(item).starts_with('#')) continue;
    } else if (trim(item).empty()) {
      continue;
    }
    std::string where = separator == '\n' ? origin + ":" + std::to_string(line) : origin;
    if (auto s = add_pair(item, where, map); !s) return s;
  }
  return {};
}

Result<ColumnMap> load_column_map(const std::vector<std::string>& map_values,
                                  const std::optional<std::string>& map_file) {
  ColumnMap map;
  for (const auto& value : map_values) {
    if (auto s = parse_column_map(value, ',', "--map", map); !s) return s.error();
  }
  if (!map_file) return map;
  std::ifstream in(*map_file, std::ios::binary);
  if (!in) {
    int e = errno;
    return Error{ExitCode::no_input,
                 "cannot open the map file " + *map_file + ": " + describe_errno(e)};
  }
  std::string text(k_max_map_file + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) return Error{ExitCode::no_input, "cannot read the map file " + *map_file};
  if (text.size() > k_max_map_file)
    return usage(*map_file, "a map file of more than 1 MiB is not a column map");
  if (!is_valid_utf8(text)) return usage(*map_file, "is not UTF-8 text");
  if (auto s = parse_column_map(text, '\n', *map_file, map); !s) return s.error();
  return map;
}

std::string to_string(const ColumnMap& map) {
  std::string r;
  for (const auto& m : map)
    r += (r.empty() ? "" : ",") + std::string(header_of(m.column)) + "=" + m.theirs;
  return r;
}

}  // namespace prospect_import
