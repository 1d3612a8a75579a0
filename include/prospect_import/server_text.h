#pragma once
// What came from a server, made fit to print. Two steps, each done once:
// the HTTP client redacts the credentials from every answer it hands on
// (Redactor), and where server text becomes a message, a report cell or a
// listing, clean_server_text() takes out what a terminal or a spreadsheet
// would act on. Includes nothing of ours but the secret, so that any layer
// may use it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "prospect_import/secret.h"

namespace prospect_import {

// What a redacted secret is replaced with.
inline constexpr std::string_view k_redacted = "[redacted]";

// Finds the token in text, in every form a server or proxy could echo it:
// the token, `SID:token` and its base64 form (the Basic-auth header), each
// also percent-encoded (upper- or lower-case hex, path or form style) and
// JSON-escaped (`/` as `\/`).
class Redactor {
 public:
  Redactor() = default;  // redacts nothing
  Redactor(std::string_view account_sid, const Secret& token);

  // text with every form of the secret replaced by k_redacted.
  std::string redact(std::string_view text) const;

 private:
  std::vector<std::string> m_forms;  // longest first, so that a longer form wins
};

// The most of one piece of server text that a message shows, and the most a
// report cell holds (an ID, a partner's name).
inline constexpr std::size_t k_message_text_max = 500;
inline constexpr std::size_t k_value_text_max = 1024;

// s as text that is safe to print: invalid UTF-8 becomes U+FFFD, tab, CR and
// LF become a space, other control characters (Unicode's Cc: NUL, ESC, DEL,
// C1) are removed, and more than max_code_points code points are cut to that
// many followed by "...".
std::string clean_server_text(std::string_view s, std::size_t max_code_points);

}  // namespace prospect_import
