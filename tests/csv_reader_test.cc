#include "prospect_import/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace prospect_import {
namespace {

using ::testing::ElementsAre;

struct Parsed {
  std::vector<Record> records;
  std::optional<Error> error;
  char delimiter = 0;
};

Parsed parse(const std::string& text, char delimiter = '\0') {
  std::istringstream in(text);
  CsvReader reader(make_decoder(in, EncodingRequest{}), delimiter);
  Parsed p;
  Record r;
  while (reader.next(r)) p.records.push_back(r);
  p.error = reader.error();
  p.delimiter = reader.delimiter();
  return p;
}

TEST(CsvReader, SplitsFieldsAndNumbersLines) {
  auto p = parse("a,b\r\n1,2\r\n3,4");
  ASSERT_EQ(p.records.size(), 3u);
  EXPECT_THAT(p.records[1].fields, ElementsAre("1", "2"));
  EXPECT_EQ(p.records[2].line, 3u);
  EXPECT_THAT(p.records[2].fields, ElementsAre("3", "4"));
}

// Excel's "sep=;" line names the delimiter; the header is then on line 2.
TEST(CsvReader, ExcelSepLineSetsTheDelimiterAndIsNoRecord) {
  auto p = parse("sep=;\r\nPartner Name;Contact Email\r\nA, B;a@b.fr\r\n");
  EXPECT_EQ(p.delimiter, ';');
  ASSERT_EQ(p.records.size(), 2u);
  EXPECT_EQ(p.records[0].line, 2u);
  EXPECT_THAT(p.records[0].fields, ElementsAre("Partner Name", "Contact Email"));
  EXPECT_EQ(p.records[1].line, 3u);
  EXPECT_THAT(p.records[1].fields, ElementsAre("A, B", "a@b.fr"));
  EXPECT_EQ(parse("\"sep=,\"\nh;x,y\n").records[0].fields.size(), 2u) << "quoted, and ','";
  EXPECT_EQ(parse("sep=\t\nh,x\ty\n").delimiter, '\t');
  EXPECT_EQ(parse("SEP=;\nh,x;y\n").delimiter, ';');
}

TEST(CsvReader, SepLineYieldsToAnExplicitDelimiterAndOnlyTheFirstLineIsOne) {
  auto p = parse("sep=;\na,b\n", ',');
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_THAT(p.records[0].fields, ElementsAre("a", "b"));
  auto later = parse("h\nsep=;\n");
  ASSERT_EQ(later.records.size(), 2u);
  EXPECT_THAT(later.records[1].fields, ElementsAre("sep=;"));
  EXPECT_FALSE(excel_separator_line("sep=;;"));
  EXPECT_FALSE(excel_separator_line("sep=|"));
  EXPECT_EQ(excel_separator_line("sep=\\t"), '\t');
}

TEST(CsvReader, QuotedFieldsKeepDelimitersQuotesAndLineBreaks) {
  auto p = parse("h1,h2\n\"a,b\",\"say \"\"hi\"\"\"\n\"two\r\nlines\",x\n\"\",y\n");
  ASSERT_EQ(p.records.size(), 4u);
  EXPECT_THAT(p.records[1].fields, ElementsAre("a,b", "say \"hi\""));
  EXPECT_THAT(p.records[2].fields, ElementsAre("two\nlines", "x"));
  EXPECT_EQ(p.records[3].line, 5u) << "a record after a two-line field starts on line 5";
}

TEST(CsvReader, BlankAndAllEmptyLinesAreNotRecords) {
  auto p = parse("a,b\n\n,\n , \n1,2\n\n\n");
  ASSERT_EQ(p.records.size(), 2u);
  EXPECT_EQ(p.records[1].line, 5u);
}

TEST(CsvReader, LoneCrEndsALine) {
  auto p = parse("a,b\r1,2\r3,4\r");
  ASSERT_EQ(p.records.size(), 3u);
  EXPECT_EQ(p.records[2].line, 3u);
}

TEST(CsvReader, QuoteInsideAnUnquotedFieldIsData) {
  auto p = parse("a,b\n5\" screen,x\n");
  EXPECT_THAT(p.records[1].fields, ElementsAre("5\" screen", "x"));
}

TEST(CsvReader, QuoteAfterLeadingSpacesOpensAQuotedField) {
  auto p = parse("a,b\n1, \"x, y\"\n");
  EXPECT_THAT(p.records[1].fields, ElementsAre("1", "x, y"));
}

TEST(CsvReader, TextAfterAClosingQuoteIsAppended) {
  auto p = parse("a,b\n\"ab\"cd,e\n");
  EXPECT_THAT(p.records[1].fields, ElementsAre("abcd", "e"));
}

TEST(CsvReader, UnclosedQuoteIsAFileErrorAtItsLine) {
  auto p = parse("a,b\n1,2\n\"3,4\n5,6\n");
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->line, 3u);
  EXPECT_EQ(
      p.error->message,
      "a quoted field opens here and is never closed: a closing quote (\") is probably missing");
}

