#pragma once
// Field rules of API.md's server-side validation, applied locally so
// that no row the API would refuse is sent and none it would accept is refused.
// Every function takes an already trimmed value (CLI.md: trim, then undo the
// neutralising quote, then check).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prospect_import/template.h"

namespace prospect_import {

// One problem of one row: the column it is about and a message a user can act
// on, without the column name (the report prints "Column: message").
// A problem of the whole row (too few fields) has no column.
struct Problem {
  std::optional<Column> column;
  std::string message;
  bool operator==(const Problem&) const = default;
};

// Partner Name: not empty, no control characters, at most 255 code points.
std::optional<std::string> check_partner_name(std::string_view v);

// Contact Email: the WHATWG HTML rule with Unicode domain labels, at least two
// labels, at most 254 code points.
std::optional<std::string> check_email(std::string_view v);

// Media Property: returns the URL as it is sent (a bare host gets "https://",
// an upper-case scheme is lowered) or the problem. A value with "name://" or
// "name:" not followed by a port number ("mailto:", "javascript:") has a
// scheme and is never a bare host; "example.com:8443/x" is a bare host.
struct UrlResult {
  std::string url;                   // normalised, valid when error is empty
  std::optional<std::string> error;  // the message when the value is refused
};
UrlResult normalize_media_property(std::string_view v);
// The same into `url` (its room reused; unspecified on a problem), for a caller
// that checks many values. REQUIRES: url does not overlap v.
std::optional<std::string> normalize_media_property(std::string_view v, std::string& url);

// Partner ID: empty or ASCII digits only.
std::optional<std::string> check_partner_id(std::string_view v);

// Optional free-text columns (first/last name, description): no rule of the
// API beyond being UTF-8; returns nothing today, kept for one place to add rules.

// The host of a URL that normalize_media_property accepted, lower-cased,
// without port and leading "www." (the API's matching key).
std::string match_host(std::string_view normalised_url);

}  // namespace prospect_import
