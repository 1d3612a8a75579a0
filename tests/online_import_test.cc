// The online import's orchestration driven through its seams: a fake HTTP
// client playing the API, a fake clock and sleeper, a stop flag set by the
// test instead of a signal. No sandbox, no sockets, no real waiting.

#include "prospect_import/online_import.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <fstream>
#include <map>
#include <sstream>

#include "fake_http.h"
#include "prospect_import/csv_reader.h"
#include "prospect_import/encoding.h"
#include "prospect_import/ledger.h"
#include "test_util.h"

namespace prospect_import {
namespace {

using namespace std::chrono_literals;
using testing::FakeAnswer;
using testing::FakeClock;
using testing::FakeHttp;
using ::testing::HasSubstr;
using testing::TempDir;

// The API as the test's fake client plays it: the program's groups, and
// prospects created once per Contact Email (a repeat is a 409 with its id).
class FakeApi {
 public:
  int posts = 0;
  std::map<std::string, std::string> prospects;  // form-encoded email -> id
  std::function<void(int post)> on_post;  // before the answer to POST number `post` (1-based)
  FakeAnswer groups_answer =
      testing::answer(200, R"({"@page": "1", "@numpages": "1", "@nextpageuri": "",)"
                           R"( "Groups": [{"Id": "77", "Name": "Bloggers"}]})");

  FakeAnswer answer(const HttpRequest& r) {
    if (r.method == "GET") return groups_answer;
    ++posts;
    if (on_post) on_post(posts);
    std::string email = field(r.body, "ContactEmail");
    auto [it, fresh] = prospects.emplace(email, "P-" + std::to_string(prospects.size() + 1));
    if (!fresh) {
      return testing::answer(
          409, R"({"Status": "ERROR", "Message": "exists", "ProspectId": ")" + it->second + "\"}");
    }
    return testing::created(it->second);
  }

 private:
  static std::string field(const std::string& body, const std::string& name) {
    auto at = body.find(name + "=");
    if (at == std::string::npos) return "";
    at += name.size() + 1;
    return body.substr(at, body.find('&', at) - at);
  }
};

// Forwards to the test's FakeHttp, which the import may not own.
class BorrowedHttp final : public HttpClient {
 public:
  explicit BorrowedHttp(HttpClient& http) : m_http(http) {}
  void start(HttpRequest request) override { m_http.start(std::move(request)); }
  std::vector<HttpResponse> wait(std::chrono::milliseconds max) override {
    return m_http.wait(max);
  }
  std::size_t in_flight() const override { return m_http.in_flight(); }

 private:
  HttpClient& m_http;
};

// Like a real sleeper, it returns at once when a stop was asked; otherwise
// the fake client's wait moves the clock to the deadline.
class StoppableSleeper final : public Sleeper {
 public:
  StoppableSleeper(FakeHttp& http, FakeClock& clock, const StopFlag& stop)
      : m_inner(http, clock), m_stop(stop) {}
  void sleep_until(Clock::TimePoint deadline) override {
    if (on_sleep) on_sleep(deadline);
    if (m_stop.load() == 0) m_inner.sleep_until(deadline);
  }
  std::function<void(Clock::TimePoint)> on_sleep;

