#include "prospect_import/api.h"

#include <gtest/gtest.h>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

using namespace std::chrono_literals;

HttpResponse response(long status, std::string body,
                      std::map<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

HttpResponse transport_failure(TransportError e, std::string message) {
  HttpResponse r;
  r.transport = e;
  r.transport_message = std::move(message);
  return r;
}

std::map<std::string, std::string> rate_headers(const char* limit, const char* remaining,
                                                const char* reset) {
  return {{"x-ratelimit-limit", limit},
          {"x-ratelimit-remaining", remaining},
          {"x-ratelimit-reset", reset}};
}

Values values(std::string partner, std::string email, std::string url) {
  Values v;
  v[index(Column::partner_name)] = std::move(partner);
  v[index(Column::contact_email)] = std::move(email);
  v[index(Column::media_property)] = std::move(url);
  return v;
}

// --- encoding and URLs ---------------------------------------------------

TEST(ApiFormEncode, SpacePlusAmpersandAndEquals) {
  EXPECT_EQ(form_encode("Acme Media"), "Acme+Media");
  EXPECT_EQ(form_encode("bob+tag@example.com"), "bob%2Btag%40example.com");
  EXPECT_EQ(form_encode("a&b=c"), "a%26b%3Dc");
  EXPECT_EQ(form_encode("50% off"), "50%25+off");
}

TEST(ApiFormEncode, KeepsOnlyTheWhatwgSafeCharacters) {
  EXPECT_EQ(form_encode("AZaz09*-._"), "AZaz09*-._");
  EXPECT_EQ(form_encode("~!'()/:?#"), "%7E%21%27%28%29%2F%3A%3F%23");
  EXPECT_EQ(form_encode("https://a.example/p?q=1&r=2"),
            "https%3A%2F%2Fa.example%2Fp%3Fq%3D1%26r%3D2");
  EXPECT_EQ(form_encode("line\r\nbreak\t"), "line%0D%0Abreak%09");
  EXPECT_EQ(form_encode(""), "");
}

TEST(ApiFormEncode, NonAsciiIsPercentEncodedUtf8) {
  EXPECT_EQ(form_encode("é"), "%C3%A9");
  EXPECT_EQ(form_encode("日本 メディア"),
            "%E6%97%A5%E6%9C%AC+%E3%83%A1%E3%83%87%E3%82%A3%E3%82%A2");
  EXPECT_EQ(form_encode("\xC2\xA0"), "%C2%A0") << "U+00A0 is a character, not a space";
  EXPECT_EQ(form_encode("😀"), "%F0%9F%98%80");
}

TEST(ApiEncodePathSegment, KeepsUnreservedEncodesTheRest) {
  EXPECT_EQ(encode_path_segment("IRabc-1._~"), "IRabc-1._~");
  EXPECT_EQ(encode_path_segment("IR abc/1"), "IR%20abc%2F1") << "space is %20 in a path, not '+'";
  EXPECT_EQ(encode_path_segment("a+b?c#d%"), "a%2Bb%3Fc%23d%25");
  EXPECT_EQ(encode_path_segment("é"), "%C3%A9");
}

TEST(ApiJoinUrl, ExactlyOneSlashBetweenBaseAndPath) {
  EXPECT_EQ(join_url("https://api.impact.com", "/Advertisers/IRabc/Campaigns"),
            "https://api.impact.com/Advertisers/IRabc/Campaigns");
  EXPECT_EQ(join_url("https://api.impact.com/", "/Advertisers/IRabc/Campaigns"),
            "https://api.impact.com/Advertisers/IRabc/Campaigns");
  EXPECT_EQ(join_url("https://api.impact.com", "Advertisers/IRabc/Campaigns"),
            "https://api.impact.com/Advertisers/IRabc/Campaigns");
  EXPECT_EQ(join_url("https://api.impact.com/", "Advertisers"),
            "https://api.impact.com/Advertisers");
}

TEST(ApiJoinUrl, KeepsABasePathPrefix) {
  EXPECT_EQ(join_url("http://127.0.0.1:8080/impact",
                     "/Advertisers/IRabc/Campaigns/1001/MediaPartnerGroups?Page=2&PageSize=1000"),
            "http://127.0.0.1:8080/impact/Advertisers/IRabc/Campaigns/1001/"
            "MediaPartnerGroups?Page=2&PageSize=1000");
  EXPECT_EQ(join_url("http://127.0.0.1:8080/impact/", "/Advertisers/IRabc/Campaigns?Page=2"),
            "http://127.0.0.1:8080/impact/Advertisers/IRabc/Campaigns?Page=2");
}

TEST(ApiUrls, EndpointsEncodeAccountAndProgramUnderABasePrefix) {
  ApiTarget t{"https://proxy.example/impact", "IR abc", "10/01"};
  EXPECT_EQ(prospects_url(t),
            "https://proxy.example/impact/Advertisers/IR%20abc/Campaigns/10%2F01/Prospects");
  EXPECT_EQ(groups_url(t, 2),
            "https://proxy.example/impact/Advertisers/IR%20abc/Campaigns/10%2F01/"
            "MediaPartnerGroups?Page=2&PageSize=1000");
  EXPECT_EQ(campaigns_url(t, 1),
            "https://proxy.example/impact/Advertisers/IR%20abc/Campaigns?Page=1&PageSize=1000");
}

// --- the create body -----------------------------------------------------

TEST(ApiCreateBody, AllFieldsInTemplateOrder) {
  Values v = values("Acme Media", "bob+tag@example.com", "https://acme.example/blog?a=1&b=2");
  v[index(Column::group_name)] = "Bloggers";  // the name is resolved: the id is sent
  v[index(Column::contact_first_name)] = "Bob";
  v[index(Column::contact_last_name)] = "O'Neil";
  v[index(Column::description)] = "Tech & gadgets = fun";
  v[index(Column::partner_id)] = "556677";
  EXPECT_EQ(create_body(v, "77", false),
            "PartnerName=Acme+Media&ContactEmail=bob%2Btag%40example.com"
            "&MediaPropertyUrl=https%3A%2F%2Facme.example%2Fblog%3Fa%3D1%26b%3D2&GroupId=77"
            "&ContactFirstName=Bob&ContactLastName=O%27Neil&Description=Tech+%26+gadgets+%3D+fun"
            "&PartnerId=556677&DryRun=false");
}

TEST(ApiCreateBody, EmptyOptionalFieldsAreLeftOut) {
  Values v = values("ブロガー", "a@b.example", "https://b.example");
  v[index(Column::group_name)] = "Bloggers";  // without a resolved id nothing is sent
  EXPECT_EQ(create_body(v, "", true),
            "PartnerName=%E3%83%96%E3%83%AD%E3%82%AC%E3%83%BC&ContactEmail=a%40b.example"
            "&MediaPropertyUrl=https%3A%2F%2Fb.example&DryRun=true");
}

TEST(ApiCreateBody, DryRunFlag) {
  Values v = values("A", "a@b.example", "https://b.example");
  EXPECT_TRUE(create_body(v, "", true).ends_with("&DryRun=true"));
  EXPECT_TRUE(create_body(v, "", false).ends_with("&DryRun=false"));
}

// --- rate headers --------------------------------------------------------

TEST(ApiRateInfo, ReadsTheThreeHeaders) {
  RateInfo r = rate_info(response(201, "{}", rate_headers("1000", "998", "3500")));
  EXPECT_EQ(r.limit, 1000);
  EXPECT_EQ(r.remaining, 998);
  EXPECT_EQ(r.reset, 3500s);
  EXPECT_EQ(r.reset_value, HeaderValue::usable);
}

TEST(ApiRateInfo, MissingOrUnreadableHeadersStayEmpty) {
  RateInfo none = rate_info(response(502, "<html></html>"));
  EXPECT_FALSE(none.limit);
  EXPECT_FALSE(none.remaining);
  EXPECT_FALSE(none.reset);
  EXPECT_EQ(none.reset_value, HeaderValue::absent);

  RateInfo partial = rate_info(
      response(201, "{}", {{"x-ratelimit-remaining", "5"}, {"x-ratelimit-reset", "soon"}}));
  EXPECT_FALSE(partial.limit);
  EXPECT_EQ(partial.remaining, 5);
  EXPECT_FALSE(partial.reset);
  EXPECT_EQ(partial.reset_value, HeaderValue::garbage);
}

// Issue 7, item 4: a Reset of 9.3e9 s or more overflowed, so the tool did not
// wait at all; a negative one was undefined behaviour.
TEST(ApiRateInfo, HugeResetsSaturateInsteadOfOverflowing) {
  for (const char* huge : {"9300000000", "99999999999999999999999999", "9223372036854775807"}) {
    RateInfo r = rate_info(response(429, "{}", rate_headers("1000", "0", huge)));
    EXPECT_EQ(r.reset, k_max_reset) << huge;
    EXPECT_EQ(r.reset_value, HeaderValue::usable) << huge;
  }
  RateInfo hour = rate_info(response(429, "{}", rate_headers("1000", "0", "3601")));
  EXPECT_EQ(hour.reset, 3601s) << "capping at an hour is the pacer's decision";
}

TEST(ApiRateInfo, NegativeAndGarbageResetsAreNotUsable) {
  struct Case {
    const char* value;
    HeaderValue kind;
  };
  for (auto [value, kind] :
       {Case{"-1", HeaderValue::negative}, Case{"-9300000000", HeaderValue::negative},
        Case{"soon", HeaderValue::garbage}, Case{"", HeaderValue::garbage},
        Case{"12abc", HeaderValue::garbage}, Case{"1.5", HeaderValue::garbage},
        Case{"+5", HeaderValue::garbage}, Case{"-", HeaderValue::garbage},
        Case{"0x10", HeaderValue::garbage}, Case{"1e3", HeaderValue::garbage}}) {
    RateInfo r = rate_info(response(429, "{}", rate_headers("1000", "0", value)));
    EXPECT_FALSE(r.reset) << '"' << value << '"';
    EXPECT_EQ(r.reset_value, kind) << '"' << value << '"';
  }
}

TEST(ApiRateInfo, WhiteSpaceAroundANumberIsAllowed) {
  RateInfo r = rate_info(response(429, "{}", rate_headers(" 1000", "0\t", " 30 ")));
  EXPECT_EQ(r.limit, 1000);
  EXPECT_EQ(r.remaining, 0);
  EXPECT_EQ(r.reset, 30s);
}

TEST(ApiRateInfo, NegativeOrGarbageLimitAndRemainingStayEmpty) {
  RateInfo r = rate_info(response(200, "{}", rate_headers("-5", "12abc", "30")));
  EXPECT_FALSE(r.limit);
  EXPECT_FALSE(r.remaining);
}

// --- reading create answers ----------------------------------------------

TEST(ApiReadCreateAnswer, CreatedWithIdsAndMatches) {
  auto c = read_create_answer(
      response(201,
               R"({"Status": "OK", "ProspectId": "P-000123", "DryRun": false,)"
               R"( "MatchedPartnerId": "556677", "MatchedPartnerName": "Acme Media"})",
               rate_headers("1000", "998", "3500")),
      false);
  EXPECT_EQ(c.outcome, Outcome::created);
  EXPECT_EQ(c.prospect_id, "P-000123");
  EXPECT_EQ(c.matched_partner_id, "556677");
  EXPECT_EQ(c.matched_partner_name, "Acme Media");
  EXPECT_EQ(c.message, "");
  EXPECT_EQ(c.rate.remaining, 998);
  EXPECT_EQ(c.rate.reset, 3500s);
}

// A success answer is read member by member (not into a document); what it
// yields must be what a parsed document gave for the same body.
TEST(ApiReadCreateAnswer, ReadsEachBodyAsAParsedDocumentWould) {
  struct Case {
    const char* body;
    Outcome outcome;
    const char* id;
    const char* matched_id;
    const char* matched_name;
  };
  const Case cases[] = {
      // the last of a repeated member wins, whatever it holds
      {R"({"ProspectId": "P-1", "ProspectId": "P-2"})", Outcome::created, "P-2", "", ""},
      {R"({"ProspectId": "P-1", "MatchedPartnerId": 7, "MatchedPartnerId": null})",
       Outcome::created, "P-1", "", ""},
      // numbers are written as nlohmann writes them; other kinds read as ""
      {R"({"ProspectId": 123, "MatchedPartnerId": 18446744073709551615,)"
       R"( "MatchedPartnerName": 1.5e3})",
       Outcome::created, "123", "18446744073709551615", "1500.0"},
      {R"({"ProspectId": "P-3", "MatchedPartnerName": true})", Outcome::created, "P-3", "", ""},
      // members of nested objects and arrays are not the answer's
      {R"({"Data": {"ProspectId": "P-9"}, "List": ["ProspectId", {"ProspectId": "P-8"}],)"
       R"( "ProspectId": "P-4"})",
       Outcome::created, "P-4", "", ""},
      {R"({"ProspectId": {"ProspectId": "P-5"}})", Outcome::transient, "", "", ""},
      {R"({"ProspectId": ["P-6"], "MatchedPartnerId": "9"})", Outcome::transient, "", "9", ""},
      // not an object, or not JSON at all
      {R"(["ProspectId", "P-7"])", Outcome::transient, "", "", ""},
      {R"({"ProspectId": "P-8"} trailing)", Outcome::transient, "", "", ""},
      {R"({"ProspectId": "P-8")", Outcome::transient, "", "", ""},
      // strings are cleaned as every server text is
      {"{\"ProspectId\": \"P-\\u001b[31m9\"}", Outcome::created, "P-[31m9", "", ""},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.body);
    auto c = read_create_answer(response(201, k.body), false);
    EXPECT_EQ(c.outcome, k.outcome);
    if (c.outcome != Outcome::created) continue;
    EXPECT_EQ(c.prospect_id, k.id);
    EXPECT_EQ(c.matched_partner_id, k.matched_id);
    EXPECT_EQ(c.matched_partner_name, k.matched_name);
  }
}

