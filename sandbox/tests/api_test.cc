#include "api.h"

#include "test_support.h"

#include <gtest/gtest.h>

namespace prospect_sandbox {
namespace {

using namespace std::chrono_literals;
using namespace testing;

const std::string k_programs = "/Advertisers/IRsandbox0001/Campaigns";

std::string rate_headers(const Response& response) {
  return header(response, "X-RateLimit-Limit") + "/" + header(response, "X-RateLimit-Remaining") +
         "/" + header(response, "X-RateLimit-Reset");
}

TEST(ApiChecks, BadCredentialsAre401AndSpendNothing) {
  FakeClock clock;
  Api api = make_api(clock, {.rate_limit = 1});
  for (const auto& authorization :
       {basic_auth(k_sid, "wrong"), basic_auth("IRother", k_token), std::string("")}) {
    const Response response = api.handle(get(k_programs, "", authorization));
    EXPECT_EQ(response.status, 401);
    EXPECT_EQ(
        response.body,
        R"({"Status":"ERROR","Message":"Unauthorized: invalid Account SID or Auth Token","Errors":[]})");
    EXPECT_EQ(rate_headers(response), "1/1/3600");
  }
  EXPECT_EQ(api.handle(get(k_programs)).status, 200);
}

TEST(ApiChecks, WrongAccountIs403BeforeTheBudget) {
  FakeClock clock;
  Api api = make_api(clock, {.rate_limit = 1});
  const Response first = api.handle(get("/Advertisers/IRother/Campaigns"));
  EXPECT_EQ(first.status, 403);
  EXPECT_EQ(rate_headers(first), "1/0/3600");  // a 403 spends budget
  EXPECT_EQ(api.handle(get("/Advertisers/IRother/Campaigns")).status, 403);
  EXPECT_EQ(api.handle(get(k_programs)).status, 429);
}

TEST(ApiChecks, BudgetIs429BeforeAnUnknownProgram) {
  FakeClock clock;
  Api api = make_api(clock, {.rate_limit = 1, .window = 60s});
  EXPECT_EQ(api.handle(get(program_path("9999", "MediaPartnerGroups"))).status, 404);
  clock.advance(20s);
  const Response response = api.handle(get(program_path("9999", "MediaPartnerGroups")));
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(
      response.body,
      R"({"Status":"ERROR","Message":"Too Many Requests: the rate limit is spent","Errors":[]})");
  EXPECT_EQ(rate_headers(response), "1/0/40");
  EXPECT_EQ(header(response, "Retry-After"), "");
  clock.advance(40s);
  EXPECT_EQ(api.handle(get(program_path("1001", "MediaPartnerGroups"))).status, 200);
}

TEST(ApiChecks, UnknownProgramIs404BeforeTheTokenCheck) {
  FakeClock clock;
  Api api = make_api(clock);
  const Response missing = api.handle(get(program_path("9999", "Prospects")));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(
      missing.body,
      R"({"Status":"ERROR","Message":"Not Found: no program 9999 for this account","Errors":[]})");
  const Response restricted =
      api.handle(post_form(program_path("1003", "Prospects"), "PartnerName="));
  EXPECT_EQ(restricted.status, 403);
  EXPECT_EQ(
      restricted.body,
      R"({"Status":"ERROR","Message":"Forbidden: this token may not use program 1003","Errors":[]})");
  EXPECT_EQ(rate_headers(restricted), "1000/998/3600");
}

TEST(ApiChecks, AnotherTokenMayUseTheRestrictedProgram) {
  FakeClock clock;
  Api api = make_api(clock);
  EXPECT_EQ(api.handle(get(program_path("1003", "MediaPartnerGroups"), "",
                           basic_auth(k_sid, "restricted-token")))
                .status,
            200);
}

TEST(ApiChecks, UnknownEndpointsAndMethods) {
  FakeClock clock;
  Api api = make_api(clock);
  EXPECT_EQ(api.handle(get("/nothing")).status, 404);
  EXPECT_EQ(api.handle(get("/nothing", "", "")).status, 401);
  const Response response = api.handle(Request{"DELETE",
                                               program_path("1001", "Prospects"),
                                               "",
                                               {{"Authorization", basic_auth(k_sid, k_token)}},
                                               ""});
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(header(response, "Allow"), "GET, POST");
  EXPECT_EQ(api.handle(post_form(k_programs, "")).status, 405);
}

TEST(ApiLists, Programs) {
  FakeClock clock;
  Api api = make_api(clock);
  const Response response = api.handle(get(k_programs));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(header(response, "Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(
      response.body,
      R"({"@page":"1","@numpages":"1","@pagesize":"100","@total":"3","@nextpageuri":"",)"
      R"("Campaigns":[{"Id":"1001","Name":"Spring Program"},{"Id":"1002","Name":"Autumn Program"},)"
      R"({"Id":"1003","Name":"Restricted Program"}]})");
}

TEST(ApiLists, GroupsPageByPage) {
  FakeClock clock;
  Api api = make_api(clock);
  const Response first = api.handle(get(program_path("1001", "MediaPartnerGroups"), "PageSize=10"));
  EXPECT_NE(
      first.body.find(
          R"("@nextpageuri":"/Advertisers/IRsandbox0001/Campaigns/1001/MediaPartnerGroups?Page=2&PageSize=10")"),
      std::string::npos);
  const Response last =
      api.handle(get(program_path("1001", "MediaPartnerGroups"), "Page=3&PageSize=10"));
  EXPECT_EQ(last.body,
            R"({"@page":"3","@numpages":"3","@pagesize":"10","@total":"21","@nextpageuri":"",)"
            R"("Groups":[{"Id":"97","Name":"Médias Français"}]})");
}

TEST(ApiLists, GroupsOfTheAutumnProgram) {
  FakeClock clock;
  Api api = make_api(clock);
  EXPECT_EQ(
      api.handle(get(program_path("1002", "MediaPartnerGroups"), "PageSize=5000")).body,
      R"({"@page":"1","@numpages":"1","@pagesize":"1000","@total":"3","@nextpageuri":"",)"
      R"("Groups":[{"Id":"201","Name":"Bloggers"},{"Id":"202","Name":"bloggers"},{"Id":"203","Name":"Newsletters"}]})");
}

TEST(ApiLists, BadPagingIs400) {
  FakeClock clock;
  Api api = make_api(clock);
  const Response response = api.handle(get(k_programs, "Page=0"));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            R"({"Status":"ERROR","Message":"Validation Failed","Errors":[{"Field":"Page",)"
            R"("Message":"Must be a whole number of at least 1"}]})");
  EXPECT_EQ(api.handle(get(k_programs, "Page=%zz")).status, 400);
}

TEST(ApiLists, EmptyProspects) {
  FakeClock clock;
  Api api = make_api(clock);
  EXPECT_EQ(
      api.handle(get(program_path("1002", "Prospects"))).body,
      R"({"@page":"1","@numpages":"0","@pagesize":"100","@total":"0","@nextpageuri":"","Prospects":[]})");
}

TEST(ApiFaults, InjectedFaultsSpendBudgetAndAreCounted) {
  FakeClock clock;
  Api api = make_api(clock, {.rate_limit = 5, .fail_rate = 1.0});
  const Response response = api.handle(get(k_programs));
  EXPECT_TRUE(response.status == 500 || response.status == 503) << response.status;
  EXPECT_EQ(rate_headers(response), "5/4/3600");
  EXPECT_EQ(api.handle(get(k_programs, "", "")).status, 401);
  EXPECT_EQ(api.state()["counters"]["injected_faults"], 1);
}

TEST(ApiFaults, TheSameSeedFailsTheSameRequests) {
  FakeClock clock;
  Api a = make_api(clock, {.fail_rate = 0.5, .random_seed = 9});
  Api b = make_api(clock, {.fail_rate = 0.5, .random_seed = 9});
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(a.handle(get(k_programs)).status, b.handle(get(k_programs)).status);
}

}  // namespace
}  // namespace prospect_sandbox
