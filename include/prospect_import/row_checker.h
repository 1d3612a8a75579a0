#pragma once
// One row's journey through local validation: values picked from the record
// by the header map, trimmed, un-neutralised, checked field by field against
// API.md's rules, the group resolved (RowRules: the row alone, on any thread),
// and duplicates of earlier valid rows found (RowChecker: rows in order).

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
  // The case-folded (email, group) pair that finds duplicates, and its hash.
  std::string key;
  std::uint64_t key_hash = 0;
  // Cells of Contact Email or Media Property typed in full-width ASCII and sent in ASCII.
  unsigned fullwidth_cells = 0;
  // The columns whose value RowRules::check_consuming moved from the record
  // (a bit a column): their value as read is the one sent.
  unsigned moved = 0;
  bool valid() const { return problems.empty(); }
};

// "Column: message; Column: message", as errors.csv's Error cell shows them.
std::string describe_problems(const std::vector<Problem>& problems);

// The checks of a row that depend on that row alone. Const: one RowRules can
// check rows on several threads at once.
class RowRules {
 public:
  // groups: the program's groups, or null when they are not checked.
  // REQUIRES: header has no error; header and groups outlive the rules.
  RowRules(const HeaderMap& header, const GroupCatalog* groups);

  // Every check but duplicates, the problems in the order errors.csv shows
  // them; row.key and row.key_hash set for RowChecker::finish.
  void check(const Record& record, CheckedRow& row) const;
  // The same for a caller done with the record: values move out of it where
  // that saves a copy, and row.read is filled only for an invalid row.
  void check_consuming(Record& record, CheckedRow& row) const;
  // row.read, from the record check_consuming left (or any record checked).
  void fill_read(const Record& record, CheckedRow& row) const;

 private:
  void check(const Record& record, Record* consuming, CheckedRow& row) const;
  void pick_values(const Record& record, Record* consuming, CheckedRow& row) const;
  std::string_view raw_value(const Record& record, std::size_t column) const;
  void check_values(CheckedRow& row) const;
  void check_group(CheckedRow& row) const;
  void make_key(CheckedRow& row) const;

  const HeaderMap& m_header;
  const GroupCatalog* m_groups;
  // The columns whose value check_consuming may move out of the record: those
  // never changed once picked, each in a field of its own.
  unsigned m_movable = 0;
};

class RowChecker {
 public:
  // groups: the program's groups, or null when they are not checked.
  // key_spill: where the duplicate index's keys go (duplicate_index.h).
  // REQUIRES: header has no error; header and groups outlive the checker.
  RowChecker(const HeaderMap& header, const GroupCatalog* groups, KeySpill key_spill = {});

  // rules().check, then finish().
  void check(const Record& record, CheckedRow& row);

  const RowRules& rules() const { return m_rules; }
  // What depends on the rows before: a duplicate of an earlier valid row.
  // REQUIRES: row is rules().check's; rows come in the file's order.
  void finish(CheckedRow& row);
  // Starts fetching what finish(row) will look at, so that it is at hand then.
  void prefetch(const CheckedRow& row) const { m_seen.prepare_hashed(row.key_hash); }

  // Cells of Contact Email or Media Property typed in full-width ASCII
  // (ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｃｏｍ) and sent in ASCII so far, and the line of the first.
  std::uint64_t fullwidth_cells() const { return m_fullwidth_cells; }
  std::uint64_t fullwidth_first_line() const { return m_fullwidth_first_line; }

 private:
  RowRules m_rules;
  // The case-folded (email, group) pair of each valid row -> its line.
  DuplicateIndex m_seen;
  std::uint64_t m_fullwidth_cells = 0;
  std::uint64_t m_fullwidth_first_line = 0;
};

}  // namespace prospect_import
