#pragma once

#include "envelope.h"

#include <cstdint>
#include <map>

namespace prospect_sandbox {

// What the sandbox has answered, for the state file.
struct Counters {
  std::uint64_t requests = 0;  // API requests answered (the 401s too)
  std::map<int, std::uint64_t> by_status;
  std::uint64_t rate_limited = 0;     // 429 answers
  std::uint64_t injected_faults = 0;  // 500/503 answers from --fail-rate
  std::uint64_t drops = 0;            // committed creates whose answer was lost
  std::uint64_t creates = 0;          // prospects created (dropped ones too)
  std::uint64_t dry_runs = 0;         // successful dry runs (200)

  void record(int status);
};

// {"requests", "by_status": {"201": n, ...}, "rate_limited", "injected_faults",
//  "drops", "creates", "dry_runs"}
OrderedJson counters_json(const Counters& counters);

}  // namespace prospect_sandbox
