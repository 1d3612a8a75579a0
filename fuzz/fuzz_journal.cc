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
  // Each line's outcome, packed and read back (JournalOutcomes), is the one found by line.
  std::uint64_t previous = 0;
  bool first = true;
  contents->done.for_each([&](const pi::JournalEntry& entry) {
    FUZZ_CHECK(first || entry.line > previous);
    first = false;
    previous = entry.line;
    FUZZ_CHECK(pi::fate_from_string(pi::to_string(entry.fate)) == entry.fate);
    auto found = again->done.find(entry.line);
    FUZZ_CHECK(found);
    FUZZ_CHECK(found->fate == entry.fate && found->prospect_id == entry.prospect_id &&
               found->matched_partner_id == entry.matched_partner_id &&
               found->matched_partner_name == entry.matched_partner_name &&
               found->message == entry.message);
  });
  return 0;
}
