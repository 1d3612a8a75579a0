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

namespace {

// Row-wide problems first, then in the template's column order.
void order_problems(std::vector<Problem>& problems) {
  std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    return a.column.has_value() < b.column.has_value() ||
           (a.column && b.column && index(*a.column) < index(*b.column));
  });
}

}  // namespace

RowRules::RowRules(const HeaderMap& header, const GroupCatalog* groups)
    : m_header(header), m_groups(groups) {
  for (Column c : {Column::partner_name, Column::contact_first_name, Column::contact_last_name,
                   Column::description, Column::partner_id}) {
    const auto& at = m_header.index[index(c)];
    if (at && std::count(m_header.index.begin(), m_header.index.end(), at) == 1)
      m_movable |= 1u << index(c);
  }
}

void RowRules::check(const Record& record, CheckedRow& row) const { check(record, nullptr, row); }

void RowRules::check_consuming(Record& record, CheckedRow& row) const {
  check(record, &record, row);
}

void RowRules::check(const Record& record, Record* consuming, CheckedRow& row) const {
  row.line = record.line;
  row.problems.clear();
  row.group_id.clear();
  pick_values(record, consuming, row);
  if (record.fields.size() != m_header.width) {
    row.problems.push_back(
        {std::nullopt, "the row has " + std::to_string(record.fields.size()) +
                           " fields but the header has " + std::to_string(m_header.width) +
                           " (a missing or extra delimiter, or an unquoted value "
                           "with a delimiter in it?)"});
  }
  check_group(row);
  make_key(row);
  check_values(row);
  order_problems(row.problems);
  if (!consuming || !row.valid()) fill_read(record, row);
}

std::string_view RowRules::raw_value(const Record& record, std::size_t column) const {
  const auto& at = m_header.index[column];
  return at && *at < record.fields.size() ? std::string_view(record.fields[*at])
                                          : std::string_view();
}

void RowRules::fill_read(const Record& record, CheckedRow& row) const {
  // A report cell's neutralising quote is undone, as in the values sent, so
  // that errors.csv writes the same text again and re-imports to the same values.
  for (std::size_t c = 0; c < k_column_count; ++c) {
    if (row.moved & (1u << c)) {
      row.read[c] = row.sent[c];  // moved only when the two are the same
    } else {
      row.read[c].assign(undo_neutralise(raw_value(record, c)));  // the strings' room is reused
    }
  }
}

// The longest value a std::string holds without allocating (libstdc++: 15).
// Not constexpr: clang cannot evaluate libstdc++'s string constructor so.
const std::size_t k_short_string = std::string().capacity();

void RowRules::pick_values(const Record& record, Record* consuming, CheckedRow& row) const {
  // A report cell's neutralising quote is undone (see fill_read).
  row.moved = 0;
  for (std::size_t c = 0; c < k_column_count; ++c) {
    std::string_view raw = raw_value(record, c);
    std::string_view sent = undo_neutralise(trim(raw));
    if (consuming && (m_movable & (1u << c)) && raw.size() > k_short_string &&
        sent.size() == raw.size()) {
      // Nothing trimmed or undone: the record's string itself, not a copy (a
      // short one is copied: swapping two strings held in place copies both).
      row.sent[c].swap(consuming->fields[*m_header.index[c]]);
      row.moved |= 1u << c;
    } else {
      row.sent[c].assign(sent);
    }
  }
  // An address or URL typed with a Japanese IME on: sent in ASCII (errors.csv
  // keeps it as read).
  row.fullwidth_cells = 0;
  for (Column c : {Column::contact_email, Column::media_property}) {
    if (narrow_fullwidth_ascii(row.sent[index(c)])) ++row.fullwidth_cells;
  }
}

void RowRules::check_values(CheckedRow& row) const {
  auto add = [&](Column c, const std::optional<std::string>& message) {
    if (message) row.problems.push_back({c, *message});
  };
  add(Column::partner_name, check_partner_name(row.sent[index(Column::partner_name)]));
  add(Column::contact_email, check_email(row.sent[index(Column::contact_email)]));
  // One string a thread, its room reused row after row, and swapped in.
  thread_local std::string url;
  std::string& sent_url = row.sent[index(Column::media_property)];
  if (auto error = normalize_media_property(sent_url, url)) {
    add(Column::media_property, error);
  } else {
    sent_url.swap(url);
  }
  add(Column::partner_id, check_partner_id(row.sent[index(Column::partner_id)]));
}

void RowRules::check_group(CheckedRow& row) const {
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

// The case-folded (email, group) pair.
void RowRules::make_key(CheckedRow& row) const {
  std::string& key = row.key;
  key.clear();
  append_case_fold(key, row.sent[index(Column::contact_email)]);
  key += '\0';
  const std::string& name = row.sent[index(Column::group_name)];
  if (m_groups && (!row.group_id.empty() || name.empty())) {
    key += row.group_id;
  } else {
    // Unchecked, or a group the program lacks: the name as written (marked,
    // so that it never equals a group's id: such a row is no duplicate of a
    // row without a group).
    if (m_groups) key += '\x01';
    append_case_fold(key, name);
  }
  row.key_hash = DuplicateIndex::default_hash(key);
}

RowChecker::RowChecker(const HeaderMap& header, const GroupCatalog* groups, KeySpill key_spill)
    : m_rules(header, groups), m_seen(&DuplicateIndex::default_hash, std::move(key_spill)) {}

void RowChecker::check(const Record& record, CheckedRow& row) {
  m_rules.check(record, row);
  finish(row);
}

void RowChecker::finish(CheckedRow& row) {
  if (row.fullwidth_cells > 0) {
    if (m_fullwidth_cells == 0) m_fullwidth_first_line = row.line;
    m_fullwidth_cells += row.fullwidth_cells;
  }
  DuplicateIndex::Prepared prepared = m_seen.prepare_hashed(row.key_hash);
  if (std::uint64_t earlier = m_seen.find(row.key, prepared)) {
    row.problems.push_back({Column::contact_email, "duplicate of line " + std::to_string(earlier)});
    order_problems(row.problems);
  } else if (row.valid()) {
    m_seen.add(row.key, row.line, prepared);
  }
}

}  // namespace prospect_import
