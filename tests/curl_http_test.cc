// The libcurl client against a hostile server in the same process: what it
// hands on of an answer is capped, cleaned and free of the credentials.

#include "prospect_import/curl_http.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include "hostile_server.h"
#include "prospect_import/server_text.h"

namespace prospect_import {
namespace {

using testing::HostileConnection;
using testing::HostileRequest;
using testing::HostileServer;
using testing::http_answer;

constexpr const char* k_sid = "IRhostile01";
constexpr const char* k_token = "tok/Zq8+rW3=never";
// base64("IRhostile01:tok/Zq8+rW3=never")
constexpr const char* k_basic = "SVJob3N0aWxlMDE6dG9rL1pxOCtyVzM9bmV2ZXI=";

HttpResponse get(const HostileServer& server, double timeout_s = 10) {
  auto client =
      make_curl_client(CurlSettings{k_sid, Secret(k_token), std::nullopt, timeout_s, "test"});
  return perform(*client, HttpRequest{1, "GET", server.base_url() + "/x", ""});
}

const std::string k_too_large =
    "the answer is larger than 4 MiB, so the tool stopped reading it (not an answer of the API: "
    "check --api-base)";

TEST(CurlHttp, SendsTheCredentialsThisTestLooksFor) {
  HostileServer server(
      [](const HostileRequest&, HostileConnection& c) { c.write(http_answer(200, "{}")); });
  auto r = get(server);
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].headers.at("authorization"), std::string("Basic ") + k_basic);
}

TEST(CurlHttp, AHandleUsedForAPostSendsTheNextRequestAsItsOwn) {
  // Finished transfers' handles are reused: nothing of a POST (its body, its
  // Content-Type) may stay with the GET after it, and every request still
  // carries the credentials.
  HostileServer server(
      [](const HostileRequest&, HostileConnection& c) { c.write(http_answer(200, "{}")); });
  auto client = make_curl_client(CurlSettings{k_sid, Secret(k_token), std::nullopt, 10, "test"});
  EXPECT_EQ(perform(*client, HttpRequest{1, "POST", server.base_url() + "/p", "Name=Acme"}).status,
            200);
  EXPECT_EQ(perform(*client, HttpRequest{2, "GET", server.base_url() + "/g", ""}).status, 200);
  EXPECT_EQ(perform(*client, HttpRequest{3, "POST", server.base_url() + "/p", "Name=Beta"}).status,
            200);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].body, "Name=Acme");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].target, "/g");
  EXPECT_EQ(requests[1].body, "");
  EXPECT_EQ(requests[1].headers.count("content-type"), 0u);
  EXPECT_EQ(requests[2].method, "POST");
  EXPECT_EQ(requests[2].body, "Name=Beta");
  EXPECT_EQ(requests[2].headers.at("content-type"), "application/x-www-form-urlencoded");
  for (const auto& r : requests) {
    // The same headers, made once for the client, go with every request.
    EXPECT_EQ(r.headers.at("authorization"), std::string("Basic ") + k_basic);
    EXPECT_EQ(r.headers.at("user-agent"), "test");
    EXPECT_EQ(r.headers.at("accept"), "application/json");
    EXPECT_EQ(r.headers.count("expect"), 0u);
  }
}

// The event loop watches each socket through epoll: connections come and go
// (this server closes each after one answer, so socket numbers are reused at
// once) and every request, eight at a time, still gets its own answer.
TEST(CurlHttp, ManyRequestsAtOnceOverClosingConnectionsAllGetTheirAnswers) {
  HostileServer server([](const HostileRequest& r, HostileConnection& c) {
    c.write(http_answer(200, "{\"target\": \"" + r.target + "\"}"));
  });
  auto client = make_curl_client(CurlSettings{k_sid, Secret(k_token), std::nullopt, 10, "test"});
  constexpr std::uint64_t k_requests = 200;
  std::uint64_t started = 0;
  std::map<std::uint64_t, std::string> answers;
  while (answers.size() < k_requests) {
    while (started < k_requests && client->in_flight() < 8) {
      ++started;
      client->start(
          HttpRequest{started, "GET", server.base_url() + "/" + std::to_string(started), ""});
    }
    for (auto& r : client->wait(std::chrono::seconds(5))) {
      ASSERT_EQ(r.status, 200) << r.transport_message;
      EXPECT_TRUE(answers.emplace(r.tag, r.body).second) << "one answer a request";
    }
  }
  for (std::uint64_t tag = 1; tag <= k_requests; ++tag) {
    EXPECT_EQ(answers[tag], "{\"target\": \"/" + std::to_string(tag) + "\"}");
  }
}

