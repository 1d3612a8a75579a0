#include "paging.h"

#include <algorithm>
#include <optional>

namespace prospect_sandbox {
namespace {

constexpr long k_saturated = 1'000'000'000;

// A whole number >= 1 (saturating, so huge values stay huge), else nothing.
std::optional<long> positive_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  long value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = std::min(value * 10 + (c - '0'), k_saturated);
  }
  if (value < 1) return std::nullopt;
  return value;
}

std::optional<long> read_number(const FormFields& query, const char* name, long fallback,
                                std::vector<FieldError>& errors) {
  const auto text = find_field(query, name);
  if (!text) return fallback;
  const auto value = positive_number(*text);
  if (!value) errors.push_back({name, "Must be a whole number of at least 1"});
  return value;
}

}  // namespace

std::variant<PageRequest, std::vector<FieldError>> parse_page_request(const FormFields& query) {
  std::vector<FieldError> errors;
  const auto page = read_number(query, "Page", 1, errors);
  const auto size = read_number(query, "PageSize", 100, errors);
  if (!errors.empty()) return errors;
  return PageRequest{*page, std::min(*size, k_max_page_size)};
}

OrderedJson make_page(const OrderedJson& items, const PageRequest& request,
                      const std::string& list_name, const std::string& path) {
  const long total = static_cast<long>(items.size());
  const long pages = (total + request.page_size - 1) / request.page_size;
  const long first = std::min(total, (request.page - 1) * request.page_size);
  const long last = std::min(total, first + request.page_size);
  OrderedJson list = OrderedJson::array();
  for (long i = first; i < last; ++i) list.push_back(items[static_cast<size_t>(i)]);
  const std::string next = request.page < pages
                               ? path + "?Page=" + std::to_string(request.page + 1) +
                                     "&PageSize=" + std::to_string(request.page_size)
                               : "";
  return {{"@page", std::to_string(request.page)},
          {"@numpages", std::to_string(pages)},
          {"@pagesize", std::to_string(request.page_size)},
          {"@total", std::to_string(total)},
          {"@nextpageuri", next},
          {list_name, list}};
}

}  // namespace prospect_sandbox
