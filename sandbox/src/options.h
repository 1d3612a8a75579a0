#pragma once

#include "api.h"
#include "server.h"

#include <string>
#include <variant>

namespace prospect_sandbox {

// Everything the command line sets, filled once by parse_options.
struct Options {
  ApiOptions api;         // --rate-limit, --window, --fail-rate, --drop-rate, --random-seed
  ServerOptions server;   // --port, --cert, --key, --latency-ms, --state-file, --threads
  std::string seed_file;  // --seed-file: "" means the built-in default seed
};

// Either the options, or the exit code to return at once (after --help, or
// with the message already printed for a wrong command line: 2).
std::variant<Options, int> parse_options(int argc, const char* const* argv);

}  // namespace prospect_sandbox