 private:
  testing::FakeSleeper m_inner;
  const StopFlag& m_stop;
};

std::vector<std::vector<std::string>> read_csv_report(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  CsvReader reader(make_decoder(in, EncodingRequest{}), ',');
  std::vector<std::vector<std::string>> rows;
  for (Record r; reader.next(r);) rows.push_back(r.fields);
  if (!rows.empty()) rows.erase(rows.begin());  // the header
  return rows;
}

std::string prospects_csv(int rows) {
  std::string csv = "Partner Name,Contact Email,Media Property,Group Name\n";
  for (int i = 1; i <= rows; ++i) {
    std::string n = std::to_string(i);
    csv += "Partner " + n + ",p" + n + "@example.com,https://p" + n + ".example.com,Bloggers\n";
  }
  return csv;
}

// Rows whose Contact Email is 245 characters long, so that 4,100 of them fill
// more than the duplicate index's first 1 MiB of keys (the block that stays in memory).
std::string long_email(int n) {
  std::string local = "p" + std::to_string(n);
  local += std::string(60 - local.size(), 'x');
  return local + "@" + std::string(60, 'd') + "." + std::string(60, 'e') + "." +
         std::string(50, 'f') + ".example.com";
}

std::string long_email_csv(int rows) {
  std::string csv = "Partner Name,Contact Email,Media Property,Group Name\n";
  for (int i = 1; i <= rows; ++i) {
    std::string n = std::to_string(i);
    csv += "Partner " + n + "," + long_email(i) + ",https://p" + n + ".example.com,Bloggers\n";
  }
  return csv;
}

// How many descriptors this process holds on the unlinked spills of the
// duplicate index's keys (key_spill()) in `folder`.
std::size_t open_key_spills(const std::filesystem::path& folder) {
  std::string spill = (std::filesystem::canonical(folder) / ".keys.tmp").string() + " (deleted)";
  std::size_t n = 0;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (std::filesystem::read_symlink(fd.path(), ec).string() == spill) ++n;
  }
  return n;
}

class OnlineImport : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::write_file(m_dir / "p.csv", prospects_csv(30));
    options.file = (m_dir / "p.csv").string();
    options.program = "1001";
    options.account_sid = "IRabc";
    options.api_base = "https://api.example";
    options.report_dir = (m_dir / "r").string();
    http.set_responder([this](const HttpRequest& r, Clock::TimePoint) { return api.answer(r); });
  }

  ExitCode run() {
    err.str("");
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(err, true);
    sink->set_pattern("%v");
    spdlog::logger log("test", sink);
    ImportEnv env{io, log, clock, sleeper, stop, -1, [this](const Credentials& c) {
                    EXPECT_EQ(c.token.reveal(), "token");
                    return std::make_unique<BorrowedHttp>(http);
                  }};
    return run_import(options, env);
  }

  std::vector<std::vector<std::string>> success() const {
    return read_csv_report(m_dir / "r" / "success.csv");
  }
  std::vector<std::vector<std::string>> errors() const {
    return read_csv_report(m_dir / "r" / "errors.csv");
  }
  std::size_t requests(const std::string& method) const {
    return static_cast<std::size_t>(
        std::count_if(http.sent().begin(), http.sent().end(),
                      [&](const auto& s) { return s.request.method == method; }));
  }

  TempDir m_dir;
  FakeClock clock;
  FakeHttp http{clock};
  FakeApi api;
  StopFlag stop{0};
  StoppableSleeper sleeper{http, clock, stop};
  std::istringstream in;
  std::ostringstream out, err;
  Io io{in, out, err,
        [](const std::string& name) -> std::optional<std::string> {
          if (name == "IMPACT_AUTH_TOKEN") return "token";
          return std::nullopt;
        },
        false};
  Options options;
};

TEST_F(OnlineImport, SendsEveryValidRowOnceAndReportsThemInInputOrder) {
  testing::write_file(m_dir / "p.csv", prospects_csv(200));
  options.concurrency = 8;
  http.set_responder([this](const HttpRequest& r, Clock::TimePoint) {
    FakeAnswer a = api.answer(r);
    a.latency = std::chrono::milliseconds(10 + 37 * (r.tag % 7));  // answers come back out of order
    return a;
  });
  EXPECT_EQ(run(), ExitCode::ok);
  EXPECT_EQ(api.posts, 200);
  EXPECT_EQ(requests("GET"), 1u) << "one page of groups";
  EXPECT_LE(http.max_in_flight(), 8u);
  auto rows = success();
  ASSERT_EQ(rows.size(), 200u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][0], std::to_string(i + 2)) << "in input order";
    EXPECT_EQ(rows[i][1], "created");
    EXPECT_EQ(rows[i][2], api.prospects.at("p" + std::to_string(i + 1) + "%40example.com"));
  }
  EXPECT_TRUE(errors().empty());
}

