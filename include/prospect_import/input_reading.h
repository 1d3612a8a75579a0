#pragma once
// How an input was read, beyond its bytes: the same file read in another
// encoding, from another sheet or with another column map sends other values,
// so the journal keeps this beside the content's hash (journal.h).

#include <string>

namespace prospect_import {

struct InputReading {
  std::string encoding;   // the encoding used ("UTF-8", "CP932", ...); empty for a workbook
  std::string delimiter;  // ",", ";" or "tab"; empty for a workbook
  std::string sheet;      // the workbook's sheet; empty for a CSV
  // The file's column of each template column: "1,2,3,-,-,-,-,4" (header_map.h).
  std::string columns;
  bool operator==(const InputReading&) const = default;
};

}  // namespace prospect_import
