#include "validation.h"

#include <gtest/gtest.h>

namespace prospect_sandbox {
namespace {

const std::vector<Group> k_groups = {{"77", "Bloggers"}, {"78", "Influencers"}};

void expect_ok(std::optional<std::string> (*check)(const std::string&),
               const std::vector<std::string>& values) {
  for (const auto& value : values) EXPECT_EQ(check(value), std::nullopt) << value;
}

void expect_refused(std::optional<std::string> (*check)(const std::string&),
                    const std::string& message, const std::vector<std::string>& values) {
  for (const auto& value : values) EXPECT_EQ(check(value), message) << value;
}

TEST(PartnerName, Accepts) {
  expect_ok(check_partner_name, {"Acme", " padded ", "さくらメディア", std::string(255, 'x'),
                                 std::string(85, 'x') + [] {
                                   std::string s;
                                   for (int i = 0; i < 170; ++i) s += "あ";
                                   return s;
                                 }()});
}

TEST(PartnerName, Refuses) {
  expect_refused(check_partner_name, "Required", {""});
  expect_refused(check_partner_name, "Must not contain control characters",
                 {"a\tb", "a\nb", std::string("a\0b", 3), "a\x7f", "a\u0085b"});
  expect_refused(check_partner_name, "Must be at most 255 characters", {std::string(256, 'x')});
  expect_refused(check_partner_name, "Not valid UTF-8", {"\xff", "a\xe3\x81"});
}

TEST(ContactEmail, Accepts) {
  expect_ok(check_contact_email,
            {"a@b.co", "first.last+tag@example.com", ".!#$%&'*+/=?^_`{|}~-@x.y", "info@さくら.jp",
             "user@xn--r8jz45g.jp", "a@1.2", "a@a-b.c-d",
             std::string(63, 'l') + "@" + std::string(63, 'd') + "." + std::string(63, 'e') + "." +
                 std::string(62, 'f')});
}

TEST(ContactEmail, Refuses) {
  const std::string invalid = "Not a valid email address";
  expect_refused(check_contact_email, invalid,
                 {"plain", "@b.co", "a@b", "a@b.", "a@.b", "a@b..c", "a@-b.co", "a@b-.co",
                  "a@b_c.co", "a b@c.co", " a@b.co", "a@b.co ", "ä@b.co", "a@b@c.co", "\"a\"@b.co",
                  "a@[1.2.3.4]", "a@" + std::string(64, 'd') + ".co"});
  expect_refused(check_contact_email, "Must be at most 254 characters",
                 {std::string(64, 'l') + "@" + std::string(63, 'd') + "." + std::string(63, 'e') +
                  "." + std::string(62, 'f')});
}

TEST(MediaPropertyUrl, Accepts) {
  expect_ok(
      check_media_property_url,
      {"https://example.com", "http://www.example.com/blog?a=1#x", "https://EXAMPLE.com:8443/",
       "https://blog.例え.jp/パス", "https://xn--r8jz45g.jp", "https://a.b:1", "https://a.b:65535",
       "https://a.b?x", "https://a.b#y", "https://a.b/" + std::string(2036, 'p')});
}

TEST(MediaPropertyUrl, Refuses) {
  const std::string scheme = "Must be an absolute URL starting with http:// or https://";
  expect_refused(check_media_property_url, scheme,
                 {"example.com", "HTTPS://example.com", "Http://example.com", "ftp://example.com",
                  "https:/example.com", "//example.com"});
  expect_refused(check_media_property_url, "Must not contain user info",
                 {"https://user@example.com", "https://user:pw@example.com/"});
  expect_refused(check_media_property_url, "Host is not a valid domain name",
                 {"https://localhost", "https://example.com.", "https://my_site.com", "https://",
                  "https://-a.com", "https://a..com", "https://exa%6Dple.com"});
  expect_refused(check_media_property_url, "Host must be a domain name, not an IP address",
                 {"http://127.0.0.1", "http://10.0.0.1:80/", "https://[::1]/", "http://[::1]:80",
                  "http://1.2.3.0x1", "http://example.123"});
  expect_refused(check_media_property_url, "Port must be a number from 1 to 65535",
                 {"https://a.b:0", "https://a.b:65536", "https://a.b:", "https://a.b:8a",
                  "https://a.b:99999999999"});
  expect_refused(check_media_property_url, "Must not contain white space or control characters",
                 {"https://a.b/x y", " https://a.b", "https://a.b/\t", "https://a.b/\u3000",
                  "https://a.b/\x01"});
  expect_refused(check_media_property_url, "Must be at most 2048 characters",
                 {"https://a.b/" + std::string(2037, 'p')});
}

TEST(PartnerId, DigitsOnly) {
  expect_ok(check_partner_id, {"0", "556677", "0012"});
  expect_refused(check_partner_id, "Must be ASCII digits only",
                 {"12a", " 12", "-1", "１２", "1.0"});
}

TEST(DryRun, TrueOrFalseExactly) {
  expect_ok(check_dry_run, {"true", "false"});
  expect_refused(check_dry_run, "Must be true or false", {"", "TRUE", "1", "yes", "true "});
}

TEST(GroupId, OneOfTheProgramsGroups) {
  EXPECT_EQ(check_group_id("78", k_groups), std::nullopt);
  EXPECT_EQ(check_group_id("79", k_groups), "No group with this Id in the program");
  EXPECT_EQ(check_group_id(" 77", k_groups), "No group with this Id in the program");
}

TEST(ValidateProspect, ListsEveryProblemInFieldOrder) {
  const FormFields fields = {{"PartnerName", ""}, {"MediaPropertyUrl", "example.com"},
                             {"GroupId", "1"},    {"PartnerId", "x"},
                             {"DryRun", "maybe"}, {"Description", "\xff"},
                             {"Unknown", "\xff"}};
  const std::vector<FieldError> expected = {
      {"PartnerName", "Required"},
      {"ContactEmail", "Required"},
      {"MediaPropertyUrl", "Must be an absolute URL starting with http:// or https://"},
      {"GroupId", "No group with this Id in the program"},
      {"Description", "Not valid UTF-8"},
      {"PartnerId", "Must be ASCII digits only"},
      {"DryRun", "Must be true or false"}};
  EXPECT_EQ(validate_prospect(fields, k_groups), expected);
}

TEST(ValidateProspect, EmptyOptionalFieldsCountAsNotGiven) {
  const FormFields fields = {
      {"PartnerName", "Acme"}, {"ContactEmail", "a@b.co"}, {"MediaPropertyUrl", "https://b.co"},
      {"GroupId", ""},         {"PartnerId", ""},          {"ContactFirstName", ""}};
  EXPECT_EQ(validate_prospect(fields, k_groups), std::vector<FieldError>{});
}

TEST(ValidateProspect, AnEmptyDryRunIsRefused) {
  const FormFields fields = {{"PartnerName", "Acme"},
                             {"ContactEmail", "a@b.co"},
                             {"MediaPropertyUrl", "https://b.co"},
                             {"DryRun", ""}};
  EXPECT_EQ(validate_prospect(fields, k_groups),
            (std::vector<FieldError>{{"DryRun", "Must be true or false"}}));
}

TEST(ValidateProspect, TheFirstOfRepeatedFieldsCounts) {
  const FormFields fields = {{"PartnerName", "Acme"},
                             {"PartnerName", ""},
                             {"ContactEmail", "a@b.co"},
                             {"MediaPropertyUrl", "https://b.co"}};
  EXPECT_EQ(validate_prospect(fields, k_groups), std::vector<FieldError>{});
}

}  // namespace
}  // namespace prospect_sandbox
