#include "prospect_import/ledger.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <tuple>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr int k_busy_timeout_ms = 30000;  // another import's batch commit takes milliseconds

constexpr const char* k_create_schema = R"(
CREATE TABLE IF NOT EXISTS prospects (
  api_base TEXT NOT NULL, account_sid TEXT NOT NULL, program TEXT NOT NULL,
  email TEXT NOT NULL, group_id TEXT NOT NULL,
  prospect_id TEXT NOT NULL, matched_partner_id TEXT NOT NULL, matched_partner_name TEXT NOT NULL,
  status TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
  file TEXT NOT NULL, row INTEGER NOT NULL, import_id TEXT NOT NULL,
  PRIMARY KEY (api_base, account_sid, program, email, group_id)
) WITHOUT ROWID;
PRAGMA user_version = 1;
)";

constexpr const char* k_columns =
    "email, group_id, prospect_id, matched_partner_id, matched_partner_name, status, first_seen, "
    "last_seen, "
    "file, row, import_id";
constexpr const char* k_scope = "api_base = ?1 AND account_sid = ?2 AND program = ?3";

constexpr const char* k_upsert = R"(
INSERT INTO prospects (api_base, account_sid, program, email, group_id, prospect_id, matched_partner_id,
                       matched_partner_name, status, first_seen, last_seen, file, row, import_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13)
ON CONFLICT (api_base, account_sid, program, email, group_id) DO UPDATE SET
  prospect_id = excluded.prospect_id, matched_partner_id = excluded.matched_partner_id,
  matched_partner_name = excluded.matched_partner_name, last_seen = excluded.last_seen
)";

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// mkdir -p with 0700: the ledger says which addresses an account holds.
Status make_parent(const std::filesystem::path& path) {
  std::filesystem::path parent = path.parent_path();
  if (parent.empty()) return {};
  std::error_code ec;
  ::mode_t old = ::umask(077);
  std::filesystem::create_directories(parent, ec);
  ::umask(old);
  if (ec)
    return Error{ExitCode::io_error,
                 "cannot create the ledger's folder " + parent.string() + ": " + ec.message()};
  return {};
}

}  // namespace

// One prepared statement, finalized when it goes out of scope.
class LedgerStatement {
 public:
  LedgerStatement(sqlite3* db, const std::string& sql) {
    m_rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &m_stmt, nullptr);
  }
  ~LedgerStatement() { sqlite3_finalize(m_stmt); }
  LedgerStatement(const LedgerStatement&) = delete;
  LedgerStatement& operator=(const LedgerStatement&) = delete;
  bool ok() const { return m_rc == SQLITE_OK; }
  void bind(int i, const std::string& v) {
    sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  // v itself, not a copy: it must outlive the statement or the next bind of i.
  void bind_kept(int i, const std::string& v) {
    sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void bind(int i, std::uint64_t v) {
    sqlite3_bind_int64(m_stmt, i, static_cast<sqlite3_int64>(v));
  }
  void bind_scope(const LedgerScope& s) {
    bind(1, s.api_base);
    bind(2, s.account_sid);
    bind(3, s.program);
  }
  void bind_scope_kept(const LedgerScope& s) {
    bind_kept(1, s.api_base);
    bind_kept(2, s.account_sid);
    bind_kept(3, s.program);
  }
  int step() { return sqlite3_step(m_stmt); }
  void reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
  }
  // Ready to run again with the same bindings (each rebound before the next step).
  void rewind() { sqlite3_reset(m_stmt); }
  std::string text(int i) const {
    const auto* p = sqlite3_column_text(m_stmt, i);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, i)))
             : std::string();
  }
  LedgerEntry entry() const {
    return LedgerEntry{text(0), text(1),
                       text(2), text(3),
                       text(4), text(5),
                       text(6), text(7),
                       text(8), static_cast<std::uint64_t>(sqlite3_column_int64(m_stmt, 9)),
                       text(10)};
  }

 private:
  sqlite3_stmt* m_stmt = nullptr;
  int m_rc = SQLITE_ERROR;
};

