#pragma once
// The rows of one sheet of an .xlsx workbook, streamed: the zip's directory
// and the shared strings are read first (the shared-string table is what a
// workbook import holds in memory), then the sheet's XML is parsed a chunk
// at a time. Cells come as a CSV would carry them (xlsx_values.h); a row's
// number is the sheet's own.

#include <cstddef>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "prospect_import/csv_reader.h"
#include "prospect_import/error.h"
#include "prospect_import/zip_archive.h"

namespace prospect_import {

struct WorkbookSettings {
  std::string sheet;  // --sheet: the sheet to read; empty: the first
  ZipLimits limits;
  std::uint64_t max_shared_strings_bytes = 1ull << 30;  // the text of every shared string
};

class XlsxReader {
 public:
  // Opens the workbook that `in` holds. A zip that is not an .xlsx (an .ods,
  // a .numbers, a Word file, ...), a sheet the workbook does not have (the
  // message lists its sheets) or a damaged workbook is a data error (65).
  // REQUIRES: `in` can seek, and outlives the reader.
  static Result<std::unique_ptr<XlsxReader>> open(std::istream& in,
                                                  const WorkbookSettings& settings);
  ~XlsxReader();
  XlsxReader(const XlsxReader&) = delete;
  XlsxReader& operator=(const XlsxReader&) = delete;

  // The next row that is not blank: its number the sheet's, its fields the
  // cells in column order with "" for a gap. False at the end or on an error.
  bool next(Record& record);
  const std::optional<Error>& error() const;

  const std::string& sheet() const;  // the name of the sheet being read
  const std::vector<std::string>& sheets() const;

 private:
  struct Impl;
  explicit XlsxReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace prospect_import
