#pragma once
// The progress line of an import: what the sender knows so far, and how it is
// said on a terminal of some width (rewritten in place, never wrapping) or in
// a log (a plain, timestamped line).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace prospect_import {

struct ProgressSnapshot {
  std::uint64_t done = 0;   // rows with a final outcome in this run
  std::uint64_t total = 0;  // rows this run will send (0: unknown)
  std::uint64_t created = 0;
  std::uint64_t ok = 0;      // already existed, or dry-run ok
  std::uint64_t failed = 0;  // rejected or failed after retries
  bool dry_run = false;
  std::chrono::milliseconds elapsed{0};
  std::optional<std::chrono::milliseconds> left;       // the time left, when it can be told
  std::optional<std::chrono::milliseconds> rate_wait;  // waiting this long for the rate limit
};

// `--progress`: auto shows the live line on a terminal only; always also in a
// log (a line every 30 s); never not at all.
enum class ProgressMode { automatic, always, never };
std::optional<ProgressMode> parse_progress_mode(std::string_view s);

// The line for a terminal `width` columns wide: at most width - 1 characters
// (so the cursor never reaches the last column and wraps), the least useful
// parts left out first: rows done/total, percent, time left, created, failed,
// rows per second, the rate-limit wait. ASCII only.
std::string terminal_progress(const ProgressSnapshot& p, std::size_t width);

// Every part, for a log: "sent 120/1000 rows (12%), 4.0 rows/s: 100 created,
// 18 ok, 2 failed; about 3m40s left".
std::string log_progress_line(const ProgressSnapshot& p);

// TERM names a terminal that takes control codes: set, not empty, not "dumb".
bool capable_term(const std::optional<std::string>& term);

// The terminal's width: what it says (TIOCGWINSZ), else COLUMNS, else 80.
std::size_t terminal_width(std::optional<std::size_t> said,
                           const std::optional<std::string>& columns);

// "2026-11-30T12:00:00Z", for the lines of a log.
std::string utc_timestamp(std::chrono::system_clock::time_point t);

}  // namespace prospect_import
