#pragma once
// The journal of an import: what makes an interrupted import finishable with
// every row created exactly once. One text line per record, each ending in a
// checksum, appended as each row's final outcome is known and made durable by
// a group commit (one fdatasync on a thread of its own covers every record
// written before it began); a torn or corrupted tail (kill -9, power loss) is
// detected and ignored.
//
//   header:  {"journal":1,"input_sha256":...,"program":...,"account":...,"dry_run":...,"file":...,
//             "strict":...,"report_before":...,
//             "reading":{"encoding":...,"delimiter":...,"sheet":...,"columns":...}}
//   sent:    {"sent":LINE}                       (before a row's first request)
//   outcome: {"line":LINE,"fate":"created",...}  (fsync'ed)
//   end:     {"finished":true,"exit_code":N}
//
// Each line is `JSON \t fnv1a64-hex \n`.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "prospect_import/folder.h"
#include "prospect_import/input_reading.h"
#include "prospect_import/line_set.h"
#include "prospect_import/outcome.h"

namespace prospect_import {

// The journal's name in the report folder.
inline constexpr std::string_view k_journal_file = "journal";

struct JournalHeader {
  std::string input_sha256;
  std::string program;
  std::string account_sid;
  bool dry_run = false;
  std::string file;     // as given, for messages only: identity is the hash
  bool strict = false;  // begun with --strict: a --resume must say it too
  // The fingerprint (report_fingerprint(), history.h) of the report that was in
  // the folder when the import began, "" for none: a report there with another
  // is this import's own partial one, which a --resume simply replaces.
  std::string report_before = {};
  // How the input was read; none in a journal written before it was kept.
  std::optional<InputReading> reading = {};
  bool operator==(const JournalHeader&) const = default;
};

struct JournalEntry {
  std::uint64_t line = 0;
  Fate fate = Fate::failed;
  std::string prospect_id;
  std::string matched_partner_id;
  std::string matched_partner_name;
  std::string message;
};

// The outcomes a journal holds, by line, packed: a line's entry is 16 bytes
// and its four strings, length-prefixed, in one buffer (~30 B a row where a
// map of JournalEntry took ~360: a resumed import of 55k done rows held 20 MB
// for them). A later entry for a line replaces the earlier one.
class JournalOutcomes {
 public:
  void put(const JournalEntry& entry);
  std::optional<JournalEntry> find(std::uint64_t line) const;
  std::size_t count(std::uint64_t line) const { return slot(line) ? 1 : 0; }
  std::size_t size() const;
  // REQUIRES: count(line) == 1.
  JournalEntry at(std::uint64_t line) const { return find(line).value(); }
  // f(entry) for each, in ascending line order.
  template <class F>
  void for_each(F f) const {
    seal();
    for (const Slot& s : m_slots) f(entry_of(s));
  }

 private:
  struct Slot {
    std::uint64_t line;
    std::uint64_t text_and_fate;  // offset in m_text << 8 | fate
  };
  void seal() const;  // sorted by line, the last entry of a line kept
  const Slot* slot(std::uint64_t line) const;
  JournalEntry entry_of(const Slot& s) const;

  mutable std::vector<Slot> m_slots;
  mutable bool m_sealed = true;
  std::string m_text;
};

struct JournalContents {
  JournalHeader header;
  JournalOutcomes done;  // by line
  LineSet sent;          // lines with at least one request sent
  bool finished = false;
  std::uint64_t valid_bytes = 0;      // where the intact records end
  std::uint64_t ignored_records = 0;  // torn or corrupted ones at the tail
};

// Reads a journal; nothing when even its header is unreadable.
std::optional<JournalContents> read_journal(std::istream& in);
// Only its header (its first line).
std::optional<JournalHeader> read_journal_header(std::string_view text);

std::string_view to_string(Fate f);
std::optional<Fate> fate_from_string(std::string_view s);

class JournalWriter {
 public:
  // Each opens k_journal_file in `folder` (never through a link, folder.h)
  // and returns nullptr with errno set when it cannot.
  // Starts a new journal (0600, replacing any), writing the header.
  static std::unique_ptr<JournalWriter> create(const Folder& folder, const JournalHeader& header);
  // Continues an existing journal, cutting off what follows its intact records.
  static std::unique_ptr<JournalWriter> append(const Folder& folder, std::uint64_t valid_bytes);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Each returns false on an I/O error (disk full): the caller stops sending.
  // After a failed write every later one fails too (a torn record ends a journal).
  bool sent(std::uint64_t line);  // written, not synced
  // A row's outcome: synced before it returns; or grouped: held back, written
  // with the next record that must reach the file (a `sent`, a synced one) or
  // by flush(), then made durable by the sync thread (see durable()); a
  // `known` row's may be buffered (a lost one is found in the ledger again),
  // made durable by the next sync.
  enum class Durability { synced, grouped, buffered };
  bool done(const JournalEntry& entry, Durability durability = Durability::synced);
  bool finish(int exit_code);  // written and synced
  // Writes the records held back: one write() for a turn's outcomes and the
  // next row's `sent`, not one each. False (errno set) when it failed.
  bool flush();

  // Records are numbered from 1 as they are written.
  std::uint64_t last_written() const { return m_written; }
  // Every record up to this number is on the disk.
  std::uint64_t durable() const;
  // Blocks until record `number` is durable; false (errno set) when a sync failed.
  // The sync thread does not wait out its gathering time (below) for it.
  bool wait_durable(std::uint64_t number);
  // How long the sync thread lets the records of a busy import gather before
  // a sync covers them all (each sync costs CPU in the kernel and a wake-up of
  // the sender): 0 for a sync as soon as one is wanted.
  void set_gathering(std::chrono::microseconds gathering) { m_gathering = gathering; }
  static constexpr std::chrono::microseconds k_default_gathering{2000};
  // Called on the sync thread after each sync that made records durable (to
  // wake a waiting sender); nullptr for none. REQUIRES: it outlives its use.
  void on_durable(std::function<void()> callback);

 private:
  explicit JournalWriter(UniqueFd fd) : m_fd(std::move(fd)) {}
  bool write_record(const std::string& json, Durability durability);
  void sync_loop();

  UniqueFd m_fd;
  std::uint64_t m_written = 0;  // numbered, by the caller's thread only
  // Held back (the caller's thread only): whole records, and the number of the
  // last grouped one among them (0: none).
  std::string m_held;
  std::uint64_t m_held_grouped = 0;
  int m_write_errno = 0;  // a write failed
  // What the sync thread shares with the caller, under m_mutex.
  mutable std::mutex m_mutex;
  std::condition_variable m_wanted;  // m_requested grew (and m_idle), m_hurry or m_stopping
  std::condition_variable m_synced;  // m_durable grew, or m_sync_errno
  std::uint64_t m_requested = 0;     // records a sync must cover
  std::uint64_t m_durable = 0;
  int m_sync_errno = 0;
  bool m_stopping = false;
  bool m_idle = false;   // the sync thread waits for a request (the only time it is woken for one)
  bool m_hurry = false;  // someone waits in wait_durable: no gathering
  std::chrono::microseconds m_gathering = k_default_gathering;
  std::function<void()> m_on_durable;
  std::thread m_sync_thread;  // started with the first grouped record
};

// The hex SHA-256 of everything `in` yields.
std::optional<std::string> sha256_of(std::istream& in);

}  // namespace prospect_import
