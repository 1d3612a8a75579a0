#include "prospect_import/template.h"

namespace prospect_import {

std::string template_header_line() {
  std::string line;
  for (const auto& c : k_columns) {
    if (!line.empty()) line += ',';
    line += c.header;
  }
  return line;
}

}  // namespace prospect_import
