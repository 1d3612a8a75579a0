#include "rate_limiter.h"

#include <algorithm>

namespace prospect_sandbox {

RateLimiter::RateLimiter(long limit, std::chrono::seconds window, const Clock& clock)
    : m_limit(limit), m_window(window), m_clock(clock) {}

RateStatus RateLimiter::spend(const std::string& account) {
  const auto now = m_clock.now();
  Window& window = m_windows[account];
  if (window.used == 0 || expired(window, now)) window = Window{now, 0};
  const bool allowed = window.used < m_limit;
  if (allowed) ++window.used;
  RateStatus status = status_of(window, now);
  status.allowed = allowed;
  return status;
}

RateStatus RateLimiter::peek(const std::string& account) const {
  const auto now = m_clock.now();
  const auto it = m_windows.find(account);
  if (it == m_windows.end() || expired(it->second, now)) return status_of(Window{now, 0}, now);
  return status_of(it->second, now);
}

bool RateLimiter::expired(const Window& window, std::chrono::steady_clock::time_point now) const {
  return now >= window.start + m_window;
}

RateStatus RateLimiter::status_of(const Window& window,
                                  std::chrono::steady_clock::time_point now) const {
  const auto left = window.start + m_window - now;
  // Whole seconds, rounded up, so that waiting that long always suffices.
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
  return RateStatus{true, m_limit, m_limit - window.used,
                    std::max<long>(1, static_cast<long>(seconds))};
}

}  // namespace prospect_sandbox
