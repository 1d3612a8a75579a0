#pragma once
// When the next request may go: the API's rate budget (X-RateLimit-* of every
// answer) and this process's own share of it (--budget-share, --max-rate:
// budget.h) spread over what is left of the window, a pause after a 429 until
// the window resets, and exponential back-off with jitter for retries. One
// pacer paces every request of a process, listings included.

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "prospect_import/api.h"
#include "prospect_import/budget.h"
#include "prospect_import/clock.h"

namespace prospect_import {

enum class RateLimitAction { wait, give_up };

inline constexpr int k_max_unusable_resets = 10;

// Why a run gave up after k_max_unusable_resets 429s; `last` is the last one's.
std::string unusable_resets_message(const RateInfo& last);

class Pacer {
 public:
  using TimePoint = Clock::TimePoint;
  using Duration = Clock::Duration;

  explicit Pacer(std::uint64_t seed = std::random_device{}(), BudgetSettings budget = {});
  explicit Pacer(BudgetSettings budget) : Pacer(std::random_device{}(), budget) {}

  // Learns the budget from an answer received at `now` to a request sent at
  // `sent_at` (nullopt: at `now`, for a request without latency), while
  // `in_flight` other requests may not have reached the server yet (they are
  // counted as spent). Answers without the headers (a proxy's page) teach
  // nothing. X-RateLimit-Reset is whole seconds rounded up (API.md: at least 1
  // when Remaining is 0), so each answer's `now + Reset` is at or after the
  // end of its window: the window's end is the earliest of them, taken over
  // the answers of that window only (a window of a second is always told
  // Reset 1, which by itself says nothing of where in that second it ends).
  void observe(const RateInfo& rate, TimePoint now, std::size_t in_flight,
               std::optional<TimePoint> sent_at = std::nullopt);

  // A 429 at `now`: nothing goes out until the window resets, plus a little
  // jitter so that several clients do not return at once. The wait is what
  // X-RateLimit-Reset says, capped at an hour; without a usable Reset
  // (absent, not a number, negative) it is 1 s, doubling with each such 429
  // in a row up to 60 s. The k_max_unusable_resets-th 429 in a row without a
  // usable Reset gives up instead: the caller stops (exit 69). Any other
  // answer observed ends the row.
  [[nodiscard]] RateLimitAction rate_limited(const RateInfo& rate, TimePoint now,
                                             std::size_t in_flight,
                                             std::optional<TimePoint> sent_at = std::nullopt);

  // The earliest time the next request may be sent, given how many rows are
  // left to send: no waiting while the budget (the least of what the API has
  // left and of this process's share) covers them all, else that budget spread
  // evenly over what is left of the window, the last one a gap before its end
  // (a request at the end would open the next window and leave this one's
  // last unspent); never sooner than --max-rate allows.
  TimePoint next_send(TimePoint now, std::uint64_t rows_left);

  // Sending at `now`: one less in the budget; spaces the following request.
  void sent(TimePoint now);

  // Delay before retry number `attempt` (1-based) of a transient failure:
  // 1 s, 2 s, 4 s, ... capped at 60 s, each with up to 50 % jitter.
  Duration backoff(int attempt);

  // How long `rows_left` more requests take at least under the rate limit as
  // last reported and this process's share of it (the window's length is
  // estimated as the longest reset seen), and under --max-rate; nothing while
  // neither is known.
  std::optional<Duration> limit_eta(TimePoint now, std::uint64_t rows_left);

  // When the window resets and the limit, as last reported.
  std::optional<TimePoint> window_reset() const { return m_reset_at; }
  std::optional<long> limit() const { return m_limit; }
  const Budget& budget() const { return m_budget; }
  // Why no request can be sent at all under --budget-share, or nullopt.
  std::optional<std::string> budget_problem() const { return m_budget.problem(); }

 private:
  std::mt19937_64 m_random;
  Budget m_budget;
  std::optional<long> m_limit;
  std::optional<long> m_remaining;
  std::optional<TimePoint> m_reset_at;
  TimePoint m_paused_until{};
  TimePoint m_last_sent{};
  Duration m_window{};  // the longest X-RateLimit-Reset seen: the window, at least
  // The answer that told of the current window first, and the last one.
  struct Answer {
    TimePoint sent;
    TimePoint received;
    long remaining = 0;
    Duration reset{};
  };
  std::optional<Answer> m_window_first;
  std::optional<Answer> m_last_answer;
  // Requests sent since the known window ended, before an answer told of the next.
  long m_unseen_sends = 0;
  TimePoint m_unseen_since{};  // the first of them
  int m_unusable_resets = 0;   // 429s in a row without a usable X-RateLimit-Reset

  void learn(const RateInfo& rate, TimePoint now, std::size_t in_flight,
             std::optional<TimePoint> sent_at);
  bool later_window(const Answer& answer) const;
  std::optional<Budget::Share> room(TimePoint now);
  TimePoint unseen_window_gate(TimePoint now) const;
  Duration wait_after_429(const RateInfo& rate);
};

}  // namespace prospect_import
