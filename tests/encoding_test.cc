#include "prospect_import/encoding.h"

#include <gtest/gtest.h>

#include <sstream>

#include "prospect_import/error.h"

namespace prospect_import {
namespace {

struct Decoded {
  std::string text;
  std::string encoding;
  std::optional<Error> error;
};

Decoded decode(const std::string& bytes, const std::string& request = "auto",
               std::size_t read_size = 7, std::size_t chunk = k_decode_chunk) {
  std::istringstream in(bytes);
  auto decoder = make_decoder(in, *parse_encoding(request), chunk);
  Decoded d;
  std::string buf(read_size, '\0');
  try {
    while (std::size_t n = decoder->read(buf.data(), buf.size())) d.text.append(buf, 0, n);
  } catch (const ErrorException& e) {
    d.error = e.error();
  }
  d.encoding = decoder->encoding();
  return d;
}

TEST(Encoding, PlainUtf8PassesThrough) {
  auto d = decode("a,b\r\nc,d\n");
  EXPECT_EQ(d.text, "a,b\r\nc,d\n");
  EXPECT_EQ(d.encoding, "UTF-8");
}

TEST(Encoding, Utf8BomIsRemoved) {
  auto d = decode("\xEF\xBB\xBFPartner Name\n");
  EXPECT_EQ(d.text, "Partner Name\n");
  EXPECT_EQ(d.encoding, "UTF-8");
}

TEST(Encoding, ShiftJisIsDetectedWhenBytesAreNotUtf8) {
  // "パートナー名" in CP932
  auto d = decode("\x83\x70\x81\x5B\x83\x67\x83\x69\x81\x5B\x96\xBC\r\n");
  EXPECT_EQ(d.text, "パートナー名\r\n");
  EXPECT_EQ(d.encoding, "CP932");
}

TEST(Encoding, Cp932ExtensionsDecode) {
  // NEC row 13 "①" and IBM extension "髙" exist in CP932 but not in JIS X 0208.
  auto d = decode("\x87\x40,\xFB\xFC\n", "shift_jis");
  EXPECT_EQ(d.text, "①,髙\n");
}

TEST(Encoding, Utf16LittleEndianWithBom) {
  std::string bytes(
      "\xFF\xFE"
      "a\0,\0\xE9\0\n\0",
      10);
  auto d = decode(bytes);
  EXPECT_EQ(d.text, "a,é\n");
  EXPECT_EQ(d.encoding, "UTF-16LE");
}

TEST(Encoding, Utf16BigEndianWithBom) {
  std::string bytes("\xFE\xFF\0a\0,\0b\0\n", 10);
  auto d = decode(bytes);
  EXPECT_EQ(d.text, "a,b\n");
  EXPECT_EQ(d.encoding, "UTF-16BE");
}

TEST(Encoding, Utf16WithoutBomIsRecognisedByItsNulBytes) {
  std::string bytes("a\0,\0b\0\r\0\n\0", 10);
  auto d = decode(bytes);
  EXPECT_EQ(d.text, "a,b\r\n");
  EXPECT_EQ(d.encoding, "UTF-16LE");
}

TEST(Encoding, LoneCrBecomesLfAndCrLfStays) {
  EXPECT_EQ(decode("a\rb\r\nc\r").text, "a\nb\r\nc\n");
}

TEST(Encoding, CrLfSplitAcrossReadsStaysCrLf) {
  std::string big(70000, 'x');
  big[65535] = '\r';
  big[65536] = '\n';
  auto d = decode(big, "auto", 4096);
  EXPECT_EQ(d.text, big);
}

// The fuzz target decodes in small chunks to reach chunk ends with small inputs.
TEST(Encoding, SmallChunksDecodeTheSame) {
  const std::string utf8 = "Partner Name\r\nパートナー,\U0001F600\r\nx\ry\r\n";
  const std::string sjis = "\x83\x70\x81\x5B\x83\x67\x83\x69\x81\x5B\x96\xBC\r\n,a\rb\r\n";
  const std::string utf16(
      "\xFF\xFE"
      "a\0\r\0\n\0\x3D\xD8\x00\xDE\r\0",
      14);
  for (std::size_t chunk = 8; chunk < 24; ++chunk) {
    EXPECT_EQ(decode(utf8, "auto", 7, chunk).text, decode(utf8).text) << chunk;
    EXPECT_EQ(decode(sjis, "shift_jis", 7, chunk).text, decode(sjis, "shift_jis").text) << chunk;
    EXPECT_EQ(decode(utf16, "auto", 7, chunk).text, decode(utf16).text) << chunk;
  }
  EXPECT_EQ(decode(utf16).text, "a\r\n\U0001F600\n");
}

TEST(Encoding, InvalidUtf8AfterTheSniffedPrefixNamesTheLine) {
  std::string bytes(1 << 20, 'a');
  for (std::size_t i = 99; i < bytes.size(); i += 100) bytes[i] = '\n';
  bytes += "ok\n\x82\xA0\n";
  auto d = decode(bytes, "auto", 1 << 16);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, ExitCode::data_error);
  EXPECT_EQ(d.error->line, (1u << 20) / 100 + 2);
  EXPECT_EQ(d.error->message,
            "byte 0x82 is not valid UTF-8; the start of the file looked like UTF-8: if it was "
            "saved as Shift_JIS, pass --encoding shift_jis");
}

TEST(Encoding, ExplicitUtf8RefusesInvalidBytes) {
  auto d = decode("a\nb\xFF\n", "utf-8");
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->line, 2u);
  EXPECT_EQ(d.error->message,
            "byte 0xFF is not valid UTF-8; pass the file's encoding with --encoding (for example "
            "shift_jis)");
}

TEST(Encoding, NulByteIsAFileError) {
  auto d = decode(std::string("a,b\nc\0d\n", 8), "utf-8");
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->line, 2u);
  EXPECT_EQ(d.error->code, ExitCode::data_error);
}

TEST(Encoding, NeitherUtf8NorCp932IsAFileError) {
  auto d = decode("a,b\n\x85\x40\n");  // 0x85 0x40 is unassigned in CP932
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->line, 2u);
  EXPECT_EQ(d.error->message,
            "bytes here cannot be read as CP932 (the file is neither UTF-8 nor Shift_JIS/CP932): "
            "pass its encoding with --encoding");
}

TEST(Encoding, TruncatedSequenceAtEndIsAnError) {
  auto d = decode("a\n\xE3\x81", "utf-8");
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->line, 2u);
}

TEST(Encoding, BomContradictingTheRequestIsRefused) {
  auto d = decode(
      "\xEF\xBB\xBF"
      "a\n",
      "shift_jis");
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->message,
            "the file starts with a UTF-8 byte order mark, but --encoding CP932 was given; leave "
            "out --encoding or pass the right one");
}

TEST(Encoding, ParseEncodingKnowsAliasesAndRefusesNonsense) {
  EXPECT_TRUE(parse_encoding("auto")->automatic);
  EXPECT_EQ(parse_encoding("Shift_JIS")->iconv_name, "CP932");
  EXPECT_EQ(parse_encoding("utf8")->iconv_name, "UTF-8");
  EXPECT_EQ(parse_encoding("latin1")->iconv_name, "latin1");
  EXPECT_FALSE(parse_encoding("no-such-encoding"));
}

TEST(Encoding, EmptyInputGivesNothing) {
  auto d = decode("");
  EXPECT_EQ(d.text, "");
  EXPECT_FALSE(d.error);
}

}  // namespace
}  // namespace prospect_import
