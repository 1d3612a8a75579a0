#include "prospect_import/report_folder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "prospect_import/os_error.h"

namespace prospect_import {
namespace {

Error folder_error(std::string message) { return Error{ExitCode::cant_create, std::move(message)}; }

std::string holder_of(int fd) {
  char buf[64] = {};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "another prospect-import" : "another prospect-import (pid " + pid + ")";
}

}  // namespace

Result<std::unique_ptr<ReportFolder>> ReportFolder::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return folder_error("cannot create the report folder " + dir.string() + ": " + ec.message() +
                        "; choose another with --report-dir");
  }
  int fd = ::open((dir / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    int err = errno;
    if (is_out_of_descriptors(err)) {  // not the folder's fault: another folder fails the same way
      return Error{ExitCode::io_error, "cannot open " + (dir / ".lock").string() + ": " + describe_errno(err)};
    }
    return folder_error("cannot write in the report folder " + dir.string() + ": " + std::strerror(err) +
                        "; choose another with --report-dir");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    Error busy = folder_error(holder_of(fd) + " is using the report folder " + dir.string() +
                              "; wait for it to finish, or choose another --report-dir");
    ::close(fd);
    return busy;
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // Only the message of a later refusal would lack the pid: not a reason to stop.
  }
  return std::unique_ptr<ReportFolder>(new ReportFolder(dir, fd));
}

ReportFolder::~ReportFolder() {
  if (::ftruncate(m_lock_fd, 0) != 0) {
  }
  ::close(m_lock_fd);  // releases the lock
}

std::optional<JournalContents> ReportFolder::read_journal() const {
  std::ifstream in(journal_path(), std::ios::binary);
  if (!in) return std::nullopt;
  return prospect_import::read_journal(in);
}

}  // namespace prospect_import