TEST(ApiReadCreateAnswer, CreatedWithoutMatch) {
  auto c =
      read_create_answer(response(201, R"({"Status": "OK", "ProspectId": "P-7", "DryRun": false,)"
                                       R"( "MatchedPartnerId": "", "MatchedPartnerName": ""})"),
                         false);
  EXPECT_EQ(c.outcome, Outcome::created);
  EXPECT_EQ(c.prospect_id, "P-7");
  EXPECT_EQ(c.matched_partner_id, "");
  EXPECT_EQ(c.matched_partner_name, "");
}

TEST(ApiReadCreateAnswer, DryRunOkReportsMatchesAndNoId) {
  auto c = read_create_answer(
      response(200, R"({"Status": "OK", "ProspectId": "", "DryRun": true,)"
                    R"( "MatchedPartnerId": "556677", "MatchedPartnerName": "Acme Media"})"),
      true);
  EXPECT_EQ(c.outcome, Outcome::dry_run_ok);
  EXPECT_EQ(c.prospect_id, "");
  EXPECT_EQ(c.matched_partner_id, "556677");
  EXPECT_EQ(c.matched_partner_name, "Acme Media");
}

TEST(ApiReadCreateAnswer, ConflictIsAlreadyExistsWithTheExistingId) {
  const char* body =
      R"({"Status": "ERROR", "Message": "Prospect already exists", "ProspectId": "P-000042"})";
  for (bool dry_run : {false, true}) {
    auto c = read_create_answer(response(409, body), dry_run);
    EXPECT_EQ(c.outcome, Outcome::already_exists) << "dry run " << dry_run;
    EXPECT_EQ(c.prospect_id, "P-000042") << "dry run " << dry_run;
  }
}

