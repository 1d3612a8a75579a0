#include "http_url.h"

#include "domain.h"
#include "utf8.h"

#include <algorithm>

namespace prospect_sandbox {
namespace {

constexpr int k_max_port = 65535;
constexpr const char* k_not_ip = "Host must be a domain name, not an IP address";

std::optional<std::string> scheme_of(std::string_view text) {
  if (text.starts_with("http://")) return "http";
  if (text.starts_with("https://")) return "https";
  return std::nullopt;
}

// The port after `:`; nothing unless it is ASCII digits with a value 1-65535.
std::optional<int> parse_port(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  long value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = std::min<long>(value * 10 + (c - '0'), k_max_port + 1);
  }
  if (value < 1 || value > k_max_port) return std::nullopt;
  return static_cast<int>(value);
}

bool has_space_or_control(std::u32string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char32_t c) { return is_white_space(c) || is_control(c); });
}

std::variant<HttpUrl, std::string> parse_authority(std::string_view authority, HttpUrl url) {
  if (authority.find('@') != std::string_view::npos)
    return std::string("Must not contain user info");
  if (authority.starts_with('[')) return std::string(k_not_ip);  // an IPv6 literal
  const size_t colon = authority.find(':');
  if (colon != std::string_view::npos) {
    const auto port = parse_port(authority.substr(colon + 1));
    if (!port) return std::string("Port must be a number from 1 to 65535");
    url.port = *port;
  }
  url.host = std::string(authority.substr(0, colon));
  const auto host = decode_utf8(url.host).value_or(U"");
  if (!is_valid_domain(host)) return std::string("Host is not a valid domain name");
  if (looks_like_ipv4(host)) return std::string(k_not_ip);
  return url;
}

}  // namespace

std::variant<HttpUrl, std::string> parse_http_url(std::string_view text) {
  const auto points = decode_utf8(text);
  if (!points) return std::string("Not valid UTF-8");
  if (has_space_or_control(*points))
    return std::string("Must not contain white space or control characters");
  const auto scheme = scheme_of(text);
  if (!scheme) return std::string("Must be an absolute URL starting with http:// or https://");
  const std::string_view rest = text.substr(scheme->size() + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  return parse_authority(authority, HttpUrl{*scheme, "", 0});
}

}  // namespace prospect_sandbox
