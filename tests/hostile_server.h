#pragma once
// A deliberately misbehaving HTTP/1.1 server for the hostile tests: it runs on
// threads of the test process, listens on 127.0.0.1 (port 0), reads each
// request and hands it to the test's handler, which answers with raw bytes.
// So an answer may be anything a broken or hostile API or proxy could send:
// headers that never come, a body that trickles or never ends, a lying
// Content-Length, escape codes, NUL bytes, invalid UTF-8, echoes of the
// request's credentials. One request per connection (every answer closes it).

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace prospect_import::testing {

// One request as the server read it.
struct HostileRequest {
  std::string method;
  std::string target;                          // path and query, as sent
  std::map<std::string, std::string> headers;  // names lower-cased, values as sent
  std::string head;                            // the request line and headers, as sent
  std::string body;
};

// Where a handler writes its answer. Every call gives up (false) once the
// client has closed the connection or the server is being stopped, so that no
// handler outlives its test.
class HostileConnection {
 public:
  HostileConnection(int fd, int stop_fd) : m_fd(fd), m_stop_fd(stop_fd) {}

  // Writes all of bytes.
  bool write(std::string_view bytes);
  // Lets `d` pass without writing (a slow server).
  bool pause(std::chrono::milliseconds d);
  // Says nothing more until the client gives up.
  void hold();

 private:
  // Waits until the socket can take `events` (POLLOUT) or `d` passes; false
  // when the client has gone or the server stops.
  bool wait_for(short events, std::chrono::milliseconds d);

  int m_fd;
  int m_stop_fd;
};

class HostileServer {
 public:
  using Handler = std::function<void(const HostileRequest&, HostileConnection&)>;

  // Listens at once. Throws std::runtime_error when it cannot.
  explicit HostileServer(Handler handler);
  // Stops every handler (their writes and pauses give up) and joins the threads.
  ~HostileServer();
  HostileServer(const HostileServer&) = delete;
  HostileServer& operator=(const HostileServer&) = delete;

  // `http://127.0.0.1:PORT`
  const std::string& base_url() const { return m_url; }
  // Every request read so far, in order.
  std::vector<HostileRequest> requests() const;

 private:
  void accept_loop();
  void serve(int fd);

  Handler m_handler;
  int m_listen_fd = -1;
  int m_stop_pipe[2] = {-1, -1};  // closing the write end wakes every wait
  std::string m_url;
  mutable std::mutex m_mutex;
  std::vector<HostileRequest> m_requests;
  std::vector<std::thread> m_threads;  // under m_mutex
  std::thread m_acceptor;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A complete answer: status line, the headers given, Content-Type (unless
// given), Content-Length and Connection: close, then the body.
std::string http_answer(int status, std::string_view body, const HeaderList& headers = {});

// A page of a listing as API.md shows it: `key` holds `items` (Id, Name);
// `@numpages` and `@nextpageuri` as given.
std::string listing_page(const std::string& key,
                         const std::vector<std::pair<std::string, std::string>>& items,
                         const std::string& num_pages, const std::string& next_uri);

}  // namespace prospect_import::testing
