#include "route.h"

#include <gtest/gtest.h>

namespace prospect_sandbox {
namespace {

void expect_route(const std::string& path, Endpoint endpoint, const std::string& sid,
                  const std::string& program) {
  const Route route = parse_route(path);
  EXPECT_EQ(route.endpoint, endpoint) << path;
  EXPECT_EQ(route.account_sid, sid) << path;
  EXPECT_EQ(route.program_id, program) << path;
}

TEST(Route, KnowsTheFourEndpoints) {
  expect_route("/Advertisers/IRabc/Campaigns", Endpoint::programs, "IRabc", "");
  expect_route("/Advertisers/IRabc/Campaigns/1001/MediaPartnerGroups", Endpoint::groups, "IRabc",
               "1001");
  expect_route("/Advertisers/IRabc/Campaigns/1001/Prospects", Endpoint::prospects, "IRabc", "1001");
}

TEST(Route, DecodesEachSegmentOnItsOwn) {
  expect_route("/Advertisers/IR%61bc/Campaigns/10%2F01/Prospects", Endpoint::prospects, "IRabc",
               "10/01");
  expect_route("/Advertisers/IR+abc/Campaigns", Endpoint::programs, "IR+abc", "");
}

TEST(Route, AnythingElseIsUnknown) {
  for (const char* path :
       {"/", "", "/Advertisers/IRabc/Campaigns/", "/advertisers/IRabc/Campaigns",
        "/Advertisers//Campaigns", "/Advertisers/IRabc/Campaigns/1001",
        "/Advertisers/IRabc/Campaigns/1001/Groups", "/Advertisers/IR%zz/Campaigns",
        "/Advertisers/IRabc/Campaigns/1001/Prospects/x"}) {
    expect_route(path, Endpoint::unknown, "", "");
  }
}

TEST(Route, PathEncodesSegments) {
  EXPECT_EQ(route_path({Endpoint::groups, "IR abc", "1/2"}),
            "/Advertisers/IR%20abc/Campaigns/1%2F2/MediaPartnerGroups");
  EXPECT_EQ(route_path({Endpoint::programs, "IRabc", ""}), "/Advertisers/IRabc/Campaigns");
}

}  // namespace
}  // namespace prospect_sandbox
