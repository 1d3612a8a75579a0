// End-to-end, the real binary: issue 7's local cases (a hostile neighbour,
// hostile files and flags): what the user sees, the exit code, and what was
// left on disk. No request leaves 127.0.0.1; the cases refused from a URL
// alone touch no network at all.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "sandbox_fixture.h"
#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using testing::ChildProcess;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::read_file;
using testing::RunResult;
using testing::Sandbox;
using testing::TempDir;
using testing::write_file;

using Env = std::map<std::string, std::string>;

const fs::path k_samples = PI_SAMPLES_DIR;
constexpr const char* k_token = "sandbox-token";
constexpr auto k_run_limit = std::chrono::seconds(60);
constexpr const char* k_usage_tail = "\nRun 'prospect-import --help' for the options.\n";

Env credentials() {
  return {{"IMPACT_ACCOUNT_SID", "IRsandbox0001"},
          {"IMPACT_AUTH_TOKEN", k_token},
          {"IMPACT_PROGRAM_ID", "1001"}};
}

Env tool_environment(const Env& env) {
  Env all = testing::base_environment();
  for (const auto& [k, v] : env) all[k] = v;
  return all;
}

// Runs `binary` (default the tool) to its end, stopping it after 60 s.
RunResult run(std::vector<std::string> args, const Env& env = {},
              const std::string& binary = PI_BINARY) {
  TempDir capture;
  ChildProcess child(ChildProcess::Spec{binary, std::move(args), tool_environment(env),
                                        capture / "out", capture / "err"});
  auto code = child.wait(k_run_limit);
  EXPECT_TRUE(code.has_value()) << "still running after 60 s";
  return RunResult{code.value_or(-1), read_file(capture / "out"),
                   testing::without_log_timestamps(read_file(capture / "err"))};
}

// The tool run by /bin/sh after `setup` (ulimit, closing inherited descriptors).
RunResult run_after(const std::string& setup, std::vector<std::string> args, const Env& env = {}) {
  std::vector<std::string> sh_args{"-c", setup + "; exec \"$0\" \"$@\"", PI_BINARY};
  sh_args.insert(sh_args.end(), args.begin(), args.end());
  return run(std::move(sh_args), env, "/bin/sh");
}

std::string usage(const std::string& message) {
  return "prospect-import: " + message + k_usage_tail;
}

// --- item 7: --timeout below a second ------------------------------------

TEST(HostileFlags, TimeoutBelowOneSecondIsRefused) {
  for (const char* t : {"0.5", "0.0001", "0", "-1", "nan"}) {
    auto r = run({"--offline", "--timeout", t, (k_samples / "prospects.csv").string()});
    EXPECT_EQ(r.exit_code, 2) << t;
    EXPECT_EQ(r.err, usage("--timeout must be between 1 and 3600 seconds")) << t;
  }
  TempDir tmp;
  auto ok = run({"--offline", "--timeout", "1", "--report-dir", (tmp / "r").string(),
                 (k_samples / "prospects.csv").string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

// --- item 9: where the credentials may go --------------------------------

// Offline, so that even a broken check could not reach the network.
TEST(HostileFlags, PlainHttpToARemoteHostIsRefused) {
  for (const char* base : {"http://api.impact.com", "http://192.0.2.1:8080"}) {
    auto r = run({"--offline", "--api-base", base, (k_samples / "prospects.csv").string()});
    EXPECT_EQ(r.exit_code, 2) << base;
    EXPECT_EQ(r.err,
              usage(std::string("the API base URL \"") + base +
                    "\" (--api-base or IMPACT_API_BASE) uses plain http:// to a host that is not "
                    "this machine, so the credentials would cross the network unencrypted; use "
                    "https:// (http:// is allowed only for 127.0.0.0/8, [::1] and localhost)"));
  }
  auto env = run({"--offline", (k_samples / "prospects.csv").string()},
                 {{"IMPACT_API_BASE", "http://example.com"}});
  EXPECT_EQ(env.exit_code, 2) << "the environment variable is checked as the flag is";
}

TEST(HostileFlags, UserInfoInTheApiBaseIsRefusedAndNeverPrinted) {
  const std::string message = usage(
      "the API base URL (--api-base or IMPACT_API_BASE) holds a user name or password "
      "(user:password@); remove it: the account SID and the token are given by IMPACT_ACCOUNT_SID "
      "and "
      "IMPACT_AUTH_TOKEN, never in a URL");
  const std::string base =
      "http://IRsandbox0001:s3cr3t-pw@127.0.0.1:" + std::to_string(testing::unused_port());
  auto flag =
      run({"--api-base", base, "--json", (k_samples / "prospects.csv").string()}, credentials());
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_EQ(flag.err, message);
  EXPECT_THAT(flag.out, Not(HasSubstr("s3cr3t-pw")));
  Env env = credentials();
  env["IMPACT_API_BASE"] = base;
  auto from_env = run({"programs"}, env);
  EXPECT_EQ(from_env.exit_code, 2);
  EXPECT_EQ(from_env.err, message);
}

// --- item 10: the auth token file ----------------------------------------

// Credentials without IMPACT_AUTH_TOKEN: the token comes from --auth-token-file.
Env token_file_env() {
  return {{"IMPACT_ACCOUNT_SID", "IRsandbox0001"}, {"IMPACT_PROGRAM_ID", "1001"}};
}

RunResult groups_with_token_file(const fs::path& file) {
  return run({"groups", "--api-base", "http://127.0.0.1:" + std::to_string(testing::unused_port()),
              "--auth-token-file", file.string()},
             token_file_env());
}

TEST(HostileFiles, TokenFileThatIsAFolderIsNamedAsOne) {
  TempDir tmp;
  auto r = groups_with_token_file(tmp.path());
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.err,
            "error: the auth token file " + tmp.path().string() +
                " is a folder, not a file: name the file whose first line holds the token\n");
}

TEST(HostileFiles, TokenFileThatIsADeviceIsNotReadForever) {
  auto r = groups_with_token_file("/dev/zero");
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.err,
            "error: the auth token file /dev/zero is a device, not a file: name the file whose "
            "first line holds the token\n");
}

TEST(HostileFiles, TokenFileThatIsAFifoDoesNotWaitForAWriter) {
  TempDir tmp;
  ASSERT_EQ(::mkfifo((tmp / "token").c_str(), 0600), 0);
  auto r = groups_with_token_file(tmp / "token");
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.err, "error: the auth token file " + (tmp / "token").string() +
                       " is a pipe, not a file: name the file whose first line holds the token\n");
}

