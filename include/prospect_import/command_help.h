#pragma once
// The help of one command (`prospect-import groups --help`, `prospect-import
// help groups`): its usage, what it does, the options it uses, and a pointer
// to the main help for everything else.

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace prospect_import {

// REQUIRES: `command` is a subcommand of `app`, or a subcommand's own one
// after a space ("ledger sync").
std::string command_help(const CLI::App& app, const std::string& command);

// The names of app's subcommands, in the order they were added.
std::vector<std::string> command_names(const CLI::App& app);

}  // namespace prospect_import
