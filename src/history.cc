#include "prospect_import/history.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "prospect_import/journal.h"
#include "prospect_import/sha256.h"

namespace prospect_import {
namespace {

constexpr std::string_view k_previous_journal = ".journal.previous";
constexpr std::string_view k_summary_file = "summary.json";
constexpr std::string_view k_csv_files[] = {"success.csv", "errors.csv"};
constexpr std::size_t k_stamp_size = 16;  // YYYYMMDDTHHMMSSZ
constexpr int k_max_suffix = 1000;        // entries of one second, at most

bool all_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool is_stamp(std::string_view s) {
  return s.size() == k_stamp_size && all_digits(s.substr(0, 8)) && s[8] == 'T' &&
         all_digits(s.substr(9, 6)) && s[15] == 'Z';
}

// The -N of an entry's name (1 without one), or 0 when the name is no entry's.
int suffix_of(std::string_view name) {
  if (name.size() < k_stamp_size || !is_stamp(name.substr(0, k_stamp_size))) return 0;
  std::string_view rest = name.substr(k_stamp_size);
  if (rest.empty()) return 1;
  if (rest.size() > 5 || rest[0] != '-' || !all_digits(rest.substr(1)) || rest[1] == '0') return 0;
  return std::stoi(std::string(rest.substr(1)));
}

std::string stamp_of_time(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// The entry name of a report: its summary's started_at, else when summary.json was written.
std::string stamp_of_report(const Folder& folder, const std::string& summary) {
  auto j = nlohmann::json::parse(summary, nullptr, false);
  if (j.is_object() && j.contains("started_at") && j["started_at"].is_string()) {
    if (auto stamp = history_stamp(j["started_at"].get<std::string>())) return *stamp;
  }
  return stamp_of_time(folder.modified(k_summary_file).value_or(0));
}

std::string sha256_hex(const std::string& bytes) {
  Sha256 hash;
  hash.update(bytes.data(), bytes.size());
  return hash.hex_digest();
}

// The header of the journal `name` in the folder; nothing when it has none.
Result<std::optional<JournalHeader>> header_of(const Folder& folder, std::string_view name) {
  auto text = folder.read_small(name, 1 << 16);
  if (!text) return text.error();
  if (!*text) return std::optional<JournalHeader>();
  return read_journal_header(**text);
}

Status moved(const Folder& from, std::string_view name, const Folder& to,
             std::string_view to_name) {
  if (!from.exists(name)) return {};
  return from.move(name, to, to_name);
}

}  // namespace

std::optional<std::string> history_stamp(std::string_view t) {
  // 2026-11-30T14:56:30Z
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
      t[16] != ':' || t[19] != 'Z') {
    return std::nullopt;
  }
  std::string stamp = std::string(t.substr(0, 4)) + std::string(t.substr(5, 2)) +
                      std::string(t.substr(8, 2)) + "T" + std::string(t.substr(11, 2)) +
                      std::string(t.substr(14, 2)) + std::string(t.substr(17, 2)) + "Z";
  if (!is_stamp(stamp)) return std::nullopt;
  return stamp;
}

std::vector<std::string> history_entries(const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, int>> entries;
  for (const auto& n : names) {
    if (int suffix = suffix_of(n)) entries.emplace_back(n.substr(0, k_stamp_size), suffix);
  }
  std::sort(entries.begin(), entries.end());
  std::vector<std::string> sorted;
  for (const auto& [stamp, suffix] : entries)
    sorted.push_back(suffix == 1 ? stamp : stamp + "-" + std::to_string(suffix));
  return sorted;
}

Result<std::string> report_fingerprint(const Folder& folder) {
  auto summary = folder.read_small(k_summary_file);
  if (!summary) return summary.error();
  return *summary ? sha256_hex(**summary) : std::string();
}

Status History::check() const {
  if (auto s = m_folder.check_replaceable(k_previous_journal); !s) return s;
  return m_folder.check_folder(k_history_folder);
}

Status History::displace_journal() const {
  if (!m_folder.exists(k_journal_file)) return {};
  if (m_keep <= 0) {
    if (m_folder.remove(k_journal_file)) return {};
    return Error{ExitCode::cant_create, "cannot remove " +
                                            m_folder.path_of(k_journal_file).string() + ": " +
                                            std::strerror(errno) + "; choose another --report-dir"};
  }
  if (!m_folder.exists(k_previous_journal))
    return m_folder.move(k_journal_file, m_folder, k_previous_journal);
  return keep_journal_alone(k_journal_file);
}

Status History::keep_replaced(JournalInFolder journal) const {
  if (journal == JournalInFolder::goes) {
    if (auto s = displace_journal(); !s) return s;
  }
  auto summary = m_folder.read_small(k_summary_file);
  if (!summary) return summary.error();
  if (m_keep <= 0) {
    m_folder.remove(k_previous_journal);
    if (!m_folder.exists(k_history_folder)) return {};
    auto history = m_folder.open_folder(k_history_folder, Creation::open_or_create);
    if (!history) return history.error();
    prune(*history);
    return {};
  }
  if (!*summary) return move_previous_journal(nullptr, "");
  std::string fingerprint = sha256_hex(**summary);
  if (journal == JournalInFolder::stays) {
    auto header = header_of(m_folder, k_journal_file);
    if (!header) return header.error();
    if (*header && (*header)->report_before != fingerprint)
      return move_previous_journal(nullptr, fingerprint);  // its own partial report: replaced
  }
  auto entry = new_entry(stamp_of_report(m_folder, **summary));
  if (!entry) return entry.error();
  for (auto name : k_csv_files) {
    if (auto s = moved(m_folder, name, *entry, name); !s) return s;
  }
  if (auto s = move_previous_journal(&*entry, fingerprint); !s) return s;
  // summary.json last: until it has moved, the folder still holds a finished report.
  if (auto s = m_folder.move(k_summary_file, *entry, k_summary_file); !s) return s;
  return settle(*entry);
}

// A journal waiting for a report goes with `entry` when it belongs to the
// report of `fingerprint` (that report was written after it began), else alone.
Status History::move_previous_journal(const Folder* entry, const std::string& fingerprint) const {
  if (!m_folder.exists(k_previous_journal)) return {};
  if (entry) {
    auto header = header_of(m_folder, k_previous_journal);
    if (!header) return header.error();
    if (!*header || (*header)->report_before != fingerprint)
      return m_folder.move(k_previous_journal, *entry, k_journal_file);
  }
  return keep_journal_alone(k_previous_journal);
}

Status History::keep_journal_alone(std::string_view name) const {
  auto entry = new_entry(stamp_of_time(m_folder.modified(name).value_or(0)));
  if (!entry) return entry.error();
  if (auto s = m_folder.move(name, *entry, k_journal_file); !s) return s;
  return settle(*entry);
}

// A new entry is complete: durable, and the oldest beyond `keep` go.
Status History::settle(const Folder& entry) const {
  entry.sync();
  auto history = m_folder.open_folder(k_history_folder, Creation::open_or_create);
  if (!history) return history.error();
  prune(*history);
  return {};
}

Result<Folder> History::new_entry(const std::string& stamp) const {
  auto history = m_folder.open_folder(k_history_folder, Creation::open_or_create);
  if (!history) return history.error();
  // After the newest of that second, even when older ones of it were pruned:
  // a freed name reused would sort before the entries it came after.
  auto names = history->names();
  if (!names) return names.error();
  int newest = 0;
  for (const auto& n : *names) {
    if (n.compare(0, k_stamp_size, stamp) == 0) newest = std::max(newest, suffix_of(n));
  }
  for (int suffix = newest + 1;; ++suffix) {
    std::string name = suffix == 1 ? stamp : stamp + "-" + std::to_string(suffix);
    auto entry = history->open_folder(name, Creation::create_new);
    if (entry || errno != EEXIST || suffix == k_max_suffix) {
      history->sync();
      return entry;
    }
  }
}

// Removes only what the tool puts in an entry: one holding anything else stays.
void History::prune(const Folder& history) const {
  auto names = history.names();
  if (!names) return;
  auto entries = history_entries(*names);
  std::size_t keep = static_cast<std::size_t>(std::max(m_keep, 0));
  for (std::size_t i = 0; i + keep < entries.size(); ++i) {
    auto entry = history.open_folder(entries[i], Creation::open_or_create);
    if (!entry) continue;
    for (auto name : {k_csv_files[0], k_csv_files[1], k_summary_file, k_journal_file})
      entry->remove(name);
    history.remove_folder(entries[i]);
  }
  history.sync();
}

}  // namespace prospect_import
