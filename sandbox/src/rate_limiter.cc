#include "rate_limiter.h"

#include <algorithm>

namespace prospect_sandbox {

RateLimiter::RateLimiter(long limit, std::chrono::seconds window, const Clock& clock)
    : m_limit(limit), m_window(window), m_clock(clock) {}

RateStatus RateLimiter::spend(const std::string& account, const std::string& client) {
  const auto now = m_clock.now();
  std::vector<Window>& windows = m_windows[account];
  if (windows.empty() || expired(windows.back(), now)) windows.push_back(Window{now, 0, 0, {}});
  Window& window = windows.back();
  const bool allowed = window.used < m_limit;
  if (allowed) ++window.used;
  if (!allowed) ++window.refused;
  ++window.clients[client];
  RateStatus status = status_of(window, now);
  status.allowed = allowed;
  return status;
}

RateStatus RateLimiter::peek(const std::string& account) const {
  const auto now = m_clock.now();
  const auto it = m_windows.find(account);
  if (it == m_windows.end() || expired(it->second.back(), now))
    return status_of(Window{now, 0, 0, {}}, now);
  return status_of(it->second.back(), now);
}

OrderedJson RateLimiter::windows_json() const {
  OrderedJson out = OrderedJson::object();
  for (const auto& [account, windows] : m_windows) {
    OrderedJson list = OrderedJson::array();
    for (const Window& w : windows) {
      const auto since =
          std::chrono::duration_cast<std::chrono::milliseconds>(w.start - windows.front().start);
      list.push_back({{"start_ms", since.count()},
                      {"used", w.used},
                      {"refused", w.refused},
                      {"clients", w.clients}});
    }
    out[account] = list;
  }
  return out;
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
