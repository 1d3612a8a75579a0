#include "prospect_import/column_map.h"

#include <gtest/gtest.h>

#include "prospect_import/header_map.h"
#include "test_util.h"

namespace prospect_import {
namespace {

ColumnMap parse(const std::string& text) {
  ColumnMap map;
  auto s = parse_column_map(text, ',', "--map", map);
  EXPECT_TRUE(s) << s.error().message;
  return map;
}

std::string parse_error(const std::string& text, char separator = ',') {
  ColumnMap map;
  auto s = parse_column_map(text, separator, separator == ',' ? "--map" : "map.txt", map);
  if (s) return "";
  EXPECT_EQ(s.error().code, ExitCode::usage);
  return s.error().message;
}

TEST(ColumnMap, PairsByEnglishJapaneseOrApiName) {
  auto map = parse(" Partner Name = Company ,contactemail=E-mail,メディアプロパティ=Web Site,");
  ASSERT_EQ(map.size(), 3u);
  EXPECT_EQ(map[0], (ColumnMapping{Column::partner_name, "Company", "--map"}));
  EXPECT_EQ(map[1], (ColumnMapping{Column::contact_email, "E-mail", "--map"}));
  EXPECT_EQ(map[2], (ColumnMapping{Column::media_property, "Web Site", "--map"}));
  EXPECT_EQ(to_string(map), "Partner Name=Company,Contact Email=E-mail,Media Property=Web Site");
}

TEST(ColumnMap, WrongPairsAreUsageErrors) {
  EXPECT_EQ(parse_error("Partner Name"),
            "--map: \"Partner Name\" is not Template Column=Their Column (e.g. \"Contact "
            "Email=E-mail\")");
  EXPECT_EQ(parse_error("Company Name=Company"),
            "--map: \"Company Name\" is not a column of the template (Partner Name, Contact "
            "Email, Media Property, Group Name, Contact First Name, Contact Last Name, "
            "Description, Partner ID)");
  EXPECT_EQ(parse_error("Partner Name="),
            "--map: \"Partner Name=\" names no column of the file after '='");
  EXPECT_EQ(parse_error("Partner Name=A,partner name=B"),
            "--map: Partner Name is mapped twice (also by --map)");
}

TEST(ColumnMap, FileLinesCommentsAndLineNumbers) {
  ColumnMap map;
  ASSERT_TRUE(
      parse_column_map("\xEF\xBB\xBF# from the CRM\r\n\r\nPartner Name=Company, Inc.\n"
                       "  # indented comment\nContact Email=Email\n",
                       '\n', "map.txt", map));
  ASSERT_EQ(map.size(), 2u);
  EXPECT_EQ(map[0], (ColumnMapping{Column::partner_name, "Company, Inc.", "map.txt:3"}));
  EXPECT_EQ(map[1].origin, "map.txt:5");
  EXPECT_EQ(parse_error("Partner Name=A\nnonsense\n", '\n'),
            "map.txt:2: \"nonsense\" is not Template Column=Their Column (e.g. \"Contact "
            "Email=E-mail\")");
}

TEST(ColumnMap, LoadedFromFlagsAndAFile) {
  testing::TempDir dir;
  testing::write_file(dir / "map.txt", "Media Property=Website\n");
  auto map =
      load_column_map({"Partner Name=Company", "Contact Email=Email"}, (dir / "map.txt").string());
  ASSERT_TRUE(map);
  EXPECT_EQ(to_string(*map), "Partner Name=Company,Contact Email=Email,Media Property=Website");
  auto missing = load_column_map({}, (dir / "nope.txt").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ExitCode::no_input);
  auto twice = load_column_map({"Media Property=URL"}, (dir / "map.txt").string());
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message,
            (dir / "map.txt").string() + ":1: Media Property is mapped twice (also by --map)");
}

const std::vector<std::string> k_crm = {"Company", "E-mail", "Website", "Phone"};

TEST(HeaderMapWithMap, AMapTakesTheirColumn) {
  auto m = map_header({"Name", "Mail", "Site", "Partner Name"}, 1,
                      parse("Partner Name=name,Contact Email=Mail,Media Property=Site"));
  ASSERT_FALSE(m.error) << m.error->message;
  EXPECT_EQ(m.index[index(Column::partner_name)], 0u) << "the map beats the template's header";
  EXPECT_EQ(m.index[index(Column::contact_email)], 1u);
  EXPECT_EQ(m.index[index(Column::media_property)], 2u);
  EXPECT_EQ(m.unknown, (std::vector<std::string>{"Partner Name"}));
  EXPECT_TRUE(m.aliased.empty());
  EXPECT_EQ(describe_columns(m), "1,2,3,-,-,-,-,-");
}

TEST(HeaderMapWithMap, AColumnTheFileLacksIs65) {
  auto m = map_header(k_crm, 1, parse("Contact Email=Email Address"));
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.error->code, ExitCode::data_error);
  EXPECT_EQ(m.error->message,
            "--map \"Contact Email=Email Address\": the file has no column \"Email Address\" "
            "(the header has \"Company\", \"E-mail\", \"Website\", \"Phone\")");
}

TEST(HeaderMapAliases, ApiNamesAndCommonVariantsWhenUnambiguous) {
  auto m = map_header(k_crm, 1);
  ASSERT_FALSE(m.error) << m.error->message;
  EXPECT_EQ(m.index[index(Column::partner_name)], 0u);
  EXPECT_EQ(m.index[index(Column::contact_email)], 1u);
  EXPECT_EQ(m.index[index(Column::media_property)], 2u);
  EXPECT_EQ(m.aliased,
            (std::vector<std::string>{"\"Company\" as Partner Name", "\"E-mail\" as Contact Email",
                                      "\"Website\" as Media Property"}));
  EXPECT_EQ(m.unknown, (std::vector<std::string>{"Phone"}));

  auto api =
      map_header({"PartnerName", "ContactEmail", "MediaPropertyUrl", "GroupId", "PartnerId"}, 1);
  ASSERT_FALSE(api.error);
  EXPECT_EQ(api.index[index(Column::group_name)], 3u);
  EXPECT_EQ(api.index[index(Column::partner_id)], 4u);
}

TEST(HeaderMapAliases, TheTemplateHeaderBeatsAnAlias) {
  auto m = map_header({"Partner Name", "Company", "Contact Email", "Media Property"}, 1);
  ASSERT_FALSE(m.error);
  EXPECT_EQ(m.index[index(Column::partner_name)], 0u);
  EXPECT_EQ(m.unknown, (std::vector<std::string>{"Company"}));
}

TEST(HeaderMapAliases, TwoCandidatesAreAmbiguousAndSaidSo) {
  auto m = map_header({"Company", "Email", "E-mail", "Website"}, 1);
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.error->message,
            "the required column \"Contact Email\" is missing (the header has \"Company\", "
            "\"Email\", \"E-mail\", \"Website\"); did you mean \"Email\" or \"E-mail\"? pass "
            "--map \"Contact Email=Email\"");
}

TEST(HeaderMapAliases, AMissingColumnSuggestsTheClosestHeader) {
  auto m = map_header({"Company", "Work Email", "Web", "Phone"}, 2);
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.error->line, 2u);
  EXPECT_EQ(m.error->message,
            "the required columns \"Contact Email\", \"Media Property\" are missing (the header "
            "has \"Company\", \"Work Email\", \"Web\", \"Phone\"); did you mean \"Work Email\" "
            "for Contact Email? pass --map \"Contact Email=Work Email\"");
}

}  // namespace
}  // namespace prospect_import
