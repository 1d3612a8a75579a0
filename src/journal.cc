#include "prospect_import/journal.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <istream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "prospect_import/sha256.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr const char* k_fate_names[] = {"created",  "already_exists", "dry_run_ok",
                                        "rejected", "failed",         "known"};

std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Lower case: the spelling of journals already written.
std::string hex64(std::uint64_t v) { return hex(v, 16, HexCase::lower); }

// s as a JSON string, as nlohmann's dump writes it (ensure_ascii off): '"',
// '\\' and the controls below 0x20 escaped, and a byte that is not UTF-8
// written as U+FFFD. Every outcome record has five strings: made here, they
// cost no json value (a map and a string each) per row.
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char k_hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    std::size_t run = i;
    while (run < s.size() && static_cast<unsigned char>(s[run]) >= 0x20 &&
           static_cast<unsigned char>(s[run]) < 0x80 && s[run] != '"' && s[run] != '\\')
      ++run;
    out.append(s.substr(i, run - i));
    if (run == s.size()) break;
    i = run;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      CodePoint cp = decode_at(s, i);
      if (cp.well_formed) {
        out.append(s.substr(i, cp.length));
      } else {
        out += "\xEF\xBF\xBD";  // U+FFFD
      }
      i += cp.length;
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const char escaped[6] = {'\\', 'u', '0', '0', k_hex[c >> 4], k_hex[c & 15]};
        out.append(escaped, 6);
      }
    }
  }
  out += '"';
}

// The JSON of one intact record line (without its '\n'), or nothing.
std::optional<nlohmann::json> parse_record(std::string_view line) {
  auto tab = line.rfind('\t');
  if (tab == std::string_view::npos) return std::nullopt;
  std::string_view json = line.substr(0, tab);
  if (line.substr(tab + 1) != hex64(fnv1a64(json))) return std::nullopt;
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

std::string str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

bool apply_record(const nlohmann::json& j, JournalContents& c) {
  if (j.contains("sent") && j["sent"].is_number_unsigned()) {
    c.sent.insert(j["sent"].get<std::uint64_t>());
    return true;
  }
  if (j.contains("finished")) {
    c.finished = true;
    return true;
  }
  if (!j.contains("line") || !j["line"].is_number_unsigned()) return false;
  auto fate = fate_from_string(str(j, "fate"));
  if (!fate) return false;
  c.done.put(JournalEntry{j["line"].get<std::uint64_t>(), *fate, str(j, "prospect_id"),
                          str(j, "matched_partner_id"), str(j, "matched_partner_name"),
                          str(j, "message")});
  return true;
}

void put_varint(std::string& out, std::size_t n) {
  for (; n >= 0x80; n >>= 7) out += static_cast<char>((n & 0x7f) | 0x80);
  out += static_cast<char>(n);
}

std::size_t get_varint(const std::string& in, std::size_t& at) {
  std::size_t n = 0;
  for (int shift = 0;; shift += 7) {
    auto byte = static_cast<unsigned char>(in[at++]);
    n |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return n;
  }
}

std::string get_string(const std::string& in, std::size_t& at) {
  std::size_t n = get_varint(in, at);
  std::string s = in.substr(at, n);
  at += n;
  return s;
}

std::optional<InputReading> read_reading(const nlohmann::json& j) {
  auto r = j.find("reading");
  if (r == j.end() || !r->is_object()) return std::nullopt;
  return InputReading{str(*r, "encoding"), str(*r, "delimiter"), str(*r, "sheet"),
                      str(*r, "columns")};
}

std::optional<JournalHeader> read_header(const nlohmann::json& j) {
  if (!j.contains("journal") || j["journal"] != 1) return std::nullopt;
  auto dry = j.find("dry_run");
  auto strict = j.find("strict");
  return JournalHeader{
      str(j, "input_sha256"),  str(j, "program"),
      str(j, "account"),       dry != j.end() && dry->is_boolean() && dry->get<bool>(),
      str(j, "file"),          strict != j.end() && strict->is_boolean() && strict->get<bool>(),
      str(j, "report_before"), read_reading(j)};
}

}  // namespace

void JournalOutcomes::put(const JournalEntry& e) {
  if (!m_slots.empty() && e.line <= m_slots.back().line) m_sealed = false;
  m_slots.push_back(Slot{e.line, m_text.size() << 8 | static_cast<std::uint64_t>(e.fate)});
  for (const std::string* v :
       {&e.prospect_id, &e.matched_partner_id, &e.matched_partner_name, &e.message}) {
    put_varint(m_text, v->size());
    m_text += *v;
  }
}

