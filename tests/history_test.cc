// history/: the report a run replaces is kept, with the journal of its import,
// under its started_at; the newest `keep` entries stay; a --resume replaces
// its own partial report; links are refused.

#include "prospect_import/history.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "prospect_import/journal.h"
#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using testing::mode_of;
using testing::read_file;
using testing::TempDir;
using testing::write_file;
using Names = std::set<std::string>;

Names names_in(const fs::path& dir) {
  Names names;
  if (!fs::exists(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

TEST(HistoryStamp, IsStartedAtWithoutItsSeparators) {
  EXPECT_EQ(history_stamp("2026-11-30T14:56:30Z"), "20261130T145630Z");
  for (const char* bad :
       {"", "2026-11-30T14:56:30", "2026-11-30 14:56:30Z", "2026-11-30T14:56:30+00:00",
        "2026-1x-30T14:56:30Z", "../../etc/passwd"}) {
    EXPECT_EQ(history_stamp(bad), std::nullopt) << bad;
  }
}

TEST(HistoryEntries, AreOldestFirstWithSuffixesInNumberOrderAndOthersLeftOut) {
  EXPECT_EQ(history_entries({"20261130T145630Z-10", "20261130T145630Z", "notes.txt",
                             "20261130T145630Z-2", "20261129T000000Z", "20261130T145630Z-0",
                             "20261130T145630Z-", "20261130T145630Zx", "2026113OT145630Z"}),
            (std::vector<std::string>{"20261129T000000Z", "20261130T145630Z", "20261130T145630Z-2",
                                      "20261130T145630Z-10"}));
}

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directory(m_dir);
    auto folder = Folder::open(m_dir);
    ASSERT_TRUE(folder);
    m_folder.emplace(std::move(*folder));
  }

  // A finished report of a run that began at `started_at`, its files saying `tag`.
  void put_report(const std::string& started_at, const std::string& tag) {
    write_file(m_dir / "success.csv", "success " + tag);
    write_file(m_dir / "errors.csv", "errors " + tag);
    write_file(m_dir / "summary.json",
               R"({"tag": ")" + tag + R"(", "started_at": ")" + started_at + "\"}\n");
  }

  // A journal in the folder that begins now: it notes the report there, which
  // is not its own (a run writes its journal first and its report at the end).
  void put_journal(bool finished, const std::string& tag = "") {
    JournalHeader h{"hash", "1001", "IRsandbox0001", false, "p.csv" + tag};
    auto fingerprint = report_fingerprint(*m_folder);
    ASSERT_TRUE(fingerprint);
    h.report_before = *fingerprint;
    auto w = JournalWriter::create(*m_folder, h);
    ASSERT_TRUE(w);
    if (finished) {
      ASSERT_TRUE(w->finish(0));
    }
  }

  // A new report, committed as ReportWriter does: history first, then the renames.
  Status commit(const std::string& started_at, const std::string& tag, JournalInFolder journal,
                int keep = 30) {
    auto s = History(*m_folder, keep).keep_replaced(journal);
    if (s) put_report(started_at, tag);
    return s;
  }

  TempDir m_tmp;
  fs::path m_dir = m_tmp / "r";
  std::optional<Folder> m_folder;
};

TEST_F(HistoryTest, TheReplacedReportAndItsFinishedJournalGoUnderItsStart) {
  put_journal(true);
  put_report("2026-11-30T14:56:30Z", "A");
  ASSERT_TRUE(commit("2026-11-30T15:00:00Z", "B", JournalInFolder::goes));
  fs::path entry = m_dir / "history/20261130T145630Z";
  EXPECT_EQ(names_in(entry), (Names{"errors.csv", "journal", "success.csv", "summary.json"}));
  EXPECT_EQ(read_file(entry / "success.csv"), "success A");
  EXPECT_EQ(read_file(entry / "errors.csv"), "errors A");
  EXPECT_THAT(read_file(entry / "summary.json"), ::testing::HasSubstr("\"A\""));
  EXPECT_EQ(names_in(m_dir), (Names{"errors.csv", "history", "success.csv", "summary.json"}));
  EXPECT_EQ(mode_of(m_dir / "history"), 0700u);
  EXPECT_EQ(mode_of(entry), 0700u);
}

TEST_F(HistoryTest, TwoReportsOfOneSecondGetASuffix) {
  put_report("2026-11-30T14:56:30Z", "A");
  ASSERT_TRUE(commit("2026-11-30T14:56:30Z", "B", JournalInFolder::goes));
  ASSERT_TRUE(commit("2026-11-30T14:56:30Z", "C", JournalInFolder::goes));
  ASSERT_TRUE(commit("2026-11-30T14:56:31Z", "D", JournalInFolder::goes));
  EXPECT_EQ(names_in(m_dir / "history"),
            (Names{"20261130T145630Z", "20261130T145630Z-2", "20261130T145630Z-3"}));
  EXPECT_EQ(read_file(m_dir / "history/20261130T145630Z/success.csv"), "success A");
  EXPECT_EQ(read_file(m_dir / "history/20261130T145630Z-2/success.csv"), "success B");
  EXPECT_EQ(read_file(m_dir / "history/20261130T145630Z-3/success.csv"), "success C");
}

TEST_F(HistoryTest, OnlyTheNewestKeepStayAndOtherFilesThereAreLeftAlone) {
  fs::create_directories(m_dir / "history/mine");
  write_file(m_dir / "history/mine/notes.txt", "mine");
  put_report("2026-11-30T10:00:00Z", "A");
  for (const char* t : {"11", "12", "13", "14"}) {
    ASSERT_TRUE(commit(std::string("2026-11-30T") + t + ":00:00Z", t, JournalInFolder::goes, 2));
  }
  EXPECT_EQ(names_in(m_dir / "history"), (Names{"20261130T120000Z", "20261130T130000Z", "mine"}));
  EXPECT_EQ(read_file(m_dir / "history/mine/notes.txt"), "mine");
}

