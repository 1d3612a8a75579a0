#include "prospect_import/row_checker.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace prospect_import {
namespace {

const std::vector<std::string> k_header = {
    "Partner Name",       "Contact Email",     "Media Property", "Group Name",
    "Contact First Name", "Contact Last Name", "Description",    "Partner ID"};

Record record(std::uint64_t line, std::vector<std::string> fields) { return {line, fields}; }

// Rows of every kind a file has: valid, padded, neutralised by an earlier
// report, long (held on the heap), invalid, short, long and a duplicate.
std::vector<Record> rows() {
  std::string long_text(300, 'x');
  return {
      record(2, {"Acme", "a@acme.com", "acme.com", "", "Ann", "Lee", "", "123"}),
      record(3, {"  Padded Partner Name  ", " b@b.org ", "https://b.org", "", " Bo ", "Ma ",
                 " a description with spaces around it ", " 77 "}),
      record(4, {"'=Neutralised Partner", "c@c.net", "c.net", "", "'+Cy", "'-Do",
                 "'@a description that was neutralised", ""}),
      record(5, {"A Partner Name Long Enough For The Heap", "d@d.de", "HTTPS://D.DE/x", "",
                 "First Name Long Enough", "Last Name Long Enough", long_text, "9876543210"}),
      record(6, {"", "not an address", "ftp://e.com", "", "Eve", "", "invalid row", "12x"}),
      record(7, {"Short Row", "f@f.fr"}),
      record(8,
             {"Acme Again", "A@ACME.COM", "acme.com", "", "Al", "", "a duplicate of line 2", ""}),
      record(9, {"Full Width", "ｇ＠ｇ．ｃｏｍ", "ｇ．ｃｏｍ", "", "", "", "", ""}),
  };
}

TEST(RowRules, CheckingConsumingTheRecordGivesTheSameRowsAsChecking) {
  HeaderMap header = map_header(k_header, 1);
  ASSERT_FALSE(header.error);
  RowChecker copying(header, nullptr);
  RowChecker consuming(header, nullptr);
  for (const Record& r : rows()) {
    SCOPED_TRACE(r.line);
    CheckedRow want;
    Record kept = r;
    copying.check(kept, want);
    EXPECT_EQ(kept.fields, r.fields) << "check leaves the record as it was";

    CheckedRow got;
    Record used = r;
    consuming.rules().check_consuming(used, got);
    bool checked_valid = got.valid();
    consuming.finish(got);
    EXPECT_EQ(got.sent, want.sent);
    EXPECT_EQ(got.problems, want.problems);
    EXPECT_EQ(got.key, want.key);
    EXPECT_EQ(got.group_id, want.group_id);
    if (!checked_valid) {
      EXPECT_EQ(got.read, want.read) << "filled for an invalid row";
    }
    // A duplicate is found after the record was consumed: what it was read as
    // comes back from the same record.
    consuming.rules().fill_read(used, got);
    EXPECT_EQ(got.read, want.read);
  }
  EXPECT_EQ(consuming.fullwidth_cells(), copying.fullwidth_cells());
}

TEST(RowRules, ARowThatWasValidIsNotGivenItsReadValuesWhenConsumed) {
  HeaderMap header = map_header(k_header, 1);
  RowChecker checker(header, nullptr);
  Record r = rows().front();
  CheckedRow row;
  checker.rules().check_consuming(r, row);
  ASSERT_TRUE(row.valid());
  EXPECT_EQ(row.read, Values{}) << "errors.csv alone needs them";
  EXPECT_EQ(row.sent[index(Column::media_property)], "https://acme.com");
}

TEST(RowRules, AFieldTwoColumnsAreReadFromStaysInTheRecordForBoth) {
  // Partner Name and Description both read from field 0 (a hand-made map).
  HeaderMap header = map_header(k_header, 1);
  header.index[index(Column::description)] = 0;
  RowChecker checker(header, nullptr);
  Record r = record(2, {"Same Field For Two Columns", "a@b.com", "b.com", "", "", "", "", ""});
  CheckedRow row;
  checker.rules().check_consuming(r, row);
  EXPECT_EQ(row.sent[index(Column::partner_name)], "Same Field For Two Columns");
  EXPECT_EQ(row.sent[index(Column::description)], "Same Field For Two Columns");
}

TEST(RowChecker, ARowWithAGroupTheProgramLacksIsNoDuplicateOfOneWithoutAGroup) {
  HeaderMap header = map_header(k_header, 1);
  GroupCatalog groups(std::vector<Group>{{"77", "Bloggers"}});
  RowChecker checker(header, &groups);
  CheckedRow row;
  checker.check(record(2, {"Acme", "a@acme.com", "acme.com", "", "", "", "", ""}), row);
  ASSERT_TRUE(row.valid());
  checker.check(record(3, {"Acme", "a@acme.com", "acme.com", "Nope", "", "", "", ""}), row);
  ASSERT_EQ(row.problems.size(), 1u) << describe_problems(row.problems);
  EXPECT_EQ(row.problems[0].column, Column::group_name);
  // The same email and group twice is a duplicate, by the group's name or its case.
  checker.check(record(4, {"Acme", "a@acme.com", "acme.com", "Bloggers", "", "", "", ""}), row);
  ASSERT_TRUE(row.valid());
  checker.check(record(5, {"Acme", "A@ACME.COM", "acme.com", "bloggers", "", "", "", ""}), row);
  EXPECT_EQ(describe_problems(row.problems), "Contact Email: duplicate of line 4");
}

}  // namespace
}  // namespace prospect_import
