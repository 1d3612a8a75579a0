#pragma once
// The one failure type of the tool (LevelDB's Status, ccache's expected):
// what went wrong, the exit code of CLI.md it leads to, and, for a problem of
// the input, the physical line it is about. Expected failures travel as
// values (Result<T>, Status); exceptions only cross library boundaries and the
// one top-level handler in run_import().

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

#include "prospect_import/exit_code.h"

namespace prospect_import {

struct Error {
  ExitCode code = ExitCode::internal;
  std::string message;     // for an input error, without the "file:line: " prefix
  std::uint64_t line = 0;  // the input's physical line (0: the whole input); see about_input
  bool about_input = false;
};

// A problem of the input itself (65, 66, 74 while reading): named after the
// file when shown, "prospects.csv:14: ...".
inline Error input_error(ExitCode code, std::uint64_t line, std::string message) {
  return Error{code, std::move(message), line, true};
}

// "prospects.csv:14: message" or "prospects.csv: message" (line 0) for an input
// error; the message alone otherwise. file "-" is "standard input".
std::string describe(const Error& e, const std::string& file);

// A value or the Error that prevented it.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_value(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : m_value(std::move(error)) {}  // NOLINT
  bool ok() const { return m_value.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& operator*() { return std::get<0>(m_value); }
  const T& operator*() const { return std::get<0>(m_value); }
  T* operator->() { return &std::get<0>(m_value); }
  const T* operator->() const { return &std::get<0>(m_value); }
  // REQUIRES: !ok()
  const Error& error() const { return std::get<1>(m_value); }

 private:
  std::variant<T, Error> m_value;
};

// Success, or the Error: `if (auto s = f(); !s) return s.error();`
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : m_error(std::move(error)) {}  // NOLINT
  bool ok() const { return !m_error; }
  explicit operator bool() const { return ok(); }
  // REQUIRES: !ok()
  const Error& error() const { return *m_error; }

 private:
  std::optional<Error> m_error;
};
using Status = Result<void>;

// Thrown only across a library boundary whose interface cannot return errors
// (a byte source inside the CSV parser) and caught right behind it.
class ErrorException : public std::runtime_error {
 public:
  explicit ErrorException(Error e) : std::runtime_error(e.message), m_error(std::move(e)) {}
  const Error& error() const { return m_error; }

 private:
  Error m_error;
};

}  // namespace prospect_import
