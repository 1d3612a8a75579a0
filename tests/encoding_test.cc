#include "prospect_import/encoding.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

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

// Names typed in half-width katakana (a bank's or a register's kana column),
// saved by Excel as CP932: runs of bytes 0xA1-0xDF, which read in pairs as
// EUC-JP kanji just as well. They were silently read as EUC-JP ("ﾔﾏﾀﾞ" became
// "塹折"); voicing marks where the kana before takes them now decide CP932.
std::string cp932_halfwidth_file(const std::vector<std::string>& names) {
  std::string bytes = "Partner Name,Contact Email\r\n";
  for (const auto& n : names) bytes += n + ",a@example.com\r\n";
  return bytes;
}

TEST(Encoding, HalfWidthKatakanaWithVoicingMarksIsCp932NotEucJp) {
  // ﾔﾏﾀﾞ ﾃﾞﾝｷ ｶﾞｽﾞ ﾋﾞｰﾙ ﾊﾟﾝﾔ: each an even run, a valid EUC-JP reading too.
  auto d = decode(cp932_halfwidth_file({"\xD4\xCF\xC0\xDE", "\xC3\xDE\xDD\xB7", "\xB6\xDE\xBD\xDE",
                                        "\xCB\xDE\xB0\xD9", "\xCA\xDF\xDD\xD4"}));
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.encoding, "CP932");
  EXPECT_NE(d.text.find("ﾔﾏﾀﾞ,"), std::string::npos) << d.text;
  EXPECT_NE(d.text.find("ﾊﾟﾝﾔ,"), std::string::npos) << d.text;
}

TEST(Encoding, HalfWidthKatakanaTooShortToTellIsRefusedNotGuessed) {
  // ﾔﾏﾀﾞ ｻｸﾗｺ ﾃﾞﾝｷ: two marks are not enough against "塹折 燦弸 筑欸"; the
  // user is shown both readings and asked (65), never given the kanji.
  auto d =
      decode(cp932_halfwidth_file({"\xD4\xCF\xC0\xDE", "\xBB\xB8\xD7\xBA", "\xC3\xDE\xDD\xB7"}));
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, ExitCode::data_error);
  EXPECT_NE(d.error->message.find("cannot tell the encoding for sure"), std::string::npos)
      << d.error->message;
  EXPECT_NE(d.error->message.find("as CP932 (Shift_JIS): ﾔﾏﾀﾞ,"), std::string::npos)
      << d.error->message;
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

// Line ends are looked for sixteen bytes a step: a lone CR, a CRLF and a NUL
// are each found at every place of a block and across a block's end, with the
// line numbers counted right up to them.
TEST(Encoding, LineEndsAndNulAreFoundAtEveryPlaceOfABlock) {
  for (std::size_t at = 0; at < 40; ++at) {
    std::string base(48, 'x');
    base[3] = '\n';  // a line before: the NUL's line is 2 when it comes later
    if (at == 3) continue;
    std::string nul = base;
    nul[at] = '\0';
    auto d = decode(nul, "utf-8", 4096);
    ASSERT_TRUE(d.error) << "NUL at " << at;
    EXPECT_EQ(d.error->line, at < 3 ? 1u : 2u) << "NUL at " << at;
    if (at == 2) continue;  // a CR there is the CRLF of line 1
    std::string lone = base;
    lone[at] = '\r';
    std::string want = base;
    want[at] = '\n';
    EXPECT_EQ(decode(lone, "utf-8", 4096).text, want) << "lone CR at " << at;
    std::string crlf = base;
    crlf[at] = '\r';
    crlf[at + 1] = '\n';
    EXPECT_EQ(decode(crlf, "utf-8", 4096).text, crlf) << "CRLF at " << at;
  }
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

// The look-ahead ends 4 MiB after the first non-ASCII byte; a byte past it
// that is not UTF-8 stops the reading at its line.
TEST(Encoding, InvalidUtf8PastTheLookAheadNamesTheLine) {
  std::string bytes = "caf\xC3\xA9\n";
  while (bytes.size() < (5u << 20)) bytes += std::string(99, 'a') + "\n";
  bytes += "ok\n\x82\xA0\n";
  auto d = decode(bytes, "auto", 1 << 16);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, ExitCode::data_error);
  EXPECT_EQ(d.error->line, 1 + (bytes.size() - 12) / 100 + 2);
  EXPECT_EQ(d.error->message,
            "byte 0x82 is not valid UTF-8; the start of the file looked like UTF-8: if it was "
            "saved as Shift_JIS, pass --encoding shift_jis");
}

// The encoding is decided at the first non-ASCII byte, wherever it is: here
// on line 40,002, after 1.4 MB of ASCII.
TEST(Encoding, OnlyNonAsciiByteOnLine40002DecidesTheEncoding) {
  std::string ascii = "Partner Name;Contact Email\r\n";
  for (int i = 0; i < 40000; ++i) ascii += "Partner " + std::to_string(i) + ";p@example.com\r\n";
  auto western = decode(ascii + "Caf\xE9 de Flore;cafe@example.fr\r\n", "auto", 1 << 16);
  ASSERT_FALSE(western.error) << western.error->message;
  EXPECT_EQ(western.encoding, "WINDOWS-1252");
  EXPECT_EQ(western.text, ascii + "Café de Flore;cafe@example.fr\r\n");
  // "東京の本屋" in CP932.
  auto japanese =
      decode(ascii + "\x93\x8C\x8B\x9E\x82\xCC\x96\x7B\x89\xAE;x@example.jp\r\n", "auto", 1 << 16);
  ASSERT_FALSE(japanese.error) << japanese.error->message;
  EXPECT_EQ(japanese.encoding, "CP932");
  EXPECT_EQ(japanese.text, ascii + "東京の本屋;x@example.jp\r\n");
}

