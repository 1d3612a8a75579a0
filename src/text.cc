#include "prospect_import/text.h"

#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <vector>

namespace prospect_import {
namespace {

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Byte length of a sequence led by b and the allowed range of its second byte
// (RFC 3629's table, which excludes overlongs, surrogates and values past
// U+10FFFF); length 0 for a byte that cannot lead.
struct Lead {
  std::size_t length;
  unsigned char second_min;
  unsigned char second_max;
};

Lead lead_of(unsigned char b) {
  if (b >= 0xC2 && b <= 0xDF) return {2, 0x80, 0xBF};
  if (b == 0xE0) return {3, 0xA0, 0xBF};
  if (b == 0xED) return {3, 0x80, 0x9F};
  if (b >= 0xE1 && b <= 0xEF) return {3, 0x80, 0xBF};
  if (b == 0xF0) return {4, 0x90, 0xBF};
  if (b >= 0xF1 && b <= 0xF3) return {4, 0x80, 0xBF};
  if (b == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

// The first byte at or after i that is not ASCII (s.size() if none), sixteen
// (SSE2) or eight bytes a step: most of every input is ASCII.
std::size_t skip_ascii(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    if (auto high = static_cast<unsigned>(_mm_movemask_epi8(w)); high != 0)
      return i + static_cast<std::size_t>(std::countr_zero(high));
  }
#endif
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, sizeof word);
    if (std::uint64_t high = word & 0x8080808080808080u) {
      // The first such byte, at once: text with an accent every few words
      // would otherwise be looked at a byte at a time.
      if constexpr (std::endian::native == std::endian::little)
        return i + static_cast<std::size_t>(std::countr_zero(high) / 8);
      break;
    }
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

// True if s is shorter than the sequence its first byte leads and could
// still become it: each byte it has is allowed where it stands.
bool completable(std::string_view s) {
  Lead lead = lead_of(static_cast<unsigned char>(s[0]));
  if (lead.length <= s.size()) return false;
  if (s.size() > 1) {
    auto b1 = static_cast<unsigned char>(s[1]);
    if (b1 < lead.second_min || b1 > lead.second_max) return false;
  }
  for (std::size_t k = 2; k < s.size(); ++k) {
    if (!is_continuation(static_cast<unsigned char>(s[k]))) return false;
  }
  return true;
}

// The length of the white space that trim() removes at the start of s, or 0.
bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::size_t leading_space(std::string_view s) {
  if (s.empty()) return 0;
  if (is_ascii_space(s.front())) return 1;
  if (s.starts_with("\xC2\xA0")) return 2;
  if (s.starts_with("\xE3\x80\x80")) return 3;
  return 0;
}

std::size_t trailing_space(std::string_view s) {
  if (s.empty()) return 0;
  if (is_ascii_space(s.back())) return 1;
  if (s.ends_with("\xC2\xA0")) return 2;
  if (s.ends_with("\xE3\x80\x80")) return 3;
  return 0;
}

// Code points of s; a malformed byte becomes a value past U+10FFFF so that it
// equals only the same malformed byte.
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {  // ASCII, most of every file: no decoding, no locale call
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
      ++i;
      continue;
    }
    CodePoint cp = decode_at(s, i);
    out.push_back(cp.well_formed ? cp.code_point : 0x110000 + cp.code_point);
    i += cp.length;
  }
  return out;
}

// towupper_l/towlower_l need a UTF-8 locale of their own so that the result
// does not depend on the process's global locale. Created once, never changed;
// (locale_t)0 when the C library lacks C.UTF-8 (then only ASCII is folded).
locale_t utf8_locale() {
  static const locale_t k_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
  return k_locale;
}

char32_t fold_one(char32_t c) {
  locale_t loc = utf8_locale();
  if (loc == locale_t{}) return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  auto upper = towupper_l(static_cast<wint_t>(c), loc);
  return static_cast<char32_t>(towlower_l(upper, loc));
}

}  // namespace

CodePoint decode_at(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return {0, 0, false};
  auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) return {b0, 1, true};
  const CodePoint malformed{b0, 1, false};
  Lead lead = lead_of(b0);
  if (lead.length == 0 || pos + lead.length > s.size()) return malformed;
  auto b1 = static_cast<unsigned char>(s[pos + 1]);
  if (b1 < lead.second_min || b1 > lead.second_max) return malformed;
  char32_t c = b0 & (0xFF >> (lead.length + 1));
  for (std::size_t k = 1; k < lead.length; ++k) {
    auto b = static_cast<unsigned char>(s[pos + k]);
    if (!is_continuation(b)) return malformed;
    c = (c << 6) | (b & 0x3F);
  }
  return {c, lead.length, true};
}

void append_utf8(std::string& out, char32_t c) {
  auto put = [&out](char32_t v) { out.push_back(static_cast<char>(v)); };
  if (c < 0x80) {
    put(c);
  } else if (c < 0x800) {
    put(0xC0 | (c >> 6));
    put(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    put(0xE0 | (c >> 12));
    put(0x80 | ((c >> 6) & 0x3F));
    put(0x80 | (c & 0x3F));
  } else {
    put(0xF0 | (c >> 18));
    put(0x80 | ((c >> 12) & 0x3F));
    put(0x80 | ((c >> 6) & 0x3F));
    put(0x80 | (c & 0x3F));
  }
}

std::string_view trim_white_space(std::string_view s) {
  while (std::size_t n = leading_space(s)) s.remove_prefix(n);
  while (std::size_t n = trailing_space(s)) s.remove_suffix(n);
  return s;
}

std::size_t code_point_count(std::string_view s) {
  std::size_t count = 0;
  std::size_t i = 0;
  // ASCII eight bytes at a time: most of every value.
  for (std::uint64_t word = 0; i + 8 <= s.size(); i += 8, count += 8) {
    std::memcpy(&word, s.data() + i, sizeof word);
    if (word & 0x8080808080808080ULL) break;
  }
  for (; i < s.size(); ++count) {
    i +=
        static_cast<unsigned char>(s[i]) < 0x80 ? 1 : decode_at(s, i).length;  // ASCII: no decoding
  }
  return count;
}

std::string_view first_code_points(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t k = 0; k < n && i < s.size(); ++k) i += decode_at(s, i).length;
  return s.substr(0, i);
}

