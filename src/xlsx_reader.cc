#include "prospect_import/xlsx_reader.h"

#include <algorithm>
#include <charconv>
#include <deque>

#include "prospect_import/file_kind.h"
#include "prospect_import/header_map.h"
#include "prospect_import/text.h"
#include "prospect_import/xlsx_values.h"
#include "prospect_import/xml_stream.h"

namespace prospect_import {
namespace {

constexpr std::size_t k_max_row_bytes = k_max_line_bytes;

Error workbook_error(std::string message) {
  return input_error(ExitCode::data_error, 0, std::move(message));
}

Error row_error(std::uint64_t row, std::string message) {
  return input_error(ExitCode::data_error, row, std::move(message));
}

// What a zip that is not an .xlsx is, told by its entries; nothing for an .xlsx.
std::optional<Error> not_a_workbook(ZipArchive& zip) {
  if (zip.has("xl/workbook.xml")) return std::nullopt;
  std::string what = "a zip archive (unzip it and import the CSV inside)";
  if (zip.has("xl/workbook.bin")) {
    what = "an Excel binary workbook (.xlsb)";
  } else if (zip.has("mimetype")) {
    auto type = zip.read_all("mimetype", 256);
    if (type && type->find("opendocument.spreadsheet") != std::string::npos)
      what = "an OpenDocument spreadsheet (.ods)";
    else
      what = "an OpenDocument file";
  } else if (zip.has("Index/Document.iwa") || zip.has("Index.zip")) {
    what = "an Apple Numbers spreadsheet (.numbers)";
  } else if (zip.has("word/document.xml")) {
    what = "a Word document (.docx)";
  } else if (zip.has("ppt/presentation.xml")) {
    what = "a PowerPoint presentation (.pptx)";
  } else if (zip.has("_rels/.rels")) {
    return std::nullopt;  // an OPC package: its relationships name the workbook
  }
  return workbook_error(refusal(what));
}

// "xl/" + "worksheets/sheet1.xml", "/xl/a.xml", "../b.xml" -> a path in the zip.
std::string resolve_part(std::string_view base_dir, std::string_view target) {
  std::string joined = target.starts_with('/') ? std::string(target.substr(1))
                                               : std::string(base_dir) + std::string(target);
  std::vector<std::string> parts;
  for (std::string_view rest = joined; !rest.empty();) {
    auto slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.emplace_back(part);
    }
  }
  std::string path;
  for (const auto& p : parts) path += (path.empty() ? "" : "/") + p;
  return path;
}

std::string_view dir_of(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
}

Status parse_part(ZipArchive& zip, const std::string& name, XmlHandler& handler) {
  auto entry = zip.open_entry(name);
  if (!entry) return entry.error();
  return XmlStream(**entry, handler, name).run();
}

struct Relationship {
  std::string id;
  std::string type;
  std::string target;  // resolved to a path in the zip
};

class RelationshipsHandler final : public XmlHandler {
 public:
  explicit RelationshipsHandler(std::string_view base_dir) : m_base(base_dir) {}
  std::optional<Error> start(std::string_view name, const XmlAttributes& a) override {
    if (name != "Relationship" || a.get("TargetMode") == "External") return std::nullopt;
    rels.push_back(Relationship{std::string(a.get("Id").value_or("")),
                                std::string(a.get("Type").value_or("")),
                                resolve_part(m_base, a.get("Target").value_or(""))});
    return std::nullopt;
  }
  std::optional<Error> end(std::string_view) override { return std::nullopt; }
  std::optional<Error> text(std::string_view) override { return std::nullopt; }
  std::vector<Relationship> rels;

