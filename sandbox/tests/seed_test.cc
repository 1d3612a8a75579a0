#include "seed.h"

#include "state_file.h"

#include <gtest/gtest.h>

namespace prospect_sandbox {
namespace {

TEST(Seed, TheBuiltInSeedIsTheFile) {
  EXPECT_EQ(default_seed_json(), read_text_file(SANDBOX_DEFAULT_SEED_FILE));
}

TEST(Seed, DefaultAccountAndPrograms) {
  const Seed seed = default_seed();
  ASSERT_EQ(seed.accounts.size(), 1U);
  const Account& account = seed.accounts[0];
  EXPECT_EQ(account.sid, "IRsandbox0001");
  EXPECT_EQ(account.tokens, (std::vector<std::string>{"sandbox-token", "restricted-token"}));
  ASSERT_EQ(account.programs.size(), 3U);
  EXPECT_EQ(account.programs[0].name, "Spring Program");
  EXPECT_EQ(account.programs[1].name, "Autumn Program");
  EXPECT_EQ(account.programs[2].name, "Restricted Program");
  EXPECT_TRUE(token_may_use(account.programs[0], "sandbox-token"));
  EXPECT_FALSE(token_may_use(account.programs[2], "sandbox-token"));
  EXPECT_TRUE(token_may_use(account.programs[2], "restricted-token"));
}

TEST(Seed, SpringProgramHasTheTwentyOneGroupsInOrder) {
  const std::vector<std::string> names = {"Bloggers",
                                          "Influencers",
                                          "Content Creators",
                                          "Coupon & Deals",
                                          "Loyalty, Cashback & Rewards",
                                          "Comparison Sites",
                                          "Sub-affiliate Networks",
                                          "Mobile Apps",
                                          "Email Marketers",
                                          "Podcasts",
                                          "YouTube Creators",
                                          "Tech Reviewers",
                                          "Travel Bloggers",
                                          "Fashion & Beauty",
                                          "Strategic Partners",
                                          "Premium Publishers",
                                          "The \"A\" List",
                                          "Social Media",
                                          "インフルエンサー",
                                          "ブロガー",
                                          "Médias Français"};
  const Seed seed = default_seed();
  const auto& groups = seed.accounts[0].programs[0].groups;
  ASSERT_EQ(groups.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(groups[i], (Group{std::to_string(77 + i), names[i]}));
  }
}

TEST(Seed, AutumnProgramHasGroupsDifferingInCaseOnly) {
  const Seed seed = default_seed();
  const auto& groups = seed.accounts[0].programs[1].groups;
  EXPECT_EQ(groups,
            (std::vector<Group>{{"201", "Bloggers"}, {"202", "bloggers"}, {"203", "Newsletters"}}));
}

TEST(Seed, PartnerAccounts) {
  const auto partners = default_seed().partners;
  EXPECT_EQ(partners,
            (std::vector<PartnerAccount>{
                {"556677", "Acme Media", {"partners@acme-media.com"}, {"acme-media.com"}},
                {"880011", "さくらメディア株式会社", {"info@sakura-media.jp"}, {"sakura-media.jp"}},
                {"120034", "Blue Sky Blog", {}, {"blueskyblog.net"}}}));
}

TEST(Seed, RefusesBrokenSeeds) {
  EXPECT_THROW(parse_seed_text("{"), std::runtime_error);
  EXPECT_THROW(parse_seed_text(R"({"Accounts": [{"AccountSid": 1}]})"), std::runtime_error);
  EXPECT_THROW(parse_seed_text(R"({})"), std::runtime_error);
}

TEST(Seed, OptionalPartsMayBeLeftOut) {
  const Seed seed = parse_seed_text(R"({"Accounts": [{"AccountSid": "IRx", "AuthTokens": ["t"],
      "Programs": [{"Id": "1", "Name": "P", "Groups": []}]}]})");
  EXPECT_EQ(seed.accounts[0].programs[0].allowed_tokens, std::nullopt);
  EXPECT_TRUE(seed.partners.empty());
}

}  // namespace
}  // namespace prospect_sandbox
