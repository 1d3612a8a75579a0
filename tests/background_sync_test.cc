#include "prospect_import/background_sync.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace prospect_import {
namespace {

using namespace std::chrono_literals;

// A sync that records what it was asked for, on which thread, and can be held.
struct FakeSync {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<int> synced;
  std::vector<std::thread::id> threads;
  bool hold = false;
  bool inside = false;
  int result = 0;

  BackgroundSync::SyncFn fn() {
    return [this](int fd) {
      std::unique_lock lock(mutex);
      inside = true;
      changed.notify_all();
      changed.wait(lock, [this] { return !hold; });
      synced.push_back(fd);
      threads.push_back(std::this_thread::get_id());
      inside = false;
      changed.notify_all();
      return result;
    };
  }
  bool wait_for(std::size_t n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 10s, [&] { return synced.size() >= n; });
  }
};

TEST(BackgroundSync, SyncsWhatIsRequestedOnAThreadOfItsOwn) {
  FakeSync fake;
  BackgroundSync sync(fake.fn());
  sync.request(7);
  ASSERT_TRUE(fake.wait_for(1));
  sync.request(9);
  ASSERT_TRUE(fake.wait_for(2));
  sync.stop();
  EXPECT_EQ(fake.synced, (std::vector<int>{7, 9}));
  EXPECT_NE(fake.threads[0], std::this_thread::get_id());
  EXPECT_EQ(sync.error(), 0);
}

TEST(BackgroundSync, StopWaitsForTheSyncUnderWaySoTheFileMayThenBeClosed) {
  FakeSync fake;
  BackgroundSync sync(fake.fn());
  {
    std::lock_guard lock(fake.mutex);
    fake.hold = true;
  }
  sync.request(5);
  {
    std::unique_lock lock(fake.mutex);
    ASSERT_TRUE(fake.changed.wait_for(lock, 10s, [&] { return fake.inside; }));
  }
  auto stopped = std::async(std::launch::async, [&] { sync.stop(); });
  EXPECT_EQ(stopped.wait_for(100ms), std::future_status::timeout);
  {
    std::lock_guard lock(fake.mutex);
    fake.hold = false;
  }
  fake.changed.notify_all();
  stopped.get();
  std::lock_guard lock(fake.mutex);
  EXPECT_FALSE(fake.inside);
  EXPECT_EQ(fake.synced, std::vector<int>{5});
}

TEST(BackgroundSync, NothingIsSyncedAfterStop) {
  FakeSync fake;
  BackgroundSync sync(fake.fn());
  sync.stop();
  sync.request(3);
  sync.stop();
  EXPECT_TRUE(fake.synced.empty());
}

TEST(BackgroundSync, KeepsTheFirstFailureForTheOneWhoFinishesTheFile) {
  // Linux reports a failed write-back to one sync only: if that was this one,
  // the final fsync succeeds and only error() still knows.
  FakeSync fake;
  fake.result = EIO;
  BackgroundSync sync(fake.fn());
  sync.request(4);
  ASSERT_TRUE(fake.wait_for(1));
  fake.result = ENOSPC;
  sync.request(4);
  ASSERT_TRUE(fake.wait_for(2));
  sync.stop();
  EXPECT_EQ(sync.error(), EIO);
}

}  // namespace
}  // namespace prospect_import
