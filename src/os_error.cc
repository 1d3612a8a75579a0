#include "prospect_import/os_error.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace prospect_import {

bool is_out_of_descriptors(int err) { return err == EMFILE || err == ENFILE; }

std::string describe_errno(int err) {
  if (err == EMFILE) {
    struct rlimit limit {};
    std::string n = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                        ? " of " + std::to_string(limit.rlim_cur)
                        : "";
    return "this process has too many open files (its limit" + n +
           " was reached; `ulimit -n` shows and raises it)";
  }
  if (err == ENFILE) {
    return "the system has too many open files (its limit, fs.file-max, was reached; "
           "close other programs or raise it)";
  }
  return std::strerror(err);
}

}  // namespace prospect_import
