// The encoding corpus (tests/data/encoding/, made by its generate.py): every
// file decoded with `--encoding auto`, counted in a confusion table per part
// (dev: the word lists the scorer was tuned on; heldout and fresh: lists
// written apart from them, see tests/data/encoding/README.md).
// What must hold (issue 9): no silent wrong decode; a refusal names the
// right encoding among its two; no refusal for a file with 20 or more
// non-ASCII letters; every CP932 file that decoded before (valid UTF-8 was
// UTF-8, anything else CP932) still decodes.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>

#include "prospect_import/encoding.h"
#include "prospect_import/encoding_guess.h"
#include "prospect_import/error.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

namespace fs = std::filesystem;
const fs::path k_corpus = PI_ENCODING_CORPUS;

struct Entry {
  std::string file, expected, language, encoding, part;
  int letters = 0;
};

std::vector<Entry> read_manifest() {
  std::ifstream in(k_corpus / "manifest.tsv");
  std::vector<Entry> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Entry e;
    std::string letters;
    std::getline(fields, e.file, '\t');
    std::getline(fields, e.expected, '\t');
    std::getline(fields, e.language, '\t');
    std::getline(fields, e.encoding, '\t');
    std::getline(fields, letters, '\t');
    e.letters = std::stoi(letters);
    e.part = e.file.substr(0, e.file.find('/'));
    out.push_back(e);
  }
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The --encoding value that names each of the corpus's (Python) encodings.
std::string option_for(const std::string& python_name) {
  static const std::map<std::string, std::string> names = {{"cp1252", "windows-1252"},
                                                           {"cp1250", "windows-1250"},
                                                           {"cp932", "shift_jis"},
                                                           {"euc_jp", "euc-jp"}};
  auto it = names.find(python_name);
  return it == names.end() ? python_name : it->second;
}

// The bytes decoded as `--encoding option` asks: the text, or the error.
struct Decoding {
  std::optional<std::string> text;
  std::string encoding;  // the one used
  std::string message;   // the error's
};

Decoding decode_with(const std::string& bytes, const std::string& option) {
  std::istringstream in(bytes);
  auto decoder = make_decoder(in, *parse_encoding(option));
  Decoding d;
  std::string text, buf(1 << 16, '\0');
  try {
    while (std::size_t n = decoder->read(buf.data(), buf.size())) text.append(buf, 0, n);
    d.text = std::move(text);
  } catch (const ErrorException& e) {
    d.message = e.error().message;
  }
  d.encoding = decoder->encoding();
  return d;
}

struct Outcome {
  std::string decided;               // the encoding, or "refused", or "error"
  bool right = false;                // the text is the expected one
  std::vector<std::string> offered;  // a refusal's --encoding values
  std::string message;
};

Outcome decode(const std::string& bytes, const std::string& expected) {
  Decoding d = decode_with(bytes, "auto");
  Outcome o{d.encoding, d.text == expected, {}, d.message};
  if (d.text) return o;
  std::smatch m;
  static const std::regex offer("pass --encoding (\\S+) or --encoding (\\S+)$");
  if (std::regex_search(o.message, m, offer)) {
    o.decided = "refused";
    o.offered = {m[1], m[2]};
  } else {
    o.decided = "error";
  }
  return o;
}

bool decodes_right(const std::string& bytes, const std::string& option,
                   const std::string& expected) {
  return decode_with(bytes, option).text == expected;
}

// What the tool did before this scorer: valid UTF-8 (or a BOM) is UTF-8,
// anything else CP932 when it reads as CP932.
bool decoded_as_cp932_before(const std::string& bytes, const Entry& e) {
  return !e.encoding.starts_with("utf") && !is_valid_utf8(bytes) &&
         decode_with(bytes, "shift_jis").text.has_value();
}

// uchardet alone, on the same lines: the detector the scorer is measured against.
bool detector_right(const std::string& bytes, const Entry& e) {
  std::vector<SampleLine> sample;
  std::istringstream in(bytes);
  std::string line;
  for (std::uint64_t n = 1; std::getline(in, line); ++n) {
    if (std::any_of(line.begin(), line.end(), [](char c) { return (c & 0x80) != 0; }))
      sample.push_back(SampleLine{n, line, false});
  }
  const LegacyEncoding* d = detector_answer(sample, nullptr);
  return d && option_for(e.encoding) == d->option;
}