TEST(ApiReadCreateAnswer, ValidationErrorsUseTemplateColumnNames) {
  auto c = read_create_answer(
      response(
          400,
          R"({"Status": "ERROR", "Message": "Validation Failed",)"
          R"( "Errors": [{"Field": "ContactEmail", "Message": "Not a valid email address"}]})"),
      false);
  EXPECT_EQ(c.outcome, Outcome::rejected);
  EXPECT_EQ(c.message, "Contact Email: Not a valid email address");
}

TEST(ApiReadCreateAnswer, SeveralValidationErrorsAreJoined) {
  auto c = read_create_answer(
      response(400, R"({"Status": "ERROR", "Message": "Validation Failed", "Errors": [)"
                    R"({"Field": "GroupId", "Message": "not a group of this program"},)"
                    R"({"Field": "MediaPropertyUrl", "Message": "not an absolute http(s) URL"},)"
                    R"({"Field": "DryRun", "Message": "must be true or false"}]})"),
      false);
  EXPECT_EQ(c.outcome, Outcome::rejected);
  EXPECT_EQ(c.message,
            "Group Name: not a group of this program; Media Property: not an absolute http(s) URL; "
            "DryRun: must be true or false");
}

TEST(ApiReadCreateAnswer, BadRequestWithoutErrorsShowsStatusAndMessage) {
  auto c = read_create_answer(response(400, R"({"Status": "ERROR", "Message": "Malformed body"})"),
                              false);
  EXPECT_EQ(c.outcome, Outcome::rejected);
  EXPECT_EQ(c.message, "the API answered 400: Malformed body");

  auto empty = read_create_answer(
      response(400, R"({"Status": "ERROR", "Message": "Malformed body", "Errors": []})"), false);
  EXPECT_EQ(empty.message, "the API answered 400: Malformed body");
}

