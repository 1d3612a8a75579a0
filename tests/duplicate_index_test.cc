#include "prospect_import/duplicate_index.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

namespace prospect_import {
namespace {

TEST(DuplicateIndex, FindsWhatWasAddedAcrossGrowth) {
  DuplicateIndex index;
  std::mt19937_64 random(42);
  std::unordered_map<std::uint64_t, std::uint64_t> reference;
  for (std::uint64_t line = 2; line < 200000; ++line) {
    std::uint64_t hash = random() % 150000;  // many repeats, and hash 0 too
    std::uint64_t expected = reference.count(hash) ? reference[hash] : 0;
    ASSERT_EQ(index.find(hash), expected) << "line " << line;
    if (!expected) {
      index.add(hash, line);
      reference[hash] = line;
    }
  }
}

TEST(DuplicateIndex, EmptyFindsNothing) {
  DuplicateIndex index;
  EXPECT_EQ(index.find(0), 0u);
  EXPECT_EQ(index.find(12345), 0u);
}

}  // namespace
}  // namespace prospect_import
