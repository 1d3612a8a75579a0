// The workbook path of an import: bytes -> ZipArchive -> XlsxReader -> rows.
// Mode by the first byte: even, the rest is the whole file (a zip); odd, the
// rest is split at the first NUL into sharedStrings.xml and sheet1.xml and
// packed into a workbook (stored, not compressed), so that the XML parsing is
// reached by most inputs instead of stopping at a zip's checksum.

#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_check.h"
#include "prospect_import/text.h"
#include "prospect_import/xlsx_reader.h"

namespace pi = prospect_import;

namespace {

constexpr const char* k_workbook =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
constexpr const char* k_workbook_rels =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/></Relationships>";

bool add(zip_t* z, const char* name, const std::string& body) {
  zip_source_t* s = zip_source_buffer(z, body.data(), body.size(), 0);
  if (!s) return false;
  zip_int64_t i = zip_file_add(z, name, s, ZIP_FL_OVERWRITE);
  if (i < 0) {
    zip_source_free(s);
    return false;
  }
  zip_set_file_compression(z, static_cast<zip_uint64_t>(i), ZIP_CM_STORE, 0);
  return true;
}

// A workbook whose shared strings and sheet are the fuzzer's.
std::string pack(const std::string& strings, const std::string& sheet) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(out);
  zip_t* z = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  std::string bytes;
  const std::string workbook = k_workbook, rels = k_workbook_rels;
  if (z && add(z, "xl/workbook.xml", workbook) && add(z, "xl/_rels/workbook.xml.rels", rels) &&
      add(z, "xl/sharedStrings.xml", strings) && add(z, "xl/worksheets/sheet1.xml", sheet) &&
      zip_close(z) == 0) {
    zip_stat_t st;
    if (zip_source_stat(out, &st) == 0 && zip_source_open(out) == 0) {
      bytes.resize(st.size);
      zip_source_read(out, bytes.data(), st.size);
      zip_source_close(out);
    }
  } else if (z) {
    zip_discard(z);
  }
  zip_source_free(out);
  zip_error_fini(&error);
  return bytes;
}

void read_workbook(const std::string& bytes) {
  std::istringstream in(bytes);
  pi::WorkbookSettings settings;
  settings.limits.max_entry_bytes = 8 << 20;  // bombs are refused long before the RSS limit
  settings.limits.max_total_bytes = 16 << 20;
  settings.max_shared_strings_bytes = 4 << 20;
  auto reader = pi::XlsxReader::open(in, settings);
  if (!reader) {
    FUZZ_CHECK(reader.error().code == pi::ExitCode::data_error);
    FUZZ_CHECK(!reader.error().message.empty());
    return;
  }
  pi::Record record;
  std::uint64_t last = 0;
  while ((*reader)->next(record)) {
    FUZZ_CHECK(record.line > last);
    last = record.line;
    FUZZ_CHECK(!record.fields.empty());
    FUZZ_CHECK(record.fields.size() <= 16384);
    for (const auto& f : record.fields) {
      FUZZ_CHECK(pi::is_valid_utf8(f));
      FUZZ_CHECK(f.find('\0') == std::string::npos);
      FUZZ_CHECK(f.find('\r') == std::string::npos);
    }
  }
  if ((*reader)->error()) FUZZ_CHECK((*reader)->error()->code == pi::ExitCode::data_error);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0) {
    read_workbook(rest);
    return 0;
  }
  auto nul = rest.find('\0');
  std::string strings = nul == std::string::npos ? "" : rest.substr(0, nul);
  std::string sheet = nul == std::string::npos ? rest : rest.substr(nul + 1);
  std::string packed = pack(strings, sheet);
  if (!packed.empty()) read_workbook(packed);
  return 0;
}