TEST(ApiReadCreateAnswer, CredentialsRefused) {
  auto c401 = read_create_answer(
      response(401, R"({"Status": "ERROR", "Message": "Invalid credentials"})"), false);
  EXPECT_EQ(c401.outcome, Outcome::auth_refused);
  EXPECT_EQ(c401.message, "the API answered 401: Invalid credentials");
  auto c403 =
      read_create_answer(response(403, R"({"Status": "ERROR", "Message": "Forbidden"})"), false);
  EXPECT_EQ(c403.outcome, Outcome::auth_refused);
  EXPECT_EQ(c403.message, "the API answered 403: Forbidden");
}

TEST(ApiReadCreateAnswer, NotFoundIsAMissingProgram) {
  auto c = read_create_answer(
      response(404, R"({"Status": "ERROR", "Message": "Program not found"})"), false);
  EXPECT_EQ(c.outcome, Outcome::program_missing);
  EXPECT_EQ(c.message, "the API answered 404: Program not found");
}

TEST(ApiReadCreateAnswer, TooManyRequestsCarriesTheReset) {
  auto c =
      read_create_answer(response(429, R"({"Status": "ERROR", "Message": "Rate limit exceeded"})",
                                  rate_headers("1000", "0", "42")),
                         false);
  EXPECT_EQ(c.outcome, Outcome::rate_limited);
  EXPECT_EQ(c.rate.reset, 42s);
  EXPECT_EQ(c.rate.remaining, 0);
}

