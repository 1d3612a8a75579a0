#pragma once
// This process's own share of the account's rate budget (--budget-share P,
// --max-rate N): it counts the requests it sent itself in the API's current
// window, so that it leaves (100 - P) % of every window to the account's other
// integrations whatever they spend, and it spaces its requests so that no hour
// holds more than N.
//
// The API says only Limit, Remaining and Reset (whole seconds until the fixed
// window ends, rounded either way), so the window's end is known to lie
// between two bounds: an answer to a request sent at s and received at r with
// Reset k puts it in [s + k - 1 s, r + k + 1 s]; an answer whose bounds lie
// after those known, or a longer Reset for a request sent after the last
// answer came, is of a later window. A request is counted in the
// window in which it was sent; when a window is over, the requests sent after
// the earliest moment it could have ended count in the next one too. Counting a
// request twice only slows the process down; counting one in no window could
// overspend.

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "prospect_import/api.h"
#include "prospect_import/clock.h"

namespace prospect_import {

struct BudgetSettings {
  int share_percent = 100;           // --budget-share: of X-RateLimit-Limit, 1 to 100
  std::optional<long> max_per_hour;  // --max-rate: requests an hour, at least 1; none: no cap
};

class Budget {
 public:
  using TimePoint = Clock::TimePoint;
  using Duration = Clock::Duration;

  // REQUIRES: 1 <= share_percent <= 100, max_per_hour >= 1 when given.
  explicit Budget(BudgetSettings settings = {});

  // An answer received at `now` to a request sent at `sent_at`. Answers
  // without Limit and Reset (a proxy's page) teach nothing.
  void observe(const RateInfo& rate, TimePoint sent_at, TimePoint now);

  // This process sends a request at `now`.
  void sent(TimePoint now);

  // What this process may still send in the API's current window, and when
  // that window ends at the latest; nullopt while no answer said the limit,
  // and with a share of 100 % (the API's Remaining then says it all).
  struct Share {
    long left = 0;
    TimePoint ends;
  };
  std::optional<Share> share(TimePoint now);

  // The earliest time --max-rate lets the next request go (the epoch: any time).
  TimePoint rate_gate() const;

  // floor(P x Limit / 100): the most this process sends in one window.
  std::optional<long> per_window() const;
  // --max-rate's spacing between two requests: an hour / N.
  std::optional<Duration> spacing() const;
  // The longest Reset seen: the window's length, at least.
  Duration window_length() const { return m_window_length; }
  const BudgetSettings& settings() const { return m_settings; }

  // Why nothing can ever be sent (a share below 100 % of a tiny limit rounds
  // down to 0), or nullopt.
  std::optional<std::string> problem() const;

 private:
  // Where the API's current window ends: between lo and hi. `estimated`: no
  // answer has come from it yet (the one before ended), so hi is a guess.
  struct Ends {
    TimePoint lo;
    TimePoint hi;
    bool estimated = false;
  };

  // The last answer of the current window: when it came, and its Reset.
  struct Answer {
    TimePoint received;
    Duration reset;
  };

  bool later_window(const Ends& said, TimePoint sent_at, Duration reset) const;
  void roll(TimePoint now);
  void next_window(TimePoint earliest_end, TimePoint now);
  TimePoint latest_end() const;

  BudgetSettings m_settings;
  std::optional<long> m_limit;
  std::optional<Ends> m_ends;
  std::optional<Answer> m_last_answer;
  // This process's requests of the current window, oldest first (the last only
  // with a share of 100 %).
  std::deque<TimePoint> m_sends;
  TimePoint m_last_sent{};
  Duration m_window_length{};
};

}  // namespace prospect_import
