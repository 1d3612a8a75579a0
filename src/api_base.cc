#include "prospect_import/api_base.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>

#include <memory>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr const char* k_source = "(--api-base or IMPACT_API_BASE)";

using CurlUrl = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

// A part of a parsed URL, or nothing when the URL has none.
std::optional<std::string> url_part(CURLU* url, CURLUPart what) {
  char* value = nullptr;
  if (curl_url_get(url, what, &value, 0) != CURLUE_OK || !value) return std::nullopt;
  std::string r(value);
  curl_free(value);
  return r;
}

std::string not_an_http_url(const std::string& url) {
  return "the API base URL \"" + url + "\" " + k_source +
         " is not an http:// or https:// URL (default https://api.impact.com)";
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::string h = ascii_lower(host);
  if (h == "localhost" || h == "localhost.") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, h.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::optional<std::string> check_api_base(const std::string& url) {
  bool https = url.starts_with("https://");
  if (!https && !url.starts_with("http://")) return not_an_http_url(url);
  CurlUrl parsed(curl_url(), curl_url_cleanup);
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    // Shown unless it may hold user info (a password).
    std::string shown = url.find('@') == std::string::npos ? "\"" + url + "\" " : "";
    return "the API base URL " + shown + k_source + " is not a valid URL";
  }
  if (url_part(parsed.get(), CURLUPART_USER) || url_part(parsed.get(), CURLUPART_PASSWORD)) {
    return "the API base URL " + std::string(k_source) +
           " holds a user name or password (user:password@); remove it: the account SID and the "
           "token "
           "are given by IMPACT_ACCOUNT_SID and IMPACT_AUTH_TOKEN, never in a URL";
  }
  auto host = url_part(parsed.get(), CURLUPART_HOST);
  if (https || (host && is_loopback_host(*host))) return std::nullopt;
  return "the API base URL \"" + url + "\" " + k_source +
         " uses plain http:// to a host that is not this machine, so the credentials would cross "
         "the network unencrypted; use https:// (http:// is allowed only for 127.0.0.0/8, [::1] "
         "and localhost)";
}

}  // namespace prospect_import
