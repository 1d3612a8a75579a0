#include "server.h"

#include "lost_answer.h"
#include "state_file.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace prospect_sandbox {
namespace {

const std::string k_host = "127.0.0.1";
const std::string k_state_path = "/_sandbox/state";
// Matches every path, so that 404 and 405 come from the API logic.
const std::string k_any_path = "[\\s\\S]*";
constexpr size_t k_keep_alive_max_count = 1000;
// cpp-httplib listens with a backlog of 5: a client opening 8 or 16 connections
// at once lost SYNs, and each lost one waited out TCP's 1 s retransmission.
constexpr int k_listen_backlog = SOMAXCONN;

Request to_request(const httplib::Request& in, std::string body) {
  const size_t question = in.target.find('?');
  Request out{in.method, in.target.substr(0, question), "", {}, std::move(body)};
  if (question != std::string::npos) out.query = in.target.substr(question + 1);
  for (const auto& [name, value] : in.headers) out.headers.emplace_back(name, value);
  return out;
}

void to_httplib(const Response& in, httplib::Response& out) {
  out.status = in.status;
  std::string content_type = "application/json";
  for (const auto& [name, value] : in.headers) {
    if (name == "Content-Type")
      content_type = value;
    else
      out.set_header(name, value);
  }
  out.set_content(in.body, content_type);
}

// Sends the status line, the headers and half the body, then fails, so that
// cpp-httplib closes the connection (its headers go out before the body).
void truncate_answer(httplib::Response& response) {
  const std::string body = std::move(response.body);
  const std::string type = response.get_header_value("Content-Type");
  response.body.clear();
  response.set_content_provider(body.size(), type, [body](size_t, size_t, httplib::DataSink& sink) {
    sink.write(body.data(), body.size() / 2);
    return false;
  });
}

// The answer of a committed create is lost (--drop-rate, --drop-mode). When
// the connection's socket cannot be found, the answer is truncated instead.
void lose_answer(const httplib::Request& request, httplib::Response& response, DropMode mode) {
  if (mode == DropMode::empty &&
      close_connection_now(request.local_port, request.remote_addr, request.remote_port)) {
    return;
  }
  truncate_answer(response);
}

std::unique_ptr<httplib::Server> make_server(const ServerOptions& options) {
  if (options.cert_file.empty()) return std::make_unique<httplib::Server>();
  auto server =
      std::make_unique<httplib::SSLServer>(options.cert_file.c_str(), options.key_file.c_str());
  if (!server->is_valid()) throw std::runtime_error("cannot use the certificate or key for HTTPS");
  return server;
}

}  // namespace

struct SandboxServer::Impl {
  Api& api;
  ServerOptions options;
  std::unique_ptr<httplib::Server> server;
  int port = -1;
  int listen_fd = -1;                 // the listening socket, as httplib made it
  std::atomic<bool> finished{false};  // run() has returned

  void serve(const httplib::Request& request, std::string body, httplib::Response& response);
  void serve_reading(const httplib::Request& request, httplib::Response& response,
                     const httplib::ContentReader& reader);
  void serve_state(httplib::Response& response);
};

void SandboxServer::Impl::serve(const httplib::Request& request, std::string body,
                                httplib::Response& response) {
  if (request.method == "GET" && request.path == k_state_path) return serve_state(response);
  if (options.latency.count() > 0) std::this_thread::sleep_for(options.latency);
  const Response answer = api.handle(to_request(request, std::move(body)));
  to_httplib(answer, response);
  if (answer.drop_after_commit) lose_answer(request, response, options.drop_mode);
}

