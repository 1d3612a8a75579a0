#include "prospect_import/session.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include <set>

#include "prospect_import/curl_http.h"
#include "prospect_import/file_mode.h"
#include "prospect_import/os_error.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr auto k_long_wait = std::chrono::seconds(30);  // said without -v too
// A listing whose @numpages says nothing usable still ends: 1,000 pages of
// 1,000 are far more groups or programs than any account has.
constexpr int k_max_pages = 1000;

Error config_error(std::string message) { return Error{ExitCode::config, std::move(message)}; }

constexpr std::size_t k_max_token_file = 4096;  // a token is short; /dev/zero is endless

// What a path that is not a regular file is, for the message.
const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a pipe";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

// The whole of a small regular file (symlinks followed: secrets are often
// mounted as links), at most k_max_token_file bytes and one byte more; `mode`
// gets its permission bits.
Status read_small_file(const std::string& path, std::string& content, mode_t& mode) {
  // O_NONBLOCK: opening a FIFO does not wait for a writer; it is refused below.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return config_error("cannot read the auth token file " + path + ": " + describe_errno(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return config_error("the auth token file " + path + " is " + kind_of(st.st_mode) +
                        ", not a file: name the file whose first line holds the token");
  }
  mode = st.st_mode & 07777;
  content.assign(k_max_token_file + 1, '\0');
  std::size_t got = 0;
  while (got < content.size()) {
    ssize_t n = ::read(fd, content.data() + got, content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return config_error("cannot read the auth token file " + path + ": " + describe_errno(err));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  content.resize(got);
  return {};
}

}  // namespace

Status check_token_file_mode(const std::string& path, unsigned mode, const Options& options,
                             Io& io) {
  if (!open_to_others(mode)) return {};
  const std::string problem =
      "the auth token file " + path + " is open to group or others (mode " + octal_mode(mode) + ")";
  if (options.strict_perms) {
    return config_error(problem + ", which --strict-perms refuses: run chmod 600 " + path);
  }
  io.err << "warning: " << problem << ": run chmod 600 " << path << "\n";
  return {};
}

namespace {

Result<Secret> read_token_file(const std::string& path, const Options& options, Io& io) {
  std::string content;
  mode_t mode = 0;
  if (auto s = read_small_file(path, content, mode); !s) return s.error();
  if (auto s = check_token_file_mode(path, mode, options, io); !s) return s.error();
  std::size_t end = content.find('\n');
  if (end == std::string::npos && content.size() > k_max_token_file) {
    return config_error("the first line of the auth token file " + path + " is longer than " +
                        std::to_string(k_max_token_file) +
                        " bytes: the file should hold the token alone");
  }
  Secret token(std::string(trim(std::string_view(content).substr(0, end))));
  if (token.empty())
    return config_error("the auth token file " + path +
                        " is empty (its first line holds the token)");
  return token;
}

Result<Secret> read_token(const Options& options, Io& io) {
  if (options.auth_token_file) return read_token_file(*options.auth_token_file, options, io);
  auto token = io.getenv("IMPACT_AUTH_TOKEN");
  if (!token && options.config_token) return *options.config_token;
  if (!token) {
    return config_error(
        "no auth token: set IMPACT_AUTH_TOKEN or pass --auth-token-file PATH "
        "(a token is never given as a flag)");
  }
  Secret secret(std::string(trim(*token)));
  if (secret.empty()) return config_error("the auth token in IMPACT_AUTH_TOKEN is empty");
  return secret;
}

Status check_cacert(const Options& options) {
  if (!options.cacert) return {};
  if (auto problem = ca_bundle_problem(*options.cacert)) return config_error(*problem);
  return {};
}

}  // namespace

Result<Credentials> load_credentials(const Options& options, Io& io) {
  if (!options.account_sid || trim(*options.account_sid).empty()) {
    return config_error("no account SID: pass --account-sid SID or set IMPACT_ACCOUNT_SID");
  }
  auto token = read_token(options, io);
  if (!token) return token.error();
  if (auto s = check_cacert(options); !s) return s.error();
  return Credentials{std::string(trim(*options.account_sid)), std::move(*token)};
}

BudgetSettings budget_settings(const Options& options) {
  return BudgetSettings{options.budget_share, options.max_rate};
}

Session::Session(HttpClient& http, Pacer& pacer, const Clock& clock, Sleeper& sleeper,
                 ApiTarget target, int max_retries, spdlog::logger& log, const StopFlag* stop)
    : m_http(http),
      m_pacer(pacer),
      m_clock(clock),
      m_sleeper(sleeper),
      m_target(std::move(target)),
      m_max_retries(max_retries),
      m_log(log),
      m_stop(stop) {}

Status Session::stopped() const {
  int sig = m_stop ? m_stop->load() : 0;
  if (sig == 0) return {};
  return stopped_by(sig);
}

Result<std::vector<Group>> Session::list_programs() {
  return list_all(campaigns_url(m_target, 1), "Campaigns");
}

Result<std::vector<Group>> Session::list_groups() {
  return list_all(groups_url(m_target, 1), "Groups");
}

Result<std::vector<Group>> Session::list_all(const std::string& first_url, const char* key) {
  std::vector<Group> out;
  auto status =
      for_each_page(first_url, key, [&](const HttpResponse& response) -> Result<PageLinks> {
        std::string error;
        auto list = read_list_page(response, key, error);
        if (!list) return Error{ExitCode::unavailable, error};
        out.insert(out.end(), list->items.begin(), list->items.end());
        return PageLinks{list->next_uri, list->items.size(), list->num_pages};
      });
  if (!status) return status.error();
  return out;
}

