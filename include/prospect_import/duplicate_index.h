#pragma once
// The (email, group) keys of the valid rows seen so far, each with its line:
// what "duplicate of line 12" is found with. Exact: a hash finds the
// candidates and the key itself, read back, confirms one, so two different
// keys that share a hash are never taken for duplicates.
//
// The one part of a run whose memory grows with the file, so it
// keeps 8 bytes a key in memory (a 24-bit tag of the hash and where the key
// is), in 16 open-addressing tables that grow one at a time by a quarter
// (at most 80 % full): about 11 bytes a key, and never two full tables at once.
// The keys themselves (with their lines) go to a spill file when one is
// given, 1 MiB at a time, and are read back only for a hash hit: a duplicate,
// or one key in 16 million. Without a file, or once writing it failed (which
// the spill's on_failure is told), they stay in memory (the key's bytes plus 12).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "prospect_import/folder.h"

namespace prospect_import {

// Where the index's keys go: an empty file open for reading and writing that
// the index may fill, or none (the keys stay in memory).
struct KeySpill {
  KeySpill() = default;
  KeySpill(UniqueFd spill_file, std::function<void(const std::string& why)> failed = {})
      : file(std::move(spill_file)), on_failure(std::move(failed)) {}
  UniqueFd file;
  // Told once, why, when a block of keys cannot be written (a full disk, a
  // quota): that block and those after it stay in memory.
  std::function<void(const std::string& why)> on_failure;
};

class DuplicateIndex {
 public:
  using HashFunction = std::uint64_t (*)(std::string_view key);
  // The hash is a seam: tests make keys collide on purpose.
  explicit DuplicateIndex(HashFunction hash = &default_hash, KeySpill spill = {});
  ~DuplicateIndex();
  DuplicateIndex(const DuplicateIndex&) = delete;
  DuplicateIndex& operator=(const DuplicateIndex&) = delete;

  // The line recorded for `key`, or 0 when there is none.
  std::uint64_t find(std::string_view key) { return find(key, prepare(key)); }
  // REQUIRES: find(key) == 0, line > 0, and less than 1 TiB of keys so far.
  void add(std::string_view key, std::uint64_t line) { add(key, line, prepare(key)); }

  // The same in two steps: prepare() hashes the key and starts fetching its
  // slot, so that the cache miss overlaps whatever the caller does before
  // find() or add() (the table is far larger than the cache).
  struct Prepared {
    std::uint64_t hash;
  };
  Prepared prepare(std::string_view key) const;
  // The same for a key hashed already (by another thread, say).
  // REQUIRES: hash is the index's hash function of the key.
  Prepared prepare_hashed(std::uint64_t hash) const;
  // REQUIRES: `prepared` is prepare(key).
  std::uint64_t find(std::string_view key, Prepared prepared);
  void add(std::string_view key, std::uint64_t line, Prepared prepared);

  static std::uint64_t default_hash(std::string_view key);

 private:
  class Table;
  class KeyLog;
  Table& table_of(std::uint64_t hash);
  const Table& table_of(std::uint64_t hash) const;

  HashFunction m_hash;
  std::vector<Table> m_tables;
  std::unique_ptr<KeyLog> m_keys;
};

}  // namespace prospect_import
