#pragma once
// What the process does to keep the token it holds to itself.

#include <optional>
#include <string>

namespace prospect_import {

// No core dump of this process may be written (it would hold the token):
// PR_SET_DUMPABLE 0, which also keeps other users from ptrace and
// /proc/PID/environ, and a core size limit of 0, soft and hard. Returns what
// failed, or nothing.
std::optional<std::string> disable_core_dumps();

}  // namespace prospect_import
