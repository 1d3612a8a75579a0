#include "api.h"

#include "test_support.h"

#include <gtest/gtest.h>

namespace prospect_sandbox {
namespace {

using namespace testing;

const std::string k_path = program_path("1001", "Prospects");
const std::string k_acme =
    "PartnerName=Acme&ContactEmail=partners%40acme-media.com&MediaPropertyUrl=https%3A%2F%2Facme-"
    "media.com";

class ApiCreate : public ::testing::Test {
 protected:
  Response create(const std::string& body) { return m_api.handle(post_form(k_path, body)); }

  FakeClock m_clock;
  Api m_api = make_api(m_clock);
};

TEST_F(ApiCreate, CreatesAndReportsTheMatch) {
  const Response response = create(k_acme + "&GroupId=77");
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"Status":"OK","ProspectId":"P-000001","DryRun":false,)"
                           R"("MatchedPartnerId":"556677","MatchedPartnerName":"Acme Media"})");
  EXPECT_FALSE(response.drop_after_commit);
  EXPECT_EQ(header(response, "X-RateLimit-Remaining"), "999");
}

TEST_F(ApiCreate, NoMatchGivesEmptyStrings) {
  const Response response = create(
      "PartnerName=New&ContactEmail=new%40new.example&MediaPropertyUrl=https%3A%2F%2Fnew.example");
  EXPECT_EQ(
      response.body,
      R"({"Status":"OK","ProspectId":"P-000001","DryRun":false,"MatchedPartnerId":"","MatchedPartnerName":""})");
}

TEST_F(ApiCreate, MatchesByIdAndHostAndNonAsciiNames) {
  EXPECT_EQ(create("PartnerName=S&ContactEmail=x%40y.example&MediaPropertyUrl=https%3A%2F%2Fy."
                   "example&PartnerId=880011")
                .body,
            R"({"Status":"OK","ProspectId":"P-000001","DryRun":false,"MatchedPartnerId":"880011",)"
            R"("MatchedPartnerName":"さくらメディア株式会社"})");
  EXPECT_EQ(
      create("PartnerName=B&ContactEmail=b%40y.example&MediaPropertyUrl=http%3A%2F%2FWWW."
             "blueskyblog.net%3A8080%2F")
          .body,
      R"({"Status":"OK","ProspectId":"P-000002","DryRun":false,"MatchedPartnerId":"120034","MatchedPartnerName":"Blue Sky Blog"})");
}

TEST_F(ApiCreate, SameEmailAndGroupIs409WithTheExistingId) {
  create(k_acme + "&GroupId=77");
  const Response response = create(
      "PartnerName=Other&ContactEmail=PARTNERS%40Acme-Media.com&"
      "MediaPropertyUrl=https%3A%2F%2Fother.example&GroupId=77");
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(
      response.body,
      R"({"Status":"ERROR","Message":"Conflict","Errors":[{"Field":"ContactEmail",)"
      R"("Message":"A prospect with this ContactEmail and GroupId already exists"}],"ProspectId":"P-000001"})");
}

TEST_F(ApiCreate, NoGroupIsItsOwnValue) {
  EXPECT_EQ(create(k_acme).status, 201);
  EXPECT_EQ(create(k_acme + "&GroupId=77").status, 201);
  EXPECT_EQ(create(k_acme + "&GroupId=78").status, 201);
  EXPECT_EQ(create(k_acme + "&GroupId=").status, 409);
  EXPECT_EQ(create(k_acme).status, 409);
}

TEST_F(ApiCreate, ProgramsAreSeparate) {
  EXPECT_EQ(create(k_acme).status, 201);
  EXPECT_EQ(m_api.handle(post_form(program_path("1002", "Prospects"), k_acme)).status, 201);
}

TEST_F(ApiCreate, DryRunCreatesNothingButMatches) {
  const Response response = create(k_acme + "&DryRun=true");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(
      response.body,
      R"({"Status":"OK","ProspectId":"","DryRun":true,"MatchedPartnerId":"556677","MatchedPartnerName":"Acme Media"})");
  EXPECT_EQ(create(k_acme + "&DryRun=false").status, 201);
  EXPECT_EQ(create(k_acme + "&DryRun=true").status, 409);
  EXPECT_EQ(m_api.state()["counters"]["dry_runs"], 1);
  EXPECT_EQ(m_api.state()["counters"]["creates"], 1);
}

TEST_F(ApiCreate, ValidationFailureListsEveryField) {
  const Response response = create(
      "PartnerName=&ContactEmail=bob%40&MediaPropertyUrl=www.example.com&GroupId=1&DryRun=yes");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(
      response.body,
      R"({"Status":"ERROR","Message":"Validation Failed","Errors":[)"
      R"({"Field":"PartnerName","Message":"Required"},)"
      R"({"Field":"ContactEmail","Message":"Not a valid email address"},)"
      R"({"Field":"MediaPropertyUrl","Message":"Must be an absolute URL starting with http:// or https://"},)"
      R"({"Field":"GroupId","Message":"No group with this Id in the program"},)"
      R"({"Field":"DryRun","Message":"Must be true or false"}]})");
}

