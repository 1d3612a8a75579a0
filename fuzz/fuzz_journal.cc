// read_journal on arbitrary bytes: a torn or corrupted journal is data, never a crash.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_check.h"
#include "prospect_import/journal.h"

namespace pi = prospect_import;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  std::istringstream in(input);
  auto contents = pi::read_journal(in);
  if (!contents) return 0;
  FUZZ_CHECK(contents->valid_bytes <= size);
  // The intact records end at a line end, and reading just them gives the same.
  FUZZ_CHECK(contents->valid_bytes > 0 && input[contents->valid_bytes - 1] == '\n');
  std::istringstream prefix(input.substr(0, contents->valid_bytes));
  auto again = pi::read_journal(prefix);
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->valid_bytes == contents->valid_bytes);
  FUZZ_CHECK(again->header == contents->header);
  FUZZ_CHECK(again->done.size() == contents->done.size());
  FUZZ_CHECK(again->sent == contents->sent);
  FUZZ_CHECK(again->finished == contents->finished);
  FUZZ_CHECK(again->ignored_records == 0);
  for (const auto& [line, entry] : contents->done) {
    FUZZ_CHECK(entry.line == line);
    FUZZ_CHECK(pi::fate_from_string(pi::to_string(entry.fate)) == entry.fate);
  }
  return 0;
}
