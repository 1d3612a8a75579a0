#include "prospect_import/ledger.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <map>

#include "prospect_import/import_ledger.h"
#include "test_util.h"

namespace prospect_import {
namespace {

using testing::TempDir;

const LedgerScope k_scope{"https://api.example", "IRabc", "1001"};

LedgerEntry entry(const std::string& email, const std::string& group, const std::string& id) {
  LedgerEntry e;
  e.email = ledger_email(email);
  e.group_id = group;
  e.prospect_id = id;
  e.status = "created";
  e.file = "p.csv";
  e.row = 2;
  e.import_id = "abc123";
  return e;
}

std::unique_ptr<Ledger> open_ok(const std::filesystem::path& path,
                                LedgerAccess access = LedgerAccess::read_write) {
  auto ledger = Ledger::open(path, access);
  EXPECT_TRUE(ledger.ok()) << (ledger ? "" : ledger.error().message);
  return ledger ? std::move(*ledger) : nullptr;
}

TEST(Ledger, KeysFoldTheEmailLikeTheDuplicateRuleAndKeepGroupsApart) {
  TempDir dir;
  auto ledger = open_ok(dir / "state" / "ledger.db");
  ASSERT_TRUE(ledger);
  ASSERT_TRUE(ledger
                  ->put(k_scope, {entry("Ann@Example.COM", "77", "P-1"),
                                  entry("ann@example.com", "", "P-2")})
                  .ok());
  auto found = ledger->find(k_scope, ledger_email("ANN@example.com"), "77");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->prospect_id, "P-1");
  EXPECT_EQ((*found)->file, "p.csv");
  EXPECT_EQ((*found)->import_id, "abc123");
  EXPECT_EQ((*found)->first_seen.size(), 20u) << (*found)->first_seen;
  EXPECT_EQ((*ledger->find(k_scope, "ann@example.com", ""))->prospect_id, "P-2");
  EXPECT_FALSE(ledger->find(k_scope, "ann@example.com", "78")->has_value());
  EXPECT_FALSE(
      ledger->find(LedgerScope{"https://api.example", "IRabc", "1002"}, "ann@example.com", "77")
          ->has_value());
  EXPECT_FALSE(
      ledger->find(LedgerScope{"http://127.0.0.1:1", "IRabc", "1001"}, "ann@example.com", "77")
          ->has_value());
}

TEST(Ledger, AnUpdateKeepsTheFirstSightingAndRefreshesTheProspect) {
  TempDir dir;
  auto ledger = open_ok(dir / "ledger.db");
  ASSERT_TRUE(ledger->put(k_scope, {entry("a@example.com", "", "P-1")}).ok());
  LedgerEntry again = entry("a@example.com", "", "P-9");
  again.status = "listed";
  again.file = "";
  again.row = 0;
  again.matched_partner_id = "556677";
  ASSERT_TRUE(ledger->put(k_scope, {again}).ok());
  auto all = ledger->list(k_scope);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].prospect_id, "P-9");
  EXPECT_EQ((*all)[0].matched_partner_id, "556677");
  EXPECT_EQ((*all)[0].status, "created");
  EXPECT_EQ((*all)[0].file, "p.csv");
  EXPECT_EQ((*all)[0].row, 2u);
}

TEST(Ledger, ForgetDropsOneEmailInEveryGroupOrTheWholeProgram) {
  TempDir dir;
  auto ledger = open_ok(dir / "ledger.db");
  LedgerScope other{k_scope.api_base, k_scope.account_sid, "1002"};
  ASSERT_TRUE(
      ledger
          ->put(k_scope, {entry("a@example.com", "", "P-1"), entry("a@example.com", "77", "P-2"),
                          entry("b@example.com", "", "P-3")})
          .ok());
  ASSERT_TRUE(ledger->put(other, {entry("a@example.com", "", "P-4")}).ok());
  EXPECT_EQ(*ledger->forget(k_scope, std::string("A@EXAMPLE.com")), 2u);
  EXPECT_EQ(ledger->list(k_scope)->size(), 1u);
  EXPECT_EQ(*ledger->forget(k_scope, std::nullopt), 1u);
  EXPECT_EQ(ledger->list(k_scope)->size(), 0u);
  EXPECT_EQ(ledger->list(other)->size(), 1u) << "another program's entries stay";
}

TEST(Ledger, ItIsCreatedPrivateInWalModeWithASchemaVersion) {
  TempDir dir;
  auto path = dir / "a" / "b" / "ledger.db";
  ASSERT_TRUE(open_ok(path));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);
  ASSERT_EQ(::stat(path.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);
  std::string header = testing::read_file(path).substr(0, 20);
  EXPECT_EQ(header.substr(0, 16), std::string("SQLite format 3\0", 16));
  EXPECT_EQ(header[18], 2) << "WAL: the file format's read and write versions are 2";
  EXPECT_EQ(header[19], 2);
}

TEST(Ledger, ACorruptFileIsAnErrorNamingIt) {
  TempDir dir;
  testing::write_file(dir / "ledger.db", std::string(4096, 'x'));
  auto ledger = Ledger::open(dir / "ledger.db", LedgerAccess::read_write);
  ASSERT_FALSE(ledger.ok());
  EXPECT_EQ(ledger.error().code, ExitCode::io_error);
  EXPECT_EQ(ledger.error().message,
            "cannot open the ledger " + (dir / "ledger.db").string() + ": file is not a database");
  auto read_only = Ledger::open(dir / "ledger.db", LedgerAccess::read_only);
  ASSERT_FALSE(read_only.ok());
  EXPECT_EQ(read_only.error().message, ledger.error().message);
}

