#pragma once
// The HttpClient of the tool: libcurl's multi interface, keep-alive, HTTP/2
// over TLS when the server offers it, certificate checks always on. It is the
// one redaction point (server_text.h): every answer it hands on has the
// credentials redacted from its body, headers and messages, and its headers
// cleaned of control characters and invalid UTF-8.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "prospect_import/http.h"
#include "prospect_import/secret.h"

namespace prospect_import {

struct CurlSettings {
  std::string user;                   // Basic-auth user: the account SID
  Secret password;                    // the auth token
  std::optional<std::string> cacert;  // --cacert
  double timeout_s = 30;              // --timeout
  std::string user_agent;             // "prospect-import/<version>"
};

// The most of one answer's body that is read (its headers: 256 KiB): a create
// answer or a listing page is far smaller. Past it the request fails as
// TransportError::broken, with a message that says so.
inline constexpr std::size_t k_max_answer_bytes = 4 * 1024 * 1024;

std::unique_ptr<HttpClient> make_curl_client(CurlSettings settings);

// Why the CA bundle of --cacert cannot be used (missing, not a regular file,
// no readable certificate in it), or nothing when it can.
std::optional<std::string> ca_bundle_problem(const std::string& path);

}  // namespace prospect_import
