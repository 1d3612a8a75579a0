#include "prospect_import/report.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prospect_import/csv_reader.h"
#include "test_util.h"

namespace prospect_import {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(test.begin(), test.end(), '/', '_');  // parameterised tests
    m_dir = std::filesystem::temp_directory_path() /
            ("report_test_" + std::to_string(::getpid()) + "_" + test);
    std::filesystem::remove_all(m_dir);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  const Folder& folder() {
    if (!m_folder) {
      auto opened = Folder::open(m_dir);
      if (!opened) throw std::runtime_error(opened.error().message);
      m_folder = *opened;
    }
    return *m_folder;
  }

  std::size_t files_in_folder() const {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(m_dir), {}));
  }

  std::filesystem::path m_dir;
  std::optional<Folder> m_folder;
};

TEST(Neutralise, FormulaLeadsGetAQuoteThatReadingRemoves) {
  for (std::string v : {"=1+1", "+81 3-1234", "-20%", "@handle", "\tx", "\rx", "'=x", "''@x"}) {
    EXPECT_EQ(neutralise(v), "'" + v);
    EXPECT_EQ(undo_neutralise(neutralise(v)), v);
  }
  for (std::string v : {"plain", "'quoted", "a=b", "", "'", "''"}) {
    EXPECT_EQ(neutralise(v), v);
    EXPECT_EQ(undo_neutralise(v), v);
  }
}

TEST(CsvCell, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_cell("plain"), "plain");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_cell(" padded "), "\" padded \"");
  EXPECT_EQ(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
}

// Long values are looked at eight bytes a step: each byte that needs quotes
// is found wherever it stands, and other bytes (below a space too) are not.
// Values are looked at eight bytes at a time, the last bytes as the word that
// ends the value: every length from 1 to 24, every place.
TEST(CsvCell, FindsWhatNeedsQuotesAtEveryPlaceOfValuesOfEveryLength) {
  for (std::size_t length = 1; length <= 24; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (char c : std::string_view(",\";\r\n\t")) {
        std::string v(length, 'x');
        v[at] = c;
        EXPECT_EQ(csv_cell(v).front(), '"') << "byte " << int(c) << " at " << at << "/" << length;
      }
      for (char c : std::string_view("\x01\x1f\x7f:|'\xe3\x80\x80", 9)) {
        std::string v(length, 'x');
        v[at] = c;
        EXPECT_EQ(csv_cell(v), v) << "byte " << int(c) << " at " << at << "/" << length;
      }
    }
  }
}