TEST_F(OnlineImport, AnAbortBeforeTheFirstSendReportsEveryRowNotAttempted) {
  api.groups_answer = testing::answer(401, R"({"Status": "ERROR", "Message": "Bad credentials"})");
  EXPECT_EQ(run(), ExitCode::no_permission);
  EXPECT_EQ(api.posts, 0);
  EXPECT_EQ(err.str(),
            "no ledger: neither XDG_STATE_HOME nor HOME is set and there is no --ledger PATH, so "
            "rows the "
            "program already has are sent again\n"
            "error: the API refused the credentials of account IRabc (the API answered 401: Bad "
            "credentials); "
            "check IMPACT_ACCOUNT_SID and the auth token\n"
            "30 rows: 0 created, 0 already existed, 0 dry-run ok, 0 invalid, 0 rejected by the "
            "API, 0 failed, "
            "30 not attempted. Report: " +
                (m_dir / "r").string() + "\n");
  auto rows = errors();
  ASSERT_EQ(rows.size(), 30u);
  EXPECT_EQ(
      rows[0][1],
      "not attempted: the API refused the credentials of account IRabc (the API answered 401: "
      "Bad credentials); check IMPACT_ACCOUNT_SID and the auth token");
}

TEST_F(OnlineImport, AFileErrorFoundByTheFirstPassSendsNothing) {
  testing::write_file(m_dir / "p.csv",
                      prospects_csv(20) + "\"Unclosed,x@example.com,https://x.example.com,\n");
  EXPECT_EQ(run(), ExitCode::data_error);
  EXPECT_EQ(api.posts, 0) << "the whole file is checked before any row is sent";
  EXPECT_THAT(err.str(), HasSubstr("p.csv:22: "));
  EXPECT_FALSE(std::filesystem::exists(m_dir / "r" / "success.csv"));
}

TEST_F(OnlineImport, AStopMidRunIs130AndResumeSendsOnlyTheRest) {
  api.on_post = [this](int post) {
    if (post == 5) stop = SIGINT;
  };
  EXPECT_EQ(run(), ExitCode::interrupted);
  int first_run_posts = api.posts;
  EXPECT_GE(first_run_posts, 5);
  EXPECT_LT(first_run_posts, 30) << "nothing new is sent after the stop";
  EXPECT_THAT(err.str(),
              HasSubstr("error: stopped by Ctrl-C (SIGINT); rows not done are in errors.csv, and "
                        "--resume continues\n"));
  EXPECT_EQ(success().size() + errors().size(), 30u) << "every row is in the report";

  stop = 0;
  api.on_post = nullptr;
  EXPECT_EQ(run(), ExitCode::cant_create) << "an unfinished import is not overwritten";
  EXPECT_EQ(api.posts, first_run_posts);

  options.resume = true;
  EXPECT_EQ(run(), ExitCode::ok);
  EXPECT_EQ(api.prospects.size(), 30u);
  EXPECT_EQ(api.posts, 30) << "rows done before the stop are not sent again";
  auto rows = success();
  ASSERT_EQ(rows.size(), 30u);
  for (const auto& row : rows) EXPECT_EQ(row[1], "created");
  EXPECT_THAT(err.str(), HasSubstr("resuming the import of " + options.file + ": " +
                                   std::to_string(first_run_posts) + " rows already done\n"));
}

TEST_F(OnlineImport, ResumingWithAnotherFileIsRefusedBeforeSending) {
  api.on_post = [this](int post) {
    if (post == 3) stop = SIGTERM;
  };
  EXPECT_EQ(run(), ExitCode::terminated);
  stop = 0;
  int posts = api.posts;
  testing::write_file(m_dir / "p.csv", prospects_csv(31));
  options.resume = true;
  EXPECT_EQ(run(), ExitCode::usage);
  EXPECT_EQ(api.posts, posts);
  EXPECT_THAT(err.str(),
              HasSubstr("cannot resume: the unfinished import in " + (m_dir / "r").string() +
                        " is of another file (" + options.file + ", whose content differs)"));
}

