#include "prospect_import/duplicate_index.h"

namespace prospect_import {

std::size_t DuplicateIndex::slot_of(std::uint64_t hash) const {
  std::size_t mask = m_slots.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash * 0x9E3779B97F4A7C15ULL >> 17) & mask;
  while (m_slots[i].hash != 0 && m_slots[i].hash != hash) i = (i + 1) & mask;  // linear probing
  return i;
}

std::uint64_t DuplicateIndex::find(std::uint64_t hash) const {
  if (hash == 0) return m_zero_line;
  const Slot& s = m_slots[slot_of(hash)];
  return s.hash ? s.line : 0;
}

void DuplicateIndex::add(std::uint64_t hash, std::uint64_t line) {
  if (hash == 0) {
    m_zero_line = line;
    return;
  }
  if ((m_used + 1) * 2 > m_slots.size()) grow();
  m_slots[slot_of(hash)] = Slot{hash, line};
  ++m_used;
}

void DuplicateIndex::grow() {
  std::vector<Slot> old(m_slots.size() * 2);
  old.swap(m_slots);
  for (const Slot& s : old) {
    if (s.hash) m_slots[slot_of(s.hash)] = s;
  }
}

}  // namespace prospect_import
