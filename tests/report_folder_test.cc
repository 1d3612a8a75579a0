#include "prospect_import/report_folder.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <istream>

#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using testing::mode_of;
using testing::read_file;
using testing::ScopedUmask;
using testing::TempDir;
using testing::write_file;

std::string link_message(const fs::path& link) {
  return link.string() +
         " is a symbolic link: the report folder's own files are never opened through one; "
         "remove it, or choose another --report-dir";
}

Folder open_folder(const fs::path& dir) {
  auto folder = Folder::open(dir);
  if (!folder) throw std::runtime_error(folder.error().message);
  return *folder;
}

// A folder with a file `victim` outside it that a planted link points to.
class FolderTest : public ::testing::Test {
 protected:
  void SetUp() override { write_file(m_victim, "precious"); }
  void plant_link(const std::string& name) { fs::create_symlink(m_victim, m_tmp / "r" / name); }
  void expect_victim_untouched() { EXPECT_EQ(read_file(m_victim), "precious"); }

  TempDir m_tmp;
  fs::path m_victim = m_tmp / "victim";
  Folder m_folder = open_folder(m_tmp / "r");
};

TEST(Folder, IsCreatedWithItsMissingParents0700) {
  ScopedUmask umask(022);
  TempDir tmp;
  open_folder(tmp / "a/b");
  EXPECT_EQ(mode_of(tmp / "a"), 0700u);
  EXPECT_EQ(mode_of(tmp / "a/b"), 0700u);
}

TEST(Folder, AnExistingFolderKeepsItsMode) {
  TempDir tmp;
  fs::create_directory(tmp / "r");
  fs::permissions(tmp / "r", fs::perms(0750));
  open_folder(tmp / "r");
  EXPECT_EQ(mode_of(tmp / "r"), 0750u);
}

// The user may point --report-dir at a link: that one link is followed.
TEST(Folder, MayItselfBeALinkTheUserChose) {
  TempDir tmp;
  fs::create_directory(tmp / "real");
  fs::create_directory_symlink(tmp / "real", tmp / "r");
  ASSERT_TRUE(open_folder(tmp / "r").create("f", Access::write_only));
  EXPECT_TRUE(fs::exists(tmp / "real/f"));
}

TEST(Folder, ThatCannotBeCreatedIs73) {
  TempDir tmp;
  write_file(tmp / "file", "x");
  auto folder = Folder::open(tmp / "file/sub");
  ASSERT_FALSE(folder);
  EXPECT_EQ(folder.error().code, ExitCode::cant_create);
  EXPECT_EQ(folder.error().message, "cannot create the report folder " +
                                        (tmp / "file/sub").string() +
                                        ": Not a directory; choose another with --report-dir");
}

TEST_F(FolderTest, CreatedFilesAre0600) {
  ScopedUmask umask(022);
  ASSERT_TRUE(m_folder.create("f", Access::write_only));
  ASSERT_TRUE(m_folder.open_or_create("g"));
  EXPECT_EQ(mode_of(m_tmp / "r/f"), 0600u);
  EXPECT_EQ(mode_of(m_tmp / "r/g"), 0600u);
}

TEST_F(FolderTest, AStricterUmaskIsHonoured) {
  ScopedUmask umask(0377);
  ASSERT_TRUE(m_folder.create("f", Access::write_only));
  EXPECT_EQ(mode_of(m_tmp / "r/f"), 0400u);
}

TEST_F(FolderTest, CreateReplacesARegularFile) {
  write_file(m_tmp / "r/f.tmp", "stale");
  auto fd = m_folder.create("f.tmp", Access::write_only);
  ASSERT_TRUE(fd) << fd.error().message;
  EXPECT_EQ(read_file(m_tmp / "r/f.tmp"), "");
}

TEST_F(FolderTest, CreateRefusesALinkAndLeavesIt) {
  plant_link("f.tmp");
  auto fd = m_folder.create("f.tmp", Access::write_only);
  ASSERT_FALSE(fd);
  EXPECT_EQ(fd.error().code, ExitCode::cant_create);
  EXPECT_EQ(fd.error().message, link_message(m_tmp / "r/f.tmp"));
  expect_victim_untouched();
  EXPECT_TRUE(fs::is_symlink(m_tmp / "r/f.tmp")) << "refused, not removed";
}

