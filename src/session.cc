#include "prospect_import/session.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

Failure config_failure(std::string message) { return Failure{ExitCode::config, std::move(message)}; }

std::optional<Failure> read_token_file(const std::string& path, Secret& token) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return config_failure("cannot read the auth token file " + path + ": " + std::strerror(errno));
  }
  std::string line;
  std::getline(in, line);
  token = Secret(std::string(trim(line)));
  if (token.empty()) return config_failure("the auth token file " + path + " is empty (its first line holds the token)");
  return std::nullopt;
}

}  // namespace

std::optional<Failure> load_credentials(const Options& options, Io& io, Credentials& out) {
  if (!options.account_sid || trim(*options.account_sid).empty()) {
    return config_failure("no account SID: pass --account-sid SID or set IMPACT_ACCOUNT_SID");
  }
  out.account_sid = std::string(trim(*options.account_sid));
  if (options.auth_token_file) return read_token_file(*options.auth_token_file, out.token);
  auto token = io.getenv("IMPACT_AUTH_TOKEN");
  if (!token) {
    return config_failure("no auth token: set IMPACT_AUTH_TOKEN or pass --auth-token-file PATH "
                          "(a token is never given as a flag)");
  }
  out.token = Secret(std::string(trim(*token)));
  if (out.token.empty()) return config_failure("the auth token in IMPACT_AUTH_TOKEN is empty");
  return std::nullopt;
}

Session::Session(HttpClient& http, Pacer& pacer, const Clock& clock, Sleep sleep, ApiTarget target,
                 int max_retries, const std::atomic<int>* stop)
    : m_http(http), m_pacer(pacer), m_clock(clock), m_sleep(std::move(sleep)),
      m_target(std::move(target)), m_max_retries(max_retries), m_stop(stop) {}

std::optional<Failure> Session::stopped() const {
  int sig = m_stop ? m_stop->load() : 0;
  if (sig == 0) return std::nullopt;
  return sig == SIGTERM ? Failure{ExitCode::terminated, "stopped by SIGTERM"}
                        : Failure{ExitCode::interrupted, "stopped by Ctrl-C (SIGINT)"};
}

std::optional<Failure> Session::list_programs(std::vector<Group>& out) {
  return list_all(campaigns_url(m_target, 1), "Campaigns", out);
}

std::optional<Failure> Session::list_groups(std::vector<Group>& out) {
  return list_all(groups_url(m_target, 1), "Groups", out);
}

std::optional<Failure> Session::list_all(const std::string& first_url, const char* key,
                                         std::vector<Group>& out) {
  out.clear();
  std::string url = first_url;
  for (int page = 1; page <= 100000; ++page) {
    HttpResponse response;
    if (auto f = get(url, response)) return f;
    std::string error;
    auto list = read_list_page(response, key, error);
    if (!list) return Failure{ExitCode::unavailable, error};
    out.insert(out.end(), list->items.begin(), list->items.end());
    if (list->next_uri.empty() || list->items.empty()) return std::nullopt;
    url = join_url(m_target.base, list->next_uri);
  }
  return Failure{ExitCode::unavailable, "the API's listing never ends (more than 100000 pages)"};
}

std::optional<Failure> Session::get(const std::string& url, HttpResponse& response) {
  for (int attempt = 1;; ++attempt) {
    m_sleep(m_pacer.next_send(m_clock.now(), 1) - m_clock.now());
    if (auto f = stopped()) return f;
    ++m_requests;
    m_pacer.sent(m_clock.now());
    response = perform(m_http, HttpRequest{m_requests, "GET", url, ""});
    RateInfo rate = rate_info(response);
    if (response.transport == TransportError::none && response.status == 429) {
      ++m_rate_limited;
      ++m_retries;
      m_pacer.rate_limited(rate, m_clock.now(), 0);
      --attempt;  // waits for a 429 are not retries
      continue;
    }
    m_pacer.observe(rate, m_clock.now(), 0);
    if (response.transport == TransportError::none && response.status == 200) return std::nullopt;
    bool transient = response.transport == TransportError::timeout ||
                     response.transport == TransportError::broken || response.status >= 500;
    if (!transient || attempt > m_max_retries) return failure_of(response, url);
    ++m_retries;
    m_sleep(m_pacer.backoff(attempt));
    if (auto f = stopped()) return f;
  }
}

Failure Session::failure_of(const HttpResponse& r, const std::string& url) const {
  if (r.transport == TransportError::connect || r.transport == TransportError::tls) {
    std::string hint = r.transport == TransportError::tls
                           ? " (the server's certificate could not be verified: pass its CA with --cacert)"
                           : " (check --api-base and the network)";
    return Failure{ExitCode::unavailable, "cannot reach the API at " + m_target.base + ": " +
                                              r.transport_message + hint};
  }
  if (r.transport != TransportError::none) {
    return Failure{ExitCode::unavailable, "the API did not answer " + url + ": " + r.transport_message};
  }
  std::string what = describe_error_answer(r);
  if (r.status == 401 || r.status == 403) {
    return Failure{ExitCode::no_permission,
                   "the API refused the credentials of account " + m_target.account_sid + " (" +
                       what + "); check IMPACT_ACCOUNT_SID and the auth token"};
  }
  if (r.status == 404) {
    return Failure{ExitCode::config, "program " + m_target.program + " does not exist for account " +
                                         m_target.account_sid + " (" + what +
                                         "); `prospect-import programs` lists the programs"};
  }
  return Failure{ExitCode::unavailable, what + " to GET " + url};
}

}  // namespace prospect_import
