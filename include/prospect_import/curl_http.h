#pragma once
// The HttpClient of the tool: libcurl's multi interface, keep-alive, HTTP/2
// over TLS when the server offers it, certificate checks always on.

#include <memory>
#include <optional>
#include <string>

#include "prospect_import/http.h"
#include "prospect_import/secret.h"

namespace prospect_import {

struct CurlSettings {
  std::string user;                     // Basic-auth user: the account SID
  Secret password;                      // the auth token
  std::optional<std::string> cacert;    // --cacert
  double timeout_s = 30;                // --timeout
  std::string user_agent;               // "prospect-import/<version>"
};

std::unique_ptr<HttpClient> make_curl_client(CurlSettings settings);

}  // namespace prospect_import
