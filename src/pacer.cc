#include "prospect_import/pacer.h"

#include <algorithm>

namespace prospect_import {
namespace {

constexpr auto k_max_wait = std::chrono::hours(1);
constexpr auto k_backoff_base = std::chrono::seconds(1);
constexpr auto k_backoff_cap = std::chrono::seconds(60);

}  // namespace

Pacer::Pacer(std::uint64_t seed) : m_random(seed) {}

void Pacer::observe(const RateInfo& rate, TimePoint now, std::size_t in_flight) {
  if (!rate.remaining || !rate.reset_s) return;
  m_limit = rate.limit;
  m_remaining = *rate.remaining - static_cast<long>(in_flight);
  Duration reset = std::min<Duration>(std::chrono::seconds(std::max(*rate.reset_s, 0L)), k_max_wait);
  m_reset_at = now + reset;
  m_window = std::max(m_window, reset);
}

std::optional<Pacer::Duration> Pacer::limit_eta(TimePoint now, std::uint64_t rows_left) const {
  if (!m_limit || *m_limit <= 0 || !m_remaining || !m_reset_at) return std::nullopt;
  auto budget = static_cast<std::uint64_t>(std::max(*m_remaining, 0L));
  if (rows_left <= budget) return Duration::zero();
  std::uint64_t windows = (rows_left - budget - 1) / static_cast<std::uint64_t>(*m_limit);
  Duration to_reset = std::max(*m_reset_at - now, Duration::zero());
  return to_reset + m_window * static_cast<long>(windows);
}

void Pacer::rate_limited(const RateInfo& rate, TimePoint now, std::size_t in_flight) {
  observe(rate, now, in_flight);
  long reset = rate.reset_s.value_or(1);
  std::uniform_int_distribution<long> jitter_ms(0, 250 + 50 * std::min(reset, 20L));
  Duration wait = std::min<Duration>(
      std::chrono::seconds(std::max(reset, 1L)) + std::chrono::milliseconds(jitter_ms(m_random)), k_max_wait);
  m_paused_until = std::max(m_paused_until, now + wait);
  m_remaining = 0;
}

Pacer::TimePoint Pacer::next_send(TimePoint now, std::uint64_t rows_left) const {
  TimePoint t = std::max(now, m_paused_until);
  if (!m_remaining || !m_reset_at || *m_reset_at <= now) return t;  // unknown, or a new window
  long budget = *m_remaining;
  if (budget <= 0) return std::max(t, *m_reset_at);  // spent: wait for the next window
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
