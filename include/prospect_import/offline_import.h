#pragma once
// --offline: one pass over the input, no network. Every row is checked (Group
// Name against --groups-file when given) and written to the report as `valid`
// or with its problems.

#include "prospect_import/import.h"

namespace prospect_import {

ExitCode run_offline(const Options& options, ImportEnv& env);

}  // namespace prospect_import
