#include "prospect_import/file_kind.h"

#include <algorithm>
#include <array>

namespace prospect_import {
namespace {

struct Magic {
  std::string_view bytes;
  std::string_view what;
};

// Files people export by mistake; the zip signatures are handled apart.
constexpr std::array<Magic, 13> k_magic{{
    {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "an Excel 97-2003 workbook (.xls)"},  // OLE2
    {"%PDF-", "a PDF document"},
    {"\x89PNG\r\n\x1A\n", "a PNG image"},
    {"\xFF\xD8\xFF", "a JPEG image"},
    {"GIF87a", "a GIF image"},
    {"GIF89a", "a GIF image"},
    {"\x1F\x8B", "a gzip-compressed file (gunzip it first)"},
    {"BZh", "a bzip2-compressed file (bunzip2 it first)"},
    {"\xFD"
     "7zXZ",
     "an xz-compressed file (unxz it first)"},
    {"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
    {"Rar!\x1A\x07", "a RAR archive"},
    {"\x7F"
     "ELF",
     "a program, not a table"},
    {"{\\rtf", "an RTF document"},
}};

// Stream names of an OLE2 file, in its UTF-16 directory.
constexpr std::string_view k_ole_word = {"W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0", 24};
constexpr std::string_view k_ole_encrypted = {"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0",
                                              32};

bool starts_with_bom(std::string_view head) {
  return head.starts_with("\xEF\xBB\xBF") || head.starts_with("\xFF\xFE") ||
         head.starts_with("\xFE\xFF");
}

std::string what_ole2_is(std::string_view head) {
  // The directory, with the streams' UTF-16 names, is often in the first sectors.
  if (head.find(k_ole_word) != std::string_view::npos) return "a Word 97-2003 document (.doc)";
  if (head.find(k_ole_encrypted) != std::string_view::npos)
    return "a password-protected Office file (remove the password in Excel first)";
  return "an Excel 97-2003 workbook (.xls)";
}

}  // namespace

std::string refusal(std::string_view what_it_is) {
  return "this is " + std::string(what_it_is) + ", not a CSV file: save it as CSV UTF-8 or .xlsx";
}

bool plausible_utf16(std::string_view head) {
  std::size_t nul_at[2] = {0, 0};
  for (std::size_t i = 0; i + 1 < head.size(); i += 2) {
    if (head[i] == '\0' && head[i + 1] == '\0') return false;  // U+0000: not text
    nul_at[0] += head[i] == '\0';
    nul_at[1] += head[i + 1] == '\0';
  }
  std::size_t more = std::max(nul_at[0], nul_at[1]);
  std::size_t fewer = std::min(nul_at[0], nul_at[1]);
  // ASCII in UTF-16 puts a NUL in every other byte; a few CJK code units
  // (U+4E00, U+5000, ...) have one on the other side.
  return more > 0 && fewer * 8 <= more;
}

FileSniff sniff_file_kind(std::string_view head, NulCheck nul_check) {
  if (head.starts_with("PK\x03\x04") || head.starts_with("PK\x05\x06")) return {FileKind::zip, ""};
  for (const auto& m : k_magic) {
    if (!head.starts_with(m.bytes)) continue;
    std::string what = m.bytes == k_magic[0].bytes ? what_ole2_is(head) : std::string(m.what);
    return {FileKind::refused, refusal(what)};
  }
  if (nul_check == NulCheck::off || starts_with_bom(head)) return {FileKind::text, ""};
  if (head.find('\0') != std::string_view::npos && !plausible_utf16(head))
    return {FileKind::refused, refusal("binary data (it holds NUL bytes)")};
  return {FileKind::text, ""};
}

}  // namespace prospect_import
