#include "prospect_import/duplicate_index.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>

namespace prospect_import {
namespace {

TEST(DuplicateIndex, FindsWhatWasAddedAcrossGrowth) {
  DuplicateIndex index;
  std::mt19937_64 random(42);
  std::unordered_map<std::string, std::uint64_t> reference;
  for (std::uint64_t line = 2; line < 200000; ++line) {
    std::string key = "user" + std::to_string(random() % 150000) + "@example.com";  // repeats
    key += '\0';
    key += std::to_string(line % 7);
    std::uint64_t expected = reference.count(key) ? reference[key] : 0;
    ASSERT_EQ(index.find(key), expected) << "line " << line;
    if (!expected) {
      index.add(key, line);
      reference[key] = line;
    }
  }
}

TEST(DuplicateIndex, EmptyFindsNothing) {
  DuplicateIndex index;
  EXPECT_EQ(index.find(""), 0u);
  EXPECT_EQ(index.find("a@example.com"), 0u);
}

std::uint64_t every_key_collides(std::string_view) { return 42; }

// Regression (issue 10): only a 64-bit hash was kept, so two different keys
// that shared one were reported "duplicate of line N".
TEST(DuplicateIndex, DifferentKeysWithTheSameHashAreNotDuplicates) {
  DuplicateIndex index(&every_key_collides);
  index.add(std::string("a@example.com\0"
                        "77",
                        16),
            2);
  EXPECT_EQ(index.find(std::string("b@example.com\0"
                                   "77",
                                   16)),
            0u);
  index.add(std::string("b@example.com\0"
                        "77",
                        16),
            3);
  EXPECT_EQ(index.find(std::string("a@example.com\0"
                                   "77",
                                   16)),
            2u);
  EXPECT_EQ(index.find(std::string("b@example.com\0"
                                   "77",
                                   16)),
            3u);
  EXPECT_EQ(index.find(std::string("a@example.com\0"
                                   "78",
                                   16)),
            0u);
}

TEST(DuplicateIndex, KeysLongerThanABlockAndManyBlocks) {
  DuplicateIndex index;
  std::string huge(3 << 20, 'x');
  index.add(huge, 5);
  for (std::uint64_t line = 10; line < 100000; ++line) index.add(std::to_string(line), line);
  EXPECT_EQ(index.find(huge), 5u);
  EXPECT_EQ(index.find(huge.substr(1)), 0u);
  EXPECT_EQ(index.find("99999"), 99999u);
  EXPECT_EQ(index.find("10"), 10u);
}

}  // namespace
}  // namespace prospect_import
