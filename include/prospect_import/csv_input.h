#pragma once
// The input as records under the template's columns: bytes decoded (encoding
// auto-detected or as asked), records read (delimiter sniffed or as asked) and
// the header record mapped to the template. Every pass over the input, offline
// or online, starts here, so they all see the same rows.

#include <functional>
#include <istream>
#include <memory>
#include <string>

#include "prospect_import/csv_reader.h"
#include "prospect_import/error.h"
#include "prospect_import/header_map.h"

namespace prospect_import {

struct CsvSettings {
  std::string encoding = "auto";   // --encoding (checked by the CLI layer)
  std::string delimiter = "auto";  // --delimiter: auto, ',', ';', tab
  // Told why the encoding is the one it is (for the log) when it is settled
  // after the header: `auto` decides at the first non-ASCII byte, which may be
  // late in the file. Before, encoding_reason() says it.
  std::function<void(const std::string&)> on_encoding;
  ColumnMap columns;  // --map, --map-file
};

class CsvInput {
 public:
  // Reads the header record. An empty file, an undecodable one, or a header
  // without a required column is an input error (65).
  // REQUIRES: `in` outlives the CsvInput.
  static Result<std::unique_ptr<CsvInput>> open(std::istream& in, const CsvSettings& settings);

  const HeaderMap& header() const { return m_header; }
  // The encoding, or "ASCII so far" while `auto` has seen no other byte.
  std::string encoding() const;
  // Why that encoding (for the log's "reading" line); settled later, the
  // reason goes to CsvSettings::on_encoding.
  std::string encoding_reason() const;
  char delimiter() const { return m_reader->delimiter(); }
  // "','", "';'" or "tab", for the log.
  std::string delimiter_name() const;

  // CsvSettings::on_encoding replaced by `note`, if the encoding is not settled yet.
  void replace_encoding_note(std::function<void(const std::string&)> note);

  // The next record; false at the end or on an input error (error()).
  bool next(Record& record) { return m_reader->next(record); }
  const std::optional<Error>& error() const { return m_reader->error(); }

 private:
  CsvInput() = default;
  std::unique_ptr<CsvReader> m_reader;
  HeaderMap m_header;
  Decoder* m_decoder = nullptr;  // owned by m_reader
};

}  // namespace prospect_import
