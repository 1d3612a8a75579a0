#pragma once
// The (email, group) keys of the valid rows seen so far, each with its line:
// what "duplicate of line 12" is found with. Exact: a hash finds the
// candidates in an open-addressing table and the key itself, kept compactly
// in an arena of 1 MiB blocks, confirms one, so two different keys that share
// a hash are never taken for duplicates. The one part of an offline run whose
// memory grows with the file: 8 bytes a slot (at most 8/3 slots a key, 1.5
// times over while the table grows) and the key's bytes plus 12, rounded up to 4.

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
  // REQUIRES: find(key) == 0, line > 0, and less than 16 GiB of keys so far.
  void add(std::string_view key, std::uint64_t line);

  static std::uint64_t default_hash(std::string_view key);

 private:
  struct Slot {
    std::uint32_t tag = 0;    // the hash folded to 32 bits: most other keys differ in it
    std::uint32_t entry = 0;  // 0 = empty, else 1 + where the key is in the arena / 4
  };
  struct Found {
    std::size_t slot;
    std::uint64_t line;  // 0: the slot is empty
  };
  Found lookup(std::string_view key, std::uint32_t tag) const;
  std::size_t home_of(std::uint32_t tag) const;
  std::uint32_t store(std::string_view key, std::uint64_t line);
  void grow();

  HashFunction m_hash;
  std::vector<Slot> m_slots = std::vector<Slot>(1024);
  int m_slot_bits = 10;
  std::size_t m_used = 0;
  // Entries: 8 bytes of line, 4 of key length, the key; never moved.
  std::vector<std::unique_ptr<char[]>> m_blocks;
  std::size_t m_block_used = 0;  // in the last block
};

}  // namespace prospect_import
