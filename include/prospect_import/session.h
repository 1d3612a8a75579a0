#pragma once
// What an online run needs before it sends a row: credentials (from the
// environment or a token file, never from argv), the HTTP client, and the
// listings of programs and groups, with every failure turned into CLI.md's
// exit code and a message that says what to do.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "prospect_import/api.h"
#include "prospect_import/clock.h"
#include "prospect_import/credentials.h"
#include "prospect_import/error.h"
#include "prospect_import/groups.h"
#include "prospect_import/http.h"
#include "prospect_import/io.h"
#include "prospect_import/options.h"
#include "prospect_import/pacer.h"
#include "prospect_import/stop.h"

namespace prospect_import {

// IMPACT_ACCOUNT_SID / --account-sid and IMPACT_AUTH_TOKEN / --auth-token-file,
// and --cacert when given: what the client trusts is part of what it needs to
// connect. Missing or empty ones, and a CA bundle that cannot be read or
// holds no certificate, are an Error with code 78.
Result<Credentials> load_credentials(const Options& options, Io& io);

// --budget-share and --max-rate: what the process's one pacer enforces.
BudgetSettings budget_settings(const Options& options);
// A token file whose permission bits `mode` open it to group or others: a
// warning on io.err naming the file and `chmod 600`, or with
// options.strict_perms an Error (78).
Status check_token_file_mode(const std::string& path, unsigned mode, const Options& options,
                             Io& io);

// Counts and paces every request of the listings, and waits out 429s (said at
// -v, and always when a wait is long). A listing that loops or goes on past
// its @numpages ends with an Error (69), as does a 404 after its first page.
class Session {
 public:
  // stop: where a signal is seen (null: none is handled); the session then
  // gives up between requests with exit code 130 or 143.
  // REQUIRES: http, pacer, clock, sleeper, log and stop outlive the session.
  Session(HttpClient& http, Pacer& pacer, const Clock& clock, Sleeper& sleeper, ApiTarget target,
          int max_retries, spdlog::logger& log, const StopFlag* stop = nullptr);

  // All pages of the account's programs, or of the target program's groups.
  Result<std::vector<Group>> list_programs();
  Result<std::vector<Group>> list_groups();
  // Where a listing's page says the next one is.
  struct PageLinks {
    std::string next_uri;           // "" on the last page
    std::size_t items = 0;          // an empty page ends the listing too
    std::optional<long> num_pages;  // @numpages, when it is a number
  };
  // Every page of a listing from first_url (key: its items' name, for
  // messages), each answer given to `read`, which keeps the items and says
  // where the next page is. Any listing is protected alike: a page that
  // points back to one read already, or more pages than @numpages promised,
  // ends it with an Error (69).
  Status for_each_page(const std::string& first_url, const char* key,
                       const std::function<Result<PageLinks>(const HttpResponse&)>& read);

  std::uint64_t requests() const { return m_requests; }
  std::uint64_t retries() const { return m_retries; }
  std::uint64_t rate_limited() const { return m_rate_limited; }

 private:
  // Which page of which listing a request asks for, for messages.
  struct Listed {
    const char* key;  // "Campaigns" or "Groups"
    int page;
  };

  Result<std::vector<Group>> list_all(const std::string& first_url, const char* key);
  Status endless_listing(const Listed& listed, const PageLinks& page, const std::string& next_url,
                         bool seen) const;
  Result<HttpResponse> get(const std::string& url, const Listed& listed);
  void note_rate_limit_wait(const Listed& listed);
  Error failure_of(const HttpResponse& response, const std::string& url,
                   const Listed& listed) const;
  Status stopped() const;

  HttpClient& m_http;
  Pacer& m_pacer;
  const Clock& m_clock;
  Sleeper& m_sleeper;
  ApiTarget m_target;
  int m_max_retries;
  spdlog::logger& m_log;
  const StopFlag* m_stop;
  std::uint64_t m_requests = 0;
  std::uint64_t m_retries = 0;
  std::uint64_t m_rate_limited = 0;
};

}  // namespace prospect_import
