#include "prospect_import/input.h"

#include <gtest/gtest.h>

#include <csignal>
#include <sstream>

#include "prospect_import/journal.h"
#include "test_util.h"

namespace prospect_import {
namespace {

using testing::TempDir;

std::string read_all(std::istream& in) {
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Folder folder_of(const TempDir& dir) {
  auto folder = Folder::open(dir.path());
  if (!folder) throw std::runtime_error(folder.error().message);
  return *folder;
}

std::string sha256_text(const std::string& s) {
  std::istringstream in(s);
  return *sha256_of(in);
}

TEST(Input, StandardInputIsSpooledHashedAndReadAgain) {
  testing::ScopedUmask umask(022);
  TempDir dir;
  std::string csv =
      "Partner Name,Contact Email,Media Property\nA,a@example.com,https://a.example\n";
  std::istringstream stdin_stream(csv);
  Input input(stdin_stream);
  ASSERT_TRUE(input.open("-"));
  EXPECT_EQ(read_all(input.first_pass(FirstPassSettings{folder_of(dir), 1 << 20, nullptr})), csv);
  auto hash = input.finish_first_pass();
  ASSERT_TRUE(hash);
  EXPECT_EQ(*hash, sha256_text(csv));
  auto again = input.second_pass();
  ASSERT_TRUE(again);
  EXPECT_EQ(read_all(**again), csv);
  EXPECT_EQ(testing::mode_of(dir / ".input.csv"), 0600u) << "it holds personal data";
}

TEST(Input, TheHashCoversWhatTheFirstReaderLeft) {
  TempDir dir;
  testing::write_file(dir / "p.csv", "header\nrow\n");
  std::istringstream none;
  Input input(none);
  ASSERT_TRUE(input.open((dir / "p.csv").string()));
  std::istream& first = input.first_pass(FirstPassSettings{folder_of(dir), 1 << 20, nullptr});
  first.get();  // a reader that stops early
  EXPECT_EQ(*input.finish_first_pass(), sha256_text("header\nrow\n"));
  EXPECT_FALSE(std::filesystem::exists(dir / ".input.csv")) << "a regular file is not copied";
}

TEST(Input, StandardInputOverItsLimitIs65AndItsCopyIsRemoved) {
  TempDir dir;
  std::istringstream stdin_stream(std::string(3 << 20, 'x'));
  {
    Input input(stdin_stream);
    ASSERT_TRUE(input.open("-"));
    read_all(input.first_pass(FirstPassSettings{folder_of(dir), 1 << 20, nullptr}));
    auto hash = input.finish_first_pass();
    ASSERT_FALSE(hash);
    EXPECT_EQ(hash.error().code, ExitCode::data_error);
    EXPECT_EQ(describe(hash.error(), "-"),
              "standard input: more than 1 MiB arrived (--max-input-size): is it really a "
              "prospects CSV? Pass a "
              "larger --max-input-size, or a regular file");
  }
  EXPECT_FALSE(std::filesystem::exists(dir / ".input.csv"));
}

TEST(Input, AStopEndsTheReadingWith143) {
  TempDir dir;
  std::istringstream stdin_stream(std::string(1 << 20, 'x'));
  StopFlag stop{SIGTERM};
  Input input(stdin_stream);
  ASSERT_TRUE(input.open("-"));
  EXPECT_EQ(read_all(input.first_pass(FirstPassSettings{folder_of(dir), 1 << 30, &stop})), "");
  auto hash = input.finish_first_pass();
  ASSERT_FALSE(hash);
  EXPECT_EQ(hash.error().code, ExitCode::terminated);
  EXPECT_EQ(hash.error().message, "stopped by SIGTERM while reading the input");
}

TEST(Input, ASymlinkWhereTheSpoolGoesIsRefused) {
  TempDir dir;
  testing::write_file(dir / "victim", "keep");
  std::filesystem::create_symlink(dir / "victim", dir / ".input.csv");
  std::istringstream stdin_stream("a,b\n");
  Input input(stdin_stream);
  ASSERT_TRUE(input.open("-"));
  read_all(input.first_pass(FirstPassSettings{folder_of(dir), 1 << 20, nullptr}));
  auto hash = input.finish_first_pass();
  ASSERT_FALSE(hash);
  EXPECT_EQ(hash.error().code, ExitCode::cant_create);
  EXPECT_EQ(hash.error().message,
            (dir / ".input.csv").string() +
                " is a symbolic link: the report folder's own files are never opened "
                "through one; remove it, or choose another --report-dir");
  EXPECT_EQ(testing::read_file(dir / "victim"), "keep");
  EXPECT_TRUE(std::filesystem::is_symlink(dir / ".input.csv")) << "refused, not removed";
}

TEST(Input, ASpoolLeftByAKilledRunIsReplaced) {
  TempDir dir;
  testing::write_file(dir / ".input.csv", "left by a kill\n");
  std::istringstream stdin_stream("a,b\n");
  {
    Input input(stdin_stream);
    ASSERT_TRUE(input.open("-"));
    read_all(input.first_pass(FirstPassSettings{folder_of(dir), 1 << 20, nullptr}));
    ASSERT_TRUE(input.finish_first_pass());
    auto again = input.second_pass();
    ASSERT_TRUE(again);
    EXPECT_EQ(read_all(**again), "a,b\n");
  }
  EXPECT_FALSE(std::filesystem::exists(dir / ".input.csv")) << "removed with the input";
}

}  // namespace
}  // namespace prospect_import
