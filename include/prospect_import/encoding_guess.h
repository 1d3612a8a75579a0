#pragma once
// Which legacy encoding a file that is not UTF-8 was saved in: CP932
// (Shift_JIS), EUC-JP, Windows-1252 (Western European) or Windows-1250
// (Central European). Decided by evidence, not by order:
//  1. every candidate reads a sample of the file's non-ASCII lines; a reading
//     with bytes that the encoding does not have is out;
//  2. each remaining reading gets plausibility points (plausibility() below):
//     kana and kanji next to Japanese text, and half-width voicing marks
//     after kana that take them (ｶﾞ), against kanji wedged between Latin
//     letters, half-width katakana alone or next to Latin letters, Greek, box
//     drawing and private-use characters (what Latin bytes look like read as
//     Japanese); accented letters inside words whose letters one language has
//     (French, Polish...) against symbols inside words and letter mixes no
//     language has (what Japanese or the other code page looks like read as
//     Latin);
//  3. Mozilla's universal detector (Debian's libuchardet, which gives one
//     answer without a confidence) adds k_detector_vote points to its answer.
// The best reading is taken when it leads every reading whose text differs
// from it by at least k_margin_threshold points (readings that give the same
// text are the same choice); otherwise the choice is refused with the two
// readings of the first line where they differ.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prospect_import {

// Points the best reading must lead the next different one by: about three
// letters of clear evidence (a kanji next to kana scores 2, a letter of the
// file's language 1, a letter of another code page inside a word -1.5). Fewer
// decided the short French/Czech and Spanish/Polish files of the held-out
// corpus by a single ambiguous letter (tests/data/encoding/README.md).
inline constexpr double k_margin_threshold = 3.0;
// Points the detector's answer is given: a tie-breaker, never a veto; and
// only from this many non-ASCII bytes on (on fewer its statistics are noise:
// it calls a lone Shift_JIS kana Windows-1252).
inline constexpr double k_detector_vote = 1.0;
inline constexpr std::size_t k_detector_min_bytes = 16;

// A line of the file with a byte >= 0x80, without its line end.
struct SampleLine {
  std::uint64_t line = 0;  // physical line number (1-based)
  std::string bytes;
  bool cut = false;  // the sample ends inside this line: a sequence cut short is not an error
};

struct LegacyEncoding {
  const char* iconv_name;  // "WINDOWS-1252"
  const char* display;     // "Windows-1252"
  const char* option;      // the --encoding value: "windows-1252"
};

// CP932, EUC-JP, Windows-1252, Windows-1250.
const std::vector<LegacyEncoding>& legacy_encodings();

struct Reading {
  const LegacyEncoding* encoding = nullptr;
  bool valid = false;
  std::uint64_t invalid_line = 0;  // the first sample line it cannot read (when !valid)
  std::vector<std::string> text;   // the sample's lines decoded (when valid)
  double score = 0;                // plausibility plus the detector's vote
};

struct EncodingChoice {
  const LegacyEncoding* chosen = nullptr;  // nothing when refused
  std::string reason;                      // why, for the log ("Windows-1252: no valid ...")
  std::string refusal;                     // when refused: the message (65)
  std::uint64_t refusal_line = 0;          // the line the refusal shows
  std::vector<Reading> readings;           // valid ones best first, then the others
  std::string detector;                    // uchardet's answer ("" when none)
};

// REQUIRES: sample is not empty.
EncodingChoice choose_legacy_encoding(const std::vector<SampleLine>& sample);

// Plausibility points of decoded text (UTF-8), as above; higher is likelier.
// Only non-ASCII characters score: ASCII reads the same in every candidate.
double plausibility(const std::vector<std::string>& lines);

// uchardet's answer for the bytes, as one of legacy_encodings() (nullptr for
// another answer or none).
const LegacyEncoding* detector_answer(const std::vector<SampleLine>& sample, std::string* raw);

}  // namespace prospect_import
