#include "prospect_import/journal.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "test_util.h"

namespace prospect_import {
namespace {

using testing::read_file;
using testing::TempDir;
using testing::write_file;

JournalHeader header() {
  return JournalHeader{"abc123",
                       "1001",
                       "IRsandbox0001",
                       false,
                       "p.csv",
                       false,
                       "",
                       InputReading{"CP932", ";", "", "1,2,3,-,-,-,-,-"}};
}

Folder folder_of(const TempDir& dir) {
  auto folder = Folder::open(dir.path());
  if (!folder) throw std::runtime_error(folder.error().message);
  return *folder;
}

// Writes a journal with a header, `sent` for lines 2..4 and outcomes for 2 and 3.
std::string sample_journal(const TempDir& dir) {
  auto path = dir / "journal";
  auto w = JournalWriter::create(folder_of(dir), header());
  EXPECT_TRUE(w);
  EXPECT_TRUE(w->sent(2));
  EXPECT_TRUE(w->done(JournalEntry{2, Fate::created, "P-1", "556677", "Acme Media", ""}));
  EXPECT_TRUE(w->sent(3));
  EXPECT_TRUE(w->done(
      JournalEntry{3, Fate::rejected, "", "", "", "Contact Email: bad\tvalue\nwith a break"}));
  EXPECT_TRUE(w->sent(4));
  return read_file(path);
}

std::optional<JournalContents> read(const std::string& text) {
  std::istringstream in(text);
  return read_journal(in);
}

TEST(Journal, ReadsBackWhatWasWritten) {
  TempDir dir;
  auto c = read(sample_journal(dir));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->header, header());
  EXPECT_FALSE(c->finished);
  ASSERT_EQ(c->done.size(), 2u);
  EXPECT_EQ(c->done.at(2).fate, Fate::created);
  EXPECT_EQ(c->done.at(2).matched_partner_name, "Acme Media");
  EXPECT_EQ(c->done.at(3).message, "Contact Email: bad\tvalue\nwith a break");
  EXPECT_EQ(c->sent, (LineSet{2, 3, 4}));
  EXPECT_EQ(c->ignored_records, 0u);
}

// Outcome records are written without building a json value: each must be
// the text nlohmann would write for the same fields, whatever the strings
// hold (quotes, backslashes, every control, DEL, non-ASCII), and a byte that
// is not UTF-8 reads back as U+FFFD.
TEST(Journal, AnOutcomeRecordIsTheJsonNlohmannWouldWrite) {
  std::vector<std::string> values = {"",         "plain",    "say \"hi\"",   "back\\slash",
                                     "\x7f del", "日本語 é", "tab\tcr\rlf\n"};
  for (char c = 1; c < 0x20; ++c) values.push_back(std::string("a") + c + "b");
  for (const std::string& v : values) {
    TempDir dir;
    auto w = JournalWriter::create(folder_of(dir), header());
    ASSERT_TRUE(w);
    JournalEntry e{12, Fate::rejected, v, "77" + v, v + "x", "m:" + v};
    ASSERT_TRUE(w->done(e));
    w.reset();
    std::string text = read_file(dir / "journal");
    std::string last = text.substr(text.rfind('\n', text.size() - 2) + 1);
    std::string json = last.substr(0, last.rfind('\t'));
    nlohmann::json want = {{"line", e.line},
                           {"fate", "rejected"},
                           {"prospect_id", e.prospect_id},
                           {"matched_partner_id", e.matched_partner_id},
                           {"matched_partner_name", e.matched_partner_name},
                           {"message", e.message}};
    EXPECT_EQ(json, want.dump()) << "value " << ::testing::PrintToString(v);
    auto c = read(text);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->done.at(12).message, e.message);
  }
  TempDir dir;
  auto w = JournalWriter::create(folder_of(dir), header());
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->done(JournalEntry{5, Fate::failed, "", "", "", "bad \xff byte"}));
  w.reset();
  auto c = read(read_file(dir / "journal"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->done.at(5).message, "bad \uFFFD byte");
}

TEST(JournalOutcomes, ALaterOutcomeOfALineReplacesTheEarlierInAnyOrder) {
  // Outcomes arrive in the order requests finish, not in line order; a line
  // done twice (a resumed import's retry) keeps the last.
  JournalOutcomes o;
  o.put(JournalEntry{9, Fate::failed, "", "", "", "HTTP 503"});
  o.put(JournalEntry{3, Fate::created, "P-3", "", "", ""});
  o.put(JournalEntry{9, Fate::already_exists, "P-9", "556677", "Acme Media", ""});
  o.put(JournalEntry{5, Fate::rejected, "", "", "", std::string(300, 'x')});
  EXPECT_EQ(o.size(), 3u);
  EXPECT_EQ(o.count(4), 0u);
  EXPECT_FALSE(o.find(4));
  EXPECT_EQ(o.at(9).fate, Fate::already_exists);
  EXPECT_EQ(o.at(9).prospect_id, "P-9");
  EXPECT_EQ(o.at(9).matched_partner_name, "Acme Media");
  EXPECT_EQ(o.at(9).message, "");
  EXPECT_EQ(o.at(5).message, std::string(300, 'x'));  // a length of two prefix bytes
  std::vector<std::uint64_t> lines;
  o.for_each([&](const JournalEntry& e) { lines.push_back(e.line); });
  EXPECT_EQ(lines, (std::vector<std::uint64_t>{3, 5, 9}));
  o.put(JournalEntry{1, Fate::known, "P-1", "", "", ""});  // after a lookup: still found
  EXPECT_EQ(o.at(1).prospect_id, "P-1");
  EXPECT_EQ(o.size(), 4u);
}

