#pragma once
// `prospect-import ledger sync|show|forget --program ID` (CLI.md):
//  - sync fills the ledger from the program's prospects listing (PageSize
//    1000: 50,000 prospects cost 50 requests); it adds and updates, never
//    prunes.
//  - show prints the program's entries (Email, Group ID, Prospect ID, Status,
//    Last seen; tab separated), or with --json an array of objects.
//  - forget drops the program's entries, or those of one --email.

#include <optional>
#include <string>

#include <spdlog/logger.h>

#include "prospect_import/error.h"
#include "prospect_import/exit_code.h"
#include "prospect_import/io.h"
#include "prospect_import/ledger.h"
#include "prospect_import/options.h"

namespace CLI {
class App;
}

namespace prospect_import {

enum class LedgerAction { sync, show, forget };

struct LedgerCommands {
  CLI::App* sync = nullptr;
  CLI::App* show = nullptr;
  CLI::App* forget = nullptr;
};

// forget's --email goes to options.forget_email. REQUIRES: options outlives app.
LedgerCommands add_ledger_commands(CLI::App& app, Options& options);
std::optional<LedgerAction> parsed_ledger_command(const LedgerCommands& commands);

ExitCode run_ledger_command(LedgerAction action, const Options& options, Io& io,
                            spdlog::logger& log);

}  // namespace prospect_import
