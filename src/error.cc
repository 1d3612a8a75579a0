#include "prospect_import/error.h"

namespace prospect_import {

std::string describe(const Error& e, const std::string& file) {
  if (!e.about_input) return e.message;
  const std::string name = file == "-" ? "standard input" : file;
  return e.line ? name + ":" + std::to_string(e.line) + ": " + e.message : name + ": " + e.message;
}

}  // namespace prospect_import
