#pragma once

#include "envelope.h"

#include <string>

namespace prospect_sandbox {

// Replaces `path` with `state` as JSON (through a temporary file and a
// rename, so a reader never sees half a file). Throws std::runtime_error.
void write_state_file(const std::string& path, const OrderedJson& state);

// The whole content of a file. Throws std::runtime_error.
std::string read_text_file(const std::string& path);

}  // namespace prospect_sandbox
