#pragma once
// Which API base URLs (--api-base, IMPACT_API_BASE) a run may send the
// credentials to (CLI.md): an http(s) URL without user info, and plain http
// only to a loopback host (the sandbox), so that the token never crosses a
// network in clear text. Decided from the URL alone: no network is touched.

#include <optional>
#include <string>
#include <string_view>

namespace prospect_import {

// The reason `url` may not be used, for the command line's error (exit 2), or
// nothing when it may. The host checked is the one libcurl connects to (its
// own parser reads it, so `127.1`, `0x7f.0.0.1` and `a\@b` mean what they
// mean to curl). A message never repeats a URL that holds user info.
std::optional<std::string> check_api_base(const std::string& url);

// 127.0.0.0/8, ::1 (bracketed as in a URL, or not) and localhost (any case,
// with or without a trailing dot). REQUIRES: an IPv4 host in dotted-quad form
// (curl's parser writes it so).
bool is_loopback_host(std::string_view host);

}  // namespace prospect_import