TEST(HostileFiles, TokenFileWithAHugeFirstLineIsRefused) {
  TempDir tmp;
  write_file(tmp / "token", std::string(5000, 'x'));
  fs::permissions(tmp / "token", fs::perms(0600));  // no warning about its mode
  auto r = groups_with_token_file(tmp / "token");
  EXPECT_EQ(r.exit_code, 78);
  EXPECT_EQ(r.err, "error: the first line of the auth token file " + (tmp / "token").string() +
                       " is longer than 4096 bytes: the file should hold the token alone\n");
}

// Secrets are often mounted as symlinks (Kubernetes): followed, then read.
TEST(HostileFiles, TokenFileBehindASymlinkIsRead) {
  TempDir tmp;
  Sandbox sandbox;
  write_file(tmp / "real-token", std::string(k_token) + "\nsecond line is ignored\n");
  fs::create_symlink(tmp / "real-token", tmp / "token");
  auto r = run(
      {"groups", "--api-base", sandbox.base_url(), "--auth-token-file", (tmp / "token").string()},
      token_file_env());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Bloggers\n"));
}

// --- item 10: bounded log lines ------------------------------------------

TEST(HostileFiles, AHugeHeaderMakesABoundedLogLine) {
  TempDir tmp;
  std::string header = "Partner Name,Contact Email,Media Property";
  for (int i = 0; i < 200'000; ++i) header += ",extra column " + std::to_string(i);
  write_file(tmp / "wide.csv", header + "\n");
  auto r = run({"--offline", "--report-dir", (tmp / "r").string(), (tmp / "wide.csv").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err.substr(0, 500);
  EXPECT_THAT(
      r.err, HasSubstr("ignoring columns that are not in the template: \"extra column 0\", \"extra "
                       "column 1\", \"extra column 2\", \"extra column 3\", \"extra column 4\", "
                       "\"extra column 5\", \"extra column 6\", \"extra column 7\", \"extra column "
                       "8\", \"extra column 9\" and 199990 more\n"));
  EXPECT_LT(r.err.size(), 2000u);
}

// --- item 10: running out of file descriptors ----------------------------

// The limit, not the report folder, is to blame. The shell closes what the
// test process lets children inherit, so the tool starts with 0, 1, 2 only;
// the input takes descriptor 3, and the report folder's own finds none left.
TEST(HostileFiles, RunningOutOfFileDescriptorsSaysSo) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // The sanitizers' runtime needs descriptors of its own: with 4 it reports
  // its own failures (an "invalid vptr" it cannot check) instead of ours.
  GTEST_SKIP() << "not meaningful under a sanitizer";
#endif
  TempDir tmp;
  auto r = run_after(
      "for fd in 3 4 5 6 7 8 9; do eval \"exec $fd<&-\"; done; ulimit -n 4",
      {"--offline", "--report-dir", (tmp / "r").string(), (k_samples / "prospects.csv").string()});
  EXPECT_EQ(r.exit_code, 74);
  EXPECT_EQ(r.err,
            "error: cannot open " + (tmp / "r").string() +
                ": this process has too many open files (its limit of 4 was reached; `ulimit -n` "
                "shows and raises it)\n");
}

// --- item 10: errno read at once -----------------------------------------

// A journal that cannot grow (here a file size limit; a full disk alike) is
// reported with its own cause, not with whatever errno later calls left.
// (--no-ledger: under that limit a ledger could not even be opened.)
TEST(HostileFiles, AFailedJournalWriteSaysWhy) {
  TempDir tmp;
  Sandbox sandbox;
  auto r = run_after("ulimit -f 1",
                     {"--api-base", sandbox.base_url(), "--no-ledger", "--concurrency", "1",
                      "--report-dir", (tmp / "r").string(), (k_samples / "prospects.csv").string()},
                     credentials());
  EXPECT_EQ(r.exit_code, 74) << r.err;
  EXPECT_THAT(r.err, HasSubstr("error: cannot write the journal " + (tmp / "r/journal").string() +
                               ": File too large; rows not done are in errors.csv"));
  EXPECT_THAT(r.err, Not(HasSubstr("No such file or directory")));
}

// --- item 10 (SIGTERM while opening a FIFO) and item 12 (no core dumps) ---

// /proc/PID/status of a running child, as "Field" -> value.
std::map<std::string, std::string> proc_status(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::map<std::string, std::string> fields;
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    fields[line.substr(0, colon)] = value;
  }
  return fields;
}

// Until the child catches SIGTERM and sleeps (in the open of the FIFO, the
// only place it can sleep before a writer comes), polled without a timed sleep.
bool wait_until_blocked_in_open(pid_t pid) {
  for (int polls = 0; polls < 5'000'000; ++polls) {
    auto status = proc_status(pid);
    if (status.empty()) return false;  // gone
    unsigned long long caught = std::stoull(status["SigCgt"], nullptr, 16);
    if ((caught & (1ULL << (SIGTERM - 1))) && status["State"].starts_with("S")) return true;
  }
  return false;
}

class HostileFifo : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::mkfifo((m_tmp / "input.csv").c_str(), 0600), 0); }

  std::unique_ptr<ChildProcess> start() {
    auto child = std::make_unique<ChildProcess>(
        ChildProcess::Spec{PI_BINARY,
                           {"--report-dir", (m_tmp / "r").string(), (m_tmp / "input.csv").string()},
                           tool_environment(credentials()),
                           m_tmp / "out",
                           m_tmp / "err"});
    return child;
  }

  TempDir m_tmp;
};