std::string ledger_email(std::string_view contact_email) { return case_fold(contact_email); }

LedgerScope ledger_scope(std::string_view api_base, std::string_view account_sid,
                         std::string_view program) {
  while (api_base.ends_with('/')) api_base.remove_suffix(1);
  return LedgerScope{std::string(api_base), std::string(trim(account_sid)),
                     std::string(trim(program))};
}

Result<std::unique_ptr<Ledger>> Ledger::open(const std::filesystem::path& path,
                                             LedgerAccess access) {
  bool missing = !std::filesystem::exists(path);
  if (access == LedgerAccess::read_write && missing) {
    if (auto s = make_parent(path); !s) return s.error();
    ::mode_t old = ::umask(077);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    ::umask(old);
    if (fd >= 0) ::close(fd);
  }
  // A dry run of a ledger never written is an empty ledger: nothing is created.
  std::error_code ec;
  bool empty =
      access == LedgerAccess::read_only && (missing || std::filesystem::file_size(path, ec) == 0);
  int flags = (access == LedgerAccess::read_write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                                  : SQLITE_OPEN_READONLY) |
              SQLITE_OPEN_NOMUTEX;
  sqlite3* db = nullptr;
  int rc =
      empty ? sqlite3_open(":memory:", &db) : sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<Ledger> ledger(new Ledger(db, path));
  if (rc != SQLITE_OK) return ledger->error("cannot open the ledger");
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, k_busy_timeout_ms);
  if (auto s = ledger->prepare_schema(empty ? LedgerAccess::read_write : access); !s)
    return s.error();
  return ledger;
}

Ledger::Ledger(sqlite3* db, std::filesystem::path path) : m_db(db), m_path(std::move(path)) {}

Ledger::~Ledger() {
  end_reads();
  m_find.reset();
  sqlite3_close_v2(m_db);
}

Error Ledger::error(const std::string& doing) const {
  const char* why = m_db ? sqlite3_errmsg(m_db) : "out of memory";
  return Error{ExitCode::io_error, doing + " " + m_path.string() + ": " + why};
}

Error Ledger::refusal(const std::string& why) const {
  return Error{ExitCode::io_error, "cannot open the ledger " + m_path.string() + ": " + why};
}

Status Ledger::exec(const char* sql, const std::string& doing) {
  if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return error(doing);
  return {};
}

