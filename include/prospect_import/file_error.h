#pragma once
// A problem that makes the whole input unusable (exit 65) or unreadable (66, 74):
// a value, with the exit code it leads to and a message a user can act on.

#include <cstdint>
#include <stdexcept>
#include <string>

#include "prospect_import/exit_code.h"

namespace prospect_import {

struct FileError {
  ExitCode code;
  std::uint64_t line;    // physical line of the input it is about; 0 = the whole file
  std::string message;   // without the "file:line: " prefix
};

// Thrown only across the fast-cpp-csv-parser boundary (whose byte source
// interface cannot return errors) and caught in the CSV reader.
class FileErrorException : public std::runtime_error {
 public:
  explicit FileErrorException(FileError e)
      : std::runtime_error(e.message), m_error(std::move(e)) {}
  const FileError& error() const { return m_error; }

 private:
  FileError m_error;
};

// "prospects.csv:14: message", or "prospects.csv: message" for line 0.
std::string format_file_error(const std::string& file, const FileError& e);

}  // namespace prospect_import