// A success line's values are copied as they are and then looked over at
// once: each must still come out as csv_cell writes it alone, whatever byte
// stands wherever in whichever value (a comma inside a value too, which the
// look-over tells from the separators only by counting them).
TEST(FormatSuccess, WritesEachCellAsCsvCellDoesWhateverTheValuesHold) {
  const std::string_view bytes(",\";\r\n\t '=+-@x\x01\x7f\xe3", 17);
  std::uint64_t state = 42;
  auto next = [&state](std::uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  for (int round = 0; round < 20000; ++round) {
    Values sent;
    for (auto& v : sent) {
      v.assign(next(3) == 0 ? 0 : next(40), 'a');
      // Mostly plain; in about one value in four, a byte of every kind somewhere.
      if (!v.empty() && next(4) == 0) v[next(v.size())] = bytes[next(bytes.size())];
    }
    SuccessRow row{7, SuccessStatus::created, "P1", "", "", &sent};
    std::string want = "7,created,P1,,";
    for (const auto& v : sent) want += "," + csv_cell(v);
    std::string got = "before:";
    ReportWriter::format_success(got, row);
    ASSERT_EQ(got, "before:" + want) << "round " << round;
  }
}

TEST_F(ReportTest, WritesBomCrlfHeadersAndRowsAtomically) {
  auto w = ReportWriter::open(folder());
  ASSERT_TRUE(w) << w.error().message;
  Values sent{"Acme", "a@acme.com", "https://acme.com", "", "", "", "=cmd", ""};
  (*w)->add_success(SuccessRow{2, SuccessStatus::created, "P-1", "556677", "Acme Media", &sent});
  Values read{"", "bob@", "acme.com", "", "", "", "", ""};
  (*w)->add_error(3, "Partner Name: is required; Contact Email: bad", read);
  EXPECT_FALSE(std::filesystem::exists(m_dir / "success.csv")) << "nothing in place before finish";
  Summary s;
  s.file = "in.csv";
  s.created = 1;
  s.invalid = 1;
  s.exit_code = 1;
  ASSERT_TRUE((*w)->finish(s));
  EXPECT_EQ(slurp(m_dir / "success.csv"),
            "\xEF\xBB\xBFRow,Status,Prospect ID,Matched Partner ID,Matched Partner Name,Partner "
            "Name,Contact Email,Media Property,Group Name,Contact First Name,Contact Last "
            "Name,Description,Partner ID\r\n"
            "2,created,P-1,556677,Acme Media,Acme,a@acme.com,https://acme.com,,,,'=cmd,\r\n");
  EXPECT_EQ(slurp(m_dir / "errors.csv"),
            "\xEF\xBB\xBFRow,Error,Partner Name,Contact Email,Media Property,Group Name,Contact "
            "First Name,Contact Last Name,Description,Partner ID\r\n"
            "3,\"Partner Name: is required; Contact Email: bad\",,bob@,acme.com,,,,,\r\n");
  auto j = nlohmann::json::parse(slurp(m_dir / "summary.json"));
  EXPECT_EQ(j["rows"], 2);
  EXPECT_EQ(j["succeeded"], 1);
  EXPECT_TRUE(j["program"].is_null());
  EXPECT_EQ(files_in_folder(), 3u) << "no temporary files left";
}

TEST_F(ReportTest, UnfinishedWriterLeavesTheOldReportAlone) {
  std::filesystem::create_directories(m_dir);
  std::ofstream(m_dir / "success.csv") << "old";
  {
    auto w = ReportWriter::open(folder());
    ASSERT_TRUE(w);
  }
  EXPECT_EQ(slurp(m_dir / "success.csv"), "old");
  EXPECT_EQ(files_in_folder(), 1u);
}

TEST_F(ReportTest, TemporariesLeftByAKilledRunAreReplaced) {
  std::filesystem::create_directories(m_dir);
  for (const char* name : {".success.csv.tmp", ".errors.csv.tmp", ".summary.json.tmp"}) {
    testing::write_file(m_dir / name, "stale");
  }
  auto w = ReportWriter::open(folder());
  ASSERT_TRUE(w) << w.error().message;
  ASSERT_TRUE((*w)->finish(Summary{}));
  EXPECT_EQ(slurp(m_dir / "success.csv").substr(0, 8), "\xEF\xBB\xBFRow,S");
  EXPECT_EQ(slurp(m_dir / "summary.json").substr(0, 2), "{\n");
  EXPECT_EQ(files_in_folder(), 3u) << "no temporary files left";
}

TEST_F(ReportTest, EveryReportFileIs0600) {
  testing::ScopedUmask umask(022);
  auto w = ReportWriter::open(folder());
  ASSERT_TRUE(w);
  for (const char* name : {".success.csv.tmp", ".errors.csv.tmp", ".summary.json.tmp"}) {
    EXPECT_EQ(testing::mode_of(m_dir / name), 0600u) << name;
  }
  ASSERT_TRUE((*w)->finish(Summary{}));
  for (const char* name : {"success.csv", "errors.csv", "summary.json"}) {
    EXPECT_EQ(testing::mode_of(m_dir / name), 0600u) << name;
  }
}

// Someone who can write in the folder links a name the report uses to a file
// of ours: the writer refuses before writing anything, naming the link.
class LinkAtAReportName : public ReportTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(LinkAtAReportName, IsRefusedAndItsTargetLeftAlone) {
  testing::TempDir elsewhere;
  auto victim = elsewhere / "victim";
  testing::write_file(victim, "precious");
  std::filesystem::create_directories(m_dir);
  std::filesystem::create_symlink(victim, m_dir / GetParam());
  auto w = ReportWriter::open(folder());
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, ExitCode::cant_create);
  EXPECT_EQ(w.error().message,
            (m_dir / GetParam()).string() +
                " is a symbolic link: the report folder's own files are never opened through "
                "one; remove it, or choose another --report-dir");
  EXPECT_EQ(slurp(victim), "precious");
  EXPECT_TRUE(std::filesystem::is_symlink(m_dir / GetParam()));
  EXPECT_EQ(files_in_folder(), 1u) << "no temporary file left behind";
}

INSTANTIATE_TEST_SUITE_P(Names, LinkAtAReportName,
                         ::testing::Values(".success.csv.tmp", ".errors.csv.tmp",
                                           ".summary.json.tmp", "success.csv", "errors.csv",
                                           "summary.json"),
                         [](const auto& p) {
                           std::string n = p.param;
                           for (char& c : n)
                             c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return n;
                         });

TEST_F(ReportTest, ErrorsCsvReadsBackToTheSameValues) {
  auto w = ReportWriter::open(folder());
  ASSERT_TRUE(w);
  Values read{"  Acme, Inc. ", "=bad", "say \"x\"", "'@home", "two\nlines", "", "-20%", "12a"};
  (*w)->add_error(7, "whatever", read);
  ASSERT_TRUE((*w)->finish(Summary{}));
  std::ifstream in(m_dir / "errors.csv", std::ios::binary);
  CsvReader reader(make_decoder(in, EncodingRequest{}), '\0');
  Record r;
  ASSERT_TRUE(reader.next(r));
  ASSERT_TRUE(reader.next(r));
  ASSERT_EQ(r.fields.size(), 10u);
  for (std::size_t i = 0; i < k_column_count; ++i) {
    EXPECT_EQ(undo_neutralise(r.fields[i + 2]), read[i]) << "column " << i;
  }
}

}  // namespace
}  // namespace prospect_import
