#pragma once
// The reports a run replaces, kept (CLI.md, "The report folder"). When a run
// commits its report, the one it replaces (its three files, and the journal of
// its import once that is done with) moves to history/<its started_at as
// YYYYMMDDTHHMMSSZ>/ (-2, -3, ... when two share a second), and only the newest
// `keep` entries stay (0: none). So a run that fails before it commits touches
// nothing, and one that fails after (77, 78, 69) writes its own report while
// the last good one waits in history/.
//
// A journal displaced before the commit (a new import's journal is about to
// be made, or --restart discards an unfinished one) waits as .journal.previous
// for the report it belongs to. Everything goes through the folder's
// descriptor (folder.h): a link at history/ or in it is refused (73).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prospect_import/error.h"
#include "prospect_import/folder.h"

namespace prospect_import {

inline constexpr std::string_view k_history_folder = "history";
inline constexpr int k_default_keep_reports = 30;

// "2026-11-30T14:56:30Z" -> "20261130T145630Z"; nothing when it is not that form.
std::optional<std::string> history_stamp(std::string_view started_at);

// The names that are history entries (a stamp, maybe with -N), oldest first:
// "...Z" before "...Z-2" before "...Z-10". Other names are left out.
std::vector<std::string> history_entries(const std::vector<std::string>& names);

// Identifies the finished report in the folder (a hash of its summary.json),
// "" when there is none.
Result<std::string> report_fingerprint(const Folder& folder);

// What happens to the journal in the folder when the run commits its report.
enum class JournalInFolder {
  stays,  // this run's own (new or resumed), or the unfinished import it continues
  goes,   // done with: finished, or discarded by --restart
};

class History {
 public:
  // keep: --keep-reports. REQUIRES: folder outlives it.
  History(const Folder& folder, int keep) : m_folder(folder), m_keep(keep) {}

  // Before any request: history/ is absent or a folder, and .journal.previous
  // absent or a regular file, else an Error (73).
  Status check() const;

  // The journal in the folder moves aside for the report it belongs to; one
  // that belongs to none (its run was killed before it reported while
  // .journal.previous already waits) goes to history/ on its own.
  Status displace_journal() const;

  // Right before a new report is renamed into place: the report in the folder
  // goes to history/ (with the journal of its import), unless it is the
  // partial report of the unfinished import whose journal stays (a --resume
  // simply replaces it). Then the oldest entries beyond `keep` are removed.
  Status keep_replaced(JournalInFolder journal) const;

 private:
  Result<Folder> new_entry(const std::string& stamp) const;
  Status keep_journal_alone(std::string_view name) const;
  Status move_previous_journal(const Folder* entry, const std::string& fingerprint) const;
  Status settle(const Folder& entry) const;
  void prune(const Folder& history) const;

  const Folder& m_folder;
  int m_keep;
};

}  // namespace prospect_import
