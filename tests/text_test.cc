#include "prospect_import/text.h"

#include <gtest/gtest.h>

#include <clocale>
#include <string>
#include <vector>

namespace prospect_import {
namespace {

// find_byte looks sixteen bytes a step and takes the last few as the sixteen
// that end the text: it must answer as string_view::find does for every
// length, every start and every place of the byte (none, one, two).
TEST(FindByte, AnswersAsFindDoesForEveryLengthStartAndPlace) {
  for (std::size_t length = 0; length <= 40; ++length) {
    for (std::size_t at = 0; at <= length; ++at) {
      for (std::size_t second = at; second <= length; ++second) {
        std::string text(length, 'x');
        if (at < length) text[at] = ',';
        if (second < length) text[second] = ',';
        std::string_view v(text);
        for (std::size_t from = 0; from <= length + 1; ++from) {
          ASSERT_EQ(find_byte(v, ',', from), v.find(',', from))
              << "length " << length << ", at " << at << ", " << second << ", from " << from;
        }
      }
    }
  }
}

TEST(NarrowFullwidthAscii, TurnsImeTypedAddressesIntoAscii) {
  std::string s = "ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｃｏｍ";
  EXPECT_TRUE(narrow_fullwidth_ascii(s));
  EXPECT_EQ(s, "info@example.com");
  std::string url = "ｈｔｔｐｓ：／／ｗｗｗ．ｅｘａｍｐｌｅ．ｊｐ／特集";
  EXPECT_TRUE(narrow_fullwidth_ascii(url));
  EXPECT_EQ(url, "https://www.example.jp/特集") << "kanji stay";
  std::string plain = "a@b.jp　東京";  // U+3000 and kanji are not full-width ASCII
  EXPECT_FALSE(narrow_fullwidth_ascii(plain));
  EXPECT_EQ(plain, "a@b.jp　東京");
}

TEST(Trim, RemovesAsciiWhiteSpaceNoBreakAndIdeographicSpace) {
  EXPECT_EQ(trim(" \t\r\n\v\fAcme Media\f\v\n\r\t "), "Acme Media");
  EXPECT_EQ(trim("\u00A0Acme\u00A0"), "Acme");
  EXPECT_EQ(trim("\u3000\u3000株式会社さくら\u3000"), "株式会社さくら");
  EXPECT_EQ(trim(" \u00A0\u3000 x \u3000\u00A0 "), "x");
}

TEST(Trim, KeepsInnerSpaceAndOtherUnicodeSpaces) {
  EXPECT_EQ(trim("  Blue Sky  Media "), "Blue Sky  Media");
  EXPECT_EQ(trim("\u2003x\u2003"), "\u2003x\u2003");  // EM SPACE is not in CLI.md's list
  EXPECT_EQ(trim("\u00851"), "\u00851");              // NEL is a control, not trimmed
}

TEST(Trim, AllSpaceOrEmptyGivesEmpty) {
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \u3000\t\u00A0"), "");
}

TEST(Trim, KeepsMalformedBytes) {
  EXPECT_EQ(trim(" \xC2 "), "\xC2");  // a lone lead byte of U+00A0 is not a space
  EXPECT_EQ(trim("\xE3\x80"), "\xE3\x80");
}

TEST(DecodeAt, ReadsOneCodePoint) {
  std::string s = "a\u00E9\u3042\U0001F600";
  EXPECT_EQ(decode_at(s, 0).code_point, U'a');
  EXPECT_EQ(decode_at(s, 1).code_point, U'\u00E9');
  EXPECT_EQ(decode_at(s, 1).length, 2u);
  EXPECT_EQ(decode_at(s, 3).code_point, U'\u3042');
  EXPECT_EQ(decode_at(s, 6).code_point, U'\U0001F600');
  EXPECT_EQ(decode_at(s, 6).length, 4u);
  EXPECT_EQ(decode_at(s, s.size()).length, 0u);
}

TEST(DecodeAt, MalformedSequenceIsOneByte) {
  CodePoint cp = decode_at("\xE3\x81z", 0);
  EXPECT_FALSE(cp.well_formed);
  EXPECT_EQ(cp.length, 1u);
  EXPECT_EQ(cp.code_point, 0xE3u);
}

TEST(CodePointCount, CountsCodePointsAndMalformedBytes) {
  EXPECT_EQ(code_point_count(""), 0u);
  EXPECT_EQ(code_point_count("abc"), 3u);
  EXPECT_EQ(code_point_count("株式会社"), 4u);
  EXPECT_EQ(code_point_count("\U0001F600x"), 2u);
  EXPECT_EQ(code_point_count("a\xFF\xFE"), 3u);
  EXPECT_EQ(code_point_count("\xF0\x9F\x98"), 3u);  // truncated: three stray bytes
}

TEST(FirstCodePoints, CutsAtCodePointBoundaries) {
  EXPECT_EQ(first_code_points("株式会社さくら", 2), "株式");
  EXPECT_EQ(first_code_points("ab", 5), "ab");
  EXPECT_EQ(first_code_points("a\xFF"
                              "b",
                              2),
            "a\xFF");
}

TEST(HasControlCharacter, FindsC0DeleteAndC1) {
  EXPECT_TRUE(has_control_character("Acme\aMedia"));
  EXPECT_TRUE(has_control_character(std::string("a\0b", 3)));
  EXPECT_TRUE(has_control_character("tab\there"));
  EXPECT_TRUE(has_control_character("del\x7F"));
  EXPECT_TRUE(has_control_character("nel\u0085"));
  EXPECT_TRUE(has_control_character("\u009F"));
}

TEST(HasControlCharacter, IgnoresOtherCharactersAndMalformedBytes) {
  EXPECT_FALSE(has_control_character("Café Crème \u00A0\u3000 株式会社"));
  EXPECT_FALSE(has_control_character("\u200B\uFEFF"));  // format characters (Cf), not Cc
  EXPECT_FALSE(has_control_character("\x85\x9F"));      // stray continuation bytes
}

TEST(IsValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("Zoë 花子 \U0001F600 \U0010FFFF \uFFFF"));
}

TEST(IsValidUtf8, RefusesMalformedSequences) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));               // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));           // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));           // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));       // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE3\x81"));               // truncated
  EXPECT_FALSE(is_valid_utf8("\x82"));                   // stray continuation
  EXPECT_FALSE(is_valid_utf8("\x83\x65\x83\x58\x83g"));  // Shift_JIS "テスト"
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(ValidUtf8Prefix, AllWellFormedIsTheWholeText) {
  std::string s = "plain ASCII past eight bytes, \u00E9\u3042\U0001F600 and more ASCII";
  EXPECT_EQ(valid_utf8_prefix(s).length, s.size());
  EXPECT_FALSE(valid_utf8_prefix(s).cut_short);
  EXPECT_EQ(valid_utf8_prefix("").length, 0u);
}

