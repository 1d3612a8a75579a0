#include "prospect_import/signals.h"

#include <csignal>

namespace prospect_import {
namespace {

// The one piece of global state: a signal handler can reach nothing else.
StopFlag g_stop{0};
struct sigaction g_old_int, g_old_term, g_old_hup, g_old_xfsz;

void on_signal(int sig) {
  int expected = 0;
  if (!g_stop.compare_exchange_strong(expected, sig)) {
    std::signal(sig, SIG_DFL);  // asked twice: stop now
    std::raise(sig);
  }
}

}  // namespace

SignalScope::SignalScope() {
  g_stop = 0;
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
}

const StopFlag& SignalScope::flag() const { return g_stop; }

}  // namespace prospect_import
