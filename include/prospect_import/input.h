#pragma once
// The input of a run: a file, or standard input ("-"), streamed. An online run
// reads it twice (the hash that names its journal, then the rows), so
// standard input is first kept in a spool file.

#include <filesystem>
#include <fstream>
#include <istream>
#include <optional>
#include <string>

#include "prospect_import/file_error.h"

namespace prospect_import {

class Input {
 public:
  // REQUIRES: stdin_stream outlives the input.
  explicit Input(std::istream& stdin_stream) : m_stdin(stdin_stream) {}

  // Opens `path` ("-" = standard input); a missing or unreadable file is 66.
  std::optional<FileError> open(const std::string& path);

  // Copies standard input, or a pipe given by path (`<(cat f)`), to `spool`
  // and reads from there; a no-op for a regular file.
  std::optional<FileError> spool_if_not_seekable(const std::filesystem::path& spool);

  // The hex SHA-256 of the whole input; the stream is rewound afterwards.
  // REQUIRES: the input is a file or spooled.
  std::optional<std::string> sha256();

  // Reads from the start again. REQUIRES: the input is a file or spooled.
  void rewind();

  std::istream& stream() { return *m_stream; }

 private:
  std::istream& m_stdin;
  std::ifstream m_file;
  std::istream* m_stream = nullptr;
  bool m_seekable = false;  // a regular file, or the spool
};

}  // namespace prospect_import
