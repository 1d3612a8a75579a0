#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prospect_sandbox {

// Name/value pairs in the order they were sent; names may repeat.
using FormFields = std::vector<std::pair<std::string, std::string>>;

// Decodes %XX escapes. With `plus_is_space`, `+` is a space (form bodies and
// query strings); without it `+` stays `+` (path segments).
// Nothing when a `%` is not followed by two hex digits, or a byte outside
// printable ASCII (space, controls, non-ASCII) appears unencoded.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Parses application/x-www-form-urlencoded text (a body or a query string).
// Empty `&&` sequences are skipped; a pair without `=` has an empty value.
// Nothing when any name or value is badly encoded.
std::optional<FormFields> parse_form(std::string_view text);

// The value of the first pair named `name`, nothing when there is none.
std::optional<std::string> find_field(const FormFields& fields, std::string_view name);

// Percent-encodes everything but ASCII letters, digits and `-._~`.
std::string percent_encode(std::string_view text);

}  // namespace prospect_sandbox
