#include "prospect_import/curl_http.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/x509_vfy.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <vector>

#include "prospect_import/folder.h"
#include "prospect_import/server_text.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

// What one header line may hold once cleaned; the rest is cut.
constexpr std::size_t k_header_max = 8 * 1024;
// All headers of an answer: below libcurl's own limit (300 KB), so that ours speaks.
constexpr std::size_t k_max_header_bytes = 256 * 1024;

// The part of an answer whose cap stopped the reading.
enum class OverCap { none, headers, body };

struct Transfer {
  HttpRequest request;
  HttpResponse response;
  std::size_t header_bytes = 0;
  std::size_t body_bytes = 0;
  OverCap over_cap = OverCap::none;
  char error[CURL_ERROR_SIZE] = {};
};

// Counts what arrived; false (and libcurl then fails the transfer) once a part is over its cap.
bool within_cap(Transfer& t, std::size_t& count, std::size_t bytes, std::size_t cap, OverCap part) {
  count += bytes;
  if (count > cap) t.over_cap = part;
  return t.over_cap == OverCap::none;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  if (!within_cap(t, t.body_bytes, size * n, k_max_answer_bytes, OverCap::body)) return 0;
  t.response.body.append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  if (!within_cap(t, t.header_bytes, size * n, k_max_header_bytes, OverCap::headers)) return 0;
  auto& response = t.response;
  const std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) response.headers.clear();  // a new response block
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    // Read in place: no copy of the line, its name or its value on the way.
    std::string name(line.substr(0, colon));
    ascii_lower_in_place(name.data(), name.size());
    std::string_view value = line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    const auto last = value.find_last_not_of(" \t\r\n");
    value = first == std::string_view::npos ? std::string_view{}
                                            : value.substr(first, last - first + 1);
    response.headers.insert_or_assign(std::move(name), std::string(value));
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

std::string size_in_words(std::size_t bytes) {
  return bytes >= 1024 * 1024 ? std::to_string(bytes / (1024 * 1024)) + " MiB"
                              : std::to_string(bytes / 1024) + " KiB";
}

