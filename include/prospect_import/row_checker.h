#pragma once
// One row's journey through local validation: values picked from the record
// by the header map, trimmed, un-neutralised, checked field by field against
// API.md's rules, the group resolved, and duplicates of earlier valid rows found.

#include <cstdint>
#include <string>
#include <vector>

#include "prospect_import/csv_reader.h"
#include "prospect_import/duplicate_index.h"
#include "prospect_import/groups.h"
#include "prospect_import/header_map.h"
#include "prospect_import/template.h"
#include "prospect_import/validate.h"

namespace prospect_import {

struct CheckedRow {
  std::uint64_t line = 0;         // CLI.md's `Row`
  Values read;                    // values as read (errors.csv), a report's neutralising ' undone
  Values sent;                    // values as sent (success.csv, the API)
  std::string group_id;           // resolved group, empty for none (or unchecked offline)
  std::vector<Problem> problems;  // empty when the row is valid
  bool valid() const { return problems.empty(); }
};

// "Column: message; Column: message", as errors.csv's Error cell shows them.
std::string describe_problems(const std::vector<Problem>& problems);

class RowChecker {
 public:
  // groups: the program's groups, or null when they are not checked.
  // key_spill: a file for the duplicate index's keys (duplicate_index.h), or none.
  // REQUIRES: header has no error; header and groups outlive the checker.
  RowChecker(const HeaderMap& header, const GroupCatalog* groups, UniqueFd key_spill = {});

  void check(const Record& record, CheckedRow& row);

  // Cells of Contact Email or Media Property typed in full-width ASCII
  // (ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｃｏｍ) and sent in ASCII so far, and the line of the first.
  std::uint64_t fullwidth_cells() const { return m_fullwidth_cells; }
  std::uint64_t fullwidth_first_line() const { return m_fullwidth_first_line; }

 private:
  void pick_values(const Record& record, CheckedRow& row);
  void check_values(CheckedRow& row) const;
  void check_group(CheckedRow& row) const;
  const std::string& duplicate_key(const CheckedRow& row);
  void check_duplicate(CheckedRow& row, DuplicateIndex::Prepared prepared);

  const HeaderMap& m_header;
  const GroupCatalog* m_groups;
  // The case-folded (email, group) pair of each valid row -> its line.
  DuplicateIndex m_seen;
  std::string m_key;  // the row's key, its room reused from row to row
  std::uint64_t m_fullwidth_cells = 0;
  std::uint64_t m_fullwidth_first_line = 0;
};

}  // namespace prospect_import
