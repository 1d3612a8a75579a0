#pragma once
// `prospect-import programs` and `prospect-import groups --program ID`: one
// name a line in the API's order (what --groups-file reads), or with --json an
// array of {"Id", "Name"}.

#include <spdlog/logger.h>

#include "prospect_import/exit_code.h"
#include "prospect_import/io.h"
#include "prospect_import/options.h"

namespace prospect_import {

enum class Listing { programs, groups };

ExitCode print_listing(Listing what, const Options& options, Io& io, spdlog::logger& log);

}  // namespace prospect_import
