#pragma once
// The import of one file, read -> decode -> map headers -> validate ->
// (resolve groups) -> (send) -> record outcome -> report.

#include <spdlog/logger.h>

#include "prospect_import/exit_code.h"
#include "prospect_import/io.h"
#include "prospect_import/options.h"

namespace prospect_import {

// REQUIRES: options are complete and consistent (the CLI layer checked them).
ExitCode import_file(const Options& options, Io& io, spdlog::logger& log);

}  // namespace prospect_import
