#include "prospect_import/progress.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <charconv>
#include <ctime>

#include <vector>

#include "prospect_import/clock.h"

namespace prospect_import {
namespace {

struct Part {
  std::string text;
  int rank;  // 0 is kept longest
};

std::string percent(const ProgressSnapshot& p) {
  return p.total == 0 ? "" : fmt::format("{}%", p.done * 100 / p.total);
}

std::string per_second(const ProgressSnapshot& p) {
  const double s = std::chrono::duration<double>(p.elapsed).count();
  return fmt::format("{:.1f} rows/s", s > 0 ? static_cast<double>(p.done) / s : 0.0);
}

std::string outcomes(const ProgressSnapshot& p) {
  return p.dry_run ? fmt::format("{} ok", p.ok) : fmt::format("{} created", p.created);
}

// In the order shown; `rank` says which go first when the line is too long.
std::vector<Part> parts(const ProgressSnapshot& p) {
  std::vector<Part> v;
  v.push_back({fmt::format("{}/{} rows", p.done, p.total), 0});
  if (p.total) v.push_back({" " + percent(p), 1});
  v.push_back({", " + outcomes(p), 3});
  v.push_back({fmt::format(", {} failed", p.failed), 4});
  v.push_back({", " + per_second(p), 5});
  if (p.left) v.push_back({", " + format_duration(*p.left) + " left", 2});
  if (p.rate_wait) v.push_back({" (rate limit: waiting " + format_duration(*p.rate_wait) + ")", 6});
  return v;
}

}  // namespace

std::optional<ProgressMode> parse_progress_mode(std::string_view s) {
  if (s == "auto") return ProgressMode::automatic;
  if (s == "always") return ProgressMode::always;
  if (s == "never") return ProgressMode::never;
  return std::nullopt;
}

std::string terminal_progress(const ProgressSnapshot& p, std::size_t width) {
  const std::size_t room = width > 1 ? width - 1 : 0;
  auto all = parts(p);
  for (int worst = 6; worst > 0; --worst) {
    std::string line;
    for (const auto& part : all) {
      if (part.rank < worst + 1) line += part.text;
    }
    if (line.size() <= room) return line;
  }
  return all.front().text.substr(0, room);
}

std::string log_progress_line(const ProgressSnapshot& p) {
  std::string line = fmt::format("sent {}/{} rows", p.done, p.total);
  if (p.total) line += " (" + percent(p) + ")";
  line += ", " + per_second(p) + ": ";
  line += p.dry_run ? fmt::format("{} ok", p.ok)
                    : fmt::format("{} created, {} already existed", p.created, p.ok);
  line += fmt::format(", {} failed", p.failed);
  if (p.left) line += "; about " + format_duration(*p.left) + " left";
  if (p.rate_wait) line += " (waiting " + format_duration(*p.rate_wait) + " for the rate limit)";
  return line;
}

bool capable_term(const std::optional<std::string>& term) {
  return term && !term->empty() && *term != "dumb";
}

std::size_t terminal_width(std::optional<std::size_t> said,
                           const std::optional<std::string>& columns) {
  if (said && *said > 0) return *said;
  std::size_t n = 0;
  if (columns) {
    auto [end, ec] = std::from_chars(columns->data(), columns->data() + columns->size(), n);
    if (ec == std::errc() && end == columns->data() + columns->size() && n > 0 && n < 10000)
      return n;
  }
  return 80;
}

std::string utc_timestamp(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", tm);
}

}  // namespace prospect_import