TEST_F(OnlineImport, AJournalWriteFailureMidRunIs74AndResumeFinishes) {
  api.on_post = [this](int post) {
    if (post != 10) return;
    // The disk fills up: the journal's descriptor now writes to /dev/full.
    std::string journal = std::filesystem::canonical(m_dir / "r" / "journal").string();
    for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
      std::error_code ec;
      if (std::filesystem::read_symlink(fd.path(), ec).string() != journal) continue;
      int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
      ASSERT_GE(full, 0);
      ::dup2(full, std::stoi(fd.path().filename().string()));
      ::close(full);
    }
  };
  EXPECT_EQ(run(), ExitCode::io_error);
  EXPECT_THAT(err.str(),
              HasSubstr("error: cannot write the journal " + (m_dir / "r" / "journal").string() +
                        ": No space left on device; rows not done are in errors.csv"));
  EXPECT_LT(api.posts, 30);
  auto not_done = errors();
  ASSERT_FALSE(not_done.empty());
  EXPECT_THAT(not_done.back()[1], HasSubstr("not attempted: cannot write the journal"));

  api.on_post = nullptr;
  options.resume = true;
  EXPECT_EQ(run(), ExitCode::ok);
  EXPECT_EQ(api.prospects.size(), 30u) << "every row exists once";
  EXPECT_EQ(success().size(), 30u);
}

TEST_F(OnlineImport, AnUnexpectedExceptionIsExit70WithTheReportOfWhatWasDone) {
  api.on_post = [](int post) {
    if (post == 7) throw std::runtime_error("boom");
  };
  EXPECT_EQ(run(), ExitCode::internal);
  EXPECT_THAT(
      err.str(),
      HasSubstr("error: an internal error (a bug; please report it): boom; rows not done are "
                "in errors.csv, and --resume continues\n"));
  auto done = success();
  EXPECT_GE(done.size(), 1u);
  EXPECT_LE(done.size(), 6u);
  EXPECT_EQ(done.size() + errors().size(), 30u);
  auto summary = testing::read_file(m_dir / "r" / "summary.json");
  EXPECT_THAT(summary, HasSubstr("\"exit_code\": 70"));

  api.on_post = nullptr;
  options.resume = true;
  EXPECT_EQ(run(), ExitCode::ok);
  EXPECT_EQ(api.prospects.size(), 30u);
}

TEST_F(OnlineImport, AStopDuringARateLimitWaitForTheGroupsEndsItAtOnce) {
  api.groups_answer = testing::answer(429, R"({"Status": "ERROR", "Message": "Too many"})",
                                      testing::rate_headers(1000, 0, 3600));
  Clock::TimePoint began = clock.now();
  sleeper.on_sleep = [this](Clock::TimePoint deadline) {
    if (deadline - clock.now() > 10min) stop = SIGTERM;  // the user gives up waiting
  };
  EXPECT_EQ(run(), ExitCode::terminated);
  EXPECT_LT(clock.now() - began, 10s) << "the hour's wait was not sat out";
  EXPECT_EQ(requests("GET"), 1u);
  EXPECT_EQ(api.posts, 0);
}

TEST_F(OnlineImport, ADryRunSendsEveryRowAsADryRunAndKeepsNoProspect) {
  options.dry_run = true;
  http.set_responder([this](const HttpRequest& r, Clock::TimePoint) {
    if (r.method == "GET") return api.groups_answer;
    EXPECT_THAT(r.body, HasSubstr("DryRun=true"));
    return testing::answer(200,
                           R"({"Status": "OK", "ProspectId": "", "DryRun": true,)"
                           R"( "MatchedPartnerId": "556677", "MatchedPartnerName": "Acme Media"})");
  });
  EXPECT_EQ(run(), ExitCode::ok);
  auto rows = success();
  ASSERT_EQ(rows.size(), 30u);
  EXPECT_EQ(rows[0][1], "dry_run_ok");
  EXPECT_EQ(rows[0][3], "556677");
}

FakeAnswer dry_run_ok() {
  return testing::answer(200, R"({"Status": "OK", "ProspectId": "", "DryRun": true,)"
                              R"( "MatchedPartnerId": "", "MatchedPartnerName": ""})");
}

