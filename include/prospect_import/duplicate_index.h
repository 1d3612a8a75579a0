#pragma once
// The (email, group) keys of the valid rows seen so far, each with its line:
// what "duplicate of line 12" is found with. Exact: a 64-bit hash finds the
// candidates in an open-addressing table and the key itself, kept compactly
// in an arena of 1 MiB blocks, confirms one, so two different keys that share
// a hash are never taken for duplicates. The one part of an offline run whose
// memory grows with the file: 16 bytes a slot (at most 4/3 slots a key, twice
// over while the table grows) and the key's bytes plus 12.

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace prospect_import {

class DuplicateIndex {
 public:
  using HashFunction = std::uint64_t (*)(std::string_view key);
  // The hash is a seam: tests make keys collide on purpose.
  explicit DuplicateIndex(HashFunction hash = &default_hash);

  // The line recorded for `key`, or 0 when there is none.
  std::uint64_t find(std::string_view key) const;
  // REQUIRES: find(key) == 0 and line > 0.
  void add(std::string_view key, std::uint64_t line);

  static std::uint64_t default_hash(std::string_view key);

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint64_t entry = 0;  // 0 = empty, else 1 + where the key is in the arena
  };
  struct Found {
    std::size_t slot;
    std::uint64_t line;  // 0: the slot is empty
  };
  Found lookup(std::string_view key, std::uint64_t hash) const;
  std::uint64_t store(std::string_view key, std::uint64_t line);
  void grow();

  HashFunction m_hash;
  std::vector<Slot> m_slots = std::vector<Slot>(1024);
  std::size_t m_used = 0;
  // Entries: 8 bytes of line, 4 of key length, the key; never moved.
  std::vector<std::unique_ptr<char[]>> m_blocks;
  std::size_t m_block_used = 0;  // in the last block
};

}  // namespace prospect_import
