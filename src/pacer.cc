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

Pacer::Pacer(std::uint64_t seed) : m_random(seed) {}

void Pacer::observe(const RateInfo& rate, TimePoint now, std::size_t in_flight) {
  m_unusable_resets = 0;
  learn(rate, now, in_flight);
}

void Pacer::learn(const RateInfo& rate, TimePoint now, std::size_t in_flight) {
  if (!rate.remaining || !rate.reset) return;
  m_limit = rate.limit;
  m_remaining = *rate.remaining - static_cast<long>(in_flight);
  Duration reset = capped(*rate.reset);
  m_reset_at = now + reset;
  m_window = std::max(m_window, reset);
}

std::optional<Pacer::Duration> Pacer::limit_eta(TimePoint now, std::uint64_t rows_left) const {
  if (!m_limit || *m_limit <= 0 || !m_remaining || !m_reset_at) return std::nullopt;
  auto budget = static_cast<std::uint64_t>(std::max(*m_remaining, 0L));
  if (rows_left <= budget) return Duration::zero();
  // Capped so that the product below cannot overflow (a limit of 1 and a huge file).
  std::uint64_t windows = std::min<std::uint64_t>(
      (rows_left - budget - 1) / static_cast<std::uint64_t>(*m_limit), 1'000'000);
  Duration to_reset = std::max(*m_reset_at - now, Duration::zero());
  return to_reset + m_window * static_cast<long>(windows);
}

RateLimitAction Pacer::rate_limited(const RateInfo& rate, TimePoint now, std::size_t in_flight) {
  learn(rate, now, in_flight);
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

Pacer::TimePoint Pacer::next_send(TimePoint now, std::uint64_t rows_left) const {
  TimePoint t = std::max(now, m_paused_until);
  if (!m_remaining || !m_reset_at || *m_reset_at <= now) return t;  // unknown, or a new window
  long budget = *m_remaining;
  if (budget <= 0) return std::max(t, *m_reset_at);               // spent: wait for the next window
  if (rows_left <= static_cast<std::uint64_t>(budget)) return t;  // all fits: no need to spread
  // More work than budget: spread what is left over the rest of the window.
  if (m_last_sent == TimePoint{}) return t;  // nothing sent yet: nothing to space from
  Duration spacing = (*m_reset_at - now) / budget;
  return std::max(t, m_last_sent + spacing);
}

void Pacer::sent(TimePoint now) {
  m_last_sent = now;
  if (m_remaining) --*m_remaining;
}

Pacer::Duration Pacer::backoff(int attempt) {
  Duration d = k_backoff_base * (1L << std::clamp(attempt - 1, 0, 16));
  d = std::min<Duration>(d, k_backoff_cap);
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return std::chrono::duration_cast<Duration>(d * jitter(m_random));
}

}  // namespace prospect_import
