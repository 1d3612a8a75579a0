#include "prospect_import/prospect_listing.h"

#include <nlohmann/json.hpp>

namespace prospect_import {
namespace {

constexpr int k_max_pages = 100000;

// A string field, or a number's digits (an id may come as either).
std::string field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return "";
}

std::optional<LedgerEntry> entry_of(const nlohmann::json& item) {
  if (!item.is_object()) return std::nullopt;
  LedgerEntry e;
  e.prospect_id = field(item, "ProspectId");
  e.email = ledger_email(field(item, "ContactEmail"));
  if (e.prospect_id.empty() || e.email.empty()) return std::nullopt;
  e.group_id = field(item, "GroupId");
  e.matched_partner_id = field(item, "MatchedPartnerId");
  e.matched_partner_name = field(item, "MatchedPartnerName");
  e.status = "listed";
  return e;
}

}  // namespace

std::optional<ProspectPage> read_prospect_page(const HttpResponse& r, std::string& error) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  auto items = j.is_object() ? j.find("Prospects") : j.end();
  if (j.is_discarded() || !j.is_object() || items == j.end() || !items->is_array()) {
    error = "the API's answer is not a list of Prospects: \"" + r.body.substr(0, 200) + "\"";
    return std::nullopt;
  }
  ProspectPage page;
  for (const auto& item : *items) {
    if (auto e = entry_of(item)) page.items.push_back(std::move(*e));
  }
  page.next_uri = field(j, "@nextpageuri");
  return page;
}

Status for_each_prospect_page(Session& session, const ApiTarget& target,
                              const std::function<Status(const std::vector<LedgerEntry>&)>& take) {
  std::string url = prospects_url(target) + "?Page=1&PageSize=1000";
  for (int page = 1; page <= k_max_pages; ++page) {
    auto response = session.get(url);
    if (!response) return response.error();
    std::string error;
    auto list = read_prospect_page(*response, error);
    if (!list) return Error{ExitCode::unavailable, error};
    if (auto s = take(list->items); !s) return s;
    if (list->next_uri.empty() || list->items.empty()) return {};
    url = join_url(target.base, list->next_uri);
  }
  return Error{ExitCode::unavailable, "the API's prospects listing never ends (more than 100000 pages)"};
}

}  // namespace prospect_import
