#include "options.h"

#include <CLI/CLI.hpp>

#include <map>

namespace prospect_sandbox {
namespace {

constexpr int k_usage_error = 2;

constexpr const char* k_description =
    "prospect-sandbox: a local stand-in for impact.com's program API (as API.md fixes it), "
    "for end-to-end tests and for trying prospect-import without an account. It listens on "
    "127.0.0.1 only and prints one line, `listening on URL`, once it is bound. SIGINT or "
    "SIGTERM stops it (exit 0) after writing --state-file.";

void add_server_options(CLI::App& app, ServerOptions& server) {
  app.add_option("--port", server.port, "TCP port on 127.0.0.1; 0 picks a free one (default 0)")
      ->check(CLI::Range(0, 65535));
  auto* cert =
      app.add_option("--cert", server.cert_file, "PEM certificate: serve HTTPS (needs --key)")
          ->check(CLI::ExistingFile);
  auto* key = app.add_option("--key", server.key_file, "PEM private key of --cert")
                  ->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);
  app.add_option_function<long>(
         "--latency-ms", [&server](long ms) { server.latency = std::chrono::milliseconds(ms); },
         "milliseconds added to every API request (default 0)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--threads", server.threads,
                 "worker threads: requests (kept-alive connections) served at once; a client's "
                 "--concurrency needs at least as many (default 72)")
      ->check(CLI::Range(1, 4096));
  const std::map<std::string, DropMode> modes = {{"empty", DropMode::empty},
                                                 {"truncated", DropMode::truncated}};
  app.add_option(
         "--drop-mode", server.drop_mode,
         "how a dropped answer is lost: empty = the connection is closed before any byte of "
         "the answer (default; a client may resend by itself on a reused connection), "
         "truncated = status and headers, half the body, then the connection is closed")
      ->transform(CLI::CheckedTransformer(modes, CLI::ignore_case));
  app.add_option("--state-file", server.state_file,
                 "write the state (prospects as received, counters) as JSON here on exit and on "
                 "every GET /_sandbox/state");
}

void add_api_options(CLI::App& app, ApiOptions& api) {
  app.add_option("--rate-limit", api.rate_limit, "requests per window per account (default 1000)")
      ->check(CLI::Range(1L, 1'000'000'000L));
  app.add_option_function<long>(
         "--window", [&api](long seconds) { api.window = std::chrono::seconds(seconds); },
         "length of the fixed rate-limit window in seconds (default 3600)")
      ->check(CLI::Range(1L, 1'000'000'000L));
  app.add_option(
         "--fail-rate", api.fail_rate,
         "fraction 0-1 of authenticated requests answered 500 or 503 before anything else is "
         "done (they spend rate budget) (default 0)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--drop-rate", api.drop_rate,
                 "fraction 0-1 of creates that are committed and then lose their answer: the "
                 "connection is closed without any response (default 0)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--random-seed", api.random_seed,
                 "seed of the fault choices, for repeatable runs (default 1)");
}

}  // namespace

std::variant<Options, int> parse_options(int argc, const char* const* argv) {
  Options options;
  CLI::App app(k_description, "prospect-sandbox");
  app.add_option(
         "--seed-file", options.seed_file,
         "JSON seed (accounts, tokens, programs, groups, partner accounts) in the format of "
         "sandbox/default-seed.json; default: that file, built in")
      ->check(CLI::ExistingFile);
  add_server_options(app, options.server);
  add_api_options(app, options.api);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : k_usage_error;  // --help is 0
  }
  return options;
}

}  // namespace prospect_sandbox
