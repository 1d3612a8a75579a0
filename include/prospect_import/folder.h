#pragma once
// A folder held by its descriptor, and the files in it opened relative to that
// descriptor (openat, renameat, unlinkat, fstatat), never through a symbolic
// link: someone who can plant a link in the folder (`ln -s ~/.bashrc r/.lock`)
// makes the tool refuse, never write elsewhere. Files it creates are 0600
// (less under a stricter umask), as they hold personal data.

#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "prospect_import/error.h"

namespace prospect_import {

// A file descriptor that closes itself.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : m_fd(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : m_fd(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return m_fd; }
  int release();
  void reset(int fd = -1);
  explicit operator bool() const { return m_fd >= 0; }

 private:
  int m_fd = -1;
};

enum class Access { write_only, read_write };

// open_folder(): a folder that may be there already, or one that must be new
// (a name taken is an Error with errno EEXIST).
enum class Creation { open_or_create, create_new };

// Writes all of `data`, retrying short writes; false with errno set on an error.
bool write_all(int fd, std::string_view data);

class Folder {
 public:
  // Opens `dir`, first creating it and any missing parent 0700 (less under a
  // stricter umask). `dir` itself may be a symbolic link: the user named it.
  // A folder that cannot be created or opened is an Error with code 73 (74
  // when the process is out of file descriptors).
  static Result<Folder> open(const std::filesystem::path& dir);

  // Each `name` below is a plain file name inside the folder (no '/').
  // Every failure is an Error with code 73 whose message names the file (74
  // when the process is out of file descriptors: no folder would do); a
  // symbolic link is refused as such. Each also leaves errno saying why
  // (ELOOP for a link, EINVAL for a file that is not regular).

  // A new, empty file `name`, created exclusively (O_EXCL) 0600. A regular
  // file of that name (a temporary left by a kill, an old journal) is removed
  // first; a symbolic link or anything else that is not a regular file is refused.
  Result<UniqueFd> create(std::string_view name, Access access) const;
  // The existing regular file `name`, read-only; an empty UniqueFd when there is none.
  Result<UniqueFd> open_to_read(std::string_view name) const;
  // The existing regular file `name`, for writing; its absence is an error too.
  Result<UniqueFd> open_to_write(std::string_view name) const;
  // The regular file `name`, created 0600 when missing, for reading and writing (a lock file).
  Result<UniqueFd> open_or_create(std::string_view name) const;
  // Whether rename() may put a file at `name`: nothing or a regular file is there.
  Status check_replaceable(std::string_view name) const;

  // Each returns false with errno set when the system call fails. rename()
  // replaces whatever is at `to` (a link itself, never its target).
  bool rename(std::string_view from, std::string_view to) const;
  bool remove(std::string_view name) const;  // no such file counts as removed
  bool sync() const;                         // makes renames and removals durable

  // The folder `name` in this one (history/), created 0700 when missing; a
  // symbolic link or a file there is refused (73), never followed.
  Result<Folder> open_folder(std::string_view name, Creation creation) const;
  // Absent or a folder (not a link to one); else the Error open_folder would give.
  Status check_folder(std::string_view name) const;
  // Moves the entry `name` into `to` (on the same file system) as `to_name`,
  // replacing a file there; an Error (73) names both.
  Status move(std::string_view name, const Folder& to, std::string_view to_name) const;
  // The names in the folder, without . and ..
  Result<std::vector<std::string>> names() const;
  bool remove_folder(std::string_view name) const;  // an empty one; none there counts as removed
  // Whether anything (a link too) is at `name`.
  bool exists(std::string_view name) const;
  // When the entry `name` was last modified; nothing when it is not there.
  std::optional<std::time_t> modified(std::string_view name) const;
  // All of the regular file `name` (at most `limit` bytes); nothing when it is not there.
  Result<std::optional<std::string>> read_small(std::string_view name,
                                                std::size_t limit = 1 << 20) const;

  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path path_of(std::string_view name) const { return m_path / name; }

 private:
  Folder(std::filesystem::path path, int fd)
      : m_path(std::move(path)), m_fd(std::make_shared<UniqueFd>(fd)) {}
  Result<UniqueFd> open_regular(std::string_view name, int flags) const;
  // Why an operation on `name` failed; each also sets errno (see above).
  Error failure(std::string_view name, int error_number) const;
  Error not_regular(std::string_view name) const;

  std::filesystem::path m_path;    // as the user gave it, for messages
  std::shared_ptr<UniqueFd> m_fd;  // copies of a Folder share one descriptor
};

// Reads a descriptor through a std::istream, with seeking (an input read twice).
class FdReadBuffer : public std::streambuf {
 public:
  explicit FdReadBuffer(UniqueFd fd) : m_fd(std::move(fd)) {}

 protected:
  int_type underflow() override;
  pos_type seekoff(off_type offset, std::ios_base::seekdir dir,
                   std::ios_base::openmode which) override;
  pos_type seekpos(pos_type position, std::ios_base::openmode which) override;

 private:
  UniqueFd m_fd;
  std::vector<char> m_buffer = std::vector<char>(1 << 16);
};

}  // namespace prospect_import
