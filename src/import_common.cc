#include "prospect_import/import_common.h"

#include <ostream>

#include "prospect_import/header_map.h"
#include "prospect_import/next_steps.h"

namespace prospect_import {
namespace {

constexpr std::uint64_t k_problems_shown = 20;  // row problems said before "and N more"

void log_summary(spdlog::logger& log, const Options& options, const Summary& s,
                 const ReportWriter& report) {
  if (options.offline) {
    log.info("{} rows checked: {} valid, {} invalid. Report: {}", s.rows(), s.succeeded(),
             s.invalid, report.dir().string());
    return;
  }
  // "known" only when there are some, so that a run without a ledger reads as before.
  std::string known = s.known ? fmt::format(", {} known to the ledger (not sent)", s.known) : "";
  log.info(
      "{} rows: {} created, {} already existed{}, {} dry-run ok, {} invalid, {} rejected by the "
      "API, "
      "{} failed, {} not attempted. Report: {}",
      s.rows(), s.created, s.already_exists, known, s.dry_run_ok, s.invalid, s.rejected, s.failed,
      s.not_attempted, report.dir().string());
}

}  // namespace

Continuation continuation(const Options& options) {
  if (options.resume) return Continuation::resume;
  return options.restart ? Continuation::restart : Continuation::none;
}

ExitCode fail(ImportEnv& env, const Options& options, const Error& e) {
  env.log.error("error: {}", describe(e, options.file));
  return e.code;
}

void ProblemLog::show(const CheckedRow& row) {
  for (const auto& p : row.problems) {
    if (++m_seen > k_problems_shown && m_options.verbosity <= 0) continue;
    m_log.info("{}:{}: {}", m_options.file, row.line, describe_problems({p}));
  }
}

void ProblemLog::show_rest() const {
  if (m_seen > k_problems_shown && m_options.verbosity <= 0) {
    m_log.info("... and {} more problems (-v shows all; errors.csv lists every row)",
               m_seen - k_problems_shown);
  }
}

void ProblemLog::note_fullwidth(const RowChecker& checker) const {
  std::uint64_t n = checker.fullwidth_cells();
  if (n == 0) return;
  m_log.warn(
      "{} {} of Contact Email or Media Property {} typed in full-width characters (as a "
      "Japanese input method types \"ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｃｏｍ\") and {} sent in ASCII; "
      "the first is on line {}",
      n, n == 1 ? "cell" : "cells", n == 1 ? "was" : "were", n == 1 ? "is" : "are",
      checker.fullwidth_first_line());
}

KeySpill key_spill(const Folder& folder, spdlog::logger& log) {
  constexpr std::string_view k_name = ".keys.tmp";
  auto fd = folder.create(k_name, Access::read_write);
  if (!fd) {
    log.warn("the duplicate check keeps its keys in memory, which grows with the file: {}",
             fd.error().message);
    return {};
  }
  folder.remove(k_name);
  return KeySpill(std::move(*fd), [&log](const std::string& why) {
    log.warn(
        "the duplicate check keeps its keys in memory from here on, which grows with the file: {}",
        why);
  });
}

std::function<void(const std::string&)> log_encoding(spdlog::logger& log) {
  return [&log](const std::string& why) { log.info("encoding: {}", why); };
}

Result<TableSettings> table_settings(const Options& options) {
  auto columns = load_column_map(options.map, options.map_file);
  if (!columns) return columns.error();
  return TableSettings{options.encoding,    options.delimiter, options.sheet,
                       std::move(*columns), ZipLimits{},       nullptr};
}

Result<std::unique_ptr<TableInput>> open_table(Input& input, std::istream& stream,
                                               const TableSettings& settings,
                                               const FirstPassSettings& spool) {
  return TableInput::open(
      TableSource{stream, input.head(), [&input, spool] { return input.whole(spool); }}, settings);
}

void note_reading(spdlog::logger& log, const Options& options, const TableInput& table) {
  log.info("reading {} ({})", options.file, table.description());
  const HeaderMap& header = table.header();
  if (!header.aliased.empty()) {
    std::string taken;
    for (const auto& a : header.aliased) taken += (taken.empty() ? "" : ", ") + a;
    log.info("reading columns by their other names: {} (--map sets them)", taken);
  }
  if (header.unknown.empty()) return;
  log.info("ignoring columns that are not in the template: {}", quoted_list(header.unknown));
}

ExitCode end_run(ImportEnv& env, const Options& options, ReportWriter& report, Summary& summary,
                 Clock::TimePoint started, ExitCode code) {
  summary.exit_code = to_int(code);
  summary.elapsed_s = std::chrono::duration<double>(env.clock.now() - started).count();
  if (auto s = report.finish(summary); !s) return fail(env, options, s.error());
  env.committed = summary;
  log_summary(env.log, options, summary, report);
  for (const auto& line : next_steps(options, summary, report.dir(), code))
    env.log.info("{}", line);
  return code;
}

}  // namespace prospect_import
