#include "prospect_import/report.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prospect_import/csv_reader.h"

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
    m_dir = std::filesystem::temp_directory_path() /
            ("report_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(m_dir);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  std::filesystem::path m_dir;
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

TEST_F(ReportTest, WritesBomCrlfHeadersAndRowsAtomically) {
  auto w = ReportWriter::open(m_dir);
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
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(m_dir), {}), 3)
      << "no temporary files left";
}

TEST_F(ReportTest, UnfinishedWriterLeavesTheOldReportAlone) {
  std::filesystem::create_directories(m_dir);
  std::ofstream(m_dir / "success.csv") << "old";
  {
    auto w = ReportWriter::open(m_dir);
    ASSERT_TRUE(w);
  }
  EXPECT_EQ(slurp(m_dir / "success.csv"), "old");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(m_dir), {}), 1);
}

TEST_F(ReportTest, UncreatableFolderIs73) {
  std::filesystem::create_directories(m_dir);
  std::ofstream(m_dir / "file") << "x";
  auto w = ReportWriter::open(m_dir / "file" / "sub");
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, ExitCode::cant_create);
  EXPECT_EQ(w.error().message.substr(0, 33), "cannot create the report folder /");
}

TEST_F(ReportTest, ErrorsCsvReadsBackToTheSameValues) {
  auto w = ReportWriter::open(m_dir);
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
