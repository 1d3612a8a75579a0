#include "prospect_import/header_map.h"

#include <algorithm>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr std::size_t k_names_shown = 10;
constexpr std::size_t k_name_shown = 40;      // code points of one name
constexpr std::size_t k_suggest_from = 1000;  // headers looked at for a "did you mean"
constexpr std::size_t k_max_suggested = 64;   // bytes of a header worth comparing

struct Alias {
  std::string_view name;  // normalised (see normalise)
  Column column;
};

// The API's field names and the headers CRMs and address books export.
constexpr Alias k_aliases[] = {
    {"partnername", Column::partner_name},
    {"company", Column::partner_name},
    {"companyname", Column::partner_name},
    {"organization", Column::partner_name},
    {"organisation", Column::partner_name},
    {"accountname", Column::partner_name},
    {"contactemail", Column::contact_email},
    {"email", Column::contact_email},
    {"emailaddress", Column::contact_email},
    {"mediaproperty", Column::media_property},
    {"mediapropertyurl", Column::media_property},
    {"website", Column::media_property},
    {"websiteurl", Column::media_property},
    {"url", Column::media_property},
    {"groupname", Column::group_name},
    {"groupid", Column::group_name},
    {"group", Column::group_name},
    {"contactfirstname", Column::contact_first_name},
    {"firstname", Column::contact_first_name},
    {"givenname", Column::contact_first_name},
    {"contactlastname", Column::contact_last_name},
    {"lastname", Column::contact_last_name},
    {"surname", Column::contact_last_name},
    {"familyname", Column::contact_last_name},
    {"partnerid", Column::partner_id},
};

// ASCII case, spaces, '-', '_' and '.' do not matter: "E-mail" is "email".
std::string normalise(std::string_view header) {
  std::string_view h = trim(header);
  if (h.starts_with("\xEF\xBB\xBF")) h = trim(h.substr(3));
  std::string r;
  for (char c : ascii_lower(h)) {
    if (c != ' ' && c != '-' && c != '_' && c != '.') r += c;
  }
  return r;
}

std::string template_columns() {
  std::string r;
  for (const auto& c : k_columns) r += (r.empty() ? "" : ", ") + std::string(c.header);
  return r;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The file's column a --map names: as written, else in any ASCII case.
std::optional<std::size_t> find_header(const std::vector<std::string>& header,
                                       std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (trim(header[i]) == name) return i;
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (iequals_ascii(trim(header[i]), name)) return i;
  }
  return std::nullopt;
}

std::vector<std::string> trimmed(const std::vector<std::string>& header) {
  std::vector<std::string> found;
  for (const auto& h : header) found.emplace_back(trim(h));
  return found;
}

// How far a header is from a template column's names (0: not near at all).
std::size_t nearness(std::string_view header, Column column) {
  std::string h = normalise(header);
  if (h.empty() || header.size() > k_max_suggested) return 0;
  std::size_t best = 0;
  auto consider = [&](std::string_view name) {
    std::size_t d = edit_distance(h, name);
    if (name.size() >= 4 && h.find(name) != std::string::npos) d = 1;  // "Work Email"
    if (d <= std::max<std::size_t>(1, name.size() / 3) && (best == 0 || d + 1 < best)) best = d + 1;
  };
  consider(normalise(header_of(column)));
  for (const auto& a : k_aliases) {
    if (a.column == column) consider(a.name);
  }
  return best;
}

// Headers a missing column may be under: several aliases, or the nearest name.
std::vector<std::string> guesses(const std::vector<std::string>& header,
                                 const std::vector<bool>& used,
                                 const std::vector<std::size_t>& alias_candidates, Column column) {
  std::vector<std::string> r;
  for (std::size_t i : alias_candidates) r.emplace_back(trim(header[i]));
  if (!r.empty()) return r;
  std::size_t best = 0, at = 0;
  for (std::size_t i = 0; i < std::min(header.size(), k_suggest_from); ++i) {
    if (used[i]) continue;
    std::size_t n = nearness(header[i], column);
    if (n != 0 && (best == 0 || n < best)) best = n, at = i;
  }
  if (best != 0) r.emplace_back(trim(header[at]));
  return r;
}

struct Missing {
  Column column;
  std::vector<std::string> guesses;
};

std::string missing_message(const std::vector<Missing>& missing,
                            const std::vector<std::string>& found) {
  std::vector<std::string> names;
  for (const auto& m : missing) names.emplace_back(header_of(m.column));
  std::string what = names.size() == 1 ? "the required column \"" + names[0] + "\" is"
                                       : "the required columns " + quoted_list(names) + " are";
  std::string start = what + " missing (the header has " + quoted_list(found) + ")";
  std::string means, pass;
  for (const auto& m : missing) {
    if (m.guesses.empty()) continue;
    std::string guess = quoted(m.guesses[0]);
    for (std::size_t i = 1; i < m.guesses.size() && i < 3; ++i)
      guess += " or " + quoted(m.guesses[i]);
    if (missing.size() > 1) guess += " for " + std::string(header_of(m.column));
    means += (means.empty() ? "" : ", ") + guess;
    pass += (pass.empty() ? "" : ",") + std::string(header_of(m.column)) + "=" + m.guesses[0];
  }
  if (!means.empty()) return start + "; did you mean " + means + "? pass --map \"" + pass + "\"";
  return start + "; the template's columns are " + template_columns() +
         " (`prospect-import template` prints them; --map \"" + names[0] +
         "=Their Column\" reads one from a column of another name)";
}

