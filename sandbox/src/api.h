#pragma once

#include "clock.h"
#include "counters.h"
#include "fault_injector.h"
#include "http_types.h"
#include "prospect_store.h"
#include "rate_limiter.h"
#include "route.h"
#include "seed.h"

#include <chrono>
#include <cstdint>
#include <mutex>

namespace prospect_sandbox {

// The behaviour knobs of the API (the command line fills them).
struct ApiOptions {
  long rate_limit = 1000;             // --rate-limit: requests per window per account
  std::chrono::seconds window{3600};  // --window
  double fail_rate = 0.0;             // --fail-rate: fraction answered 500/503
  double drop_rate = 0.0;             // --drop-rate: fraction of creates whose answer is lost
  std::uint64_t random_seed = 1;      // --random-seed
};

// The sandbox's stand-in for impact.com's program API (API.md), without any
// network: one request in, one answer out. Thread-safe (one lock for all).
class Api {
 public:
  Api(Seed seed, const ApiOptions& options, const Clock& clock);

  Response handle(const Request& request);

  // {"prospects": [...], "counters": {...}, "rate_windows": {...}}: see
  // state_json, counters_json and RateLimiter::windows_json.
  OrderedJson state() const;

 private:
  struct Caller;  // who is asking, and about what

  Response answer(const Request& request);
  Response checked_answer(const Request& request, const Caller& caller);
  Response program_answer(const Request& request, const Caller& caller, const Program& program);
  Response list_programs(const Request& request, const Caller& caller);
  Response list_groups(const Request& request, const Caller& caller, const Program& program);
  Response list_prospects(const Request& request, const Caller& caller, const Program& program);
  Response create_prospect(const Request& request, const Caller& caller, const Program& program);
  Response create_valid(const FormFields& fields, const Caller& caller, const Program& program);
  Response page_answer(const Request& request, const Caller& caller, const OrderedJson& items,
                       const char* list_name);

  Seed m_seed;
  RateLimiter m_limiter;
  FaultInjector m_faults;
  ProspectStore m_prospects;
  Counters m_counters;
  mutable std::mutex m_mutex;
};

}  // namespace prospect_sandbox