TEST(LineSet, HoldsAnyLineNumberWithoutABitmapToMatch) {
  LineSet s{2, 64, 65};
  s.insert(64);
  s.insert(std::uint64_t{1} << 62);  // an edited journal's line: kept, in a set of its own
  s.insert(LineSet::k_bitmap_lines - 1);
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(s.count(64), 1u);
  EXPECT_EQ(s.count(63), 0u);
  EXPECT_EQ(s.count(std::uint64_t{1} << 62), 1u);
  EXPECT_EQ(s.count((std::uint64_t{1} << 62) + 1), 0u);
  std::vector<std::uint64_t> lines;
  s.for_each([&](std::uint64_t line) { lines.push_back(line); });
  EXPECT_EQ(lines, (std::vector<std::uint64_t>{2, 64, 65, LineSet::k_bitmap_lines - 1,
                                               std::uint64_t{1} << 62}));
  EXPECT_FALSE(s == (LineSet{2, 64, 65}));
}

// The sync thread lets a busy import's records gather before one sync covers
// them (journal.h); these hold with a gathering far longer than any test.
using namespace std::chrono_literals;

TEST(Journal, GroupedRecordsBecomeDurableOnTheirOwnAndWakeTheSender) {
  TempDir dir;
  auto w = JournalWriter::create(folder_of(dir), header());
  ASSERT_TRUE(w);
  std::promise<void> woken;
  std::atomic<bool> said{false};
  w->on_durable([&] {
    if (!said.exchange(true)) woken.set_value();
  });
  w->set_gathering(1ms);
  ASSERT_TRUE(w->sent(2));
  ASSERT_TRUE(w->done(JournalEntry{2, Fate::created, "P-2", "", "", ""},
                      JournalWriter::Durability::grouped));
  ASSERT_TRUE(w->flush());  // the sender's, before it waits
  ASSERT_EQ(woken.get_future().wait_for(30s), std::future_status::ready);
  EXPECT_GE(w->durable(), w->last_written());
  w->on_durable(nullptr);
}

// An outcome is held back and goes to the file with the next record that must
// be there (the next row's `sent`) or at flush(): one write() for both, and
// the file holds every record in the order they came.
TEST(Journal, GroupedOutcomesWaitForTheNextWriteOrAFlush) {
  TempDir dir;
  auto w = JournalWriter::create(folder_of(dir), header());
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->sent(2));
  const auto after_sent = read_file(dir / "journal");
  ASSERT_TRUE(w->done(JournalEntry{2, Fate::created, "P-2", "", "", ""},
                      JournalWriter::Durability::grouped));
  EXPECT_EQ(read_file(dir / "journal"), after_sent) << "held back";
  ASSERT_TRUE(w->sent(3));
  auto c = read(read_file(dir / "journal"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->done.at(2).prospect_id, "P-2");
  EXPECT_EQ(c->sent.count(3), 1u);
  ASSERT_TRUE(w->done(JournalEntry{3, Fate::created, "P-3", "", "", ""},
                      JournalWriter::Durability::grouped));
  ASSERT_TRUE(w->flush());
  c = read(read_file(dir / "journal"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->done.at(3).prospect_id, "P-3");
  EXPECT_EQ(c->ignored_records, 0u);
  ASSERT_TRUE(w->wait_durable(w->last_written()));
}

TEST(Journal, WaitingForARecordCutsTheGatheringShort) {
  TempDir dir;
  auto w = JournalWriter::create(folder_of(dir), header());
  ASSERT_TRUE(w);
  w->set_gathering(60s);
  for (std::uint64_t line = 2; line < 5; ++line) {
    ASSERT_TRUE(w->done(JournalEntry{line, Fate::created, "P", "", "", ""},
                        JournalWriter::Durability::grouped));
  }
  auto waited = std::async(std::launch::async, [&] { return w->wait_durable(w->last_written()); });
  ASSERT_EQ(waited.wait_for(30s), std::future_status::ready) << "waited out the gathering";
  EXPECT_TRUE(waited.get());
  auto c = read(read_file(dir / "journal"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->done.size(), 3u);
}

TEST(Journal, ClosingDoesNotWaitOutTheGatheringAndKeepsEveryRecord) {
  TempDir dir;
  auto w = JournalWriter::create(folder_of(dir), header());
  ASSERT_TRUE(w);
  w->set_gathering(60s);
  ASSERT_TRUE(w->done(JournalEntry{7, Fate::already_exists, "P-7", "", "", ""},
                      JournalWriter::Durability::grouped));
  auto closed = std::async(std::launch::async, [&] { w.reset(); });
  ASSERT_EQ(closed.wait_for(30s), std::future_status::ready) << "waited out the gathering";
  auto c = read(read_file(dir / "journal"));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->done.count(7), 1u);
  EXPECT_EQ(c->done.at(7).fate, Fate::already_exists);
}

TEST(Journal, TornLastRecordIsIgnoredAtEveryCut) {
  TempDir dir;
  std::string full = sample_journal(dir);
  std::size_t last_start = full.rfind('\n', full.size() - 2) + 1;
  for (std::size_t cut = last_start + 1; cut < full.size(); ++cut) {
    auto c = read(full.substr(0, cut));
    ASSERT_TRUE(c) << cut;
    EXPECT_EQ(c->sent.count(4), 0u) << "cut at " << cut;
    EXPECT_EQ(c->done.size(), 2u);
    EXPECT_EQ(c->valid_bytes, last_start);
    EXPECT_EQ(c->ignored_records, 1u);
  }
}

TEST(Journal, CorruptedRecordEndsWhatIsTrusted) {
  TempDir dir;
  std::string full = sample_journal(dir);
  std::size_t third = full.find("\"fate\":\"rejected\"");
  std::string bad = full;
  bad[third + 9] = 'X';  // a flipped byte: the checksum no longer matches
  auto c = read(bad);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->done.size(), 1u);
  EXPECT_EQ(c->sent, (LineSet{2, 3}));
  EXPECT_EQ(c->ignored_records, 2u);
}

