#include "prospect_import/file_kind.h"

#include <gtest/gtest.h>

namespace prospect_import {
namespace {

std::string utf16le(std::string_view ascii) {
  std::string r;
  for (char c : ascii) r += std::string{c, '\0'};
  return r;
}

TEST(FileKind, TextInAnyEncodingIsText) {
  EXPECT_EQ(sniff_file_kind("Partner Name,Contact Email\n").kind, FileKind::text);
  EXPECT_EQ(sniff_file_kind("\xEF\xBB\xBFPartner Name").kind, FileKind::text);
  EXPECT_EQ(sniff_file_kind("M\xE9"
                            "dias Fr\xE8res;")
                .kind,
            FileKind::text);  // Windows-1252
  EXPECT_EQ(sniff_file_kind("").kind, FileKind::text);
}

TEST(FileKind, Utf16WithoutABomIsTextNotBinary) {
  EXPECT_EQ(sniff_file_kind(utf16le("Partner Name\tContact Email\r\n")).kind, FileKind::text);
  std::string be;
  for (char c : std::string("Partner Name\t")) be += std::string{'\0', c};
  EXPECT_EQ(sniff_file_kind(be).kind, FileKind::text);
  // Japanese in UTF-16LE: "株式会社" then ",a" (a NUL only after the ASCII).
  std::string ja = "\x2A\x68\x0F\x5F\x1A\x4F\x3E\x79" + utf16le(",a\n");
  EXPECT_EQ(sniff_file_kind(ja).kind, FileKind::text);
  EXPECT_EQ(sniff_file_kind("\xFF\xFE" + utf16le("a,b")).kind, FileKind::text);
}

TEST(FileKind, NulBytesOfNoUtf16PatternAreBinary) {
  auto s = sniff_file_kind(std::string("abc\0\0\0def", 9));
  EXPECT_EQ(s.kind, FileKind::refused);
  EXPECT_EQ(s.refusal,
            "this is binary data (it holds NUL bytes), not a CSV file: save it as CSV UTF-8 or "
            ".xlsx");
  EXPECT_EQ(sniff_file_kind(std::string("a\0bc\0d", 7)).kind, FileKind::refused)
      << "NULs on both sides";
  EXPECT_EQ(sniff_file_kind(std::string("abc\0\0\0def", 9), NulCheck::off).kind, FileKind::text)
      << "an explicit --encoding reads it as asked";
}

TEST(FileKind, KnownFormatsAreNamed) {
  const std::pair<std::string, std::string> cases[] = {
      {std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(500, '\0'),
       "an Excel 97-2003 workbook (.xls)"},
      {std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + utf16le("WordDocument"),
       "a Word 97-2003 document (.doc)"},
      {std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + utf16le("EncryptedPackage"),
       "a password-protected Office file (remove the password in Excel first)"},
      {"%PDF-1.7\n", "a PDF document"},
      {"\x89PNG\r\n\x1A\n....", "a PNG image"},
      {"\xFF\xD8\xFF\xE0", "a JPEG image"},
      {"\x1F\x8B\x08", "a gzip-compressed file (gunzip it first)"},
  };
  for (const auto& [head, what] : cases) {
    auto s = sniff_file_kind(head);
    EXPECT_EQ(s.kind, FileKind::refused) << what;
    EXPECT_EQ(s.refusal, "this is " + what + ", not a CSV file: save it as CSV UTF-8 or .xlsx");
  }
  EXPECT_EQ(sniff_file_kind("%PDF-1.7", NulCheck::off).kind, FileKind::refused);
}

TEST(FileKind, ZipsAreLookedInto) {
  EXPECT_EQ(sniff_file_kind(std::string("PK\x03\x04\x14\0", 6)).kind, FileKind::zip);
  EXPECT_EQ(sniff_file_kind(std::string("PK\x05\x06", 4)).kind, FileKind::zip);
  EXPECT_EQ(sniff_file_kind("PK,Contact Email\n").kind, FileKind::text);
}

TEST(FileKind, Utf16Plausibility) {
  EXPECT_TRUE(plausible_utf16(utf16le("abc")));
  EXPECT_FALSE(plausible_utf16("abc"));
  EXPECT_FALSE(plausible_utf16(std::string("\0\0ab", 4))) << "U+0000";
  EXPECT_FALSE(plausible_utf16(std::string("a\0\0b", 4)));
}

}  // namespace
}  // namespace prospect_import
