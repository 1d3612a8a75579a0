#include "prospect_import/duplicate_index.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <random>
#include <string>
#include <unordered_map>

namespace prospect_import {
namespace {

enum class Keys { in_memory, spilled };

// Each test runs with the keys in memory and with a spill file.
class DuplicateIndexTest : public ::testing::TestWithParam<Keys> {
 protected:
  UniqueFd spill() const {
    if (GetParam() == Keys::in_memory) return {};
    std::string name = ::testing::TempDir() + "keysXXXXXX";
    int fd = ::mkstemp(name.data());
    EXPECT_GE(fd, 0);
    ::unlink(name.c_str());
    return UniqueFd(fd);
  }
};

INSTANTIATE_TEST_SUITE_P(Keys, DuplicateIndexTest,
                         ::testing::Values(Keys::in_memory, Keys::spilled),
                         [](const ::testing::TestParamInfo<Keys>& param_info) {
                           return param_info.param == Keys::in_memory ? "InMemory" : "Spilled";
                         });

TEST_P(DuplicateIndexTest, FindsWhatWasAddedAcrossGrowth) {
  DuplicateIndex index(&DuplicateIndex::default_hash, spill());
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

TEST_P(DuplicateIndexTest, EmptyFindsNothing) {
  DuplicateIndex index(&DuplicateIndex::default_hash, spill());
  EXPECT_EQ(index.find(""), 0u);
  EXPECT_EQ(index.find("a@example.com"), 0u);
}

std::uint64_t every_key_collides(std::string_view) { return 42; }

// Regression (issue 10): only a 64-bit hash was kept, so two different keys
// that shared one were reported "duplicate of line N". Spilled, the keys are
// read back from the file (a 2 MiB key first, so that they are no longer in memory).
TEST_P(DuplicateIndexTest, DifferentKeysWithTheSameHashAreNotDuplicates) {
  DuplicateIndex index(&every_key_collides, spill());
  std::string big(2 << 20, 'x');
  index.add(big, 1);
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
  EXPECT_EQ(index.find(big), 1u);
  EXPECT_EQ(index.find(big + "y"), 0u);  // longer than any entry after it in the file
  EXPECT_EQ(index.find(big.substr(1)), 0u);
}

TEST_P(DuplicateIndexTest, KeysLongerThanABlockAndManyBlocks) {
  DuplicateIndex index(&DuplicateIndex::default_hash, spill());
  std::string huge(3 << 20, 'x');
  index.add(huge, 5);
  for (std::uint64_t line = 10; line < 100000; ++line) index.add(std::to_string(line), line);
  EXPECT_EQ(index.find(huge), 5u);
  EXPECT_EQ(index.find(huge.substr(1)), 0u);
  EXPECT_EQ(index.find("99999"), 99999u);
  EXPECT_EQ(index.find("10"), 10u);
}

// A disk that fills while the keys spill: the user is told once, and the
// keys that could not be written stay in memory, still found.
TEST(DuplicateIndexSpill, AFullDiskIsToldOnceAndTheKeysStayFound) {
  int fd = ::open("/dev/full", O_RDWR | O_CLOEXEC);  // every write: ENOSPC
  ASSERT_GE(fd, 0);
  std::vector<std::string> told;
  DuplicateIndex index(
      &DuplicateIndex::default_hash,
      KeySpill(UniqueFd(fd), [&told](const std::string& why) { told.push_back(why); }));
  for (std::uint64_t line = 2; line < 300000; ++line)  // several 1 MiB blocks
    index.add("user" + std::to_string(line) + "@example.com", line);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_NE(told[0].find("No space left on device"), std::string::npos) << told[0];
  EXPECT_NE(told[0].find("spill file"), std::string::npos) << told[0];
  EXPECT_EQ(index.find("user2@example.com"), 2u);
  EXPECT_EQ(index.find("user299999@example.com"), 299999u);
  EXPECT_EQ(index.find("user300000@example.com"), 0u);
}

TEST(DuplicateIndexSpill, AWrittenSpillTellsNothing) {
  std::string name = ::testing::TempDir() + "keysXXXXXX";
  int fd = ::mkstemp(name.data());
  ASSERT_GE(fd, 0);
  ::unlink(name.c_str());
  int told = 0;
  DuplicateIndex index(&DuplicateIndex::default_hash,
                       KeySpill(UniqueFd(fd), [&told](const std::string&) { ++told; }));
  for (std::uint64_t line = 2; line < 300000; ++line)
    index.add("user" + std::to_string(line) + "@example.com", line);
  EXPECT_EQ(told, 0);
  EXPECT_EQ(index.find("user2@example.com"), 2u);
}

}  // namespace
}  // namespace prospect_import
