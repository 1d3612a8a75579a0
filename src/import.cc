#include "prospect_import/import.h"

#include <exception>

#include "prospect_import/curl_http.h"
#include "prospect_import/offline_import.h"
#include "prospect_import/online_import.h"
#include "prospect_import/signals.h"
#include "prospect_import/sleeper.h"

namespace prospect_import {

ImportResult import_file(const Options& options, Io& io, spdlog::logger& log) {
  SystemClock clock;
  SignalScope signals;  // a signal stops the run cleanly (offline: nothing written)
  const StopFlag& stop = signals.flag();
  int wake_fd = signals.wake_fd();
  SystemSleeper sleeper(&stop, wake_fd);
  ImportEnv env{io, log, clock, sleeper, stop, wake_fd, [&options](const Credentials& c) {
                  return make_curl_client(CurlSettings{c.account_sid, c.token, options.cacert,
                                                       options.timeout_s,
                                                       "prospect-import/" PROSPECT_IMPORT_VERSION});
                }};
  ExitCode code = run_import(options, env);
  return ImportResult{code, std::move(env.committed)};
}

ExitCode run_import(const Options& options, ImportEnv& env) {
  try {
    return options.offline ? run_offline(options, env) : run_online(options, env);
  } catch (const std::exception& e) {
    env.log.error("error: an internal error (a bug; please report it): {}", e.what());
  } catch (...) {
    env.log.error("error: an internal error (a bug; please report it): an unknown exception");
  }
  return ExitCode::internal;
}

}  // namespace prospect_import