TEST(Ledger, ANewerSchemaIsRefused) {
  TempDir dir;
  {
    auto ledger = open_ok(dir / "ledger.db");
    ASSERT_TRUE(ledger);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "ledger.db").c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, "PRAGMA user_version = 7", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto ledger = Ledger::open(dir / "ledger.db", LedgerAccess::read_write);
  ASSERT_FALSE(ledger.ok());
  EXPECT_EQ(ledger.error().message,
            "cannot open the ledger " + (dir / "ledger.db").string() +
                ": it was made by a newer prospect-import (schema version 7)");
}

TEST(Ledger, ADryRunOfAMissingLedgerCreatesNothing) {
  TempDir dir;
  auto ledger = open_ok(dir / "state" / "ledger.db", LedgerAccess::read_only);
  ASSERT_TRUE(ledger);
  EXPECT_FALSE(ledger->find(k_scope, "a@example.com", "")->has_value());
  EXPECT_FALSE(std::filesystem::exists(dir / "state"));
}

TEST(Ledger, TwoConnectionsAtOnceSeeEachOthersCommits) {
  TempDir dir;
  auto first = open_ok(dir / "ledger.db");
  auto second = open_ok(dir / "ledger.db");
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(first->put(k_scope, {entry("a@example.com", "", "P-1")}).ok());
  ASSERT_TRUE(second->put(k_scope, {entry("b@example.com", "", "P-2")}).ok());
  EXPECT_EQ((*second->find(k_scope, "a@example.com", ""))->prospect_id, "P-1");
  EXPECT_EQ((*first->find(k_scope, "b@example.com", ""))->prospect_id, "P-2");
  auto reader = open_ok(dir / "ledger.db", LedgerAccess::read_only);
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->list(k_scope)->size(), 2u);
  ASSERT_TRUE(first->put(k_scope, {entry("c@example.com", "", "P-3")}).ok())
      << "a reader does not block a writer";
  EXPECT_EQ(reader->list(k_scope)->size(), 3u);
}

// A first pass looks up every row in read transactions of thousands of finds
// (one lock each, not two fcntl calls a row). Meanwhile another import still
// commits, this one can still write, and a long pass takes a newer snapshot
// now and then, so that it sees others' commits and never holds back the
// WAL's checkpoint for long.
TEST(Ledger, LookupsShareASnapshotThatOthersDoNotWaitFor) {
  TempDir dir;
  auto pass = open_ok(dir / "ledger.db");
  auto other = open_ok(dir / "ledger.db");
  ASSERT_TRUE(pass && other);
  ASSERT_TRUE(pass->put(k_scope, {entry("a@example.com", "", "P-1")}).ok());
  pass->begin_reads();
  EXPECT_EQ((*pass->find(k_scope, "a@example.com", ""))->prospect_id, "P-1");
  ASSERT_TRUE(other->put(k_scope, {entry("b@example.com", "", "P-2")}).ok())
      << "a pass's snapshot does not block another import's commit";
  EXPECT_FALSE(pass->find(k_scope, "b@example.com", "")->has_value())
      << "within one snapshot, the pass sees the ledger as it was";
  for (std::uint64_t i = 0; i < Ledger::k_reads_per_snapshot; ++i) {
    ASSERT_TRUE(pass->find(k_scope, "x@example.com", "").ok());
  }
  EXPECT_EQ((*pass->find(k_scope, "b@example.com", ""))->prospect_id, "P-2")
      << "a newer snapshot after k_reads_per_snapshot finds";
  ASSERT_TRUE(pass->put(k_scope, {entry("c@example.com", "", "P-3")}).ok())
      << "a put during the look-ups ends them first";
  EXPECT_EQ((*other->find(k_scope, "c@example.com", ""))->prospect_id, "P-3");
  pass->end_reads();
  EXPECT_EQ(other->list(k_scope)->size(), 3u);
}

// put() writes a batch in key order; two entries of one key keep the later.
TEST(Ledger, ABatchWithAKeyTwiceKeepsTheLaterEntry) {
  TempDir dir;
  auto ledger = open_ok(dir / "ledger.db");
  ASSERT_TRUE(ledger);
  ASSERT_TRUE(
      ledger
          ->put(k_scope, {entry("z@example.com", "", "P-1"), entry("a@example.com", "", "P-2"),
                          entry("z@example.com", "", "P-3")})
          .ok());
  EXPECT_EQ((*ledger->find(k_scope, "z@example.com", ""))->prospect_id, "P-3");
  EXPECT_EQ((*ledger->find(k_scope, "a@example.com", ""))->prospect_id, "P-2");
}

TEST(DefaultLedgerPath, XdgStateHomeThenHomeThenNone) {
  std::map<std::string, std::string> env;
  auto getenv = [&env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  EXPECT_EQ(default_ledger_path(getenv), std::nullopt) << "neither: none is used";
  env["HOME"] = "/home/ann";
  EXPECT_EQ(default_ledger_path(getenv), "/home/ann/.local/state/prospect-import/ledger.db");
  env["XDG_STATE_HOME"] = "relative/state";
  EXPECT_EQ(default_ledger_path(getenv), "/home/ann/.local/state/prospect-import/ledger.db")
      << "XDG: a relative path is ignored";
  env["XDG_STATE_HOME"] = "/var/state";
  EXPECT_EQ(default_ledger_path(getenv), "/var/state/prospect-import/ledger.db");
}

TEST(LedgerScope, TheApiBaseLosesItsTrailingSlashAndIdsTheirSpaces) {
  EXPECT_EQ(ledger_scope("https://api.example/", " IRabc ", "1001 "), k_scope);
}

}  // namespace
}  // namespace prospect_import
