#include "prospect_import/run_log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/ostream_sink.h>

#include <filesystem>
#include <mutex>

namespace prospect_import {
namespace {

constexpr std::string_view k_error_prefix = "error: ";

// 2026-11-30T14:56:30Z, as the progress line and summary.json's started_at say it.
constexpr const char* k_timestamped = "%Y-%m-%dT%H:%M:%SZ %v";

}  // namespace

class RunLog::ErrorSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::optional<std::string> first() {
    std::lock_guard<std::mutex> lock(mutex_);
    return m_first;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (msg.level < spdlog::level::err || m_first) return;
    std::string_view text(msg.payload.data(), msg.payload.size());
    if (text.substr(0, k_error_prefix.size()) == k_error_prefix)
      text.remove_prefix(k_error_prefix.size());
    m_first = std::string(text);
  }
  void flush_() override {}

 private:
  std::optional<std::string> m_first;
};

bool wants_json(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--") return false;
    if (a == "--json") return true;
  }
  return false;
}

nlohmann::ordered_json exit_json(int exit_code, const std::optional<std::string>& error,
                                 const std::optional<Summary>& summary) {
  nlohmann::ordered_json j = summary ? to_json(*summary) : nlohmann::ordered_json::object();
  j["exit_code"] = exit_code;
  if (exit_code != 0 && (error || !summary)) j["error"] = error.value_or("");
  return j;
}

RunLog::RunLog(std::ostream& err, int verbosity, bool err_is_terminal)
    : m_errors(std::make_shared<ErrorSink>()) {
  auto out = std::make_shared<spdlog::sinks::ostream_sink_mt>(err, true);
  out->set_formatter(std::make_unique<spdlog::pattern_formatter>(
      err_is_terminal ? "%v" : k_timestamped, spdlog::pattern_time_type::utc));
  m_log =
      std::make_shared<spdlog::logger>("prospect-import", spdlog::sinks_init_list{out, m_errors});
  m_log->set_level(verbosity < 0   ? spdlog::level::warn
                   : verbosity > 0 ? spdlog::level::debug
                                   : spdlog::level::info);
}

std::optional<std::string> RunLog::first_error() const { return m_errors->first(); }

std::optional<std::string> quiet_failure_line(int exit_code, bool error_said,
                                              const std::optional<Summary>& summary,
                                              const std::string& report_dir) {
  if (exit_code == 0 || error_said) return std::nullopt;
  if (!summary) return "error: the run ended with exit code " + std::to_string(exit_code);
  return "error: " + std::to_string(summary->rows() - summary->succeeded()) + " of " +
         std::to_string(summary->rows()) + " rows did not succeed; see " +
         (std::filesystem::path(report_dir) / "errors.csv").string();
}

}  // namespace prospect_import