 private:
  std::string m_base;
};

// The relationships of `part` (its _rels/NAME.rels), none when it has none.
Result<std::vector<Relationship>> relationships_of(ZipArchive& zip, std::string_view part) {
  std::string_view dir = dir_of(part);
  std::string rels = std::string(dir) + "_rels/" + std::string(part.substr(dir.size())) + ".rels";
  RelationshipsHandler handler(dir);
  if (!zip.has(rels)) return handler.rels;
  if (auto s = parse_part(zip, rels, handler); !s) return s.error();
  return handler.rels;
}

const Relationship* find_type(const std::vector<Relationship>& rels, std::string_view suffix) {
  for (const auto& r : rels) {
    if (r.type.ends_with(suffix)) return &r;
  }
  return nullptr;
}

struct SheetEntry {
  std::string name;
  std::string relationship;
};

class WorkbookHandler final : public XmlHandler {
 public:
  std::optional<Error> start(std::string_view name, const XmlAttributes& a) override {
    if (name == "sheet")
      sheets.push_back(
          {std::string(a.get("name").value_or("")), std::string(a.get("id").value_or(""))});
    return std::nullopt;
  }
  std::optional<Error> end(std::string_view) override { return std::nullopt; }
  std::optional<Error> text(std::string_view) override { return std::nullopt; }
  std::vector<SheetEntry> sheets;
};

// The text of a <si> or <is>: its <t>s, rich runs joined, phonetic runs
// (<rPh>, the furigana a Japanese Excel keeps) left out.
class RichText {
 public:
  void start(std::string_view name) {
    if (name == "rPh") ++m_phonetic;
    if (name == "t" && m_phonetic == 0) m_in_t = true;
  }
  void end(std::string_view name) {
    if (name == "rPh" && m_phonetic > 0) --m_phonetic;
    if (name == "t") m_in_t = false;
  }
  bool takes_text() const { return m_in_t; }
  void reset() { m_in_t = false, m_phonetic = 0; }

 private:
  bool m_in_t = false;
  int m_phonetic = 0;
};

std::optional<Error> append_capped(std::string& to, std::string_view text, std::uint64_t row) {
  if (to.size() + text.size() > k_max_record_bytes) {
    return row_error(row, "a cell holds more than 1 MiB of text: this is not a prospects sheet");
  }
  to.append(text);
  return std::nullopt;
}

class SharedStringsHandler final : public XmlHandler {
 public:
  explicit SharedStringsHandler(std::uint64_t max_bytes) : m_max(max_bytes) {}

  std::optional<Error> start(std::string_view name, const XmlAttributes&) override {
    if (name == "si") {
      m_in_si = true;
      m_text.clear();
      m_rich.reset();
    } else if (m_in_si) {
      m_rich.start(name);
    }
    return std::nullopt;
  }
  std::optional<Error> end(std::string_view name) override {
    if (name != "si") {
      m_rich.end(name);
      return std::nullopt;
    }
    m_in_si = false;
    blob += decode_xstring(m_text);
    ends.push_back(blob.size());
    if (blob.size() > m_max) {
      return workbook_error("the workbook's shared strings hold more than " +
                            std::to_string(m_max >> 20) + " MiB of text");
    }
    return std::nullopt;
  }
  std::optional<Error> text(std::string_view t) override {
    if (m_in_si && m_rich.takes_text()) return append_capped(m_text, t, 0);
    return std::nullopt;
  }

  std::string blob;                 // every string, one after the other
  std::vector<std::uint64_t> ends;  // where each ends in blob

 private:
  std::uint64_t m_max;
  bool m_in_si = false;
  RichText m_rich;
  std::string m_text;
};

struct SharedStrings {
  std::string blob;
  std::vector<std::uint64_t> ends;
  std::optional<std::string_view> at(std::size_t i) const {
    if (i >= ends.size()) return std::nullopt;
    std::uint64_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(blob).substr(begin, ends[i] - begin);
  }
};

// A cell's <v> or <is> made into its value, by its type (t=).
std::optional<Error> cell_value(std::string_view type, std::string& raw,
                                const SharedStrings& strings, std::uint64_t row, std::string& out) {
  if (type == "s") {
    std::size_t i = 0;
    auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), i);
    auto s = ec == std::errc() && end == raw.data() + raw.size() ? strings.at(i) : std::nullopt;
    if (!s) {
      return row_error(row, "a cell refers to shared string \"" + raw + "\", which the workbook (" +
                                std::to_string(strings.ends.size()) + " strings) does not have");
    }
    out.assign(*s);
  } else if (type == "inlineStr" || type == "str" || type == "e" || type == "d") {
    out = decode_xstring(raw);
  } else if (type == "b") {
    out = trim(raw) == "1" ? "TRUE" : trim(raw) == "0" ? "FALSE" : raw;
  } else {
    out = format_number(raw);
  }
  // A line break in a cell reads as LF, as in a quoted CSV field.
  for (std::size_t i = out.find('\r'); i != std::string::npos; i = out.find('\r', i)) {
    if (i + 1 < out.size() && out[i + 1] == '\n')
      out.erase(i, 1);
    else
      out[i] = '\n';
  }
  out.erase(std::remove(out.begin(), out.end(), '\0'), out.end());
  return std::nullopt;
}

