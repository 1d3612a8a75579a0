#include "prospect_import/csv_input.h"

#include "prospect_import/encoding.h"

namespace prospect_import {
namespace {

char delimiter_char(const std::string& d) {
  if (d == "tab" || d == "\\t" || d == "\t") return '\t';
  if (d == "auto" || d.empty()) return '\0';
  return d.front();
}

}  // namespace

Result<std::unique_ptr<CsvInput>> CsvInput::open(std::istream& in, const CsvSettings& settings) {
  auto request = parse_encoding(settings.encoding);
  auto decoder = make_decoder(in, request.value_or(EncodingRequest{}));
  std::unique_ptr<CsvInput> input(new CsvInput());
  input->m_decoder = decoder.get();
  input->m_reader =
      std::make_unique<CsvReader>(std::move(decoder), delimiter_char(settings.delimiter));
  Record record;
  if (!input->m_reader->next(record)) {
    return input->m_reader->error().value_or(input_error(
        ExitCode::data_error, 0,
        "the file is empty: it needs a header row (`prospect-import template` prints it)"));
  }
  input->m_header = map_header(record.fields, record.line, settings.columns);
  if (input->m_header.error) return *input->m_header.error;
  if (settings.on_encoding && input->m_decoder->encoding().empty())
    input->m_decoder->on_decided(settings.on_encoding);
  return input;
}

void CsvInput::replace_encoding_note(std::function<void(const std::string&)> note) {
  if (m_decoder->encoding().empty()) m_decoder->on_decided(std::move(note));
}

std::string CsvInput::encoding() const {
  std::string e = m_decoder->encoding();
  return e.empty() ? "ASCII so far" : e;
}

std::string CsvInput::encoding_reason() const {
  std::string why = m_decoder->reason();
  return why.empty() ? "ASCII so far: the encoding is decided at the first other byte" : why;
}

std::string CsvInput::delimiter_name() const {
  char d = m_reader->delimiter();
  return d == '\t' ? "tab" : std::string("'") + d + "'";
}

}  // namespace prospect_import
