#include "cli.h"

#include "options.h"
#include "state_file.h"

#include <pthread.h>
#include <csignal>
#include <iostream>
#include <thread>

namespace prospect_sandbox {
namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

Seed load_seed(const std::string& path) {
  return path.empty() ? default_seed() : parse_seed_text(read_text_file(path));
}

// Serves until SIGINT/SIGTERM. The signals are blocked in every thread and
// taken by sigwait here, so no handler and no global flag are needed.
int serve(SandboxServer& server, const sigset_t& signals) {
  std::cout << "listening on " << server.url() << std::endl;
  bool served = true;
  std::thread serving([&] {
    served = server.run();
    if (!served) kill(getpid(), SIGTERM);  // wake the sigwait below
  });
  int signal = 0;
  sigwait(&signals, &signal);
  server.stop();
  serving.join();
  if (!served) std::cerr << "prospect-sandbox: the server stopped unexpectedly\n";
  return served ? 0 : 1;
}

int run_with(const Options& options) {
  const sigset_t signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  const SteadyClock clock;
  Api api(load_seed(options.seed_file), options.api, clock);
  SandboxServer server(api, options.server);
  server.bind();
  const int code = serve(server, signals);
  if (!options.server.state_file.empty()) write_state_file(options.server.state_file, api.state());
  return code;
}

}  // namespace

int run(int argc, const char* const* argv) {
  auto parsed = parse_options(argc, argv);
  if (const int* code = std::get_if<int>(&parsed)) return *code;
  try {
    return run_with(std::get<Options>(parsed));
  } catch (const std::exception& e) {
    std::cerr << "prospect-sandbox: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace prospect_sandbox
