#pragma once
// Test doubles for the sender's seams: a clock that only moves when told to,
// and an HttpClient that answers from a script after a simulated latency,
// advancing that clock instead of sleeping.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "prospect_import/clock.h"
#include "prospect_import/http.h"

namespace prospect_import::testing {

using namespace std::chrono_literals;

class FakeClock final : public Clock {
 public:
  // Starts far from the epoch, as a real steady clock does.
  TimePoint now() const override { return m_now; }
  void advance(Duration d) { m_now += d; }
  void set(TimePoint t) { m_now = t; }

 private:
  TimePoint m_now = TimePoint{} + std::chrono::hours(1000);
};

// One scripted answer. status 0 with a transport error is a failure below HTTP.
struct FakeAnswer {
  long status = 201;
  std::string body = R"({"Status": "OK", "ProspectId": "P-1", "DryRun": false,)"
                     R"( "MatchedPartnerId": "", "MatchedPartnerName": ""})";
  std::map<std::string, std::string> headers;
  TransportError transport = TransportError::none;
  std::string transport_message;
  Clock::Duration latency = 100ms;
};

inline FakeAnswer answer(long status, std::string body = "{}",
                         std::map<std::string, std::string> headers = {}) {
  FakeAnswer a;
  a.status = status;
  a.body = std::move(body);
  a.headers = std::move(headers);
  return a;
}

inline FakeAnswer created(const std::string& prospect_id) {
  return answer(201,
                R"({"Status": "OK", "ProspectId": ")" + prospect_id +
                    R"(", "DryRun": false, "MatchedPartnerId": "", "MatchedPartnerName": ""})");
}

inline FakeAnswer transport_failure(TransportError e, std::string message) {
  FakeAnswer a;
  a.status = 0;
  a.body.clear();
  a.transport = e;
  a.transport_message = std::move(message);
  return a;
}

inline std::map<std::string, std::string> rate_headers(long limit, long remaining, long reset_s) {
  return {{"x-ratelimit-limit", std::to_string(limit)},
          {"x-ratelimit-remaining", std::to_string(remaining)},
          {"x-ratelimit-reset", std::to_string(reset_s)}};
}

// What the fake saw of one request.
struct SentRequest {
  HttpRequest request;
  Clock::TimePoint at;
  std::size_t in_flight;  // including this one, right after it started
};

class FakeHttp final : public HttpClient {
 public:
  // Called for a request that has no scripted answer left for its tag.
  using Responder = std::function<FakeAnswer(const HttpRequest&, Clock::TimePoint)>;

  explicit FakeHttp(FakeClock& clock) : m_clock(clock) {}

  // Answers for requests with this tag, in order; afterwards the responder.
  void script(std::uint64_t tag, std::vector<FakeAnswer> answers) {
    for (auto& a : answers) m_script[tag].push_back(std::move(a));
  }
  void set_responder(Responder r) { m_responder = std::move(r); }
  // Called at the end of every wait(), after the clock moved (a user pressing Ctrl-C).
  void set_on_wait(std::function<void()> f) { m_on_wait = std::move(f); }

  void start(HttpRequest request) override {
    FakeAnswer a = next_answer(request);
    HttpResponse r;
    r.tag = request.tag;
    r.status = a.status;
    r.transport = a.transport;
    r.transport_message = a.transport_message;
    r.headers = a.headers;
    r.body = a.body;
    m_pending.push_back({m_clock.now() + a.latency, m_sequence++, std::move(r)});
    m_sent.push_back({std::move(request), m_clock.now(), m_pending.size()});
    m_max_in_flight = std::max(m_max_in_flight, m_pending.size());
  }

  // Advances the clock to the first answer due within `max` and returns every
  // answer due by then, in the order they became due; else advances by `max`
  // (at least 1 ms).
  std::vector<HttpResponse> wait(std::chrono::milliseconds max) override {
    if (++m_waits > k_max_waits)
      throw std::runtime_error("FakeHttp: the sender seems stuck in a loop");
    if (max.count() <= 0 && !m_pending.empty()) ++m_polls;
    std::vector<HttpResponse> done;
    // A real poll takes some time even when asked not to wait (the sender
    // rounds its wait down to whole milliseconds).
    auto deadline = m_clock.now() + std::max(max, std::chrono::milliseconds(1));
    auto first = std::min_element(m_pending.begin(), m_pending.end());
    if (first == m_pending.end() || first->due > deadline) {
      m_clock.set(deadline);
      if (m_on_wait) m_on_wait();
      return done;
    }
    if (first->due > m_clock.now()) m_clock.set(first->due);
    std::sort(m_pending.begin(), m_pending.end());
    while (!m_pending.empty() && m_pending.front().due <= m_clock.now()) {
      done.push_back(std::move(m_pending.front().response));
      m_pending.pop_front();
    }
    if (m_on_wait) m_on_wait();
    return done;
  }

  std::size_t in_flight() const override { return m_pending.size(); }

  const std::vector<SentRequest>& sent() const { return m_sent; }
  std::size_t max_in_flight() const { return m_max_in_flight; }
  // wait() calls, and those that asked not to wait while requests were in
  // flight (each a real poll that returns at once: a busy loop if many).
  std::uint64_t waits() const { return m_waits; }
  std::uint64_t polls() const { return m_polls; }
  std::size_t sent_with_tag(std::uint64_t tag) const {
    return static_cast<std::size_t>(std::count_if(
        m_sent.begin(), m_sent.end(), [&](const SentRequest& s) { return s.request.tag == tag; }));
  }

 private:
  static constexpr std::uint64_t k_max_waits = 1'000'000;

  struct Pending {
    Clock::TimePoint due;
    std::uint64_t sequence;
    HttpResponse response;
    bool operator<(const Pending& o) const {
      return std::tie(due, sequence) < std::tie(o.due, o.sequence);
    }
  };

  FakeAnswer next_answer(const HttpRequest& request) {
    auto it = m_script.find(request.tag);
    if (it != m_script.end() && !it->second.empty()) {
      FakeAnswer a = std::move(it->second.front());
      it->second.pop_front();
      return a;
    }
    if (m_responder) return m_responder(request, m_clock.now());
    return created("P-" + std::to_string(request.tag));
  }

  FakeClock& m_clock;
  std::map<std::uint64_t, std::deque<FakeAnswer>> m_script;
  Responder m_responder;
  std::function<void()> m_on_wait;
  std::deque<Pending> m_pending;
  std::vector<SentRequest> m_sent;
  std::size_t m_max_in_flight = 0;
  std::uint64_t m_sequence = 0;
  std::uint64_t m_waits = 0;
  std::uint64_t m_polls = 0;
};

// Waiting with nothing in flight: the fake client's wait, which moves the
// clock to the deadline (and runs its on_wait hook, like a Ctrl-C meanwhile).
class FakeSleeper final : public Sleeper {
 public:
  explicit FakeSleeper(FakeHttp& http, FakeClock& clock) : m_http(http), m_clock(clock) {}
  void sleep_until(Clock::TimePoint deadline) override {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - m_clock.now());
    if (left.count() > 0) m_http.wait(left);
  }

 private:
  FakeHttp& m_http;
  FakeClock& m_clock;
};

}  // namespace prospect_import::testing
