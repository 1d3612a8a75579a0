#include "partner_match.h"

#include <gtest/gtest.h>

namespace prospect_sandbox {
namespace {

std::string matched_id(const FormFields& fields) {
  const Seed seed = default_seed();
  const PartnerAccount* match = match_partner(seed.partners, fields);
  return match ? match->id : "";
}

const std::string k_other_url = "https://nobody.example";

TEST(PartnerMatch, ByAKnownPartnerIdFirst) {
  EXPECT_EQ(matched_id({{"PartnerId", "120034"},
                        {"ContactEmail", "partners@acme-media.com"},
                        {"MediaPropertyUrl", "https://sakura-media.jp"}}),
            "120034");
}

TEST(PartnerMatch, AnUnknownPartnerIdFallsBackToEmail) {
  EXPECT_EQ(matched_id({{"PartnerId", "999"},
                        {"ContactEmail", "partners@acme-media.com"},
                        {"MediaPropertyUrl", k_other_url}}),
            "556677");
}

TEST(PartnerMatch, ByEmailIgnoringCase) {
  EXPECT_EQ(
      matched_id({{"ContactEmail", "Partners@ACME-Media.com"}, {"MediaPropertyUrl", k_other_url}}),
      "556677");
  EXPECT_EQ(
      matched_id({{"ContactEmail", "INFO@sakura-media.jp"}, {"MediaPropertyUrl", k_other_url}}),
      "880011");
}

TEST(PartnerMatch, EmailBeatsHost) {
  EXPECT_EQ(matched_id({{"ContactEmail", "info@sakura-media.jp"},
                        {"MediaPropertyUrl", "https://acme-media.com"}}),
            "880011");
}

TEST(PartnerMatch, ByHostIgnoringCaseWwwAndPort) {
  const auto with_url = [](const std::string& url) {
    return matched_id({{"ContactEmail", "someone@else.example"}, {"MediaPropertyUrl", url}});
  };
  EXPECT_EQ(with_url("https://blueskyblog.net/posts"), "120034");
  EXPECT_EQ(with_url("http://WWW.BlueSkyBlog.NET:8080/?a=b"), "120034");
  EXPECT_EQ(with_url("https://www.acme-media.com"), "556677");
  EXPECT_EQ(with_url("https://blog.blueskyblog.net"), "");
  EXPECT_EQ(with_url("https://wwwblueskyblog.net"), "");
}

TEST(PartnerMatch, NoneMatches) {
  EXPECT_EQ(matched_id({{"ContactEmail", "a@b.example"}, {"MediaPropertyUrl", k_other_url}}), "");
}

TEST(ComparableHost, DropsPortAndOneLeadingWww) {
  EXPECT_EQ(comparable_host("WWW.Example.COM:443"), "example.com");
  EXPECT_EQ(comparable_host("www.www.example.com"), "www.example.com");
}

}  // namespace
}  // namespace prospect_sandbox