TEST(CsvReader, RunawayQuoteStopsAfterAMebibyte) {
  std::string text = "a,b\n\"x,y\n";
  for (int i = 0; i < 40000; ++i) text += "row with some text in it,more\n";
  auto p = parse(text);
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->line, 2u);
  EXPECT_THAT(p.error->message, ::testing::HasSubstr("still open after 1 MiB"));
}

TEST(CsvReader, ALineLongerThan16MiBIsAFileErrorAtItsLine) {
  auto p = parse("a,b\n1,2\n" + std::string((16 << 20) + 1, 'x') + "\n3,4\n");
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->line, 3u);
  EXPECT_EQ(p.error->message,
            "this line is longer than 16 MiB: a line break is missing or the file is not a "
            "prospects CSV");
  EXPECT_EQ(p.records.size(), 2u);
}

TEST(CsvReader, RecordsOfDifferentWidthsReadIntoOneRecordKeepTheirOwnFields) {
  auto p = parse("a,b,c\n1\n\"x\ny\",2,3,4\n5,6\n");
  ASSERT_EQ(p.records.size(), 4u);
  EXPECT_THAT(p.records[1].fields, ElementsAre("1"));
  EXPECT_THAT(p.records[2].fields, ElementsAre("x\ny", "2", "3", "4"));
  EXPECT_THAT(p.records[3].fields, ElementsAre("5", "6"));
  EXPECT_EQ(p.records[3].line, 5u);
}

TEST(CsvReader, DetectsDelimiterFromTheHeader) {
  EXPECT_EQ(parse("a;b;c\n1;2;3\n").delimiter, ';');
  EXPECT_EQ(parse("a\tb\n1\t2\n").delimiter, '\t');
  EXPECT_EQ(parse("\"a;b\",c\n").delimiter, ',');
  EXPECT_EQ(parse("single\n").delimiter, ',');
}

TEST(CsvReader, GivenDelimiterWins) {
  auto p = parse("a,b;c\n", ';');
  EXPECT_THAT(p.records[0].fields, ElementsAre("a,b", "c"));
}

TEST(CsvReader, DecodeErrorsArriveAsFileErrors) {
  std::string text = "a,b\n1,2\n";
  text += std::string("x\0y\n", 4);
  auto p = parse(text);
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->line, 3u);
}

// Regression: a tab delimiter was skipped as leading white space before a quote,
// shifting every later value one column left.
TEST(CsvReader, EmptyFieldBeforeAQuotedFieldSurvivesATabDelimiter) {
  auto p = parse("a\tb\tc\n1\t\t\"x\"\n", '\t');
  EXPECT_THAT(p.records[1].fields, ElementsAre("1", "", "x"));
  EXPECT_THAT(parse("a\tb\n\t\"x\"\n", '\t').records[1].fields, ElementsAre("", "x"));
}

// Regression: the delimiter was detected from a blank first line.
TEST(CsvReader, DelimiterIsDetectedFromTheFirstNonBlankLine) {
  auto p = parse("\nDATE;TIME\n1;2\n");
  EXPECT_EQ(p.delimiter, ';');
  ASSERT_EQ(p.records.size(), 2u);
  EXPECT_THAT(p.records[1].fields, ElementsAre("1", "2"));
}

TEST(CsvReader, EmptyFieldsAreKept) {
  auto p = parse("a,b,c\n,x,\n");
  EXPECT_THAT(p.records[1].fields, ElementsAre("", "x", ""));
}

}  // namespace
}  // namespace prospect_import
