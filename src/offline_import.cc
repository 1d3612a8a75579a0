#include "prospect_import/offline_import.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>

#include "prospect_import/groups.h"
#include "prospect_import/import_common.h"
#include "prospect_import/input.h"
#include "prospect_import/progress.h"
#include "prospect_import/report_folder.h"
#include "prospect_import/resume.h"

namespace prospect_import {
namespace {

Result<std::optional<GroupCatalog>> load_groups_file(const Options& options) {
  if (!options.groups_file) return std::optional<GroupCatalog>();
  std::ifstream in(*options.groups_file, std::ios::binary);
  if (!in) {
    int e = errno;
    return Error{ExitCode::no_input,
                 "cannot open the groups file " + *options.groups_file + ": " + std::strerror(e)};
  }
  return std::optional<GroupCatalog>(GroupCatalog(read_group_names(in)));
}

// What one pass over the rows found, for the closing warnings.
struct OfflineCounts {
  bool unchecked_groups = false;  // a Group Name was given but there was no --groups-file
};

// Every row checked and reported, on every core: the workers check each row
// alone and format its success.csv line; this thread finds the duplicates, in
// order, and writes the report.
Status check_rows(TableInput& csv, const GroupCatalog* groups, ReportWriter& report,
                  Summary& summary, ProblemLog& problems, OfflineCounts& counts, KeySpill keys,
                  const StopFlag& stop) {
  RowChecker checker(csv.header(), groups, std::move(keys));
  const RowRules& rules = checker.rules();
  auto rows = csv.in_parallel(
      [&rules](RowSlot& slot) {
        rules.check_consuming(slot.record, slot.row);
        slot.text.clear();
        if (slot.row.valid()) {
          ReportWriter::format_success(slot.text, SuccessRow{slot.row.line, SuccessStatus::valid,
                                                             "", "", "", &slot.row.sent});
        }
      },
      ParallelRows::default_workers());
  while (RowSlot* slot = rows->next()) {
    // Stopped (SIGINT, SIGTERM): the report is not written, the folder stays as it was.
    if (int sig = stop.load(std::memory_order_relaxed))
      return stopped_by(sig, ": nothing was written; the report folder is as it was");
    if (const RowSlot* ahead = rows->peek()) checker.prefetch(ahead->row);
    CheckedRow& row = slot->row;
    bool was_valid = row.valid();
    checker.finish(row);
    if (!row.valid()) {
      if (was_valid) rules.fill_read(slot->record, row);  // a duplicate
      ++summary.invalid;
      problems.show(row);
      report.add_error(row.line, describe_problems(row.problems), row.read);
      continue;
    }
    if (!groups && !row.sent[index(Column::group_name)].empty()) counts.unchecked_groups = true;
    ++summary.dry_run_ok;
    report.add_success_line(slot->text);
  }
  rows.reset();  // the workers end before the input is asked how it went
  problems.note_fullwidth(checker);
  if (csv.error()) return *csv.error();
  return {};
}

}  // namespace

ExitCode run_offline(const Options& options, ImportEnv& env) {
  Clock::TimePoint started = env.clock.now();
  Summary summary{options.file, options.program, true, true};
  summary.started_at = utc_timestamp(std::chrono::system_clock::now());
  auto settings = table_settings(options);
  if (!settings) return fail(env, options, settings.error());
  Input input(env.io.in);
  if (auto s = input.open(options.file); !s) return fail(env, options, s.error());
  auto folder = ReportFolder::open(options.report_dir);
  if (!folder) return fail(env, options, folder.error());
  auto read = (*folder)->read_journal();
  if (!read) return fail(env, options, read.error());
  auto journal = decide_resume(std::move(*read), JournalHeader{}, continuation(options), true,
                               (*folder)->dir().string());
  if (!journal) return fail(env, options, journal.error());
  auto groups = load_groups_file(options);
  if (!groups) return fail(env, options, groups.error());
  if (*groups)
    env.log.debug("{} group names read from {}", (*groups)->groups().size(), *options.groups_file);
  // Offline never continues an import: a journal there (finished, or --restart) goes with the
  // report.
  auto report =
      ReportWriter::open((*folder)->folder(), Keeping{options.keep_reports, JournalInFolder::goes});
  if (!report) return fail(env, options, report.error());
  TableSettings reading = *settings;
  reading.on_encoding = log_encoding(env.log);
  auto csv = open_table(input, input.stream(), reading,
                        FirstPassSettings{(*folder)->folder(), options.max_input_size, nullptr});
  if (!csv) return fail(env, options, csv.error());
  note_reading(env.log, options, **csv);
  ProblemLog problems(env.log, options);
  OfflineCounts counts;
  const GroupCatalog* catalog = *groups ? &**groups : nullptr;
  if (auto s = check_rows(**csv, catalog, **report, summary, problems, counts,
                          key_spill((*folder)->folder(), env.log), env.stop);
      !s) {
    return fail(env, options, s.error());
  }
  problems.show_rest();
  if (counts.unchecked_groups) {
    env.log.warn(
        "Group Name was not checked: offline, pass --groups-file with the program's "
        "groups (`prospect-import groups --program ID > groups.txt` writes it)");
  }
  ExitCode code = summary.succeeded() < summary.rows() ? ExitCode::rows_failed : ExitCode::ok;
  return end_run(env, options, **report, summary, started, code);
}

}  // namespace prospect_import
