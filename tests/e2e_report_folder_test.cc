// End-to-end, a hostile neighbour: someone who can write in the report folder
// plants a symbolic link where the tool writes (`ln -s /tmp/victim r/.lock`).
// Every run refuses with 73 and a message naming the link, before any row is
// sent, and the file the link points to is left as it was. Also: the modes of
// what the tool creates, and a resume after a kill that left temporaries.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "sandbox_fixture.h"
#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using testing::mode_of;
using testing::read_file;
using testing::RunResult;
using testing::RunSpec;
using testing::Sandbox;
using testing::ScopedUmask;
using testing::TempDir;
using testing::write_file;

const fs::path k_input = fs::path(PI_SAMPLES_DIR) / "prospects.csv";  // 10 valid rows

std::map<std::string, std::string> online_env(const Sandbox& sandbox) {
  return {{"IMPACT_ACCOUNT_SID", "IRsandbox0001"},
          {"IMPACT_AUTH_TOKEN", "sandbox-token"},
          {"IMPACT_API_BASE", sandbox.base_url()},
          {"IMPACT_PROGRAM_ID", "1001"}};
}

// The sample on standard input, so that the tool keeps it in .input.csv.
RunResult import_online(const Sandbox& sandbox, const fs::path& report,
                        std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"-q", "--report-dir", report.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("-");
  return testing::run_binary(PI_BINARY, RunSpec{args, online_env(sandbox), k_input, {}});
}

RunResult import_offline(const fs::path& report) {
  return testing::run_binary(
      PI_BINARY,
      RunSpec{{"-q", "--offline", "--report-dir", report.string(), k_input.string()}, {}, {}, {}});
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.insert(entry.path().filename().string());
  return names;
}

// A report folder `r` whose entry GetParam() is a link to `victim`, outside it.
class PlantedLink : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    fs::create_directory(m_report);
    write_file(m_victim, "precious\n");
    fs::permissions(m_victim, fs::perms(0644));
    fs::create_symlink(m_victim, m_link);
  }

  void expect_refused(const RunResult& r) {
    EXPECT_EQ(r.exit_code, 73);
    EXPECT_EQ(
        r.err,
        "error: " + m_link.string() +
            " is a symbolic link: the report folder's own files are never opened through one; "
            "remove it, or choose another --report-dir\n");
    EXPECT_EQ(read_file(m_victim), "precious\n");
    EXPECT_EQ(mode_of(m_victim), 0644u);
    ASSERT_TRUE(fs::is_symlink(m_link)) << "refused, not removed";
    EXPECT_EQ(fs::read_symlink(m_link), m_victim);
  }

  TempDir m_tmp;
  fs::path m_report = m_tmp / "r";
  fs::path m_victim = m_tmp / "victim";
  fs::path m_link = m_report / GetParam();
};

class PlantedLinkOnline : public PlantedLink {};

TEST_P(PlantedLinkOnline, Is73BeforeAnyRowIsSent) {
  Sandbox sandbox;
  expect_refused(import_online(sandbox, m_report));
  EXPECT_EQ(sandbox.state()["prospects"].size(), 0u);
}

TEST_P(PlantedLinkOnline, Is73WithResumeToo) {
  Sandbox sandbox;
  expect_refused(import_online(sandbox, m_report, {"--resume"}));
  EXPECT_EQ(sandbox.state()["prospects"].size(), 0u);
}