class CurlClient final : public HttpClient {
 public:
  explicit CurlClient(CurlSettings settings)
      : m_settings(std::move(settings)), m_redactor(m_settings.user, m_settings.password) {
    m_epoll.reset(::epoll_create1(EPOLL_CLOEXEC));
    m_wake.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.fd = m_wake.get();
    if (!m_epoll || !m_wake || ::epoll_ctl(m_epoll.get(), EPOLL_CTL_ADD, m_wake.get(), &wake) != 0)
      throw std::runtime_error(std::string("cannot make an epoll set: ") + std::strerror(errno));
    m_multi = curl_multi_init();
    if (!m_multi) throw std::runtime_error("libcurl could not start");
    curl_multi_setopt(m_multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
    // Every request sends the same headers: made once, not by libcurl for each
    // request (its Basic auth and User-Agent were a base64 and three printf a
    // request). The Authorization header goes nowhere but --api-base: no
    // redirect is followed, and a proxy's CONNECT gets none of these headers.
    const std::string pair = m_settings.user + ":" + m_settings.password.reveal();
    std::string token(4 * ((pair.size() + 2) / 3) + 1, '\0');
    token.resize(static_cast<std::size_t>(EVP_EncodeBlock(
        reinterpret_cast<unsigned char*>(token.data()),
        reinterpret_cast<const unsigned char*>(pair.data()), static_cast<int>(pair.size()))));
    for (const std::string& line :
         {"Authorization: Basic " + token, "User-Agent: " + m_settings.user_agent,
          std::string("Accept: application/json"), std::string("Expect:")}) {
      m_get_headers.append(line);
      m_post_headers.append(line);
    }
    m_post_headers.append("Content-Type: application/x-www-form-urlencoded");
  }

  ~CurlClient() override {
    for (auto& [easy, t] : m_transfers) finish_easy(easy);
    for (CURL* easy : m_idle) curl_easy_cleanup(easy);
    curl_multi_cleanup(m_multi);
  }

  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  void start(HttpRequest request) override {
    auto t = std::make_unique<Transfer>();
    t->request = std::move(request);
    t->response.tag = t->request.tag;
    CURL* easy = nullptr;
    if (!m_idle.empty()) {
      easy = m_idle.back();  // its options stay; aim() sets all a request changes
      m_idle.pop_back();
    } else {
      easy = curl_easy_init();
      if (!easy) throw std::runtime_error("libcurl could not start a transfer");
      configure(easy);
    }
    aim(easy, *t);
    curl_multi_add_handle(m_multi, easy);
    m_transfers.emplace(easy, std::move(t));
  }

  // libcurl's event API: epoll says which socket is ready and libcurl works on
  // that one only. curl_multi_perform() ran every transfer and polled each
  // socket with a zero time-out to learn whether it was: ~5 poll() calls a row
  // at c=4, 96 % of all the import's polls.
  std::vector<HttpResponse> wait(std::chrono::milliseconds max) override {
    run_timer_if_due();
    std::vector<HttpResponse> done = collect();
    if (!done.empty() || m_transfers.empty()) return done;
    long long timeout = std::max<long long>(max.count(), 0);
    if (m_timer) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*m_timer - Steady::now()).count();
      timeout = std::clamp<long long>(left, 0, timeout);
    }
    epoll_event events[k_events];
    int n = ::epoll_wait(m_epoll.get(), events, k_events, static_cast<int>(timeout));
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == m_wake.get()) {
        std::uint64_t count = 0;
        while (::read(fd, &count, sizeof count) > 0) {
        }
        continue;
      }
      Watch& w = watch(fd);
      if (w.wanted == 0) {  // libcurl forgot it (an idle kept connection): it leaves the set
        set_watched(fd, w, 0);
        continue;
      }
      // As libcurl's own poll reads them: an error or a hang-up is readable
      // and writable, and the read or write then says what happened.
      std::uint32_t e = events[i].events;
      int bits = ((e & (EPOLLIN | EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_IN : 0) |
                 ((e & (EPOLLOUT | EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_OUT : 0);
      int running = 0;
      curl_multi_socket_action(m_multi, fd, bits, &running);
    }
    run_timer_if_due();
    return collect();
  }

  std::size_t in_flight() const override { return m_transfers.size(); }

  // From any thread: eventfd's write is thread- and signal-safe.
  void wakeup() override {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(m_wake.get(), &one, sizeof one);
  }

 private:
  using Steady = std::chrono::steady_clock;
  static constexpr int k_events = 64;

  // libcurl asks to watch socket s for `what` (CURL_POLL_IN, _OUT, _INOUT) or
  // to forget it. It asks at every turn of a transfer (a request on a kept
  // connection: IN, then REMOVE at its end, IN again for the next one): the
  // epoll set changes only when what is watched does, and a forgotten socket
  // leaves it when it next wakes us (or when it is closed: on_close).
  static int on_socket(CURL*, curl_socket_t s, int what, void* user, void*) {
    auto& self = *static_cast<CurlClient*>(user);
    Watch& w = self.watch(s);
    if (what == CURL_POLL_REMOVE) {
      w.wanted = 0;
      if (!w.ours) self.set_watched(s, w, 0);  // not closed through on_close: at once
      return 0;
    }
    w.wanted = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
    self.set_watched(s, w, w.wanted);
    return 0;
  }

  // The sockets of connections are opened and closed here, so that a
  // forgotten one can stay in the epoll set until it is closed (the kernel then
  // drops it) and a new socket under the same number starts afresh.
  static curl_socket_t on_open(void* user, curlsocktype, curl_sockaddr* a) {
    auto& self = *static_cast<CurlClient*>(user);
    int s = ::socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
    if (s >= 0) self.watch(s) = Watch{0, 0, true};
    return s >= 0 ? s : CURL_SOCKET_BAD;
  }

  static int on_close(void* user, curl_socket_t s) {
    auto& self = *static_cast<CurlClient*>(user);
    self.watch(s) = Watch{};
    return ::close(s);
  }

  struct Watch {
    std::uint32_t wanted = 0;   // what libcurl wants to know of the socket; 0: nothing
    std::uint32_t watched = 0;  // what the epoll set has for it; 0: not in it
    bool ours = false;          // opened by on_open, closed by on_close
  };

  Watch& watch(curl_socket_t s) {
    auto i = static_cast<std::size_t>(s);
    if (i >= m_watches.size()) m_watches.resize(i + 1);
    return m_watches[i];
  }

  // Only our own sockets' state is trusted to skip a call: another (a
  // resolver's) may have been closed and its number reused without our knowing.
  void set_watched(curl_socket_t s, Watch& w, std::uint32_t events) {
    if (w.watched == events && (w.ours || events == 0)) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = s;
    int op = events == 0 ? EPOLL_CTL_DEL : w.watched == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (::epoll_ctl(m_epoll.get(), op, s, events == 0 ? nullptr : &ev) != 0 && events != 0) {
      // The set knew better (a socket closed behind our back, or one we did not see go).
      op = errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
      ::epoll_ctl(m_epoll.get(), op, s, &ev);
    }
    w.watched = events;
  }

  // libcurl's one timer: -1 none, 0 at once (a transfer just added), else in ms.
  static int on_timer(CURLM*, long timeout_ms, void* user) {
    auto& self = *static_cast<CurlClient*>(user);
    if (timeout_ms < 0) {
      self.m_timer.reset();
    } else {
      self.m_timer = Steady::now() + std::chrono::milliseconds(timeout_ms);
    }
    return 0;
  }

  void run_timer_if_due() {
    if (!m_timer || *m_timer > Steady::now()) return;
    m_timer.reset();  // libcurl sets it again, from inside, when it wants one
    int running = 0;
    curl_multi_socket_action(m_multi, CURL_SOCKET_TIMEOUT, 0, &running);
  }

  // What every request of this client shares, set once for each handle.
  void configure(CURL* easy) {
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);  // never replay a POST elsewhere
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (m_settings.cacert) curl_easy_setopt(easy, CURLOPT_CAINFO, m_settings.cacert->c_str());
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(m_settings.timeout_s * 1000));
    // A Content-Length over the cap fails at once; a body of unknown length is cut by on_body.
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(k_max_answer_bytes));
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, on_open);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, this);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, on_close);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
  }

  // What one request has of its own. A kept handle is not reset (that freed and
  // copied again every option above), so each of these is set for every request.
  void aim(CURL* easy, Transfer& t) {
    curl_easy_setopt(easy, CURLOPT_URL, t.request.url.c_str());
    if (t.request.method == "POST") {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(t.request.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, t.request.body.c_str());
      curl_easy_setopt(easy, CURLOPT_HTTPHEADER, m_post_headers.list());
    } else {
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt(easy, CURLOPT_HTTPHEADER, m_get_headers.list());
    }
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t.error);
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
        fail(t, msg->data.result);
      }
      done.push_back(cleaned(std::move(t.response)));
      finish_easy(msg->easy_handle);
      m_transfers.erase(it);
    }
    return done;
  }

  // No complete answer: what went wrong, in words a user can act on.
  void fail(Transfer& t, CURLcode code) const {
    HttpResponse& r = t.response;
    r.status = 0;
    r.headers.clear();
    r.body.clear();
    r.transport = classify(code);
    if (t.over_cap != OverCap::none || code == CURLE_FILESIZE_EXCEEDED) {
      bool headers = t.over_cap == OverCap::headers;
      r.transport = TransportError::broken;
      r.transport_message =
          std::string(headers ? "the answer's headers are" : "the answer is") + " larger than " +
          size_in_words(headers ? k_max_header_bytes : k_max_answer_bytes) +
          ", so the tool stopped reading it (not an answer of the API: check --api-base)";
    } else if (r.transport == TransportError::tls) {
      r.transport_message = details(t, code) + tls_hint(code);
    } else if (r.transport == TransportError::broken) {
      r.transport_message = details(t, code);
    } else {
      r.transport_message = curl_easy_strerror(code);
    }
  }

  // libcurl's own words for this transfer ("SSL certificate problem: certificate has
  // expired"), which say more than the code's ("SSL peer certificate ... was not OK").
  static std::string details(const Transfer& t, CURLcode code) {
    return t.error[0] ? std::string(t.error) : curl_easy_strerror(code);
  }

  // Whether --cacert can help depends on whether it was given.
  std::string tls_hint(CURLcode code) const {
    if (code != CURLE_PEER_FAILED_VERIFICATION) return "";
    if (!m_settings.cacert) {
      return " (the server's certificate could not be verified with the system's CA certificates; "
             "if a private CA issued it, pass that CA with --cacert FILE)";
    }
    return " (the server's certificate could not be verified with the CA of --cacert " +
           *m_settings.cacert +
           ": it must be current, issued by that CA and name the host of --api-base)";
  }

  // The one redaction point: nothing of an answer leaves the client with the
  // credentials in it, and no header with bytes a terminal would act on.
  HttpResponse cleaned(HttpResponse r) const {
    r.body = m_redactor.redact(r.body);
    r.transport_message =
        clean_server_text(m_redactor.redact(r.transport_message), k_message_text_max);
    std::map<std::string, std::string> headers;
    for (const auto& [name, value] : r.headers) {
      headers[clean_server_text(m_redactor.redact(name), k_header_max)] =
          clean_server_text(m_redactor.redact(value), k_header_max);
    }
    r.headers = std::move(headers);
    return r;
  }

  // The handle is kept for the next request (up to as many as ran at once):
  // a handle made and freed for each request cost the import ~10 % of its CPU
  // in malloc (libcurl's buffers of a transfer are tens of KiB).
  void finish_easy(CURL* easy) {
    curl_multi_remove_handle(m_multi, easy);
    if (m_idle.size() < k_max_idle) {
      m_idle.push_back(easy);
    } else {
      curl_easy_cleanup(easy);
      return;
    }
    // Nothing of the finished transfer is left for the handle to point at.
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, nullptr);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, nullptr);
  }

  // A header list libcurl reads (never changes) for as long as the client lives.
  class HeaderList {
   public:
    HeaderList() = default;
    HeaderList(const HeaderList&) = delete;
    HeaderList& operator=(const HeaderList&) = delete;
    ~HeaderList() { curl_slist_free_all(m_list); }
    void append(const std::string& line) {
      curl_slist* longer = curl_slist_append(m_list, line.c_str());
      if (!longer) throw std::bad_alloc();
      m_list = longer;
    }
    curl_slist* list() const { return m_list; }

   private:
    curl_slist* m_list = nullptr;
  };

  CurlSettings m_settings;
  Redactor m_redactor;
  HeaderList m_get_headers;
  HeaderList m_post_headers;
  UniqueFd m_epoll;  // libcurl's sockets and m_wake
  UniqueFd m_wake;   // an eventfd: wakeup() ends a wait
  std::optional<Steady::time_point> m_timer;
  std::vector<Watch> m_watches;  // by socket
  CURLM* m_multi = nullptr;      // cleaned up in the destructor, before the fds close
  std::map<CURL*, std::unique_ptr<Transfer>> m_transfers;
  static constexpr std::size_t k_max_idle = 64;
  std::vector<CURL*> m_idle;  // handles of finished transfers, for the next
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_client(CurlSettings settings) {
  return std::make_unique<CurlClient>(std::move(settings));
}

std::optional<std::string> ca_bundle_problem(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return "cannot read the CA bundle given with --cacert, " + path + ": " + std::strerror(errno);
  }
  if (!S_ISREG(st.st_mode))
    return "the CA bundle given with --cacert, " + path + ", is not a regular file";
  X509_STORE* store = X509_STORE_new();
  bool loaded = store && X509_STORE_load_file(store, path.c_str()) == 1;
  X509_STORE_free(store);
  if (!loaded) {
    return "the CA bundle given with --cacert, " + path +
           ", holds no certificate that can be read (it needs one or more PEM blocks "
           "\"-----BEGIN CERTIFICATE-----\")";
  }
  return std::nullopt;
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
