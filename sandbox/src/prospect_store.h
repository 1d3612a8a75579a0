#pragma once

#include "envelope.h"
#include "form.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace prospect_sandbox {

// A created prospect, its fields exactly as received.
struct Prospect {
  std::string id;  // "P-000001", ...
  std::string account_sid;
  std::string program_id;
  FormFields fields;
  std::string matched_partner_id;    // "" when none matched
  std::string matched_partner_name;  // "" when none matched
};

// The prospects of all programs, in creation order, with an index of their
// duplicate keys so that a create costs the same with a million stored as with
// none. Not thread-safe.
class ProspectStore {
 public:
  // The prospect of the program with the same ContactEmail (ASCII
  // case-insensitive) and GroupId (missing and empty are the same value).
  const Prospect* find_duplicate(const std::string& account_sid, const std::string& program_id,
                                 const FormFields& fields) const;
  // Stores `prospect` under the next id and returns that id.
  std::string add(Prospect prospect);
  std::vector<const Prospect*> of_program(const std::string& account_sid,
                                          const std::string& program_id) const;
  const std::vector<Prospect>& all() const { return m_prospects; }

 private:
  std::vector<Prospect> m_prospects;
  // (account, program, lower-cased ContactEmail, GroupId) -> index in m_prospects.
  std::unordered_map<std::string, std::size_t> m_by_key;
  long m_last_id = 0;
};

// The listing form: {"ProspectId", "PartnerName", ..., "MatchedPartnerName"},
// each field "" when it was not sent.
OrderedJson listing_json(const Prospect& prospect);
// The state-file form: ids, matches and "fields" exactly as received.
OrderedJson state_json(const Prospect& prospect);

}  // namespace prospect_sandbox
