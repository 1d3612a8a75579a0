#include "hostile_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace prospect_import::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto k_read_limit = std::chrono::seconds(10);  // for the request itself
constexpr std::size_t k_max_request = 1 << 20;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trimmed(const std::string& s) {
  auto first = s.find_first_not_of(" \t");
  auto last = s.find_last_not_of(" \t\r");
  return first == std::string::npos ? "" : s.substr(first, last - first + 1);
}

// The request line and headers of `head` (without its blank line).
HostileRequest parse_head(const std::string& head) {
  HostileRequest r;
  r.head = head;
  auto line_end = head.find("\r\n");
  std::string request_line = head.substr(0, line_end);
  auto sp1 = request_line.find(' ');
  auto sp2 = request_line.find(' ', sp1 + 1);
  r.method = request_line.substr(0, sp1);
  r.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  for (auto pos = line_end; pos != std::string::npos && pos + 2 < head.size();) {
    auto next = head.find("\r\n", pos + 2);
    std::string line =
        head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    auto colon = line.find(':');
    if (colon != std::string::npos)
      r.headers[lower(line.substr(0, colon))] = trimmed(line.substr(colon + 1));
    pos = next;
  }
  return r;
}

// Reads one request (head and Content-Length body); false when the client
// closes first, the server stops, or it takes longer than k_read_limit.
bool read_request(int fd, int stop_fd, HostileRequest& out) {
  std::string data;
  std::size_t head_end = std::string::npos;
  std::size_t need = 0;
  auto deadline = Clock::now() + k_read_limit;
  for (;;) {
    if (head_end == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
      out = parse_head(data.substr(0, head_end));
      auto length = out.headers.find("content-length");
      need = head_end + 4 + (length == out.headers.end() ? 0 : std::stoul(length->second));
    }
    if (head_end != std::string::npos && data.size() >= need) {
      out.body = data.substr(head_end + 4, need - head_end - 4);
      return true;
    }
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p[2] = {{fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
    if (left <= 0 || data.size() > k_max_request || ::poll(p, 2, static_cast<int>(left)) <= 0)
      return false;
    if (p[1].revents) return false;
    char chunk[4096];
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    data.append(chunk, static_cast<std::size_t>(n));
  }
}

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 302:
      return "Found";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    default:
      return "Whatever";
  }
}

}  // namespace

bool HostileConnection::wait_for(short events, std::chrono::milliseconds d) {
  auto deadline = Clock::now() + d;
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return events == 0;  // a pause that ran its course
    pollfd p[2] = {{m_fd, static_cast<short>(events | POLLIN), 0}, {m_stop_fd, POLLIN, 0}};
    int ready = ::poll(p, 2, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) return false;
    if (ready <= 0) continue;
    if (p[1].revents || (p[0].revents & (POLLERR | POLLHUP))) return false;
    if (p[0].revents & POLLIN) {
      char discard[4096];  // the client closed (0) or sent more: either way not an answer
      if (::recv(m_fd, discard, sizeof discard, MSG_DONTWAIT) <= 0) return false;
    }
    if (events != 0 && (p[0].revents & events)) return true;
  }
}

bool HostileConnection::write(std::string_view bytes) {
  while (!bytes.empty()) {
    if (!wait_for(POLLOUT, std::chrono::seconds(30))) return false;
    ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool HostileConnection::pause(std::chrono::milliseconds d) { return wait_for(0, d); }

void HostileConnection::hold() {
  while (pause(std::chrono::hours(1))) {
  }
}

HostileServer::HostileServer(Handler handler) : m_handler(std::move(handler)) {
  if (::pipe2(m_stop_pipe, O_CLOEXEC) != 0) fail("pipe2");
  m_listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (m_listen_fd < 0) fail("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) fail("bind");
  if (::listen(m_listen_fd, 64) != 0) fail("listen");
  if (::getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    fail("getsockname");
  m_url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  m_acceptor = std::thread([this] { accept_loop(); });
}

HostileServer::~HostileServer() {
  ::close(m_stop_pipe[1]);  // every poll on the read end wakes up
  m_acceptor.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(m_mutex);
    threads.swap(m_threads);
  }
  for (auto& t : threads) t.join();
  ::close(m_listen_fd);
  ::close(m_stop_pipe[0]);
}

std::vector<HostileRequest> HostileServer::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

void HostileServer::accept_loop() {
  for (;;) {
    pollfd p[2] = {{m_listen_fd, POLLIN, 0}, {m_stop_pipe[0], POLLIN, 0}};
    if (::poll(p, 2, -1) < 0 && errno != EINTR) return;
    if (p[1].revents) return;
    if (!(p[0].revents & POLLIN)) continue;
    int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(m_mutex);
    m_threads.emplace_back([this, fd] { serve(fd); });
  }
}

void HostileServer::serve(int fd) {
  HostileRequest request;
  if (read_request(fd, m_stop_pipe[0], request)) {
    {
      std::lock_guard lock(m_mutex);
      m_requests.push_back(request);
    }
    HostileConnection connection(fd, m_stop_pipe[0]);
    m_handler(request, connection);
  }
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

std::string http_answer(int status, std::string_view body, const HeaderList& headers) {
  std::string r = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
  bool typed = false;
  for (const auto& [name, value] : headers) {
    r += name + ": " + value + "\r\n";
    typed = typed || lower(name) == "content-type";
  }
  if (!typed) r += "Content-Type: application/json\r\n";
  r += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  r += body;
  return r;
}

std::string listing_page(const std::string& key,
                         const std::vector<std::pair<std::string, std::string>>& items,
                         const std::string& num_pages, const std::string& next_uri) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [id, name] : items) list.push_back({{"Id", id}, {"Name", name}});
  return nlohmann::json{
      {"@page", "1"}, {"@numpages", num_pages}, {"@nextpageuri", next_uri}, {key, list}}
      .dump();
}

}  // namespace prospect_import::testing
