#include "http_types.h"

#include "utf8.h"

namespace prospect_sandbox {

std::string header_value(const HeaderList& headers, std::string_view name) {
  const std::string wanted = ascii_lower(name);
  for (const auto& [key, value] : headers) {
    if (ascii_lower(key) == wanted) return value;
  }
  return "";
}

}  // namespace prospect_sandbox
