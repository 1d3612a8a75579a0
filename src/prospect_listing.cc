#include "prospect_import/prospect_listing.h"

#include <nlohmann/json.hpp>

#include "prospect_import/server_text.h"

namespace prospect_import {
namespace {

constexpr std::size_t k_field_max = 1024;  // code points kept of a listed value

std::string field(const nlohmann::json& j, const char* key) {
  return json_string(j, key, k_field_max);
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
    error =
        "the API's answer is not a list of Prospects: \"" + clean_server_text(r.body, 200) + "\"";
    return std::nullopt;
  }
  ProspectPage page;
  for (const auto& item : *items) {
    if (auto e = entry_of(item)) page.items.push_back(std::move(*e));
  }
  page.next_uri = field(j, "@nextpageuri");
  page.listed = items->size();
  page.num_pages = json_count(j, "@numpages");
  return page;
}

Status for_each_prospect_page(Session& session, const ApiTarget& target,
                              const std::function<Status(const std::vector<LedgerEntry>&)>& take) {
  std::string first = prospects_url(target) + "?Page=1&PageSize=1000";
  return session.for_each_page(
      first, "Prospects", [&](const HttpResponse& response) -> Result<Session::PageLinks> {
        std::string error;
        auto list = read_prospect_page(response, error);
        if (!list) return Error{ExitCode::unavailable, error};
        if (auto s = take(list->items); !s) return s.error();
        return Session::PageLinks{list->next_uri, list->listed, list->num_pages};
      });
}

}  // namespace prospect_import
