#include "prospect_import/next_steps.h"

#include <fmt/format.h>
#include <algorithm>

namespace prospect_import {
namespace {

std::string command_line(const std::vector<std::string>& args) {
  std::string line = "prospect-import";
  for (const auto& a : args) line += " " + shell_quote(a);
  return line;
}

void say_matches(const Options& options, const Summary& s, std::vector<std::string>& lines) {
  if (options.offline || (!options.dry_run && s.matched == 0)) return;
  lines.push_back(
      fmt::format("{} of {} rows match existing partner accounts (success.csv: Matched Partner ID)",
                  s.matched, s.rows()));
  if (!options.dry_run) return;
  for (const auto& m : s.first_matches) {
    lines.push_back(
        fmt::format("  line {}: {}, partner ID {}", m.line, m.partner_name, m.partner_id));
  }
  if (s.matched > s.first_matches.size()) {
    lines.push_back(
        fmt::format("  ... and {} more in success.csv", s.matched - s.first_matches.size()));
  }
}

// The same command on the rows that failed, copied out of the report folder
// first (the next run replaces the report).
void say_reimport(const Options& options, const std::filesystem::path& report_dir,
                  std::vector<std::string>& lines) {
  const std::string copy = "errors-to-fix.csv";
  std::vector<std::string> args;
  bool replaced = false;
  for (auto it = options.args.rbegin(); it != options.args.rend(); ++it) {
    if (*it == "--resume") continue;
    if (!replaced && *it == options.file) {
      args.push_back(copy);
      replaced = true;
    } else {
      args.push_back(*it);
    }
  }
  std::reverse(args.begin(), args.end());
  lines.push_back("To fix the rows that did not succeed and import them again:");
  lines.push_back("  cp " + shell_quote((report_dir / "errors.csv").string()) + " " + copy);
  lines.push_back("  (correct " + copy + "; its Row and Error columns are ignored)");
  lines.push_back("  " + command_line(args));
}

bool is_abort(ExitCode code) {
  switch (code) {
    case ExitCode::unavailable:
    case ExitCode::io_error:
    case ExitCode::no_permission:
    case ExitCode::config:
    case ExitCode::internal:
    case ExitCode::interrupted:
    case ExitCode::terminated:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string shell_quote(std::string_view word) {
  const bool safe = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("@%+=:,./_-").find(c) != std::string_view::npos;
  });
  if (safe) return std::string(word);
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::vector<std::string> next_steps(const Options& options, const Summary& summary,
                                    const std::filesystem::path& report_dir, ExitCode code) {
  std::vector<std::string> lines;
  say_matches(options, summary, lines);
  if (code == ExitCode::rows_failed && options.file != "-")
    say_reimport(options, report_dir, lines);
  if (is_abort(code) && !options.offline && !options.args.empty()) {
    std::vector<std::string> args = options.args;
    if (std::find(args.begin(), args.end(), "--resume") == args.end())
      args.insert(args.begin(), "--resume");
    lines.push_back("To continue where it stopped: " + command_line(args));
  }
  return lines;
}

}  // namespace prospect_import
