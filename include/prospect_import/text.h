#pragma once
// UTF-8 text helpers shared by decoding, validation, header mapping, groups
// and messages: the one UTF-8 decoder and the one hex spelling of the tool.
// All functions take and return UTF-8; none throws on malformed input.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace prospect_import {

// One step of decoding: the code point at a position and how many bytes it
// takes. A malformed sequence (overlong, surrogate, past U+10FFFF, truncated,
// stray continuation byte) is one byte long with well_formed == false and
// code_point == that byte's value.
struct CodePoint {
  char32_t code_point;
  std::size_t length;  // 1-4; 0 only at or past the end of the input
  bool well_formed;
};

// REQUIRES: pos <= s.size().
CodePoint decode_at(std::string_view s, std::size_t pos);

// s.find(c, from), quicker over the short distances between a row's
// delimiters and in a value: sixteen bytes a step inline (SSE2), the last
// few as the sixteen that end s; memchr's set-up costs more than a short field.
inline std::size_t find_byte(std::string_view s, char c, std::size_t from) {
#if defined(__SSE2__)
  const __m128i wanted = _mm_set1_epi8(c);
  for (; from + 16 <= s.size(); from += 16) {
    __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + from));
    auto hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(w, wanted)));
    if (hits != 0) return from + static_cast<std::size_t>(std::countr_zero(hits));
  }
  if (from >= s.size()) return std::string_view::npos;
  if (s.size() < 16) return s.find(c, from);
  // The last sixteen bytes, less those before `from`.
  std::size_t last = s.size() - 16;
  __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + last));
  auto hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(w, wanted))) &
              (0xFFFFu << (from - last));
  return hits != 0 ? last + static_cast<std::size_t>(std::countr_zero(hits))
                   : std::string_view::npos;
#else
  return s.find(c, from);
#endif
}

// Appends the UTF-8 form of c. REQUIRES: c <= U+10FFFF and not a surrogate.
void append_utf8(std::string& out, char32_t c);

// Removes leading and trailing ASCII white space (space, \t, \n, \v, \f, \r),
// U+00A0 NO-BREAK SPACE and U+3000 IDEOGRAPHIC SPACE (CLI.md "Rows and values").
std::string_view trim_white_space(std::string_view s);
inline std::string_view trim(std::string_view s) {
  // Most values have nothing to trim: neither end has a byte that can be
  // (or start, or end) white space. Every row's every value comes here.
  if (s.empty()) return s;
  auto head = static_cast<unsigned char>(s.front());
  auto tail = static_cast<unsigned char>(s.back());
  if (head > ' ' && head != 0xC2 && head != 0xE3 && tail > ' ' && tail != 0xA0 && tail != 0x80)
    return s;
  return trim_white_space(s);
}

// Number of Unicode code points (malformed bytes count one each).
std::size_t code_point_count(std::string_view s);

// The first n code points of s (malformed bytes count one each); all of s if shorter.
std::string_view first_code_points(std::string_view s, std::size_t n);

// True if c is in Unicode's Cc class (U+0000-U+001F, U+007F-U+009F).
bool is_control(char32_t c);

// True if s holds a character of Unicode's Cc class (U+0000-U+001F, U+007F-U+009F).
bool has_control_character(std::string_view s);

// True if s is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Where the well-formed UTF-8 at the start of s ends. A stream read in chunks
// needs to tell a sequence that the end of s cuts short, which the next bytes
// may complete, from a malformed one.
struct Utf8Prefix {
  std::size_t length;  // s.size() when all of s is well-formed
  bool cut_short;      // s[length..] is the start of a well-formed sequence that s cuts off
};
Utf8Prefix valid_utf8_prefix(std::string_view s);

enum class HexCase { lower, upper };

// `value` in hex, zero-padded to at least `min_digits` digits: hex(0x7, 4) is
// "0007", hex(0x1F600, 4) is "1F600". The one hex spelling of the tool: bytes
// in messages ("0xC3"), code points ("U+3000"), percent-encoding, checksums.
std::string hex(std::uint64_t value, std::size_t min_digits, HexCase letters = HexCase::upper);

// "U+0007", "U+3000", "U+1F600": at least four upper-case hex digits.
std::string code_point_name(char32_t c);

// Replaces the full-width forms of ASCII (U+FF01-U+FF5E, "ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"
// as a Japanese IME types them) by ASCII. Returns whether anything changed.
bool narrow_fullwidth_ascii(std::string& s);

// Unicode simple case folding of every code point (for case-insensitive
// comparisons of group names, headers and emails). Malformed bytes are kept.
std::string case_fold(std::string_view s);
// case_fold(s) appended to out (no allocation once out has room: the per-row use).
void append_case_fold(std::string& out, std::string_view s);

// ASCII letters lowered, everything else kept (names of schemes, encodings,
// headers: no locale involved).
std::string ascii_lower(std::string_view s);
// The same in place, over size bytes at data, eight at a time.
void ascii_lower_in_place(char* data, std::size_t size);
// The same, size bytes of `from` lowered into `to` (which may be `from`).
void ascii_lower_copy(char* to, const char* from, std::size_t size);
bool iequals_ascii(std::string_view a, std::string_view b);

// Levenshtein distance in code points, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace prospect_import
