#include "prospect_import/validate.h"

#include <algorithm>
#include <array>
#include <string>

#include "prospect_import/text.h"

// Media Property is checked by a small hand parser rather than libcurl's
// curl_url(): curl accepts and rewrites what our rule refuses (user info, IP
// and bracketed hosts, '_' in hosts, percent-encoded hosts, a trailing dot,
// white space it URL-encodes), and reports "malformed" without saying which
// part is wrong. The rule is a fixed shape (scheme://host[:port][/?#rest]), so
// splitting it ourselves keeps the verdict ours and lets each message name the
// part to fix.

namespace prospect_import {
namespace {

constexpr std::size_t k_max_partner_name = 255;
constexpr std::size_t k_max_email = 254;
constexpr std::size_t k_max_url = 2048;
constexpr std::size_t k_max_label = 63;
constexpr std::size_t k_max_quoted = 80;  // longer values are shown shortened
constexpr std::size_t k_quoted_prefix = 77;
constexpr unsigned k_max_port = 65535;

// A value as read, in double quotes, its first 77 code points and "..." when
// it is longer than 80.
std::string quoted(std::string_view v) {
  if (code_point_count(v) <= k_max_quoted) return "\"" + std::string(v) + "\"";
  return "\"" + std::string(first_code_points(v, k_quoted_prefix)) + "...\"";
}

std::string too_long(std::size_t length, std::size_t max, std::string_view note = "") {
  return "is " + std::to_string(length) + " characters long" + std::string(note) + "; at most " +
         std::to_string(max) + " are allowed";
}

// Where the authority at the start of s ends: at its first '/', '?' or '#',
// or at its end. (find_first_of would call memchr a character.)
std::size_t authority_end(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '/' || s[i] == '?' || s[i] == '#') return i;
  }
  return s.size();
}

constexpr bool is_ascii_letter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr bool is_ascii_alnum(char32_t c) { return is_ascii_letter(c) || (c >= '0' && c <= '9'); }

bool is_ascii_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Unicode White_Space characters that are not control characters.
bool is_unicode_space(char32_t c) {
  return c == ' ' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// How a message names one character, so that invisible ones can be found.
std::string describe(CodePoint cp) {
  if (!cp.well_formed) {
    return "a byte that is not valid UTF-8 (0x" + hex(cp.code_point, 2) + ")";
  }
  if (cp.code_point == ' ') return "a space";
  if (cp.code_point == '"') return "a quotation mark";
  if (is_control(cp.code_point))
    return "a control character (" + code_point_name(cp.code_point) + ")";
  if (is_unicode_space(cp.code_point))
    return "white space (" + code_point_name(cp.code_point) + ")";
  return "";  // printable: the caller quotes the character itself
}

std::string describe_in(std::string_view s, std::size_t pos) {
  CodePoint cp = decode_at(s, pos);
  std::string d = describe(cp);
  if (!d.empty()) return d;
  std::string shown = "\"" + std::string(s.substr(pos, cp.length)) + "\"";
  // Non-ASCII characters may look like ASCII ones or be invisible (U+0301).
  return cp.code_point < 0x80 ? shown : shown + " (" + code_point_name(cp.code_point) + ")";
}

// Position of the first code point of s that Ok refuses, or npos. ASCII, most
// of every value, is looked up in Ok's answers for the 128 ASCII characters,
// taken once: no decoding, no call.
template <bool (*Ok)(CodePoint)>
std::size_t find_bad(std::string_view s) {
  // An ASCII byte Ok takes: the run of them is passed in a tight loop.
  static const std::array<bool, 256> k_ascii_ok = [] {
    std::array<bool, 256> t{};
    for (char32_t c = 0; c < 128; ++c) t[c] = Ok(CodePoint{c, 1, true});
    return t;
  }();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    while (i < s.size() && k_ascii_ok[p[i]]) ++i;
    if (i == s.size()) break;
    if (p[i] < 0x80) return i;
    CodePoint cp = decode_at(s, i);
    if (!Ok(cp)) return i;
    i += cp.length;
  }
  return std::string_view::npos;
}

bool is_local_part_char(CodePoint cp) {
  constexpr std::string_view k_specials = ".!#$%&'*+/=?^_`{|}~-";
  return cp.code_point < 0x80 &&
         (is_ascii_alnum(cp.code_point) ||
          k_specials.find(static_cast<char>(cp.code_point)) != std::string_view::npos);
}

std::optional<std::string> label_problem(std::string_view label) {
  if (label.starts_with('-') || label.ends_with('-')) {
    return "has a part (" + quoted(label) + ") that starts or ends with \"-\"";
  }
  // A code point takes at least one byte: a short label needs no counting.
  if (label.size() > k_max_label && code_point_count(label) > k_max_label)
    return "has a part longer than 63 characters";
  return std::nullopt;
}

