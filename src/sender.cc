#include "prospect_import/sender.h"

#include <algorithm>
#include <csignal>

namespace prospect_import {
namespace {

constexpr auto k_max_poll = std::chrono::milliseconds(500);  // how often a stop is noticed
constexpr auto k_pacing_note_after = std::chrono::seconds(30);

std::string format_duration(Clock::Duration d) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s";
  return std::to_string(s / 3600) + "h" + std::to_string(s / 60 % 60) + "m";
}

// A time-out, a broken connection, or a success status whose body never came.
bool answer_lost(const HttpResponse& r) {
  if (r.transport == TransportError::broken || r.transport == TransportError::timeout) return true;
  return r.transport == TransportError::none && r.status >= 200 && r.status < 300;
}

}  // namespace

Sender::Sender(HttpClient& http, const Clock& clock, Pacer& pacer, SenderSettings settings,
               const StopFlag& stop, spdlog::logger& log)
    : m_http(http),
      m_clock(clock),
      m_pacer(pacer),
      m_settings(std::move(settings)),
      m_stop_flag(stop),
      m_log(log) {}

StopReason Sender::run(const std::vector<SendRow>& rows, const Recorder& recorder) {
  m_rows = &rows;
  m_recorder = &recorder;
  m_attempts.assign(rows.size(), 0);
  m_sends.assign(rows.size(), 0);
  m_maybe_committed.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) m_maybe_committed[i] = rows[i].sent_before;
  m_ready.clear();
  for (std::size_t i = rows.size(); i-- > 0;) m_ready.push_back(i);
  m_started = m_last_progress = m_clock.now();
  for (;;) {
    if (int sig = m_stop_flag.load()) {
      stop(sig == SIGTERM ? StopReason::terminated : StopReason::interrupted, "");
    }
    bool stopping = m_reason != StopReason::finished;
    if (m_http.in_flight() == 0 && (stopping || (m_ready.empty() && m_waiting.empty()))) break;
    Clock::TimePoint now = m_clock.now();
    release_due_waits(now);
    if (!stopping) send_what_may_go(now);
    auto budget = std::chrono::ceil<std::chrono::milliseconds>(wait_budget(now));
    // Every finished request is handled, also after a failure to record one:
    // the caller still learns each row's outcome for its report.
    for (const auto& response : m_http.wait(budget)) handle(response, m_clock.now());
    log_progress(m_clock.now(), false);
  }
  log_progress(m_clock.now(), true);
  return m_reason;
}

void Sender::release_due_waits(Clock::TimePoint now) {
  // Rows whose back-off or rate-limit wait is over go before new ones.
  std::sort(m_waiting.begin(), m_waiting.end(), std::greater<>());
  while (!m_waiting.empty() && m_waiting.back().first <= now) {
    m_ready.push_back(m_waiting.back().second);
    m_waiting.pop_back();
  }
}

void Sender::send_what_may_go(Clock::TimePoint now) {
  while (!m_ready.empty() &&
         m_http.in_flight() < static_cast<std::size_t>(m_settings.concurrency)) {
    m_next_send = m_pacer.next_send(now, m_ready.size() + m_waiting.size());
    if (m_next_send > now) {
      note_pacing_wait(now);
      return;
    }
    m_pacing_noted = false;
    std::size_t index = m_ready.back();
    m_ready.pop_back();
    if (m_sends[index] == 0 && m_recorder->on_first_send &&
        !m_recorder->on_first_send((*m_rows)[index])) {
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
      "waiting {} for the API's rate limit (X-RateLimit-Remaining/Reset) before the next request",
      format_duration(m_next_send - now));
}

Clock::Duration Sender::wait_budget(Clock::TimePoint now) const {
  Clock::Duration d = k_max_poll;
  if (!m_ready.empty() && m_http.in_flight() < static_cast<std::size_t>(m_settings.concurrency)) {
    d = std::min(d, m_next_send - now);
  }
  if (!m_waiting.empty()) {
    auto first = std::min_element(m_waiting.begin(), m_waiting.end())->first;
    d = std::min(d, first - now);
  }
  return std::max(d, Clock::Duration::zero());
}

void Sender::send(std::size_t index, Clock::TimePoint now) {
  const SendRow& row = (*m_rows)[index];
  ++m_attempts[index];
  if (m_sends[index]++ > 0) ++m_stats.retries;
  ++m_stats.requests;
  m_pacer.sent(now);
  HttpRequest request;
  request.tag = index;
  request.method = "POST";
  request.url = prospects_url(m_settings.target);
  request.body = create_body(row.sent, row.group_id, m_settings.dry_run);
  m_log.debug("line {}: POST {} (attempt {})", row.line, request.url, m_attempts[index]);
  m_http.start(std::move(request));
}

void Sender::handle(const HttpResponse& response, Clock::TimePoint now) {
  auto index = static_cast<std::size_t>(response.tag);
  const SendRow& row = (*m_rows)[index];
  CreateResult answer = read_create_answer(response, m_settings.dry_run);
  m_log.debug("line {}: {} {}", row.line,
              response.status ? std::to_string(response.status) : response.transport_message,
              answer.message);
  if (answer.outcome == Outcome::rate_limited) {
    ++m_stats.rate_limited;
    m_pacer.rate_limited(answer.rate, now, m_http.in_flight());
    retry_later(index, now);  // waits for a 429 are not retries of the row
    --m_attempts[index];
    return;
  }
  m_pacer.observe(answer.rate, now, m_http.in_flight());
  switch (answer.outcome) {
    case Outcome::created:
      finish_row(index, Fate::created, std::move(answer));
      return;
    case Outcome::already_exists:
      finish_row(index, m_maybe_committed[index] ? Fate::created : Fate::already_exists,
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
      if (answer_lost(response) && !m_settings.dry_run) m_maybe_committed[index] = true;
      if (m_attempts[index] <= m_settings.max_retries) {
        m_log.debug("line {}: retrying after: {}", row.line, answer.message);
        retry_later(index, now + m_pacer.backoff(m_attempts[index]));
        return;
      }
      answer.message =
          "failed after " + std::to_string(m_attempts[index]) + " attempts: " + answer.message;
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
  RowResult result{index, (*m_rows)[index].line, fate, std::move(answer), m_attempts[index]};
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
  if (!force && now - m_last_progress < m_settings.progress.every) return;
  m_last_progress = now;
  std::uint64_t total = m_rows->size();
  std::string eta;
  auto elapsed = now - m_started;
  if (m_done > 0 && m_done < total) {
    // The slower of the pace so far and what the rate limit allows.
    Clock::Duration left = elapsed * static_cast<long>(total - m_done) / static_cast<long>(m_done);
    if (auto limited = m_pacer.limit_eta(now, total - m_done)) left = std::max(left, *limited);
    eta = ", about " + format_duration(left) + " left";
  }
  if (!force && m_next_send - now >= std::chrono::seconds(5)) {
    eta += " (waiting " + format_duration(m_next_send - now) + " for the rate limit)";
  }
  std::string line = fmt::format(
      "sent {}/{} rows: {} created, {} already existed, {} dry-run ok, {} rejected, {} failed{}",
      m_done, total, m_counts[0], m_counts[1], m_counts[2], m_counts[3], m_counts[4], eta);
  if (m_settings.progress.show) {
    m_settings.progress.show(line, force);
  } else {
    m_log.info("{}", line);
  }
}

}  // namespace prospect_import
