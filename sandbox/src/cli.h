#pragma once

namespace prospect_sandbox {

// The whole program: parses the command line, serves until SIGINT/SIGTERM,
// writes the state file. Returns the exit code (0, 1 on a failure, CLI11's
// code for a wrong command line).
int run(int argc, const char* const* argv);

}  // namespace prospect_sandbox
