#pragma once
// The report folder of one run: created if needed (0700), held by its
// descriptor so that every file in it is opened relative to it and never
// through a symbolic link (folder.h), locked so that a second run on it
// refuses at once (naming the first), and where the journal lives.

#include <filesystem>
#include <memory>
#include <optional>

#include "prospect_import/error.h"
#include "prospect_import/folder.h"
#include "prospect_import/journal.h"

namespace prospect_import {

class ReportFolder {
 public:
  // A folder that cannot be created, that another run holds, or whose .lock
  // is a link, is an Error (73). `dir` itself may be a link the user chose.
  static Result<std::unique_ptr<ReportFolder>> open(const std::filesystem::path& dir);
  ~ReportFolder();
  ReportFolder(const ReportFolder&) = delete;
  ReportFolder& operator=(const ReportFolder&) = delete;

  const std::filesystem::path& dir() const { return m_folder.path(); }
  // Where the report, the journal and the spooled input are opened.
  const Folder& folder() const { return m_folder; }
  std::filesystem::path journal_path() const { return m_folder.path_of(k_journal_file); }
  // The journal in the folder, if there is a readable one. A link or a file
  // that is not regular in its place is an Error (73).
  Result<std::optional<JournalContents>> read_journal() const;

 private:
  ReportFolder(Folder folder, UniqueFd lock)
      : m_folder(std::move(folder)), m_lock(std::move(lock)) {}
  Folder m_folder;
  UniqueFd m_lock;  // flock'ed while the run lasts
};

}  // namespace prospect_import
