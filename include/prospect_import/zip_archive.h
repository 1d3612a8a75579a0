#pragma once
// A zip archive read by random access from a seekable stream (libzip), with
// bounds against zip bombs: an entry's uncompressed size, its compression
// ratio and the total read are capped, and counted as the bytes come, not
// taken from the archive's own word.

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

#include "prospect_import/error.h"

namespace prospect_import {

struct ZipLimits {
  std::uint64_t max_entry_bytes = 2ull << 30;  // one entry, uncompressed
  std::uint64_t max_total_bytes = 4ull << 30;  // every entry read, together
  // Uncompressed to compressed, for entries over ratio_from_bytes: spreadsheet
  // XML compresses 10 to 30 times, deflate's most is about 1,030.
  std::uint64_t max_ratio = 250;
  std::uint64_t ratio_from_bytes = 1 << 20;
  std::uint64_t max_entries = 100000;
};

class ZipEntry;

class ZipArchive {
 public:
  // Reads the archive's directory. A damaged or unreadable one is a data error (65).
  // REQUIRES: `in` can seek, and outlives the archive and its entries.
  static Result<std::unique_ptr<ZipArchive>> open(std::istream& in, const ZipLimits& limits);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // Whether an entry of that name exists (ASCII case does not matter, as in OPC).
  bool has(std::string_view name) const;
  // Opens an entry to stream it; a missing, encrypted or too large entry is a data error.
  Result<std::unique_ptr<ZipEntry>> open_entry(std::string_view name);
  // A whole entry of at most max_bytes (a small part: rels, mimetype).
  Result<std::string> read_all(std::string_view name, std::size_t max_bytes);

 private:
  struct Impl;
  explicit ZipArchive(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
  friend class ZipEntry;
};

class ZipEntry {
 public:
  ~ZipEntry();
  ZipEntry(const ZipEntry&) = delete;
  ZipEntry& operator=(const ZipEntry&) = delete;
  // Up to n bytes, 0 at the end; a damaged entry or one over the limits is a data error.
  Result<std::size_t> read(char* out, std::size_t n);

 private:
  friend class ZipArchive;
  ZipEntry(ZipArchive::Impl& archive, void* file, std::string name, std::uint64_t limit);
  ZipArchive::Impl& m_archive;
  void* m_file;  // zip_file_t*
  std::string m_name;
  std::uint64_t m_limit;  // the most this entry may yield
  std::uint64_t m_read = 0;
};

}  // namespace prospect_import
