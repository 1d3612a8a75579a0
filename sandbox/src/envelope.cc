#include "envelope.h"

namespace prospect_sandbox {

OrderedJson error_envelope(const std::string& message, const std::vector<FieldError>& errors) {
  OrderedJson list = OrderedJson::array();
  for (const auto& error : errors)
    list.push_back({{"Field", error.field}, {"Message", error.message}});
  return {{"Status", "ERROR"}, {"Message", message}, {"Errors", list}};
}

std::string to_text(const OrderedJson& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace prospect_sandbox
