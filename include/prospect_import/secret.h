#pragma once
// A value that must never be printed: the auth token. It has no stream
// operator and no implicit conversion; reveal() is called in one place only,
// where libcurl is handed the credentials.

#include <string>

namespace prospect_import {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : m_value(std::move(value)) {}
  const std::string& reveal() const { return m_value; }
  bool empty() const { return m_value.empty(); }

 private:
  std::string m_value;
};

}  // namespace prospect_import
