#include "prospect_import/hardening.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace prospect_import {

std::optional<std::string> disable_core_dumps() {
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return std::string("prctl(PR_SET_DUMPABLE): ") + std::strerror(errno);
  }
  struct rlimit none {};
  if (::setrlimit(RLIMIT_CORE, &none) != 0)
    return std::string("setrlimit(RLIMIT_CORE): ") + std::strerror(errno);
  return std::nullopt;
}

}  // namespace prospect_import
