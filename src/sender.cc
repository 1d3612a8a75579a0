#include "prospect_import/sender.h"

#include <algorithm>
#include <csignal>

namespace prospect_import {
namespace {

constexpr auto k_max_poll = std::chrono::milliseconds(500);  // how often a stop is noticed
constexpr auto k_pacing_note_after = std::chrono::seconds(30);

std::chrono::milliseconds ms(Clock::Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

// A time-out, a broken connection, or a success status whose body never came.
bool answer_lost(const HttpResponse& r) {
  if (r.transport == TransportError::broken || r.transport == TransportError::timeout) return true;
  return r.transport == TransportError::none && r.status >= 200 && r.status < 300;
}

// The rows of a vector, in order.
class VectorSource final : public RowSource {
 public:
  explicit VectorSource(const std::vector<SendRow>& rows) : m_rows(rows) {}
  Pull next(SendRow& row) override {
    if (m_next == m_rows.size()) return Pull::end;
    row = m_rows[m_next++];
    return Pull::row;
  }

 private:
  const std::vector<SendRow>& m_rows;
  std::size_t m_next = 0;
};

}  // namespace

Sender::Sender(HttpClient& http, const Clock& clock, Sleeper& sleeper, Pacer& pacer,
               SenderSettings settings, const StopFlag& stop, spdlog::logger& log)
    : m_http(http),
      m_clock(clock),
      m_sleeper(sleeper),
      m_pacer(pacer),
      m_settings(std::move(settings)),
      m_stop_flag(stop),
      m_log(log) {}

StopReason Sender::run(const std::vector<SendRow>& rows, const Recorder& recorder) {
  VectorSource source(rows);
  if (m_settings.total_rows == 0) m_settings.total_rows = rows.size();
  return run(source, recorder);
}

StopReason Sender::run(RowSource& rows, const Recorder& recorder) {
  m_source = &rows;
  m_recorder = &recorder;
  m_started = m_last_progress = m_clock.now();
  for (;;) {
    if (int sig = m_stop_flag.load()) {
      stop(sig == SIGTERM ? StopReason::terminated : StopReason::interrupted, "");
    }
    bool stopping = m_reason != StopReason::finished;
    bool all_done = m_active.empty() && m_source_ended;
    if (m_http.in_flight() == 0 && (stopping || all_done)) break;
    Clock::TimePoint now = m_clock.now();
    release_due_waits(now);
    if (!stopping) send_what_may_go(now);
    if (m_recorder->before_wait && !m_recorder->before_wait()) stop(StopReason::record_failed, "");
    wait_for_events(m_clock.now());
    settle(Settle::ready);
    log_progress(m_clock.now(), false);
  }
  log_progress(m_clock.now(), true);
  return m_reason;
}

// Every finished request is handled, also after a failure to record one: the
// caller still learns each row's outcome for its report. With nothing in
// flight there is nothing to poll: the sleeper waits (and a signal ends it).
void Sender::wait_for_events(Clock::TimePoint now) {
  auto budget = std::chrono::ceil<std::chrono::milliseconds>(wait_budget(now));
  if (m_http.in_flight() > 0) {
    for (const auto& response : m_http.wait(budget)) handle(response, m_clock.now());
  } else if (m_source_waits && m_ready.empty() && m_active.empty() &&
             m_reason == StopReason::finished) {
    // The source waits for outcomes that wait for the disk: this is the time to sync.
    if (settle(Settle::all) > 0) return;
    stop(StopReason::internal, "the row source asked to wait while no row was active");
  } else if (budget.count() > 0) {
    m_sleeper.sleep_until(now + budget);
  }
}

std::size_t Sender::settle(Settle mode) {
  if (!m_recorder->settle) return 0;
  auto settled = m_recorder->settle(mode);
  if (!settled) stop(StopReason::record_failed, "");
  return settled.value_or(0);
}

void Sender::release_due_waits(Clock::TimePoint now) {
  // Rows whose back-off or rate-limit wait is over go before new ones.
  std::sort(m_waiting.begin(), m_waiting.end(), std::greater<>());
  while (!m_waiting.empty() && m_waiting.back().first <= now) {
    m_ready.push_back(m_waiting.back().second);
    m_waiting.pop_back();
  }
}

// Makes sure a row waits at the back of m_ready if one may go: a row to send
// again, else a new one from the source while the window has room.
bool Sender::take_ready() {
  if (!m_ready.empty()) return true;
  if (m_source_ended || m_active.size() >= window()) return false;
  SendRow row;
  switch (m_source->next(row)) {
    case RowSource::Pull::end:
      m_source_ended = true;
      return false;
    case RowSource::Pull::later:
      m_source_waits = true;
      return false;
    case RowSource::Pull::row:
      break;
  }
  std::size_t index = m_pulled++;
  bool sent_before = row.sent_before;
  m_active.emplace(index, Active{std::move(row), 0, 0, sent_before});
  m_ready.push_back(index);
  return true;
}

std::uint64_t Sender::rows_left() const {
  std::uint64_t busy = m_done + m_http.in_flight();
  if (m_settings.total_rows > busy) return m_settings.total_rows - busy;
  return m_ready.size() + m_waiting.size();
}

void Sender::send_what_may_go(Clock::TimePoint now) {
  m_source_waits = false;  // an outcome since the last turn may have let it go on
  while (m_http.in_flight() < static_cast<std::size_t>(m_settings.concurrency) && take_ready()) {
    if (auto problem = m_pacer.budget_problem()) {
      stop(StopReason::no_budget, *problem);
      return;
    }
    m_next_send = m_pacer.next_send(now, rows_left());
    if (m_next_send > now) {
      note_pacing_wait(now);
      return;
    }
    m_pacing_noted = false;
    std::size_t index = m_ready.back();
    m_ready.pop_back();
    Active& active = m_active.at(index);
    if (active.sends == 0 && m_recorder->on_first_send && !m_recorder->on_first_send(active.row)) {
      stop(StopReason::record_failed, "");
      return;
    }
    send(index, now);
  }
}

// A long wait for the rate limit is said once, so that a quiet run is not taken for a hung one.
void Sender::note_pacing_wait(Clock::TimePoint now) {
  if (m_settings.progress.show) return;  // a live progress line says it
  if (m_pacing_noted || m_next_send - now < k_pacing_note_after) return;
  m_pacing_noted = true;
  m_log.info(
      "waiting {} for the rate budget (the API's X-RateLimit-Remaining/Reset, --budget-share, "
      "--max-rate) before the next request",
      format_duration(m_next_send - now));
}

Clock::Duration Sender::wait_budget(Clock::TimePoint now) const {
  Clock::Duration d = k_max_poll;
  // A source that said `later` waits for an outcome: the answers in flight,
  // or a settle, end this wait (polling it again at once would spin).
  bool may_send =
      !m_ready.empty() || (!m_source_ended && !m_source_waits && m_active.size() < window());
  if (may_send && m_reason == StopReason::finished &&
      m_http.in_flight() < static_cast<std::size_t>(m_settings.concurrency)) {
    d = std::min(d, m_next_send - now);
  }
  if (!m_waiting.empty()) {
    auto first = std::min_element(m_waiting.begin(), m_waiting.end())->first;
    d = std::min(d, first - now);
  }
  return std::max(d, Clock::Duration::zero());
}

void Sender::send(std::size_t index, Clock::TimePoint now) {
  Active& active = m_active.at(index);
  const SendRow& row = active.row;
  ++active.attempts;
  if (active.sends++ > 0) ++m_stats.retries;
  ++m_stats.requests;
  active.sent_at = now;
  m_pacer.sent(now);
  HttpRequest request;
  request.tag = index;
  request.method = "POST";
  request.url = prospects_url(m_settings.target);
  request.body = create_body(row.sent, row.group_id, m_settings.dry_run);
  m_log.debug("line {}: POST {} (attempt {})", row.line, request.url, active.attempts);
  m_http.start(std::move(request));
}

void Sender::handle(const HttpResponse& response, Clock::TimePoint now) {
  auto index = static_cast<std::size_t>(response.tag);
  Active& active = m_active.at(index);
  const SendRow& row = active.row;
  CreateResult answer = read_create_answer(response, m_settings.dry_run);
  m_log.debug("line {}: {} {}", row.line,
              response.status ? std::to_string(response.status) : response.transport_message,
              answer.message);
  if (answer.outcome == Outcome::rate_limited) {
    ++m_stats.rate_limited;
    if (m_pacer.rate_limited(answer.rate, now, m_http.in_flight(), active.sent_at) ==
        RateLimitAction::give_up) {
      stop(StopReason::rate_limit_unknown, unusable_resets_message(answer.rate));
      return;  // the row was not done: it stays without a result
    }
    retry_later(index, now);  // waits for a 429 are not retries of the row
    --active.attempts;
    return;
  }
  m_pacer.observe(answer.rate, now, m_http.in_flight(), active.sent_at);
  switch (answer.outcome) {
    case Outcome::created:
      finish_row(index, Fate::created, std::move(answer));
      return;
    case Outcome::already_exists:
      finish_row(index, active.maybe_committed ? Fate::created : Fate::already_exists,
                 std::move(answer));
      return;
    case Outcome::dry_run_ok:
      finish_row(index, Fate::dry_run_ok, std::move(answer));
      return;
    case Outcome::rejected:
      finish_row(index, Fate::rejected, std::move(answer));
      return;
    case Outcome::auth_refused:
      stop(StopReason::auth_refused, answer.message);
      break;
    case Outcome::program_missing:
      stop(StopReason::program_missing, answer.message);
      break;
    case Outcome::unreachable:
      if (response.transport == TransportError::tls) {
        stop(StopReason::unreachable, answer.message);
        break;
      }
      [[fallthrough]];
    case Outcome::transient:
    case Outcome::rate_limited:
      // Its answer was lost on the way, so the request may have been carried out
      // (a dry run creates nothing). A 5xx is an answer: the server says it failed.
      if (answer_lost(response) && !m_settings.dry_run) active.maybe_committed = true;
      if (active.attempts <= m_settings.max_retries) {
        m_log.debug("line {}: retrying after: {}", row.line, answer.message);
        retry_later(index, now + m_pacer.backoff(active.attempts));
        return;
      }
      answer.message =
          "failed after " + std::to_string(active.attempts) + " attempts: " + answer.message;
      finish_row(index, Fate::failed, std::move(answer));
      return;
  }
  // Stopped: this row was not done; it stays without a result.
}

void Sender::retry_later(std::size_t index, Clock::TimePoint when) {
  m_waiting.emplace_back(when, index);
}

void Sender::finish_row(std::size_t index, Fate fate, CreateResult answer) {
  m_consecutive_failures = fate == Fate::failed ? m_consecutive_failures + 1 : 0;
  ++m_done;
  ++m_counts[static_cast<int>(fate)];
  auto active = m_active.find(index);
  RowResult result{index, active->second.row.line, fate, std::move(answer),
                   active->second.attempts};
  m_active.erase(active);
  if (!m_recorder->on_result(result)) {
    stop(StopReason::record_failed, "");
    return;
  }
  if (m_consecutive_failures >= k_max_consecutive_failures) {
    stop(StopReason::too_many_failures, result.answer.message);
  }
}

void Sender::stop(StopReason reason, std::string message) {
  if (m_reason != StopReason::finished) return;
  m_reason = reason;
  m_stop_message = std::move(message);
  m_ready.clear();
  m_waiting.clear();
}

void Sender::log_progress(Clock::TimePoint now, bool force) {
  if (!m_settings.progress.show) return;
  if (!force && now - m_last_progress < m_settings.progress.every) return;
  m_last_progress = now;
  ProgressSnapshot p;
  p.done = m_done;
  p.total = m_settings.total_rows;
  p.created = m_counts[0];
  p.ok = m_counts[1] + m_counts[2];
  p.failed = m_counts[3] + m_counts[4];
  p.dry_run = m_settings.dry_run;
  const auto elapsed = now - m_started;
  p.elapsed = ms(elapsed);
  if (m_done > 0 && m_done < p.total) {
    // The slower of the pace so far and what the rate limit allows.
    Clock::Duration left =
        elapsed * static_cast<long>(p.total - m_done) / static_cast<long>(m_done);
    if (auto limited = m_pacer.limit_eta(now, p.total - m_done)) left = std::max(left, *limited);
    p.left = ms(left);
  }
  if (!force && m_next_send - now >= std::chrono::seconds(5)) p.rate_wait = ms(m_next_send - now);
  m_settings.progress.show(p, force);
}

}  // namespace prospect_import
