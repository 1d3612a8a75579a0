#pragma once
// What a person wants next, said after a run's closing line: which rows
// matched existing partner accounts (the first few, for a dry run), the exact
// commands to re-import the rows that failed (exit 1), or to continue an
// import that stopped (--resume).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "prospect_import/exit_code.h"
#include "prospect_import/options.h"
#include "prospect_import/summary.h"

namespace prospect_import {

// The lines to say, in order; none when there is nothing to do.
std::vector<std::string> next_steps(const Options& options, const Summary& summary,
                                    const std::filesystem::path& report_dir, ExitCode code);

// A word as a POSIX shell reads it back: as is when it is safe, else in single quotes.
std::string shell_quote(std::string_view word);

}  // namespace prospect_import
