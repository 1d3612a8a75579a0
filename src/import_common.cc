#include "prospect_import/import_common.h"

#include <nlohmann/json.hpp>
#include <ostream>

namespace prospect_import {
namespace {

constexpr std::uint64_t k_problems_shown = 20;  // row problems said before "and N more"
constexpr std::size_t k_unknown_columns_named = 10;

void log_summary(spdlog::logger& log, const Options& options, const Summary& s, const ReportWriter& report) {
  if (options.offline) {
    log.info("{} rows checked: {} valid, {} invalid. Report: {}", s.rows(), s.succeeded(), s.invalid,
             report.dir().string());
    return;
  }
  log.info("{} rows: {} created, {} already existed, {} dry-run ok, {} invalid, {} rejected by the API, "
           "{} failed, {} not attempted. Report: {}",
           s.rows(), s.created, s.already_exists, s.dry_run_ok, s.invalid, s.rejected, s.failed, s.not_attempted,
           report.dir().string());
}

}  // namespace

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
    m_log.info("... and {} more problems (-v shows all; errors.csv lists every row)", m_seen - k_problems_shown);
  }
}

void note_unknown_columns(spdlog::logger& log, const HeaderMap& header) {
  if (header.unknown.empty()) return;
  std::string names;
  for (std::size_t i = 0; i < header.unknown.size() && i < k_unknown_columns_named; ++i) {
    names += (names.empty() ? "\"" : ", \"") + header.unknown[i] + "\"";
  }
  if (header.unknown.size() > k_unknown_columns_named) {
    names += " and " + std::to_string(header.unknown.size() - k_unknown_columns_named) + " more";
  }
  log.info("ignoring columns that are not in the template: {}", names);
}

ExitCode end_run(ImportEnv& env, const Options& options, ReportWriter& report, Summary& summary,
                 Clock::TimePoint started, ExitCode code) {
  summary.exit_code = to_int(code);
  summary.elapsed_s = std::chrono::duration<double>(env.clock.now() - started).count();
  if (auto s = report.finish(summary); !s) return fail(env, options, s.error());
  log_summary(env.log, options, summary, report);
  if (options.json) {
    env.io.out << to_json(summary).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  }
  return code;
}

}  // namespace prospect_import
