// End-to-end: the progress line as a person sees it, in a real pseudo-terminal
// 80 and 200 columns wide (the bytes replayed on a model of the screen), and
// as a log gets it.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>

#include "sandbox_fixture.h"
#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using testing::Sandbox;
using testing::TempDir;

const fs::path k_samples = PI_SAMPLES_DIR;
using Env = std::map<std::string, std::string>;

Env tool_env(Env extra) {
  Env env = testing::base_environment();
  env.insert({{"IMPACT_ACCOUNT_SID", "IRsandbox0001"},
              {"IMPACT_AUTH_TOKEN", "sandbox-token"},
              {"IMPACT_PROGRAM_ID", "1001"}});
  for (auto& [k, v] : extra) env[k] = v;
  return env;
}

std::vector<std::string> import_args(const Sandbox& sandbox, const TempDir& tmp,
                                     std::vector<std::string> extra = {}) {
  std::vector<std::string> args{
      "--api-base", sandbox.base_url(), "--report-dir", (tmp / "report").string(), "--concurrency",
      "1",          "--no-ledger"};  // every run sends its rows
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back((k_samples / "prospects.csv").string());
  return args;
}

// Everything the tool writes to its terminal, standard output and error both.
std::string run_in_pty(unsigned short columns, const std::vector<std::string>& args,
                       const Env& env) {
  winsize size{24, columns, 0, 0};
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
  if (pid == 0) {
    std::vector<std::string> argv_s{PI_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<std::string> env_s;
    for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
    std::vector<char*> argv, envp;
    for (auto& s : argv_s) argv.push_back(s.data());
    for (auto& s : env_s) envp.push_back(s.data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);
    ::execve(PI_BINARY, argv.data(), envp.data());
    ::_exit(127);
  }
  std::string screen_bytes;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 1000) <= 0) continue;
    char chunk[4096];
    const ssize_t n = ::read(master, chunk, sizeof chunk);
    if (n <= 0) break;  // EIO: the child has gone and closed the terminal
    screen_bytes.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << screen_bytes;
  return screen_bytes;
}

// The rows of a terminal `width` wide after these bytes: \r, \n, ESC[K and
// wrapping at the right margin, which is what leaves stale copies behind.
std::vector<std::string> replay(const std::string& bytes, std::size_t width) {
  std::vector<std::string> rows{""};
  std::size_t col = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c == '\r') {
      col = 0;
    } else if (c == '\n') {
      rows.emplace_back();
      col = 0;
    } else if (c == '\033' && bytes.compare(i, 3, "\033[K") == 0) {
      rows.back().resize(std::min(rows.back().size(), col));
      i += 2;
    } else {
      if (col == width) {
        rows.emplace_back();
        col = 0;
      }
      std::string& row = rows.back();
      if (row.size() <= col) row.resize(col + 1, ' ');
      row[col++] = c;
    }
  }
  return rows;
}

bool is_progress(const std::string& row) {
  const auto slash = row.find("/10 rows");
  return slash != std::string::npos && slash > 0 &&
         std::isdigit(static_cast<unsigned char>(row[0]));
}

std::vector<std::string> progress_rows(const std::vector<std::string>& rows) {
  std::vector<std::string> found;
  for (const auto& r : rows) {
    if (is_progress(r)) found.push_back(r);
  }
  return found;
}

class ProgressInATerminal : public ::testing::TestWithParam<unsigned short> {};

TEST_P(ProgressInATerminal, OneLineRewrittenInPlaceThatNeverWraps) {
  const unsigned short width = GetParam();
  Sandbox sandbox({"--latency-ms", "400"});
  TempDir tmp;
  const std::string bytes =
      run_in_pty(width, import_args(sandbox, tmp), tool_env({{"TERM", "xterm"}}));
  // Every state the line went through fits in width - 1 columns ...
  std::size_t updates = 0;
  for (std::size_t at = bytes.find("\r\033[K"); at != std::string::npos;
       at = bytes.find("\r\033[K", at + 1)) {
    const std::string line = bytes.substr(at + 4, bytes.find_first_of("\r\n", at + 4) - at - 4);
    EXPECT_LT(line.size(), width) << line;
    ++updates;
  }
  EXPECT_GE(updates, 2u) << "an update while sending, and the last one";
  // ... so the screen keeps exactly one progress row: the last.
  const auto shown = progress_rows(replay(bytes, width));
  ASSERT_EQ(shown.size(), 1u) << bytes;
  EXPECT_EQ(shown[0].rfind("10/10 rows 100%, 10 created, 0 failed", 0), 0u) << shown[0];
  if (width >= 200) {
    EXPECT_NE(bytes.find(" rows/s"), std::string::npos);
    EXPECT_NE(bytes.find(" left"), std::string::npos) << "the time left while sending";
  }
}

INSTANTIATE_TEST_SUITE_P(Widths, ProgressInATerminal, ::testing::Values(80, 200));

TEST(ProgressInADumbTerminal, GetsNoControlCodes) {
  Sandbox sandbox;
  TempDir tmp;
  const std::string bytes = run_in_pty(80, import_args(sandbox, tmp), tool_env({{"TERM", "dumb"}}));
  EXPECT_EQ(bytes.find('\033'), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("Z sent 10/10 rows (100%), "), std::string::npos) << bytes;
}

// In a log (standard error a file): nothing by default, a timestamped line with always.
TEST(ProgressInALog, TimestampedLinesOnlyWithAlways) {
  Sandbox sandbox;
  for (const char* mode : {"auto", "always", "never"}) {
    TempDir tmp;
    auto r = testing::run_binary(PI_BINARY, {import_args(sandbox, tmp, {"--progress", mode}),
                                             {{"IMPACT_ACCOUNT_SID", "IRsandbox0001"},
                                              {"IMPACT_AUTH_TOKEN", "sandbox-token"},
                                              {"IMPACT_PROGRAM_ID", "1001"},
                                              {"TERM", "xterm"}},
                                             std::nullopt,
                                             {}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.raw_err.find('\033'), std::string::npos) << mode;
    const auto at = r.raw_err.find(" sent 10/10 rows (100%), ");
    if (std::string(mode) != "always") {
      EXPECT_EQ(at, std::string::npos) << mode << ":\n" << r.raw_err;
      continue;
    }
    ASSERT_NE(at, std::string::npos) << r.raw_err;
    const auto start = r.raw_err.rfind('\n', at) + 1;  // npos + 1 == 0 on the first line
    const std::string stamp = r.raw_err.substr(start, at - start);
    EXPECT_EQ(stamp.size(), 20u) << stamp;
    EXPECT_EQ(stamp.substr(4, 1) + stamp.substr(10, 1) + stamp.substr(19, 1), "-TZ") << stamp;
  }
}

}  // namespace
}  // namespace prospect_import
