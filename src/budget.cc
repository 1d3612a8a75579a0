#include "prospect_import/budget.h"

#include <algorithm>

namespace prospect_import {
namespace {

// X-RateLimit-Reset is whole seconds, rounded up or down: the end it says is
// this far off at most.
constexpr auto k_rounding = std::chrono::seconds(1);
constexpr auto k_hour = std::chrono::hours(1);

}  // namespace

Budget::Budget(BudgetSettings settings) : m_settings(settings) {}

void Budget::observe(const RateInfo& rate, TimePoint sent_at, TimePoint now) {
  if (!rate.limit || !rate.reset) return;
  m_limit = *rate.limit;
  // The parser caps Reset at k_max_reset; capped here too, as seconds, so that
  // no RateInfo however made overflows when it becomes a Duration.
  const Duration reset = std::min(*rate.reset, k_max_reset);
  m_window_length = std::max(m_window_length, reset);
  roll(now);
  const Ends said{sent_at + reset - k_rounding, now + reset + k_rounding, false};
  const Answer answer{now, reset};
  if (!m_ends || m_ends->estimated) {
    m_ends = said;  // what the API says beats a guess; the requests counted stay counted
  } else if (said.hi < m_ends->lo) {
    return;  // the answer of a window that is over
  } else if (later_window(said, sent_at, reset)) {
    next_window(m_ends->lo, now);
    m_ends = said;
  } else {
    const Ends both{std::max(m_ends->lo, said.lo), std::min(m_ends->hi, said.hi), false};
    m_ends = both.lo <= both.hi ? both : said;  // the same window, known more closely
  }
  m_last_answer = answer;
}

// An answer of a window that began after the one known: its end is after the
// latest end known, or the request went after the last answer came and its
// Reset is longer (in one window a later request is never told a longer Reset,
// however the API rounds).
bool Budget::later_window(const Ends& said, TimePoint sent_at, Duration reset) const {
  if (said.lo > m_ends->hi) return true;
  return m_last_answer && sent_at >= m_last_answer->received && reset > m_last_answer->reset;
}

void Budget::sent(TimePoint now) {
  roll(now);
  // With no limit said, nothing is enforced: the last hour bounds the memory.
  if (!m_limit) {
    while (!m_sends.empty() && m_sends.front() < now - k_hour) m_sends.pop_front();
  }
  // The whole limit is the API's to count (share() counts nothing): only the
  // last send matters (latest_end()), else a window of a huge limit would
  // hold every request's time (8 MiB at 1M rows).
  if (m_settings.share_percent >= 100) m_sends.clear();
  m_sends.push_back(now);
  m_last_sent = now;
}

std::optional<Budget::Share> Budget::share(TimePoint now) {
  const auto most = per_window();
  // The whole limit is the API's to enforce: its Remaining says what is left.
  if (!most || m_settings.share_percent >= 100) return std::nullopt;
  roll(now);
  return Share{*most - static_cast<long>(m_sends.size()), latest_end()};
}

Budget::TimePoint Budget::rate_gate() const {
  const auto gap = spacing();
  if (!gap || m_last_sent == TimePoint{}) return TimePoint{};
  return m_last_sent + *gap;
}

std::optional<long> Budget::per_window() const {
  if (!m_limit) return std::nullopt;
  const long limit = std::max(*m_limit, 0L);
  const long p = m_settings.share_percent;
  // floor(p x limit / 100) without overflowing a saturated limit.
  return limit / 100 * p + limit % 100 * p / 100;
}

std::optional<Budget::Duration> Budget::spacing() const {
  if (!m_settings.max_per_hour) return std::nullopt;
  // Rounded up: N requests spaced so never fit in less than an hour.
  const auto hour = std::chrono::duration_cast<Duration>(k_hour).count();
  const long n = std::max(*m_settings.max_per_hour, 1L);
  return Duration((hour + n - 1) / n);
}

std::optional<std::string> Budget::problem() const {
  const auto most = per_window();
  if (!most || *most > 0 || m_settings.share_percent >= 100) return std::nullopt;
  return "--budget-share " + std::to_string(m_settings.share_percent) +
         " leaves no request of the API's limit of " + std::to_string(*m_limit) +
         " requests a window (floor(" + std::to_string(m_settings.share_percent) + " x " +
         std::to_string(*m_limit) + " / 100) = 0); raise --budget-share";
}

// The window known is over for sure: the next one begins.
void Budget::roll(TimePoint now) {
  if (m_ends && now >= latest_end()) next_window(m_ends->lo, now);
}

// Requests sent before the earliest end of the window that is over were
// counted there; the others count in the next window as well.
void Budget::next_window(TimePoint earliest_end, TimePoint now) {
  while (!m_sends.empty() && m_sends.front() < earliest_end) m_sends.pop_front();
  m_last_answer.reset();
  // No answer from the new window yet: it ends a window length after it began
  // at the latest, and not before the earliest end plus that length.
  const Duration shortest = std::max(m_window_length - k_rounding, Duration::zero());
  m_ends = Ends{earliest_end + shortest, now + m_window_length + k_rounding, true};
}

// A guessed end moves with the requests counted: the window that holds the
// last of them ends at most the longest Reset seen after it.
Budget::TimePoint Budget::latest_end() const {
  if (!m_ends->estimated || m_sends.empty()) return m_ends->hi;
  return std::max(m_ends->hi, m_sends.back() + m_window_length + k_rounding);
}

}  // namespace prospect_import