TEST(ValidUtf8Prefix, EndsAtTheFirstMalformedByte) {
  auto p = valid_utf8_prefix("abcdefghij\xC3\xA9k\xFFlm");
  EXPECT_EQ(p.length, 13u);
  EXPECT_FALSE(p.cut_short);
  EXPECT_EQ(valid_utf8_prefix("ab\xE0\x80\x80").length, 2u) << "overlong";
  EXPECT_EQ(valid_utf8_prefix("ab\xED\xA0\x80").length, 2u) << "surrogate";
}

TEST(ValidUtf8Prefix, ASequenceCutShortByTheEndCanStillComplete) {
  for (std::string tail : {"\xE3", "\xE3\x81", "\xF0\x9F\x98"}) {
    auto p = valid_utf8_prefix("0123456789" + tail);
    EXPECT_EQ(p.length, 10u);
    EXPECT_TRUE(p.cut_short) << tail.size() << " bytes of a sequence";
  }
  auto bad = valid_utf8_prefix("0123456789\xE0\x80");  // can only become an overlong
  EXPECT_EQ(bad.length, 10u);
  EXPECT_FALSE(bad.cut_short);
  EXPECT_FALSE(valid_utf8_prefix("0123456789\xE3\x81x").cut_short);
}

// The prefix by the definition: code points decoded one by one.
std::size_t decoded_prefix(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    CodePoint cp = decode_at(s, i);
    if (!cp.well_formed) break;
    i += cp.length;
  }
  return i;
}

