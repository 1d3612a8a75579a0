#include "prospect_import/session.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

Error config_error(std::string message) { return Error{ExitCode::config, std::move(message)}; }

Result<Secret> read_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return config_error("cannot read the auth token file " + path + ": " + std::strerror(errno));
  }
  std::string line;
  std::getline(in, line);
  Secret token(std::string(trim(line)));
  if (token.empty()) return config_error("the auth token file " + path + " is empty (its first line holds the token)");
  return token;
}

Result<Secret> read_token(const Options& options, Io& io) {
  if (options.auth_token_file) return read_token_file(*options.auth_token_file);
  auto token = io.getenv("IMPACT_AUTH_TOKEN");
  if (!token) {
    return config_error("no auth token: set IMPACT_AUTH_TOKEN or pass --auth-token-file PATH "
                        "(a token is never given as a flag)");
  }
  Secret secret(std::string(trim(*token)));
  if (secret.empty()) return config_error("the auth token in IMPACT_AUTH_TOKEN is empty");
  return secret;
}

}  // namespace

Result<Credentials> load_credentials(const Options& options, Io& io) {
  if (!options.account_sid || trim(*options.account_sid).empty()) {
    return config_error("no account SID: pass --account-sid SID or set IMPACT_ACCOUNT_SID");
  }
  auto token = read_token(options, io);
  if (!token) return token.error();
  return Credentials{std::string(trim(*options.account_sid)), std::move(*token)};
}

Session::Session(HttpClient& http, Pacer& pacer, const Clock& clock, Sleeper& sleeper, ApiTarget target,
                 int max_retries, const StopFlag* stop)
    : m_http(http), m_pacer(pacer), m_clock(clock), m_sleeper(sleeper),
      m_target(std::move(target)), m_max_retries(max_retries), m_stop(stop) {}

Status Session::stopped() const {
  int sig = m_stop ? m_stop->load() : 0;
  if (sig == 0) return {};
  return sig == SIGTERM ? Error{ExitCode::terminated, "stopped by SIGTERM"}
                        : Error{ExitCode::interrupted, "stopped by Ctrl-C (SIGINT)"};
}

Result<std::vector<Group>> Session::list_programs() { return list_all(campaigns_url(m_target, 1), "Campaigns"); }

Result<std::vector<Group>> Session::list_groups() { return list_all(groups_url(m_target, 1), "Groups"); }

Result<std::vector<Group>> Session::list_all(const std::string& first_url, const char* key) {
  std::vector<Group> out;
  std::string url = first_url;
  for (int page = 1; page <= 100000; ++page) {
    auto response = get(url);
    if (!response) return response.error();
    std::string error;
    auto list = read_list_page(*response, key, error);
    if (!list) return Error{ExitCode::unavailable, error};
    out.insert(out.end(), list->items.begin(), list->items.end());
    if (list->next_uri.empty() || list->items.empty()) return out;
    url = join_url(m_target.base, list->next_uri);
  }
  return Error{ExitCode::unavailable, "the API's listing never ends (more than 100000 pages)"};
}

Result<HttpResponse> Session::get(const std::string& url) {
  for (int attempt = 1;; ++attempt) {
    m_sleeper.sleep_until(m_pacer.next_send(m_clock.now(), 1));
    if (auto s = stopped(); !s) return s.error();
    ++m_requests;
    m_pacer.sent(m_clock.now());
    HttpResponse response = perform(m_http, HttpRequest{m_requests, "GET", url, ""});
    RateInfo rate = rate_info(response);
    if (response.transport == TransportError::none && response.status == 429) {
      ++m_rate_limited;
      if (m_pacer.rate_limited(rate, m_clock.now(), 0) == RateLimitAction::give_up) {
        return Error{ExitCode::unavailable, unusable_resets_message(rate)};
      }
      ++m_retries;
      --attempt;  // waits for a 429 are not retries
      continue;
    }
    m_pacer.observe(rate, m_clock.now(), 0);
    if (response.transport == TransportError::none && response.status == 200) return response;
    bool transient = response.transport == TransportError::timeout ||
                     response.transport == TransportError::broken || response.status >= 500;
    if (!transient || attempt > m_max_retries) return failure_of(response, url);
    ++m_retries;
    m_sleeper.sleep_until(m_clock.now() + m_pacer.backoff(attempt));
    if (auto s = stopped(); !s) return s.error();
  }
}

Error Session::failure_of(const HttpResponse& r, const std::string& url) const {
  if (r.transport == TransportError::connect || r.transport == TransportError::tls) {
    std::string hint = r.transport == TransportError::tls
                           ? " (the server's certificate could not be verified: pass its CA with --cacert)"
                           : " (check --api-base and the network)";
    return Error{ExitCode::unavailable, "cannot reach the API at " + m_target.base + ": " +
                                              r.transport_message + hint};
  }
  if (r.transport != TransportError::none) {
    return Error{ExitCode::unavailable, "the API did not answer " + url + ": " + r.transport_message};
  }
  std::string what = describe_error_answer(r);
  if (r.status == 401 || r.status == 403) {
    return Error{ExitCode::no_permission,
                   "the API refused the credentials of account " + m_target.account_sid + " (" +
                       what + "); check IMPACT_ACCOUNT_SID and the auth token"};
  }
  if (r.status == 404) {
    return Error{ExitCode::config, "program " + m_target.program + " does not exist for account " +
                                         m_target.account_sid + " (" + what +
                                         "); `prospect-import programs` lists the programs"};
  }
  return Error{ExitCode::unavailable, what + " to GET " + url};
}

}  // namespace prospect_import
