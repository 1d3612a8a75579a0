#include "sandbox_fixture.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "test_util.h"

namespace prospect_import::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto k_start_limit = std::chrono::seconds(10);
constexpr auto k_stop_limit = std::chrono::seconds(5);
constexpr long k_state_timeout_ms = 10'000;

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> r;
  for (auto& s : v) r.push_back(s.data());
  r.push_back(nullptr);
  return r;
}

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// posix_spawn's file actions and attributes, released however we leave.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;

  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    // The child starts with default signal handling and nothing blocked, so
    // that SIGINT and SIGTERM reach it as they would from a shell.
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int s : {SIGINT, SIGTERM, SIGPIPE}) sigaddset(&defaults, s);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  void open_to(int fd, const std::filesystem::path& p) {
    posix_spawn_file_actions_addopen(&actions, fd, p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  }
};

int exit_code_of(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t append_body(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

std::string find_in_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    auto candidate = std::filesystem::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  throw std::runtime_error(name + " is not on PATH");
}

void run_openssl(const std::string& openssl, const std::filesystem::path& dir,
                 std::vector<std::string> args) {
  const auto log = dir / "openssl.log";
  ChildProcess child(ChildProcess::Spec{openssl, std::move(args), base_environment(), log, log},
                     dir);
  const auto code = child.wait(std::chrono::seconds(30));
  if (code != 0) throw std::runtime_error("openssl failed: " + read_file(log));
}

}  // namespace

ChildProcess::ChildProcess(const Spec& spec, const std::filesystem::path& cwd) {
  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  int pipe_fds[2] = {-1, -1};
  if (spec.out_file) {
    setup.open_to(1, *spec.out_file);
  } else {
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) fail("pipe2");
    posix_spawn_file_actions_adddup2(&setup.actions, pipe_fds[1], 1);
  }
  if (spec.err_file) setup.open_to(2, *spec.err_file);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&setup.actions, cwd.c_str());
  std::vector<std::string> argv_s{spec.binary};
  argv_s.insert(argv_s.end(), spec.args.begin(), spec.args.end());
  std::vector<std::string> env_s;
  for (const auto& [k, v] : spec.env) env_s.push_back(k + "=" + v);
  auto argv = c_strings(argv_s);
  auto envp = c_strings(env_s);
  const int rc = ::posix_spawn(&m_pid, spec.binary.c_str(), &setup.actions, &setup.attr,
                               argv.data(), envp.data());
  if (pipe_fds[1] >= 0) ::close(pipe_fds[1]);
  m_out_fd = pipe_fds[0];
  if (rc != 0) {
    if (m_out_fd >= 0) ::close(m_out_fd);
    errno = rc;
    fail("cannot start " + spec.binary);
  }
}

ChildProcess::~ChildProcess() {
  if (!m_exit_code) {
    signal(SIGTERM);
    if (!wait(k_stop_limit)) {
      signal(SIGKILL);
      int status = 0;
      ::waitpid(m_pid, &status, 0);
    }
  }
  if (m_out_fd >= 0) ::close(m_out_fd);
}

void ChildProcess::signal(int sig) const {
  if (!m_exit_code) ::kill(m_pid, sig);
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  for (;;) {
    if (auto nl = m_buffered.find('\n'); nl != std::string::npos) {
      std::string line = m_buffered.substr(0, nl);
      m_buffered.erase(0, nl + 1);
      return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{m_out_fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    char chunk[512];
    const ssize_t n = ::read(m_out_fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    m_buffered.append(chunk, static_cast<size_t>(n));
  }
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (!m_exit_code) {
    int status = 0;
    const pid_t r = ::waitpid(m_pid, &status, WNOHANG);
    if (r == m_pid) {
      m_exit_code = exit_code_of(status);
    } else if (r < 0 && errno != EINTR) {
      m_exit_code = -1;  // not our child any more: nothing to wait for
    } else if (Clock::now() >= deadline) {
      return std::nullopt;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  return m_exit_code;
}

std::map<std::string, std::string> base_environment() { return isolated_environment(); }

namespace {
std::vector<std::string> with_port_0(std::vector<std::string> args) {
  args.insert(args.begin(), {"--port", "0"});
  return args;
}
// `listening on http(s)://127.0.0.1:PORT` (by hand: GCC 12 warns inside std::regex
// under the sanitizers, which -Werror turns into a failed build).
bool is_listening_line(std::string_view line) {
  for (std::string_view prefix :
       {"listening on http://127.0.0.1:", "listening on https://127.0.0.1:"}) {
    if (!line.starts_with(prefix)) continue;
    std::string_view port = line.substr(prefix.size());
    return !port.empty() && port.size() <= 5 &&
           port.find_first_not_of("0123456789") == std::string_view::npos;
  }
  return false;
}

}  // namespace

Sandbox::Sandbox(std::vector<std::string> args, std::filesystem::path cacert)
    : m_cacert(std::move(cacert)),
      m_process(ChildProcess::Spec{PI_SANDBOX_BINARY, with_port_0(std::move(args)),
                                   base_environment(), std::nullopt, std::nullopt}) {
  const auto line = m_process.read_line(k_start_limit);
  if (!line || !is_listening_line(*line)) {
    throw std::runtime_error(
        "prospect-sandbox did not say `listening on http://127.0.0.1:PORT` within 10 s; it said: " +
        line.value_or("(nothing)"));
  }
  m_url = line->substr(std::string_view("listening on ").size());
}

nlohmann::json Sandbox::state() const {
  init_curl_once();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  const std::string url = m_url + "/_sandbox/state";
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_NOPROXY,
                   "*");  // 127.0.0.1 only, whatever the environment says
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, k_state_timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  if (!m_cacert.empty()) curl_easy_setopt(curl.get(), CURLOPT_CAINFO, m_cacert.c_str());
  const CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK) throw std::runtime_error("GET " + url + ": " + curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) throw std::runtime_error("GET " + url + ": HTTP " + std::to_string(status));
  return nlohmann::json::parse(body);
}

int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    fail("bind 127.0.0.1:0");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

TlsFiles make_tls_files(const std::filesystem::path& dir, CertFlaw flaw) {
  const std::string openssl = find_in_path("openssl");
  const std::vector<std::string> ec_key{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                        "-nodes"};
  auto with_key = [&](std::vector<std::string> head, std::vector<std::string> tail) {
    head.insert(head.end(), ec_key.begin(), ec_key.end());
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
  };
  run_openssl(openssl, dir,
              with_key({"req", "-x509"}, {"-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                                          "-subj", "/CN=prospect-import test CA", "-addext",
                                          "basicConstraints=critical,CA:TRUE", "-addext",
                                          "keyUsage=critical,keyCertSign,cRLSign"}));
  run_openssl(
      openssl, dir,
      with_key({"req"}, {"-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"}));
  write_file(dir / "server.ext", std::string(flaw == CertFlaw::wrong_name
                                                 ? "subjectAltName=DNS:other.example\n"
                                                 : "subjectAltName=IP:127.0.0.1,DNS:localhost\n") +
                                     "basicConstraints=critical,CA:FALSE\n"
                                     "keyUsage=critical,digitalSignature\n"
                                     "extendedKeyUsage=serverAuth\n");
  run_openssl(openssl, dir,
              {"x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
               "-set_serial", "2", "-days", flaw == CertFlaw::expired ? "-1" : "2", "-extfile",
               "server.ext", "-out", "server.pem"});
  return TlsFiles{dir / "ca.pem", dir / "server.pem", dir / "server.key"};
}

}  // namespace prospect_import::testing