std::string test_name(const ::testing::TestParamInfo<const char*>& p) {
  std::string n = p.param;
  std::replace_if(
      n.begin(), n.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return n;
}

INSTANTIATE_TEST_SUITE_P(Names, PlantedLinkOnline,
                         ::testing::Values(".lock", "journal", ".input.csv", ".success.csv.tmp",
                                           ".errors.csv.tmp", ".summary.json.tmp", "success.csv",
                                           "errors.csv", "summary.json", "history",
                                           ".journal.previous"),
                         test_name);

// Offline there is no spool, but the same files.
class PlantedLinkOffline : public PlantedLink {};

TEST_P(PlantedLinkOffline, Is73) { expect_refused(import_offline(m_report)); }

INSTANTIATE_TEST_SUITE_P(Names, PlantedLinkOffline,
                         ::testing::Values(".lock", "journal", ".success.csv.tmp",
                                           ".errors.csv.tmp", ".summary.json.tmp", "success.csv",
                                           "errors.csv", "summary.json", "history",
                                           ".journal.previous"),
                         test_name);

// A link planted where the duplicate check spills its keys is not followed
// either; that file is only a saving of memory, so the run goes on with the
// keys in memory, and says so.
TEST(ReportFolder, ALinkWhereTheKeysSpillIsLeftAndTheKeysStayInMemory) {
  TempDir tmp;
  fs::path report = tmp / "r";
  fs::path victim = tmp / "victim";
  fs::create_directory(report);
  write_file(victim, "precious\n");
  fs::create_symlink(victim, report / ".keys.tmp");
  auto r = testing::run_binary(
      PI_BINARY,
      RunSpec{{"--offline", "--groups-file", (fs::path(PI_SAMPLES_DIR) / "groups.txt").string(),
               "--report-dir", report.string(), k_input.string()},
              {},
              {},
              {}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err,
              ::testing::HasSubstr(
                  "the duplicate check keeps its keys in memory, which grows with the file: " +
                  (report / ".keys.tmp").string() + " is a symbolic link"));
  EXPECT_EQ(read_file(victim), "precious\n");
  EXPECT_TRUE(fs::is_symlink(report / ".keys.tmp"));
  EXPECT_EQ(read_file(report / "success.csv"),
            read_file(fs::path(PI_SAMPLES_DIR) / "expected/offline/prospects.success.csv"));
}

// The user may point --report-dir at a link: that one is followed.
TEST(ReportFolder, ThatIsItselfALinkIsFollowed) {
  TempDir tmp;
  fs::create_directory(tmp / "real");
  fs::create_directory_symlink(tmp / "real", tmp / "r");
  auto r = import_offline(tmp / "r");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(names_in(tmp / "real"),
            (std::set<std::string>{".lock", "errors.csv", "success.csv", "summary.json"}));
  EXPECT_TRUE(fs::is_symlink(tmp / "r"));
}

TEST(ReportFolder, FilesAre0600AndANewFolder0700) {
  ScopedUmask umask(022);  // the usual one, which would give 0644 and 0755
  TempDir tmp;
  Sandbox sandbox;
  auto online = import_online(sandbox, tmp / "new/r");
  ASSERT_EQ(online.exit_code, 0) << online.err;
  auto offline = import_offline(tmp / "offline");
  ASSERT_EQ(offline.exit_code, 0) << offline.err;
  for (const char* dir : {"new", "new/r", "offline"}) EXPECT_EQ(mode_of(tmp / dir), 0700u) << dir;
  EXPECT_EQ(names_in(tmp / "new/r"), (std::set<std::string>{".lock", "errors.csv", "journal",
                                                            "success.csv", "summary.json"}));
  for (const auto& name : names_in(tmp / "new/r"))
    EXPECT_EQ(mode_of(tmp / "new/r" / name), 0600u) << name;
  for (const auto& name : names_in(tmp / "offline"))
    EXPECT_EQ(mode_of(tmp / "offline" / name), 0600u) << name;
}

// A run stopped while it wrote its report leaves temporaries, and its input's
// spool, behind: the next run removes them and --resume finishes the import.
TEST(ReportFolder, TemporariesOfAKilledRunAreRemovedAndResumeFinishes) {
  TempDir tmp;
  Sandbox sandbox;
  auto report = tmp / "r";
  // Files may not grow past 700 bytes: the journal fills up after a few rows, unfinished.
  auto full = testing::run_binary(
      "/usr/bin/prlimit",
      RunSpec{{"--fsize=700", PI_BINARY, "-q", "--report-dir", report.string(), k_input.string()},
              online_env(sandbox),
              {},
              {}});
  ASSERT_EQ(full.exit_code, 74) << full.err;
  ASSERT_LT(sandbox.state()["prospects"].size(), 10u);
  for (const char* name :
       {".success.csv.tmp", ".errors.csv.tmp", ".summary.json.tmp", ".input.csv"}) {
    write_file(report / name, "left by a kill\n");
  }
  auto resumed = import_online(sandbox, report, {"--resume"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(sandbox.state()["prospects"].size(), 10u) << "every row once";
  EXPECT_EQ(names_in(report), (std::set<std::string>{".lock", "errors.csv", "journal",
                                                     "success.csv", "summary.json"}));
  auto summary = nlohmann::json::parse(read_file(report / "summary.json"));
  EXPECT_EQ(summary["rows"], 10);
  EXPECT_EQ(summary["created"], 10);
}

}  // namespace
}  // namespace prospect_import