TEST(Encoding, WesternExcelFileIsWindows1252AndSaysWhy) {
  std::istringstream in(
      "sep=;\r\nPartner Name;Description\r\nM\xE9\x64ias Fr\xE8res;D\xE9licieux \xE0 "
      "la fran\xE7\x61ise, tr\xE8s go\xFBteux\r\n");
  auto decoder = make_decoder(in, *parse_encoding("auto"));
  std::string why;
  decoder->on_decided([&](const std::string& reason) { why = reason; });
  std::string buf(256, '\0');
  std::string text(buf.data(), decoder->read(buf.data(), buf.size()));
  EXPECT_EQ(text.substr(text.find("M")),
            "Médias Frères;Délicieux à la française, très goûteux\r\n");
  EXPECT_EQ(decoder->encoding(), "WINDOWS-1252");
  EXPECT_TRUE(why.starts_with("Windows-1252: no valid CP932 (Shift_JIS) or EUC-JP reading; "))
      << why;
  EXPECT_EQ(why, decoder->reason());
}

TEST(Encoding, TooLittleEvidenceIsRefusedWithBothReadingsAndTheWayOut) {
  auto d = decode("Partner Name\nAcme\nM\xE9\x64ias Fr\xE8res\n");
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, ExitCode::data_error);
  EXPECT_EQ(d.error->line, 3u);
  EXPECT_EQ(d.error->message,
            "cannot tell the encoding for sure: Windows-1252 or Windows-1250 (2.0 points against "
            "2.0; a lead of 3.0 decides). This line reads\n"
            "  as Windows-1252: Médias Frères\n"
            "  as Windows-1250: Médias Frčres\n"
            "pass --encoding windows-1252 or --encoding windows-1250");
}

TEST(Encoding, ReadingsThatGiveTheSameTextAreNoDoubt) {
  auto d = decode("Name\nM\xFCller\n");  // "Müller" is the same in 1252 and 1250
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.text, "Name\nMüller\n");
}

TEST(Encoding, PlainAsciiIsUtf8) {
  std::istringstream in("a,b\n");
  auto decoder = make_decoder(in, *parse_encoding("auto"));
  char buf[16];
  while (decoder->read(buf, sizeof buf)) {
  }
  EXPECT_EQ(decoder->encoding(), "UTF-8");
  EXPECT_EQ(decoder->reason(), "UTF-8: the file is plain ASCII");
}

TEST(Encoding, EucJpIsTold) {
  // "株式会社さくら,東京" in EUC-JP.
  auto d = decode(
      "Name,City\n\xB3\xF4\xBC\xB0\xB2\xF1\xBC\xD2\xA4\xB5\xA4\xAF\xA4\xE9,"
      "\xC5\xEC\xB5\xFE\n");
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.encoding, "EUC-JP");
  EXPECT_EQ(d.text, "Name,City\n株式会社さくら,東京\n");
}

TEST(Encoding, Utf16WithoutBomHoldingJapaneseIsRecognised) {
  std::u16string units = u"名前\t東京\r\n";
  std::string le, be;
  for (char16_t u : units) {
    le += static_cast<char>(u & 0xFF);
    le += static_cast<char>(u >> 8);
    be += static_cast<char>(u >> 8);
    be += static_cast<char>(u & 0xFF);
  }
  EXPECT_EQ(decode(le).text, "名前\t東京\r\n");
  EXPECT_EQ(decode(le).encoding, "UTF-16LE");
  EXPECT_EQ(decode(be).text, "名前\t東京\r\n");
  EXPECT_EQ(decode(be).encoding, "UTF-16BE");
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

TEST(Encoding, NoCandidateReadsItIsAFileError) {
  // 0x81 is in neither Windows code page, a CP932 lead byte before ',', and a
  // C1 control in EUC-JP, which no text has.
  auto d = decode("a,b\n\x81,x\n");
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->line, 2u);
  EXPECT_EQ(d.error->message,
            "the file is neither UTF-8 nor CP932 (Shift_JIS), EUC-JP, Windows-1252 or "
            "Windows-1250: pass its encoding with --encoding (a name iconv knows)");
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
  EXPECT_EQ(parse_encoding("Windows-1252")->iconv_name, "WINDOWS-1252");
  EXPECT_EQ(parse_encoding("euc-jp")->iconv_name, "EUC-JP");
  EXPECT_FALSE(parse_encoding("no-such-encoding"));
}

TEST(Encoding, EmptyInputGivesNothing) {
  auto d = decode("");
  EXPECT_EQ(d.text, "");
  EXPECT_FALSE(d.error);
}

}  // namespace
}  // namespace prospect_import
