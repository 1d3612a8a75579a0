#include "lost_answer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <system_error>

namespace prospect_sandbox {
namespace {

struct Endpoint {
  std::string address;
  int port = -1;
  bool operator==(const Endpoint&) const = default;
};

std::optional<Endpoint> endpoint_of(int fd, bool peer) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  const int result = peer ? getpeername(fd, generic, &length) : getsockname(fd, generic, &length);
  if (result != 0 || address.sin_family != AF_INET) return std::nullopt;
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &address.sin_addr, text, sizeof text);
  return Endpoint{text, ntohs(address.sin_port)};
}

std::optional<int> descriptor_number(const std::filesystem::directory_entry& entry) {
  const std::string name = entry.path().filename().string();
  char* end = nullptr;
  const long fd = std::strtol(name.c_str(), &end, 10);
  if (name.empty() || *end != '\0') return std::nullopt;
  return static_cast<int>(fd);
}

}  // namespace

bool close_connection_now(int local_port, const std::string& remote_addr, int remote_port) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
    const auto fd = descriptor_number(entry);
    if (!fd) continue;
    const auto local = endpoint_of(*fd, false);
    if (!local || local->port != local_port) continue;
    if (endpoint_of(*fd, true) != Endpoint{remote_addr, remote_port}) continue;
    // cpp-httplib's write of the answer then fails and it closes the socket.
    return shutdown(*fd, SHUT_RDWR) == 0;
  }
  return false;
}

}  // namespace prospect_sandbox
