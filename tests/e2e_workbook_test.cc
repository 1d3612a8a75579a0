// End-to-end, issue 9's workbooks and CRM exports: the real binary reads an
// .xlsx (from a file and from a pipe) and a CRM export through --map-file,
// and what reaches the sandbox is compared byte for byte; files that are not
// tables are refused with the way out; a resume with another map is refused.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <nlohmann/json.hpp>
#include <thread>

#include "report_reader.h"
#include "sandbox_fixture.h"
#include "test_util.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using testing::read_file;
using testing::read_report;
using testing::RunResult;
using testing::RunSpec;
using testing::Sandbox;
using testing::TempDir;
using testing::write_file;

const fs::path k_xlsx = PI_XLSX_DIR;
using Env = std::map<std::string, std::string>;

Env credentials(const Sandbox& s) {
  return {{"IMPACT_ACCOUNT_SID", "IRsandbox0001"},
          {"IMPACT_AUTH_TOKEN", "sandbox-token"},
          {"IMPACT_PROGRAM_ID", "1001"},
          {"IMPACT_API_BASE", s.base_url()}};
}

RunResult run(std::vector<std::string> args, Env env = {}, std::optional<fs::path> in = {}) {
  return testing::run_binary(PI_BINARY, RunSpec{std::move(args), std::move(env), in, {}});
}

std::string field(const json& prospect, const std::string& name) {
  const auto& f = prospect["fields"];
  return f.contains(name) ? f[name].get<std::string>() : "";
}

// Each prospect on the server as "PartnerName|ContactEmail|MediaPropertyUrl|
// ContactFirstName|ContactLastName|Description|PartnerId", in creation order.
std::vector<std::string> sent(const Sandbox& s) {
  std::vector<std::string> r;
  const json state = s.state();  // kept: a range-for over a temporary's member dangles
  for (const auto& p : state["prospects"]) {
    std::string line;
    for (const char* f : {"PartnerName", "ContactEmail", "MediaPropertyUrl", "ContactFirstName",
                          "ContactLastName", "Description", "PartnerId"})
      line += (line.empty() ? "" : "|") + field(p, f);
    r.push_back(line);
  }
  std::sort(r.begin(), r.end());
  return r;
}

// The workbooks' first sheet as the API must receive it (trimmed, the URL
// normalised, numbers as typed), sorted.
const std::vector<std::string> k_workbook_sent = {
    "Acme Média|ops@acme.example|https://acme.example/blog|||3.14|987654321",
    "Empty Cells Ltd|hello@empty.example|https://empty.example||||",
    "Gap Row GmbH|kontakt@gap.example|https://gap.example|||0.1|42",
    "Tiny Float SA|tiny@float.example|https://float.example|||1e-07|123456789012",
    "スペース|space@sample.co.jp|https://space.example|||改行\nあり|",
    "株式会社サンプル|info@sample.co.jp|https://"
    "sample.co.jp|太郎|山田|日本語のブログ「旅と食」|12345",
};

TEST(Workbook, XlsxWithJapaneseTextAndPartnerIdsReachesTheApiAsTyped) {
  Sandbox sandbox;
  TempDir tmp;
  auto r =
      run({"--report-dir", (tmp / "r").string(), (k_xlsx / "prospects-excel-ja.xlsx").string()},
          credentials(sandbox));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("reading " + (k_xlsx / "prospects-excel-ja.xlsx").string() +
                               " (sheet \"見込み客\" of an .xlsx workbook)\n"));
  EXPECT_EQ(sent(sandbox), k_workbook_sent);
  auto success = read_report(tmp / "r/success.csv");
  ASSERT_EQ(success.size(), 6u);
  EXPECT_EQ(success[0].at("Row"), "2");
  EXPECT_EQ(success[3].at("Row"), "7") << "the sheet's own row numbers";
  EXPECT_EQ(success[0].at("Partner ID"), "12345");
}

TEST(Workbook, FromAPipeTheWorkbookIsSpooledAndTheSecondSheetChosen) {
  Sandbox sandbox;
  TempDir tmp;
  std::string cmd = "cat '" + (k_xlsx / "prospects-openpyxl.xlsx").string() + "' | '" + PI_BINARY +
                    "' --sheet Archive --report-dir '" + (tmp / "r").string() + "' -";
  auto r = testing::run_binary("/bin/sh", RunSpec{{"-c", cmd}, credentials(sandbox), {}, {}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sent(sandbox), (std::vector<std::string>{
                               "Old Partner|old@archive.example|https://archive.example||||",
                               "Older Partner|older@archive.example|https://older.example||||7"}));
  EXPECT_FALSE(fs::exists(tmp / "r/.input.csv")) << "the spool goes with the run";

  TempDir offline;
  auto o = run({"--offline", "--report-dir", (offline / "r").string(), "-"}, {},
               k_xlsx / "prospects-openpyxl.xlsx");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(read_report(offline / "r/success.csv").size(), 6u);
}

TEST(Workbook, AnUnknownSheetIs65AndListsTheSheets) {
  TempDir tmp;
  auto r = run({"--offline", "--sheet", "Leads", "--report-dir", (tmp / "r").string(),
                (k_xlsx / "prospects-openpyxl.xlsx").string()});
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.err, "error: " + (k_xlsx / "prospects-openpyxl.xlsx").string() +
                       ": the workbook has no sheet \"Leads\"; its sheets are \"Prospects\", "
                       "\"Archive\" (--sheet NAME chooses one)\n");
}

