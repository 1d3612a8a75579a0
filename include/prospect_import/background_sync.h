#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace prospect_import {

// Makes files durable a piece at a time on a thread of its own while they are
// still being written, so that the sync that ends a large report waits for its
// last few MiB only. (sync_file_range alone is not enough: it hands the pages
// to the disk, whose cache the final fsync still had to empty: 35 ms for a
// 25 MB success.csv here, the run's whole tail.)
//
// An error of a sync done here is kept and must be asked for (error()): Linux
// reports a failed write-back to one sync of a file only, and that may be this
// one rather than the final fsync.
class BackgroundSync {
 public:
  using SyncFn = std::function<int(int fd)>;  // 0 or an errno
  explicit BackgroundSync(SyncFn sync = default_sync);
  ~BackgroundSync();  // stop()
  BackgroundSync(const BackgroundSync&) = delete;
  BackgroundSync& operator=(const BackgroundSync&) = delete;

  // Syncs fd soon, on the background thread (started by the first request).
  // Requests for an fd already waiting are one. Without a thread to be had,
  // the pages are only handed to the disk (sync_file_range), here.
  void request(int fd);
  // Waits for a sync under way and ends the thread: after it no fd requested
  // is used any more, so they may be closed. Requests after stop() are ignored.
  void stop();
  // The errno of the first sync that failed here, or 0. Valid after stop().
  int error() const { return m_error.load(); }

  static int default_sync(int fd);

 private:
  void loop();

  SyncFn m_sync;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::vector<int> m_pending;
  bool m_stopping = false;
  bool m_no_thread = false;
  std::atomic<int> m_error{0};
  std::thread m_thread;
};

}  // namespace prospect_import
