#include "prospect_import/sender.h"

#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <memory>

#include <spdlog/sinks/null_sink.h>

#include "fake_http.h"

namespace prospect_import {
namespace {

using namespace std::chrono_literals;
using testing::answer;
using testing::created;
using testing::FakeAnswer;
using testing::FakeClock;
using testing::FakeHttp;
using testing::FakeSleeper;
using testing::rate_headers;
using testing::transport_failure;

std::vector<SendRow> make_rows(std::size_t n) {
  std::vector<SendRow> rows;
  for (std::size_t i = 0; i < n; ++i) {
    SendRow r;
    r.line = i + 2;
    r.sent[index(Column::partner_name)] = "Partner " + std::to_string(i);
    r.sent[index(Column::contact_email)] = "p" + std::to_string(i) + "@example.com";
    r.sent[index(Column::media_property)] = "https://p" + std::to_string(i) + ".example";
    rows.push_back(r);
  }
  return rows;
}

const char* k_email_error =
    R"({"Status": "ERROR", "Message": "Validation Failed",)"
    R"( "Errors": [{"Field": "ContactEmail", "Message": "Not a valid email address"}]})";

FakeAnswer with_latency(FakeAnswer a, Clock::Duration latency) {
  a.latency = latency;
  return a;
}

class SenderTest : public ::testing::Test {
 protected:
  StopReason run(std::size_t row_count,
                 const std::function<void(std::vector<SendRow>&)>& tweak = {}) {
    rows = make_rows(row_count);
    if (tweak) tweak(rows);
    sender = std::make_unique<Sender>(http, clock, sleeper, pacer, settings, stop_flag, *log);
    started = clock.now();
    Sender::Recorder recorder;
    recorder.on_first_send = [this](const SendRow& row) {
      first_sends.push_back({row.line, http.sent().size()});
      return on_first_send ? on_first_send(row) : true;
    };
    recorder.on_result = [this](const RowResult& r) {
      results.push_back(r);
      result_times.push_back(clock.now());
      return on_result ? on_result(r) : true;
    };
    recorder.before_wait = before_wait;
    return sender->run(rows, recorder);
  }

  const RowResult* result_of(std::size_t index) const {
    for (const auto& r : results) {
      if (r.index == index) return &r;
    }
    return nullptr;
  }

  std::vector<Clock::TimePoint> send_times_of(std::uint64_t tag) const {
    std::vector<Clock::TimePoint> t;
    for (const auto& s : http.sent()) {
      if (s.request.tag == tag) t.push_back(s.at);
    }
    return t;
  }

