#include "prospect_import/command_help.h"

#include <CLI/CLI.hpp>
#include <sstream>

namespace prospect_import {
namespace {

// What each command takes from the main form's options (one table, so that a
// command's help and what it reads stay side by side). An option the binary
// does not have is left out.
struct CommandUse {
  const char* name;
  const char* usage;
  std::vector<const char*> options;
};

#define PI_API_OPTIONS                                                                          \
  "--account-sid", "--auth-token-file", "--api-base", "--cacert", "--timeout", "--max-retries", \
      "--max-rate", "--budget-share"

const CommandUse k_commands[] = {
    {"template", "template", {}},
    {"programs", "programs [--json]", {PI_API_OPTIONS, "--json", "-q", "-v"}},
    {"groups", "groups --program ID [--json]", {"--program", PI_API_OPTIONS, "--json", "-q", "-v"}},
    {"ledger",
     "ledger sync|show|forget --program ID",
     {"--program", "--ledger", PI_API_OPTIONS, "--json", "-q", "-v"}},
    {"ledger sync",
     "ledger sync --program ID",
     {"--program", "--ledger", PI_API_OPTIONS, "-q", "-v"}},
    {"ledger show", "ledger show --program ID [--json]", {"--program", "--ledger", "--json"}},
    {"ledger forget", "ledger forget --program ID [--email E]", {"--program", "--ledger"}},
    {"config",
     "config [--json]",
     {"--config", "--profile", "--json", "--program", "--account-sid", "--auth-token-file",
      "--api-base", "--concurrency", "--ledger", "--no-ledger", "--report-dir", "--strict-perms"}},
    {"help", "help [COMMAND]", {}},
};

#undef PI_API_OPTIONS

const CommandUse* find_use(const std::string& name) {
  for (const auto& c : k_commands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

void list_options(std::ostream& out, const CLI::App& app, const CLI::App& sub,
                  const CommandUse* use) {
  // The main help's formatter, so that the lines look the same.
  auto formatter_ptr = std::dynamic_pointer_cast<CLI::Formatter>(app.get_formatter());
  if (!formatter_ptr) formatter_ptr = std::make_shared<CLI::Formatter>();
  const CLI::Formatter& formatter = *formatter_ptr;
  std::ostringstream lines;
  if (use) {
    for (const char* name : use->options) {
      if (const CLI::Option* o = app.get_option_no_throw(name))
        lines << formatter.make_option(o, false);
    }
  }
  for (const CLI::Option* o : sub.get_options()) {
    if (o != sub.get_help_ptr()) lines << formatter.make_option(o, !o->nonpositional());
  }
  if (!lines.str().empty()) out << "\nOptions:\n" << lines.str();
}

void list_commands(std::ostream& out, const CLI::App& sub) {
  auto subs = sub.get_subcommands([](const CLI::App*) { return true; });
  if (subs.empty()) return;
  out << "\nCommands:\n";
  for (const CLI::App* s : subs)
    out << "  " << s->get_name() << "  " << s->get_description() << "\n";
}

// "ledger sync": the subcommand of a subcommand.
const CLI::App& find_command(const CLI::App& app, const std::string& command) {
  const auto space = command.find(' ');
  const CLI::App& sub = *app.get_subcommand(command.substr(0, space));
  if (space == std::string::npos) return sub;
  return *sub.get_subcommand(command.substr(space + 1));
}

}  // namespace

std::string command_help(const CLI::App& app, const std::string& command) {
  const CLI::App& sub = find_command(app, command);
  const CommandUse* use = find_use(command);
  std::ostringstream out;
  out << "Usage: prospect-import " << (use ? use->usage : command) << "\n\n"
      << sub.get_description() << "\n";
  list_commands(out, sub);
  list_options(out, app, sub, use);
  out << "\nThe other options, the environment and the exit codes: prospect-import --help\n";
  return out.str();
}

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(s->get_name());
  return names;
}

}  // namespace prospect_import
