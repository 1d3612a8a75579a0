#pragma once
// The import of one file: read -> decode -> map headers -> validate ->
// (resolve groups) -> (send) -> record outcome -> report. Offline it is one
// pass that writes the report; online (online_import.h) a first pass checks
// every row and a second one sends.

#include <functional>
#include <memory>

#include <spdlog/logger.h>

#include "prospect_import/clock.h"
#include "prospect_import/credentials.h"
#include "prospect_import/exit_code.h"
#include "prospect_import/http.h"
#include "prospect_import/io.h"
#include "prospect_import/options.h"
#include "prospect_import/stop.h"
#include "prospect_import/summary.h"

namespace prospect_import {

// The outside world of an import, as seams (STYLE.md): the tool passes the
// real ones (import_file), unit tests fakes.
struct ImportEnv {
  Io& io;
  spdlog::logger& log;
  const Clock& clock;
  Sleeper& sleeper;
  const StopFlag& stop;
  int stop_wake_fd = -1;  // readable once a stop is asked (SignalScope::wake_fd()), or -1
  // Makes the HTTP client once the credentials are known (libcurl in the tool).
  std::function<std::unique_ptr<HttpClient>(const Credentials&)> make_http;
  // Set when the run committed its report: the summary it holds (--json prints it).
  std::optional<Summary> committed = std::nullopt;
};

// How an import ended: its exit code and, when it wrote a report, that report's summary.
struct ImportResult {
  ExitCode code = ExitCode::internal;
  std::optional<Summary> summary;
};

// The tool's import: signals handled, libcurl, the system clock.
// REQUIRES: options are complete and consistent (the CLI layer checked them).
ImportResult import_file(const Options& options, Io& io, spdlog::logger& log);

// The import with its world given. The one top-level handler: anything
// unexpected becomes exit 70, said as a bug, after the report of what was done.
ExitCode run_import(const Options& options, ImportEnv& env);

}  // namespace prospect_import