// A request with a body (POST, PUT, PATCH, DELETE): the body is read here, as
// it came. Through a plain handler cpp-httplib also decoded every form body
// into its own parameter map (12 % of the sandbox's instructions, unused: the
// API parses the form itself) and refused one over 8 KiB, which the API does
// not. A multipart body is read and dropped: its Content-Type is refused.
void SandboxServer::Impl::serve_reading(const httplib::Request& request,
                                        httplib::Response& response,
                                        const httplib::ContentReader& reader) {
  std::string body;
  const auto append = [&body](const char* data, size_t size) {
    body.append(data, size);
    return true;
  };
  const bool read = request.is_multipart_form_data()
                        ? reader([](const httplib::MultipartFormData&) { return true; },
                                 [](const char*, size_t) { return true; })
                        : reader(append);
  if (!read) {
    if (response.status == -1) response.status = 400;  // as cpp-httplib answers one unread
    return;
  }
  serve(request, std::move(body), response);
}

void SandboxServer::Impl::serve_state(httplib::Response& response) {
  const OrderedJson state = api.state();
  if (!options.state_file.empty()) write_state_file(options.state_file, state);
  response.set_content(to_text(state), "application/json; charset=utf-8");
}

SandboxServer::SandboxServer(Api& api, ServerOptions options)
    : m_impl(new Impl{api, std::move(options), nullptr, -1, -1, {}}) {
  m_impl->server = make_server(m_impl->options);
  m_impl->server->set_keep_alive_max_count(k_keep_alive_max_count);
  m_impl->server->new_task_queue = [threads = m_impl->options.threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  // httplib writes an answer's head and body separately: without TCP_NODELAY,
  // Nagle holds the body until the client's delayed ACK, 40 ms per request.
  m_impl->server->set_tcp_nodelay(true);
  m_impl->server->set_socket_options([impl = m_impl.get()](socket_t sock) {
    httplib::default_socket_options(sock);
    impl->listen_fd = sock;  // the last one made is the one bound
  });
  const auto handler = [impl = m_impl.get()](const httplib::Request& request,
                                             httplib::Response& response) {
    impl->serve(request, request.body, response);
  };
  const auto reading = [impl = m_impl.get()](const httplib::Request& request,
                                             httplib::Response& response,
                                             const httplib::ContentReader& reader) {
    impl->serve_reading(request, response, reader);
  };
  // A request with a body goes to `reading`; one without (or a GET) to `handler`.
  m_impl->server->Get(k_any_path, handler).Post(k_any_path, reading).Put(k_any_path, reading);
  m_impl->server->Patch(k_any_path, reading).Delete(k_any_path, reading);
  m_impl->server->Post(k_any_path, handler).Put(k_any_path, handler);
  m_impl->server->Patch(k_any_path, handler)
      .Delete(k_any_path, handler)
      .Options(k_any_path, handler);
}

SandboxServer::~SandboxServer() = default;

int SandboxServer::bind() {
  // A client that goes away mid-answer (or a lost answer) must not kill us.
  std::signal(SIGPIPE, SIG_IGN);
  const int wanted = m_impl->options.port;
  const bool bound = wanted == 0 ? (m_impl->port = m_impl->server->bind_to_any_port(k_host)) > 0
                                 : m_impl->server->bind_to_port(k_host, wanted);
  if (!bound) throw std::runtime_error("cannot listen on " + k_host + ":" + std::to_string(wanted));
  // listen() again on a listening socket sets its backlog (Linux).
  if (m_impl->listen_fd >= 0 && ::listen(m_impl->listen_fd, k_listen_backlog) != 0) {
    throw std::runtime_error(std::string("cannot set the listen backlog: ") + std::strerror(errno));
  }
  if (wanted != 0) m_impl->port = wanted;
  return m_impl->port;
}

std::string SandboxServer::url() const {
  const char* scheme = m_impl->options.cert_file.empty() ? "http" : "https";
  return std::string(scheme) + "://" + k_host + ":" + std::to_string(m_impl->port);
}

bool SandboxServer::run() {
  const bool ok = m_impl->server->listen_after_bind();
  m_impl->finished = true;
  return ok;
}

void SandboxServer::stop() {
  // cpp-httplib's stop() does nothing before the server runs: wait for that.
  while (!m_impl->server->is_running() && !m_impl->finished) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  m_impl->server->stop();
}

}  // namespace prospect_sandbox
