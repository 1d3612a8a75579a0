#include "prospect_import/folder.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "prospect_import/os_error.h"

namespace prospect_import {
namespace {

constexpr mode_t k_file_mode = 0600;  // reports and the journal hold personal data
constexpr mode_t k_folder_mode = 0700;

// mkdir -p, each folder it makes 0700; 0 or the errno of the failing mkdir.
int make_folders(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), k_folder_mode) == 0 || errno == EEXIST) return 0;
  int error = errno;
  std::filesystem::path parent = dir.parent_path();
  if (error != ENOENT || parent.empty() || parent == dir) return error;
  if (int e = make_folders(parent)) return e;
  return ::mkdir(dir.c_str(), k_folder_mode) == 0 || errno == EEXIST ? 0 : errno;
}

Error folder_error(std::string message) { return Error{ExitCode::cant_create, std::move(message)}; }

// Not the folder's fault: any other folder would fail the same way (74, not 73).
Error out_of_descriptors(const std::filesystem::path& path, int error_number) {
  return Error{ExitCode::io_error,
               "cannot open " + path.string() + ": " + describe_errno(error_number)};
}

Error describe_failure(const std::filesystem::path& path, int error_number) {
  if (is_out_of_descriptors(error_number)) return out_of_descriptors(path, error_number);
  if (error_number == ELOOP) {
    return folder_error(path.string() +
                        " is a symbolic link: the report folder's own files are never opened "
                        "through one; remove it, or choose another --report-dir");
  }
  return folder_error("cannot use " + path.string() + ": " + std::strerror(error_number) +
                      "; choose another --report-dir");
}

std::string cannot_create(const std::filesystem::path& dir, int error_number) {
  return "cannot create the report folder " + dir.string() + ": " + std::strerror(error_number) +
         "; choose another with --report-dir";
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  reset(other.release());
  return *this;
}

int UniqueFd::release() {
  int fd = m_fd;
  m_fd = -1;
  return fd;
}

void UniqueFd::reset(int fd) {
  if (m_fd >= 0) ::close(m_fd);
  m_fd = fd;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

Result<Folder> Folder::open(const std::filesystem::path& dir) {
  if (int e = make_folders(dir)) return folder_error(cannot_create(dir, e));
  int fd =
      ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);  // follows a link the user chose
  if (fd < 0) {
    int e = errno;
    if (is_out_of_descriptors(e)) return out_of_descriptors(dir, e);
    return folder_error(cannot_create(dir, e));
  }
  return Folder(dir, fd);
}

Result<UniqueFd> Folder::create(std::string_view name, Access access) const {
  if (auto s = check_replaceable(name); !s) return s.error();
  if (!remove(name)) return failure(name, errno);
  // O_EXCL: should a link appear after the removal, the open fails instead of following it.
  int flags = (access == Access::read_write ? O_RDWR : O_WRONLY) | O_CREAT | O_EXCL | O_NOFOLLOW |
              O_CLOEXEC;
  UniqueFd fd(::openat(m_fd->get(), std::string(name).c_str(), flags, k_file_mode));
  if (!fd) return failure(name, errno);
  return fd;
}

Result<UniqueFd> Folder::open_to_read(std::string_view name) const {
  auto fd = open_regular(name, O_RDONLY);
  if (!fd && errno == ENOENT) return UniqueFd();
  return fd;
}

Result<UniqueFd> Folder::open_to_write(std::string_view name) const {
  return open_regular(name, O_WRONLY);
}

Result<UniqueFd> Folder::open_or_create(std::string_view name) const {
  return open_regular(name, O_RDWR | O_CREAT);
}

