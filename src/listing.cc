#include "prospect_import/listing.h"

#include <nlohmann/json.hpp>
#include <ostream>

#include "prospect_import/curl_http.h"
#include "prospect_import/session.h"
#include "prospect_import/sleeper.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

// A tab or line break inside a value from the API would break the line format.
std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

// programs: `ID<TAB>Name` (what --program needs, and what it is); groups: one
// name a line (what --groups-file reads).
void print(Listing what, const std::vector<Group>& items, bool json, std::ostream& out) {
  if (!json) {
    for (const auto& g : items) {
      if (what == Listing::programs) out << one_line(g.id) << '\t';
      out << one_line(g.name) << "\n";
    }
    return;
  }
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const auto& g : items) array.push_back({{"Id", g.id}, {"Name", g.name}});
  out << array.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

ExitCode failed(spdlog::logger& log, const Error& f) {
  log.error("error: {}", f.message);
  return f.code;
}

}  // namespace

ExitCode print_listing(Listing what, const Options& options, Io& io, spdlog::logger& log) {
  std::string program = options.program ? std::string(trim(*options.program)) : "";
  if (what == Listing::groups && program.empty()) {
    return failed(log, {ExitCode::config,
                        "no program: pass --program ID or set IMPACT_PROGRAM_ID "
                        "(`prospect-import programs` lists them)"});
  }
  auto credentials = load_credentials(options, io);
  if (!credentials) return failed(log, credentials.error());
  ApiTarget target{options.api_base, credentials->account_sid, program};
  auto http =
      make_curl_client(CurlSettings{credentials->account_sid, credentials->token, options.cacert,
                                    options.timeout_s, "prospect-import/" PROSPECT_IMPORT_VERSION});
  Pacer pacer(budget_settings(options));
  SystemClock clock;
  SystemSleeper sleeper(nullptr, -1);
  Session session(*http, pacer, clock, sleeper, target, options.max_retries, log);
  auto items = what == Listing::programs ? session.list_programs() : session.list_groups();
  if (!items) return failed(log, items.error());
  print(what, *items, options.json, io.out);
  return ExitCode::ok;
}

}  // namespace prospect_import