TEST_F(FolderTest, CreateRefusesAFolder) {
  fs::create_directory(m_tmp / "r/f.tmp");
  auto fd = m_folder.create("f.tmp", Access::write_only);
  ASSERT_FALSE(fd);
  EXPECT_EQ(fd.error().message,
            (m_tmp / "r/f.tmp").string() +
                " is not a regular file: remove it, or choose another --report-dir");
}

TEST_F(FolderTest, EveryOpenRefusesALink) {
  plant_link("f");
  for (const auto& opened :
       {m_folder.open_to_read("f"), m_folder.open_to_write("f"), m_folder.open_or_create("f")}) {
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().message, link_message(m_tmp / "r/f"));
  }
  auto replaceable = m_folder.check_replaceable("f");
  ASSERT_FALSE(replaceable);
  EXPECT_EQ(replaceable.error().message, link_message(m_tmp / "r/f"));
  expect_victim_untouched();
}

TEST_F(FolderTest, OpenToReadOfNothingIsNoFileAndNoError) {
  auto fd = m_folder.open_to_read("journal");
  ASSERT_TRUE(fd);
  EXPECT_FALSE(*fd);
}

// A FIFO would make a plain open wait for a writer forever.
TEST_F(FolderTest, AFifoIsRefusedAtOnce) {
  ASSERT_EQ(::mkfifo((m_tmp / "r/journal").c_str(), 0600), 0);
  auto fd = m_folder.open_to_read("journal");
  ASSERT_FALSE(fd);
  EXPECT_EQ(fd.error().message,
            (m_tmp / "r/journal").string() +
                " is not a regular file: remove it, or choose another --report-dir");
}

TEST_F(FolderTest, RenameReplacesALinkItselfNotItsTarget) {
  plant_link("summary.json");
  write_file(m_tmp / "r/new", "report");
  ASSERT_TRUE(m_folder.rename("new", "summary.json"));
  EXPECT_EQ(read_file(m_tmp / "r/summary.json"), "report");
  expect_victim_untouched();
}

TEST_F(FolderTest, AReadBufferSeeksBackToTheStart) {
  write_file(m_tmp / "r/f", "hello world");
  auto fd = m_folder.open_to_read("f");
  ASSERT_TRUE(fd);
  FdReadBuffer buffer(std::move(*fd));
  std::istream in(&buffer);
  std::string word;
  in >> word;
  EXPECT_EQ(std::streamoff(in.tellg()), 5);
  in.seekg(0);
  std::getline(in, word);
  EXPECT_EQ(word, "hello world");
}

TEST_F(FolderTest, ReportFolderRefusesALockThatIsALink) {
  plant_link(".lock");
  auto folder = ReportFolder::open(m_tmp / "r");
  ASSERT_FALSE(folder);
  EXPECT_EQ(folder.error().code, ExitCode::cant_create);
  EXPECT_EQ(folder.error().message, link_message(m_tmp / "r/.lock"));
  expect_victim_untouched();
}

TEST_F(FolderTest, ReportFolderLockIs0600AndRefusesASecondRun) {
  ScopedUmask umask(022);
  auto first = ReportFolder::open(m_tmp / "r");
  ASSERT_TRUE(first);
  EXPECT_EQ(mode_of(m_tmp / "r/.lock"), 0600u);
  auto second = ReportFolder::open(m_tmp / "r");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().message, "another prospect-import (pid " + std::to_string(::getpid()) +
                                        ") is using the report folder " + (m_tmp / "r").string() +
                                        "; wait for it to finish, or choose another --report-dir");
}

TEST_F(FolderTest, ReportFolderRefusesAJournalThatIsALink) {
  plant_link("journal");
  auto folder = ReportFolder::open(m_tmp / "r");
  ASSERT_TRUE(folder);
  auto journal = (*folder)->read_journal();
  ASSERT_FALSE(journal);
  EXPECT_EQ(journal.error().code, ExitCode::cant_create);
  EXPECT_EQ(journal.error().message, link_message(m_tmp / "r/journal"));
}

}  // namespace
}  // namespace prospect_import
