#include "prospect_import/report_folder.h"

#include <sys/file.h>
#include <unistd.h>

#include <istream>

namespace prospect_import {
namespace {

constexpr std::string_view k_lock_file = ".lock";

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
  auto folder = Folder::open(dir);
  if (!folder) return folder.error();
  auto opened = folder->open_or_create(k_lock_file);
  if (!opened) return opened.error();
  UniqueFd lock = std::move(*opened);
  if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    return folder_error(holder_of(lock.get()) + " is using the report folder " + dir.string() +
                        "; wait for it to finish, or choose another --report-dir");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(lock.get(), 0) != 0 || ::pwrite(lock.get(), pid.data(), pid.size(), 0) < 0) {
    // Only the message of a later refusal would lack the pid: not a reason to stop.
  }
  return std::unique_ptr<ReportFolder>(new ReportFolder(std::move(*folder), std::move(lock)));
}

ReportFolder::~ReportFolder() {
  if (::ftruncate(m_lock.get(), 0) != 0) {
  }
  // Closing m_lock releases the lock.
}

Result<std::optional<JournalContents>> ReportFolder::read_journal() const {
  auto fd = m_folder.open_to_read(k_journal_file);
  if (!fd) return fd.error();
  if (!*fd) return std::optional<JournalContents>();
  FdReadBuffer buffer(std::move(*fd));
  std::istream in(&buffer);
  return prospect_import::read_journal(in);
}

}  // namespace prospect_import
