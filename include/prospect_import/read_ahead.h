#pragma once
// Records read on a thread of their own, a few batches ahead of the caller,
// so that reading the input (decoding, splitting lines and fields) overlaps
// checking and reporting: an offline run keeps both cores of a small machine
// busy. Records pass by swapping, so their strings are reused, never copied.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "prospect_import/csv_reader.h"

namespace prospect_import {

class ReadAhead {
 public:
  // source(record): the next record, false at the end; it runs on the
  // reading thread only, from start() on.
  explicit ReadAhead(std::function<bool(Record&)> source);
  // Stops the reading thread (after at most one batch).
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // A stand-in for `say` (a log line) to be called on the reading thread:
  // next() calls `say` itself, just before it gives the record that was being
  // read then, so the log reads as it would without the thread.
  // REQUIRES: called before start().
  std::function<void(const std::string&)> deferred(std::function<void(const std::string&)> say);

  void start();

  // The source's next record, in order; false once the source returned
  // false. What the source threw is thrown here, where it threw.
  bool next(Record& record);

 private:
  struct Batch;
  void read();
  void say_notes(std::size_t up_to);

  std::function<bool(Record&)> m_source;
  std::mutex m_mutex;
  std::condition_variable m_filled;  // a batch went to m_full
  std::condition_variable m_freed;   // a batch went to m_free, or m_stop
  std::deque<std::unique_ptr<Batch>> m_full;
  std::deque<std::unique_ptr<Batch>> m_free;
  bool m_stop = false;
  Batch* m_filling = nullptr;        // the reading thread's
  std::unique_ptr<Batch> m_current;  // the caller's
  std::size_t m_position = 0;        // in m_current
  std::size_t m_next_note = 0;       // in m_current
  std::thread m_thread;
};

}  // namespace prospect_import
