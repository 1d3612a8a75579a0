// The .xlsx reader over workbooks from a real writer (openpyxl, committed in
// tests/data/xlsx/ by tests/tools/gen_workbooks.py) and a fresh set written
// now when Debian's python3-openpyxl is installed.

#include "prospect_import/xlsx_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "prospect_import/xlsx_values.h"
#include "test_util.h"

namespace prospect_import {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::filesystem::path k_committed = PI_XLSX_DIR;
const std::filesystem::path k_generator = PI_WORKBOOK_GENERATOR;

// The committed workbooks, and the ones openpyxl writes today when it is there.
std::vector<std::filesystem::path> workbook_dirs() {
  static testing::TempDir fresh;
  static const bool generated = [] {
    std::string cmd = "/usr/bin/python3 -c 'import openpyxl' 2>/dev/null && /usr/bin/python3 '" +
                      k_generator.string() + "' '" + fresh.path().string() + "'";
    return std::system(cmd.c_str()) == 0;
  }();
  if (!generated) return {k_committed};
  return {k_committed, fresh.path()};
}

struct Read {
  std::vector<Record> rows;
  std::optional<Error> error;
  std::string sheet;
  std::vector<std::string> sheets;
};

Read read_workbook(const std::filesystem::path& file, const std::string& sheet = "",
                   const ZipLimits& limits = {}) {
  std::ifstream in(file, std::ios::binary);
  Read r;
  auto reader = XlsxReader::open(in, WorkbookSettings{sheet, limits});
  if (!reader) {
    r.error = reader.error();
    return r;
  }
  Record record;
  while ((*reader)->next(record)) r.rows.push_back(record);
  r.error = (*reader)->error();
  r.sheet = (*reader)->sheet();
  r.sheets = (*reader)->sheets();
  return r;
}

std::vector<std::string> fields(std::initializer_list<std::string> f) { return f; }

// What both workbooks hold in their first sheet, below the header, as a CSV carries it.
void expect_prospects(const Read& r, std::string_view partner_id_2) {
  ASSERT_FALSE(r.error) << r.error->message;
  ASSERT_EQ(r.rows.size(), 7u);
  EXPECT_EQ(r.rows[1].line, 2u);
  EXPECT_EQ(r.rows[1].fields,
            fields({"株式会社サンプル", "info@sample.co.jp", "https://sample.co.jp", "Bloggers",
                    "太郎", "山田", "日本語のブログ「旅と食」", std::string(partner_id_2)}));
  EXPECT_EQ(r.rows[2].line, 3u);
  EXPECT_EQ(r.rows[2].fields, fields({"Acme Média", "ops@acme.example", "acme.example/blog", "", "",
                                      "", "3.14", "987654321"}));
  EXPECT_EQ(r.rows[3].line, 4u);
  EXPECT_EQ(r.rows[3].fields,
            fields({"Empty Cells Ltd", "hello@empty.example", "https://empty.example"}))
      << "the empty cells at the end are not there: the table pads a row to its header";
  EXPECT_EQ(r.rows[4].line, 7u) << "rows 5 and 6 are not in the sheet";
  EXPECT_EQ(r.rows[4].fields, fields({"Gap Row GmbH", "kontakt@gap.example", "https://gap.example",
                                      "", "", "", "0.1", "42"}));
  EXPECT_EQ(r.rows[5].fields[6], "1e-07");
  EXPECT_EQ(r.rows[5].fields[7], "123456789012");
  EXPECT_EQ(r.rows[6].line, 9u);
  EXPECT_EQ(r.rows[6].fields[0], "  スペース  ") << "trimming is the checker's";
  EXPECT_EQ(r.rows[6].fields[6], "改行\nあり");
}

TEST(XlsxReader, OpenpyxlInlineStringsNumbersGapsAndTheFirstSheet) {
  for (const auto& dir : workbook_dirs()) {
    SCOPED_TRACE(dir);
    Read r = read_workbook(dir / "prospects-openpyxl.xlsx");
    EXPECT_EQ(r.sheet, "Prospects");
    EXPECT_THAT(r.sheets, ElementsAre("Prospects", "Archive"));
    ASSERT_FALSE(r.rows.empty());
    EXPECT_EQ(r.rows[0].line, 1u);
    EXPECT_EQ(r.rows[0].fields[7], "Partner ID");
    expect_prospects(r, "12345");
  }
}

TEST(XlsxReader, ExcelSharedStringsRichRunsFuriganaLeftOutAndAnExponentInteger) {
  for (const auto& dir : workbook_dirs()) {
    SCOPED_TRACE(dir);
    Read r = read_workbook(dir / "prospects-excel-ja.xlsx");
    EXPECT_EQ(r.sheet, "見込み客");
    ASSERT_FALSE(r.rows.empty());
    EXPECT_EQ(r.rows[0].fields[0], "パートナー名");
    expect_prospects(r, "12345");  // stored as 1.2345E+4
  }
}

TEST(XlsxReader, SheetByNameInAnyCase) {
  Read r = read_workbook(k_committed / "prospects-openpyxl.xlsx", "archive");
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.sheet, "Archive");
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[2].fields, fields({"Older Partner", "older@archive.example",
                                      "https://older.example", "", "", "", "", "7"}));
}

