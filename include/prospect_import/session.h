#pragma once
// What an online run needs before it sends a row: credentials (from the
// environment or a token file, never from argv), the HTTP client, and the
// listings of programs and groups, with every failure turned into CLI.md's
// exit code and a message that says what to do.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "prospect_import/api.h"
#include "prospect_import/clock.h"
#include "prospect_import/exit_code.h"
#include "prospect_import/groups.h"
#include "prospect_import/http.h"
#include "prospect_import/io.h"
#include "prospect_import/options.h"
#include "prospect_import/pacer.h"
#include "prospect_import/secret.h"

namespace prospect_import {

struct Failure {
  ExitCode code;
  std::string message;
};

struct Credentials {
  std::string account_sid;
  Secret token;
};

// IMPACT_ACCOUNT_SID / --account-sid and IMPACT_AUTH_TOKEN / --auth-token-file.
// Missing or empty ones are a Failure with code 78.
std::optional<Failure> load_credentials(const Options& options, Io& io, Credentials& out);

// Counts and paces every request of the listings, and waits out 429s.
class Session {
 public:
  using Sleep = std::function<void(Clock::Duration)>;
  // stop: where a signal is seen (null: none is handled); the session then
  // gives up between requests with exit code 130 or 143.
  // REQUIRES: http, pacer, clock and stop outlive the session.
  Session(HttpClient& http, Pacer& pacer, const Clock& clock, Sleep sleep, ApiTarget target,
          int max_retries, const std::atomic<int>* stop = nullptr);

  // All pages of the account's programs, or of the target program's groups.
  std::optional<Failure> list_programs(std::vector<Group>& out);
  std::optional<Failure> list_groups(std::vector<Group>& out);

  std::uint64_t requests() const { return m_requests; }
  std::uint64_t retries() const { return m_retries; }
  std::uint64_t rate_limited() const { return m_rate_limited; }

 private:
  std::optional<Failure> list_all(const std::string& first_url, const char* key, std::vector<Group>& out);
  std::optional<Failure> get(const std::string& url, HttpResponse& response);
  Failure failure_of(const HttpResponse& response, const std::string& url) const;
  std::optional<Failure> stopped() const;

  HttpClient& m_http;
  Pacer& m_pacer;
  const Clock& m_clock;
  Sleep m_sleep;
  ApiTarget m_target;
  int m_max_retries;
  const std::atomic<int>* m_stop;
  std::uint64_t m_requests = 0;
  std::uint64_t m_retries = 0;
  std::uint64_t m_rate_limited = 0;
};

}  // namespace prospect_import
