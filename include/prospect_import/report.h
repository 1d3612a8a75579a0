#pragma once
// The report folder of CLI.md: success.csv, errors.csv (UTF-8 with BOM, CRLF,
// English headers) and summary.json, each written to a temporary file and
// renamed into place by finish(), so that a crash never leaves a half-written
// report that looks complete. Every file is opened relative to the folder's
// descriptor and never through a symbolic link (folder.h). Cells that a
// spreadsheet would run as a formula are neutralised with a leading ' that
// reading undoes.

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "prospect_import/background_sync.h"
#include "prospect_import/error.h"
#include "prospect_import/folder.h"
#include "prospect_import/history.h"
#include "prospect_import/summary.h"
#include "prospect_import/template.h"

namespace prospect_import {

// A value matching ^'*[=+\-@\t\r] gets one more leading '.
std::string neutralise(std::string_view value);
// A value matching ^'+[=+\-@\t\r] loses one leading ': the rest of `value`.
std::string_view undo_neutralise_quoted(std::string_view value);
inline std::string_view undo_neutralise(std::string_view value) {
  // Every value of every row comes here; almost none starts with a quote.
  return value.empty() || value.front() != '\'' ? value : undo_neutralise_quoted(value);
}
// One CSV cell: neutralised, and quoted when it holds a delimiter, quote, line
// break or surrounding white space.
std::string csv_cell(std::string_view value);

// success.csv's Status column.
enum class SuccessStatus { created, already_exists, dry_run_ok, valid, known };
std::string_view to_string(SuccessStatus s);

struct SuccessRow {
  std::uint64_t line = 0;
  SuccessStatus status = SuccessStatus::valid;
  std::string prospect_id;
  std::string matched_partner_id;
  std::string matched_partner_name;
  const Values* sent = nullptr;
};

// What becomes of the report a new one replaces (history.h).
struct Keeping {
  int keep_reports = k_default_keep_reports;  // --keep-reports
  JournalInFolder journal = JournalInFolder::goes;
};

class ReportWriter {
 public:
  // Creates the temporary files (0600), removing those a killed run left.
  // A symbolic link, or anything but a regular file, at the name of a
  // temporary or of a report (or anything but a folder at history/), or a
  // folder that cannot be written, is an Error with code 73 that names it.
  static Result<std::unique_ptr<ReportWriter>> open(const Folder& folder, Keeping keeping = {});
  ~ReportWriter();
  ReportWriter(const ReportWriter&) = delete;
  ReportWriter& operator=(const ReportWriter&) = delete;

  // Rows are written in the order they are added.
  void add_success(const SuccessRow& row);
  // The same in two steps: the row's cells formatted (on any thread), then
  // added as they are.
  static void format_success(std::string& out, const SuccessRow& row);
  void add_success_line(std::string_view formatted);
  void add_error(std::uint64_t line, std::string_view error, const Values& read);

  // Writes summary.json, makes every file durable, moves the report it
  // replaces to history/ and renames them into place. A write error is an
  // Error with code 74; one of history/ 73.
  Status finish(const Summary& summary);

  const std::filesystem::path& dir() const { return m_folder.path(); }

 private:
  ReportWriter(Folder folder, Keeping keeping, std::FILE* success, std::FILE* errors,
               std::FILE* summary);
  void write_row(std::FILE* f, std::string_view line);
  void end_row(std::FILE* f, std::string& rows);
  void flush_rows();
  static int close_durably(std::FILE* f);
  void discard();

  Folder m_folder;
  Keeping m_keeping;
  std::FILE* m_success;  // each null once finish() closed it
  std::FILE* m_errors;
  std::FILE* m_summary;
  int m_write_error = 0;  // errno of the first failed write, read at once
  static constexpr std::size_t k_rows_buffer = 1 << 16;
  // A large report is made durable every 2 MiB on a thread of its own, so
  // that the sync at the end has little left to wait for.
  static constexpr std::uint64_t k_writeback_every = 2 << 20;
  void start_writeback(std::FILE* f, std::uint64_t& unsent, std::size_t added);
  std::uint64_t m_success_unsent = 0;  // bytes of each since the last start_writeback
  std::uint64_t m_errors_unsent = 0;
  BackgroundSync m_background_sync;  // stopped before the files close
  std::string m_success_rows;        // rows not yet given to m_success
  std::string m_error_rows;
};

}  // namespace prospect_import
