#include "prospect_import/groups.h"

#include <algorithm>
#include <istream>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr std::size_t k_max_cached = 1 << 16;  // distinct unknown names whose suggestion is kept
constexpr std::size_t k_max_quoted = 80;       // code points of a name quoted in a message

std::u32string code_points(std::string_view s) {
  std::u32string r;
  for (std::size_t pos = 0; pos < s.size();) {
    CodePoint cp = decode_at(s, pos);
    r += cp.code_point;
    pos += cp.length;
  }
  return r;
}

// The name in double quotes, shortened when long: the value itself is in
// errors.csv already.
std::string quoted(std::string_view name) {
  if (code_point_count(name) <= k_max_quoted) return "\"" + std::string(name) + "\"";
  return "\"" + std::string(first_code_points(name, k_max_quoted - 3)) + "...\"";
}

// The Levenshtein distance of a and b when it is at most `bound`, else
// bound + 1, found without finishing when a whole row exceeds the bound.
// `row` is scratch space, reused between calls.
std::size_t distance_within(const std::u32string& a, const std::u32string& b, std::size_t bound,
                            std::vector<std::size_t>& row) {
  row.resize(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    std::size_t smallest = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({substitute, row[j] + 1, row[j - 1] + 1});
      smallest = std::min(smallest, row[j]);
    }
    if (smallest > bound) return bound + 1;
  }
  return std::min(row[b.size()], bound + 1);
}

}  // namespace

GroupCatalog::GroupCatalog(std::vector<Group> groups) : m_groups(std::move(groups)) {
  for (std::size_t i = 0; i < m_groups.size(); ++i) {
    std::string folded = case_fold(trim(m_groups[i].name));
    m_folded.push_back(code_points(folded));
    m_by_folded[std::move(folded)].push_back(i);
  }
}

GroupResolution GroupCatalog::resolve(std::string_view name) const {
  // One string a thread, its room reused row after row: most names are longer
  // than a string holds without allocating.
  thread_local std::string folded;
  folded.clear();
  append_case_fold(folded, name);
  auto it = m_by_folded.find(folded);
  if (it == m_by_folded.end()) {
    // A group's Id is taken too: a column read as Group Name may be the API's GroupId.
    for (const auto& g : m_groups) {
      if (!g.id.empty() && g.id == trim(name)) return {&g, ""};
    }
    return {nullptr, quoted(name) + " is not a group of this program" + suggestion(folded) +
                         "; an import cannot create groups: create it in the program first, "
                         "or leave Group Name empty"};
  }
  if (it->second.size() == 1) return {&m_groups[it->second.front()], ""};
  std::string names;
  for (std::size_t i : it->second) {
    if (trim(m_groups[i].name) == name) return {&m_groups[i], ""};
    names += (names.empty() ? "\"" : ", \"") + m_groups[i].name + "\"";
  }
  return {nullptr, quoted(name) + " matches several groups that differ only in case (" + names +
                       "): write the name exactly as one of them"};
}

std::string GroupCatalog::suggestion(const std::string& folded) const {
  {
    std::lock_guard lock(m_suggestions->mutex);
    auto cached = m_suggestions->by_folded.find(folded);
    if (cached != m_suggestions->by_folded.end()) return cached->second;
  }
  // Found without the lock: the other threads go on meanwhile.
  std::u32string name = code_points(folded);
  std::string text = name.size() > k_max_suggested_length ? "" : closest(name);
  std::lock_guard lock(m_suggestions->mutex);
  if (m_suggestions->by_folded.size() >= k_max_cached)
    m_suggestions->by_folded.clear();  // a bound on memory, not on time
  m_suggestions->by_folded.emplace(folded, text);
  return text;
}

// The first group nearest to `name` within its allowed distance, as " (did
// you mean ...?)", or "". A group whose length differs by d is at least d away.
std::string GroupCatalog::closest(const std::u32string& name) const {
  std::size_t limit = std::max<std::size_t>(2, name.size() / 3);
  const Group* best = nullptr;
  std::size_t best_distance = limit + 1;  // beaten only by a distance within the limit
  std::vector<std::size_t> row;
  for (std::size_t i = 0; i < m_groups.size(); ++i) {
    const std::u32string& g = m_folded[i];
    std::size_t gap = g.size() > name.size() ? g.size() - name.size() : name.size() - g.size();
    if (gap >= best_distance) continue;
    std::size_t d = distance_within(name, g, best_distance - 1, row);
    if (d < best_distance) {
      best = &m_groups[i];
      best_distance = d;
    }
  }
  return best ? " (did you mean \"" + best->name + "\"?)" : "";
}

std::vector<Group> read_group_names(std::istream& in) {
  std::vector<Group> groups;
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    std::string_view v = line;
    if (first && v.starts_with("\xEF\xBB\xBF")) v.remove_prefix(3);
    first = false;
    v = trim(v);
    if (!v.empty()) groups.push_back(Group{std::string(v), std::string(v)});
  }
  return groups;
}

}  // namespace prospect_import
