#pragma once
// An XML part of a zip, parsed as it streams (expat). Hardened for files from
// anywhere: a document type declaration (and so any entity) is refused, names
// are seen without their namespace prefix, and a handler stops the parse by
// returning an error instead of throwing through C code.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "prospect_import/error.h"
#include "prospect_import/zip_archive.h"

namespace prospect_import {

// What an element's attribute list looks like to a handler.
class XmlAttributes {
 public:
  explicit XmlAttributes(const char** pairs) : m_pairs(pairs) {}
  // The value of the attribute whose local name (namespace dropped) is `name`.
  std::optional<std::string_view> get(std::string_view name) const;

 private:
  const char** m_pairs;
};

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  // Names are local names; a returned error stops the parse and becomes its result.
  virtual std::optional<Error> start(std::string_view name, const XmlAttributes& attributes) = 0;
  virtual std::optional<Error> end(std::string_view name) = 0;
  virtual std::optional<Error> text(std::string_view text) = 0;
};

class XmlStream {
 public:
  // REQUIRES: entry and handler outlive the stream.
  XmlStream(ZipEntry& entry, XmlHandler& handler, std::string part_name);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  // Parses the next chunk of the part: true while more follows, false at its
  // end; a malformed part, a DOCTYPE or a handler's error is a data error (65).
  Result<bool> step();
  // The whole part.
  Status run();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace prospect_import