struct Table {
  std::map<std::string, std::map<std::string, int>> cells;  // true encoding -> decided -> files
  int files = 0, right = 0, refused = 0, wrong = 0, errors = 0;
  int legacy = 0, detector = 0;
};

void print(const std::string& title, const Table& t) {
  static const std::vector<std::string> columns = {"CP932",        "EUC-JP",  "WINDOWS-1252",
                                                   "WINDOWS-1250", "UTF-8",   "UTF-16LE",
                                                   "UTF-16BE",     "refused", "error"};
  std::ostringstream out;
  out << "\n" << title << ": " << t.files << " files\n";
  out << std::left;
  out.width(12);
  out << "file\\chose";
  for (const auto& c : columns) {
    out.width(static_cast<std::streamsize>(c.size()) + 1);
    out << c;
  }
  out << "\n";
  for (const auto& [enc, row] : t.cells) {
    out.width(12);
    out << enc;
    for (const auto& c : columns) {
      out.width(static_cast<std::streamsize>(c.size()) + 1);
      auto it = row.find(c);
      out << (it == row.end() ? std::string(".") : std::to_string(it->second));
    }
    out << "\n";
  }
  out << "right text " << t.right << ", refused " << t.refused << ", silent wrong decodes "
      << t.wrong << ", errors " << t.errors << "; uchardet alone right on " << t.detector << " of "
      << t.legacy << " legacy-encoded files\n";
  std::cout << out.str();
}

TEST(EncodingCorpus, NoSilentWrongDecodeAndRefusalsNameTheRightEncoding) {
  auto entries = read_manifest();
  ASSERT_GE(entries.size(), 60u);
  std::map<std::string, Table> tables;
  int cp932_before = 0, cp932_still = 0, wrong_before = 0;
  for (const auto& e : entries) {
    std::string bytes = slurp(k_corpus / e.file);
    std::string expected = slurp(k_corpus / e.expected);
    Outcome o = decode(bytes, expected);
    for (Table* t : {&tables[e.part], &tables["all"]}) {
      ++t->files;
      ++t->cells[e.encoding][o.decided];
      t->right += o.right;
      t->refused += o.decided == "refused";
      t->errors += o.decided == "error";
      t->wrong += !o.right && o.decided != "refused" && o.decided != "error";
      if (!e.encoding.starts_with("utf")) {
        ++t->legacy;
        t->detector += detector_right(bytes, e);
      }
    }
    EXPECT_TRUE(o.right || o.decided == "refused")
        << e.file << ": decided " << o.decided << " " << o.message;
    if (o.decided == "refused") {
      // Right: the file's own encoding, or one that reads it the same
      // (German is the same bytes in Windows-1252 and Windows-1250).
      bool offers_right = false;
      for (const auto& option : o.offered) offers_right |= decodes_right(bytes, option, expected);
      EXPECT_TRUE(offers_right) << e.file << ": " << o.message;
      EXPECT_LT(e.letters, 20) << e.file << " has " << e.letters
                               << " non-ASCII letters and is refused: " << o.message;
    }
    if (decoded_as_cp932_before(bytes, e)) {
      bool right_before = e.encoding == "cp932";
      cp932_before += right_before;
      wrong_before += !right_before;
      if (right_before) {
        cp932_still += o.right;
        EXPECT_TRUE(o.right) << e.file << " decoded as CP932 before: " << o.message;
      }
    }
  }
  print("dev (the scorer was tuned on these word lists)", tables["dev"]);
  print("heldout (written apart; two scorer changes followed its first run)", tables["heldout"]);
  print("fresh (written after the last scorer change, never tuned on)", tables["fresh"]);
  print("all", tables["all"]);
  std::cout << "CP932 files that decoded before: " << cp932_before
            << ", still decode: " << cp932_still
            << "; files decoded before as CP932 though they are not: " << wrong_before << "\n";
  EXPECT_EQ(tables["all"].wrong, 0);
  EXPECT_EQ(tables["all"].errors, 0);
}

}  // namespace
}  // namespace prospect_import
