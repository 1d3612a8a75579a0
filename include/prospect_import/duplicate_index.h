#pragma once
// The (email, group) keys of the valid rows seen so far, each with its line:
// what "duplicate of line 12" is found with. Keys are kept as 64-bit hashes in
// an open-addressing table (16 bytes a row at most twice over), the one part
// of an offline run whose memory grows with the file. Two different keys share
// a hash with odds of about 1 in 10^7 for a 10^6-row file.

#include <cstdint>
#include <vector>

namespace prospect_import {

class DuplicateIndex {
 public:
  // The line recorded for `hash`, or 0 when there is none.
  std::uint64_t find(std::uint64_t hash) const;
  // REQUIRES: find(hash) == 0 and line > 0.
  void add(std::uint64_t hash, std::uint64_t line);

 private:
  struct Slot {
    std::uint64_t hash = 0;  // 0 = empty
    std::uint64_t line = 0;
  };
  std::size_t slot_of(std::uint64_t hash) const;
  void grow();

  std::vector<Slot> m_slots = std::vector<Slot>(1024);
  std::size_t m_used = 0;
  std::uint64_t m_zero_line = 0;  // the line of hash 0, which cannot live in a slot
};

}  // namespace prospect_import
