#include "prospect_import/background_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

namespace prospect_import {

BackgroundSync::BackgroundSync(SyncFn sync) : m_sync(std::move(sync)) {}

BackgroundSync::~BackgroundSync() { stop(); }

int BackgroundSync::default_sync(int fd) { return ::fdatasync(fd) == 0 ? 0 : errno; }

void BackgroundSync::request(int fd) {
  {
    std::lock_guard lock(m_mutex);
    if (m_stopping) return;
    if (!m_no_thread && !m_thread.joinable()) {
      try {
        m_thread = std::thread([this] { loop(); });
      } catch (const std::system_error&) {
        m_no_thread = true;  // pids.max, or out of memory: the final fsync does it all
      }
    }
    if (!m_no_thread) {
      if (std::find(m_pending.begin(), m_pending.end(), fd) == m_pending.end())
        m_pending.push_back(fd);
      m_wake.notify_one();
      return;
    }
  }
  ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

void BackgroundSync::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    m_pending.clear();
  }
  m_wake.notify_one();
  if (m_thread.joinable()) m_thread.join();
}

void BackgroundSync::loop() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_wake.wait(lock, [this] { return m_stopping || !m_pending.empty(); });
    if (m_stopping) return;
    int fd = m_pending.front();
    m_pending.erase(m_pending.begin());
    lock.unlock();
    int error = m_sync(fd);
    if (error != 0) {
      int none = 0;
      m_error.compare_exchange_strong(none, error);
    }
    lock.lock();
  }
}

}  // namespace prospect_import
