#include "prospect_import/ledger_command.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "prospect_import/curl_http.h"
#include "prospect_import/prospect_listing.h"
#include "prospect_import/session.h"
#include "prospect_import/sleeper.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr const char* k_uses = "; uses --program, --account-sid, --api-base, --ledger";

ExitCode failed(spdlog::logger& log, const Error& e) {
  log.error("error: {}", e.message);
  return e.code;
}

bool given(const std::optional<std::string>& v) { return v && !trim(*v).empty(); }

// The scope the options name, or why they do not name one (78).
Result<LedgerScope> scope_of(const Options& o) {
  if (!given(o.program)) {
    return Error{ExitCode::config,
                 "no program: pass --program ID or set IMPACT_PROGRAM_ID "
                 "(`prospect-import programs` lists them)"};
  }
  if (!given(o.account_sid)) {
    return Error{ExitCode::config,
                 "no account SID: pass --account-sid SID or set IMPACT_ACCOUNT_SID"};
  }
  return ledger_scope(o.api_base, *o.account_sid, *o.program);
}

Result<std::unique_ptr<Ledger>> open_for(LedgerAction action, const Options& o) {
  if (o.no_ledger || !o.ledger) {
    return Error{ExitCode::config,
                 "no ledger: pass --ledger PATH, or set PROSPECT_IMPORT_LEDGER, "
                 "XDG_STATE_HOME or HOME"};
  }
  return Ledger::open(
      *o.ledger, action == LedgerAction::show ? LedgerAccess::read_only : LedgerAccess::read_write);
}

// Every page of the program's prospects into the ledger, a transaction a page.
ExitCode sync(const Options& o, Ledger& ledger, const LedgerScope& scope, Io& io,
              spdlog::logger& log) {
  auto credentials = load_credentials(o, io);
  if (!credentials) return failed(log, credentials.error());
  ApiTarget target{o.api_base, credentials->account_sid, scope.program};
  auto http =
      make_curl_client(CurlSettings{credentials->account_sid, credentials->token, o.cacert,
                                    o.timeout_s, "prospect-import/" PROSPECT_IMPORT_VERSION});
  Pacer pacer(budget_settings(o));
  SystemClock clock;
  SystemSleeper sleeper(nullptr, -1);
  Session session(*http, pacer, clock, sleeper, target, o.max_retries, log);
  std::uint64_t listed = 0;
  auto status = for_each_prospect_page(session, target, [&](const std::vector<LedgerEntry>& page) {
    listed += page.size();
    return ledger.put(scope, page);
  });
  if (!status) return failed(log, status.error());
  log.info("program {} lists {} prospects ({} requests): the ledger {} knows them", scope.program,
           listed, session.requests(), ledger.path().string());
  return ExitCode::ok;
}

void print(const std::vector<LedgerEntry>& entries, bool json, std::ostream& out) {
  if (!json) {
    for (const auto& e : entries) {
      out << e.email << '\t' << e.group_id << '\t' << e.prospect_id << '\t' << e.status << '\t'
          << e.last_seen << '\n';
    }
    return;
  }
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const auto& e : entries) {
    array.push_back({{"Email", e.email},
                     {"GroupId", e.group_id},
                     {"ProspectId", e.prospect_id},
                     {"MatchedPartnerId", e.matched_partner_id},
                     {"MatchedPartnerName", e.matched_partner_name},
                     {"Status", e.status},
                     {"FirstSeen", e.first_seen},
                     {"LastSeen", e.last_seen},
                     {"File", e.file},
                     {"Row", e.row},
                     {"Import", e.import_id}});
  }
  out << array.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace

LedgerCommands add_ledger_commands(CLI::App& app, Options& options) {
  LedgerCommands c;
  CLI::App* ledger =
      app.add_subcommand("ledger", "the ledger of prospects known to exist: sync, show, forget");
  ledger->require_subcommand(1);
  c.sync = ledger->add_subcommand(
      "sync", std::string("fill the ledger from the program's prospects listing "
                          "(adds and updates, never drops); uses IMPACT_AUTH_TOKEN "
                          "or --auth-token-file too") +
                  k_uses);
  c.show = ledger->add_subcommand(
      "show", std::string("print the program's entries: email, group ID, prospect "
                          "ID, status, last seen (--json: objects)") +
                  k_uses);
  c.forget = ledger->add_subcommand(
      "forget", std::string("drop the program's entries, or those of --email") + k_uses);
  c.forget
      ->add_option("--email", options.forget_email,
                   "only the entries of this Contact Email (any case, any group)")
      ->type_name("E");
  return c;
}

std::optional<LedgerAction> parsed_ledger_command(const LedgerCommands& c) {
  if (c.sync && c.sync->parsed()) return LedgerAction::sync;
  if (c.show && c.show->parsed()) return LedgerAction::show;
  if (c.forget && c.forget->parsed()) return LedgerAction::forget;
  return std::nullopt;
}

ExitCode run_ledger_command(LedgerAction action, const Options& options, Io& io,
                            spdlog::logger& log) {
  auto scope = scope_of(options);
  if (!scope) return failed(log, scope.error());
  auto ledger = open_for(action, options);
  if (!ledger) return failed(log, ledger.error());
  if (action == LedgerAction::sync) return sync(options, **ledger, *scope, io, log);
  if (action == LedgerAction::show) {
    auto entries = (*ledger)->list(*scope);
    if (!entries) return failed(log, entries.error());
    print(*entries, options.json, io.out);
    return ExitCode::ok;
  }
  auto dropped = (*ledger)->forget(*scope, options.forget_email);
  if (!dropped) return failed(log, dropped.error());
  log.info("{} entries of program {} dropped from the ledger {}", *dropped, scope->program,
           (*ledger)->path().string());
  return ExitCode::ok;
}

}  // namespace prospect_import
