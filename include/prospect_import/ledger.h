#pragma once
// The ledger: a local SQLite database of the prospects the tool has seen the
// server create or confirm, so that an unattended re-run sends no request for
// them (CLI.md, issue 8). Several processes may use one ledger at once (WAL
// mode, a busy timeout); every SQLite failure becomes an Error here, code 74.
//
// It never claims what the server lacks: callers write only what a real (not
// dry) run saw the server answer with a ProspectId, or what its listing holds.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prospect_import/error.h"

struct sqlite3;

namespace prospect_import {

class LedgerStatement;

// Whose prospects: one program of one account at one API.
struct LedgerScope {
  std::string api_base;
  std::string account_sid;
  std::string program;
  bool operator==(const LedgerScope&) const = default;
};

// The scope of what an import or a ledger command names: the API base without
// trailing '/' (so that both spellings are one ledger), account and program trimmed.
LedgerScope ledger_scope(std::string_view api_base, std::string_view account_sid,
                         std::string_view program);

// The Contact Email as keys hold it: case-folded exactly as the in-file
// duplicate rule folds it (row_checker.cc), so both agree on what a repeat is.
std::string ledger_email(std::string_view contact_email);

struct LedgerEntry {
  std::string email;     // ledger_email() of the Contact Email
  std::string group_id;  // empty: no group (its own value, as the API's 409 rule has it)
  std::string prospect_id;
  std::string matched_partner_id;
  std::string matched_partner_name;
  std::string status;      // where it came from: created, already_exists (an import), listed (sync)
  std::string first_seen;  // UTC, ISO 8601; set by put()
  std::string last_seen;
  std::string file;  // the import's file as given and the row ("" and 0 from a listing)
  std::uint64_t row = 0;
  std::string import_id;  // the import's journal input hash ("" from a listing)
};

enum class LedgerAccess {
  read_only,   // a dry run: a missing file is an empty ledger, nothing is created
  read_write,  // creates the file and its folders (0700) when missing
};

class Ledger {
 public:
  static constexpr int k_schema_version = 1;

  // Opens (or creates) the ledger, checks its schema version and sets WAL mode
  // and the busy timeout. A file that is not a ledger, is corrupt, or was made
  // by a newer version is an Error (74) naming the path.
  static Result<std::unique_ptr<Ledger>> open(const std::filesystem::path& path,
                                              LedgerAccess access);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  const std::filesystem::path& path() const { return m_path; }

  // The entry of (scope, email, group), if any. email: as ledger_email() gives it.
  Result<std::optional<LedgerEntry>> find(const LedgerScope& scope, const std::string& email,
                                          const std::string& group_id);

  // Look-ups between begin_reads() and end_reads() share read transactions of
  // k_reads_per_snapshot finds each: one shared lock for thousands of rows, not
  // a lock and an unlock of the WAL index per row (a first pass asks for every
  // row). A failed begin only means each find takes its own. put() and
  // forget() end them first.
  static constexpr std::uint64_t k_reads_per_snapshot = 4096;
  void begin_reads();
  void end_reads();

  // Adds or updates entries in one transaction (a commit per row would cap an
  // import at the disk's syncs per second). An existing entry keeps its first
  // sighting (first_seen, status, file, row, import); its Prospect ID, match
  // and last_seen are refreshed. REQUIRES: opened read_write.
  Status put(const LedgerScope& scope, const std::vector<LedgerEntry>& entries);

  // Every entry of scope, by email then group.
  Result<std::vector<LedgerEntry>> list(const LedgerScope& scope);

  // Drops the entries of scope (of one email, any group, when given); returns how many.
  Result<std::uint64_t> forget(const LedgerScope& scope, const std::optional<std::string>& email);

 private:
  Ledger(sqlite3* db, std::filesystem::path path);
  Error error(const std::string& doing) const;
  Error refusal(const std::string& why) const;
  Status exec(const char* sql, const std::string& doing);
  Status prepare_schema(LedgerAccess access);

  sqlite3* m_db;
  std::filesystem::path m_path;
  std::unique_ptr<LedgerStatement> m_find;  // prepared once: an import asks once per row
  bool m_reading = false;                   // begin_reads() until end_reads()
  bool m_in_snapshot = false;               // a read transaction is open
  std::uint64_t m_snapshot_reads = 0;       // finds in it
};

}  // namespace prospect_import