// What each byte is in a domain: a letter, digit or '-' (most of it), the
// dot between labels, the lead of a non-ASCII character, or not allowed.
enum class DomainByte : unsigned char { label, dot, non_ascii, refused };
constexpr std::array<DomainByte, 256> k_domain_bytes = [] {
  std::array<DomainByte, 256> t{};
  for (unsigned c = 0; c < 256; ++c) {
    t[c] = c >= 0x80                       ? DomainByte::non_ascii
           : c == '.'                      ? DomainByte::dot
           : is_ascii_alnum(c) || c == '-' ? DomainByte::label
                                           : DomainByte::refused;
  }
  return t;
}();

// The label rule shared by email domains and URL hosts (API.md): dot-separated
// labels of 1-63 letters, digits or non-ASCII characters, '-' inside only, at
// least two labels. The problem completes `the host "x" ...`. One pass (every
// row has two domains): the first character that is not allowed wins, then a
// misplaced dot, then the first label that breaks the rule.
std::optional<std::string> domain_problem(std::string_view domain) {
  const auto* p = reinterpret_cast<const unsigned char*>(domain.data());
  const std::size_t n = domain.size();
  bool dot = false;
  bool two_dots = false;
  std::optional<std::string_view> bad_label;
  std::size_t label_start = 0;
  auto end_label = [&](std::size_t end) {
    std::string_view label = domain.substr(label_start, end - label_start);
    if (!bad_label && !label.empty() &&
        (label.front() == '-' || label.back() == '-' || label.size() > k_max_label) &&
        label_problem(label)) {
      bad_label = label;
    }
  };
  for (std::size_t i = 0; i < n;) {
    while (i < n && k_domain_bytes[p[i]] == DomainByte::label) ++i;
    if (i == n) break;
    switch (k_domain_bytes[p[i]]) {
      case DomainByte::dot:
        if (i == label_start && dot) two_dots = true;  // an empty label between two dots
        dot = true;
        end_label(i);
        label_start = ++i;
        break;
      case DomainByte::non_ascii: {
        CodePoint cp = decode_at(domain, i);
        if (!cp.well_formed) return "contains " + describe_in(domain, i);
        i += cp.length;
        break;
      }
      default:
        return "contains " + describe_in(domain, i);
    }
  }
  end_label(n);
  if (domain.starts_with('.')) return "starts with a dot";
  if (domain.ends_with('.')) return "ends with a dot";
  if (two_dots) return "has two dots in a row";
  if (!dot) return "has no dot";
  if (bad_label) return label_problem(*bad_label);
  return std::nullopt;
}

bool starts_with_ascii_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals_ascii(s.substr(0, prefix.size()), prefix);
}

// "http" or "https", in any case. (A letter's lower case is it with 0x20 set.)
bool is_http_scheme(std::string_view s) {
  return (s.size() == 4 || (s.size() == 5 && (s[4] | 0x20) == 's')) && (s[0] | 0x20) == 'h' &&
         (s[1] | 0x20) == 't' && (s[2] | 0x20) == 't' && (s[3] | 0x20) == 'p';
}

// RFC 3986's scheme syntax without '.', so that "x.com:abc" reads as a host
// with a bad port rather than as an unknown scheme.
bool looks_like_scheme(std::string_view s) {
  if (s.empty() || !is_ascii_letter(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!is_ascii_alnum(static_cast<unsigned char>(c)) && c != '+' && c != '-') return false;
  }
  return true;
}

// CLI.md: a value without a scheme is a bare host and gets "https://"; an
// upper-case http(s) scheme is lowered. "name://", and "name:" followed by
// something other than a port number, are schemes, never bare hosts.
// Returns the problem, or nothing and the URL to check in `url`.
std::optional<std::string> add_or_lower_scheme(std::string_view v, std::string& url) {
  // The first ':' before the authority's end, and that end, in one look.
  std::size_t colon = std::string_view::npos;
  std::size_t head_end = v.size();
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '/' || c == '?' || c == '#') {
      head_end = i;
      break;
    }
    if (c == ':' && colon == std::string_view::npos) colon = i;
  }
  if (colon < head_end) {
    std::string_view scheme = v.substr(0, colon);
    constexpr const char* k_bad_scheme = "the scheme must be http or https";
    if (v.substr(colon).starts_with("://")) {
      if (!is_http_scheme(scheme)) return k_bad_scheme;
      url.assign(v);
      url.replace(0, colon, colon == 4 ? "http" : "https");  // lowered
      return std::nullopt;
    }
    if (is_http_scheme(scheme))
      return quoted(std::string(scheme) + ":") + " must be followed by \"//\"";
    bool port_follows = is_ascii_digits(v.substr(colon + 1, head_end - colon - 1));
    if (!port_follows && looks_like_scheme(scheme)) return k_bad_scheme;
  }
  url.assign("https://").append(v);
  return std::nullopt;
}

std::optional<std::string> port_problem(std::string_view port) {
  if (port.empty()) return "the port is missing after \":\"";
  if (!is_ascii_digits(port)) return "the port " + quoted(port) + " is not a number";
  unsigned value = 0;
  for (char c : port) value = std::min(value * 10 + static_cast<unsigned>(c - '0'), k_max_port + 1);
  if (value == 0 || value > k_max_port) {
    return "port " + std::string(port) + " is not between 1 and 65535";
  }
  return std::nullopt;
}