Status Session::for_each_page(const std::string& first_url, const char* key,
                              const std::function<Result<PageLinks>(const HttpResponse&)>& read) {
  std::string url = first_url;
  std::set<std::string> seen;
  for (int page = 1; page <= k_max_pages; ++page) {
    seen.insert(url);
    auto response = get(url, Listed{key, page});
    if (!response) return response.error();
    auto links = read(*response);
    if (!links) return links.error();
    if (links->next_uri.empty() || links->items == 0) return {};
    url = join_url(m_target.base, links->next_uri);
    if (auto s = endless_listing(Listed{key, page}, *links, url, seen.count(url) > 0); !s)
      return s.error();
  }
  return Error{ExitCode::unavailable, "the API's listing of " + std::string(key) +
                                          " never ends (more than " + std::to_string(k_max_pages) +
                                          " pages)"};
}

// A listing that would never end: a page that points back to one already
// read, or more pages than @numpages promised (a broken or hostile server
// would otherwise spend the whole rate budget).
Status Session::endless_listing(const Listed& listed, const PageLinks& page,
                                const std::string& next_url, bool seen) const {
  std::string what = "the API's listing of " + std::string(listed.key) + " ";
  if (seen) {
    return Error{ExitCode::unavailable, what + "loops: page " + std::to_string(listed.page) +
                                            " points back to " + next_url +
                                            ", which was read already"};
  }
  if (page.num_pages && listed.page >= *page.num_pages) {
    return Error{ExitCode::unavailable,
                 what + "goes on past the " + std::to_string(*page.num_pages) +
                     " pages its @numpages promised (page " + std::to_string(listed.page) +
                     " points to " + next_url + ")"};
  }
  return {};
}

Result<HttpResponse> Session::get(const std::string& url, const Listed& listed) {
  for (int attempt = 1;; ++attempt) {
    if (auto problem = m_pacer.budget_problem()) return Error{ExitCode::config, *problem};
    m_sleeper.sleep_until(m_pacer.next_send(m_clock.now(), 1));
    if (auto s = stopped(); !s) return s.error();
    ++m_requests;
    const Clock::TimePoint sent_at = m_clock.now();
    m_pacer.sent(sent_at);
    HttpResponse response = perform(m_http, HttpRequest{m_requests, "GET", url, ""});
    RateInfo rate = rate_info(response);
    if (response.transport == TransportError::none && response.status == 429) {
      ++m_rate_limited;
      if (m_pacer.rate_limited(rate, m_clock.now(), 0, sent_at) == RateLimitAction::give_up) {
        return Error{ExitCode::unavailable, unusable_resets_message(rate)};
      }
      ++m_retries;
      note_rate_limit_wait(listed);
      --attempt;  // waits for a 429 are not retries
      continue;
    }
    m_pacer.observe(rate, m_clock.now(), 0, sent_at);
    if (response.transport == TransportError::none && response.status == 200) return response;
    bool transient = response.transport == TransportError::timeout ||
                     response.transport == TransportError::broken || response.status >= 500;
    if (!transient || attempt > m_max_retries) return failure_of(response, url, listed);
    ++m_retries;
    m_sleeper.sleep_until(m_clock.now() + m_pacer.backoff(attempt));
    if (auto s = stopped(); !s) return s.error();
  }
}

// A wait for a 429 can last up to an hour: said at -v, and always when it is long.
void Session::note_rate_limit_wait(const Listed& listed) {
  Clock::Duration wait = m_pacer.next_send(m_clock.now(), 1) - m_clock.now();
  auto level = wait >= k_long_wait ? spdlog::level::info : spdlog::level::debug;
  m_log.log(level,
            "the API answered 429 (too many requests): waiting {} for its rate limit before "
            "page {} of the listing of {}",
            format_duration(wait), listed.page, listed.key);
}

Error Session::failure_of(const HttpResponse& r, const std::string& url,
                          const Listed& listed) const {
  if (r.transport == TransportError::connect || r.transport == TransportError::tls) {
    std::string hint =
        r.transport == TransportError::tls ? "" : " (check --api-base and the network)";
    return Error{ExitCode::unavailable,
                 "cannot reach the API at " + m_target.base + ": " + r.transport_message + hint};
  }
  if (r.transport != TransportError::none) {
    return Error{ExitCode::unavailable,
                 "no usable answer to GET " + url + ": " + r.transport_message};
  }
  std::string what = describe_error_answer(r);
  if (r.status == 401 || r.status == 403) {
    return Error{ExitCode::no_permission, "the API refused the credentials of account " +
                                              m_target.account_sid + " (" + what +
                                              "); check IMPACT_ACCOUNT_SID and the auth token"};
  }
  // Only the first page of a program's listing proves that the program is missing.
  if (r.status == 404 && listed.page == 1 && !m_target.program.empty()) {
    return Error{ExitCode::config, "program " + m_target.program + " does not exist for account " +
                                       m_target.account_sid + " (" + what +
                                       "); `prospect-import programs` lists the programs"};
  }
  if (r.status == 404 && listed.page > 1) {
    return Error{ExitCode::unavailable, what + " to page " + std::to_string(listed.page) +
                                            " of the listing of " + listed.key + " (GET " + url +
                                            "): the listing changed while it was read, or its "
                                            "@nextpageuri is wrong; try again"};
  }
  return Error{ExitCode::unavailable, what + " to GET " + url};
}

}  // namespace prospect_import