bool is_control(char32_t c) { return c <= 0x1F || (c >= 0x7F && c <= 0x9F); }

bool has_control_character(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {  // ASCII: no decoding
      if (is_control(c)) return true;
      ++i;
      continue;
    }
    CodePoint cp = decode_at(s, i);
    if (cp.well_formed && is_control(cp.code_point)) return true;
    i += cp.length;
  }
  return false;
}

bool is_valid_utf8(std::string_view s) { return valid_utf8_prefix(s).length == s.size(); }

Utf8Prefix valid_utf8_prefix(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = skip_ascii(s, 0); i < s.size(); i = skip_ascii(s, i)) {
    // Two- and three-byte sequences (accents, Japanese: most of what is not
    // ASCII) are checked here, without decoding; the rest by decode_at.
    unsigned char b0 = p[i];
    if (b0 >= 0xC2 && b0 <= 0xDF && i + 1 < s.size() && is_continuation(p[i + 1])) {
      i += 2;
      continue;
    }
    if (b0 >= 0xE0 && b0 <= 0xEF && i + 2 < s.size()) {
      unsigned char b1 = p[i + 1];
      unsigned char low = b0 == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
      unsigned char high = b0 == 0xED ? 0x9F : 0xBF;  // no surrogates
      if (b1 >= low && b1 <= high && is_continuation(p[i + 2])) {
        i += 3;
        continue;
      }
    }
    CodePoint cp = decode_at(s, i);
    if (!cp.well_formed) return {i, completable(s.substr(i))};
    i += cp.length;
  }
  return {s.size(), false};
}

std::string hex(std::uint64_t value, std::size_t min_digits, HexCase letters) {
  const char* digits = letters == HexCase::upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  do {
    out.push_back(digits[value & 15]);
    value >>= 4;
  } while (value != 0);
  if (out.size() < min_digits) out.append(min_digits - out.size(), '0');
  std::reverse(out.begin(), out.end());
  return out;
}

std::string code_point_name(char32_t c) { return "U+" + hex(c, 4); }

std::string case_fold(std::string_view s) {
  std::string out;
  append_case_fold(out, s);
  return out;
}

void append_case_fold(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size());
  for (std::size_t i = 0; i < s.size();) {
    // A run of ASCII, most of every file: lowered in place, no decoding, no locale call.
    std::size_t ascii = skip_ascii(s, i);
    if (ascii > i) {
      // Lowered as it is copied: words read back from what was just copied
      // in would wait on the copy's stores.
      std::size_t at = out.size();
      out.resize(at + (ascii - i));
      ascii_lower_copy(out.data() + at, s.data() + i, ascii - i);
      i = ascii;
      continue;
    }
    CodePoint cp = decode_at(s, i);
    if (cp.well_formed) {
      append_utf8(out, fold_one(cp.code_point));
    } else {
      out.push_back(s[i]);
    }
    i += cp.length;
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<char32_t> x = code_points(a);
  std::vector<char32_t> y = code_points(b);
  std::vector<std::size_t> row(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      std::size_t substitute = diagonal + (x[i - 1] == y[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({substitute, row[j] + 1, row[j - 1] + 1});
    }
  }
  return row[y.size()];
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  ascii_lower_in_place(out.data(), out.size());
  return out;
}

// Each byte's low seven bits compared with 'A' and 'Z' by adding to them
// (no carry reaches the next byte), and only bytes whose high bit is clear
// (ASCII) lowered: 0x20 added where the byte is A-Z.
void ascii_lower_copy(char* to, const char* from, std::size_t size) {
  constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
  constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, from + i, sizeof w);
    std::uint64_t low7 = w & ~k_highs;
    std::uint64_t at_least_a = low7 + k_ones * (0x80 - 'A');   // high bit: >= 'A'
    std::uint64_t above_z = low7 + k_ones * (0x80 - 'Z' - 1);  // high bit: > 'Z'
    w |= (at_least_a & ~above_z & ~w & k_highs) >> 2;
    std::memcpy(to + i, &w, sizeof w);
  }
  for (; i < size; ++i) {
    char c = from[i];
    to[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
  }
}

void ascii_lower_in_place(char* data, std::size_t size) { ascii_lower_copy(data, data, size); }

bool iequals_ascii(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

bool narrow_fullwidth_ascii(std::string& s) {
  // U+FF01-U+FF5E is EF BC 81-BF and EF BD 80-9E in UTF-8: most values have no EF.
  if (find_byte(s, '\xEF', 0) == std::string::npos) return false;
  std::string out;
  out.reserve(s.size());
  bool changed = false;
  for (std::size_t i = 0; i < s.size();) {
    CodePoint c = decode_at(s, i);
    if (c.well_formed && c.code_point >= 0xFF01 && c.code_point <= 0xFF5E) {
      out += static_cast<char>(c.code_point - 0xFF01 + 0x21);
      changed = true;
    } else {
      out.append(s, i, c.length);
    }
    i += c.length;
  }
  if (changed) s = std::move(out);
  return changed;
}

}  // namespace prospect_import
