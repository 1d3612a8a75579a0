#pragma once
// The vocabulary of outcomes that the sender, the journal, the report and the
// orchestrator share: a row's final fate and why a run stopped early.

namespace prospect_import {

// What finally became of one valid row: sent, or (known) not sent because the
// ledger knew it before this import began.
enum class Fate { created, already_exists, dry_run_ok, rejected, failed, known };

// Why sending ended.
enum class StopReason {
  finished,
  interrupted,         // SIGINT
  terminated,          // SIGTERM
  auth_refused,        // 401/403
  program_missing,     // 404
  unreachable,         // TLS verification failed
  too_many_failures,   // too many rows in a row failed after all retries
  rate_limit_unknown,  // too many 429s in a row without a usable X-RateLimit-Reset
  no_budget,           // --budget-share leaves no request of the API's limit
  record_failed,       // an outcome could not be recorded (journal I/O)
  internal,            // an unexpected exception (a bug)
};

}  // namespace prospect_import