  FakeClock clock;
  FakeHttp http{clock};
  FakeSleeper sleeper{http, clock};
  Pacer pacer{42};
  StopFlag stop_flag{0};
  std::shared_ptr<spdlog::logger> log =
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  SenderSettings settings{
      ApiTarget{"https://api.example/impact", "IRabc", "1001"}, false, 4, 5, {}};
  std::function<bool(const RowResult&)> on_result;
  std::function<bool(const SendRow&)> on_first_send;
  std::function<bool()> before_wait;
  std::vector<std::pair<std::uint64_t, std::size_t>> first_sends;  // line, requests sent before
  std::vector<SendRow> rows;
  std::unique_ptr<Sender> sender;
  std::vector<RowResult> results;
  std::vector<Clock::TimePoint> result_times;
  Clock::TimePoint started;
};

TEST_F(SenderTest, CreatesEveryRowOnceInOrderWithinTheConcurrencyLimit) {
  settings.concurrency = 3;
  // Answers take different times, so they come back out of order.
  http.set_responder([](const HttpRequest& r, Clock::TimePoint) {
    return with_latency(created("P-" + std::to_string(r.tag)),
                        std::chrono::milliseconds(50 + 70 * (r.tag % 4)));
  });
  EXPECT_EQ(run(10), StopReason::finished);

  ASSERT_EQ(http.sent().size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    const auto& s = http.sent()[i];
    EXPECT_EQ(s.request.tag, i) << "rows are sent in order";
    EXPECT_EQ(s.request.method, "POST");
    EXPECT_EQ(s.request.url,
              "https://api.example/impact/Advertisers/IRabc/Campaigns/1001/Prospects");
    EXPECT_EQ(s.request.body, create_body(rows[i].sent, "", false));
    EXPECT_LE(s.in_flight, 3u);
  }
  EXPECT_EQ(http.max_in_flight(), 3u) << "the concurrency is used";

  ASSERT_EQ(results.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    const RowResult* r = result_of(i);
    ASSERT_TRUE(r) << "row " << i;
    EXPECT_EQ(r->line, i + 2);
    EXPECT_EQ(r->fate, Fate::created);
    EXPECT_EQ(r->answer.prospect_id, "P-" + std::to_string(i));
    EXPECT_EQ(r->attempts, 1);
  }
  EXPECT_EQ(sender->stats().requests, 10u);
  EXPECT_EQ(sender->stats().retries, 0u);
  EXPECT_EQ(sender->stats().rate_limited, 0u);
}

TEST_F(SenderTest, NoRowsSendsNothing) {
  EXPECT_EQ(run(0), StopReason::finished);
  EXPECT_TRUE(http.sent().empty());
  EXPECT_TRUE(results.empty());
}

TEST_F(SenderTest, ConflictCountsAsAlreadyExists) {
  http.script(
      1,
      {answer(
          409,
          R"({"Status": "ERROR", "Message": "Prospect already exists", "ProspectId": "P-000042"})")});
  EXPECT_EQ(run(3), StopReason::finished);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(result_of(1)->fate, Fate::already_exists);
  EXPECT_EQ(result_of(1)->answer.prospect_id, "P-000042");
  EXPECT_EQ(http.sent_with_tag(1), 1u);
}

TEST_F(SenderTest, DryRunAsksForADryRun) {
  settings.dry_run = true;
  http.set_responder([](const HttpRequest&, Clock::TimePoint) {
    return answer(200, R"({"Status": "OK", "ProspectId": "", "DryRun": true,)"
                       R"( "MatchedPartnerId": "556677", "MatchedPartnerName": "Acme Media"})");
  });
  EXPECT_EQ(run(2), StopReason::finished);
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) {
    EXPECT_EQ(r.fate, Fate::dry_run_ok);
    EXPECT_EQ(r.answer.matched_partner_name, "Acme Media");
  }
  EXPECT_TRUE(http.sent()[0].request.body.ends_with("&DryRun=true"));
}

TEST_F(SenderTest, BadRequestIsRejectedWithItsMessageAndNotRetried) {
  http.script(0, {answer(400, k_email_error)});
  EXPECT_EQ(run(2), StopReason::finished);
  ASSERT_TRUE(result_of(0));
  EXPECT_EQ(result_of(0)->fate, Fate::rejected);
  EXPECT_EQ(result_of(0)->answer.message, "Contact Email: Not a valid email address");
  EXPECT_EQ(result_of(0)->attempts, 1);
  EXPECT_EQ(http.sent_with_tag(0), 1u);
  EXPECT_EQ(result_of(1)->fate, Fate::created);
  EXPECT_EQ(sender->stats().retries, 0u);
}

TEST_F(SenderTest, TransientFailureIsRetriedAfterABackoff) {
  http.script(
      0, {answer(503, R"({"Status": "ERROR", "Message": "Service Unavailable"})"), created("P-9")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::created);
  EXPECT_EQ(results[0].answer.prospect_id, "P-9");
  EXPECT_EQ(results[0].attempts, 2);
  EXPECT_EQ(sender->stats().requests, 2u);
  EXPECT_EQ(sender->stats().retries, 1u);
  auto t = send_times_of(0);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_GE(t[1] - t[0], 100ms + 500ms)
      << "the answer's latency plus at least half of a 1 s back-off";
  EXPECT_LE(t[1] - t[0], 100ms + 1s + 500ms);
}

// sender.h: a 409 for a row whose earlier request may have been carried out is
// `created`: this import made it.
TEST_F(SenderTest, ConflictAfterALostSuccessAnswerIsCreated) {
  http.script(
      0,
      {answer(201, "<html>OK</html>"),
       answer(
           409,
           R"({"Status": "ERROR", "Message": "Prospect already exists", "ProspectId": "P-5"})")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::created);
  EXPECT_EQ(results[0].answer.prospect_id, "P-5");
  EXPECT_EQ(results[0].attempts, 2);
  EXPECT_EQ(sender->stats().retries, 1u);
}

// Issue 7, item 11: a 201 without a ProspectId and an HTML page with 200 are
// answers that may have been committed, so a later 409 means this import made it.
TEST_F(SenderTest, ConflictAfterACreatedWithoutProspectIdIsCreated) {
  http.script(0, {answer(201, R"({"Status": "OK", "DryRun": false})"),
                  answer(409, R"({"Status": "ERROR", "Message": "exists", "ProspectId": "P-5"})")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::created);
  EXPECT_EQ(results[0].answer.prospect_id, "P-5");
  EXPECT_EQ(results[0].attempts, 2);
}

TEST_F(SenderTest, ConflictAfterAnOkHtmlPageIsCreated) {
  http.script(0, {answer(200, "<html><body>Welcome</body></html>"),
                  answer(409, R"({"Status": "ERROR", "Message": "exists", "ProspectId": "P-5"})")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::created);
}

TEST_F(SenderTest, AnOkHtmlPageEveryTimeFailsTheRowNotRejectsIt) {
  settings.max_retries = 1;
  http.script(0, {answer(200, "<html>Welcome</html>"), answer(200, "<html>Welcome</html>")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::failed);
  EXPECT_EQ(results[0].answer.message,
            "failed after 2 attempts: the API answered 200 with a body that is not JSON: "
            "\"<html>Welcome</html>\"");
}

TEST_F(SenderTest, ConflictAfterATimeoutIsCreated) {
  http.script(0, {transport_failure(TransportError::timeout, "Operation timed out"),
                  answer(409, R"({"Status": "ERROR", "Message": "exists", "ProspectId": "P-5"})")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::created);
}

TEST_F(SenderTest, ConflictForARowAnEarlierRunSentIsCreated) {
  http.script(0, {answer(409, R"({"Status": "ERROR", "Message": "exists", "ProspectId": "P-5"})")});
  http.script(1, {answer(409, R"({"Status": "ERROR", "Message": "exists", "ProspectId": "P-6"})")});
  EXPECT_EQ(run(2, [](std::vector<SendRow>& r) { r[0].sent_before = true; }), StopReason::finished);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(result_of(0)->fate, Fate::created);
  EXPECT_EQ(result_of(0)->answer.prospect_id, "P-5");
  EXPECT_EQ(result_of(1)->fate, Fate::already_exists);
}

TEST_F(SenderTest, ConflictAfterARefusedConnectionIsAlreadyExists) {
  // The first request never reached the API: the prospect was there before.
  http.script(
      0, {transport_failure(TransportError::connect, "Failed to connect to api.example port 443"),
          answer(409, R"({"Status": "ERROR", "Message": "exists", "ProspectId": "P-5"})")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::already_exists);
}

TEST_F(SenderTest, ConflictAfterAServerErrorIsAlreadyExists) {
  // A 503 is an answer: the server says the request failed, so a 409 after it
  // (a re-run of an imported file meeting a flaky server) means it was there before.
  http.script(0, {answer(503, R"({"Status": "ERROR", "Message": "Service Unavailable"})"),
                  answer(409, R"({"Status": "ERROR", "Message": "exists", "ProspectId": "P-5"})")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::already_exists);
}

TEST_F(SenderTest, ConflictAfterTooManyRequestsIsAlreadyExists) {
  // A 429 is answered before the request is looked at (API.md, order of checks).
  http.script(0, {answer(429, "{}", rate_headers(1000, 0, 2)),
                  answer(409, R"({"Status": "ERROR", "Message": "exists", "ProspectId": "P-5"})")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::already_exists);
}

// A dry run creates nothing (API.md), so its 409 always means the row existed
// before (CLI.md: "A dry run of a row that already exists (409) is already_exists").
TEST_F(SenderTest, DryRunConflictAfterATransientFailureIsAlreadyExists) {
  settings.dry_run = true;
  http.script(0, {answer(503, ""),
                  answer(409, R"({"Status": "ERROR", "Message": "exists", "ProspectId": "P-5"})")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::already_exists) << "a dry run cannot have created it";
  EXPECT_EQ(results[0].answer.prospect_id, "P-5");
}

TEST_F(SenderTest, FirstSendIsRecordedOncePerRowBeforeItsFirstRequest) {
  settings.concurrency = 1;
  http.script(1, {answer(503, ""), created("P-1")});
  EXPECT_EQ(run(3), StopReason::finished);
  ASSERT_EQ(first_sends.size(), 3u) << "a retry is not a first send";
  EXPECT_EQ(first_sends[0], std::make_pair(std::uint64_t{2}, std::size_t{0}));
  EXPECT_EQ(first_sends[1], std::make_pair(std::uint64_t{3}, std::size_t{1}));
  EXPECT_EQ(first_sends[2].first, 4u);
}

TEST_F(SenderTest, FirstSendIsRecordedOnceEvenAfterTooManyRequests) {
  http.script(0, {answer(429, "{}", rate_headers(1000, 0, 2)), created("P-0")});
  EXPECT_EQ(run(1), StopReason::finished);
  EXPECT_EQ(http.sent().size(), 2u);
  EXPECT_EQ(first_sends.size(), 1u) << "the resend after a 429 is not the row's first request";
}

TEST_F(SenderTest, FailingToRecordAFirstSendStopsBeforeSendingIt) {
  settings.concurrency = 1;
  on_first_send = [](const SendRow& row) { return row.line != 3; };
  EXPECT_EQ(run(3), StopReason::record_failed);
  EXPECT_EQ(http.sent().size(), 1u) << "row 1 (line 3) is not sent unrecorded";
  EXPECT_EQ(results.size(), 1u);
}

TEST_F(SenderTest, TimeoutIsRetried) {
  http.script(0,
              {transport_failure(TransportError::timeout, "Operation timed out"), created("P-1")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::created);
  EXPECT_EQ(sender->stats().retries, 1u);
}

TEST_F(SenderTest, RowFailingEveryAttemptFailsAfterMaxRetries) {
  settings.max_retries = 2;
  http.script(0, {answer(503, ""), answer(503, ""), answer(503, ""), created("never")});
  EXPECT_EQ(run(2), StopReason::finished);
  ASSERT_TRUE(result_of(0));
  EXPECT_EQ(result_of(0)->fate, Fate::failed);
  EXPECT_EQ(result_of(0)->attempts, 3);
  EXPECT_EQ(result_of(0)->answer.message,
            "failed after 3 attempts: the API answered 503 with an empty body");
  EXPECT_EQ(http.sent_with_tag(0), 3u);
  EXPECT_EQ(result_of(1)->fate, Fate::created);
  EXPECT_EQ(sender->stats().requests, 4u);
  EXPECT_EQ(sender->stats().retries, 2u);
}

TEST_F(SenderTest, TwentyFailedRowsInARowStopTheRun) {
  settings.concurrency = 1;
  settings.max_retries = 1;
  http.set_responder(
      [](const HttpRequest&, Clock::TimePoint) { return answer(502, "<html>Bad Gateway</html>"); });
  EXPECT_EQ(run(30), StopReason::too_many_failures);
  ASSERT_EQ(results.size(), 20u);
  for (std::size_t i = 0; i < 20; ++i) {
    ASSERT_TRUE(result_of(i)) << "row " << i;
    EXPECT_EQ(result_of(i)->fate, Fate::failed);
  }
  for (std::size_t i = 20; i < 30; ++i)
    EXPECT_FALSE(result_of(i)) << "row " << i << " was not attempted";
  // Later rows go out while a row waits for its back-off, so one may be in
  // flight when the 20th row fails for good; nothing starts after that answer.
  for (const auto& s : http.sent()) EXPECT_LE(s.at, result_times.back()) << "row " << s.request.tag;
  EXPECT_EQ(sender->stop_message(),
            "failed after 2 attempts: the API answered 502 with a body that is not JSON: "
            "\"<html>Bad Gateway</html>\"");
}

TEST_F(SenderTest, TwentyFailuresWithConcurrencyLetRequestsInFlightFinish) {
  settings.concurrency = 4;
  settings.max_retries = 0;
  http.set_responder([](const HttpRequest&, Clock::TimePoint) { return answer(500, ""); });
  EXPECT_EQ(run(100), StopReason::too_many_failures);
  EXPECT_GE(results.size(), 20u);
  EXPECT_LE(results.size(), 23u);
  EXPECT_EQ(http.sent().size(), results.size()) << "every request sent had its answer reported";
  for (const auto& r : results) EXPECT_EQ(r.fate, Fate::failed);
}

TEST_F(SenderTest, ASuccessBetweenFailuresResetsTheCount) {
  settings.concurrency = 1;
  settings.max_retries = 0;
  http.set_responder([](const HttpRequest& r, Clock::TimePoint) {
    return r.tag == 19 ? created("P-19") : answer(503, "");
  });
  EXPECT_EQ(run(38), StopReason::finished);
  EXPECT_EQ(results.size(), 38u);
}

TEST_F(SenderTest, RejectedRowsDoNotCountAsFailures) {
  settings.concurrency = 1;
  http.set_responder(
      [](const HttpRequest&, Clock::TimePoint) { return answer(400, k_email_error); });
  EXPECT_EQ(run(25), StopReason::finished);
  EXPECT_EQ(results.size(), 25u);
}

TEST_F(SenderTest, TooManyRequestsWaitsTheResetThenResends) {
  settings.max_retries = 0;  // a 429 must not use up the row's retries
  http.script(0, {answer(429, R"({"Status": "ERROR", "Message": "Rate limit exceeded"})",
                         rate_headers(1000, 0, 30)),
                  created("P-0")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::created);
  EXPECT_EQ(results[0].answer.prospect_id, "P-0");
  auto t = send_times_of(0);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_GE(t[1] - t[0], 100ms + 30s) << "waited X-RateLimit-Reset after the answer";
  EXPECT_LE(t[1] - t[0], 100ms + 32s) << "and not much longer";
  EXPECT_EQ(sender->stats().rate_limited, 1u);
  EXPECT_EQ(sender->stats().requests, 2u);
}

// CLI.md: `retries` counts "re-sends after a transient failure or a 429".
TEST_F(SenderTest, ResendAfterTooManyRequestsCountsAsARetry) {
  http.script(0, {answer(429, "{}", rate_headers(1000, 0, 5)), created("P-0")});
  EXPECT_EQ(run(1), StopReason::finished);
  EXPECT_EQ(sender->stats().requests, 2u);
  EXPECT_EQ(sender->stats().rate_limited, 1u);
  EXPECT_EQ(sender->stats().retries, 1u) << "the second request re-sent the row after a 429";
}

TEST_F(SenderTest, TooManyRequestsDuringRetriesDoesNotUseUpTheRetryBudget) {
  settings.max_retries = 1;
  http.script(0, {answer(503, ""), answer(429, "{}", rate_headers(1000, 0, 5)), created("P-0")});
  EXPECT_EQ(run(1), StopReason::finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::created);
  EXPECT_EQ(sender->stats().requests, 3u);
  EXPECT_EQ(sender->stats().retries, 2u);
  EXPECT_EQ(sender->stats().rate_limited, 1u);
}

TEST_F(SenderTest, TooManyRequestsPausesEveryRow) {
  settings.concurrency = 1;
  http.script(0, {answer(429, "{}", rate_headers(1000, 0, 30)), created("P-0")});
  EXPECT_EQ(run(3), StopReason::finished);
  ASSERT_EQ(http.sent().size(), 4u);
  EXPECT_EQ(http.sent()[1].request.tag, 0u) << "the waiting row goes before new ones";
  for (std::size_t i = 1; i < 4; ++i)
    EXPECT_GE(http.sent()[i].at - started, 30s) << "request " << i;
  EXPECT_EQ(results.size(), 3u);
}

// Issue 7, item 4: against a server that always answers 429 with an
// X-RateLimit-Reset of 9.3e9 s the tool sent 508 requests in 10 s.
TEST_F(SenderTest, TooManyRequestsWithAHugeResetWaitsAnHour) {
  settings.concurrency = 1;
  http.script(0, {answer(429, "{}", {{"x-ratelimit-reset", "9300000000"}}), created("P-0")});
  EXPECT_EQ(run(1), StopReason::finished);
  auto t = send_times_of(0);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1] - t[0], 100ms + 1h) << "the answer's latency, then exactly the hour cap";
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].fate, Fate::created);
}

// Garbage, negative or absent Reset on a 429: back off from 1 s doubling to
// 60 s; the 10th such 429 in a row stops the run (exit 69), the row not done.
struct UnusableReset {
  const char* name;
  std::optional<std::string> header;  // X-RateLimit-Reset, or none
  std::string why;                    // as the message says it
};

class SenderUnusableReset : public SenderTest,
                            public ::testing::WithParamInterface<UnusableReset> {};

TEST_P(SenderUnusableReset, BacksOffFromOneSecondDoublingToAMinuteThenStops) {
  settings.concurrency = 1;
  std::map<std::string, std::string> headers;
  if (GetParam().header) headers["x-ratelimit-reset"] = *GetParam().header;
  http.set_responder(
      [headers](const HttpRequest&, Clock::TimePoint) { return answer(429, "{}", headers); });
  EXPECT_EQ(run(3), StopReason::rate_limit_unknown);
  auto t = send_times_of(0);
  ASSERT_EQ(t.size(), 10u) << "ten requests, then no more";
  EXPECT_EQ(http.sent().size(), 10u) << "no other row was sent";
  const double nominal[] = {1, 2, 4, 8, 16, 32, 60, 60, 60};
  for (std::size_t i = 1; i < t.size(); ++i) {
    double waited = std::chrono::duration<double>(t[i] - t[i - 1] - 100ms).count();
    EXPECT_GE(waited, nominal[i - 1]) << "wait " << i;
    EXPECT_LE(waited, nominal[i - 1] + 1.25) << "wait " << i;
  }
  EXPECT_TRUE(results.empty());
  EXPECT_EQ(sender->stats().rate_limited, 10u);
  EXPECT_EQ(sender->stop_message(),
            "the API answered 429 (too many requests) 10 times in a row without a usable "
            "X-RateLimit-Reset header (the last one's was " +
                GetParam().why + "), so when to send again is unknown; try again later");
}

INSTANTIATE_TEST_SUITE_P(Resets, SenderUnusableReset,
                         ::testing::Values(UnusableReset{"garbage", "soon", "not a number"},
                                           UnusableReset{"negative", "-1", "negative"},
                                           UnusableReset{"absent", std::nullopt, "missing"}),
                         [](const auto& p) { return std::string(p.param.name); });

TEST_F(SenderTest, UnusableResetsBetweenSuccessesDoNotStopTheRun) {
  settings.concurrency = 1;
  // Every row meets nine 429s without a Reset before it is created: never ten in a row.
  http.set_responder(
      [](const HttpRequest& r, Clock::TimePoint) { return created("P-" + std::to_string(r.tag)); });
  for (std::uint64_t tag = 0; tag < 3; ++tag) {
    http.script(tag, std::vector<FakeAnswer>(9, answer(429, "{}")));
  }
  EXPECT_EQ(run(3), StopReason::finished);
  EXPECT_EQ(results.size(), 3u);
  EXPECT_EQ(sender->stats().rate_limited, 27u);
}

TEST_F(SenderTest, RefusedCredentialsStopSending) {
  settings.concurrency = 1;
  http.script(0, {answer(401, R"({"Status": "ERROR", "Message": "Invalid credentials"})")});
  EXPECT_EQ(run(5), StopReason::auth_refused);
  EXPECT_EQ(http.sent().size(), 1u);
  EXPECT_TRUE(results.empty()) << "the refused row and the rest were not done";
  EXPECT_EQ(sender->stop_message(), "the API answered 401: Invalid credentials");
}

TEST_F(SenderTest, ForbiddenStopsSendingButRequestsInFlightFinish) {
  settings.concurrency = 4;
  http.script(1,
              {with_latency(answer(403, R"({"Status": "ERROR", "Message": "Forbidden"})"), 10ms)});
  http.set_responder([](const HttpRequest& r, Clock::TimePoint) {
    return with_latency(created("P-" + std::to_string(r.tag)), 300ms);
  });
  EXPECT_EQ(run(10), StopReason::auth_refused);
  EXPECT_EQ(http.sent().size(), 4u) << "nothing new starts after the 403";
  ASSERT_EQ(results.size(), 3u) << "rows 0, 2, 3 were in flight and are reported";
  for (std::size_t i : {0u, 2u, 3u}) {
    ASSERT_TRUE(result_of(i)) << "row " << i;
    EXPECT_EQ(result_of(i)->fate, Fate::created);
  }
  EXPECT_FALSE(result_of(1));
  EXPECT_EQ(sender->stop_message(), "the API answered 403: Forbidden");
}

TEST_F(SenderTest, MissingProgramStopsSending) {
  settings.concurrency = 1;
  http.script(2, {answer(404, R"({"Status": "ERROR", "Message": "Program not found"})")});
  EXPECT_EQ(run(5), StopReason::program_missing);
  EXPECT_EQ(http.sent().size(), 3u);
  EXPECT_EQ(results.size(), 2u);
  EXPECT_EQ(sender->stop_message(), "the API answered 404: Program not found");
}

TEST_F(SenderTest, TlsFailureStopsAsUnreachable) {
  settings.concurrency = 1;
  http.script(
      0, {transport_failure(TransportError::tls,
                            "SSL certificate problem: unable to get local issuer certificate")});
  EXPECT_EQ(run(3), StopReason::unreachable);
  EXPECT_EQ(http.sent().size(), 1u) << "no retry: a certificate does not fix itself";
  EXPECT_TRUE(results.empty());
  EXPECT_EQ(sender->stop_message(),
            "SSL certificate problem: unable to get local issuer certificate");
}

TEST_F(SenderTest, InterruptLetsRequestsInFlightFinishAndStartsNoMore) {
  settings.concurrency = 3;
  http.script(0, {with_latency(created("P-0"), 50ms)});
  http.set_responder([](const HttpRequest& r, Clock::TimePoint) {
    return with_latency(created("P-" + std::to_string(r.tag)), 400ms);
  });
  on_result = [this](const RowResult& r) {
    if (r.index == 0) stop_flag = SIGINT;
    return true;
  };
  EXPECT_EQ(run(10), StopReason::interrupted);
  EXPECT_EQ(http.sent().size(), 3u);
  ASSERT_EQ(results.size(), 3u) << "the two requests in flight were finished and reported";
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(result_of(i));
    EXPECT_EQ(result_of(i)->fate, Fate::created);
  }
}

TEST_F(SenderTest, TerminateStopsAsTerminated) {
  settings.concurrency = 1;
  on_result = [this](const RowResult&) {
    stop_flag = SIGTERM;
    return true;
  };
  EXPECT_EQ(run(5), StopReason::terminated);
  EXPECT_EQ(http.sent().size(), 1u);
  EXPECT_EQ(results.size(), 1u);
}

TEST_F(SenderTest, StopFlagAlreadySetSendsNothing) {
  stop_flag = SIGINT;
  EXPECT_EQ(run(5), StopReason::interrupted);
  EXPECT_TRUE(http.sent().empty());
  EXPECT_TRUE(results.empty());
}

TEST_F(SenderTest, InterruptDuringARateLimitWaitStopsPromptly) {
  settings.concurrency = 1;
  http.script(0, {answer(429, "{}", rate_headers(1000, 0, 600))});
  http.set_on_wait([this] {
    if (clock.now() - started >= 5s) stop_flag = SIGINT;  // Ctrl-C while waiting out the 429
  });
  EXPECT_EQ(run(3), StopReason::interrupted);
  EXPECT_EQ(http.sent().size(), 1u);
  EXPECT_TRUE(results.empty());
  EXPECT_LE(clock.now() - started, 6s) << "the 10-minute wait is not sat out";
}

// Outcomes held back are written before each wait; when that fails (disk
// full) no further row is sent, and those in flight still get their answers.
TEST_F(SenderTest, FailingToWriteWhatWasHeldBackStopsSending) {
  settings.concurrency = 2;
  int waits = 0;
  before_wait = [&waits] { return ++waits < 3; };
  EXPECT_EQ(run(10), StopReason::record_failed);
  EXPECT_EQ(waits, 3) << "called before every wait until it failed";
  EXPECT_LT(http.sent().size(), 10u);
  EXPECT_EQ(results.size(), http.sent().size()) << "every request sent got its answer";
}

TEST_F(SenderTest, FailingToRecordAResultStopsAtOnce) {
  settings.concurrency = 1;
  on_result = [](const RowResult&) { return false; };
  EXPECT_EQ(run(5), StopReason::record_failed);
  EXPECT_EQ(http.sent().size(), 1u);
  EXPECT_EQ(results.size(), 1u);
}

// A source that holds rows back while the oldest one has no outcome, as the
// online import's does when its report may not run ahead of it.
class HoldingSource final : public RowSource {
 public:
  HoldingSource(const std::vector<SendRow>& rows, std::size_t max_ahead)
      : m_rows(rows), m_max_ahead(max_ahead) {}
  Pull next(SendRow& row) override {
    if (m_next == m_rows.size()) return Pull::end;
    if (!m_first_done && m_next >= m_max_ahead) return Pull::later;
    row = m_rows[m_next++];
    return Pull::row;
  }
  void done(std::size_t index) {
    if (index == 0) m_first_done = true;
  }

 private:
  const std::vector<SendRow>& m_rows;
  std::size_t m_max_ahead;
  std::size_t m_next = 0;
  bool m_first_done = false;
};

// The first row's answer takes 20 s; the source holds back after 6 rows while
// the other answers come at once. The sender sleeps in its poll meanwhile
// instead of asking the source again and again without waiting (a busy loop
// that burnt a core for as long as the slow answer took).
TEST_F(SenderTest, ASourceThatHoldsBackIsWaitedForNotPolled) {
  settings.concurrency = 4;
  rows = make_rows(10);
  HoldingSource source(rows, 6);
  http.script(0, {with_latency(created("P-0"), 20s)});
  sender = std::make_unique<Sender>(http, clock, sleeper, pacer, settings, stop_flag, *log);
  Sender::Recorder recorder;
  recorder.on_result = [&](const RowResult& r) {
    results.push_back(r);
    source.done(r.index);
    return true;
  };
  EXPECT_EQ(sender->run(source, recorder), StopReason::finished);
  EXPECT_EQ(results.size(), 10u);
  EXPECT_EQ(http.sent().size(), 10u);
  EXPECT_LE(http.polls(), 10u) << "waits that asked not to wait while a request was in flight";
  EXPECT_LE(http.waits(), 100u) << "a 20 s answer is waited for in a few long polls";
}

// A simulated API with a fixed rate window per account (API.md).
struct WindowedApi {
  Clock::TimePoint window_start;
  Clock::Duration window;
  long limit;
  long remaining;
  int refused = 0;

  FakeAnswer operator()(const HttpRequest& r, Clock::TimePoint now) {
    while (now >= window_start + window) {
      window_start += window;
      remaining = limit;
    }
    auto reset = static_cast<long>(
        std::ceil(std::chrono::duration<double>(window_start + window - now).count()));
    if (remaining == 0) {
      ++refused;
      return answer(429, R"({"Status": "ERROR", "Message": "Rate limit exceeded"})",
                    rate_headers(limit, 0, std::max(reset, 1L)));
    }
    --remaining;
    FakeAnswer a = created("P-" + std::to_string(r.tag));
    a.headers = rate_headers(limit, remaining, reset);
    return a;
  }
};

TEST_F(SenderTest, SpreadsRequestsOverTheRateBudgetWithoutTooManyRequests) {
  auto api = std::make_shared<WindowedApi>(WindowedApi{clock.now(), 60s, 10, 10});
  http.set_responder([api](const HttpRequest& r, Clock::TimePoint now) { return (*api)(r, now); });
  EXPECT_EQ(run(30), StopReason::finished);

  EXPECT_EQ(api->refused, 0) << "the budget was never overrun";
  EXPECT_EQ(sender->stats().rate_limited, 0u);
  ASSERT_EQ(results.size(), 30u);
  for (const auto& r : results) EXPECT_EQ(r.fate, Fate::created);
  EXPECT_EQ(http.sent().size(), 30u);

  std::vector<Clock::TimePoint> first_window;
  for (const auto& s : http.sent()) {
    if (s.at < started + 60s) first_window.push_back(s.at);
  }
  ASSERT_EQ(first_window.size(), 10u);
  EXPECT_GE(first_window.back() - first_window.front(), 40s)
      << "spread over the window, not sent in a burst";
  EXPECT_GE(http.sent().back().at - started, 120s)
      << "30 rows at 10 a minute take two more windows";
  EXPECT_LE(http.sent().back().at - started, 185s);
}

}  // namespace
}  // namespace prospect_import

namespace prospect_import {
namespace {

// A terminal gets the progress line through ProgressSink::show: at most once per
// `every`, and a final one when the run ends.
TEST(SenderProgress, LinesGoToTheSinkAtItsPaceAndOnceAtTheEnd) {
  testing::FakeClock clock;
  testing::FakeHttp http(clock);
  for (std::size_t i = 0; i < 30; ++i) http.script(i, {testing::created("P-" + std::to_string(i))});
  Pacer pacer(1);
  StopFlag stop{0};
  auto log =
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  std::vector<std::pair<ProgressSnapshot, bool>> shown;
  SenderSettings settings{
      ApiTarget{"https://api.example", "IRabc", "1001"}, false, 1, 5,
      ProgressSink{std::chrono::seconds(1),
                   [&](const ProgressSnapshot& p, bool final) { shown.emplace_back(p, final); }}};
  testing::FakeSleeper sleeper(http, clock);
  Sender sender(http, clock, sleeper, pacer, settings, stop, *log);
  std::vector<SendRow> rows(30);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].line = i + 2;
  sender.run(rows, [](const RowResult&) { return true; });
  // 30 rows, one at a time, 100 ms each: about 3 s, so 2 or 3 updates and the final line.
  ASSERT_GE(shown.size(), 3u);
  ASSERT_LE(shown.size(), 5u);
  const auto& [last, final] = shown.back();
  EXPECT_TRUE(final);
  EXPECT_EQ(last.done, 30u);
  EXPECT_EQ(last.total, 30u);
  EXPECT_EQ(last.created, 30u);
  EXPECT_EQ(last.failed, 0u);
  EXPECT_FALSE(last.left) << "nothing left";
  EXPECT_FALSE(shown.front().second);
  EXPECT_TRUE(shown.front().first.left) << "the time left is told once rows are done";
  EXPECT_GT(shown.front().first.elapsed.count(), 0);
}

}  // namespace
}  // namespace prospect_import