TEST_F(ApiCreate, PlusIsASpaceAndPercent2BIsAPlus) {
  EXPECT_EQ(
      create(
          "PartnerName=A+B&ContactEmail=a%2Bb%40c.example&MediaPropertyUrl=https%3A%2F%2Fc.example")
          .status,
      201);
  const Response spaced =
      create("PartnerName=A&ContactEmail=a+b%40c.example&MediaPropertyUrl=https%3A%2F%2Fc.example");
  EXPECT_EQ(
      spaced.body,
      R"({"Status":"ERROR","Message":"Validation Failed","Errors":[{"Field":"ContactEmail","Message":"Not a valid email address"}]})");
  EXPECT_EQ(m_api.state()["prospects"][0]["fields"]["PartnerName"], "A B");
  EXPECT_EQ(m_api.state()["prospects"][0]["fields"]["ContactEmail"], "a+b@c.example");
}

TEST_F(ApiCreate, BadEncodingOrContentTypeIs400) {
  EXPECT_EQ(
      create("PartnerName=%E3%8").body,
      R"({"Status":"ERROR","Message":"Bad Request: the body is not validly form-encoded","Errors":[]})");
  Request json = post_form(k_path, "{}");
  json.headers[1].second = "application/json";
  EXPECT_EQ(m_api.handle(json).body,
            R"({"Status":"ERROR","Message":"Bad Request: Content-Type must be )"
            R"(application/x-www-form-urlencoded","Errors":[]})");
  json.headers[1].second = "Application/X-WWW-Form-Urlencoded; charset=UTF-8";
  json.body = k_acme;
  EXPECT_EQ(m_api.handle(json).status, 201);
}

TEST_F(ApiCreate, NothingIsTrimmed) {
  const Response response = create(
      "PartnerName=+A+&ContactEmail=+a%40b.example&MediaPropertyUrl=https%3A%2F%2Fb.example");
  EXPECT_EQ(
      response.body,
      R"({"Status":"ERROR","Message":"Validation Failed","Errors":[{"Field":"ContactEmail","Message":"Not a valid email address"}]})");
}

TEST_F(ApiCreate, ListsAndRecordsProspectsAsReceived) {
  create(k_acme + "&GroupId=95&ContactFirstName=%E5%A4%AA%E9%83%8E&Extra=1&DryRun=false");
  EXPECT_EQ(
      m_api.handle(get(k_path)).body,
      R"({"@page":"1","@numpages":"1","@pagesize":"100","@total":"1","@nextpageuri":"","Prospects":[)"
      R"({"ProspectId":"P-000001","PartnerName":"Acme","ContactEmail":"partners@acme-media.com",)"
      R"("MediaPropertyUrl":"https://acme-media.com","GroupId":"95","ContactFirstName":"太郎","ContactLastName":"",)"
      R"("Description":"","PartnerId":"","MatchedPartnerId":"556677","MatchedPartnerName":"Acme Media"}]})");
  EXPECT_EQ(
      m_api.state().dump(),
      R"({"prospects":[{"prospect_id":"P-000001","account_sid":"IRsandbox0001","program_id":"1001",)"
      R"("matched_partner_id":"556677","matched_partner_name":"Acme Media","fields":{"PartnerName":"Acme",)"
      R"("ContactEmail":"partners@acme-media.com","MediaPropertyUrl":"https://acme-media.com","GroupId":"95",)"
      R"("ContactFirstName":"太郎","Extra":"1","DryRun":"false"}}],"counters":{"requests":2,)"
      R"("by_status":{"200":1,"201":1},"rate_limited":0,"injected_faults":0,"drops":0,"creates":1,"dry_runs":0},)"
      R"("rate_windows":{"IRsandbox0001":[{"start_ms":0,"used":2,"refused":0,"clients":{"":2}}]}})");
}

TEST(ApiDrop, ACommittedCreateMayLoseItsAnswer) {
  FakeClock clock;
  Api api = make_api(clock, {.drop_rate = 1.0});
  const Response dry = api.handle(post_form(k_path, k_acme + "&DryRun=true"));
  EXPECT_FALSE(dry.drop_after_commit);
  const Response created = api.handle(post_form(k_path, k_acme));
  EXPECT_EQ(created.status, 201);
  EXPECT_TRUE(created.drop_after_commit);
  const Response retried = api.handle(post_form(k_path, k_acme));
  EXPECT_EQ(retried.status, 409);
  EXPECT_FALSE(retried.drop_after_commit);
  EXPECT_EQ(api.state()["counters"]["drops"], 1);
}

}  // namespace
}  // namespace prospect_sandbox
