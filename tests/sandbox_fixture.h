#pragma once
// The sandbox server (prospect-sandbox) as a test fixture: started on a free
// port of 127.0.0.1, asked for its state over HTTP, stopped by the destructor.
// Also the few other things the online end-to-end tests need from the outside
// world: a child process they can signal, a port nobody listens on, and a
// throwaway certificate authority for HTTPS.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace prospect_import::testing {

// A child process with standard input from /dev/null, standard error to a file
// (or inherited), and standard output to a pipe (or a file). The environment
// is exactly `env`. The destructor stops a child that still runs (SIGTERM,
// then SIGKILL after 5 s).
class ChildProcess {
 public:
  struct Spec {
    std::string binary;                             // an absolute path: no PATH lookup
    std::vector<std::string> args;                  // without the program name
    std::map<std::string, std::string> env;         // the whole environment
    std::optional<std::filesystem::path> out_file;  // empty: standard output is a pipe
    std::optional<std::filesystem::path> err_file;  // empty: inherited
  };

  // Starts the child in `cwd` (empty: the test's own folder). Throws
  // std::runtime_error when the child cannot be started.
  explicit ChildProcess(const Spec& spec, const std::filesystem::path& cwd = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return m_pid; }
  void signal(int sig) const;

  // The next line of standard output (without its '\n'), or nullopt when the
  // pipe closes or `limit` passes first. REQUIRES: standard output is a pipe.
  std::optional<std::string> read_line(std::chrono::milliseconds limit);

  // The exit code (128 + signal when killed), or nullopt when the child still
  // runs after `limit`.
  std::optional<int> wait(std::chrono::milliseconds limit);

 private:
  pid_t m_pid = -1;
  int m_out_fd = -1;
  std::string m_buffered;
  std::optional<int> m_exit_code;
};

// The environment a test child starts from: isolated_environment() (PATH, LANG
// and TMPDIR of the test's own, HOME and XDG_* in a temporary folder; no proxy
// variables, no IMPACT_* or PROSPECT_IMPORT_*).
std::map<std::string, std::string> base_environment();

// prospect-sandbox on 127.0.0.1, port 0, with the built-in seed.
class Sandbox {
 public:
  // args: extra arguments (--fail-rate 0.2, --cert ..., ...); cacert: the CA
  // that state() checks an HTTPS sandbox with. Throws std::runtime_error when
  // the sandbox does not print `listening on http(s)://127.0.0.1:PORT` in 10 s.
  explicit Sandbox(std::vector<std::string> args = {}, std::filesystem::path cacert = {});
  ~Sandbox() = default;

  // `http://127.0.0.1:PORT` (https with --cert).
  const std::string& base_url() const { return m_url; }

  // GET /_sandbox/state: {"prospects": [...], "counters": {...}}. Throws
  // std::runtime_error when the answer is not 200 with JSON within 10 s.
  nlohmann::json state() const;

 private:
  std::filesystem::path m_cacert;
  ChildProcess m_process;
  std::string m_url;
};

// A port of 127.0.0.1 that nothing listens on (bound, read and closed again).
int unused_port();

struct TlsFiles {
  std::filesystem::path ca;    // the CA certificate (what --cacert takes)
  std::filesystem::path cert;  // the server's certificate, for 127.0.0.1 and localhost
  std::filesystem::path key;   // the server's private key
};

// What is wrong with the server's certificate: nothing, it expired a day
// ago, or it names another host (other.example) than 127.0.0.1.
enum class CertFlaw { none, expired, wrong_name };

// A throwaway CA and a server certificate it signed, made with the openssl
// command line in `dir`. Throws std::runtime_error when openssl fails.
TlsFiles make_tls_files(const std::filesystem::path& dir, CertFlaw flaw = CertFlaw::none);

}  // namespace prospect_import::testing
