#pragma once

#include "envelope.h"
#include "form.h"
#include "seed.h"

#include <optional>
#include <string>
#include <vector>

namespace prospect_sandbox {

// The checks of API.md for one create request, written from its text alone.
// Values are taken as sent (nothing is trimmed). A missing or empty optional
// field counts as not given. Returns every problem, in field order.
std::vector<FieldError> validate_prospect(const FormFields& fields,
                                          const std::vector<Group>& groups);

// The single checks, each nothing when the value is acceptable.
std::optional<std::string> check_partner_name(const std::string& value);
std::optional<std::string> check_contact_email(const std::string& value);
std::optional<std::string> check_media_property_url(const std::string& value);
std::optional<std::string> check_group_id(const std::string& value,
                                          const std::vector<Group>& groups);
std::optional<std::string> check_partner_id(const std::string& value);
std::optional<std::string> check_dry_run(const std::string& value);

}  // namespace prospect_sandbox
