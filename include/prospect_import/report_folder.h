#pragma once
// The report folder of one run: created if needed, locked so that a second
// run on it refuses at once (naming the first), and where the journal lives.

#include <filesystem>
#include <memory>
#include <optional>

#include "prospect_import/journal.h"
#include "prospect_import/error.h"

namespace prospect_import {

class ReportFolder {
 public:
  // A folder that cannot be created, or that another run holds, is an Error (73).
  static Result<std::unique_ptr<ReportFolder>> open(const std::filesystem::path& dir);
  ~ReportFolder();
  ReportFolder(const ReportFolder&) = delete;
  ReportFolder& operator=(const ReportFolder&) = delete;

  const std::filesystem::path& dir() const { return m_dir; }
  std::filesystem::path journal_path() const { return m_dir / "journal"; }
  // Where standard input is kept for an online run, so that it can be hashed and read again.
  std::filesystem::path spool_path() const { return m_dir / ".input.csv"; }
  // The journal in the folder, if there is a readable one.
  std::optional<JournalContents> read_journal() const;

 private:
  ReportFolder(std::filesystem::path dir, int lock_fd) : m_dir(std::move(dir)), m_lock_fd(lock_fd) {}
  std::filesystem::path m_dir;
  int m_lock_fd;
};

}  // namespace prospect_import