// wakeup() (the journal's sync thread, when outcomes became durable) ends a
// wait for answers at once, not when the wait's time is up.
TEST(CurlHttp, AWakeupEndsAWaitAtOnce) {
  HostileServer server([](const HostileRequest&, HostileConnection& c) { c.hold(); });
  auto client = make_curl_client(CurlSettings{k_sid, Secret(k_token), std::nullopt, 60, "test"});
  client->start(HttpRequest{1, "GET", server.base_url() + "/slow", ""});
  EXPECT_TRUE(client->wait(std::chrono::milliseconds(200)).empty());  // connected, waiting
  std::thread waker([&client] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    client->wakeup();
  });
  auto began = std::chrono::steady_clock::now();
  auto done = client->wait(std::chrono::seconds(30));
  auto took = std::chrono::steady_clock::now() - began;
  waker.join();
  EXPECT_TRUE(done.empty());
  EXPECT_LT(took, std::chrono::seconds(10)) << "the wakeup, not the 30 s, ended the wait";
  EXPECT_EQ(client->in_flight(), 1u);
}

TEST(CurlHttp, AnEndlessChunkedBodyIsCutAtTheCap) {
  HostileServer server([](const HostileRequest&, HostileConnection& c) {
    if (!c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: "
                 "chunked\r\n\r\n"))
      return;
    const std::string chunk = "10000\r\n" + std::string(0x10000, '[') + "\r\n";
    while (c.write(chunk)) {
    }
  });
  auto r = get(server);
  EXPECT_EQ(r.transport, TransportError::broken);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.transport_message, k_too_large);
  EXPECT_TRUE(r.body.empty()) << "nothing of a cut answer is handed on";
}

TEST(CurlHttp, AHugeContentLengthFailsBeforeTheBody) {
  HostileServer server([](const HostileRequest&, HostileConnection& c) {
    if (!c.write("HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n")) return;
    const std::string block(0x10000, 'x');
    while (c.write(block)) {
    }
  });
  auto r = get(server);
  EXPECT_EQ(r.transport, TransportError::broken);
  EXPECT_EQ(r.transport_message, k_too_large);
}

TEST(CurlHttp, EndlessHeadersAreCutAtTheCap) {
  HostileServer server([](const HostileRequest&, HostileConnection& c) {
    if (!c.write("HTTP/1.1 200 OK\r\n")) return;
    const std::string header = "X-Padding: " + std::string(1000, 'p') + "\r\n";
    while (c.write(header)) {
    }
  });
  auto r = get(server);
  EXPECT_EQ(r.transport, TransportError::broken);
  EXPECT_EQ(r.transport_message,
            "the answer's headers are larger than 256 KiB, so the tool stopped reading it (not "
            "an answer of the API: check --api-base)");
}

TEST(CurlHttp, SlowHeadersTimeOut) {
  HostileServer server([](const HostileRequest&, HostileConnection& c) { c.hold(); });
  auto r = get(server, 1);
  EXPECT_EQ(r.transport, TransportError::timeout);
  EXPECT_EQ(r.transport_message, "Timeout was reached");
}

TEST(CurlHttp, EchoedCredentialsAreRedactedFromBodyAndHeaders) {
  HostileServer server([](const HostileRequest& request, HostileConnection& c) {
    const std::string auth = request.headers.at("authorization");
    c.write(
        http_answer(302, "you sent: " + request.head,
                    {{"Location", "http://evil.example/?a=" + auth + "&t=tok%2FZq8%2BrW3%3Dnever"},
                     {"X-Echo", std::string(k_sid) + ":" + k_token}}));
  });
  auto r = get(server);
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.headers.at("location"), "http://evil.example/?a=Basic [redacted]&t=[redacted]");
  EXPECT_EQ(r.headers.at("x-echo"), "[redacted]");
  EXPECT_NE(r.body.find("Authorization: Basic [redacted]\r\n"), std::string::npos) << r.body;
  for (const char* secret : {k_token, k_basic}) EXPECT_EQ(r.body.find(secret), std::string::npos);
}

TEST(CurlHttp, HeadersLoseControlCharactersAndInvalidUtf8) {
  HostileServer server([](const HostileRequest&, HostileConnection& c) {
    c.write(http_answer(400, "{}",
                        {{"X-Title", std::string("\x1b]0;pwned\x07\x1b[2Jclear\xff") + "ed"}}));
  });
  auto r = get(server);
  EXPECT_EQ(r.headers.at("x-title"),
            "]0;pwned[2Jclear\xEF\xBF\xBD"
            "ed");
}

}  // namespace
}  // namespace prospect_import
