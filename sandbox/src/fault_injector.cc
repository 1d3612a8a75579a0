#include "fault_injector.h"

namespace prospect_sandbox {
namespace {
constexpr std::uint64_t k_drop_stream = 0x9E3779B97F4A7C15ULL;
}

FaultInjector::FaultInjector(double fail_rate, double drop_rate, std::uint64_t seed)
    : m_fail_rate(fail_rate),
      m_drop_rate(drop_rate),
      m_fail_generator(seed),
      m_drop_generator(seed ^ k_drop_stream) {}

std::optional<int> FaultInjector::injected_status() {
  if (m_fail_rate <= 0.0) return std::nullopt;
  if (uniform(m_fail_generator) >= m_fail_rate) return std::nullopt;
  return (m_fail_generator() & 1U) == 0 ? 500 : 503;
}

bool FaultInjector::drop_after_commit() {
  if (m_drop_rate <= 0.0) return false;
  return uniform(m_drop_generator) < m_drop_rate;
}

// A value in [0, 1) from the top 53 bits; mt19937_64's output is fixed by the
// standard (unlike the distributions), so the choices are the same everywhere.
double FaultInjector::uniform(std::mt19937_64& generator) {
  return static_cast<double>(generator() >> 11) * 0x1.0p-53;
}

}  // namespace prospect_sandbox
