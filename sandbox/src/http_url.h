#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace prospect_sandbox {

// The parts of a media property URL that the sandbox needs.
struct HttpUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // as sent (case kept)
  int port = 0;        // 0 when none was given
};

// Parses `text` under API.md's MediaPropertyUrl rule (length aside). On
// failure, the reason as a message fit for the error envelope.
std::variant<HttpUrl, std::string> parse_http_url(std::string_view text);

}  // namespace prospect_sandbox
