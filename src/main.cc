#include <csignal>

#include "prospect_import/cli.h"

int main(int argc, char** argv) {
  // A file size limit (ulimit -f) makes a write fail with EFBIG, said as such,
  // instead of killing the process: also for the last lines on standard error,
  // written after an import's own signal scope has ended.
  std::signal(SIGXFSZ, SIG_IGN);
  return prospect_import::run(argc, argv);
}
