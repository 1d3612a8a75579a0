#include "prospect_import/groups.h"

#include <gtest/gtest.h>

#include <sstream>

namespace prospect_import {
namespace {

GroupCatalog catalog() {
  return GroupCatalog({{"77", "Bloggers"}, {"78", "Influencers"}, {"79", "Médias Français"},
                       {"80", "ブロガー"}, {"81", "News"}, {"82", "news"}});
}

TEST(Groups, ExactAndCaseInsensitiveMatches) {
  auto c = catalog();
  EXPECT_EQ(c.resolve("Bloggers").group->id, "77");
  EXPECT_EQ(c.resolve("BLOGGERS").group->id, "77");
  EXPECT_EQ(c.resolve("médias français").group->id, "79") << "Unicode case folding";
  EXPECT_EQ(c.resolve("ブロガー").group->id, "80");
}

TEST(Groups, GroupsDifferingOnlyInCaseNeedAnExactName) {
  auto c = catalog();
  EXPECT_EQ(c.resolve("News").group->id, "81");
  EXPECT_EQ(c.resolve("news").group->id, "82");
  auto r = c.resolve("NEWS");
  EXPECT_FALSE(r.group);
  EXPECT_EQ(r.error, "\"NEWS\" matches several groups that differ only in case (\"News\", \"news\"): "
                     "write the name exactly as one of them");
}

TEST(Groups, UnknownGroupSuggestsTheClosest) {
  auto r = catalog().resolve("Bloggerz");
  EXPECT_FALSE(r.group);
  EXPECT_EQ(r.error, "\"Bloggerz\" is not a group of this program (did you mean \"Bloggers\"?); an "
                     "import cannot create groups: create it in the program first, or leave "
                     "Group Name empty");
}

TEST(Groups, FarOffNamesGetNoSuggestion) {
  auto r = catalog().resolve("Partners 2019");
  EXPECT_EQ(r.error, "\"Partners 2019\" is not a group of this program; an import cannot create "
                     "groups: create it in the program first, or leave Group Name empty");
}

TEST(Groups, ReadsGroupNamesFileAsGroupsPrintsIt) {
  std::istringstream in("\xEF\xBB\xBF" "Bloggers\r\n  Influencers \n\nブロガー\n");
  auto groups = read_group_names(in);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].name, "Bloggers");
  EXPECT_EQ(groups[1].name, "Influencers");
  EXPECT_EQ(groups[2].name, "ブロガー");
}

}  // namespace
}  // namespace prospect_import
