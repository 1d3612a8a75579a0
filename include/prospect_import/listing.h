#pragma once
// `prospect-import programs` (`ID<TAB>Name` a line) and `prospect-import
// groups --program ID` (one name a line: what --groups-file reads), in the
// API's order; with --json an array of {"Id", "Name"}. A tab or line break in
// a value is printed as a space.

#include <spdlog/logger.h>

#include "prospect_import/exit_code.h"
#include "prospect_import/io.h"
#include "prospect_import/options.h"

namespace prospect_import {

enum class Listing { programs, groups };

ExitCode print_listing(Listing what, const Options& options, Io& io, spdlog::logger& log);

}  // namespace prospect_import