TEST(Journal, GarbageAfterTheRecordsIsIgnored) {
  TempDir dir;
  std::string full = sample_journal(dir);
  auto c = read(full + std::string("\0\0\0\0garbage", 11));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->valid_bytes, full.size());
  EXPECT_EQ(c->ignored_records, 1u);
}

TEST(Journal, UnreadableHeaderMeansNoJournal) {
  EXPECT_FALSE(read(""));
  EXPECT_FALSE(read("not a journal\n"));
  TempDir dir;
  std::string full = sample_journal(dir);
  EXPECT_FALSE(read(full.substr(0, full.find('\n') - 3)));
}

TEST(Journal, AppendCutsTheTornTailAndContinues) {
  TempDir dir;
  std::string full = sample_journal(dir);
  write_file(dir / "journal", full.substr(0, full.size() - 5));
  auto c = read(read_file(dir / "journal"));
  auto w = JournalWriter::append(folder_of(dir), c->valid_bytes);
  ASSERT_TRUE(w);
  EXPECT_TRUE(w->done(JournalEntry{4, Fate::already_exists, "P-9", "", "", ""}));
  EXPECT_TRUE(w->finish(0));
  auto again = read(read_file(dir / "journal"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->ignored_records, 0u);
  EXPECT_TRUE(again->finished);
  EXPECT_EQ(again->done.size(), 3u);
  EXPECT_EQ(again->done.at(4).prospect_id, "P-9");
}

// A file-size limit makes writes fail (EFBIG) as a full disk does (ENOSPC).
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) : m_old_handler(std::signal(SIGXFSZ, SIG_IGN)) {
    ::getrlimit(RLIMIT_FSIZE, &m_old);
    rlimit small = m_old;
    small.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &small);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &m_old);
    std::signal(SIGXFSZ, m_old_handler);
  }

 private:
  void (*m_old_handler)(int);
  rlimit m_old{};
};

TEST(Journal, AFullDiskIsReported) {
  TempDir dir;
  Folder folder = folder_of(dir);
  FileSizeLimit limit(10);
  EXPECT_FALSE(JournalWriter::create(folder, header()));
}

TEST(Journal, IsCreated0600) {
  testing::ScopedUmask umask(022);
  TempDir dir;
  ASSERT_TRUE(JournalWriter::create(folder_of(dir), header()));
  EXPECT_EQ(testing::mode_of(dir / "journal"), 0600u);
}

// ln -s /tmp/victim r/journal: neither a new run nor a resume writes through it.
TEST(Journal, ALinkInItsPlaceIsRefusedAndItsTargetLeftAlone) {
  TempDir dir;
  write_file(dir / "victim", "precious");
  std::filesystem::create_symlink(dir / "victim", dir / "journal");
  errno = 0;
  EXPECT_FALSE(JournalWriter::create(folder_of(dir), header()));
  EXPECT_EQ(errno, ELOOP);
  EXPECT_FALSE(JournalWriter::append(folder_of(dir), 0));
  EXPECT_EQ(errno, ELOOP);
  EXPECT_EQ(read_file(dir / "victim"), "precious");
  EXPECT_TRUE(std::filesystem::is_symlink(dir / "journal"));
}

TEST(Journal, Sha256OfKnownInput) {
  std::istringstream in("abc");
  EXPECT_EQ(sha256_of(in), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace prospect_import
