#include "prospect_import/clock.h"

namespace prospect_import {

std::string format_duration(Clock::Duration d) {
  // To the nearest second, but a wait that is left is never "0s".
  auto s = std::chrono::round<std::chrono::seconds>(d).count();
  if (s == 0 && d > Clock::Duration::zero()) s = 1;
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s";
  return std::to_string(s / 3600) + "h" + std::to_string(s / 60 % 60) + "m";
}

}  // namespace prospect_import
