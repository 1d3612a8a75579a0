#include "prospect_import/groups.h"

#include <istream>

#include "prospect_import/text.h"

namespace prospect_import {

GroupCatalog::GroupCatalog(std::vector<Group> groups) : m_groups(std::move(groups)) {
  for (std::size_t i = 0; i < m_groups.size(); ++i) {
    m_by_folded[case_fold(trim(m_groups[i].name))].push_back(i);
  }
}

GroupResolution GroupCatalog::resolve(std::string_view name) const {
  std::string folded = case_fold(name);
  auto it = m_by_folded.find(folded);
  if (it == m_by_folded.end()) {
    return {nullptr, "\"" + std::string(name) + "\" is not a group of this program" +
                         suggestion(folded) +
                         "; an import cannot create groups: create it in the program first, "
                         "or leave Group Name empty"};
  }
  if (it->second.size() == 1) return {&m_groups[it->second.front()], ""};
  std::string names;
  for (std::size_t i : it->second) {
    if (trim(m_groups[i].name) == name) return {&m_groups[i], ""};
    names += (names.empty() ? "\"" : ", \"") + m_groups[i].name + "\"";
  }
  return {nullptr, "\"" + std::string(name) + "\" matches several groups that differ only in case (" +
                       names + "): write the name exactly as one of them"};
}

std::string GroupCatalog::suggestion(const std::string& folded) const {
  const Group* best = nullptr;
  std::size_t best_distance = 0;
  for (const auto& g : m_groups) {
    std::size_t d = edit_distance(folded, case_fold(trim(g.name)));
    if (!best || d < best_distance) {
      best = &g;
      best_distance = d;
    }
  }
  std::size_t limit = std::max<std::size_t>(2, code_point_count(folded) / 3);
  if (!best || best_distance > limit) return "";
  return " (did you mean \"" + best->name + "\"?)";
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