TEST(ApiReadCreateAnswer, ServerErrorsAreTransient) {
  for (long status : {500L, 502L, 503L, 504L}) {
    auto c = read_create_answer(response(status, R"({"Status": "ERROR", "Message": "Try again"})"),
                                false);
    EXPECT_EQ(c.outcome, Outcome::transient) << status;
    EXPECT_EQ(c.message, "the API answered " + std::to_string(status) + ": Try again");
  }
}

TEST(ApiReadCreateAnswer, OtherClientErrorsAreRejected) {
  auto c = read_create_answer(response(422, R"({"Status": "ERROR", "Message": "Unprocessable"})"),
                              false);
  EXPECT_EQ(c.outcome, Outcome::rejected);
  EXPECT_EQ(c.message, "the API answered 422: Unprocessable");
}

TEST(ApiReadCreateAnswer, TimeoutsAndBrokenConnectionsAreTransient) {
  auto timeout = read_create_answer(
      transport_failure(TransportError::timeout, "Operation timed out after 30000 milliseconds"),
      false);
  EXPECT_EQ(timeout.outcome, Outcome::transient);
  EXPECT_EQ(timeout.message, "Operation timed out after 30000 milliseconds");
  auto broken = read_create_answer(
      transport_failure(TransportError::broken, "Connection reset by peer"), false);
  EXPECT_EQ(broken.outcome, Outcome::transient);
  EXPECT_EQ(broken.message, "Connection reset by peer");
}

