#pragma once
// A program's partner groups and how a row's Group Name finds one (CLI.md):
// surrounding spaces and case (Unicode case folding) do not matter; if two
// groups differ only in case, an exact match wins and anything else is an error.

#include <iosfwd>
#include <memory>
#include <mutex>
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
  const Group* group = nullptr;  // the match, or null
  std::string error;             // why there is none (a message for the row)
};

// An unknown name gets the closest group as a suggestion ("did you mean"),
// within an edit distance of a third of its length (at least 2). That search
// is bounded, because a file of 10,000 typos against 2,000 groups took 80 s:
// it runs once per distinct name (cached), skips groups whose length alone
// differs by more than the best distance so far, stops a comparison as soon
// as it cannot win, and is not made for names longer than
// k_max_suggested_length.
inline constexpr std::size_t k_max_suggested_length = 100;  // code points

class GroupCatalog {
 public:
  explicit GroupCatalog(std::vector<Group> groups);

  // A name not found is taken as a group's Id if one has it (a CRM's GroupId
  // column read as Group Name). REQUIRES: name is trimmed and not empty.
  // Safe on several threads at once (the suggestions' cache has a lock).
  GroupResolution resolve(std::string_view name) const;
  const std::vector<Group>& groups() const { return m_groups; }

 private:
  std::string suggestion(const std::string& folded) const;
  std::string closest(const std::u32string& name) const;

  std::vector<Group> m_groups;
  std::vector<std::u32string> m_folded;  // per group: its trimmed, case-folded name
  std::unordered_map<std::string, std::vector<std::size_t>> m_by_folded;
  struct Suggestions {
    std::mutex mutex;
    std::unordered_map<std::string, std::string> by_folded;  // by folded unknown name
  };
  std::unique_ptr<Suggestions> m_suggestions = std::make_unique<Suggestions>();
};

// Reads a --groups-file: one name a line, as `prospect-import groups` prints
// them (UTF-8, an optional BOM, CRLF or LF; blank lines skipped; names trimmed).
// Offline there are no ids: each group's id is its name.
std::vector<Group> read_group_names(std::istream& in);

}  // namespace prospect_import
