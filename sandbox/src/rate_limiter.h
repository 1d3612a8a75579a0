#pragma once

#include "clock.h"
#include "envelope.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace prospect_sandbox {

// What the X-RateLimit-* headers say after a request.
struct RateStatus {
  bool allowed = true;     // false: answer 429
  long limit = 0;          // X-RateLimit-Limit
  long remaining = 0;      // X-RateLimit-Remaining
  long reset_seconds = 0;  // X-RateLimit-Reset, >= 1 whenever remaining is 0
  bool operator==(const RateStatus&) const = default;
};

// A fixed window per account: an account's window opens with its first
// request and lasts `window`; within it at most `limit` requests are allowed.
// Every window is kept with what each client (User-Agent) sent in it, so that
// a test can check how much of each window a client spent.
// Not thread-safe: the caller serialises access.
class RateLimiter {
 public:
  // REQUIRES: limit >= 1, window >= 1s.
  RateLimiter(long limit, std::chrono::seconds window, const Clock& clock);

  // Spends one request of the account's budget (a 429 spends nothing more);
  // `client` is the request's User-Agent.
  RateStatus spend(const std::string& account, const std::string& client = "");
  // The account's status without spending anything.
  RateStatus peek(const std::string& account) const;

  // {"ACCOUNT": [{"start_ms", "used", "refused", "clients": {"UA": n}}, ...]}:
  // each account's windows, oldest first; start_ms counts from the first
  // window's start, `clients` every request (refused ones too) by User-Agent.
  OrderedJson windows_json() const;

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    long used = 0;
    long refused = 0;
    std::map<std::string, long> clients;
  };

  bool expired(const Window& window, std::chrono::steady_clock::time_point now) const;
  RateStatus status_of(const Window& window, std::chrono::steady_clock::time_point now) const;

  long m_limit;
  std::chrono::seconds m_window;
  const Clock& m_clock;
  std::map<std::string, std::vector<Window>> m_windows;  // the current one last
};

}  // namespace prospect_sandbox
