#pragma once
// A program's partner groups and how a row's Group Name finds one (CLI.md):
// surrounding spaces and case (Unicode case folding) do not matter; if two
// groups differ only in case, an exact match wins and anything else is an error.

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace prospect_import {

struct Group {
  std::string id;
  std::string name;
};

struct GroupResolution {
  const Group* group = nullptr;   // the match, or null
  std::string error;              // why there is none (a message for the row)
};

class GroupCatalog {
 public:
  explicit GroupCatalog(std::vector<Group> groups);

  // REQUIRES: name is trimmed and not empty.
  GroupResolution resolve(std::string_view name) const;
  const std::vector<Group>& groups() const { return m_groups; }

 private:
  std::string suggestion(const std::string& folded) const;

  std::vector<Group> m_groups;
  std::unordered_map<std::string, std::vector<std::size_t>> m_by_folded;
};

// Reads a --groups-file: one name a line, as `prospect-import groups` prints
// them (UTF-8, an optional BOM, CRLF or LF; blank lines skipped; names trimmed).
// Offline there are no ids: each group's id is its name.
std::vector<Group> read_group_names(std::istream& in);

}  // namespace prospect_import
