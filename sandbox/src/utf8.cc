#include "utf8.h"

#include <algorithm>

namespace prospect_sandbox {
namespace {

// Length of the sequence that starts with `lead`, 0 when `lead` cannot start one.
size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

char32_t min_value(size_t length) {
  static constexpr char32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
  return k_min[length];
}

// Decodes one sequence of `length` bytes at `at`, nothing when malformed.
std::optional<char32_t> decode_one(std::string_view text, size_t at, size_t length) {
  if (at + length > text.size()) return std::nullopt;
  const auto lead = static_cast<unsigned char>(text[at]);
  char32_t value = length == 1 ? lead : lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[at + i]);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    value = (value << 6) | (next & 0x3F);
  }
  const bool surrogate = value >= 0xD800 && value <= 0xDFFF;
  if (value < min_value(length) || surrogate || value > 0x10FFFF) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::u32string> decode_utf8(std::string_view text) {
  std::u32string out;
  for (size_t at = 0; at < text.size();) {
    const size_t length = sequence_length(static_cast<unsigned char>(text[at]));
    if (length == 0) return std::nullopt;
    const auto value = decode_one(text, at, length);
    if (!value) return std::nullopt;
    out.push_back(*value);
    at += length;
  }
  return out;
}

bool is_control(char32_t c) { return c <= 0x1F || (c >= 0x7F && c <= 0x9F); }

bool is_white_space(char32_t c) {
  static constexpr char32_t k_spaces[] = {0x20,   0x85,   0xA0,   0x1680, 0x2028,
                                          0x2029, 0x202F, 0x205F, 0x3000};
  if (c >= 0x09 && c <= 0x0D) return true;
  if (c >= 0x2000 && c <= 0x200A) return true;
  return std::find(std::begin(k_spaces), std::end(k_spaces), c) != std::end(k_spaces);
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace prospect_sandbox
