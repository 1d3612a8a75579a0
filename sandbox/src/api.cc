#include "api.h"

#include "basic_auth.h"
#include "paging.h"
#include "partner_match.h"
#include "utf8.h"
#include "validation.h"

#include <algorithm>

namespace prospect_sandbox {

struct Api::Caller {
  Route route;
  const Account* account = nullptr;
  std::string token;
  RateStatus rate;
};

namespace {

const std::string k_form_type = "application/x-www-form-urlencoded";

void add_rate_headers(Response& response, const RateStatus& rate) {
  response.headers.emplace_back("X-RateLimit-Limit", std::to_string(rate.limit));
  response.headers.emplace_back("X-RateLimit-Remaining", std::to_string(rate.remaining));
  response.headers.emplace_back("X-RateLimit-Reset", std::to_string(rate.reset_seconds));
}

Response json_response(int status, const OrderedJson& body, const RateStatus& rate) {
  Response response{
      status, {{"Content-Type", "application/json; charset=utf-8"}}, to_text(body), false};
  add_rate_headers(response, rate);
  return response;
}

Response error(int status, const std::string& message, const RateStatus& rate,
               const std::vector<FieldError>& errors = {}) {
  return json_response(status, error_envelope(message, errors), rate);
}

Response method_not_allowed(const RateStatus& rate, const char* allow) {
  Response response = error(405, "Method Not Allowed", rate);
  response.headers.emplace_back("Allow", allow);
  return response;
}

bool is_form_content_type(const std::string& header) {
  std::string type = ascii_lower(header.substr(0, header.find(';')));
  const auto not_space = [](char c) { return c != ' ' && c != '\t'; };
  type.erase(std::find_if(type.rbegin(), type.rend(), not_space).base(), type.end());
  type.erase(type.begin(), std::find_if(type.begin(), type.end(), not_space));
  return type == k_form_type;
}

bool has_token(const Account& account, const std::string& token) {
  return std::find(account.tokens.begin(), account.tokens.end(), token) != account.tokens.end();
}

OrderedJson id_name_list(const auto& items) {
  OrderedJson list = OrderedJson::array();
  for (const auto& item : items) list.push_back({{"Id", item.id}, {"Name", item.name}});
  return list;
}

}  // namespace

Api::Api(Seed seed, const ApiOptions& options, const Clock& clock)
    : m_seed(std::move(seed)),
      m_limiter(options.rate_limit, options.window, clock),
      m_faults(options.fail_rate, options.drop_rate, options.random_seed) {}

Response Api::handle(const Request& request) {
  const std::lock_guard lock(m_mutex);
  Response response = answer(request);
  m_counters.record(response.status);
  return response;
}

OrderedJson Api::state() const {
  const std::lock_guard lock(m_mutex);
  OrderedJson prospects = OrderedJson::array();
  for (const Prospect& prospect : m_prospects.all()) prospects.push_back(state_json(prospect));
  return {{"prospects", prospects},
          {"counters", counters_json(m_counters)},
          {"rate_windows", m_limiter.windows_json()}};
}

// Credentials first: a 401 spends no budget. Every later answer, injected
// faults included, spends one request of the authenticated account.
Response Api::answer(const Request& request) {
  Caller caller{parse_route(request.path), nullptr, "", {}};
  const auto credentials = parse_basic_auth(header_value(request.headers, "Authorization"));
  const Account* account = credentials ? find_account(m_seed, credentials->account_sid) : nullptr;
  if (!account || !has_token(*account, credentials->token)) {
    return error(401, "Unauthorized: invalid Account SID or Auth Token",
                 m_limiter.peek(caller.route.account_sid));
  }
  caller.account = account;
  caller.token = credentials->token;
  caller.rate = m_limiter.spend(account->sid, header_value(request.headers, "User-Agent"));
  if (const auto status = m_faults.injected_status()) {
    ++m_counters.injected_faults;
    return error(*status, *status == 500 ? "Internal Server Error" : "Service Unavailable",
                 caller.rate);
  }
  return checked_answer(request, caller);
}

Response Api::checked_answer(const Request& request, const Caller& caller) {
  const Route& route = caller.route;
  if (route.endpoint != Endpoint::unknown && route.account_sid != caller.account->sid) {
    return error(403, "Forbidden: the account in the path is not the authenticated account",
                 caller.rate);
  }
  if (!caller.rate.allowed)
    return error(429, "Too Many Requests: the rate limit is spent", caller.rate);
  if (route.endpoint == Endpoint::unknown) return error(404, "Not Found", caller.rate);
  if (route.endpoint == Endpoint::programs) {
    return request.method == "GET" ? list_programs(request, caller)
                                   : method_not_allowed(caller.rate, "GET");
  }
  const Program* program = find_program(*caller.account, route.program_id);
  if (!program)
    return error(404, "Not Found: no program " + route.program_id + " for this account",
                 caller.rate);
  if (!token_may_use(*program, caller.token)) {
    return error(403, "Forbidden: this token may not use program " + program->id, caller.rate);
  }
  return program_answer(request, caller, *program);
}

Response Api::program_answer(const Request& request, const Caller& caller, const Program& program) {
  if (caller.route.endpoint == Endpoint::groups) {
    return request.method == "GET" ? list_groups(request, caller, program)
                                   : method_not_allowed(caller.rate, "GET");
  }
  if (request.method == "GET") return list_prospects(request, caller, program);
  if (request.method == "POST") return create_prospect(request, caller, program);
  return method_not_allowed(caller.rate, "GET, POST");
}

Response Api::list_programs(const Request& request, const Caller& caller) {
  return page_answer(request, caller, id_name_list(caller.account->programs), "Campaigns");
}

Response Api::list_groups(const Request& request, const Caller& caller, const Program& program) {
  return page_answer(request, caller, id_name_list(program.groups), "Groups");
}

Response Api::list_prospects(const Request& request, const Caller& caller, const Program& program) {
  OrderedJson items = OrderedJson::array();
  for (const Prospect* prospect : m_prospects.of_program(caller.account->sid, program.id)) {
    items.push_back(listing_json(*prospect));
  }
  return page_answer(request, caller, items, "Prospects");
}

Response Api::page_answer(const Request& request, const Caller& caller, const OrderedJson& items,
                          const char* list_name) {
  const auto query = parse_form(request.query);
  if (!query)
    return error(400, "Bad Request: the query string is not validly encoded", caller.rate);
  const auto page = parse_page_request(*query);
  if (const auto* errors = std::get_if<std::vector<FieldError>>(&page)) {
    return error(400, "Validation Failed", caller.rate, *errors);
  }
  const OrderedJson body =
      make_page(items, std::get<PageRequest>(page), list_name, route_path(caller.route));
  return json_response(200, body, caller.rate);
}

Response Api::create_prospect(const Request& request, const Caller& caller,
                              const Program& program) {
  if (!is_form_content_type(header_value(request.headers, "Content-Type"))) {
    return error(400, "Bad Request: Content-Type must be " + k_form_type, caller.rate);
  }
  const auto fields = parse_form(request.body);
  if (!fields) return error(400, "Bad Request: the body is not validly form-encoded", caller.rate);
  const auto errors = validate_prospect(*fields, program.groups);
  if (!errors.empty()) return error(400, "Validation Failed", caller.rate, errors);
  return create_valid(*fields, caller, program);
}

Response Api::create_valid(const FormFields& fields, const Caller& caller, const Program& program) {
  if (const Prospect* existing =
          m_prospects.find_duplicate(caller.account->sid, program.id, fields)) {
    OrderedJson body = error_envelope(
        "Conflict",
        {{"ContactEmail", "A prospect with this ContactEmail and GroupId already exists"}});
    body["ProspectId"] = existing->id;
    return json_response(409, body, caller.rate);
  }
  const PartnerAccount* match = match_partner(m_seed.partners, fields);
  const bool dry_run = find_field(fields, "DryRun") == "true";
  OrderedJson body = {{"Status", "OK"},
                      {"ProspectId", ""},
                      {"DryRun", dry_run},
                      {"MatchedPartnerId", match ? match->id : ""},
                      {"MatchedPartnerName", match ? match->name : ""}};
  if (dry_run) {
    ++m_counters.dry_runs;
    return json_response(200, body, caller.rate);
  }
  body["ProspectId"] = m_prospects.add({"", caller.account->sid, program.id, fields,
                                        body["MatchedPartnerId"], body["MatchedPartnerName"]});
  ++m_counters.creates;
  Response response = json_response(201, body, caller.rate);
  response.drop_after_commit = m_faults.drop_after_commit();
  if (response.drop_after_commit) ++m_counters.drops;
  return response;
}

}  // namespace prospect_sandbox
