#include "prospect_import/cli.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "prospect_import/api_base.h"
#include "prospect_import/arg_check.h"
#include "prospect_import/command_help.h"
#include "prospect_import/config_command.h"
#include "prospect_import/encoding.h"
#include "prospect_import/error.h"
#include "prospect_import/exit_code.h"
#include "prospect_import/hardening.h"
#include "prospect_import/import.h"
#include "prospect_import/import_ledger.h"
#include "prospect_import/ledger_command.h"
#include "prospect_import/listing.h"
#include "prospect_import/options.h"
#include "prospect_import/run_log.h"
#include "prospect_import/settings.h"
#include "prospect_import/template.h"

namespace prospect_import {
namespace {

constexpr const char* k_description =
    "prospect-import " PROSPECT_IMPORT_VERSION
    ": bulk-import prospective partners from a CSV file or an .xlsx workbook into an "
    "impact.com program.\n\n"
    "The file uses the columns of the import template (`prospect-import template` prints "
    "them): Partner Name, Contact Email and Media Property are required; Group Name, "
    "Contact First Name, Contact Last Name, Description and Partner ID are optional. The "
    "Japanese headers of the localised template work too. Every row is checked first "
    "(required values, real email addresses, http(s) URLs, groups that exist, duplicates); "
    "valid rows are then sent to the program and a report is written: success.csv, "
    "errors.csv (fix it and import it again) and summary.json.";

constexpr const char* k_footer = R"(Environment:
  IMPACT_ACCOUNT_SID   the account SID (--account-sid beats it)
  IMPACT_AUTH_TOKEN    the auth token (or --auth-token-file); never pass it as a flag
  IMPACT_AUTH_TOKEN_FILE  the file whose first line is the token (--auth-token-file beats it)
  IMPACT_PROGRAM_ID    the program (--program beats it)
  IMPACT_API_BASE      the API's base URL (--api-base beats it)
  PROSPECT_IMPORT_LEDGER  the ledger (--ledger beats it; default
                       $XDG_STATE_HOME/prospect-import/ledger.db, else ~/.local/state/...)
  PROSPECT_IMPORT_CONFIG  the config file (--config beats it; default
                       $XDG_CONFIG_HOME/prospect-import/config.toml, else ~/.config/...)
  IMPACT_PROFILE       the config file's profile (--profile beats it)
A flag beats its variable, which beats the config file (`prospect-import config`
shows where each setting comes from; `man prospect-import` describes the file).

Examples:
  prospect-import template > prospects.csv          start a file from the template
  prospect-import --offline prospects.csv           check every row, no account needed
  prospect-import --offline --groups-file groups.txt prospects.csv
                                                    ... and check Group Name too
  prospect-import groups --program 1001 > groups.txt
  prospect-import --program 1001 --dry-run prospects.csv
                                                    check against the API, create nothing
  prospect-import --program 1001 prospects.csv      import
  prospect-import --program 1001 --resume prospects.csv
                                                    continue an interrupted import
  prospect-import ledger sync --program 1001        learn what the program already has,
                                                    so that no import sends it again
  iconv -f cp932 -t utf-8 old.csv | prospect-import --offline -
  prospect-import --offline --sheet Prospects workbook.xlsx
  prospect-import --program 1001 --map "Partner Name=Company,Contact Email=Email" crm.csv

Exit codes: 0 all rows succeeded; 1 some rows did not (see errors.csv); 2 wrong
command line; 65 the file cannot be used (missing column, undecodable, not CSV);
66 the file cannot be read; 69 the API cannot be reached; 73 the report folder
cannot be written or holds an unfinished import; 74 I/O error; 77 credentials
refused; 78 configuration missing or wrong; 130/143 stopped by SIGINT/SIGTERM.)";

// --- how a run ends: --json on every exit, -q's one line (issue 8, section 5) ---
// What the end of a run needs to know, whatever ended it.
struct Ending {
  std::optional<std::string> error;  // the first error said
  std::optional<Summary> summary;    // of the report the run wrote
};

// After a command that logged: its first error, and -q's one line when it said none.
int end_command(int code, const Options& o, RunLog& log, Ending& ending) {
  ending.error = log.first_error();
  if (o.verbosity < 0) {
    if (auto line =
            quiet_failure_line(code, ending.error.has_value(), ending.summary, o.report_dir)) {
      log.log().error("{}", *line);
    }
  }
  return code;
}
// --- end of how a run ends ---

struct Commands {
  CLI::App* template_cmd;
  CLI::App* programs_cmd;
  CLI::App* groups_cmd;
  LedgerCommands ledger;
  CLI::App* config_cmd;
};

// 500M, 4G, 2GiB (powers of 1024), said by the option's own help.
CLI::Validator size_value() {
  CLI::Validator v = CLI::AsSizeValue(false);
  v.description("");
  return v;
}

void add_ledger_options(CLI::App& app, Options& o) {
  auto* path =
      app.add_option("--ledger", o.ledger,
                     "the ledger of prospects known to exist: a valid row it knows is not sent "
                     "(Status known) [env PROSPECT_IMPORT_LEDGER, default "
                     "$XDG_STATE_HOME/prospect-import/ledger.db, else ~/.local/state/...]")
          ->type_name("PATH")
          ->group("What to do");
  app.add_flag("--no-ledger", o.no_ledger, "neither read nor write the ledger")
      ->excludes(path)
      ->group("What to do");
  app.add_flag("--recheck", o.recheck, "send the rows the ledger knows anyway (and update it)")
      ->group("What to do");
}

// --- budget (issue 8 §2) ---
void add_budget_options(CLI::App& app, Options& o) {
  app.add_option("--max-rate", o.max_rate,
                 "send at most N requests an hour (every request of the run, listings too), "
                 "evenly spaced")
      ->type_name("N")
      ->group("Network");
  app.add_option("--budget-share", o.budget_share,
                 "spend at most P % of the account's rate limit (X-RateLimit-Limit) in each of "
                 "its windows, leaving the rest to other integrations (default 100, 1-100)")
      ->type_name("P")
      ->group("Network");
}

std::optional<std::string> check_budget_options(const Options& o) {
  if (o.budget_share < 1 || o.budget_share > 100) return "--budget-share must be between 1 and 100";
  if (o.max_rate && (*o.max_rate < 1 || *o.max_rate > 1'000'000'000))
    return "--max-rate must be between 1 and 1000000000 (requests an hour)";
  return std::nullopt;
}
// --- end budget ---
// --- reports kept, runs discarded (issue 8, section 4) ---
void add_report_options(CLI::App& app, Options& o, CLI::Option* resume) {
  app.add_flag("--restart", o.restart,
               "discard an unfinished import in the report folder (its journal and report go to "
               "history/) and start afresh")
      ->excludes(resume)
      ->group("What to do");
  app.add_flag("--strict", o.strict,
               "send nothing when any row is invalid (exit 1): all rows or none, decided before "
               "the first row is sent")
      ->group("What to do");
  app.add_option("--keep-reports", o.keep_reports,
                 "finished reports kept in history/ in the report folder (default 30; 0 keeps "
                 "none)")
      ->type_name("N")
      ->group("Report");
}
// --- end of section 4 ---

void add_main_options(CLI::App& app, Options& o) {
  app.add_option("FILE", o.file, "the CSV file to import; - reads standard input")->type_name("");
  app.add_option("--program", o.program,
                 "the program (campaign) ID to add prospects to [env IMPACT_PROGRAM_ID]")
      ->type_name("ID")
      ->group("Account");
  app.add_option("--account-sid", o.account_sid,
                 "the account SID (the API's user name) [env IMPACT_ACCOUNT_SID]")
      ->type_name("SID")
      ->group("Account");
  app.add_option("--auth-token-file", o.auth_token_file,
                 "read the auth token from the first line of this file instead of "
                 "IMPACT_AUTH_TOKEN (a token never goes on the command line) [env "
                 "IMPACT_AUTH_TOKEN_FILE]")
      ->type_name("PATH")
      ->group("Account");
  app.add_option("--api-base", o.api_base,
                 "the API's base URL [env IMPACT_API_BASE, default https://api.impact.com]")
      ->type_name("URL")
      ->group("Account");
  app.add_option("--cacert", o.cacert,
                 "trust this CA bundle for TLS (certificate checks are never switched off)")
      ->type_name("FILE")
      ->group("Account");
  app.add_flag("--dry-run", o.dry_run,
               "validate everything and ask the API to dry-run each valid row: shows which rows "
               "match an existing impact.com partner, creates nothing")
      ->group("What to do");
  app.add_flag("--offline", o.offline,
               "no network at all: check the file locally only (implies --dry-run)")
      ->group("What to do");
  auto* resume =
      app.add_flag(
             "--resume", o.resume,
             "continue an interrupted import of the same file from the journal in the report "
             "folder; with no journal it is an ordinary first run, so cron can always pass it")
          ->group("What to do");
  add_ledger_options(app, o);
  add_report_options(app, o, resume);
  app.add_option("--groups-file", o.groups_file,
                 "with --offline: the program's group names, one a line (as `prospect-import "
                 "groups` prints them), so that Group Name is checked too")
      ->type_name("PATH")
      ->group("What to do");
  app.add_option("--encoding", o.encoding,
                 "auto (default: a byte order mark decides, else UTF-8 if valid, else the "
                 "evidence among CP932, EUC-JP, Windows-1252 and Windows-1250; too little: "
                 "exit 65 names two), utf-8, shift_jis, euc-jp, windows-1252, windows-1250, "
                 "utf-16, or any name iconv knows")
      ->type_name("NAME")
      ->group("Input");
  app.add_option("--delimiter", o.delimiter,
                 "auto (default: the one of , ; and tab the header uses most), ',', ';' or tab")
      ->type_name("C")
      ->group("Input");
  app.add_option("--sheet", o.sheet,
                 "the sheet of an .xlsx workbook to read (default the first); an .xlsx is "
                 "told by its content, whatever its name")
      ->type_name("NAME")
      ->group("Input");
  app.add_option("--map", o.map,
                 "read template columns from columns of other names, e.g. \"Partner "
                 "Name=Company,Contact Email=Email,Media Property=Website\" (a CRM export's)")
      ->expected(1)
      ->type_name("\"TEMPLATE=THEIRS,...\"")
      ->group("Input");
  app.add_option("--map-file", o.map_file,
                 "the same map from a file: one Template Column=Their Column a line, # comments")
      ->type_name("FILE")
      ->group("Input");
  app.add_option(
         "--max-input-size", o.max_input_size,
         "the most that standard input or a pipe may hold, e.g. 500M or 4G (default 2G); an "
         "online run keeps a copy in the report folder to read it twice")
      ->transform(size_value())
      ->type_name("SIZE")
      ->group("Input");
  app.add_option("--report-dir", o.report_dir,
                 "where the report goes (default prospect-import-report)")
      ->type_name("DIR")
      ->group("Report");
  app.add_flag("--json", o.json,
               "print the summary (as in summary.json) on standard output; on every exit, at "
               "least {\"exit_code\", \"error\"}")
      ->group("Report");
  app.add_option("--concurrency", o.concurrency, "requests in flight at once (default 4, 1-64)")
      ->type_name("N")
      ->group("Network");
  app.add_option("--max-retries", o.max_retries,
                 "retries of one row after a transient failure (default 5); waits for a rate "
                 "limit do not count")
      ->type_name("N")
      ->group("Network");
  app.add_option("--timeout", o.timeout_s, "seconds one request may take (default 30, at least 1)")
      ->type_name("S")
      ->group("Network");
  add_budget_options(app, o);
  app.add_option_function<std::string>(
         "--progress",
         [&o](const std::string& v) {
           auto mode = parse_progress_mode(v);
           if (!mode) throw CLI::ValidationError("--progress", v + " is not auto, always or never");
           o.progress = *mode;
         },
         "the progress line: auto (default: on a terminal), always (in a log too: a timestamped "
         "line "
         "every 30 s), never")
      ->type_name("WHEN")
      ->group("Report");
  app.add_flag_callback(
      "-q,--quiet", [&o] { o.verbosity = -1; }, "only warnings and errors on standard error");
  app.add_flag_callback(
      "-v,--verbose", [&o] { o.verbosity = 1; }, "more detail on standard error");
}

Commands add_commands(CLI::App& app, Options& o) {
  Commands c{};
  c.template_cmd = app.add_subcommand("template", "print the header row of the import template");
  // What each uses is in its own --help (command_help.cc).
  c.programs_cmd = app.add_subcommand(
      "programs", "list the account's programs, ID<TAB>Name a line (--json: Id and Name)");
  c.groups_cmd = app.add_subcommand(
      "groups",
      "list a program's partner groups, one name a line, which is what --groups-file "
      "reads (--json: Id and Name)");
  c.ledger = add_ledger_commands(app, o);
  c.config_cmd = add_config_command(app);
  app.add_subcommand("help", "the help of a command: prospect-import help groups")
      ->add_option("COMMAND", "the command")
      ->type_name("");
  return c;
}

// Every option of the app and its commands (theirs too), as the argument scan knows them.
void add_known_options(const CLI::App& app, std::vector<KnownOption>& known) {
  for (const CLI::Option* o : app.get_options()) {
    if (!o->nonpositional()) continue;
    const bool takes_value = o->get_items_expected_max() > 0;
    for (const auto& n : o->get_lnames()) known.push_back({"--" + n, takes_value});
    for (const auto& n : o->get_snames()) known.push_back({"-" + n, takes_value});
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    add_known_options(*sub, known);
}

std::vector<KnownOption> known_options(const CLI::App& app) {
  std::vector<KnownOption> known;
  add_known_options(app, known);
  return known;
}

int usage_error(Io& io, const std::string& message, Ending& ending);

std::string listed(const std::vector<std::string>& names) {
  std::string all;
  for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
  return all;
}

// A command that has commands of its own (ledger) and the word after it: the
// nested command ("ledger sync"), the command alone when no word follows, or
// an error naming the mistyped word (`ledger snyc`: did you mean sync?).
Result<std::string> nested_command(const CLI::App& app, const std::string& command,
                                   const std::vector<std::string>& words) {
  const auto names = command_names(*app.get_subcommand(command));
  if (names.empty() || words.empty()) return command;
  const std::string& word = words.front();
  if (std::find(names.begin(), names.end(), word) != names.end()) return command + " " + word;
  const auto near = nearest_name(word, names);
  return Error{ExitCode::usage, "unknown " + command + " command " + word +
                                    (near ? "; did you mean " + *near + "?"
                                          : "; the " + command + " commands: " + listed(names))};
}

// `help`, `help COMMAND`, `COMMAND --help` (and of a nested command: `help
// ledger sync`, `ledger sync --help`); nullopt when the scan asks for none of them.
std::optional<int> print_help(const CLI::App& app, const ArgScan& scan, Io& io, Ending& ending) {
  if (scan.command == "help" && !scan.command_args.empty()) {
    const std::string& topic = scan.command_args.front();
    const auto names = command_names(app);
    if (std::find(names.begin(), names.end(), topic) == names.end()) {
      const std::string message = "unknown command " + topic + did_you_mean(topic, names);
      io.err << "prospect-import: " << message << "\nThe commands: " << listed(names) << ".\n";
      ending.error = message;
      return to_int(ExitCode::usage);
    }
    const std::vector<std::string> rest(scan.command_args.begin() + 1, scan.command_args.end());
    auto nested = nested_command(app, topic, rest);
    if (!nested) return usage_error(io, nested.error().message, ending);
    io.out << command_help(app, *nested);
    return to_int(ExitCode::ok);
  }
  if (scan.command == "help") {
    io.out << app.help();
    return to_int(ExitCode::ok);
  }
  if (scan.wants_help && !scan.command.empty()) {
    auto nested = nested_command(app, scan.command, scan.command_args);
    if (!nested) return usage_error(io, nested.error().message, ending);
    io.out << command_help(app, *nested);
    return to_int(ExitCode::ok);
  }
  return std::nullopt;
}

bool is_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

// Flag > environment > config file > default (settings.h); nullopt, or the
// exit code of a config file that is wrong.
std::optional<int> fill_settings(Options& o, const CLI::App& app, Io& io, SettingSources& sources,
                                 Ending& ending) {
  auto given = [&app](const std::string& flag) { return app.count(flag) > 0; };
  auto resolved = resolve_settings(o, given, io.getenv, io.err);
  if (!resolved) {
    io.err << "error: " << resolved.error().message << "\n";
    ending.error = resolved.error().message;
    return to_int(resolved.error().code);
  }
  sources = std::move(*resolved);
  return std::nullopt;
}

// Checks the values CLI11 cannot; returns the message of the first wrong one.
std::optional<std::string> check_options(const Options& o) {
  if (!parse_encoding(o.encoding)) {
    return "--encoding " + o.encoding +
           ": unknown encoding (try auto, utf-8, shift_jis, euc-jp, windows-1252, windows-1250 "
           "or utf-16)";
  }
  static const char* k_delimiters[] = {"auto", ",", ";", "tab", "\\t", "\t"};
  if (std::find(std::begin(k_delimiters), std::end(k_delimiters), o.delimiter) ==
      std::end(k_delimiters)) {
    return "--delimiter " + o.delimiter + ": use auto, ',', ';' or tab";
  }
  if (auto problem = check_api_base(o.api_base)) return problem;
  if (o.max_input_size == 0) return "--max-input-size must be more than 0";
  if (o.concurrency < 1 || o.concurrency > 64) return "--concurrency must be between 1 and 64";
  if (o.max_retries < 0 || o.max_retries > 100) return "--max-retries must be between 0 and 100";
  // Below a second libcurl's millisecond time-out rounds to 0, which means none at all.
  if (!(o.timeout_s >= 1 && o.timeout_s <= 3600))
    return "--timeout must be between 1 and 3600 seconds";
  if (o.keep_reports < 0 || o.keep_reports > 100000)
    return "--keep-reports must be between 0 and 100000";
  return check_budget_options(o);
}

int usage_error(Io& io, const std::string& message, Ending& ending) {
  io.err << "prospect-import: " << message << "\nRun 'prospect-import --help' for the options.\n";
  ending.error = message;
  return to_int(ExitCode::usage);
}

int run_main_form(Options& o, Io& io, Ending& ending) {
  if (o.file.empty())
    return usage_error(io, "no FILE given: name the CSV to import (- for standard input)", ending);
  if (o.offline) o.dry_run = true;
  RunLog log(io.err, o.verbosity, io.err_is_terminal);
  ImportResult result = import_file(o, io, log.log());
  ending.summary = std::move(result.summary);
  return end_command(to_int(result.code), o, log, ending);
}

int run_command(const std::vector<std::string>& args, Io& io, Ending& ending) {
  // First of all: a core dump written later would hold the token.
  if (auto failed = disable_core_dumps()) {
    io.err << "prospect-import: warning: core dumps stay possible: " << *failed << "\n";
  }
  Options o;
  o.args = args;
  CLI::App app{k_description, "prospect-import"};
  app.footer(k_footer);
  app.set_version_flag("--version", "prospect-import " PROSPECT_IMPORT_VERSION);
  app.fallthrough();
  app.require_subcommand(0, 1);
  app.get_formatter()->column_width(34);
  add_main_options(app, o);
  add_config_options(app, o);
  Commands commands = add_commands(app, o);
  const ArgScan scan = scan_arguments(args, known_options(app), command_names(app), is_file);
  if (scan.problem) return usage_error(io, *scan.problem, ending);
  if (auto code = print_help(app, scan, io, ending)) return *code;
  if (!scan.command.empty() && scan.command != "help") {
    if (auto nested = nested_command(app, scan.command, scan.command_args); !nested)
      return usage_error(io, nested.error().message, ending);
  }
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    io.out << app.help();
    return to_int(ExitCode::ok);
  } catch (const CLI::CallForAllHelp&) {
    io.out << app.help("", CLI::AppFormatMode::All);
    return to_int(ExitCode::ok);
  } catch (const CLI::CallForVersion&) {
    io.out << "prospect-import " PROSPECT_IMPORT_VERSION "\n";
    return to_int(ExitCode::ok);
  } catch (const CLI::ParseError& e) {
    return usage_error(io, e.what(), ending);
  }
  // The template needs no settings: a broken config file does not keep a user
  // from starting a file.
  if (commands.template_cmd->parsed()) {
    io.out << template_header_line() << "\n";
    return to_int(ExitCode::ok);
  }
  SettingSources sources;
  if (auto code = fill_settings(o, app, io, sources, ending)) return *code;
  if (auto problem = check_options(o)) return usage_error(io, *problem, ending);
  if (commands.programs_cmd->parsed() || commands.groups_cmd->parsed()) {
    RunLog log(io.err, o.verbosity, io.err_is_terminal);
    auto which = commands.programs_cmd->parsed() ? Listing::programs : Listing::groups;
    return end_command(to_int(print_listing(which, o, io, log.log())), o, log, ending);
  }
  if (commands.config_cmd->parsed()) return to_int(print_config(o, sources, io));
  if (auto which = parsed_ledger_command(commands.ledger)) {
    RunLog log(io.err, o.verbosity, io.err_is_terminal);
    return end_command(to_int(run_ledger_command(*which, o, io, log.log())), o, log, ending);
  }
  return run_main_form(o, io, ending);
}

}  // namespace

int run(const std::vector<std::string>& args, Io& io) {
  Ending ending;
  int code = run_command(args, io, ending);
  // --json: one object on every exit; a listing that succeeded printed its own.
  if (wants_json(args) && (code != 0 || ending.summary)) {
    io.out << exit_json(code, ending.error, ending.summary)
                  .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
           << "\n";
  }
  return code;
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  Io io{std::cin,
        std::cout,
        std::cerr,
        [](const std::string& name) -> std::optional<std::string> {
          const char* v = std::getenv(name.c_str());
          return v ? std::optional<std::string>(v) : std::nullopt;
        },
        ::isatty(STDERR_FILENO) == 1,
        [] {
          winsize size{};
          bool known = ::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0;
          return known ? std::optional<std::size_t>(size.ws_col) : std::nullopt;
        }};
  std::ios::sync_with_stdio(false);
  return run(args, io);
}

}  // namespace prospect_import
