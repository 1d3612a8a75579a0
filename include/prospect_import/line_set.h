#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <vector>

namespace prospect_import {

// A set of input line numbers as one bit a line (a file of 1M lines: 125 KB,
// where a node-based set took ~40 B a line). Lines beyond k_bitmap_lines (a
// journal someone edited) go to a set of their own: no line number makes the
// bitmap larger than 16 MiB.
class LineSet {
 public:
  LineSet() = default;
  LineSet(std::initializer_list<std::uint64_t> lines) {
    for (std::uint64_t line : lines) insert(line);
  }

  static constexpr std::uint64_t k_bitmap_lines = std::uint64_t{1} << 27;

  void insert(std::uint64_t line) {
    if (line >= k_bitmap_lines) {
      m_size += m_far.insert(line).second ? 1 : 0;
      return;
    }
    std::size_t word = static_cast<std::size_t>(line / 64);
    if (word >= m_words.size()) {  // grows by half
      m_words.resize(std::min<std::size_t>(word + 1 + word / 2, k_bitmap_lines / 64));
    }
    std::uint64_t bit = std::uint64_t{1} << (line % 64);
    if ((m_words[word] & bit) == 0) ++m_size;
    m_words[word] |= bit;
  }
  std::size_t count(std::uint64_t line) const {
    if (line >= k_bitmap_lines) return m_far.count(line);
    std::size_t word = static_cast<std::size_t>(line / 64);
    return word < m_words.size() && ((m_words[word] >> (line % 64)) & 1) != 0 ? 1 : 0;
  }
  std::size_t size() const { return m_size; }
  bool empty() const { return m_size == 0; }

  // f(line) for each line, in ascending order.
  template <class F>
  void for_each(F f) const {
    for (std::size_t w = 0; w < m_words.size(); ++w) {
      for (std::uint64_t bits = m_words[w]; bits != 0; bits &= bits - 1) {
        f(static_cast<std::uint64_t>(w) * 64 + static_cast<std::uint64_t>(__builtin_ctzll(bits)));
      }
    }
    for (std::uint64_t line : m_far) f(line);
  }

  bool operator==(const LineSet& o) const {
    if (m_size != o.m_size) return false;
    bool same = true;
    for_each([&](std::uint64_t line) { same = same && o.count(line) == 1; });
    return same;
  }

 private:
  std::vector<std::uint64_t> m_words;
  std::set<std::uint64_t> m_far;
  std::size_t m_size = 0;
};

}  // namespace prospect_import
