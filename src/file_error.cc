#include "prospect_import/file_error.h"

namespace prospect_import {

std::string format_file_error(const std::string& path, const FileError& e) {
  const std::string file = path == "-" ? "standard input" : path;
  return e.line ? file + ":" + std::to_string(e.line) + ": " + e.message : file + ": " + e.message;
}

}  // namespace prospect_import