TEST(Workbook, FilesThatAreNotTablesAreRefusedWithTheWayOut) {
  TempDir tmp;
  write_file(tmp / "old.xls",
             std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0'));
  write_file(tmp / "report.pdf", "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n");
  write_file(tmp / "logo.csv", "\x89PNG\r\n\x1A\n" + std::string(40, '\0'));
  write_file(tmp / "data.bin", std::string("Partner Name\0\0\0\x01\x02,x\0\0", 19));
  const std::pair<fs::path, std::string> cases[] = {
      {tmp / "old.xls", "an Excel 97-2003 workbook (.xls)"},
      {tmp / "report.pdf", "a PDF document"},
      {tmp / "logo.csv", "a PNG image"},
      {tmp / "data.bin", "binary data (it holds NUL bytes)"},
      {k_xlsx / "spreadsheet.ods", "an OpenDocument spreadsheet (.ods)"},
      {k_xlsx / "spreadsheet.numbers", "an Apple Numbers spreadsheet (.numbers)"},
      {k_xlsx / "archive.zip", "a zip archive (unzip it and import the CSV inside)"},
  };
  for (const auto& [file, what] : cases) {
    auto r = run({"--offline", "--report-dir", (tmp / "r").string(), file.string()});
    EXPECT_EQ(r.exit_code, 65) << file;
    EXPECT_EQ(r.err, "error: " + file.string() + ": this is " + what +
                         ", not a CSV file: save it as CSV UTF-8 or .xlsx\n");
  }
  Sandbox sandbox;
  auto online = run({"--report-dir", (tmp / "online").string(), (tmp / "old.xls").string()},
                    credentials(sandbox));
  EXPECT_EQ(online.exit_code, 65);
  EXPECT_EQ(sandbox.state()["counters"]["requests"], 0) << "refused before any request";
}

TEST(Workbook, ABombIsRefusedAt65) {
  TempDir tmp;
  for (const char* file : {"bomb-ratio.xlsx", "doctype-entities.xlsx", "lying-size.xlsx"}) {
    auto r = run({"--offline", "--report-dir", (tmp / "r").string(), (k_xlsx / file).string()});
    EXPECT_EQ(r.exit_code, 65) << file << r.err;
  }
}

// A CRM export: none of its headers is the template's or a known other name.
constexpr const char* k_crm_export =
    "Account,Primary Contact Email,Homepage Link,Owner,Segment\r\n"
    "Médias Frères,contact@medias-freres.example,medias-freres.example,Anne,Bloggers\r\n"
    "北海道フーズ,info@hokkaido-foods.example,https://hokkaido-foods.example,Ken,\r\n"
    "Broken Row,not-an-email,https://broken.example,Sam,\r\n";

constexpr const char* k_crm_map =
    "# CRM export -> the import template\n"
    "Partner Name=Account\n"
    "Contact Email=Primary Contact Email\n"
    "Media Property=Homepage Link\n"
    "Group Name=Segment\n";

TEST(CrmExport, MapFileTakesItsColumnsAndErrorsCsvReimportsWithoutTheMap) {
  Sandbox sandbox;
  TempDir tmp;
  write_file(tmp / "crm.csv", k_crm_export);
  write_file(tmp / "map.txt", k_crm_map);
  auto r = run({"--map-file", (tmp / "map.txt").string(), "--report-dir", (tmp / "r").string(),
                (tmp / "crm.csv").string()},
               credentials(sandbox));
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("ignoring columns that are not in the template: \"Owner\"\n"));
  EXPECT_EQ(sent(sandbox),
            (std::vector<std::string>{
                "Médias Frères|contact@medias-freres.example|https://medias-freres.example||||",
                "北海道フーズ|info@hokkaido-foods.example|https://hokkaido-foods.example||||"}));
  const json state = sandbox.state();
  for (const auto& p : state["prospects"]) {
    if (field(p, "PartnerName") == "Médias Frères") {
      EXPECT_NE(field(p, "GroupId"), "");
    }
  }
  std::string errors = read_file(tmp / "r/errors.csv");
  EXPECT_THAT(errors, HasSubstr("Row,Error,Partner Name,Contact Email,Media Property,Group Name,"))
      << "the template's columns, not the export's";
  write_file(tmp / "fixed.csv", errors);
  auto again =
      run({"--offline", "--report-dir", (tmp / "again").string(), (tmp / "fixed.csv").string()});
  EXPECT_EQ(again.exit_code, 1) << again.err;  // the email is still wrong, but the file reads
  EXPECT_THAT(again.err, HasSubstr("fixed.csv:2: Contact Email: \"not-an-email\""));
}