bool blank(const std::vector<std::string>& fields) {
  return std::all_of(fields.begin(), fields.end(),
                     [](const std::string& f) { return trim(f).empty(); });
}

// The rows of a sheet's XML, as they complete.
class SheetHandler final : public XmlHandler {
 public:
  explicit SheetHandler(const SharedStrings& strings) : m_strings(strings) {}

  std::optional<Error> start(std::string_view name, const XmlAttributes& a) override {
    if (name == "row") return start_row(a);
    if (!m_in_row) return std::nullopt;
    if (name == "c") return start_cell(a);
    if (name == "v") m_in_v = true;
    if (name == "is") m_in_is = true;
    if (m_in_is) m_rich.start(name);
    return std::nullopt;
  }

  std::optional<Error> end(std::string_view name) override {
    if (name == "v") m_in_v = false;
    if (name == "is") m_in_is = false;
    m_rich.end(name);
    if (name == "c" && m_in_cell) return end_cell();
    if (name == "row" && m_in_row) return end_row();
    return std::nullopt;
  }

  std::optional<Error> text(std::string_view t) override {
    if (m_in_cell && (m_in_v || (m_in_is && m_rich.takes_text())))
      return append_capped(m_raw, t, m_row);
    return std::nullopt;
  }

  std::deque<Record> rows;  // complete rows not yet taken

 private:
  std::optional<Error> start_row(const XmlAttributes& a) {
    auto r = a.get("r");
    std::optional<std::uint64_t> number = r ? parse_row_number(*r) : m_last_row + 1;
    if (!number)
      return row_error(m_last_row + 1,
                       "a row's number \"" + std::string(*r) + "\" is not a row number");
    if (*number <= m_last_row) {
      return row_error(*number, "the sheet's rows are out of order (row " +
                                    std::to_string(*number) + " after row " +
                                    std::to_string(m_last_row) +
                                    "): save the workbook again from Excel");
    }
    m_row = m_last_row = *number;
    m_in_row = true;
    m_fields.clear();
    m_row_bytes = 0;
    m_next_column = 0;
    return std::nullopt;
  }

  std::optional<Error> start_cell(const XmlAttributes& a) {
    auto ref = a.get("r");
    std::optional<std::size_t> column =
        ref ? column_of_reference(*ref) : std::optional(m_next_column);
    if (!column || *column >= k_max_sheet_columns) {
      return row_error(m_row, "a cell's reference \"" + std::string(ref.value_or("")) +
                                  "\" is not a column of a sheet");
    }
    m_column = *column;
    m_type = std::string(a.get("t").value_or("n"));
    m_raw.clear();
    m_in_cell = true;
    m_in_v = m_in_is = false;
    m_rich.reset();
    return std::nullopt;
  }

  std::optional<Error> end_cell() {
    m_in_cell = false;
    m_next_column = m_column + 1;
    if (m_raw.empty()) return std::nullopt;
    if (m_fields.size() <= m_column) m_fields.resize(m_column + 1);
    if (auto e = cell_value(m_type, m_raw, m_strings, m_row, m_fields[m_column])) return e;
    m_row_bytes += m_fields[m_column].size();
    if (m_row_bytes > k_max_row_bytes)
      return row_error(m_row,
                       "the row holds more than 16 MiB of text: this is not a prospects sheet");
    return std::nullopt;
  }

  std::optional<Error> end_row() {
    m_in_row = false;
    if (!blank(m_fields)) rows.push_back(Record{m_row, std::move(m_fields)});
    m_fields = {};
    return std::nullopt;
  }

  const SharedStrings& m_strings;
  std::uint64_t m_last_row = 0;
  std::uint64_t m_row = 0;
  bool m_in_row = false;
  bool m_in_cell = false;
  bool m_in_v = false;
  bool m_in_is = false;
  RichText m_rich;
  std::size_t m_column = 0;
  std::size_t m_next_column = 0;
  std::string m_type;
  std::string m_raw;
  std::vector<std::string> m_fields;
  std::size_t m_row_bytes = 0;
};

