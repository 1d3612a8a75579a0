#include "partner_match.h"

#include "http_url.h"
#include "utf8.h"

#include <algorithm>

namespace prospect_sandbox {
namespace {

using Partners = std::vector<PartnerAccount>;

const PartnerAccount* find_if(const Partners& partners, auto predicate) {
  const auto it = std::find_if(partners.begin(), partners.end(), predicate);
  return it == partners.end() ? nullptr : &*it;
}

bool contains_lower(const std::vector<std::string>& values, const std::string& wanted,
                    std::string (*normalise)(std::string_view)) {
  return std::any_of(values.begin(), values.end(),
                     [&](const std::string& value) { return normalise(value) == wanted; });
}

std::string lower(std::string_view text) { return ascii_lower(text); }

const PartnerAccount* by_id(const Partners& partners, const std::string& id) {
  if (id.empty()) return nullptr;
  return find_if(partners, [&](const PartnerAccount& p) { return p.id == id; });
}

const PartnerAccount* by_email(const Partners& partners, const std::string& email) {
  const std::string wanted = lower(email);
  return find_if(partners,
                 [&](const PartnerAccount& p) { return contains_lower(p.emails, wanted, lower); });
}

const PartnerAccount* by_host(const Partners& partners, const std::string& url) {
  const auto parsed = parse_http_url(url);
  if (!std::holds_alternative<HttpUrl>(parsed)) return nullptr;
  const std::string wanted = comparable_host(std::get<HttpUrl>(parsed).host);
  return find_if(partners, [&](const PartnerAccount& p) {
    return contains_lower(p.hosts, wanted, comparable_host);
  });
}

}  // namespace

std::string comparable_host(std::string_view host) {
  host = host.substr(0, host.find(':'));
  std::string out = ascii_lower(host);
  if (out.starts_with("www.")) out.erase(0, 4);
  return out;
}

const PartnerAccount* match_partner(const Partners& partners, const FormFields& fields) {
  if (partners.empty()) return nullptr;  // nothing to match: no URL to parse
  if (auto* found = by_id(partners, find_field(fields, "PartnerId").value_or(""))) return found;
  if (auto* found = by_email(partners, find_field(fields, "ContactEmail").value_or("")))
    return found;
  return by_host(partners, find_field(fields, "MediaPropertyUrl").value_or(""));
}

}  // namespace prospect_sandbox