TEST(ApiReadCreateAnswer, ConnectAndTlsFailuresAreUnreachable) {
  auto connect = read_create_answer(
      transport_failure(TransportError::connect, "Could not resolve host: api.example"), false);
  EXPECT_EQ(connect.outcome, Outcome::unreachable);
  EXPECT_EQ(connect.message, "Could not resolve host: api.example");
  auto tls = read_create_answer(
      transport_failure(TransportError::tls, "SSL certificate problem: self-signed certificate"),
      false);
  EXPECT_EQ(tls.outcome, Outcome::unreachable);
  EXPECT_EQ(tls.message, "SSL certificate problem: self-signed certificate");
}

TEST(ApiReadCreateAnswer, ShortHtmlPageIsQuotedOnOneLine) {
  auto c =
      read_create_answer(response(502, "<html>\r\n<h1>Bad Gateway</h1>\r\n</html>\r\n"), false);
  EXPECT_EQ(c.outcome, Outcome::transient);
  EXPECT_EQ(c.message,
            "the API answered 502 with a body that is not JSON: \"<html>  <h1>Bad Gateway</h1>  "
            "</html>\"");
}

TEST(ApiReadCreateAnswer, LongHtmlPageIsCutToAShortExcerpt) {
  std::string page =
      "<html><head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad "
      "Gateway</h1></center>\n";
  for (int i = 0; i < 50; ++i)
    page += "<!-- a padding comment to defeat a browser's friendly error page -->\n";
  page += "</body></html>\n";
  auto c = read_create_answer(response(502, page, {}), false);
  EXPECT_EQ(c.outcome, Outcome::transient);
  const std::string head =
      "the API answered 502 with a body that is not JSON: \"<html><head><title>502 Bad "
      "Gateway</title>";
  EXPECT_TRUE(c.message.starts_with(head)) << c.message;
  EXPECT_TRUE(c.message.ends_with("...\"")) << c.message;
  EXPECT_LE(c.message.size(), 200u) << c.message;
  EXPECT_EQ(c.message.find('\n'), std::string::npos);
}

TEST(ApiReadCreateAnswer, ExcerptOfNonAsciiPageIsValidUtf8) {
  std::string page;
  for (int i = 0; i < 200; ++i) page += "ゲートウェイエラー";
  auto c = read_create_answer(response(503, page), false);
  EXPECT_EQ(c.outcome, Outcome::transient);
  EXPECT_TRUE(is_valid_utf8(c.message)) << c.message;
  EXPECT_TRUE(c.message.starts_with(
      "the API answered 503 with a body that is not JSON: \"ゲートウェイエラー"));
  EXPECT_TRUE(c.message.ends_with("...\""));
  EXPECT_LE(code_point_count(c.message), 200u);
}

TEST(ApiReadCreateAnswer, EmptyBody) {
  auto c = read_create_answer(response(503, ""), false);
  EXPECT_EQ(c.outcome, Outcome::transient);
  EXPECT_EQ(c.message, "the API answered 503 with an empty body");
  auto blank = read_create_answer(response(500, " \r\n"), false);
  EXPECT_EQ(blank.message, "the API answered 500 with an empty body");
}