// The sheet of that name: as written, else in any ASCII case (Excel's rule).
const SheetEntry* choose_sheet(const std::vector<SheetEntry>& sheets, const std::string& name) {
  if (sheets.empty()) return nullptr;
  if (name.empty()) return &sheets.front();
  for (const auto& s : sheets) {
    if (s.name == name) return &s;
  }
  for (const auto& s : sheets) {
    if (iequals_ascii(s.name, name)) return &s;
  }
  return nullptr;
}

}  // namespace

struct XlsxReader::Impl {
  std::unique_ptr<ZipArchive> zip;
  SharedStrings strings;
  std::vector<std::string> sheet_names;
  std::string sheet;
  std::unique_ptr<ZipEntry> entry;
  std::unique_ptr<SheetHandler> handler;
  std::unique_ptr<XmlStream> stream;
  std::optional<Error> error;
  bool done = false;

  Status load(const WorkbookSettings& settings) {
    if (auto e = not_a_workbook(*zip)) return *e;
    auto package = relationships_of(*zip, "");
    if (!package) return package.error();
    const Relationship* office = find_type(*package, "/officeDocument");
    std::string workbook = office ? office->target : "xl/workbook.xml";
    if (!zip->has(workbook)) return workbook_error(refusal("a zip archive without a workbook"));
    WorkbookHandler book;
    if (auto s = parse_part(*zip, workbook, book); !s) return s.error();
    auto rels = relationships_of(*zip, workbook);
    if (!rels) return rels.error();
    for (const auto& s : book.sheets) sheet_names.push_back(s.name);
    const SheetEntry* chosen = choose_sheet(book.sheets, settings.sheet);
    if (!chosen) return no_such_sheet(settings.sheet);
    sheet = chosen->name;
    if (auto s = load_strings(*rels, settings); !s) return s.error();
    auto it = std::find_if(rels->begin(), rels->end(),
                           [&](const Relationship& r) { return r.id == chosen->relationship; });
    if (it == rels->end())
      return workbook_error("the workbook's sheet \"" + sheet + "\" has no part");
    auto opened = zip->open_entry(it->target);
    if (!opened) return opened.error();
    entry = std::move(*opened);
    handler = std::make_unique<SheetHandler>(strings);
    stream = std::make_unique<XmlStream>(*entry, *handler, it->target);
    return {};
  }

  Error no_such_sheet(const std::string& name) const {
    if (sheet_names.empty()) return workbook_error("the workbook has no sheet");
    return workbook_error("the workbook has no sheet \"" + name + "\"; its sheets are " +
                          quoted_list(sheet_names) + " (--sheet NAME chooses one)");
  }

  Status load_strings(const std::vector<Relationship>& rels, const WorkbookSettings& settings) {
    const Relationship* r = find_type(rels, "/sharedStrings");
    if (!r || !zip->has(r->target)) return {};
    SharedStringsHandler parsed(settings.max_shared_strings_bytes);
    if (auto s = parse_part(*zip, r->target, parsed); !s) return s.error();
    strings.blob = std::move(parsed.blob);
    strings.ends = std::move(parsed.ends);
    strings.blob.shrink_to_fit();
    strings.ends.shrink_to_fit();
    return {};
  }

  bool next(Record& record) {
    while (handler->rows.empty()) {
      if (done || error) return false;
      auto more = stream->step();
      if (!more) {
        error = more.error();  // rows completed before it are still rows
        if (handler->rows.empty()) return false;
        break;
      }
      done = !*more;
    }
    record = std::move(handler->rows.front());
    handler->rows.pop_front();
    return true;
  }
};

XlsxReader::XlsxReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
XlsxReader::~XlsxReader() = default;

Result<std::unique_ptr<XlsxReader>> XlsxReader::open(std::istream& in,
                                                     const WorkbookSettings& settings) {
  auto impl = std::make_unique<Impl>();
  auto zip = ZipArchive::open(in, settings.limits);
  if (!zip) return zip.error();
  impl->zip = std::move(*zip);
  if (auto s = impl->load(settings); !s) return s.error();
  return std::unique_ptr<XlsxReader>(new XlsxReader(std::move(impl)));
}

bool XlsxReader::next(Record& record) { return m_impl->next(record); }
const std::optional<Error>& XlsxReader::error() const { return m_impl->error; }
const std::string& XlsxReader::sheet() const { return m_impl->sheet; }
const std::vector<std::string>& XlsxReader::sheets() const { return m_impl->sheet_names; }

}  // namespace prospect_import
