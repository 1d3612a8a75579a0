#include "prospect_import/resume.h"

#include <gtest/gtest.h>

namespace prospect_import {
namespace {

const InputReading k_read{"UTF-8", ",", "", "1,2,3,-,-,-,-,-"};

JournalHeader ours() {
  return JournalHeader{"hash-a", "1001", "IRsandbox0001", false, "p.csv", false, "", k_read};
}

JournalContents unfinished(JournalHeader h = ours()) {
  JournalContents c;
  c.header = std::move(h);
  c.done.put(JournalEntry{2, Fate::created, "P-1", "", "", ""});
  return c;
}

TEST(ResumeDecision, NoJournalOrAFinishedOneIsAFreshStart) {
  auto none = decide_resume(std::nullopt, ours(), Continuation::resume, false, "r");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto finished = unfinished();
  finished.finished = true;
  auto d = decide_resume(finished, ours(), Continuation::none, false, "r");
  ASSERT_TRUE(d);
  EXPECT_FALSE(*d);
}

TEST(ResumeDecision, UnfinishedWithoutResumeIs73) {
  auto d = decide_resume(unfinished(), ours(), Continuation::none, false, "r");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ExitCode::cant_create);
  EXPECT_EQ(d.error().message,
            "the report folder r holds an unfinished import of p.csv (program 1001): pass "
            "--resume to continue it, --restart to discard it, or choose another --report-dir");
}

TEST(ResumeDecision, AJournalFromBeforeTheReadingWasKeptContinues) {
  JournalHeader old = ours();
  old.reading.reset();
  auto d = decide_resume(unfinished(old), ours(), Continuation::resume, false, "r");
  ASSERT_TRUE(d);
  EXPECT_TRUE(*d);
}

TEST(ResumeDecision, SameImportContinues) {
  auto d = decide_resume(unfinished(), ours(), Continuation::resume, false, "r");
  ASSERT_TRUE(d);
  ASSERT_TRUE(*d);
  EXPECT_EQ((*d)->done.size(), 1u);
}

TEST(ResumeDecision, AnotherImportIs2SayingHowItDiffers) {
  struct Case {
    JournalHeader theirs;
    std::string says;
  } cases[] = {
      {{"hash-b", "1001", "IRsandbox0001", false, "old.csv", false, "", k_read},
       "is of another file (old.csv, whose content differs)"},
      {{"hash-a", "1002", "IRsandbox0001", false, "p.csv", false, "", k_read},
       "is into program 1002, not 1001"},
      {{"hash-a", "1001", "IRother", false, "p.csv", false, "", k_read}, "is for account IRother"},
      {{"hash-a", "1001", "IRsandbox0001", true, "p.csv", false, "", k_read}, "is a dry run"},
      {{"hash-a", "1001", "IRsandbox0001", false, "p.csv", false, "",
        InputReading{"CP932", ",", "", k_read.columns}},
       "is read with encoding \"CP932\", not \"UTF-8\""},
      {{"hash-a", "1001", "IRsandbox0001", false, "p.csv", false, "",
        InputReading{"UTF-8", ";", "", k_read.columns}},
       "is read with delimiter \";\", not \",\""},
      {{"hash-a", "1001", "IRsandbox0001", false, "p.csv", false, "",
        InputReading{"", "", "Archive", k_read.columns}},
       "is read with sheet \"Archive\", not \"\""},
      {{"hash-a", "1001", "IRsandbox0001", false, "p.csv", false, "",
        InputReading{"UTF-8", ",", "", "1,4,3,-,-,-,-,-"}},
       "is read with other columns (the file's column of each template column was "
       "1,4,3,-,-,-,-,-, now 1,2,3,-,-,-,-,-): pass the --map it was started with"},
      {{"hash-a", "1001", "IRsandbox0001", false, "p.csv", true, "", k_read},
       "is one begun with --strict: pass --strict to continue it"},
  };
  for (const auto& c : cases) {
    auto d = decide_resume(unfinished(c.theirs), ours(), Continuation::resume, false, "r");
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, ExitCode::usage);
    EXPECT_EQ(d.error().message, "cannot resume: the unfinished import in r " + c.says +
                                     "; choose another --report-dir for this one");
  }
}

TEST(ResumeDecision, AStrictResumeOfAnImportBegunWithoutItIs2) {
  JournalHeader strict = ours();
  strict.strict = true;
  auto d = decide_resume(unfinished(), strict, Continuation::resume, false, "r");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ExitCode::usage);
  EXPECT_EQ(d.error().message,
            "cannot resume: the unfinished import in r is one begun without --strict: continue it "
            "without --strict; choose another --report-dir for this one");
}

TEST(ResumeDecision, RestartDiscardsAnUnfinishedImportOnlineAndOffline) {
  for (bool offline : {false, true}) {
    auto d = decide_resume(unfinished(), ours(), Continuation::restart, offline, "r");
    ASSERT_TRUE(d);
    EXPECT_FALSE(*d) << "a fresh start";
  }
}

TEST(ResumeDecision, OfflineDoesNotTouchAnUnfinishedImport) {
  auto d = decide_resume(unfinished(), JournalHeader{}, Continuation::resume, true, "r");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ExitCode::usage);
}

}  // namespace
}  // namespace prospect_import