Error mapped_column_missing(const ColumnMapping& m, const std::vector<std::string>& header,
                            std::uint64_t line) {
  return input_error(ExitCode::data_error, line,
                     m.origin + " \"" + std::string(header_of(m.column)) + "=" + m.theirs +
                         "\": the file has no column \"" + m.theirs + "\" (the header has " +
                         quoted_list(trimmed(header)) + ")");
}

class Mapper {
 public:
  Mapper(const std::vector<std::string>& header, std::uint64_t line)
      : m_header(header), m_line(line), m_used(header.size()) {
    m_map.width = header.size();
  }

  HeaderMap run(const ColumnMap& columns) {
    for (const auto& m : columns) {
      auto i = find_header(m_header, m.theirs);
      if (!i) {
        m_map.error = mapped_column_missing(m, m_header, m_line);
        return std::move(m_map);
      }
      m_map.index[index(m.column)] = *i;
      m_mapped[index(m.column)] = true;
      m_used[*i] = true;
    }
    take_template_headers();
    take_aliases();
    for (std::size_t i = 0; i < m_header.size(); ++i) {
      if (!m_used[i] && !trim(m_header[i]).empty()) m_map.unknown.emplace_back(trim(m_header[i]));
    }
    if (!m_map.error) check_required();
    return std::move(m_map);
  }

 private:
  void take_template_headers() {
    for (std::size_t i = 0; i < m_header.size(); ++i) {
      if (m_used[i]) continue;
      auto column = column_for_header(m_header[i]);
      if (!column || m_mapped[index(*column)]) continue;  // a --map beats the header
      m_used[i] = true;
      auto& slot = m_map.index[index(*column)];
      if (slot && !m_map.error) {
        m_map.error = input_error(ExitCode::data_error, m_line,
                                  "the column \"" + std::string(header_of(*column)) +
                                      "\" appears twice (columns " + std::to_string(*slot + 1) +
                                      " and " + std::to_string(i + 1) + "): keep one");
      }
      if (!slot) slot = i;
    }
  }

  // Another name is taken only when exactly one header is one for the column.
  void take_aliases() {
    for (std::size_t i = 0; i < m_header.size(); ++i) {
      if (m_used[i]) continue;
      auto column = column_for_alias(m_header[i]);
      if (column && !m_map.index[index(*column)]) m_candidates[index(*column)].push_back(i);
    }
    for (const auto& c : k_columns) {
      const auto& found = m_candidates[index(c.column)];
      if (found.size() != 1) continue;
      m_map.index[index(c.column)] = found[0];
      m_used[found[0]] = true;
      m_map.aliased.push_back(quoted(trim(m_header[found[0]])) + " as " + std::string(c.header));
    }
  }

  void check_required() {
    std::vector<Missing> missing;
    for (const auto& c : k_columns) {
      if (c.required && !m_map.index[index(c.column)])
        missing.push_back(
            {c.column, guesses(m_header, m_used, m_candidates[index(c.column)], c.column)});
    }
    if (!missing.empty())
      m_map.error =
          input_error(ExitCode::data_error, m_line, missing_message(missing, trimmed(m_header)));
  }

  const std::vector<std::string>& m_header;
  std::uint64_t m_line;
  HeaderMap m_map;
  std::vector<bool> m_used;  // a header read as some template column
  std::array<bool, k_column_count> m_mapped{};
  std::array<std::vector<std::size_t>, k_column_count> m_candidates;  // headers by alias
};

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

std::optional<Column> column_for_alias(std::string_view header) {
  if (header.size() > k_max_suggested) return std::nullopt;
  std::string n = normalise(header);
  for (const auto& c : k_columns) {
    if (n == normalise(c.header)) return c.column;
  }
  for (const auto& a : k_aliases) {
    if (n == a.name) return a.column;
  }
  return std::nullopt;
}

HeaderMap map_header(const std::vector<std::string>& header, std::uint64_t header_line,
                     const ColumnMap& map) {
  return Mapper(header, header_line).run(map);
}

std::string describe_columns(const HeaderMap& map) {
  std::string r;
  for (const auto& c : k_columns) {
    const auto& at = map.index[index(c.column)];
    r += (r.empty() ? "" : ",") + (at ? std::to_string(*at + 1) : std::string("-"));
  }
  return r;
}

}  // namespace prospect_import
