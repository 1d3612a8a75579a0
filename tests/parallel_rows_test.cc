#include "prospect_import/parallel_rows.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace prospect_import {
namespace {

// A source of `n` records, line i holding the field "i".
ParallelRows::Source counting(std::uint64_t n, std::uint64_t& made) {
  return [n, &made](Record& r) {
    if (made == n) return false;
    r.line = ++made;
    r.fields.assign(1, std::to_string(made));
    return true;
  };
}

// The work of the tests: the record's field, doubled, in the slot's text.
void doubling(RowSlot& slot) { slot.text = slot.record.fields[0] + slot.record.fields[0]; }

class ParallelRowsWorkers : public ::testing::TestWithParam<unsigned> {};

TEST_P(ParallelRowsWorkers, GivesEveryRowInOrderItsWorkDone) {
  std::uint64_t made = 0;
  ParallelRows rows(counting(20000, made), doubling, GetParam());
  rows.start();
  for (std::uint64_t line = 1; line <= 20000; ++line) {
    RowSlot* slot = rows.next();
    ASSERT_NE(slot, nullptr) << line;
    ASSERT_EQ(slot->record.line, line);
    ASSERT_EQ(slot->text, std::to_string(line) + std::to_string(line));
  }
  EXPECT_EQ(rows.next(), nullptr);
  EXPECT_EQ(rows.next(), nullptr);
}

TEST_P(ParallelRowsWorkers, TheWorkRunsOnSeveralThreadsAtOnceWhenThereAreSeveral) {
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::uint64_t made = 0;
  ParallelRows rows(
      counting(4000, made),
      [&](RowSlot&) {
        int now = ++running;
        for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(20));
        --running;
      },
      GetParam());
  rows.start();
  while (rows.next()) {
  }
  if (GetParam() <= 1) {
    EXPECT_EQ(most.load(), 1);
  } else {
    EXPECT_GT(most.load(), 1);
  }
}

TEST_P(ParallelRowsWorkers, SaysADeferredNoteJustBeforeTheRowBeingReadThen) {
  std::vector<std::string> log;
  std::function<void(const std::string&)> note;
  std::uint64_t made = 0;
  auto source = counting(1500, made);
  ParallelRows rows(
      [&](Record& r) {
        if (made == 1200) note("at 1201");  // while record 1201 is read
        if (made == 1500) note("at the end");
        return source(r);
      },
      doubling, GetParam());
  note = rows.deferred([&log](const std::string& text) { log.push_back(text); });
  rows.start();
  while (RowSlot* slot = rows.next()) log.push_back(slot->record.fields[0]);
  ASSERT_EQ(log.size(), 1502u);
  EXPECT_EQ(log[1199], "1200");
  EXPECT_EQ(log[1200], "at 1201");
  EXPECT_EQ(log[1201], "1201");
  EXPECT_EQ(log[1501], "at the end");
}

TEST_P(ParallelRowsWorkers, ThrowsWhatTheSourceThrewWhereItThrew) {
  std::uint64_t made = 0;
  auto source = counting(1000, made);
  ParallelRows rows(
      [&](Record& r) {
        if (made == 700) throw std::runtime_error("broken");
        return source(r);
      },
      doubling, GetParam());
  rows.start();
  for (int i = 0; i < 700; ++i) ASSERT_NE(rows.next(), nullptr);
  EXPECT_THROW(rows.next(), std::runtime_error);
}

TEST_P(ParallelRowsWorkers, ThrowsWhatTheWorkThrewInPlaceOfItsRow) {
  std::uint64_t made = 0;
  ParallelRows rows(
      counting(5000, made),
      [](RowSlot& slot) {
        if (slot.record.line == 3000) throw std::runtime_error("no room");
        doubling(slot);
      },
      GetParam());
  rows.start();
  for (std::uint64_t line = 1; line < 3000; ++line) {
    RowSlot* slot = rows.next();
    ASSERT_NE(slot, nullptr);
    ASSERT_EQ(slot->record.line, line);
  }
  EXPECT_THROW(rows.next(), std::runtime_error);
}

TEST_P(ParallelRowsWorkers, EndsAnEmptySource) {
  std::uint64_t made = 0;
  ParallelRows rows(counting(0, made), doubling, GetParam());
  rows.start();
  EXPECT_EQ(rows.next(), nullptr);
}

TEST_P(ParallelRowsWorkers, AFullLastBatchEndsToo) {
  for (std::uint64_t n : {255u, 256u, 257u, 512u}) {
    std::uint64_t made = 0;
    ParallelRows rows(counting(n, made), doubling, GetParam());
    rows.start();
    std::uint64_t got = 0;
    while (rows.next()) ++got;
    EXPECT_EQ(got, n);
  }
}

TEST_P(ParallelRowsWorkers, StopsWhenLeftBeforeTheEnd) {
  std::uint64_t made = 0;
  {
    ParallelRows rows(counting(1000000, made), doubling, GetParam());
    rows.start();
    ASSERT_NE(rows.next(), nullptr);
  }
  EXPECT_LT(made, 1000000u);  // it did not read on to the end
}

INSTANTIATE_TEST_SUITE_P(Workers, ParallelRowsWorkers, ::testing::Values(0u, 1u, 2u, 4u));

TEST(ParallelRows, DefaultWorkersAreTheCoresThisProcessMayUse) {
  unsigned n = ParallelRows::default_workers();
  EXPECT_GE(n, 1u);
  EXPECT_LE(n, 8u);
}

}  // namespace
}  // namespace prospect_import