// Regression (issue 10): online, the keys that find duplicates were kept in
// memory (86 MiB at 1M rows in a dry run, 57 B a row); they go to an unlinked
// file in the report folder as offline, a new one for each pass, also when a
// kill left a `.keys.tmp` there.
TEST_F(OnlineImport, TheKeysThatFindDuplicatesGoToAnUnlinkedFileOfTheReportFolder) {
  options.dry_run = true;
  std::filesystem::create_directories(m_dir / "r");
  testing::write_file(m_dir / "r" / ".keys.tmp", "left by a kill");
  std::size_t spills_while_sending = 0;
  int posts = 0;
  http.set_responder([&](const HttpRequest& r, Clock::TimePoint) {
    if (r.method == "GET") return api.groups_answer;
    if (++posts == 1) spills_while_sending = open_key_spills(m_dir / "r");
    return dry_run_ok();
  });
  EXPECT_EQ(run(), ExitCode::ok);
  EXPECT_EQ(spills_while_sending, 1u) << "the second pass's; the first pass's is closed";
  EXPECT_EQ(open_key_spills(m_dir / "r"), 0u);
  EXPECT_FALSE(std::filesystem::exists(m_dir / "r" / ".keys.tmp"));
  EXPECT_EQ(success().size(), 30u);
}

// A duplicate of a row whose key is no longer in memory is found by reading
// the key back from the spill, in both passes: the row is neither sent nor counted valid.
TEST_F(OnlineImport, ADuplicateIsFoundThroughTheSpilledKeys) {
  options.dry_run = true;
  std::string first = long_email(1);
  std::transform(first.begin(), first.end(), first.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  testing::write_file(m_dir / "p.csv", long_email_csv(4100) + "Partner 1 again," + first +
                                           ",https://p1.example.com,Bloggers\n");
  int posts = 0;
  http.set_responder([&](const HttpRequest& r, Clock::TimePoint) {
    if (r.method == "GET") return api.groups_answer;
    ++posts;
    return dry_run_ok();
  });
  EXPECT_EQ(run(), ExitCode::rows_failed);
  EXPECT_EQ(posts, 4100);
  EXPECT_EQ(success().size(), 4100u);
  auto rows = errors();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "4102");
  EXPECT_EQ(rows[0][1], "Contact Email: duplicate of line 2");
  EXPECT_THAT(err.str(), HasSubstr("p.csv:4102: Contact Email: duplicate of line 2\n"))
      << "said by the first pass";
}

TEST_F(OnlineImport, TheSameImportTwiceWithALedgerSendsNothingTheSecondTime) {
  options.ledger = (m_dir / "state" / "ledger.db").string();
  EXPECT_EQ(run(), ExitCode::ok);
  EXPECT_EQ(api.posts, 30);

  EXPECT_EQ(run(), ExitCode::ok);
  EXPECT_EQ(api.posts, 30) << "no row is sent again";
  EXPECT_EQ(requests("GET"), 2u) << "only the groups, once a run";
  auto rows = success();
  ASSERT_EQ(rows.size(), 30u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][0], std::to_string(i + 2));
    EXPECT_EQ(rows[i][1], "known");
    EXPECT_EQ(rows[i][2], api.prospects.at("p" + std::to_string(i + 1) + "%40example.com"))
        << "the ledger's id";
  }
  EXPECT_THAT(err.str(),
              HasSubstr("sending 0 valid rows to program 1001 (30 more are in the ledger and are "
                        "not sent; --recheck sends them)\n"));
  EXPECT_THAT(err.str(),
              HasSubstr("30 rows: 0 created, 0 already existed, 30 known to the ledger (not sent), "
                        "0 dry-run ok, 0 invalid"));
  auto summary = testing::read_file(m_dir / "r" / "summary.json");
  EXPECT_THAT(summary, HasSubstr("\"succeeded\": 30"));
  EXPECT_THAT(summary, HasSubstr("\"known\": 30"));

  options.recheck = true;
  EXPECT_EQ(run(), ExitCode::ok);
  EXPECT_EQ(api.posts, 60) << "--recheck sends them all again";
  EXPECT_EQ(success()[0][1], "already_exists");
}

