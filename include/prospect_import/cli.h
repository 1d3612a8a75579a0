#pragma once
// The command line of CLI.md. main() is `return run(argc, argv);`.

#include <string>
#include <vector>

#include "prospect_import/io.h"

namespace prospect_import {

// Runs the tool and returns the process exit code (CLI.md's exit codes).
int run(int argc, char** argv);

// The same with the outside world given (tests); args exclude the program name.
int run(const std::vector<std::string>& args, Io& io);

}  // namespace prospect_import
