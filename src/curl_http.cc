#include "prospect_import/curl_http.h"

#include <curl/curl.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

struct Transfer {
  HttpRequest request;
  HttpResponse response;
  curl_slist* headers = nullptr;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<Transfer*>(user)->response.body.append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto& response = static_cast<Transfer*>(user)->response;
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) response.headers.clear();  // a new response block
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = ascii_lower(line.substr(0, colon));
    std::string value = line.substr(colon + 1);
    auto first = value.find_first_not_of(" \t");
    auto last = value.find_last_not_of(" \t\r\n");
    response.headers[name] = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  }
  return size * n;
}

TransportError classify(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return TransportError::connect;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
      return TransportError::tls;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportError::timeout;
    default:
      return TransportError::broken;
  }
}

class CurlClient final : public HttpClient {
 public:
  explicit CurlClient(CurlSettings settings) : m_settings(std::move(settings)) {
    m_multi = curl_multi_init();
    if (!m_multi) throw std::runtime_error("libcurl could not start");
    curl_multi_setopt(m_multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  }

  ~CurlClient() override {
    for (auto& [easy, t] : m_transfers) finish_easy(easy, *t);
    curl_multi_cleanup(m_multi);
  }

  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  void start(HttpRequest request) override {
    auto t = std::make_unique<Transfer>();
    t->request = std::move(request);
    t->response.tag = t->request.tag;
    CURL* easy = curl_easy_init();
    configure(easy, *t);
    curl_multi_add_handle(m_multi, easy);
    m_transfers.emplace(easy, std::move(t));
  }

  std::vector<HttpResponse> wait(std::chrono::milliseconds max) override {
    int running = 0;
    curl_multi_perform(m_multi, &running);
    std::vector<HttpResponse> done = collect();
    if (!done.empty() || m_transfers.empty()) return done;
    curl_multi_poll(m_multi, nullptr, 0, static_cast<int>(std::max<long long>(max.count(), 0)), nullptr);
    curl_multi_perform(m_multi, &running);
    return collect();
  }

  std::size_t in_flight() const override { return m_transfers.size(); }

 private:
  void configure(CURL* easy, Transfer& t) {
    curl_easy_setopt(easy, CURLOPT_URL, t.request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);  // never replay a POST elsewhere
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (m_settings.cacert) curl_easy_setopt(easy, CURLOPT_CAINFO, m_settings.cacert->c_str());
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(m_settings.timeout_s * 1000));
    curl_easy_setopt(easy, CURLOPT_USERAGENT, m_settings.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(easy, CURLOPT_USERNAME, m_settings.user.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, m_settings.password.reveal().c_str());
    t.headers = curl_slist_append(t.headers, "Accept: application/json");
    t.headers = curl_slist_append(t.headers, "Expect:");
    if (t.request.method == "POST") {
      t.headers = curl_slist_append(t.headers, "Content-Type: application/x-www-form-urlencoded");
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(t.request.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, t.request.body.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t.headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, m_error_buffer);
  }

  std::vector<HttpResponse> collect() {
    std::vector<HttpResponse> done;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(m_multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      auto it = m_transfers.find(msg->easy_handle);
      Transfer& t = *it->second;
      if (msg->data.result == CURLE_OK) {
        curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &t.response.status);
      } else {
        t.response.status = 0;
        t.response.transport = classify(msg->data.result);
        t.response.transport_message = curl_easy_strerror(msg->data.result);
      }
      done.push_back(std::move(t.response));
      finish_easy(msg->easy_handle, t);
      m_transfers.erase(it);
    }
    return done;
  }

  void finish_easy(CURL* easy, Transfer& t) {
    curl_multi_remove_handle(m_multi, easy);
    curl_easy_cleanup(easy);
    curl_slist_free_all(t.headers);
    t.headers = nullptr;
  }

  CurlSettings m_settings;
  CURLM* m_multi = nullptr;
  std::map<CURL*, std::unique_ptr<Transfer>> m_transfers;
  char m_error_buffer[CURL_ERROR_SIZE] = {};
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_client(CurlSettings settings) {
  return std::make_unique<CurlClient>(std::move(settings));
}

HttpResponse perform(HttpClient& client, HttpRequest request) {
  std::uint64_t tag = request.tag;
  client.start(std::move(request));
  for (;;) {
    for (auto& r : client.wait(std::chrono::milliseconds(1000))) {
      if (r.tag == tag) return r;
    }
  }
}

}  // namespace prospect_import