TEST_F(OnlineImport, ADryRunReadsTheLedgerAndNeverWritesIt) {
  options.ledger = (m_dir / "state" / "ledger.db").string();
  options.dry_run = true;
  http.set_responder([this](const HttpRequest& r, Clock::TimePoint) {
    if (r.method == "GET") return api.groups_answer;
    ++api.posts;
    return testing::answer(200, R"({"Status": "OK", "ProspectId": "", "DryRun": true,)"
                                R"( "MatchedPartnerId": "", "MatchedPartnerName": ""})");
  });
  EXPECT_EQ(run(), ExitCode::ok);
  EXPECT_EQ(api.posts, 30);
  EXPECT_FALSE(std::filesystem::exists(m_dir / "state")) << "a dry run creates no ledger";

  auto ledger = Ledger::open(*options.ledger, LedgerAccess::read_write);
  ASSERT_TRUE(ledger.ok());
  LedgerEntry known;
  known.email = "p1@example.com";
  known.group_id = "77";
  known.prospect_id = "P-7";
  known.status = "listed";
  ASSERT_TRUE((*ledger)->put(LedgerScope{"https://api.example", "IRabc", "1001"}, {known}).ok());
  EXPECT_EQ(run(), ExitCode::ok);
  EXPECT_EQ(api.posts, 59) << "the known row is not sent, even as a dry run";
  EXPECT_EQ(success()[0][1], "known");
  EXPECT_EQ(success()[0][2], "P-7");
  EXPECT_EQ((*ledger)->list(LedgerScope{"https://api.example", "IRabc", "1001"})->size(), 1u);
}

TEST_F(OnlineImport, AResumeReportsTheSameKnownRowsAndFillsTheLedgerFromTheJournal) {
  auto path = m_dir / "ledger.db";
  options.ledger = path.string();
  const LedgerScope scope{"https://api.example", "IRabc", "1001"};
  {
    auto ledger = Ledger::open(path, LedgerAccess::read_write);
    ASSERT_TRUE(ledger.ok());
    LedgerEntry elsewhere;
    elsewhere.email = "p1@example.com";
    elsewhere.group_id = "77";
    elsewhere.prospect_id = "P-elsewhere";
    elsewhere.status = "listed";
    ASSERT_TRUE((*ledger)->put(scope, {elsewhere}).ok());
  }
  api.on_post = [this](int post) {
    if (post == 5) stop = SIGINT;
  };
  EXPECT_EQ(run(), ExitCode::interrupted);
  EXPECT_EQ(success()[0][1], "known");
  // The ledger is lost: only the journal still says what was done.
  std::filesystem::remove(path);
  stop = 0;
  api.on_post = nullptr;
  options.resume = true;
  EXPECT_EQ(run(), ExitCode::ok);
  EXPECT_EQ(api.posts, 29) << "the known row is not sent by the resumed import either";
  auto rows = success();
  ASSERT_EQ(rows.size(), 30u);
  EXPECT_EQ(rows[0][1], "known") << "the journal's outcome";
  EXPECT_EQ(rows[0][2], "P-elsewhere");
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i][1], "created") << i;
  auto ledger = Ledger::open(path, LedgerAccess::read_only);
  ASSERT_TRUE(ledger.ok());
  auto entries = (*ledger)->list(scope);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), api.prospects.size()) << "every row of the file that the server has";
  for (const auto& e : *entries) EXPECT_EQ(e.status, "created");
}

TEST_F(OnlineImport, ALedgerWriteFailureIsSaidOnceAndTheImportGoesOn) {
  auto path = m_dir / "ledger.db";
  options.ledger = path.string();
  testing::write_file(m_dir / "p.csv", prospects_csv(600));  // more than one batch
  api.on_post = [&](int post) {
    if (post != 1) return;
    // The disk fills up under the ledger: its write-ahead log now writes to /dev/full.
    std::string wal = std::filesystem::canonical(path).string() + "-wal";
    for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
      std::error_code ec;
      if (std::filesystem::read_symlink(fd.path(), ec).string() != wal) continue;
      int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
      ASSERT_GE(full, 0);
      ::dup2(full, std::stoi(fd.path().filename().string()));
      ::close(full);
    }
  };
  EXPECT_EQ(run(), ExitCode::ok);
  EXPECT_EQ(api.posts, 600);
  EXPECT_EQ(success().size(), 600u);
  std::string warning =
      "warning: cannot write the ledger " + path.string() +
      ": database or disk is full; the import goes on (its journal keeps what was done)\n";
  EXPECT_THAT(err.str(), HasSubstr(warning));
  EXPECT_EQ(err.str().find(warning), err.str().rfind(warning)) << "said once";
}

}  // namespace
}  // namespace prospect_import
