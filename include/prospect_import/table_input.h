#pragma once
// The input as records under the template's columns, whatever the file is:
// CSV text (csv_input.h) or an .xlsx workbook (xlsx_reader.h), told apart by
// its content (file_kind.h); anything else is refused here with the way out.
// Every pass over the input, offline or online, starts here, so they all see
// the same rows.

#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "prospect_import/csv_input.h"
#include "prospect_import/error.h"
#include "prospect_import/header_map.h"
#include "prospect_import/input_reading.h"
#include "prospect_import/parallel_rows.h"
#include "prospect_import/xlsx_reader.h"

namespace prospect_import {

struct TableSettings {
  std::string encoding = "auto";   // --encoding
  std::string delimiter = "auto";  // --delimiter
  std::string sheet;               // --sheet: empty for the first
  ColumnMap columns;               // --map, --map-file
  ZipLimits zip_limits;            // a workbook's bounds
  // A CSV's encoding settled after the header: why (CsvSettings::on_encoding).
  std::function<void(const std::string&)> on_encoding;
};

// Where the table comes from.
struct TableSource {
  std::istream& stream;   // the input from its start, read once (CSV)
  std::string_view head;  // its first k_sniff_bytes, which decide its kind
  // The whole input in a stream that can seek (a workbook's need): Input::whole().
  std::function<Result<std::istream*>()> whole;
};

class TableInput {
 public:
  // Reads the header record. An empty file, an undecodable one, a file that
  // is neither CSV nor .xlsx, a sheet the workbook lacks, or a header without
  // a required column is an input error (65); --sheet for a CSV is 2.
  // REQUIRES: the source's streams outlive the TableInput.
  static Result<std::unique_ptr<TableInput>> open(const TableSource& source,
                                                  const TableSettings& settings);

  const HeaderMap& header() const { return m_header; }
  // How it was read: the journal's record of it (a CSV's encoding as
  // settled so far: call it after the rows were read).
  InputReading reading() const;
  // For the log: "UTF-8, ',' separated" or "sheet \"Prospects\" of 2".
  const std::string& description() const { return m_description; }

  // The next record; false at the end or on an input error (error()). A
  // workbook's rows have the header's width: cells past it are ignored.
  bool next(Record& record);
  const std::optional<Error>& error() const;

  // The records from here on, read and worked on by several threads
  // (parallel_rows.h), with the same log lines in the same places; reading()
  // is left unchanged until the last slot was taken.
  // REQUIRES: next() is not called again; the result goes before the TableInput.
  std::unique_ptr<ParallelRows> in_parallel(ParallelRows::Work work, unsigned workers);

 private:
  TableInput() = default;
  static Status open_csv(TableInput& t, const TableSource& source, const TableSettings& settings);
  static Status open_workbook(TableInput& t, const TableSource& source,
                              const TableSettings& settings);
  bool read_next(Record& record);
  std::unique_ptr<CsvInput> m_csv;  // one of these two
  std::unique_ptr<XlsxReader> m_xlsx;
  HeaderMap m_header;
  InputReading m_reading;
  std::string m_description;
  std::function<void(const std::string&)> m_on_encoding;  // TableSettings::on_encoding
};

}  // namespace prospect_import
