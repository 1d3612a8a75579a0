#pragma once

#include <string>

namespace prospect_sandbox {

// Closes our end of the TCP connection between 127.0.0.1:`local_port` and
// `remote_addr`:`remote_port` (both directions, at once), so that the client
// receives no answer at all: it sees the connection closed ("empty reply")
// and cannot tell whether its request was carried out. cpp-httplib does not
// hand its handlers the socket, so it is found among the process's open
// descriptors (/proc/self/fd) by its two addresses. False when not found.
bool close_connection_now(int local_port, const std::string& remote_addr, int remote_port);

}  // namespace prospect_sandbox
