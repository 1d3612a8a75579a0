#pragma once
// Helpers for end-to-end tests: temporary folders, files, and running the real
// binary as a user would, capturing what it prints and its exit code.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace prospect_import::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;           // standard error without the timestamps that start its log lines
  std::string raw_err = {};  // standard error as written
};

// `text` without the ISO 8601 timestamp ("2026-11-30T14:56:30Z ") that
// starts each log line when standard error is not a terminal.
std::string without_log_timestamps(const std::string& text);

struct RunSpec {
  std::vector<std::string> args;           // without the program name
  std::map<std::string, std::string> env;  // added to isolated_environment()
  std::optional<std::filesystem::path> stdin_file;
  std::filesystem::path cwd;  // empty: the current folder
};

RunResult run_binary(const std::string& binary, const RunSpec& spec);

// The HOME of the tools a test runs: a temporary folder of the running test's
// own, removed at exit, so that no developer's real config, token or ledger is
// ever read or changed. A test's runs share it (and so the default ledger), as
// one user's runs do; another test has another.
std::filesystem::path test_home();

// What a tool starts with: PATH, LANG and TMPDIR of the test's own, HOME,
// XDG_STATE_HOME and XDG_CONFIG_HOME in test_home(); no IMPACT_* or
// PROSPECT_IMPORT_* (and no proxy) variable.
std::map<std::string, std::string> isolated_environment();

// A fresh folder under the system's temp folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& content);

// The permission bits of p itself (not of a link's target), e.g. 0600.
unsigned mode_of(const std::filesystem::path& p);

// Sets the process's umask (which children inherit) until destroyed.
class ScopedUmask {
 public:
  explicit ScopedUmask(unsigned mask);
  ~ScopedUmask();
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  unsigned m_old;
};

}  // namespace prospect_import::testing
