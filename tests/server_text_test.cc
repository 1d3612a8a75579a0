#include "prospect_import/server_text.h"

#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <vector>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

// SID "IRabc", token "t/k+n=1": base64("IRabc:t/k+n=1") is "SVJhYmM6dC9rK249MQ==".
const Redactor k_redactor("IRabc", Secret("t/k+n=1"));

TEST(Redactor, TheTokenAndTheBasicAuthPairInEveryEchoedForm) {
  EXPECT_EQ(k_redactor.redact("token t/k+n=1 here"), "token [redacted] here");
  EXPECT_EQ(k_redactor.redact("IRabc:t/k+n=1"), "[redacted]")
      << "the pair as one, not the SID left over";
  EXPECT_EQ(k_redactor.redact("Authorization: Basic SVJhYmM6dC9rK249MQ=="),
            "Authorization: Basic [redacted]");
  EXPECT_EQ(k_redactor.redact("?auth=Basic%20SVJhYmM6dC9rK249MQ%3D%3D"),
            "?auth=Basic%20[redacted]");
  EXPECT_EQ(k_redactor.redact("?auth=SVJhYmM6dC9rK249MQ%3d%3d"), "?auth=[redacted]")
      << "lower-case hex";
  EXPECT_EQ(k_redactor.redact("t%2Fk%2Bn%3D1 and IRabc%3At%2Fk%2Bn%3D1"),
            "[redacted] and [redacted]");
  EXPECT_EQ(k_redactor.redact(R"({"echo": "t\/k+n=1"})"), R"({"echo": "[redacted]"})")
      << "JSON's escaped slash";
}

TEST(Redactor, EveryOccurrenceAndNothingElse) {
  EXPECT_EQ(k_redactor.redact("t/k+n=1t/k+n=1 IRabc t/k"), "[redacted][redacted] IRabc t/k");
  EXPECT_EQ(k_redactor.redact(""), "");
  EXPECT_EQ(Redactor().redact("t/k+n=1"), "t/k+n=1") << "no credentials, nothing to redact";
}

// Each form is found wherever it stands: first, last, alone, or with only a
// part of it or another form's first byte before it.
TEST(Redactor, EachFormAtEveryPlaceOfAText) {
  const std::vector<std::string> forms = {"t/k+n=1",
                                          "IRabc:t/k+n=1",
                                          "SVJhYmM6dC9rK249MQ==",
                                          "SVJhYmM6dC9rK249MQ%3D%3D",
                                          "t%2Fk%2Bn%3D1",
                                          "t%2fk%2bn%3d1",
                                          "t\\/k+n=1",
                                          "IRabc%3At%2Fk%2Bn%3D1"};
  for (const auto& form : forms) {
    for (const char* before : {"", "x", "t/k+n=", "SVJ", "IRabc:", "tt"}) {
      for (const char* after : {"", "y", "=1", " t/k"}) {
        SCOPED_TRACE(std::string(before) + "|" + form + "|" + after);
        std::string got = k_redactor.redact(std::string(before) + form + after);
        EXPECT_EQ(got.find(form), std::string::npos);
        EXPECT_NE(got.find("[redacted]"), std::string::npos);
      }
    }
    EXPECT_EQ(k_redactor.redact(form.substr(0, form.size() - 1)), form.substr(0, form.size() - 1))
        << "a form cut short is not the secret";
  }
}

TEST(CleanServerText, ControlCharactersAreRemovedAndLineBreaksBecomeSpaces) {
  EXPECT_EQ(clean_server_text("\x1b]0;pwned\x07\x1b[2Jhello", 100), "]0;pwned[2Jhello");
  EXPECT_EQ(clean_server_text(std::string("a\0b\x7f"
                                          "c",
                                          5),
                              100),
            "abc");
  EXPECT_EQ(clean_server_text("line\r\none\ttwo", 100), "line  one two");
  EXPECT_EQ(clean_server_text("C1 \xC2\x9B"
                              "31m",
                              100),
            "C1 31m")
      << "U+009B CSI is a control character too";
}

TEST(CleanServerText, InvalidUtf8BecomesTheReplacementCharacter) {
  EXPECT_EQ(clean_server_text("a\xff"
                              "b\xC3",
                              100),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(clean_server_text("\xC0\xAF", 100), "\xEF\xBF\xBD\xEF\xBF\xBD") << "an overlong '/'";
  EXPECT_EQ(clean_server_text("日本語 ok", 100), "日本語 ok");
}

// Printable ASCII is copied by runs: every text of printable runs, line
// breaks, controls, DEL, non-ASCII and malformed bytes, cut at every length,
// reads as the rule says a code point at a time.
TEST(CleanServerText, RunsOfAsciiReadAsOneCodePointAtATimeWould) {
  auto one_at_a_time = [](std::string_view s, std::size_t max) {
    std::string out;
    std::size_t kept = 0;
    for (std::size_t pos = 0; pos < s.size();) {
      CodePoint cp = decode_at(s, pos);
      pos += cp.length;
      char32_t c = cp.well_formed ? cp.code_point : U'\uFFFD';
      if (c == U'\t' || c == U'\r' || c == U'\n') c = U' ';
      if (is_control(c)) continue;
      if (kept++ == max) return out + "...";
      append_utf8(out, c);
    }
    return out;
  };
  const std::string_view pieces[] = {
      "ab", " ", "~", "\t", "\r\n", "\x1b", "\x7f", "\xc3\xa9", "\xe6\x97\xa5", "\xff", "xyz"};
  std::uint64_t state = 7;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (int i = 0; i < 12; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      text += pieces[(state >> 33) % std::size(pieces)];
    }
    for (std::size_t max = 0; max <= 26; ++max)
      ASSERT_EQ(clean_server_text(text, max), one_at_a_time(text, max)) << round << "/" << max;
  }
}

TEST(CleanServerText, LongTextIsCutToMaxCodePoints) {
  EXPECT_EQ(clean_server_text("abcdef", 6), "abcdef");
  EXPECT_EQ(clean_server_text("abcdefg", 6), "abcdef...");
  EXPECT_EQ(clean_server_text("日本語のテキスト", 3), "日本語...");
  EXPECT_EQ(clean_server_text("\x1b\x1b\x1b"
                              "abc",
                              3),
            "abc")
      << "what is removed does not count";
}

}  // namespace
}  // namespace prospect_import