TEST(CrmExport, AMapNamingAColumnTheFileLacksIs65AndBadSyntaxIs2) {
  TempDir tmp;
  write_file(tmp / "crm.csv", k_crm_export);
  auto absent = run({"--offline", "--map", "Partner Name=Company", "--report-dir",
                     (tmp / "r").string(), (tmp / "crm.csv").string()});
  EXPECT_EQ(absent.exit_code, 65);
  EXPECT_THAT(absent.err, HasSubstr(":1: --map \"Partner Name=Company\": the file has no column "
                                    "\"Company\" (the header has \"Account\", "));
  auto bad = run({"--offline", "--map", "Partner=Account", "--report-dir", (tmp / "r").string(),
                  (tmp / "crm.csv").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("error: --map: \"Partner\" is not a column of the template"));
  auto missing =
      run({"--offline", "--report-dir", (tmp / "r").string(), (tmp / "crm.csv").string()});
  EXPECT_EQ(missing.exit_code, 65);
  EXPECT_THAT(missing.err, HasSubstr("did you mean \"Primary Contact Email\" for Contact Email"));
}

TEST(CrmExport, AliasesAreTakenWhenUnambiguousAndSaidSo) {
  TempDir tmp;
  write_file(tmp / "crm.csv", "Company,E-mail,Website\nAcme,a@acme.example,acme.example\n");
  auto r = run({"--offline", "--report-dir", (tmp / "r").string(), (tmp / "crm.csv").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("reading columns by their other names: \"Company\" as Partner Name, "
                               "\"E-mail\" as Contact Email, \"Website\" as Media Property (--map "
                               "sets them)\n"));
}

// Outcome records in the journal so far.
std::size_t outcomes_in(const fs::path& journal) {
  std::string text = fs::exists(journal) ? read_file(journal) : "";
  std::size_t n = 0;
  for (std::size_t at = 0; (at = text.find("\"fate\":", at)) != std::string::npos; ++at) ++n;
  return n;
}

TEST(CrmExport, AResumeWithAnotherMapIsRefusedWith2) {
  Sandbox sandbox{{"--latency-ms", "40"}};
  TempDir tmp;
  std::string csv = "Company,Email,Website,Billing Email\n";
  for (int i = 0; i < 60; ++i) {
    std::string n = std::to_string(i);
    csv += "Partner " + n + ",p" + n + "@example.com,https://p" + n + ".example,b" + n +
           "@example.com\n";
  }
  write_file(tmp / "crm.csv", csv);
  auto env = testing::base_environment();
  for (const auto& [k, v] : credentials(sandbox)) env[k] = v;
  std::vector<std::string> first{
      "--map",        "Contact Email=Email", "--concurrency",           "1",
      "--report-dir", (tmp / "r").string(),  (tmp / "crm.csv").string()};
  {
    testing::ChildProcess tool(
        testing::ChildProcess::Spec{PI_BINARY, first, env, tmp / "out", tmp / "err"});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (outcomes_in(tmp / "r/journal") < 3 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    tool.signal(SIGKILL);
    tool.wait(std::chrono::seconds(5));
  }
  ASSERT_GE(outcomes_in(tmp / "r/journal"), 3u);
  // The request in flight at the kill still lands (40 ms of latency): count after it.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  std::size_t before = sandbox.state()["prospects"].size();
  auto other = run({"--resume", "--map", "Contact Email=Billing Email", "--report-dir",
                    (tmp / "r").string(), (tmp / "crm.csv").string()},
                   credentials(sandbox));
  EXPECT_EQ(other.exit_code, 2) << other.err;
  EXPECT_THAT(
      other.err,
      HasSubstr("cannot resume: the unfinished import in " + (tmp / "r").string() +
                " is read with other columns (the file's column of each template column "
                "was 1,2,3,-,-,-,-,-, now 1,4,3,-,-,-,-,-): pass the --map it was started with"));
  EXPECT_EQ(sandbox.state()["prospects"].size(), before) << "nothing more sent";
  auto same = run({"--resume", "--map", "Contact Email=Email", "--report-dir", (tmp / "r").string(),
                   (tmp / "crm.csv").string()},
                  credentials(sandbox));
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(sandbox.state()["prospects"].size(), 60u);
}

}  // namespace
}  // namespace prospect_import
