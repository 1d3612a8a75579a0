#include "prospect_import/header_map.h"

#include <gtest/gtest.h>

namespace prospect_import {
namespace {

TEST(HeaderMap, TemplateHeaderMapsInOrder) {
  auto m = map_header({"Partner Name", "Contact Email", "Media Property", "Group Name",
                       "Contact First Name", "Contact Last Name", "Description", "Partner ID"},
                      1);
  EXPECT_FALSE(m.error);
  for (std::size_t i = 0; i < k_column_count; ++i) EXPECT_EQ(m.index[i], i);
  EXPECT_TRUE(m.unknown.empty());
}

TEST(HeaderMap, CaseSpacesAndBomDoNotMatterAndOrderIsFree) {
  auto m = map_header({"\xEF\xBB\xBF media property ", "CONTACT EMAIL", "partner name"}, 1);
  EXPECT_FALSE(m.error);
  EXPECT_EQ(m.index[index(Column::media_property)], 0u);
  EXPECT_EQ(m.index[index(Column::contact_email)], 1u);
  EXPECT_EQ(m.index[index(Column::partner_name)], 2u);
  EXPECT_FALSE(m.index[index(Column::group_name)]);
}

TEST(HeaderMap, JapaneseHeadersAreAccepted) {
  auto m = map_header({"パートナー名", "連絡先メールアドレス", "メディアプロパティ", "グループ名",
                       "連絡先の名", "連絡先の姓", "説明", "パートナーID"},
                      1);
  EXPECT_FALSE(m.error);
  EXPECT_EQ(m.index[index(Column::partner_id)], 7u);
}

TEST(HeaderMap, UnknownColumnsAreListedNotFatal) {
  auto m = map_header(
      {"Row", "Error", "Partner Name", "Contact Email", "Media Property", "", "Phone"}, 1);
  EXPECT_FALSE(m.error);
  EXPECT_EQ(m.unknown, (std::vector<std::string>{"Row", "Error", "Phone"}));
  EXPECT_EQ(m.width, 7u);
}

TEST(HeaderMap, MissingRequiredColumnNamesItAndWhatWasFound) {
  auto m = map_header({"Partner Name", "Phone", "Media Property"}, 1);
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.error->code, ExitCode::data_error);
  EXPECT_EQ(m.error->message,
            "the required column \"Contact Email\" is missing (the header has \"Partner Name\", "
            "\"Phone\", \"Media Property\"); the template's columns are Partner Name, Contact "
            "Email, Media Property, Group Name, Contact First Name, Contact Last Name, "
            "Description, Partner ID (`prospect-import template` prints them; --map \"Contact "
            "Email=Their Column\" reads one from a column of another name)");
}

TEST(HeaderMap, SeveralMissingColumnsAreAllNamed) {
  auto m = map_header({"Name"}, 3);
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.error->line, 3u);
  EXPECT_EQ(m.error->message,
            "the required columns \"Partner Name\", \"Contact Email\", \"Media Property\" are "
            "missing (the header has \"Name\"); the template's columns are Partner Name, Contact "
            "Email, Media Property, Group Name, Contact First Name, Contact Last Name, "
            "Description, Partner ID (`prospect-import template` prints them; --map \"Partner "
            "Name=Their Column\" reads one from a column of another name)");
}

TEST(HeaderMap, AColumnTwiceIsAnError) {
  auto m = map_header({"Partner Name", "Contact Email", "Media Property", "contact email"}, 1);
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.error->message,
            "the column \"Contact Email\" appears twice (columns 2 and 4): keep one");
}

// Issue 7, item 10: a 1M-column header made one 10.9 MB log line.
TEST(HeaderMap, NamesInMessagesAreBounded) {
  std::vector<std::string> many;
  for (int i = 0; i < 1'000'000; ++i) many.push_back("x" + std::to_string(i));
  EXPECT_EQ(quoted_list(many),
            "\"x0\", \"x1\", \"x2\", \"x3\", \"x4\", \"x5\", \"x6\", \"x7\", \"x8\", \"x9\" and "
            "999990 more");
  EXPECT_EQ(quoted_list({std::string(900'000, 'a'), "ブロガー"}),
            "\"" + std::string(40, 'a') + "...\", \"ブロガー\"");
  EXPECT_EQ(quoted_list({std::string(39, 'a') + "ブロ"}), "\"" + std::string(39, 'a') + "ブ...\"")
      << "cut between characters, not inside one";
  EXPECT_EQ(quoted_list({}), "nothing");

  auto m = map_header(many, 1);
  ASSERT_TRUE(m.error);
  EXPECT_EQ(
      m.error->message,
      "the required columns \"Partner Name\", \"Contact Email\", \"Media Property\" are missing "
      "(the header has \"x0\", \"x1\", \"x2\", \"x3\", \"x4\", \"x5\", \"x6\", \"x7\", \"x8\", "
      "\"x9\" and 999990 more); the template's columns are Partner Name, Contact Email, Media "
      "Property, Group Name, Contact First Name, Contact Last Name, Description, Partner ID "
      "(`prospect-import template` prints them; --map \"Partner Name=Their Column\" reads one "
      "from a column of another name)");
}

}  // namespace
}  // namespace prospect_import
