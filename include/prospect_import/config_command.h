#pragma once
// The command line of the config file (CLI.md): --config FILE, --profile NAME
// and --strict-perms on every form, and `prospect-import config [--json]`,
// which prints each effective setting and where it came from (flag,
// environment, config file and profile, default) on standard output. The
// token is only ever said to be set, and where from; never its value.

#include "prospect_import/exit_code.h"
#include "prospect_import/io.h"
#include "prospect_import/options.h"
#include "prospect_import/settings.h"

namespace CLI {
class App;
}

namespace prospect_import {

// REQUIRES: options outlives app.
void add_config_options(CLI::App& app, Options& options);
CLI::App* add_config_command(CLI::App& app);

// One line a setting, or with options.json one JSON object:
// {"api_base": {"value": ..., "source": "flag", "from": "--api-base"}, ...}.
ExitCode print_config(const Options& options, const SettingSources& sources, Io& io);

}  // namespace prospect_import
