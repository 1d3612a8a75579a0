#pragma once
// The ledger as one online import uses it (CLI.md, issue 8): opened before any
// request (a ledger that cannot be used stops the run, 74), asked once per
// valid row, and written, batched, with what the server confirmed. A dry run
// only reads it; an offline run never opens it. A write that fails mid-run is
// said once and the import goes on: the journal is the authority.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "prospect_import/clock.h"
#include "prospect_import/error.h"
#include "prospect_import/journal.h"
#include "prospect_import/ledger.h"
#include "prospect_import/options.h"

namespace prospect_import {

// $XDG_STATE_HOME/prospect-import/ledger.db, else
// $HOME/.local/state/prospect-import/ledger.db; nothing when neither is set.
std::optional<std::string> default_ledger_path(
    const std::function<std::optional<std::string>(const std::string&)>& getenv);

// The ledger options name (--ledger, PROSPECT_IMPORT_LEDGER, the default), or
// none (--no-ledger; none at all is said on the log). A dry run opens it read
// only. An Error (74) names the path and --no-ledger.
Result<std::unique_ptr<Ledger>> open_ledger(const Options& options, spdlog::logger& log);

class ImportLedger {
 public:
  // ledger: null for none. import_id: the journal's input hash.
  // REQUIRES: clock and log outlive it.
  ImportLedger(std::unique_ptr<Ledger> ledger, LedgerScope scope, const Options& options,
               const Clock& clock, spdlog::logger& log);
  ~ImportLedger();
  ImportLedger(const ImportLedger&) = delete;
  ImportLedger& operator=(const ImportLedger&) = delete;

  void set_import(std::string file, std::string import_id);

  // Whether rows it knows are not sent (a ledger, and no --recheck).
  bool reads() const { return m_read; }

  // The entry of a valid row, by its Contact Email (as sent) and group; none
  // with --recheck or no ledger. A read error is said once and means none.
  std::optional<LedgerEntry> find(const std::string& contact_email, const std::string& group_id);

  // For the life of this guard, look-ups share read transactions (a pass that
  // asks for every row: see Ledger::begin_reads).
  class Lookups {
   public:
    explicit Lookups(ImportLedger& l)
        : m_owner(l), m_ledger(l.m_read ? l.m_ledger.get() : nullptr) {
      const std::lock_guard connection(m_owner.m_connection);
      if (m_ledger) m_ledger->begin_reads();
    }
    ~Lookups() {
      const std::lock_guard connection(m_owner.m_connection);
      if (m_ledger) m_ledger->end_reads();
    }
    Lookups(const Lookups&) = delete;
    Lookups& operator=(const Lookups&) = delete;

   private:
    ImportLedger& m_owner;
    Ledger* m_ledger;
  };

  // A row's outcome as the journal holds it: created or already_exists with a
  // Prospect ID is kept, in a batch (a real run only). A full batch is written
  // by a thread of its own while the import goes on.
  void record(const std::string& contact_email, const std::string& group_id,
              const JournalEntry& outcome);

  // Writes the batch in one transaction, and returns once every batch is written.
  void flush();

 private:
  void hand_off();           // the batch to the writer thread (waits while one still waits)
  void wait_written();       // until the writer has written every batch handed to it
  void say_write_failure();  // a failed write, said once, on the import's thread
  void write_batches();      // the writer thread
  // Puts a batch; what went wrong, if anything.
  std::optional<std::string> write(const std::vector<LedgerEntry>& batch);

  std::mutex m_connection;  // the Ledger (one SQLite connection): one thread at a time
  std::mutex m_handing;     // what follows, between the import and the writer
  std::condition_variable m_handed_changed;
  std::vector<LedgerEntry> m_handed;     // a batch waiting for the writer
  bool m_writing = false;                // the writer is writing a batch
  bool m_stopping = false;               // no batch comes any more
  std::optional<std::string> m_failure;  // the writer's first failed write, not said yet
  std::thread m_writer;                  // started with the first batch handed off
  bool m_inline = false;                 // no writer thread could be started

  std::unique_ptr<Ledger> m_ledger;
  LedgerScope m_scope;
  bool m_read = false;
  bool m_write = false;
  const Clock& m_clock;
  spdlog::logger& m_log;
  std::string m_file;
  std::string m_import_id;
  std::vector<LedgerEntry> m_batch;  // rows not handed to the writer yet
  Clock::TimePoint m_batch_began{};
  bool m_read_failure_said = false;
  bool m_write_failure_said = false;
};

}  // namespace prospect_import
