#pragma once
// --map and --map-file: the template columns a file has under other names
// (a CRM export's "Company", "Email", "Website"), as
// "Template Column=Their Column" pairs.

#include <optional>
#include <string>
#include <vector>

#include "prospect_import/error.h"
#include "prospect_import/template.h"

namespace prospect_import {

struct ColumnMapping {
  Column column;       // the template's
  std::string theirs;  // the file's header, trimmed
  std::string origin;  // where it was said, for messages: "--map" or "map.txt:3"
  bool operator==(const ColumnMapping&) const = default;
};

using ColumnMap = std::vector<ColumnMapping>;

// Parses the --map values ("Partner Name=Company,Contact Email=Email"; a
// template column by its English or Japanese header or its API field name)
// and the lines of --map-file (one pair a line; blank lines and lines
// starting with # are skipped). A wrong pair or a template column mapped
// twice is a usage error (2); a map file that cannot be read is 66.
Result<ColumnMap> load_column_map(const std::vector<std::string>& map_values,
                                  const std::optional<std::string>& map_file);

// Parses one text of pairs separated by `separator` (',' for --map, '\n'
// for a map file, whose messages then name the line), appending to `map`.
Status parse_column_map(std::string_view text, char separator, const std::string& origin,
                        ColumnMap& map);

// "Partner Name=Company,Contact Email=Email": what --map would take.
std::string to_string(const ColumnMap& map);

}  // namespace prospect_import
