#include "prospect_import/line_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "prospect_import/error.h"

namespace prospect_import {
namespace {

using ::testing::ElementsAre;

// Hands out `text` at most `piece` bytes a read, so that lines and CRLFs
// cross the reader's reads.
class PieceSource final : public ByteSource {
 public:
  PieceSource(std::string text, std::size_t piece) : m_text(std::move(text)), m_piece(piece) {}
  std::size_t read(char* out, std::size_t n) override {
    std::size_t k = std::min({n, m_piece, m_text.size() - m_pos});
    std::memcpy(out, m_text.data() + m_pos, k);
    m_pos += k;
    return k;
  }

 private:
  std::string m_text;
  std::size_t m_piece;
  std::size_t m_pos = 0;
};

// An endless line: 'x' for ever, counting what it handed out.
class EndlessSource final : public ByteSource {
 public:
  std::size_t read(char* out, std::size_t n) override {
    std::memset(out, 'x', n);
    served += n;
    return n;
  }
  std::size_t served = 0;
};

std::vector<std::string> lines_of(const std::string& text, std::size_t piece = 1 << 20,
                                  std::size_t max_line = 1 << 20) {
  PieceSource source(text, piece);
  LineReader reader(source, max_line);
  std::vector<std::string> lines;
  while (auto line = reader.next()) {
    lines.emplace_back(*line);
    EXPECT_EQ(reader.line_number(), lines.size());
  }
  return lines;
}

Error error_of(ByteSource& source, std::size_t max_line) {
  LineReader reader(source, max_line);
  try {
    while (reader.next()) {
    }
  } catch (const ErrorException& e) {
    return e.error();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(LineReader, LfAndCrLfEndLinesAndAreDropped) {
  EXPECT_THAT(lines_of("a,b\r\n1,2\n3,4"), ElementsAre("a,b", "1,2", "3,4"));
}

TEST(LineReader, TheEndAfterALineEndIsNoLine) {
  EXPECT_THAT(lines_of("a\n"), ElementsAre("a"));
  EXPECT_THAT(lines_of("a\n\n"), ElementsAre("a", ""));
  EXPECT_THAT(lines_of("\r\n"), ElementsAre(""));
  EXPECT_THAT(lines_of(""), ElementsAre());
}

TEST(LineReader, LinesAndCrLfAcrossReadsAreWhole) {
  std::string text = "first line\r\nsecond\n\nfourth\r\n";
  for (std::size_t piece : {1, 2, 3, 7, 11}) {
    EXPECT_THAT(lines_of(text, piece), ElementsAre("first line", "second", "", "fourth"))
        << "read " << piece << " bytes at a time";
  }
}

TEST(LineReader, LinesAsLongAsTheLimitAreRead) {
  EXPECT_THAT(lines_of("12345678\r\n12345678", 3, 8), ElementsAre("12345678", "12345678"));
}

TEST(LineReader, ALongerLineIsAnInputErrorAtItsNumber) {
  PieceSource source("12345678\n123456789\nok\n", 4);
  Error e = error_of(source, 8);
  EXPECT_EQ(e.code, ExitCode::data_error);
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.message,
            "this line is longer than 8 bytes: a line break is missing or the file is not a "
            "prospects CSV");
}

TEST(LineReader, ALineWithoutEndStopsSoonAfterTheLimit) {
  EndlessSource source;
  Error e = error_of(source, 1 << 20);
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(e.message,
            "this line is longer than 1 MiB: a line break is missing or the file is not a "
            "prospects CSV");
  EXPECT_LT(source.served, (1u << 20) + (1u << 18)) << "it held no more than the limit and a read";
}

TEST(LineReader, AByteOrderMarkIsDroppedFromTheFirstLineOnly) {
  const std::string bom = "\xEF\xBB\xBF";
  EXPECT_THAT(lines_of(bom + "a\n" + bom + "b\n"), ElementsAre("a", bom + "b"));
}

}  // namespace
}  // namespace prospect_import
