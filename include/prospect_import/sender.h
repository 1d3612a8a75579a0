#pragma once
// Sends the valid rows to the API, pulled from a RowSource as there is room
// for them (memory stays bounded by a window of rows, not the file): up to
// --concurrency requests in flight,
// paced by the rate budget, 429s waited out, transient failures retried with
// back-off; reports each row's final fate once. It stops early, letting the
// requests in flight finish, on a signal, refused credentials, a missing
// program, an unverifiable server, 20 rows in a row failing for good, or 10
// 429s in a row that do not say when to send again.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <spdlog/logger.h>

#include "prospect_import/api.h"
#include "prospect_import/clock.h"
#include "prospect_import/http.h"
#include "prospect_import/outcome.h"
#include "prospect_import/pacer.h"
#include "prospect_import/progress.h"
#include "prospect_import/stop.h"
#include "prospect_import/template.h"

namespace prospect_import {

struct SendRow {
  std::uint64_t line = 0;
  Values sent;
  std::string group_id;
  // An earlier run sent it and died before the answer: a 409 now means that
  // run created it.
  bool sent_before = false;
};

struct RowResult {
  std::size_t index = 0;  // position in the rows given to run()
  std::uint64_t line = 0;
  Fate fate = Fate::failed;
  CreateResult answer;  // the last answer (ids, matches, message)
  int attempts = 0;
};

// Where the progress goes: a snapshot every `every` at most, and once at the
// end (final). Without `show` there is no progress line (--progress never, -q).
struct ProgressSink {
  std::chrono::milliseconds every{30000};
  std::function<void(const ProgressSnapshot& progress, bool final)> show;
};

struct SenderSettings {
  ApiTarget target;
  bool dry_run = false;
  int concurrency = 4;
  int max_retries = 5;
  ProgressSink progress;
  std::uint64_t total_rows = 0;  // rows the source will give, for pacing and progress (0: unknown)
};

// Where the sender takes its rows from, in order.
class RowSource {
 public:
  enum class Pull {
    row,    // `row` is filled
    later,  // none now: the caller waits for an outcome first (REQUIRES: a row is still active)
    end,    // no more rows
  };
  virtual ~RowSource() = default;
  virtual Pull next(SendRow& row) = 0;
};

struct SendStats {
  std::uint64_t requests = 0;
  std::uint64_t retries = 0;
  std::uint64_t rate_limited = 0;
};

inline constexpr int k_max_consecutive_failures = 20;

class Sender {
 public:
  // REQUIRES: every reference outlives the sender.
  // The sleeper waits when nothing is in flight (pacing, back-off, a 429).
  Sender(HttpClient& http, const Clock& clock, Sleeper& sleeper, Pacer& pacer,
         SenderSettings settings, const StopFlag& stop, spdlog::logger& log);

  // What the caller records: before a row's first request (on_first_send) and
  // at its final fate (on_result). Either returns false when it could not
  // record (disk full): the sender then stops at once.
  // settle (optional) is for outcomes that become final after on_result, once
  // their record is durable (the journal's group commit): called on every turn
  // of the loop with Settle::ready, and with Settle::all (which may block on
  // the disk) when the sender has nothing else to wait for. It returns how
  // many rows it settled, or nothing when recording failed (a stop).
  // before_wait (optional) is called before the sender waits for answers or
  // time, after the turn's requests started: records held back are written
  // then (a request leaves in the wait: HttpClient::start only queues it).
  // False (could not record) stops the sender.
  enum class Settle { ready, all };
  struct Recorder {
    std::function<bool(const SendRow&)> on_first_send;
    std::function<bool(const RowResult&)> on_result;
    std::function<std::optional<std::size_t>(Settle)> settle;
    std::function<bool()> before_wait;
  };

  // Sends rows in order, pulling at most window() rows ahead of the oldest
  // without an outcome; rows without a result when it returns were not
  // attempted (and rows never pulled were not either).
  // A 409 for a row whose earlier request may have been carried out (its answer
  // was lost: a time-out, a broken connection, a 2xx without its body; or an
  // earlier run sent it and died) is `created`: this import made it. After a
  // 5xx answer, a 409 is `already_exists`: the server said it had failed.
  StopReason run(RowSource& rows, const Recorder& recorder);
  // The same over rows in memory; RowResult::index is the position in `rows`.
  StopReason run(const std::vector<SendRow>& rows, const Recorder& recorder);
  StopReason run(const std::vector<SendRow>& rows,
                 const std::function<bool(const RowResult&)>& on_result) {
    return run(rows, Recorder{nullptr, on_result, nullptr, nullptr});
  }

  // Rows pulled but without a final fate, at most.
  std::size_t window() const { return 4 * static_cast<std::size_t>(m_settings.concurrency) + 16; }

  const SendStats& stats() const { return m_stats; }
  // The message of the answer that stopped the run, for the user.
  const std::string& stop_message() const { return m_stop_message; }

 private:
  struct Active {
    SendRow row;
    int attempts = 0;              // counted against --max-retries
    int sends = 0;                 // requests sent, 429 re-sends included
    bool maybe_committed = false;  // an earlier request may have worked
    Clock::TimePoint sent_at{};    // when its last request went
  };

  std::size_t settle(Settle mode);
  void release_due_waits(Clock::TimePoint now);
  bool take_ready();
  void send_what_may_go(Clock::TimePoint now);
  void wait_for_events(Clock::TimePoint now);
  std::uint64_t rows_left() const;
  void note_pacing_wait(Clock::TimePoint now);
  void send(std::size_t index, Clock::TimePoint now);
  void handle(const HttpResponse& response, Clock::TimePoint now);
  void finish_row(std::size_t index, Fate fate, CreateResult answer);
  void retry_later(std::size_t index, Clock::TimePoint when);
  void stop(StopReason reason, std::string message);
  Clock::Duration wait_budget(Clock::TimePoint now) const;
  void log_progress(Clock::TimePoint now, bool force);

  HttpClient& m_http;
  const Clock& m_clock;
  Sleeper& m_sleeper;
  Pacer& m_pacer;
  SenderSettings m_settings;
  const StopFlag& m_stop_flag;
  spdlog::logger& m_log;
  SendStats m_stats;
  StopReason m_reason = StopReason::finished;
  std::string m_stop_message;

  // State of one run().
  RowSource* m_source = nullptr;
  const Recorder* m_recorder = nullptr;
  std::unordered_map<std::size_t, Active> m_active;  // pulled, without a final fate
  std::size_t m_pulled = 0;                          // the next row's index
  bool m_source_ended = false;
  bool m_source_waits = false;       // it said `later` this turn
  std::vector<std::size_t> m_ready;  // rows to send again, next at the back
  std::vector<std::pair<Clock::TimePoint, std::size_t>> m_waiting;  // back-off, 429
  std::uint64_t m_done = 0;
  int m_consecutive_failures = 0;
  Clock::TimePoint m_next_send{};
  bool m_pacing_noted = false;  // the current pacing wait was logged
  Clock::TimePoint m_last_progress{};
  Clock::TimePoint m_started{};
  std::uint64_t m_counts[5] = {};
};

}  // namespace prospect_import