TEST(ApiReadCreateAnswer, SuccessWithoutItsBodyIsTransient) {
  // The row may have been created: a retry is answered 409 and so recognised.
  auto c = read_create_answer(response(201, "<html>OK</html>"), false);
  EXPECT_EQ(c.outcome, Outcome::transient);
  EXPECT_EQ(c.message, "the API answered 201 without a readable body");
  auto empty = read_create_answer(response(201, ""), false);
  EXPECT_EQ(empty.outcome, Outcome::transient);
  auto dry = read_create_answer(response(200, "{\"Status\": \"OK\""), true);
  EXPECT_EQ(dry.outcome, Outcome::transient);
  EXPECT_EQ(dry.message, "the API answered 200 without a readable body");
}

// Issue 7, item 11: a 201 without its ProspectId and a 200 page to a real
// create are lost answers (the row may exist), never `created` or `rejected`.
TEST(ApiReadCreateAnswer, CreatedWithoutProspectIdIsTransient) {
  auto c = read_create_answer(response(201, R"({"Status": "OK", "DryRun": false})"), false);
  EXPECT_EQ(c.outcome, Outcome::transient);
  EXPECT_EQ(c.message, "the API answered 201 without a ProspectId");
  auto empty = read_create_answer(response(201, R"({"Status": "OK", "ProspectId": ""})"), false);
  EXPECT_EQ(empty.outcome, Outcome::transient);
  EXPECT_EQ(empty.message, "the API answered 201 without a ProspectId");
}

TEST(ApiReadCreateAnswer, AnOkPageToARealCreateIsTransient) {
  auto html = read_create_answer(response(200, "<html><body>Welcome</body></html>"), false);
  EXPECT_EQ(html.outcome, Outcome::transient);
  EXPECT_EQ(
      html.message,
      "the API answered 200 with a body that is not JSON: \"<html><body>Welcome</body></html>\"");
  auto json = read_create_answer(response(200, R"({"Status": "OK", "ProspectId": "P-1"})"), false);
  EXPECT_EQ(json.outcome, Outcome::transient);
  EXPECT_EQ(json.message, "the API answered 200, not the 201 of a created prospect");
  EXPECT_EQ(read_create_answer(response(204, ""), false).outcome, Outcome::transient);
}

TEST(ApiReadCreateAnswer, ARedirectSaysWhereItPoints) {
  auto c = read_create_answer(response(302, "", {{"location", "https://login.example/?next=%2F"}}),
                              false);
  EXPECT_EQ(c.outcome, Outcome::rejected);
  EXPECT_EQ(c.message,
            "the API answered 302, a redirect to \"https://login.example/?next=%2F\" that is not "
            "followed (check --api-base)");
  auto bare = read_create_answer(response(301, "<html>Moved</html>"), false);
  EXPECT_EQ(bare.message,
            "the API answered 301, a redirect without a Location that is not followed (check "
            "--api-base)");
}

// Issue 7, item 8: what a server says is cleaned before it becomes a message or a report cell.
TEST(ApiReadCreateAnswer, ServerTextIsCleaned) {
  auto c = read_create_answer(
      response(400, R"({"Status": "ERROR", "Message": "\u001b]0;pwned\u0007\u001b[2Jno\u0000pe"})"),
      false);
  EXPECT_EQ(c.message, "the API answered 400: ]0;pwned[2Jnope");
  auto ok =
      read_create_answer(response(201, R"({"ProspectId": "P-\u001b[31m1", "MatchedPartnerId": "",)"
                                       R"( "MatchedPartnerName": "Acme\r\nMedia\u009b"})"),
                         false);
  EXPECT_EQ(ok.prospect_id, "P-[31m1");
  EXPECT_EQ(ok.matched_partner_name, "Acme  Media");
  auto page =
      read_create_answer(response(502, std::string("<h1>\x1b[2J\0bad\xff</h1>", 18)), false);
  EXPECT_EQ(page.message,
            "the API answered 502 with a body that is not JSON: \"<h1>[2Jbad\xEF\xBF\xBD</h1>\"");
  std::string long_message(2000, 'm');
  auto cut = read_create_answer(response(400, R"({"Message": ")" + long_message + R"("})"), false);
  EXPECT_EQ(cut.message, "the API answered 400: " + std::string(500, 'm') + "...");
}

// --- listings ------------------------------------------------------------

TEST(ApiReadListPage, GroupsWithANextPage) {
  std::string error;
  auto page = read_list_page(
      response(
          200,
          R"({"@page": "1", "@numpages": "2", "@pagesize": "1000", "@total": "1204",)"
          R"( "@nextpageuri": "/Advertisers/IRabc/Campaigns/1001/MediaPartnerGroups?Page=2&PageSize=1000",)"
          R"( "Groups": [{"Id": "77", "Name": "Bloggers"}, {"Id": 78, "Name": "ブロガー"}]})"),
      "Groups", error);
  ASSERT_TRUE(page) << error;
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, "77");
  EXPECT_EQ(page->items[0].name, "Bloggers");
  EXPECT_EQ(page->items[1].id, "78") << "a numeric id reads as its digits";
  EXPECT_EQ(page->items[1].name, "ブロガー");
  EXPECT_EQ(page->next_uri,
            "/Advertisers/IRabc/Campaigns/1001/MediaPartnerGroups?Page=2&PageSize=1000");
  EXPECT_EQ(page->num_pages, 2);
  EXPECT_EQ(join_url("https://proxy.example/impact/", page->next_uri),
            "https://proxy.example/impact/Advertisers/IRabc/Campaigns/1001/"
            "MediaPartnerGroups?Page=2&PageSize=1000");
}

