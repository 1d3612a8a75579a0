#pragma once
// The run's counts, as summary.json and --json show them (CLI.md).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace prospect_import {

struct Summary {
  std::string file;                    // the path as given, "-" for standard input
  std::optional<std::string> program;  // null offline without --program
  bool dry_run = false;
  bool offline = false;
  std::uint64_t created = 0;
  std::uint64_t already_exists = 0;
  std::uint64_t dry_run_ok = 0;     // dry-run answers and offline-valid rows
  std::uint64_t known = 0;          // not sent: the ledger knew them
  std::uint64_t invalid = 0;        // failed local validation
  std::uint64_t rejected = 0;       // refused by the API (4xx)
  std::uint64_t failed = 0;         // transient failures still failing after retries
  std::uint64_t not_attempted = 0;  // never sent (an abort)
  int exit_code = 0;
  double elapsed_s = 0;
  std::uint64_t requests = 0;      // every HTTP request of this run, each attempt once
  std::uint64_t retries = 0;       // re-sends after a transient failure or a 429
  std::uint64_t rate_limited = 0;  // 429 answers
  std::uint64_t matched = 0;       // rows of success.csv with a Matched Partner ID
  std::string started_at = {};     // the run's start, UTC, 2026-11-30T14:56:30Z (history.h)

  // The first few of those, said at the end of a dry run (not in summary.json).
  struct Match {
    std::uint64_t line;
    std::string partner_name;
    std::string partner_id;
  };
  std::vector<Match> first_matches = {};

  std::uint64_t succeeded() const { return created + already_exists + dry_run_ok + known; }
  std::uint64_t rows() const { return succeeded() + invalid + rejected + failed + not_attempted; }
};

nlohmann::ordered_json to_json(const Summary& s);

}  // namespace prospect_import
