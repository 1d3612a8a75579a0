#include "server.h"

#include "seed.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <thread>

namespace prospect_sandbox {
namespace {

using namespace testing;

// A real server on a free port of 127.0.0.1, serving on its own thread.
class RunningServer {
 public:
  explicit RunningServer(ApiOptions options = {}, DropMode mode = DropMode::empty)
      : m_api(default_seed(), options, m_clock),
        m_server(m_api, server_options(mode)),
        m_port(m_server.bind()),
        m_thread([this] { m_server.run(); }) {}
  ~RunningServer() {
    m_server.stop();
    m_thread.join();
  }
  httplib::Client client() const {
    httplib::Client client("127.0.0.1", m_port);
    client.set_basic_auth(k_sid.c_str(), k_token.c_str());
    return client;
  }
  std::string url() const { return m_server.url(); }

 private:
  static ServerOptions server_options(DropMode mode) {
    ServerOptions options;
    options.drop_mode = mode;
    return options;
  }

  SteadyClock m_clock;
  Api m_api;
  SandboxServer m_server;
  int m_port;
  std::thread m_thread;
};

const std::string k_form =
    "PartnerName=Acme&ContactEmail=a%40b.example&MediaPropertyUrl=https%3A%2F%2Fb.example";

TEST(Server, AnswersOverHttpWithKeepAlive) {
  RunningServer server;
  EXPECT_EQ(server.url().rfind("http://127.0.0.1:", 0), 0U);
  auto client = server.client();
  client.set_keep_alive(true);
  const auto programs = client.Get("/Advertisers/IRsandbox0001/Campaigns?PageSize=1");
  ASSERT_TRUE(programs);
  EXPECT_EQ(programs->status, 200);
  EXPECT_EQ(programs->get_header_value("X-RateLimit-Remaining"), "999");
  EXPECT_EQ(programs->body,
            R"({"@page":"1","@numpages":"3","@pagesize":"1","@total":"3",)"
            R"("@nextpageuri":"/Advertisers/IRsandbox0001/Campaigns?Page=2&PageSize=1",)"
            R"("Campaigns":[{"Id":"1001","Name":"Spring Program"}]})");
  const auto created = client.Post(program_path("1001", "Prospects").c_str(), k_form,
                                   "application/x-www-form-urlencoded");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201);
  const auto state = client.Get("/_sandbox/state");
  ASSERT_TRUE(state);
  EXPECT_EQ(nlohmann::json::parse(state->body)["counters"]["requests"], 2);
}

// Bodies reach the API as they came: a form over 8 KiB (cpp-httplib refused
// one with an empty 413) is a prospect like any other, and a body of another
// kind, multipart or chunked, gets the API's own answer.
TEST(Server, EveryBodyIsTheApisToAnswer) {
  RunningServer server;
  auto client = server.client();
  const std::string path = program_path("1001", "Prospects");
  const auto long_form =
      client.Post(path.c_str(), k_form + "&Description=" + std::string(20000, 'd'),
                  "application/x-www-form-urlencoded");
  ASSERT_TRUE(long_form);
  EXPECT_EQ(long_form->status, 201);
  const auto state = client.Get("/_sandbox/state");
  ASSERT_TRUE(state);
  EXPECT_EQ(nlohmann::json::parse(state->body)["prospects"][0]["fields"]["Description"],
            std::string(20000, 'd'));

  const httplib::MultipartFormDataItems items = {{"PartnerName", "Acme", "", ""}};
  const auto multipart = client.Post(path.c_str(), items);
  ASSERT_TRUE(multipart);
  EXPECT_EQ(multipart->status, 400);
  EXPECT_NE(multipart->body.find("Content-Type must be application/x-www-form-urlencoded"),
            std::string::npos);

  const std::string second =
      "PartnerName=Beta&ContactEmail=c%40d.example&MediaPropertyUrl=https%3A%2F%2Fd.example";
  const auto chunked = client.Post(
      path.c_str(),
      [&](size_t offset, httplib::DataSink& sink) {
        if (offset < second.size()) {
          sink.write(second.data() + offset, std::min<size_t>(10, second.size() - offset));
        } else {
          sink.done();
        }
        return true;
      },
      "application/x-www-form-urlencoded");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 201);
}

void expect_lost_then_conflict(DropMode mode) {
  RunningServer server({.drop_rate = 1.0}, mode);
  auto client = server.client();
  const auto created = client.Post(program_path("1001", "Prospects").c_str(), k_form,
                                   "application/x-www-form-urlencoded");
  EXPECT_FALSE(created);
  const auto retried = server.client().Post(program_path("1001", "Prospects").c_str(), k_form,
                                            "application/x-www-form-urlencoded");
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->status, 409);
}

TEST(Server, ADroppedAnswerNeverArrivesButTheCreateIsDone) {
  expect_lost_then_conflict(DropMode::empty);
}

TEST(Server, ATruncatedAnswerIsAFailureButTheCreateIsDone) {
  expect_lost_then_conflict(DropMode::truncated);
}

}  // namespace
}  // namespace prospect_sandbox