Status Folder::check_replaceable(std::string_view name) const {
  struct stat st {};
  if (::fstatat(m_fd->get(), std::string(name).c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return {};
    return failure(name, errno);
  }
  if (S_ISLNK(st.st_mode)) return failure(name, ELOOP);
  if (!S_ISREG(st.st_mode)) return not_regular(name);
  return {};
}

bool Folder::rename(std::string_view from, std::string_view to) const {
  return ::renameat(m_fd->get(), std::string(from).c_str(), m_fd->get(), std::string(to).c_str()) ==
         0;
}

bool Folder::remove(std::string_view name) const {
  return ::unlinkat(m_fd->get(), std::string(name).c_str(), 0) == 0 || errno == ENOENT;
}

bool Folder::sync() const { return ::fsync(m_fd->get()) == 0; }

Result<Folder> Folder::open_folder(std::string_view name, Creation creation) const {
  const std::string n(name);
  if (::mkdirat(m_fd->get(), n.c_str(), k_folder_mode) != 0 &&
      (errno != EEXIST || creation == Creation::create_new)) {
    return failure(name, errno);
  }
  int fd = ::openat(m_fd->get(), n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return failure(name, errno);
  return Folder(path_of(name), fd);
}

Status Folder::check_folder(std::string_view name) const {
  struct stat st {};
  if (::fstatat(m_fd->get(), std::string(name).c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return {};
    return failure(name, errno);
  }
  if (S_ISLNK(st.st_mode)) return failure(name, ELOOP);
  if (!S_ISDIR(st.st_mode)) return failure(name, ENOTDIR);
  return {};
}

Status Folder::move(std::string_view name, const Folder& to, std::string_view to_name) const {
  if (::renameat(m_fd->get(), std::string(name).c_str(), to.m_fd->get(),
                 std::string(to_name).c_str()) == 0) {
    return {};
  }
  int e = errno;
  Error error =
      folder_error("cannot move " + path_of(name).string() + " to " + to.path_of(to_name).string() +
                   ": " + std::strerror(e) + "; choose another --report-dir");
  errno = e;
  return error;
}

Result<std::vector<std::string>> Folder::names() const {
  // A directory stream of its own: closedir() closes the descriptor it is given.
  int fd = ::openat(m_fd->get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* dir = fd < 0 ? nullptr : ::fdopendir(fd);
  if (!dir) {
    int e = errno;
    if (fd >= 0) ::close(fd);
    return describe_failure(m_path, e);
  }
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir)) {
    std::string_view n = entry->d_name;
    if (n != "." && n != "..") names.emplace_back(n);
  }
  ::closedir(dir);
  return names;
}

bool Folder::remove_folder(std::string_view name) const {
  return ::unlinkat(m_fd->get(), std::string(name).c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT;
}

bool Folder::exists(std::string_view name) const {
  struct stat st {};
  return ::fstatat(m_fd->get(), std::string(name).c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

std::optional<std::time_t> Folder::modified(std::string_view name) const {
  struct stat st {};
  if (::fstatat(m_fd->get(), std::string(name).c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return std::nullopt;
  return st.st_mtime;
}

Result<std::optional<std::string>> Folder::read_small(std::string_view name,
                                                      std::size_t limit) const {
  auto fd = open_to_read(name);
  if (!fd) return fd.error();
  if (!*fd) return std::optional<std::string>();
  std::string content;
  char buf[4096];
  while (content.size() < limit) {
    ssize_t n = ::read(fd->get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return failure(name, errno);
    if (n == 0) break;
    content.append(buf, static_cast<std::size_t>(n));
  }
  return std::optional<std::string>(std::move(content));
}

// O_NONBLOCK: a FIFO planted there must not hang the open; it changes nothing
// for the regular files that are accepted.
Result<UniqueFd> Folder::open_regular(std::string_view name, int flags) const {
  UniqueFd fd(::openat(m_fd->get(), std::string(name).c_str(),
                       flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, k_file_mode));
  if (!fd) return failure(name, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return failure(name, errno);
  if (!S_ISREG(st.st_mode)) return not_regular(name);
  return fd;
}

// O_NOFOLLOW makes a link fail with ELOOP (the name has no '/' to loop over).
Error Folder::failure(std::string_view name, int error_number) const {
  Error error = describe_failure(path_of(name), error_number);
  errno = error_number;
  return error;
}

Error Folder::not_regular(std::string_view name) const {
  errno = EINVAL;
  return folder_error(path_of(name).string() +
                      " is not a regular file: remove it, or choose another --report-dir");
}

FdReadBuffer::int_type FdReadBuffer::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  ssize_t n = 0;
  do {
    n = ::read(m_fd.get(), m_buffer.data(), m_buffer.size());
  } while (n < 0 && errno == EINTR);
  // std::istream turns an exception from its buffer into badbit, as an I/O error should be.
  if (n < 0) throw std::system_error(errno, std::generic_category(), "read");
  if (n == 0) return traits_type::eof();
  setg(m_buffer.data(), m_buffer.data(), m_buffer.data() + n);
  return traits_type::to_int_type(*gptr());
}

FdReadBuffer::pos_type FdReadBuffer::seekoff(off_type offset, std::ios_base::seekdir dir,
                                             std::ios_base::openmode) {
  int whence = dir == std::ios_base::beg   ? SEEK_SET
               : dir == std::ios_base::end ? SEEK_END
                                           : SEEK_CUR;
  if (whence == SEEK_CUR) offset -= egptr() - gptr();  // what is buffered was not read yet
  off_t at = ::lseek(m_fd.get(), static_cast<off_t>(offset), whence);
  setg(m_buffer.data(), m_buffer.data(), m_buffer.data());
  return at < 0 ? pos_type(off_type(-1)) : pos_type(at);
}

FdReadBuffer::pos_type FdReadBuffer::seekpos(pos_type position, std::ios_base::openmode which) {
  return seekoff(off_type(position), std::ios_base::beg, which);
}

}  // namespace prospect_import
