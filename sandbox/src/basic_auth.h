#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace prospect_sandbox {

struct Credentials {
  std::string account_sid;
  std::string token;
  bool operator==(const Credentials&) const = default;
};

// Reads `Basic base64(SID:token)` (the scheme name in any case). Nothing when
// the header is missing, another scheme, or not valid base64 with a `:`.
std::optional<Credentials> parse_basic_auth(std::string_view header);

// Standard base64 with padding; nothing when `text` is not that.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace prospect_sandbox