TEST_F(HostileFifo, SigtermWhileOpeningAFifoExits143AndWritesNothing) {
  auto child = start();
  ASSERT_TRUE(wait_until_blocked_in_open(child->pid()));
  child->signal(SIGTERM);
  EXPECT_EQ(child->wait(k_run_limit), 143);
  EXPECT_EQ(testing::without_log_timestamps(read_file(m_tmp / "err")),
            "error: stopped by SIGTERM\n");
  EXPECT_FALSE(fs::exists(m_tmp / "r")) << "the report folder is left as it was: not there";
}

// A core dump would hold the token: the limit is 0, soft and hard, from the start.
TEST_F(HostileFifo, CoreDumpsAreDisabled) {
  auto child = start();
  ASSERT_TRUE(wait_until_blocked_in_open(child->pid()));
  std::ifstream in("/proc/" + std::to_string(child->pid()) + "/limits");
  std::string line;
  std::string core;
  while (std::getline(in, line)) {
    if (line.starts_with("Max core file size")) core = line;
  }
  std::istringstream fields(core.substr(std::string("Max core file size").size()));
  std::string soft, hard;
  fields >> soft >> hard;
  EXPECT_EQ(soft, "0") << core;
  EXPECT_EQ(hard, "0") << core;
  child->signal(SIGTERM);
  EXPECT_EQ(child->wait(k_run_limit), 143);
}

}  // namespace
}  // namespace prospect_import
