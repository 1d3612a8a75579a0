#pragma once
// A table's rows read and worked on by several threads, given back in order:
// an offline run keeps every core of the machine busy. Each worker takes a
// batch, reads it from the source (one worker at a time, so the source sees
// one reader in order), then does the per-row work on it alone (a row's
// checks that do not depend on other rows); the caller takes the batches in
// the order they were read and does what must be done in order (duplicates,
// the report). Slots pass by pointer and are reused: their strings keep
// their room from batch to batch.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "prospect_import/csv_reader.h"
#include "prospect_import/row_checker.h"

namespace prospect_import {

// One row on its way through.
struct RowSlot {
  Record record;
  CheckedRow row;    // the work's
  std::string text;  // the work's (offline: the row's success.csv line)
};

class ParallelRows {
 public:
  // source(record): the next record, false at the end; called by one worker
  // at a time, in order. work(slot): runs on a worker, on a slot whose record
  // was read; it must not touch anything another row's work touches.
  using Source = std::function<bool(Record&)>;
  using Work = std::function<void(RowSlot&)>;
  // workers: threads to start (at most 8); with none (or none to be had)
  // the caller reads and works on each batch in next().
  ParallelRows(Source source, Work work, unsigned workers);
  // Stops the workers (each after at most its batch).
  ~ParallelRows();
  ParallelRows(const ParallelRows&) = delete;
  ParallelRows& operator=(const ParallelRows&) = delete;

  // A stand-in for `say` (a log line) to be called by the source: next()
  // calls `say` itself, just before it gives the record that was being read
  // then, so the log reads as it would without the workers.
  // REQUIRES: called before start().
  std::function<void(const std::string&)> deferred(std::function<void(const std::string&)> say);

  void start();

  // The next slot, in the source's order, its work done; null once the
  // source returned false. The slot is the caller's until the next call.
  // What the source or the work threw is thrown here, in its place.
  RowSlot* next();
  // The slot next() gives next if it is at hand already, else null: a look
  // ahead, to start fetching what it will need.
  const RowSlot* peek() const;

  // The threads a machine's cores warrant: one a core, 1 to 8.
  static unsigned default_workers();

 private:
  struct Batch;
  void run_worker();
  void work_on(Batch& batch);
  bool fill(Batch& batch);
  Batch* take_free();
  void say_notes(std::size_t up_to);

  Source m_source;
  Work m_work;
  unsigned m_worker_count;
  std::vector<std::unique_ptr<Batch>> m_batches;  // all of them, for their lifetime

  std::mutex m_read_mutex;  // one reader at a time; guards the three below
  std::uint64_t m_read_sequence = 0;
  bool m_source_ended = false;
  Batch* m_filling = nullptr;

  std::mutex m_mutex;  // guards the five below
  std::vector<Batch*> m_free;
  std::map<std::uint64_t, Batch*> m_done;  // worked on, by sequence
  bool m_stop = false;
  bool m_waiting = false;             // the caller waits for m_next_sequence
  std::uint64_t m_next_sequence = 0;  // the batch the caller takes next
  std::condition_variable m_freed;    // a batch went to m_free, or m_stop
  std::condition_variable m_ready;    // a batch went to m_done

  Batch* m_current = nullptr;   // the caller's
  std::size_t m_position = 0;   // in m_current
  std::size_t m_next_note = 0;  // in m_current
  std::vector<std::thread> m_threads;
};

}  // namespace prospect_import
