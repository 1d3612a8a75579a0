#pragma once

#include "api.h"

#include <chrono>
#include <memory>
#include <string>

namespace prospect_sandbox {

// How the answer of a create is lost (--drop-rate).
enum class DropMode {
  // Nothing of the answer is sent: the connection is closed at once (the
  // client sees "empty reply" or a reset). Realistic, but a client that
  // reused a keep-alive connection may resend the request by itself (libcurl
  // does, once) and then see 409 instead of a failure.
  empty,
  // The status line and headers are sent, then half the body, then the
  // connection is closed: the client sees a truncated answer (libcurl:
  // CURLE_PARTIAL_FILE) and never resends by itself.
  truncated,
};

struct ServerOptions {
  int port = 0;                          // --port: 0 picks a free port
  std::string cert_file;                 // --cert: with --key, serve HTTPS
  std::string key_file;                  // --key
  std::chrono::milliseconds latency{0};  // --latency-ms: added to every API request
  std::string state_file;                // --state-file: also written on GET /_sandbox/state
  DropMode drop_mode = DropMode::empty;  // --drop-mode
  // --threads: requests served at once. A kept-alive connection holds its
  // thread, so a client's concurrency (up to 64) needs as many, plus spares.
  int threads = 72;
};

// Serves an Api over HTTP(S) on 127.0.0.1 (never any other address), plus
// GET /_sandbox/state. The only place that knows cpp-httplib.
class SandboxServer {
 public:
  SandboxServer(Api& api, ServerOptions options);
  ~SandboxServer();
  SandboxServer(const SandboxServer&) = delete;
  SandboxServer& operator=(const SandboxServer&) = delete;

  // Binds the socket; returns the port. Throws std::runtime_error.
  int bind();
  // "http://127.0.0.1:PORT" (or https). REQUIRES: bind() succeeded.
  std::string url() const;
  // Serves until stop(); false when serving failed on its own.
  bool run();
  // Safe from any thread; requests in flight are finished first.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace prospect_sandbox