void JournalOutcomes::seal() const {
  if (m_sealed) return;
  // Stable: of a line's entries, the one put last comes last and is kept.
  std::stable_sort(m_slots.begin(), m_slots.end(),
                   [](const Slot& a, const Slot& b) { return a.line < b.line; });
  auto kept = m_slots.begin();
  for (auto it = m_slots.begin(); it != m_slots.end(); ++it) {
    if (std::next(it) != m_slots.end() && std::next(it)->line == it->line) continue;
    *kept++ = *it;
  }
  m_slots.erase(kept, m_slots.end());
  m_slots.shrink_to_fit();
  m_sealed = true;
}

const JournalOutcomes::Slot* JournalOutcomes::slot(std::uint64_t line) const {
  seal();
  auto it = std::lower_bound(m_slots.begin(), m_slots.end(), line,
                             [](const Slot& s, std::uint64_t l) { return s.line < l; });
  return it != m_slots.end() && it->line == line ? &*it : nullptr;
}

std::size_t JournalOutcomes::size() const {
  seal();
  return m_slots.size();
}

std::optional<JournalEntry> JournalOutcomes::find(std::uint64_t line) const {
  const Slot* s = slot(line);
  if (!s) return std::nullopt;
  return entry_of(*s);
}

JournalEntry JournalOutcomes::entry_of(const Slot& s) const {
  std::size_t at = static_cast<std::size_t>(s.text_and_fate >> 8);
  JournalEntry e;
  e.line = s.line;
  e.fate = static_cast<Fate>(s.text_and_fate & 0xff);
  e.prospect_id = get_string(m_text, at);
  e.matched_partner_id = get_string(m_text, at);
  e.matched_partner_name = get_string(m_text, at);
  e.message = get_string(m_text, at);
  return e;
}

std::string_view to_string(Fate f) { return k_fate_names[static_cast<int>(f)]; }

std::optional<Fate> fate_from_string(std::string_view s) {
  for (int i = 0; i < static_cast<int>(std::size(k_fate_names)); ++i) {
    if (s == k_fate_names[i]) return static_cast<Fate>(i);
  }
  return std::nullopt;
}

std::optional<JournalContents> read_journal(std::istream& in) {
  JournalContents c;
  std::string line;
  bool have_header = false;
  bool intact = true;
  while (intact && std::getline(in, line)) {
    auto j = in.eof() ? std::nullopt : parse_record(line);  // no '\n': a torn last record
    if (j && !have_header) {
      auto header = read_header(*j);
      if (!header) return std::nullopt;
      c.header = std::move(*header);
      have_header = true;
    } else if (!j || !apply_record(*j, c)) {
      intact = false;  // everything from here on is ignored
      ++c.ignored_records;
      continue;
    }
    c.valid_bytes += line.size() + 1;
  }
  if (!have_header) return std::nullopt;
  while (std::getline(in, line)) ++c.ignored_records;
  return c;
}

std::optional<JournalHeader> read_journal_header(std::string_view text) {
  auto end = text.find('\n');
  if (end == std::string_view::npos) return std::nullopt;
  auto j = parse_record(text.substr(0, end));
  if (!j) return std::nullopt;
  return read_header(*j);
}

std::unique_ptr<JournalWriter> JournalWriter::create(const Folder& folder,
                                                     const JournalHeader& header) {
  auto fd = folder.create(k_journal_file, Access::write_only);
  if (!fd) return nullptr;
  auto writer = std::unique_ptr<JournalWriter>(new JournalWriter(std::move(*fd)));
  nlohmann::json j = {{"journal", 1},
                      {"input_sha256", header.input_sha256},
                      {"program", header.program},
                      {"account", header.account_sid},
                      {"dry_run", header.dry_run},
                      {"file", header.file},
                      {"strict", header.strict},
                      {"report_before", header.report_before}};
  if (const auto& r = header.reading) {
    j["reading"] = {{"encoding", r->encoding},
                    {"delimiter", r->delimiter},
                    {"sheet", r->sheet},
                    {"columns", r->columns}};
  }
  if (!writer->write_record(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                            Durability::synced))
    return nullptr;
  return writer;
}

std::unique_ptr<JournalWriter> JournalWriter::append(const Folder& folder,
                                                     std::uint64_t valid_bytes) {
  auto fd = folder.open_to_write(k_journal_file);
  if (!fd) return nullptr;
  if (::ftruncate(fd->get(), static_cast<off_t>(valid_bytes)) != 0 ||
      ::lseek(fd->get(), 0, SEEK_END) < 0) {
    return nullptr;
  }
  return std::unique_ptr<JournalWriter>(new JournalWriter(std::move(*fd)));
}

JournalWriter::~JournalWriter() {
  flush();  // outcomes held back: on the disk as a kill would leave them
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wanted.notify_one();
  if (m_sync_thread.joinable()) m_sync_thread.join();
}

