#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace prospect_sandbox {

using OrderedJson = nlohmann::ordered_json;

// One entry of the error envelope's `Errors`.
struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

// {"Status": "ERROR", "Message": message, "Errors": [{"Field", "Message"}]}
OrderedJson error_envelope(const std::string& message, const std::vector<FieldError>& errors = {});

// UTF-8 JSON text; invalid UTF-8 inside strings is replaced, never thrown.
std::string to_text(const OrderedJson& json);

}  // namespace prospect_sandbox
