#pragma once

#include <string_view>

namespace prospect_sandbox {

// API.md's label rule, shared by e-mail domains and URL hosts: at least two
// dot-separated labels, each 1-63 code points of ASCII letters, digits or any
// non-ASCII character, with `-` allowed inside a label only. So no trailing
// dot, no `_`, no brackets (IPv6).
// REQUIRES: `domain` is the code points of the text (see decode_utf8).
bool is_valid_domain(std::u32string_view domain);

// True when a host would be read as an IPv4 address by a URL parser: its last
// label is all decimal digits or a `0x` hex number ("10.0.0.1", "1.2.3.0x1").
bool looks_like_ipv4(std::u32string_view domain);

}  // namespace prospect_sandbox
