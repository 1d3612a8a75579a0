#include "prospect_import/input.h"

#include <cerrno>
#include <cstring>

#include "prospect_import/journal.h"

namespace prospect_import {

std::optional<FileError> Input::open(const std::string& path) {
  if (path == "-") {
    m_stream = &m_stdin;
    return std::nullopt;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return FileError{ExitCode::no_input, 0, "is a folder, not a CSV file"};
  m_file.open(path, std::ios::binary);
  if (!m_file) return FileError{ExitCode::no_input, 0, std::string("cannot open the file: ") + std::strerror(errno)};
  m_stream = &m_file;
  m_seekable = std::filesystem::is_regular_file(path, ec);
  return std::nullopt;
}

std::optional<FileError> Input::spool_if_not_seekable(const std::filesystem::path& spool) {
  if (m_seekable) return std::nullopt;
  std::istream& in = *m_stream;
  std::ofstream out(spool, std::ios::binary | std::ios::trunc);
  std::string buffer(1 << 16, '\0');
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    out.write(buffer.data(), in.gcount());
  }
  out.close();
  if (!out || in.bad()) {
    return FileError{ExitCode::io_error, 0, "cannot keep the input in " + spool.string() + ": " + std::strerror(errno)};
  }
  m_file.close();
  m_file.clear();
  m_file.open(spool, std::ios::binary);
  m_stream = &m_file;
  m_seekable = true;
  return std::nullopt;
}

std::optional<std::string> Input::sha256() {
  auto hash = sha256_of(*m_stream);
  rewind();
  return hash;
}

void Input::rewind() {
  m_stream->clear();
  m_stream->seekg(0);
}

}  // namespace prospect_import
