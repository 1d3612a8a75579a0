#include "report_reader.h"

#include <utility>

#include "test_util.h"

namespace prospect_import::testing {

std::vector<std::vector<std::string>> parse_csv(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += text[++i];
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::exchange(field, {}));
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      fields.push_back(std::exchange(field, {}));
      records.push_back(std::exchange(fields, {}));
    } else {
      field += c;
    }
  }
  if (!field.empty() || !fields.empty()) {
    fields.push_back(field);
    records.push_back(fields);
  }
  return records;
}

std::vector<Row> read_report(const std::filesystem::path& csv) {
  auto records = parse_csv(read_file(csv));
  std::vector<Row> rows;
  if (records.empty()) return rows;
  for (size_t r = 1; r < records.size(); ++r) {
    Row row;
    for (size_t c = 0; c < records[0].size() && c < records[r].size(); ++c) {
      std::string v = records[r][c];
      const auto quotes = v.find_first_not_of('\'');
      if (quotes > 0 && quotes != std::string::npos &&
          std::string("=+-@\t\r").find(v[quotes]) != std::string::npos) {
        v.erase(0, 1);
      }
      row[records[0][c]] = v;
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace prospect_import::testing
