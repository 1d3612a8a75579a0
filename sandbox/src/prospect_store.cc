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

// The fields of a duplicate key, each preceded by its length: no two keys collide.
std::string duplicate_key(const std::string& account_sid, const std::string& program_id,
                          const FormFields& fields) {
  std::string key;
  for (const std::string& part : {account_sid, program_id, email_key(fields), group_key(fields)}) {
    key += std::to_string(part.size());
    key += ':';
    key += part;
  }
  return key;
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
  auto it = m_by_key.find(duplicate_key(account_sid, program_id, fields));
  return it == m_by_key.end() ? nullptr : &m_prospects[it->second];
}

std::string ProspectStore::add(Prospect prospect) {
  prospect.id = format_id(++m_last_id);
  m_by_key.emplace(duplicate_key(prospect.account_sid, prospect.program_id, prospect.fields),
                   m_prospects.size());
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
