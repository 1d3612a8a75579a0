#include "prospect_import/listing.h"

#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>

#include "prospect_import/curl_http.h"
#include "prospect_import/session.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

void print(const std::vector<Group>& items, bool json, std::ostream& out) {
  if (!json) {
    for (const auto& g : items) out << g.name << "\n";
    return;
  }
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const auto& g : items) array.push_back({{"Id", g.id}, {"Name", g.name}});
  out << array.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

ExitCode failed(spdlog::logger& log, const Failure& f) {
  log.error("error: {}", f.message);
  return f.code;
}

}  // namespace

ExitCode print_listing(Listing what, const Options& options, Io& io, spdlog::logger& log) {
  std::string program = options.program ? std::string(trim(*options.program)) : "";
  if (what == Listing::groups && program.empty()) {
    return failed(log, {ExitCode::config, "no program: pass --program ID or set IMPACT_PROGRAM_ID "
                                          "(`prospect-import programs` lists them)"});
  }
  Credentials credentials;
  if (auto f = load_credentials(options, io, credentials)) return failed(log, *f);
  ApiTarget target{options.api_base, credentials.account_sid, program};
  auto http = make_curl_client(CurlSettings{credentials.account_sid, credentials.token, options.cacert,
                                            options.timeout_s, "prospect-import/" PROSPECT_IMPORT_VERSION});
  Pacer pacer;
  SystemClock clock;
  Session session(*http, pacer, clock, [](Clock::Duration d) {
    if (d > Clock::Duration::zero()) std::this_thread::sleep_for(d);
  }, target, options.max_retries);
  std::vector<Group> items;
  auto failure = what == Listing::programs ? session.list_programs(items) : session.list_groups(items);
  if (failure) return failed(log, *failure);
  print(items, options.json, io.out);
  return ExitCode::ok;
}

}  // namespace prospect_import
