#include "prospect_import/duplicate_index.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <string>

namespace prospect_import {
namespace {

constexpr int k_block_bits = 20;  // 1 MiB blocks
constexpr std::size_t k_block_size = std::size_t{1} << k_block_bits;
constexpr std::size_t k_entry_head = sizeof(std::uint64_t) + sizeof(std::uint32_t);

std::uint32_t fold(std::uint64_t hash) { return static_cast<std::uint32_t>(hash ^ (hash >> 32)); }

}  // namespace

DuplicateIndex::DuplicateIndex(HashFunction hash) : m_hash(hash) {}

std::uint64_t DuplicateIndex::default_hash(std::string_view key) {
  return std::hash<std::string_view>{}(key);
}

std::size_t DuplicateIndex::home_of(std::uint32_t tag) const {
  return static_cast<std::size_t>((tag * 0x9E3779B97F4A7C15ULL) >> (64 - m_slot_bits));
}

DuplicateIndex::Found DuplicateIndex::lookup(std::string_view key, std::uint32_t tag) const {
  std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = home_of(tag);; i = (i + 1) & mask) {  // linear probing
    const Slot& s = m_slots[i];
    if (s.entry == 0) return {i, 0};
    if (s.tag != tag) continue;
    std::uint64_t at = std::uint64_t{s.entry - 1} * 4;
    const char* entry = m_blocks[at >> k_block_bits].get() + (at & (k_block_size - 1));
    std::uint32_t size = 0;
    std::memcpy(&size, entry + sizeof(std::uint64_t), sizeof size);
    if (key == std::string_view(entry + k_entry_head, size)) {
      std::uint64_t line = 0;
      std::memcpy(&line, entry, sizeof line);
      return {i, line};
    }
  }
}

std::uint64_t DuplicateIndex::find(std::string_view key) const {
  return lookup(key, fold(m_hash(key))).line;
}

void DuplicateIndex::add(std::string_view key, std::uint64_t line) {
  if ((m_used + 1) * 4 > m_slots.size() * 3) grow();
  std::uint32_t tag = fold(m_hash(key));
  m_slots[lookup(key, tag).slot] = Slot{tag, store(key, line) + 1};
  ++m_used;
}

// Appends an entry at a multiple of 4; a key too long for a block gets a block of its own.
std::uint32_t DuplicateIndex::store(std::string_view key, std::uint64_t line) {
  std::size_t need = (k_entry_head + key.size() + 3) & ~std::size_t{3};
  if (m_blocks.empty() || m_block_used + need > k_block_size) {
    m_blocks.push_back(std::make_unique<char[]>(std::max(need, k_block_size)));
    m_block_used = 0;
  }
  char* entry = m_blocks.back().get() + m_block_used;
  auto size = static_cast<std::uint32_t>(key.size());
  std::memcpy(entry, &line, sizeof line);
  std::memcpy(entry + sizeof line, &size, sizeof size);
  std::memcpy(entry + k_entry_head, key.data(), key.size());
  std::uint64_t at = (std::uint64_t{m_blocks.size() - 1} << k_block_bits) + m_block_used;
  m_block_used =
      need > k_block_size ? k_block_size : m_block_used + need;  // a big key's block is full
  return static_cast<std::uint32_t>(at / 4);
}

void DuplicateIndex::grow() {
  std::vector<Slot> old(m_slots.size() * 2);
  old.swap(m_slots);
  ++m_slot_bits;
  std::size_t mask = m_slots.size() - 1;
  for (const Slot& s : old) {
    if (s.entry == 0) continue;
    std::size_t i = home_of(s.tag);
    while (m_slots[i].entry != 0) i = (i + 1) & mask;
    m_slots[i] = s;
  }
}

}  // namespace prospect_import
