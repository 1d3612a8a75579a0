#include "form.h"

#include <gtest/gtest.h>

namespace prospect_sandbox {
namespace {

TEST(PercentDecode, PlusIsASpaceInFormsOnly) {
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("a%2Bb", true), "a+b");
  EXPECT_EQ(percent_decode("a%2bb", true), "a+b");
}

TEST(PercentDecode, DecodesUtf8Bytes) { EXPECT_EQ(percent_decode("%E3%81%82", true), "\u3042"); }

TEST(PercentDecode, RefusesBadEscapes) {
  EXPECT_EQ(percent_decode("%", true), std::nullopt);
  EXPECT_EQ(percent_decode("%4", true), std::nullopt);
  EXPECT_EQ(percent_decode("a%zz", true), std::nullopt);
  EXPECT_EQ(percent_decode("100%", true), std::nullopt);
}

TEST(PercentDecode, RefusesUnencodedSpaceControlsAndNonAscii) {
  EXPECT_EQ(percent_decode("a b", true), std::nullopt);
  EXPECT_EQ(percent_decode("a\tb", true), std::nullopt);
  EXPECT_EQ(percent_decode("\xE3\x81\x82", true), std::nullopt);
}

TEST(ParseForm, KeepsOrderAndRepeats) {
  const FormFields expected = {{"A", "1"}, {"B", "x y"}, {"A", "2"}};
  EXPECT_EQ(parse_form("A=1&B=x+y&A=2"), expected);
}

TEST(ParseForm, SkipsEmptyPairsAndReadsNameOnlyAsEmptyValue) {
  const FormFields expected = {{"A", ""}, {"B", ""}, {"C", "="}};
  EXPECT_EQ(parse_form("&A&&B=&C=%3D&"), expected);
  EXPECT_EQ(parse_form(""), FormFields{});
}

TEST(ParseForm, RefusesABadEscapeAnywhere) {
  EXPECT_EQ(parse_form("A=1&B=%G1"), std::nullopt);
  EXPECT_EQ(parse_form("%=1"), std::nullopt);
}

TEST(FindField, TakesTheFirst) {
  const FormFields fields = {{"A", "1"}, {"A", "2"}};
  EXPECT_EQ(find_field(fields, "A"), "1");
  EXPECT_EQ(find_field(fields, "a"), std::nullopt);
}

TEST(PercentEncode, KeepsUnreservedOnly) {
  EXPECT_EQ(percent_encode("IR abc/1+~._-"), "IR%20abc%2F1%2B~._-");
  EXPECT_EQ(percent_encode("\u3042"), "%E3%81%82");
}

}  // namespace
}  // namespace prospect_sandbox
