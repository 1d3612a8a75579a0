#include "domain.h"

#include <algorithm>

namespace prospect_sandbox {
namespace {

constexpr size_t k_max_label = 63;

bool is_label_char(char32_t c) {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  const bool digit = c >= '0' && c <= '9';
  return letter || digit || c == '-' || c >= 0x80;
}

bool is_valid_label(std::u32string_view label) {
  if (label.empty() || label.size() > k_max_label) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(), is_label_char);
}

bool is_hex_digit(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

bool is_valid_domain(std::u32string_view domain) {
  size_t labels = 0;
  while (true) {
    const size_t dot = domain.find(U'.');
    if (!is_valid_label(domain.substr(0, dot))) return false;
    ++labels;
    if (dot == std::u32string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  return labels >= 2;
}

bool looks_like_ipv4(std::u32string_view domain) {
  const size_t dot = domain.rfind(U'.');
  const std::u32string_view last =
      dot == std::u32string_view::npos ? domain : domain.substr(dot + 1);
  const auto is_digit = [](char32_t c) { return c >= '0' && c <= '9'; };
  if (!last.empty() && std::all_of(last.begin(), last.end(), is_digit)) return true;
  const bool hex_prefix = last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X');
  return hex_prefix && std::all_of(last.begin() + 2, last.end(), is_hex_digit);
}

}  // namespace prospect_sandbox
