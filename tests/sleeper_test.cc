#include "prospect_import/sleeper.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "prospect_import/signals.h"

namespace prospect_import {
namespace {

using namespace std::chrono_literals;

// A wait of an hour for a rate limit ends when SIGTERM arrives: were the
// signal missed, this test would wait the hour and time out.
TEST(SystemSleeper, ASignalEndsAnHourLongWaitAtOnce) {
  SignalScope signals;
  SystemSleeper sleeper(&signals.flag(), signals.wake_fd());
  std::thread user([] {
    std::this_thread::sleep_for(50ms);
    ::kill(::getpid(), SIGTERM);
  });
  sleeper.sleep_until(std::chrono::steady_clock::now() + 1h);
  user.join();
  EXPECT_EQ(signals.flag().load(), SIGTERM);
}

TEST(SystemSleeper, AStopAskedBeforeTheWaitMeansNoWait) {
  StopFlag stop{SIGINT};
  SystemSleeper sleeper(&stop, -1);
  sleeper.sleep_until(std::chrono::steady_clock::now() +
                      1h);  // returns at once, or the test times out
  SUCCEED();
}

TEST(SystemSleeper, WithoutAStopItWaitsUntilTheDeadline) {
  SystemSleeper sleeper(nullptr, -1);
  auto deadline = std::chrono::steady_clock::now() + 20ms;
  sleeper.sleep_until(deadline);
  EXPECT_GE(std::chrono::steady_clock::now(), deadline);
}

}  // namespace
}  // namespace prospect_import
