#include "prospect_import/table_input.h"

#include <algorithm>

#include "prospect_import/encoding.h"
#include "prospect_import/file_kind.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

NulCheck nul_check_for(const std::string& encoding) {
  return encoding == "auto" ? NulCheck::on : NulCheck::off;
}

std::string delimiter_of(char d) { return d == '\t' ? "tab" : std::string(1, d); }

}  // namespace

Result<std::unique_ptr<TableInput>> TableInput::open(const TableSource& source,
                                                     const TableSettings& settings) {
  std::unique_ptr<TableInput> table(new TableInput());
  FileSniff sniff = sniff_file_kind(source.head, nul_check_for(settings.encoding));
  Status opened;
  switch (sniff.kind) {
    case FileKind::refused:
      return input_error(ExitCode::data_error, 0, sniff.refusal);
    case FileKind::zip:
      opened = open_workbook(*table, source, settings);
      break;
    case FileKind::text:
      opened = open_csv(*table, source, settings);
      break;
  }
  if (!opened) return opened.error();
  table->m_on_encoding = settings.on_encoding;
  return table;
}

Status TableInput::open_csv(TableInput& t, const TableSource& source,
                            const TableSettings& settings) {
  if (!settings.sheet.empty()) {
    return Error{ExitCode::usage,
                 "--sheet " + settings.sheet + ": the input is CSV text, not an .xlsx workbook"};
  }
  auto csv = CsvInput::open(source.stream, CsvSettings{settings.encoding, settings.delimiter,
                                                       settings.on_encoding, settings.columns});
  if (!csv) return csv.error();
  t.m_csv = std::move(*csv);
  t.m_header = t.m_csv->header();
  t.m_reading =
      InputReading{"", delimiter_of(t.m_csv->delimiter()), "", describe_columns(t.m_header)};
  t.m_description = t.m_csv->encoding_reason() + "; " + t.m_csv->delimiter_name() + " separated";
  return {};
}

Status TableInput::open_workbook(TableInput& t, const TableSource& source,
                                 const TableSettings& settings) {
  auto whole = source.whole();
  if (!whole) return whole.error();
  auto reader = XlsxReader::open(**whole, WorkbookSettings{settings.sheet, settings.zip_limits});
  if (!reader) return reader.error();
  t.m_xlsx = std::move(*reader);
  Record header;
  if (!t.m_xlsx->next(header)) {
    return t.m_xlsx->error().value_or(input_error(
        ExitCode::data_error, 0,
        "the sheet \"" + t.m_xlsx->sheet() +
            "\" is empty: it needs a header row (`prospect-import template` prints it)"));
  }
  t.m_header = map_header(header.fields, header.line, settings.columns);
  if (t.m_header.error) return *t.m_header.error;
  t.m_reading = InputReading{"", "", t.m_xlsx->sheet(), describe_columns(t.m_header)};
  std::size_t sheets = t.m_xlsx->sheets().size();
  t.m_description = "sheet \"" + t.m_xlsx->sheet() + "\" of an .xlsx workbook" +
                    (sheets > 1 && settings.sheet.empty()
                         ? " (the first of " + std::to_string(sheets) + "; --sheet chooses another)"
                         : "");
  return {};
}

InputReading TableInput::reading() const {
  InputReading r = m_reading;
  if (m_csv) r.encoding = m_csv->encoding();
  return r;
}

bool TableInput::next(Record& record) { return read_next(record); }

std::unique_ptr<ParallelRows> TableInput::in_parallel(ParallelRows::Work work, unsigned workers) {
  auto rows = std::make_unique<ParallelRows>([this](Record& record) { return read_next(record); },
                                             std::move(work), workers);
  // The encoding's log line comes from a worker now: said in its place.
  if (m_csv && m_on_encoding) m_csv->replace_encoding_note(rows->deferred(m_on_encoding));
  rows->start();
  return rows;
}

bool TableInput::read_next(Record& record) {
  if (m_csv) return m_csv->next(record);
  while (m_xlsx->next(record)) {
    record.fields.resize(m_header.width);  // a gap at the end is empty; past the header, ignored
    if (!std::all_of(record.fields.begin(), record.fields.end(),
                     [](const std::string& f) { return trim(f).empty(); }))
      return true;
  }
  return false;
}

const std::optional<Error>& TableInput::error() const {
  return m_csv ? m_csv->error() : m_xlsx->error();
}

}  // namespace prospect_import