bool JournalWriter::write_record(const std::string& json, Durability durability) {
  if (m_write_errno != 0) {
    errno = m_write_errno;
    return false;
  }
  m_held.append(json).append("\t").append(hex64(fnv1a64(json))).append("\n");
  std::uint64_t number = ++m_written;
  if (durability == Durability::grouped) {
    m_held_grouped = number;
    return true;
  }
  if (!flush()) return false;
  if (durability == Durability::buffered) return true;
  if (::fdatasync(m_fd.get()) != 0) return false;
  std::lock_guard lock(m_mutex);
  m_durable = std::max(m_durable, number);
  m_synced.notify_all();
  return true;
}

bool JournalWriter::flush() {
  if (m_write_errno != 0) {
    errno = m_write_errno;
    return false;
  }
  if (m_held.empty()) return true;
  bool written = write_all(m_fd.get(), m_held);
  m_held.clear();
  if (!written) {
    m_write_errno = errno != 0 ? errno : EIO;
    return false;
  }
  if (m_held_grouped == 0) return true;
  if (!m_sync_thread.joinable()) m_sync_thread = std::thread([this] { sync_loop(); });
  {
    std::lock_guard lock(m_mutex);
    if (m_sync_errno != 0) {
      errno = m_sync_errno;
      return false;
    }
    m_requested = m_held_grouped;
    m_held_grouped = 0;
    if (!m_idle) return true;  // it is gathering or syncing: it sees the request next
  }
  m_wanted.notify_one();
  return true;
}

// One fdatasync covers every record written before it began: under load each
// sync makes many outcomes durable, and the sender never waits for one.
//
// A busy import's records gather for m_gathering before each sync (with none,
// a sync covered two rows at c=4 on loopback: 2,443 syncs and as many wake-ups
// of the sender for 5,000 rows). It only delays the ledger and the report:
// the sender never waits for a sync, and a row sent but not yet durable when
// the run is killed is found again by --resume (its "sent" record).
void JournalWriter::sync_loop() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_idle = true;
    m_wanted.wait(lock, [this] { return m_stopping || m_requested > m_durable; });
    m_idle = false;
    if (m_requested <= m_durable) return;  // stopping, nothing left
    if (m_gathering.count() > 0) {
      m_wanted.wait_for(lock, m_gathering, [this] { return m_stopping || m_hurry; });
    }
    std::uint64_t target = m_requested;
    lock.unlock();
    int failed = ::fdatasync(m_fd.get()) != 0 ? errno : 0;
    lock.lock();
    if (failed != 0) {
      m_sync_errno = failed;
      m_synced.notify_all();
      return;
    }
    m_durable = std::max(m_durable, target);
    m_synced.notify_all();
    if (m_on_durable) m_on_durable();
  }
}

std::uint64_t JournalWriter::durable() const {
  std::lock_guard lock(m_mutex);
  return m_durable;
}

bool JournalWriter::wait_durable(std::uint64_t number) {
  if (!flush()) return false;  // a record held back and lost is never durable
  std::unique_lock lock(m_mutex);
  if (m_durable < number && m_sync_errno == 0) {
    m_hurry = true;
    m_wanted.notify_one();
    m_synced.wait(lock, [&] { return m_durable >= number || m_sync_errno != 0; });
    m_hurry = false;
  }
  if (m_durable >= number) return true;
  errno = m_sync_errno;
  return false;
}

void JournalWriter::on_durable(std::function<void()> callback) {
  std::lock_guard lock(m_mutex);
  m_on_durable = std::move(callback);
}

bool JournalWriter::sent(std::uint64_t line) {
  return write_record("{\"sent\":" + std::to_string(line) + "}", Durability::buffered);
}

bool JournalWriter::done(const JournalEntry& e, Durability durability) {
  // The keys in the order nlohmann's object (a std::map) writes them.
  std::string j = "{\"fate\":";
  append_json_string(j, to_string(e.fate));
  j += ",\"line\":";
  j += std::to_string(e.line);
  j += ",\"matched_partner_id\":";
  append_json_string(j, e.matched_partner_id);
  j += ",\"matched_partner_name\":";
  append_json_string(j, e.matched_partner_name);
  j += ",\"message\":";
  append_json_string(j, e.message);
  j += ",\"prospect_id\":";
  append_json_string(j, e.prospect_id);
  j += '}';
  return write_record(j, durability);
}

bool JournalWriter::finish(int exit_code) {
  return write_record(nlohmann::json{{"finished", true}, {"exit_code", exit_code}}.dump(),
                      Durability::synced);
}

std::optional<std::string> sha256_of(std::istream& in) {
  Sha256 hash;
  std::string buffer(1 << 16, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return std::nullopt;
  return hash.hex_digest();
}

}  // namespace prospect_import