// WHATWG URL's "ends in a number": such a host is read as an IPv4 address.
bool ends_in_number(std::string_view host) {
  std::string_view last = host.substr(host.rfind('.') + 1);
  if (starts_with_ascii_ci(last, "0x")) {
    return last.substr(2).find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
  }
  return !last.empty() && is_ascii_digits(last);
}

std::optional<std::string> host_problem(std::string_view host) {
  constexpr std::string_view k_ip = "is an IP address; use the site's domain name";
  if (host.empty()) return "the host is missing";
  if (host.starts_with('[')) return "the host " + std::string(k_ip);
  if (auto p = domain_problem(host)) return "the host " + quoted(host) + " " + *p;
  if (ends_in_number(host)) return "the host " + quoted(host) + " " + std::string(k_ip);
  return std::nullopt;
}

bool is_not_control(CodePoint cp) { return !cp.well_formed || !is_control(cp.code_point); }

bool is_path_char(CodePoint cp) {
  return cp.well_formed && !is_control(cp.code_point) && !is_unicode_space(cp.code_point);
}

std::optional<std::string> rest_problem(std::string_view rest) {
  std::size_t bad = find_bad<is_path_char>(rest);
  if (bad == std::string_view::npos) return std::nullopt;
  std::string note = rest[bad] == ' ' ? " (write it as %20)" : "";
  return "it contains " + describe_in(rest, bad) + " after the host" + note;
}

// REQUIRES: url starts with "http://" or "https://".
std::optional<std::string> url_problem(std::string_view url) {
  std::string_view rest = url.substr(url[4] == ':' ? 7 : 8);  // after "http://" or "https://"
  std::size_t end = authority_end(rest);
  std::string_view authority = rest.substr(0, end);
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    return "it must not contain a user name (remove " + quoted(authority.substr(0, at + 1)) + ")";
  }
  std::size_t colon = std::min(authority.find(':'), authority.size());
  if (authority.starts_with('[')) colon = authority.size();
  if (auto p = host_problem(authority.substr(0, colon))) return p;
  if (colon < authority.size()) {
    if (auto p = port_problem(authority.substr(colon + 1))) return p;
  }
  return rest_problem(rest.substr(end));
}

}  // namespace

std::optional<std::string> check_partner_name(std::string_view v) {
  if (v.empty()) return "is required";
  if (std::size_t bad = find_bad<is_not_control>(v); bad != std::string_view::npos) {
    return "contains " + describe_in(v, bad);
  }
  if (v.size() <= k_max_partner_name) return std::nullopt;
  if (std::size_t n = code_point_count(v); n > k_max_partner_name)
    return too_long(n, k_max_partner_name);
  return std::nullopt;
}

std::optional<std::string> check_email(std::string_view v) {
  if (v.empty()) return "is required";
  // Built only for a refused value: most are valid.
  auto invalid = [v] { return quoted(v) + " is not a valid email address"; };
  std::size_t at = v.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == v.size()) {
    return invalid() + " (expected name@example.com)";
  }
  if (starts_with_ascii_ci(v, "mailto:")) return invalid() + ": remove \"mailto:\"";
  std::string_view local = v.substr(0, at);
  if (std::size_t bad = find_bad<is_local_part_char>(local); bad != std::string_view::npos) {
    return invalid() + ": the name before \"@\" contains " + describe_in(local, bad);
  }
  std::string_view domain = v.substr(at + 1);
  if (auto p = domain_problem(domain))
    return invalid() + ": the domain " + quoted(domain) + " " + *p;
  if (v.size() <= k_max_email) return std::nullopt;
  if (std::size_t n = code_point_count(v); n > k_max_email) return too_long(n, k_max_email);
  return std::nullopt;
}

UrlResult normalize_media_property(std::string_view v) {
  UrlResult r;
  if (auto error = normalize_media_property(v, r.url)) return {"", std::move(error)};
  return r;
}

std::optional<std::string> normalize_media_property(std::string_view v, std::string& url) {
  if (v.empty()) return "is required";
  auto invalid = [v] { return quoted(v) + " is not a valid web address: "; };
  if (auto p = add_or_lower_scheme(v, url)) return invalid() + *p;
  if (auto p = url_problem(url)) return invalid() + *p;
  if (url.size() <= k_max_url) return std::nullopt;
  if (std::size_t n = code_point_count(url); n > k_max_url) {
    bool added = url.size() > v.size();
    return too_long(n, k_max_url, added ? " with \"https://\" added" : "");
  }
  return std::nullopt;
}

std::optional<std::string> check_partner_id(std::string_view v) {
  if (is_ascii_digits(v)) return std::nullopt;
  return quoted(v) + " must be digits only (an impact.com partner account number)";
}

std::string match_host(std::string_view normalised_url) {
  std::string_view rest = normalised_url;
  if (std::size_t s = rest.find("://"); s != std::string_view::npos) rest.remove_prefix(s + 3);
  std::string_view authority = rest.substr(0, authority_end(rest));
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  std::string host = case_fold(authority.substr(0, authority.find(':')));
  return host.starts_with("www.") ? host.substr(4) : host;
}

}  // namespace prospect_import
