#include "prospect_import/pacer.h"

#include <algorithm>

namespace prospect_import {
namespace {

constexpr auto k_max_wait = std::chrono::hours(1);
constexpr auto k_min_wait = std::chrono::seconds(1);  // after a 429, even one saying Reset: 0
constexpr auto k_backoff_base = std::chrono::seconds(1);
constexpr auto k_backoff_cap = std::chrono::seconds(60);

// A Reset as a wait, capped at an hour before it becomes a Duration (steady
// clock nanoseconds overflow at about 9.2e9 s).
Pacer::Duration capped(std::chrono::seconds reset) {
  return std::clamp<std::chrono::seconds>(reset, std::chrono::seconds::zero(), k_max_wait);
}

}  // namespace

std::string unusable_resets_message(const RateInfo& last) {
  const char* what = last.reset_value == HeaderValue::garbage    ? "not a number"
                     : last.reset_value == HeaderValue::negative ? "negative"
                                                                 : "missing";
  return "the API answered 429 (too many requests) " + std::to_string(k_max_unusable_resets) +
         " times in a row without a usable X-RateLimit-Reset header (the last one's was " + what +
         "), so when to send again is unknown; try again later";
}

Pacer::Pacer(std::uint64_t seed, BudgetSettings budget) : m_random(seed), m_budget(budget) {}

void Pacer::observe(const RateInfo& rate, TimePoint now, std::size_t in_flight,
                    std::optional<TimePoint> sent_at) {
  m_unusable_resets = 0;
  learn(rate, now, in_flight, sent_at);
}

void Pacer::learn(const RateInfo& rate, TimePoint now, std::size_t in_flight,
                  std::optional<TimePoint> sent_at) {
  m_budget.observe(rate, sent_at.value_or(now), now);
  if (!rate.remaining || !rate.reset) return;
  m_limit = rate.limit;
  const Answer answer{sent_at.value_or(now), now, *rate.remaining, capped(*rate.reset)};
  const long left = answer.remaining - static_cast<long>(in_flight);
  if (later_window(answer)) {
    m_window_first = answer;
    m_unseen_sends = 0;
    m_reset_at = now + answer.reset;
    m_remaining = left;
  } else if (answer.sent < m_window_first->sent) {
    return;  // sent before the window's first answer was: maybe of the window before
  } else {
    m_reset_at = std::min(*m_reset_at, now + answer.reset);
    // Sent before the last answer came, it may have been counted before that
    // one (answers of requests in flight together come in any order): in one
    // window Remaining only falls.
    const bool newer = answer.sent >= m_last_answer->received;
    m_remaining = newer || !m_remaining ? left : std::min(*m_remaining, left);
  }
  m_last_answer = answer;
  m_window = std::max(m_window, answer.reset);
}

// An answer of a window after the one known: its request went once the known
// window had surely ended, or after the last answer came and it is told more
// Remaining or a longer Reset (in one window neither ever grows).
bool Pacer::later_window(const Answer& answer) const {
  if (!m_window_first || !m_reset_at || !m_last_answer) return true;
  if (answer.sent >= *m_reset_at) return true;
  return answer.sent >= m_last_answer->received &&
         (answer.remaining > m_last_answer->remaining || answer.reset > m_last_answer->reset);
}

std::optional<Pacer::Duration> Pacer::limit_eta(TimePoint now, std::uint64_t rows_left) {
  std::optional<Duration> eta;
  const auto per_window = m_budget.per_window();  // at most the limit
  const auto left = room(now);
  if (per_window && *per_window > 0 && left) {
    auto budget = static_cast<std::uint64_t>(std::max(left->left, 0L));
    eta = Duration::zero();
    if (rows_left > budget) {
      // Capped so that the product below cannot overflow (a limit of 1 and a huge file).
      std::uint64_t windows = std::min<std::uint64_t>(
          (rows_left - budget - 1) / static_cast<std::uint64_t>(*per_window), 1'000'000);
      Duration to_reset = std::max(left->ends - now, Duration::zero());
      eta = to_reset + m_window * static_cast<long>(windows);
    }
  }
  if (auto spacing = m_budget.spacing(); spacing && rows_left > 0) {
    // Evenly spaced: the first when --max-rate lets it go, then one a spacing.
    auto spaced = std::min<std::uint64_t>(rows_left - 1, 1'000'000'000);
    Duration at_rate = std::max(m_budget.rate_gate() - now, Duration::zero()) +
                       *spacing * static_cast<long>(spaced);
    eta = std::max(eta.value_or(Duration::zero()), at_rate);
  }
  return eta;
}

RateLimitAction Pacer::rate_limited(const RateInfo& rate, TimePoint now, std::size_t in_flight,
                                    std::optional<TimePoint> sent_at) {
  learn(rate, now, in_flight, sent_at);
  if (rate.reset) {
    m_unusable_resets = 0;
  } else if (++m_unusable_resets >= k_max_unusable_resets) {
    return RateLimitAction::give_up;
  }
  m_paused_until = std::max(m_paused_until, now + wait_after_429(rate));
  m_remaining = 0;
  return RateLimitAction::wait;
}

Pacer::Duration Pacer::wait_after_429(const RateInfo& rate) {
  // At most an hour, so that adding it to a time point cannot overflow.
  Duration doubled = k_backoff_base * (1L << std::clamp(m_unusable_resets - 1, 0, 6));
  Duration nominal = rate.reset ? std::max<Duration>(capped(*rate.reset), k_min_wait)
                                : std::min<Duration>(doubled, k_backoff_cap);
  long seconds = std::chrono::duration_cast<std::chrono::seconds>(nominal).count();
  std::uniform_int_distribution<long> jitter_ms(0, 250 + 50 * std::min(seconds, 20L));
  return std::min<Duration>(nominal + std::chrono::milliseconds(jitter_ms(m_random)), k_max_wait);
}

// The tighter of what the API has left in its window and of what this
// process's share has left; nullopt when neither is known (or the API's window
// is over and no share is set).
std::optional<Budget::Share> Pacer::room(TimePoint now) {
  std::optional<Budget::Share> api;
  if (m_remaining && m_reset_at && *m_reset_at > now)
    api = Budget::Share{*m_remaining, *m_reset_at};
  auto own = m_budget.share(now);
  if (!own) return api;
  if (!api || own->left < api->left) return own;
  if (own->left == api->left) return Budget::Share{own->left, std::max(own->ends, api->ends)};
  return api;
}

Pacer::TimePoint Pacer::next_send(TimePoint now, std::uint64_t rows_left) {
  TimePoint t = std::max({now, m_paused_until, m_budget.rate_gate()});
  auto left = room(now);
  if (!left) return std::max(t, unseen_window_gate(now));  // unknown, or a new window
  if (left->left <= 0) return std::max(t, left->ends);     // spent: wait for the next window
  if (rows_left <= static_cast<std::uint64_t>(left->left)) return t;  // all fits: no spreading
  // More work than budget: spread what is left over the rest of the window,
  // `left` gaps after the last one sent and one more before the end.
  if (m_last_sent == TimePoint{}) return t;  // nothing sent yet: nothing to space from
  Duration spacing = (left->ends - std::min(m_last_sent, now)) / (left->left + 1);
  return std::max(t, m_last_sent + spacing);
}

// A window no answer has told of yet holds at most the limit: once that many
// went into it, the next waits for an answer (or, when none comes, until the
// window they opened is surely over). Else every window would begin with
// --concurrency requests at once, and with a limit below it some of them 429.
Pacer::TimePoint Pacer::unseen_window_gate(TimePoint now) const {
  const auto most = m_budget.per_window();
  if (!most || m_unseen_sends < *most) return now;
  return std::max(now, m_unseen_since + m_window + k_min_wait);
}

void Pacer::sent(TimePoint now) {
  if (!m_reset_at || now >= *m_reset_at) {  // into a window no answer has told of
    if (m_unseen_sends == 0 || now >= m_unseen_since + m_window + k_min_wait) {
      m_unseen_sends = 0;
      m_unseen_since = now;
    }
    ++m_unseen_sends;
  }
  m_last_sent = now;
  m_budget.sent(now);
  if (m_remaining) --*m_remaining;
}

Pacer::Duration Pacer::backoff(int attempt) {
  Duration d = k_backoff_base * (1L << std::clamp(attempt - 1, 0, 16));
  d = std::min<Duration>(d, k_backoff_cap);
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return std::chrono::duration_cast<Duration>(d * jitter(m_random));
}

}  // namespace prospect_import