// WAL lets readers go on while another process commits; the schema is made
// once, under the write lock, so two first runs cannot both make it.
Status Ledger::prepare_schema(LedgerAccess access) {
  const std::string doing = "cannot open the ledger";
  if (access == LedgerAccess::read_write) {
    if (auto s = exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", doing); !s)
      return s;
    if (auto s = exec("BEGIN IMMEDIATE", doing); !s) return s;
  }
  int found = -1;
  {
    LedgerStatement version(m_db, "PRAGMA user_version");
    if (version.ok() && version.step() == SQLITE_ROW) found = std::stoi(version.text(0));
  }
  Status result;
  if (found < 0) {
    result = error(doing);
  } else if (found > k_schema_version) {
    result = refusal("it was made by a newer prospect-import (schema version " +
                     std::to_string(found) + ")");
  } else if (found == 0 && access == LedgerAccess::read_only) {
    result = refusal("it is not a prospect-import ledger");
  } else if (found == 0) {
    result = exec(k_create_schema, doing);
  }
  if (access == LedgerAccess::read_only) return result;
  if (!result) {
    sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    return result;
  }
  return exec("COMMIT", doing);
}

void Ledger::begin_reads() { m_reading = true; }

void Ledger::end_reads() {
  m_reading = false;
  if (m_in_snapshot) sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
  m_in_snapshot = false;
}

Result<std::optional<LedgerEntry>> Ledger::find(const LedgerScope& scope, const std::string& email,
                                                const std::string& group_id) {
  if (m_in_snapshot && m_snapshot_reads >= k_reads_per_snapshot) {
    // A newer snapshot now and then, so that a long pass does not hold back a checkpoint.
    sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
    m_in_snapshot = false;
  }
  if (m_reading && !m_in_snapshot) {
    m_in_snapshot = sqlite3_exec(m_db, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK;
    m_snapshot_reads = 0;
  }
  ++m_snapshot_reads;
  if (!m_find) {
    m_find = std::make_unique<LedgerStatement>(m_db, std::string("SELECT ") + k_columns +
                                                         " FROM prospects WHERE " + k_scope +
                                                         " AND email = ?4 AND group_id = ?5");
  }
  LedgerStatement& q = *m_find;
  q.reset();
  if (!q.ok()) return error("cannot read the ledger");
  q.bind_scope(scope);
  q.bind(4, email);
  q.bind(5, group_id);
  int rc = q.step();
  std::optional<LedgerEntry> found;
  if (rc == SQLITE_ROW) found = q.entry();
  q.reset();  // ends the read (outside a snapshot), so that a checkpoint is not held back
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return error("cannot read the ledger");
  return found;
}

Status Ledger::put(const LedgerScope& scope, const std::vector<LedgerEntry>& entries) {
  end_reads();
  const std::string doing = "cannot write the ledger";
  if (auto s = exec("BEGIN IMMEDIATE", doing); !s) return s;
  std::string now = utc_now();
  // In key order (stable: a later entry for a key still wins): the inserts walk
  // the B-tree's leaves once, each page read and dirtied once, not at random.
  std::vector<const LedgerEntry*> in_order;
  in_order.reserve(entries.size());
  for (const LedgerEntry& e : entries) in_order.push_back(&e);
  std::stable_sort(in_order.begin(), in_order.end(),
                   [](const LedgerEntry* a, const LedgerEntry* b) {
                     return std::tie(a->email, a->group_id) < std::tie(b->email, b->group_id);
                   });
  // Bound in place, not copied (scope, now and the entries outlive q), the
  // scope and the time once: a copy a value was most of the ledger's CPU.
  LedgerStatement q(m_db, k_upsert);
  bool ok = q.ok();
  q.bind_scope_kept(scope);
  q.bind_kept(10, now);
  for (std::size_t i = 0; ok && i < in_order.size(); ++i) {
    const LedgerEntry& e = *in_order[i];
    q.bind_kept(4, e.email);
    q.bind_kept(5, e.group_id);
    q.bind_kept(6, e.prospect_id);
    q.bind_kept(7, e.matched_partner_id);
    q.bind_kept(8, e.matched_partner_name);
    q.bind_kept(9, e.status);
    q.bind_kept(11, e.file);
    q.bind(12, e.row);
    q.bind_kept(13, e.import_id);
    ok = q.step() == SQLITE_DONE;
    q.rewind();
  }
  if (!ok || sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Error e = error(doing);
    sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    return e;
  }
  return {};
}

Result<std::vector<LedgerEntry>> Ledger::list(const LedgerScope& scope) {
  LedgerStatement q(m_db, std::string("SELECT ") + k_columns + " FROM prospects WHERE " + k_scope +
                              " ORDER BY email, group_id");
  if (!q.ok()) return error("cannot read the ledger");
  q.bind_scope(scope);
  std::vector<LedgerEntry> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out.push_back(q.entry());
  if (rc != SQLITE_DONE) return error("cannot read the ledger");
  return out;
}

Result<std::uint64_t> Ledger::forget(const LedgerScope& scope,
                                     const std::optional<std::string>& email) {
  end_reads();
  LedgerStatement q(m_db, std::string("DELETE FROM prospects WHERE ") + k_scope +
                              (email ? " AND email = ?4" : ""));
  if (!q.ok()) return error("cannot write the ledger");
  q.bind_scope(scope);
  if (email) q.bind(4, ledger_email(*email));
  if (q.step() != SQLITE_DONE) return error("cannot write the ledger");
  return static_cast<std::uint64_t>(sqlite3_changes(m_db));
}

}  // namespace prospect_import