// The oldest of a second pruned, the next of that second still sorts after the rest.
TEST_F(HistoryTest, AnEntryAfterPruningSortsAfterTheOthersOfItsSecond) {
  put_report("2026-11-30T10:00:00Z", "A");
  for (const char* t : {"B", "C", "D"})
    ASSERT_TRUE(commit("2026-11-30T10:00:00Z", t, JournalInFolder::goes, 2));
  EXPECT_EQ(names_in(m_dir / "history"), (Names{"20261130T100000Z-2", "20261130T100000Z-3"}));
  EXPECT_EQ(read_file(m_dir / "history/20261130T100000Z-3/success.csv"), "success C");
}

TEST_F(HistoryTest, KeepingNoneReplacesTheReportAndEmptiesHistory) {
  put_report("2026-11-30T10:00:00Z", "A");
  ASSERT_TRUE(commit("2026-11-30T11:00:00Z", "B", JournalInFolder::goes));
  put_journal(true);
  ASSERT_TRUE(commit("2026-11-30T12:00:00Z", "C", JournalInFolder::goes, 0));
  EXPECT_EQ(names_in(m_dir / "history"), Names{});
  EXPECT_EQ(names_in(m_dir), (Names{"errors.csv", "history", "success.csv", "summary.json"}));
}

TEST_F(HistoryTest, AResumeReplacesThePartialReportOfItsOwnImport) {
  put_journal(false);  // the import began on an empty folder
  put_report("2026-11-30T10:00:00Z", "partial");
  ASSERT_TRUE(commit("2026-11-30T11:00:00Z", "resumed", JournalInFolder::stays));
  EXPECT_FALSE(fs::exists(m_dir / "history"));
  EXPECT_EQ(read_file(m_dir / "success.csv"), "success resumed");
}

TEST_F(HistoryTest, AResumeKeepsAReportThatWasThereBeforeItsImportBegan) {
  put_report("2026-11-30T10:00:00Z", "older");
  put_journal(false);  // killed before it wrote a report
  ASSERT_TRUE(commit("2026-11-30T11:00:00Z", "resumed", JournalInFolder::stays));
  EXPECT_EQ(read_file(m_dir / "history/20261130T100000Z/success.csv"), "success older");
  EXPECT_TRUE(fs::exists(m_dir / "journal")) << "the import's own journal stays";
}

// A new import moves the finished journal aside; killed before it reported,
// then restarted: the first waits for its report, the killed one goes alone.
TEST_F(HistoryTest, AJournalThatBelongsToNoReportGoesAlone) {
  put_journal(true, "-a");
  put_report("2026-11-30T10:00:00Z", "A");
  History history(*m_folder, 30);
  ASSERT_TRUE(history.displace_journal());
  put_journal(false, "-killed");
  ASSERT_TRUE(history.displace_journal());  // --restart
  put_journal(false, "-new");
  ASSERT_TRUE(commit("2026-11-30T12:00:00Z", "new", JournalInFolder::stays));
  auto entries = names_in(m_dir / "history");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_THAT(read_file(m_dir / "history/20261130T100000Z/journal"),
              ::testing::HasSubstr("p.csv-a"));
  for (const auto& e : entries) {
    if (e == "20261130T100000Z") continue;
    EXPECT_EQ(names_in(m_dir / "history" / e), Names{"journal"});
    EXPECT_THAT(read_file(m_dir / "history" / e / "journal"), ::testing::HasSubstr("p.csv-killed"));
  }
  EXPECT_THAT(read_file(m_dir / "journal"), ::testing::HasSubstr("p.csv-new"));
}

TEST_F(HistoryTest, WithoutStartedAtTheEntryIsNamedAfterWhenTheSummaryWasWritten) {
  write_file(m_dir / "summary.json", "{}");
  fs::last_write_time(m_dir / "summary.json",
                      fs::file_time_type::clock::now() - std::chrono::hours(24 * 400));
  ASSERT_TRUE(commit("2026-11-30T11:00:00Z", "B", JournalInFolder::goes));
  Names names = names_in(m_dir / "history");
  auto entries = history_entries(std::vector<std::string>(names.begin(), names.end()));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(names_in(m_dir / "history" / entries[0]), Names{"summary.json"});
}

TEST_F(HistoryTest, ALinkAtHistoryIsRefusedAndNothingMoves) {
  fs::create_directory(m_tmp / "elsewhere");
  fs::create_directory_symlink(m_tmp / "elsewhere", m_dir / "history");
  put_report("2026-11-30T10:00:00Z", "A");
  History history(*m_folder, 30);
  auto checked = history.check();
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ExitCode::cant_create);
  EXPECT_EQ(checked.error().message,
            (m_dir / "history").string() +
                " is a symbolic link: the report folder's own files are never opened through one; "
                "remove it, or choose another --report-dir");
  auto s = history.keep_replaced(JournalInFolder::goes);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ExitCode::cant_create);
  EXPECT_EQ(names_in(m_tmp / "elsewhere"), Names{});
  EXPECT_EQ(read_file(m_dir / "success.csv"), "success A");
}

TEST_F(HistoryTest, AFileAtHistoryIsRefused) {
  write_file(m_dir / "history", "not a folder");
  auto checked = History(*m_folder, 30).check();
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ExitCode::cant_create);
}

}  // namespace
}  // namespace prospect_import