TEST(ApiReadListPage, LastAndEmptyPages) {
  std::string error;
  auto last =
      read_list_page(response(200, R"({"@page": "1", "@numpages": "1", "@nextpageuri": "",)"
                                   R"( "Campaigns": [{"Id": "1001", "Name": "Spring Program"}]})"),
                     "Campaigns", error);
  ASSERT_TRUE(last) << error;
  ASSERT_EQ(last->items.size(), 1u);
  EXPECT_EQ(last->items[0].name, "Spring Program");
  EXPECT_EQ(last->next_uri, "");

  auto empty = read_list_page(
      response(200, R"({"@page": "1", "@numpages": "0", "@nextpageuri": "", "Campaigns": []})"),
      "Campaigns", error);
  ASSERT_TRUE(empty) << error;
  EXPECT_TRUE(empty->items.empty());
  EXPECT_EQ(empty->next_uri, "");
}

TEST(ApiReadListPage, NumpagesIsReadOnlyWhenItIsANumber) {
  std::string error;
  for (const char* bad : {R"("")", R"("two")", R"("-1")", R"(null)", R"("99999999999999999999")"}) {
    auto page =
        read_list_page(response(200, std::string(R"({"@numpages": )") + bad + R"(, "Groups": []})"),
                       "Groups", error);
    ASSERT_TRUE(page) << error;
    EXPECT_FALSE(page->num_pages) << bad;
  }
  auto number = read_list_page(response(200, R"({"@numpages": 3, "Groups": []})"), "Groups", error);
  ASSERT_TRUE(number);
  EXPECT_EQ(number->num_pages, 3);
}

TEST(ApiReadListPage, NamesAreCleaned) {
  std::string error;
  auto page = read_list_page(
      response(200, R"({"Groups": [{"Id": "7", "Name": "\u001b[2JBloggers\u0007"}]})"), "Groups",
      error);
  ASSERT_TRUE(page) << error;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name, "[2JBloggers");
}

TEST(ApiReadListPage, NotAListIsAnError) {
  std::string error;
  EXPECT_FALSE(read_list_page(response(502, "<html>Bad Gateway</html>"), "Groups", error));
  EXPECT_EQ(error, "the API's answer is not a list of Groups: \"<html>Bad Gateway</html>\"");

  error.clear();
  EXPECT_FALSE(read_list_page(response(200, R"({"Campaigns": []})"), "Groups", error))
      << "wrong key";
  EXPECT_FALSE(error.empty());

  error.clear();
  EXPECT_FALSE(read_list_page(response(200, R"({"Groups": {"Id": "77"}})"), "Groups", error))
      << "not an array";
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace prospect_import
