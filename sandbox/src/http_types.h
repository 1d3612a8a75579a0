#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prospect_sandbox {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// An HTTP request as the sandbox logic sees it, free of any server library.
struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // raw, still percent-encoded, without the query
  std::string query;   // raw, after `?`, without it
  HeaderList headers;  // names in any case
  std::string body;    // raw (a form body for POST)
};

struct Response {
  int status = 200;
  HeaderList headers;
  std::string body;
  // The create was committed; the server should lose the answer (--drop-rate).
  bool drop_after_commit = false;
};

// The first header named `name` (ASCII case-insensitive), "" when none.
std::string header_value(const HeaderList& headers, std::string_view name);

}  // namespace prospect_sandbox