TEST(ValidUtf8Prefix, AgreesWithDecodingEveryCodePointOnEveryShortSequence) {
  // Every one-, two- and three-byte text over bytes that matter (lead bytes
  // at every boundary, continuation bytes at theirs), after ASCII of every
  // length below eight, and cut at its end: the fast path is exact.
  const std::vector<unsigned char> bytes = {0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                            0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
                                            0xEE, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
  for (std::size_t pad = 0; pad < 9; ++pad) {
    for (unsigned char a : bytes) {
      for (unsigned char b : bytes) {
        for (unsigned char c : bytes) {
          for (std::size_t n = 1; n <= 3; ++n) {
            std::string s(pad, 'x');
            unsigned char abc[] = {a, b, c};
            s.append(reinterpret_cast<const char*>(abc), n);
            ASSERT_EQ(valid_utf8_prefix(s).length, decoded_prefix(s))
                << pad << " " << int(a) << " " << int(b) << " " << int(c) << " " << n;
          }
        }
      }
    }
  }
}

TEST(Hex, PadsToTheDigitsAskedAndNeverCuts) {
  EXPECT_EQ(hex(0xC3, 2), "C3");
  EXPECT_EQ(hex(0x7, 2), "07");
  EXPECT_EQ(hex(0, 1), "0");
  EXPECT_EQ(hex(0x1F600, 4), "1F600");
  EXPECT_EQ(hex(0xCBF29CE484222325u, 16, HexCase::lower), "cbf29ce484222325");
  EXPECT_EQ(hex(0xAB, 16, HexCase::lower), "00000000000000ab");
}

TEST(CodePointName, UsesAtLeastFourHexDigits) {
  EXPECT_EQ(code_point_name(0x07), "U+0007");
  EXPECT_EQ(code_point_name(0x3000), "U+3000");
  EXPECT_EQ(code_point_name(0x1F600), "U+1F600");
}

TEST(CaseFold, FoldsAsciiAndOtherScripts) {
  EXPECT_EQ(case_fold("Bloggers"), "bloggers");
  EXPECT_EQ(case_fold("MÉDIAS FRANÇAIS"), "médias français");
  EXPECT_EQ(case_fold("ÄÖÜ Øre ŁÓDŹ"), "äöü øre łódź");
  EXPECT_EQ(case_fold("ΣΊΣΥΦΟΣ"), "σίσυφοσ");
  EXPECT_EQ(case_fold("ς"), "σ");  // final sigma folds like sigma
  EXPECT_EQ(case_fold("МОСКВА"), "москва");
  EXPECT_EQ(case_fold("ＡＢＣ"), "ａｂｃ");  // full-width Latin
}

// Every ASCII byte at every place of runs of every length up to 24 (the
// letters are lowered eight at a time): only A-Z change, and accented text
// between the runs does not shift them.
TEST(CaseFold, LowersOnlyAToZAtEveryPlaceOfAnAsciiRun) {
  for (std::size_t length = 1; length <= 24; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (int c = 1; c < 0x80; ++c) {
        std::string run(length, 'Q');
        run[at] = static_cast<char>(c);
        std::string want(length, 'q');
        want[at] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        ASSERT_EQ(case_fold(run), want) << "length " << length << " at " << at << " byte " << c;
        ASSERT_EQ(case_fold("É" + run + "Ü"), "é" + want + "ü") << "length " << length;
      }
    }
  }
}

// Every byte, ASCII or not, at every place of values up to 24 bytes long:
// only A-Z change (a byte of UTF-8 such as 0xC1 is not an 'A' plus 0x80).
TEST(AsciiLower, LowersOnlyAToZWhateverTheBytesAround) {
  for (std::size_t length = 1; length <= 24; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (int c = 0; c < 256; ++c) {
        std::string v(length, '\xC1');  // high bit set, low seven bits 'A'
        v[at] = static_cast<char>(c);
        std::string want = v;
        if (c >= 'A' && c <= 'Z') want[at] = static_cast<char>(c + 32);
        ASSERT_EQ(ascii_lower(v), want) << "length " << length << " at " << at << " byte " << c;
      }
    }
  }
}

TEST(CaseFold, SimpleFoldingKeepsLengthChangingLettersAndUncasedText) {
  EXPECT_EQ(case_fold("Straße"), "straße");  // simple folding: ß stays one letter
  EXPECT_EQ(case_fold("\u1E9E"), "ß");       // capital sharp s
  EXPECT_EQ(case_fold("インフルエンサー ブロガー"), "インフルエンサー ブロガー");
  EXPECT_EQ(case_fold("\u212A"), "k");  // KELVIN SIGN
}

TEST(CaseFold, KeepsMalformedBytes) {
  EXPECT_EQ(case_fold("AB\xFF"
                      "C\xE3\x81"),
            "ab\xFF"
            "c\xE3\x81");
}

TEST(CaseFold, DoesNotDependOnTheGlobalLocale) {
  const char* before = std::setlocale(LC_ALL, nullptr);
  std::string saved = before ? before : "C";
  std::setlocale(LC_ALL, "C");
  EXPECT_EQ(case_fold("ÉCOLE"), "école");
  std::setlocale(LC_ALL, saved.c_str());
}

TEST(EditDistance, CountsCodePointEdits) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("Bloggers", "Bloggers"), 0u);
  EXPECT_EQ(edit_distance("ブロガー", "ブロガーズ"), 1u);
  EXPECT_EQ(edit_distance("Médias", "Medias"), 1u);
}

TEST(EditDistance, MalformedBytesDifferFromCodePoints) {
  EXPECT_EQ(edit_distance("a\xC3", "a\u00C3"), 1u);
  EXPECT_EQ(edit_distance("a\xFF", "a\xFF"), 0u);
}

}  // namespace
}  // namespace prospect_import
