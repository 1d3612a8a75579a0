#include "prospect_import/read_ahead.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace prospect_import {
namespace {

// A source of `n` records, line i holding the field "i".
std::function<bool(Record&)> counting(std::uint64_t n, std::uint64_t& made) {
  return [n, &made](Record& r) {
    if (made == n) return false;
    r.line = ++made;
    r.fields.assign(1, std::to_string(made));
    return true;
  };
}

TEST(ReadAhead, GivesEveryRecordInOrderAcrossBatches) {
  std::uint64_t made = 0;
  ReadAhead ahead(counting(5000, made));
  ahead.start();
  Record r;
  for (std::uint64_t line = 1; line <= 5000; ++line) {
    ASSERT_TRUE(ahead.next(r));
    ASSERT_EQ(r.line, line);
    ASSERT_EQ(r.fields, std::vector<std::string>{std::to_string(line)});
  }
  EXPECT_FALSE(ahead.next(r));
  EXPECT_FALSE(ahead.next(r));
}

TEST(ReadAhead, SaysADeferredNoteJustBeforeTheRecordBeingReadThen) {
  std::vector<std::string> log;
  std::function<void(const std::string&)> note;
  std::uint64_t made = 0;
  auto source = counting(1500, made);
  ReadAhead ahead([&](Record& r) {
    if (made == 1200) note("at 1201");  // while record 1201 is read
    return source(r);
  });
  note = ahead.deferred([&log](const std::string& text) { log.push_back(text); });
  ahead.start();
  Record r;
  while (ahead.next(r)) log.push_back(r.fields[0]);
  ASSERT_EQ(log.size(), 1501u);
  EXPECT_EQ(log[1199], "1200");
  EXPECT_EQ(log[1200], "at 1201");
  EXPECT_EQ(log[1201], "1201");
}

TEST(ReadAhead, ThrowsWhatTheSourceThrewWhereItThrew) {
  std::uint64_t made = 0;
  auto source = counting(1000, made);
  ReadAhead ahead([&](Record& r) {
    if (made == 700) throw std::runtime_error("broken");
    return source(r);
  });
  ahead.start();
  Record r;
  for (int i = 0; i < 700; ++i) ASSERT_TRUE(ahead.next(r));
  EXPECT_THROW(ahead.next(r), std::runtime_error);
}

TEST(ReadAhead, StopsWhenLeftBeforeTheEnd) {
  std::uint64_t made = 0;
  {
    ReadAhead ahead(counting(1000000, made));
    ahead.start();
    Record r;
    ASSERT_TRUE(ahead.next(r));
  }
  EXPECT_LT(made, 1000000u);  // it did not read on to the end
}

}  // namespace
}  // namespace prospect_import
