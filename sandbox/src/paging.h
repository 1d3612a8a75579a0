#pragma once

#include "envelope.h"
#include "form.h"

#include <string>
#include <variant>
#include <vector>

namespace prospect_sandbox {

struct PageRequest {
  long page = 1;         // 1-based
  long page_size = 100;  // 1..1000
  bool operator==(const PageRequest&) const = default;
};

constexpr long k_max_page_size = 1000;

// Reads `Page` (default 1) and `PageSize` (default 100, above 1000 means 1000)
// from a decoded query. Either must be a whole number of at least 1.
std::variant<PageRequest, std::vector<FieldError>> parse_page_request(const FormFields& query);

// One page of `items` under `list_name`, with the `@` metadata as strings.
// `@nextpageuri` is `path` with the next page's query, "" on the last page.
OrderedJson make_page(const OrderedJson& items, const PageRequest& request,
                      const std::string& list_name, const std::string& path);

}  // namespace prospect_sandbox