TEST(XlsxReader, UnknownSheetListsTheSheets) {
  Read r = read_workbook(k_committed / "prospects-openpyxl.xlsx", "Leads");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ExitCode::data_error);
  EXPECT_EQ(r.error->message,
            "the workbook has no sheet \"Leads\"; its sheets are \"Prospects\", \"Archive\" "
            "(--sheet NAME chooses one)");
}

TEST(XlsxReader, ZipsThatAreNotWorkbooksSayWhatTheyAre) {
  const std::pair<const char*, const char*> cases[] = {
      {"spreadsheet.ods",
       "this is an OpenDocument spreadsheet (.ods), not a CSV file: save it "
       "as CSV UTF-8 or .xlsx"},
      {"spreadsheet.numbers",
       "this is an Apple Numbers spreadsheet (.numbers), not a CSV file: "
       "save it as CSV UTF-8 or .xlsx"},
      {"letter.docx",
       "this is a Word document (.docx), not a CSV file: save it as CSV UTF-8 or "
       ".xlsx"},
      {"archive.zip",
       "this is a zip archive (unzip it and import the CSV inside), not a CSV "
       "file: save it as CSV UTF-8 or .xlsx"},
  };
  for (const auto& [file, message] : cases) {
    Read r = read_workbook(k_committed / file);
    ASSERT_TRUE(r.error) << file;
    EXPECT_EQ(r.error->code, ExitCode::data_error);
    EXPECT_EQ(r.error->message, message);
  }
}

TEST(XlsxReader, AZipBombIsRefusedByItsRatio) {
  Read r = read_workbook(k_committed / "bomb-ratio.xlsx");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ExitCode::data_error);
  EXPECT_THAT(r.error->message,
              StartsWith("the workbook's part xl/worksheets/sheet1.xml is compressed "));
  EXPECT_THAT(r.error->message, HasSubstr("a zip bomb"));
}

TEST(XlsxReader, AnEntryLargerThanTheLimitIsRefused) {
  ZipLimits small;
  small.max_entry_bytes = 1000;
  Read r = read_workbook(k_committed / "prospects-openpyxl.xlsx", "", small);
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->message, HasSubstr("a zip bomb"));
}

TEST(XlsxReader, SizesTheDirectoryLiesAboutAreCountedAsTheyCome) {
  Read r = read_workbook(k_committed / "lying-size.xlsx");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ExitCode::data_error);
  EXPECT_LT(r.rows.size(), 2999u) << "not every row was read";
}

TEST(XlsxReader, ADoctypeIsRefusedAndNoEntityExpands) {
  Read r = read_workbook(k_committed / "doctype-entities.xlsx");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ExitCode::data_error);
  EXPECT_EQ(r.error->message,
            "the workbook's part xl/sharedStrings.xml declares a document type, which no "
            "spreadsheet writes: refused (its entities could expand without bound)");
}

TEST(XlsxReader, ATruncatedWorkbookIsADataError) {
  std::string bytes = testing::read_file(k_committed / "prospects-openpyxl.xlsx");
  for (std::size_t keep : {std::size_t{30}, bytes.size() / 2, bytes.size() - 10}) {
    std::istringstream in(bytes.substr(0, keep));
    auto reader = XlsxReader::open(in, WorkbookSettings{});
    ASSERT_FALSE(reader) << keep;
    EXPECT_EQ(reader.error().code, ExitCode::data_error);
    EXPECT_THAT(reader.error().message, StartsWith("the workbook cannot be read")) << keep;
  }
}

TEST(XlsxValues, IntegersInFullOtherNumbersShortest) {
  EXPECT_EQ(format_number("12345"), "12345");
  EXPECT_EQ(format_number("1.2345E+4"), "12345");
  EXPECT_EQ(format_number("12345.0"), "12345");
  EXPECT_EQ(format_number("123456789012345678901234"), "123456789012345678901234");
  EXPECT_EQ(format_number("-0"), "0");
  EXPECT_EQ(format_number("0.1"), "0.1");
  EXPECT_EQ(format_number("3.1400000000000001"), "3.14");
  EXPECT_EQ(format_number("1E-7"), "1e-07");
  EXPECT_EQ(format_number("1.5E+300"), "1.5e+300");
  EXPECT_EQ(format_number("-2.5"), "-2.5");
  EXPECT_EQ(format_number("abc"), "abc");
  EXPECT_EQ(format_number(""), "");
}

TEST(XlsxValues, EscapesReferencesAndRowNumbers) {
  EXPECT_EQ(decode_xstring("a_x000D_b_x005F_x000D_"), "a\rb_x000D_");
  EXPECT_EQ(decode_xstring("_x0000_ _xD800_ _x12_"), "_x0000_ _xD800_ _x12_");
  EXPECT_EQ(decode_xstring("_x3042_"), "あ");
  EXPECT_EQ(column_of_reference("A1"), 0u);
  EXPECT_EQ(column_of_reference("ab7"), 27u);
  EXPECT_EQ(column_of_reference("XFD1"), 16383u);
  EXPECT_FALSE(column_of_reference("XFE1"));
  EXPECT_FALSE(column_of_reference("ABCD1"));
  EXPECT_FALSE(column_of_reference("1"));
  EXPECT_EQ(parse_row_number("1048576"), 1048576u);
  EXPECT_FALSE(parse_row_number("0"));
  EXPECT_FALSE(parse_row_number("-1"));
  EXPECT_FALSE(parse_row_number("1x"));
}

}  // namespace
}  // namespace prospect_import
