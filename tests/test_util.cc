#include "test_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace prospect_import::testing {
namespace {

std::vector<std::string> environment(const RunSpec& spec) {
  auto all = isolated_environment();
  for (const auto& [k, v] : spec.env) all[k] = v;
  std::vector<std::string> env;
  for (const auto& [k, v] : all) env.push_back(k + "=" + v);
  return env;
}

// "Suite.Name" of the running test, as a file name; "outside-tests" between tests.
std::string test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name =
      info ? std::string(info->test_suite_name()) + "." + info->name() : "outside-tests";
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return name;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> r;
  for (auto& s : v) r.push_back(s.data());
  r.push_back(nullptr);
  return r;
}

[[noreturn]] void exec_child(const std::string& binary, const RunSpec& spec, int out_fd,
                             int err_fd) {
  int in_fd =
      spec.stdin_file ? ::open(spec.stdin_file->c_str(), O_RDONLY) : ::open("/dev/null", O_RDONLY);
  ::dup2(in_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  if (!spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) ::_exit(126);
  std::vector<std::string> argv_s{binary};
  argv_s.insert(argv_s.end(), spec.args.begin(), spec.args.end());
  std::vector<std::string> env_s = environment(spec);
  auto argv = c_strings(argv_s);
  auto envp = c_strings(env_s);
  ::execve(binary.c_str(), argv.data(), envp.data());
  ::_exit(127);
}

}  // namespace

std::filesystem::path test_home() {
  static const TempDir k_homes;  // removed when the test program ends
  std::filesystem::path home = k_homes / test_name();
  std::filesystem::create_directories(home);
  return home;
}

std::map<std::string, std::string> isolated_environment() {
  std::map<std::string, std::string> env;
  for (const char* keep : {"PATH", "LANG", "TMPDIR"}) {
    if (const char* v = std::getenv(keep)) env[keep] = v;
  }
  std::filesystem::path home = test_home();
  env["HOME"] = home.string();
  env["XDG_STATE_HOME"] = (home / ".local" / "state").string();
  env["XDG_CONFIG_HOME"] = (home / ".config").string();
  return env;
}

RunResult run_binary(const std::string& binary, const RunSpec& spec) {
  TempDir capture;
  auto out_path = capture / "out";
  auto err_path = capture / "err";
  int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = ::fork();
  if (pid == 0) exec_child(binary, spec, out_fd, err_fd);
  ::close(out_fd);
  ::close(err_fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_path);
  r.raw_err = read_file(err_path);
  r.err = without_log_timestamps(r.raw_err);
  return r;
}

std::string without_log_timestamps(const std::string& text) {
  static const std::regex k_stamp("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z ");
  constexpr std::size_t k_size = 21;  // 2026-11-30T14:56:30Z and a space
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    end = end == std::string::npos ? text.size() : end + 1;
    std::string line = text.substr(at, end - at);
    if (line.size() >= k_size && std::regex_match(line.substr(0, k_size), k_stamp))
      line.erase(0, k_size);
    out += line;
    at = end;
  }
  return out;
}

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "pi_test_XXXXXX").string();
  if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
  m_path = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary);
  out << content;
}

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0) throw std::runtime_error("cannot stat " + p.string());
  return st.st_mode & 07777;
}

ScopedUmask::ScopedUmask(unsigned mask) : m_old(::umask(static_cast<mode_t>(mask))) {}

ScopedUmask::~ScopedUmask() { ::umask(static_cast<mode_t>(m_old)); }

}  // namespace prospect_import::testing
