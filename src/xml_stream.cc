#include "prospect_import/xml_stream.h"

#include <expat.h>

#include <vector>

namespace prospect_import {
namespace {

constexpr char k_namespace_separator = '|';
constexpr std::size_t k_chunk = 1 << 16;

std::string_view local_name(const char* name) {
  std::string_view n(name);
  auto bar = n.rfind(k_namespace_separator);
  return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

}  // namespace

std::optional<std::string_view> XmlAttributes::get(std::string_view name) const {
  for (const char** p = m_pairs; p && *p; p += 2) {
    if (local_name(p[0]) == name) return std::string_view(p[1]);
  }
  return std::nullopt;
}

struct XmlStream::Impl {
  Impl(ZipEntry& e, XmlHandler& h, std::string n)
      : entry(e), handler(h), name(std::move(n)), buffer(k_chunk) {
    parser = XML_ParserCreateNS(nullptr, k_namespace_separator);
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, &Impl::on_start, &Impl::on_end);
    XML_SetCharacterDataHandler(parser, &Impl::on_text);
    XML_SetStartDoctypeDeclHandler(parser, &Impl::on_doctype);
    XML_SetEntityDeclHandler(parser, &Impl::on_entity);
    // No external entity is ever fetched, and none is declared (DOCTYPE refused).
    XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);
  }
  ~Impl() { XML_ParserFree(parser); }

  ZipEntry& entry;
  XmlHandler& handler;
  std::string name;
  XML_Parser parser;
  std::vector<char> buffer;
  std::optional<Error> error;
  bool done = false;

  void stop(std::optional<Error> e) {
    if (!e || error) return;
    error = std::move(e);
    XML_StopParser(parser, XML_FALSE);
  }

  Error malformed(const std::string& why) const {
    return input_error(ExitCode::data_error, 0,
                       "the workbook's part " + name + " is not valid XML (" + why +
                           "): save the workbook again from Excel");
  }

  static Impl& self(void* data) { return *static_cast<Impl*>(data); }
  static void on_start(void* data, const char* element, const char** attributes) {
    Impl& s = self(data);
    s.stop(s.handler.start(local_name(element), XmlAttributes(attributes)));
  }
  static void on_end(void* data, const char* element) {
    Impl& s = self(data);
    s.stop(s.handler.end(local_name(element)));
  }
  static void on_text(void* data, const char* text, int length) {
    Impl& s = self(data);
    s.stop(s.handler.text(std::string_view(text, static_cast<std::size_t>(length))));
  }
  static void on_doctype(void* data, const char*, const char*, const char*, int) {
    Impl& s = self(data);
    s.stop(input_error(ExitCode::data_error, 0,
                       "the workbook's part " + s.name +
                           " declares a document type, which no spreadsheet writes: refused "
                           "(its entities could expand without bound)"));
  }
  static void on_entity(void* data, const char*, int, const char*, int, const char*, const char*,
                        const char*, const char*) {
    on_doctype(data, nullptr, nullptr, nullptr, 0);
  }

  Result<bool> step() {
    if (done) return false;
    auto got = entry.read(buffer.data(), buffer.size());
    if (!got) return got.error();
    bool last = *got == 0;
    if (XML_Parse(parser, buffer.data(), static_cast<int>(*got), last) == XML_STATUS_ERROR) {
      if (error) return *error;
      return malformed(std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " at line " +
                       std::to_string(XML_GetCurrentLineNumber(parser)));
    }
    if (error) return *error;
    done = last;
    return !last;
  }
};

XmlStream::XmlStream(ZipEntry& entry, XmlHandler& handler, std::string part_name)
    : m_impl(std::make_unique<Impl>(entry, handler, std::move(part_name))) {}

XmlStream::~XmlStream() = default;

Result<bool> XmlStream::step() { return m_impl->step(); }

Status XmlStream::run() {
  for (;;) {
    auto more = step();
    if (!more) return more.error();
    if (!*more) return {};
  }
}

}  // namespace prospect_import
