#pragma once
// HTTP as a seam: the sender starts requests and collects finished ones; libcurl
// is behind it in the tool (curl_http.h), a scripted fake in unit tests.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace prospect_import {

struct HttpRequest {
  std::uint64_t tag = 0;  // the caller's handle, returned with the response
  std::string method = "GET";
  std::string url;   // absolute
  std::string body;  // form-encoded for POST
};

// What went wrong below HTTP, when no complete answer arrived.
enum class TransportError {
  none,
  connect,  // refused, DNS, unreachable: the API cannot be reached
  tls,      // certificate verification or handshake failed
  timeout,  // --timeout passed
  broken,   // reset, closed or truncated: the request may or may not have been carried out
};

struct HttpResponse {
  std::uint64_t tag = 0;
  long status = 0;  // 0 when transport != none
  TransportError transport = TransportError::none;
  std::string transport_message;               // libcurl's words, for the log
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual void start(HttpRequest request) = 0;
  // Waits up to `max` for requests to finish and returns those that did.
  virtual std::vector<HttpResponse> wait(std::chrono::milliseconds max) = 0;
  virtual std::size_t in_flight() const = 0;
  // Makes a wait() under way, or the next one, return at once. Safe from any thread.
  virtual void wakeup() {}
};

// Runs one request to completion (listings, the groups pass).
HttpResponse perform(HttpClient& client, HttpRequest request);

}  // namespace prospect_import
