#include "prospect_store.h"

#include "utf8.h"

#include <cstdio>

namespace prospect_sandbox {
namespace {

constexpr const char* k_listed_fields[] = {"PartnerName", "ContactEmail",     "MediaPropertyUrl",
                                           "GroupId",     "ContactFirstName", "ContactLastName",
                                           "Description", "PartnerId"};

std::string email_key(const FormFields& fields) {
  return ascii_lower(find_field(fields, "ContactEmail").value_or(""));
}

std::string group_key(const FormFields& fields) {
  return find_field(fields, "GroupId").value_or("");
}

std::string format_id(long number) {
  char text[32];
  std::snprintf(text, sizeof text, "P-%06ld", number);
  return text;
}

}  // namespace

const Prospect* ProspectStore::find_duplicate(const std::string& account_sid,
                                              const std::string& program_id,
                                              const FormFields& fields) const {
  const std::string email = email_key(fields);
  const std::string group = group_key(fields);
  for (const Prospect& p : m_prospects) {
    const bool same_program = p.account_sid == account_sid && p.program_id == program_id;
    if (same_program && email_key(p.fields) == email && group_key(p.fields) == group) return &p;
  }
  return nullptr;
}

std::string ProspectStore::add(Prospect prospect) {
  prospect.id = format_id(++m_last_id);
  m_prospects.push_back(std::move(prospect));
  return m_prospects.back().id;
}

std::vector<const Prospect*> ProspectStore::of_program(const std::string& account_sid,
                                                       const std::string& program_id) const {
  std::vector<const Prospect*> found;
  for (const Prospect& p : m_prospects) {
    if (p.account_sid == account_sid && p.program_id == program_id) found.push_back(&p);
  }
  return found;
}

OrderedJson listing_json(const Prospect& prospect) {
  OrderedJson json = {{"ProspectId", prospect.id}};
  for (const char* field : k_listed_fields)
    json[field] = find_field(prospect.fields, field).value_or("");
  json["MatchedPartnerId"] = prospect.matched_partner_id;
  json["MatchedPartnerName"] = prospect.matched_partner_name;
  return json;
}

OrderedJson state_json(const Prospect& prospect) {
  OrderedJson fields = OrderedJson::object();
  for (const auto& [name, value] : prospect.fields) {
    if (!fields.contains(name)) fields[name] = value;
  }
  return {{"prospect_id", prospect.id},
          {"account_sid", prospect.account_sid},
          {"program_id", prospect.program_id},
          {"matched_partner_id", prospect.matched_partner_id},
          {"matched_partner_name", prospect.matched_partner_name},
          {"fields", fields}};
}

}  // namespace prospect_sandbox
