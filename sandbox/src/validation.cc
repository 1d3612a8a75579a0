#include "validation.h"

#include "domain.h"
#include "http_url.h"
#include "utf8.h"

#include <algorithm>

namespace prospect_sandbox {
namespace {

constexpr size_t k_max_partner_name = 255;
constexpr size_t k_max_email = 254;
constexpr size_t k_max_url = 2048;
constexpr std::string_view k_email_local_specials = ".!#$%&'*+/=?^_`{|}~-";

const std::string k_required = "Required";
const std::string k_not_utf8 = "Not valid UTF-8";

bool is_email_local_char(char32_t c) {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  const bool digit = c >= '0' && c <= '9';
  return letter || digit ||
         (c < 0x80 && k_email_local_specials.find(static_cast<char>(c)) != std::string_view::npos);
}

bool is_valid_email(std::u32string_view email) {
  const size_t at = email.find(U'@');
  if (at == 0 || at == std::u32string_view::npos) return false;
  const auto local = email.substr(0, at);
  return std::all_of(local.begin(), local.end(), is_email_local_char) &&
         is_valid_domain(email.substr(at + 1));
}

// A rule's check sees the value and the program's groups (which only GroupId's uses).
using Check = std::optional<std::string> (*)(const std::string&, const std::vector<Group>&);

struct FieldRule {
  const char* field;
  bool required;
  Check check;
};

// Any value must be UTF-8 before its own rule is applied.
std::optional<std::string> check_text(const std::string& value) {
  if (!decode_utf8(value)) return k_not_utf8;
  return std::nullopt;
}

// Adapts a check that needs no groups.
template <std::optional<std::string> (*Plain)(const std::string&)>
std::optional<std::string> without_groups(const std::string& value, const std::vector<Group>&) {
  return Plain(value);
}

// A table, not a vector of std::function made for every request.
constexpr FieldRule k_rules[] = {
    {"PartnerName", true, without_groups<check_partner_name>},
    {"ContactEmail", true, without_groups<check_contact_email>},
    {"MediaPropertyUrl", true, without_groups<check_media_property_url>},
    {"GroupId", false, check_group_id},
    {"ContactFirstName", false, without_groups<check_text>},
    {"ContactLastName", false, without_groups<check_text>},
    {"Description", false, without_groups<check_text>},
    {"PartnerId", false, without_groups<check_partner_id>},
    {"DryRun", false, without_groups<check_dry_run>},
};

std::optional<std::string> apply_rule(const FieldRule& rule,
                                      const std::optional<std::string>& value,
                                      const std::vector<Group>& groups) {
  if (!value) return rule.required ? std::optional(k_required) : std::nullopt;
  if (value->empty() && std::string_view(rule.field) != "DryRun") {
    return rule.required ? std::optional(k_required) : std::nullopt;
  }
  return rule.check(*value, groups);
}

}  // namespace

std::vector<FieldError> validate_prospect(const FormFields& fields,
                                          const std::vector<Group>& groups) {
  std::vector<FieldError> errors;
  for (const FieldRule& rule : k_rules) {
    if (auto message = apply_rule(rule, find_field(fields, rule.field), groups)) {
      errors.push_back({rule.field, std::move(*message)});
    }
  }
  return errors;
}

std::optional<std::string> check_partner_name(const std::string& value) {
  const auto points = decode_utf8(value);
  if (!points) return k_not_utf8;
  if (points->empty()) return k_required;
  if (std::any_of(points->begin(), points->end(), is_control))
    return "Must not contain control characters";
  if (points->size() > k_max_partner_name) return "Must be at most 255 characters";
  return std::nullopt;
}

std::optional<std::string> check_contact_email(const std::string& value) {
  const auto points = decode_utf8(value);
  if (!points) return k_not_utf8;
  if (!is_valid_email(*points)) return "Not a valid email address";
  if (points->size() > k_max_email) return "Must be at most 254 characters";
  return std::nullopt;
}

std::optional<std::string> check_media_property_url(const std::string& value) {
  const auto points = decode_utf8(value);
  if (!points) return k_not_utf8;
  if (points->size() > k_max_url) return "Must be at most 2048 characters";
  auto parsed = parse_http_url(value);
  if (auto* message = std::get_if<std::string>(&parsed)) return std::move(*message);
  return std::nullopt;
}

std::optional<std::string> check_group_id(const std::string& value,
                                          const std::vector<Group>& groups) {
  const auto same_id = [&](const Group& g) { return g.id == value; };
  if (std::none_of(groups.begin(), groups.end(), same_id))
    return "No group with this Id in the program";
  return std::nullopt;
}

std::optional<std::string> check_partner_id(const std::string& value) {
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!std::all_of(value.begin(), value.end(), is_digit)) return "Must be ASCII digits only";
  return std::nullopt;
}

std::optional<std::string> check_dry_run(const std::string& value) {
  if (value != "true" && value != "false") return "Must be true or false";
  return std::nullopt;
}

}  // namespace prospect_sandbox
