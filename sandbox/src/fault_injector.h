#pragma once

#include <cstdint>
#include <optional>
#include <random>

namespace prospect_sandbox {

// Decides which requests fail on purpose. Failures and drops draw from two
// separate generators seeded from one seed, so a given seed yields the same
// choices for the same sequence of requests, and changing one rate does not
// shift the other's choices. Not thread-safe: the caller serialises access.
class FaultInjector {
 public:
  // REQUIRES: rates within [0, 1].
  FaultInjector(double fail_rate, double drop_rate, std::uint64_t seed);

  // 500 or 503 for a request to fail before anything is done, else nothing.
  std::optional<int> injected_status();
  // Whether a committed create should lose its answer.
  bool drop_after_commit();

 private:
  static double uniform(std::mt19937_64& generator);

  double m_fail_rate;
  double m_drop_rate;
  std::mt19937_64 m_fail_generator;
  std::mt19937_64 m_drop_generator;
};

}  // namespace prospect_sandbox
