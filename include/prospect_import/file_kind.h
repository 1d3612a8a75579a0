#pragma once
// What kind of file the input is, told by its content and never by its name:
// CSV text (in any encoding, UTF-16 without a BOM included), a zip (an .xlsx,
// or an .ods, .numbers or other archive: zip_archive.h looks inside), or a
// file that cannot be imported (an .xls, a PDF, an image, other binary data),
// which is refused with the way out. Checked before the encoding is detected.

#include <cstddef>
#include <string>
#include <string_view>

namespace prospect_import {

// How much of the start of the input decides its kind.
inline constexpr std::size_t k_sniff_bytes = 4096;

enum class FileKind {
  text,     // CSV text: the decoder takes it from here
  zip,      // a zip archive: an .xlsx workbook, or what its entries say
  refused,  // not a table this tool reads: FileSniff::refusal says why
};

struct FileSniff {
  FileKind kind = FileKind::text;
  std::string refusal;  // for `refused`: "this is ...: save it as CSV UTF-8 or .xlsx"
};

enum class NulCheck {
  on,   // NUL bytes outside a UTF-16 pattern mean binary data (--encoding auto)
  off,  // an explicit --encoding: the user said how to read it, magic numbers only
};

// REQUIRES: head is the first min(k_sniff_bytes, size) bytes of the input.
FileSniff sniff_file_kind(std::string_view head, NulCheck nul_check = NulCheck::on);

// Whether NUL bytes in `head` can be UTF-16 text without a BOM: NULs only at
// even or only at odd offsets (mostly), and no code unit 0x0000.
bool plausible_utf16(std::string_view head);

// "save it as CSV UTF-8 or .xlsx", the end of every refusal.
std::string refusal(std::string_view what_it_is);

}  // namespace prospect_import
