#include "prospect_import/signals.h"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>

namespace prospect_import {
namespace {

// The one piece of global state: a signal handler can reach nothing else.
StopFlag g_stop{0};
int g_wake[2] = {-1, -1};  // a self-pipe: readable once a stop is asked
struct sigaction g_old_int, g_old_term, g_old_hup, g_old_xfsz;

void on_signal(int sig) {
  int expected = 0;
  if (g_stop.compare_exchange_strong(expected, sig)) {
    if (g_wake[1] >= 0 && ::write(g_wake[1], "!", 1) < 0) {
      // The pipe is full or gone: waits still see the flag within their slice.
    }
  } else {
    std::signal(sig, SIG_DFL);  // asked twice: stop now
    std::raise(sig);
  }
}

}  // namespace

SignalScope::SignalScope() {
  g_stop = 0;
  if (::pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) != 0) g_wake[0] = g_wake[1] = -1;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a wait returns early and sees the flag
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGHUP, &ignore, &g_old_hup);
  // Past a file size limit a write then fails with EFBIG, which the journal
  // reports as an I/O error (74), instead of the process dying mid-write.
  sigaction(SIGXFSZ, &ignore, &g_old_xfsz);
}

SignalScope::~SignalScope() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
  sigaction(SIGHUP, &g_old_hup, nullptr);
  sigaction(SIGXFSZ, &g_old_xfsz, nullptr);
  for (int& fd : g_wake) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

const StopFlag& SignalScope::flag() const { return g_stop; }

int SignalScope::wake_fd() const { return g_wake[0]; }

}  // namespace prospect_import
