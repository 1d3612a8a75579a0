#include "prospect_import/row_checker.h"

#include <algorithm>

#include "prospect_import/report.h"
#include "prospect_import/text.h"

namespace prospect_import {

std::string describe_problems(const std::vector<Problem>& problems) {
  std::string r;
  for (const auto& p : problems) {
    if (!r.empty()) r += "; ";
    if (p.column) r += std::string(header_of(*p.column)) + ": ";
    r += p.message;
  }
  return r;
}

RowChecker::RowChecker(const HeaderMap& header, const GroupCatalog* groups, UniqueFd key_spill)
    : m_header(header),
      m_groups(groups),
      m_seen(&DuplicateIndex::default_hash, std::move(key_spill)) {}

void RowChecker::check(const Record& record, CheckedRow& row) {
  row.line = record.line;
  row.problems.clear();
  row.group_id.clear();
  pick_values(record, row);
  if (record.fields.size() != m_header.width) {
    row.problems.push_back(
        {std::nullopt, "the row has " + std::to_string(record.fields.size()) +
                           " fields but the header has " + std::to_string(m_header.width) +
                           " (a missing or extra delimiter, or an unquoted value "
                           "with a delimiter in it?)"});
  }
  check_group(row);
  // The duplicate index's slot is fetched while the values are checked.
  DuplicateIndex::Prepared key = m_seen.prepare(duplicate_key(row));
  check_values(row);
  check_duplicate(row, key);
  // Row-wide problems first, then in the template's column order.
  std::stable_sort(row.problems.begin(), row.problems.end(),
                   [](const Problem& a, const Problem& b) {
                     return a.column.has_value() < b.column.has_value() ||
                            (a.column && b.column && index(*a.column) < index(*b.column));
                   });
}

void RowChecker::pick_values(const Record& record, CheckedRow& row) {
  for (std::size_t c = 0; c < k_column_count; ++c) {
    const auto& at = m_header.index[c];
    bool present = at && *at < record.fields.size();
    std::string_view raw = present ? std::string_view(record.fields[*at]) : std::string_view();
    // A report cell's neutralising quote is undone in both, so that errors.csv
    // writes the same text again and re-imports to the same values.
    row.read[c].assign(undo_neutralise(raw));  // assign: the strings' room is reused
    row.sent[c].assign(undo_neutralise(trim(raw)));
  }
  // An address or URL typed with a Japanese IME on: sent in ASCII (errors.csv
  // keeps it as read).
  for (Column c : {Column::contact_email, Column::media_property}) {
    if (!narrow_fullwidth_ascii(row.sent[index(c)])) continue;
    if (m_fullwidth_cells++ == 0) m_fullwidth_first_line = row.line;
  }
}

void RowChecker::check_values(CheckedRow& row) const {
  auto add = [&](Column c, const std::optional<std::string>& message) {
    if (message) row.problems.push_back({c, *message});
  };
  add(Column::partner_name, check_partner_name(row.sent[index(Column::partner_name)]));
  add(Column::contact_email, check_email(row.sent[index(Column::contact_email)]));
  auto url = normalize_media_property(row.sent[index(Column::media_property)]);
  if (url.error) {
    add(Column::media_property, url.error);
  } else {
    row.sent[index(Column::media_property)] = std::move(url.url);
  }
  add(Column::partner_id, check_partner_id(row.sent[index(Column::partner_id)]));
}

void RowChecker::check_group(CheckedRow& row) const {
  const std::string& name = row.sent[index(Column::group_name)];
  if (name.empty() || !m_groups) {
    row.group_id = name;
    return;
  }
  GroupResolution r = m_groups->resolve(name);
  if (r.group) {
    row.group_id = r.group->id;
    row.sent[index(Column::group_name)] = r.group->name;  // the group the row goes to
  } else {
    row.problems.push_back({Column::group_name, r.error});
  }
}

// The case-folded (email, group) pair, in m_key.
const std::string& RowChecker::duplicate_key(const CheckedRow& row) {
  std::string& key = m_key;
  key.clear();
  append_case_fold(key, row.sent[index(Column::contact_email)]);
  key += '\0';
  if (m_groups) {
    key += row.group_id;
  } else {
    append_case_fold(key, row.sent[index(Column::group_name)]);
  }
  return key;
}

// REQUIRES: prepared is for duplicate_key(row), in m_key.
void RowChecker::check_duplicate(CheckedRow& row, DuplicateIndex::Prepared prepared) {
  if (std::uint64_t earlier = m_seen.find(m_key, prepared)) {
    row.problems.push_back({Column::contact_email, "duplicate of line " + std::to_string(earlier)});
  } else if (row.valid()) {
    m_seen.add(m_key, row.line, prepared);
  }
}

}  // namespace prospect_import
