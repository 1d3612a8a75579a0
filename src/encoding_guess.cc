#include "prospect_import/encoding_guess.h"

#include <iconv.h>
#include <uchardet.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <memory>

#include "prospect_import/text.h"

namespace prospect_import {
namespace {

// ---- decoding ------------------------------------------------------------

// One iconv conversion to UTF-8, opened once for many short texts.
class ToUtf8 {
 public:
  explicit ToUtf8(const char* from) : m_cd(iconv_open("UTF-8", from)) {}
  ~ToUtf8() {
    if (m_cd != reinterpret_cast<iconv_t>(-1)) iconv_close(m_cd);
  }
  ToUtf8(const ToUtf8&) = delete;
  ToUtf8& operator=(const ToUtf8&) = delete;

  // `bytes` decoded; nothing when a byte sequence is not in the encoding (or
  // is cut short, unless `cut`).
  std::optional<std::string> operator()(std::string_view bytes, bool cut) {
    if (m_cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    iconv(m_cd, nullptr, nullptr, nullptr, nullptr);  // a fresh start
    std::string out(bytes.size() * 4 + 8, '\0');
    std::string in(bytes);
    char* ip = in.data();
    std::size_t in_left = in.size();
    char* op = out.data();
    std::size_t out_left = out.size();
    std::size_t r = iconv(m_cd, &ip, &in_left, &op, &out_left);
    if (r == static_cast<std::size_t>(-1) && !(cut && errno == EINVAL)) return std::nullopt;
    out.resize(out.size() - out_left);
    return out;
  }

 private:
  iconv_t m_cd;
};

std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    CodePoint c = decode_at(s, i);
    out.push_back(c.code_point);
    i += c.length;
  }
  return out;
}

// ---- Japanese ------------------------------------------------------------

bool is_kana(char32_t c) { return c >= 0x3041 && c <= 0x30FF; }
bool is_kanji(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }
bool is_cjk_punct(char32_t c) { return c >= 0x3000 && c <= 0x303F; }
bool is_fullwidth_ascii(char32_t c) { return c >= 0xFF01 && c <= 0xFF5E; }
bool is_halfwidth_kana(char32_t c) { return c >= 0xFF61 && c <= 0xFF9F; }
bool is_japanese(char32_t c) {
  return is_kana(c) || is_kanji(c) || is_cjk_punct(c) || is_fullwidth_ascii(c);
}
bool is_ascii_letter(char32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// JIS X 0208 level 1: the 2,965 common kanji. Latin bytes read as Shift_JIS
// or EUC-JP land mostly on level 2 (lead bytes 0xE0-0xEA), the rare ones.
const std::bitset<0x5200>& level1_kanji() {
  static const std::bitset<0x5200> table = [] {
    std::bitset<0x5200> t;
    ToUtf8 from_euc_jp("EUC-JP");
    for (int row = 0xB0; row <= 0xCF; ++row) {
      for (int cell = 0xA1; cell <= 0xFE; ++cell) {
        char pair[2] = {static_cast<char>(row), static_cast<char>(cell)};
        auto u = from_euc_jp(std::string_view(pair, 2), false);
        if (!u) continue;
        char32_t c = decode_at(*u, 0).code_point;
        if (c >= 0x4E00 && c < 0x4E00 + 0x5200) t.set(c - 0x4E00);
      }
    }
    return t;
  }();
  return table;
}

bool is_level1(char32_t c) { return c >= 0x4E00 && c < 0x9FFF && level1_kanji().test(c - 0x4E00); }

// Points of a character of the Japanese scripts, or of a symbol no Latin
// reading gives; `before`/`after` are its neighbours (0 at a line's ends).
// A CSV field's edge: a cell that is one Japanese character is Japanese text.
bool is_field_edge(char32_t c) { return c == 0 || c == ',' || c == ';' || c == '\t' || c == '"'; }

// Whether the half-width kana `kana` takes the voicing mark `mark`: ﾞ (U+FF9E)
// after ｳ, ｶ-ﾄ and ﾊ-ﾎ (ｳﾞ, ｶﾞ, ﾀﾞ, ﾊﾞ); ﾟ (U+FF9F) after ﾊ-ﾎ (ﾊﾟ).
bool takes_mark(char32_t kana, char32_t mark) {
  bool h_row = kana >= 0xFF8A && kana <= 0xFF8E;  // ﾊ ﾋ ﾌ ﾍ ﾎ
  if (mark == 0xFF9F) return h_row;
  return h_row || kana == 0xFF73 || (kana >= 0xFF76 && kana <= 0xFF84);  // ｳ, ｶ-ﾄ
}

double japanese_points(char32_t c, char32_t before, char32_t after) {
  bool jp_near =
      is_japanese(before) || is_japanese(after) || (is_field_edge(before) && is_field_edge(after));
  if (is_kana(c)) return 2;
  if (is_kanji(c)) {
    if (is_ascii_letter(before) && is_ascii_letter(after)) return -2;  // "M馘ias"
    if (is_level1(c)) return jp_near ? 2 : 1;
    return jp_near ? 0.5 : -1;
  }
  if (is_cjk_punct(c) || is_fullwidth_ascii(c)) return jp_near ? 1 : -1;
  if (is_halfwidth_kana(c)) {
    if (c <= 0xFF65) return -2;  // "､" "･": EUC-JP's kana rows read as Shift_JIS
    if (is_ascii_letter(before) || is_ascii_letter(after)) return -2;
    // A voicing mark where the kana before takes it (ｶﾞ, ﾊﾟ): what a name
    // typed in half-width katakana has (a bank's or a register's kana column),
    // and what bytes of another encoding rarely give; one after any other
    // character is the sign of a misreading.
    if (c == 0xFF9E || c == 0xFF9F) return takes_mark(before, c) ? 4 : -2;
    return is_halfwidth_kana(before) || is_halfwidth_kana(after) ? 0 : -1;
  }
  if (c >= 0xE000 && c <= 0xF8FF) return -3;  // private use (gaiji)
  if ((c >= 0x0370 && c <= 0x04FF) || (c >= 0x2500 && c <= 0x257F)) return -1.5;  // Greek, box
  if (c >= 0xF900 && c <= 0xFAFF) return -1;  // compatibility ideographs (IBM extensions)
  return jp_near ? 0 : -1;                    // ①, ㈱, ※, arrows...
}

// ---- Latin ---------------------------------------------------------------

bool is_latin_letter(char32_t c) {
  return is_ascii_letter(c) || (c >= 0xC0 && c <= 0x17F && c != 0xD7 && c != 0xF7) ||
         (c >= 0x218 && c <= 0x21B);
}

char32_t lower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c == 0x178) return 0xFF;
  bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
  if (c >= 0x100 && c <= 0x17F && c != 0x138 && c != 0x149)
    return odd_upper ? (c % 2 == 1 ? c + 1 : c) : (c % 2 == 0 ? c + 1 : c);
  if (c >= 0x218 && c <= 0x21B) return c | 1;
  return c;
}

bool is_upper(char32_t c) { return c != lower(c); }
bool is_vowel(char32_t c) {
  c = lower(c);
  return std::u32string_view(U"aeiouyáéíóúýàèìòùâêîôûäëïöüåæøœãõąęěůőű").find(c) !=
         std::u32string_view::npos;
}

enum Family : unsigned { k_western = 1, k_central = 2 };  // Windows-1252's, Windows-1250's

struct Language {
  const char* name;
  unsigned families;
  std::u32string_view common;
  std::u32string_view rare;
  std::u32string_view one_letter_words;  // accented letters that are words on their own
};

// The accented letters of the languages Windows-1252 and Windows-1250 serve.
// General knowledge of their alphabets, not tuned on the test corpus.
const std::array<Language, 15> k_languages = {{
    {"French", k_western, U"éèàçêôâîûù", U"ëïœæÿ", U"à"},
    {"German", k_western | k_central, U"äöüß", U"", U""},
    {"Spanish", k_western, U"áéíñóú", U"ü", U""},
    {"Portuguese", k_western, U"áâãàçéêíóôõú", U"ü", U"àé"},
    {"Italian", k_western, U"àèéìòù", U"íîóú", U"è"},
    {"Dutch", k_western, U"éë", U"ïöüèáó", U""},
    {"Swedish", k_western, U"åäö", U"éšž", U"åö"},
    {"Danish", k_western, U"æøå", U"é", U"å"},
    {"Catalan", k_western, U"àçèéíòóú", U"ïü", U""},
    {"Polish", k_central, U"ąćęłńóśźż", U"", U""},
    {"Czech", k_central, U"áčďéěíňóřšťúůýž", U"", U""},
    {"Slovak", k_central, U"áčďéíľňóôšťúýž", U"äĺŕ", U""},
    {"Hungarian", k_central, U"áéíóöőúüű", U"", U""},
    {"Croatian", k_central, U"čćđšž", U"", U""},
    {"Romanian", k_central, U"ăâîșşțţ", U"", U""},
}};

// Spelling rules that mojibake breaks: Polish writes "ni", not "ń", before a
// vowel; Czech ě follows only b, p, v, m, d, t, n, f; ů starts no word and
// follows no vowel; Slovak ŕ and ĺ stand between consonants.
bool breaks_spelling(const Language& lang, std::u32string_view w, std::size_t i) {
  char32_t c = lower(w[i]);
  char32_t prev = i > 0 ? lower(w[i - 1]) : 0;
  char32_t next = i + 1 < w.size() ? lower(w[i + 1]) : 0;
  std::string_view name = lang.name;
  if (name == "Polish" && std::u32string_view(U"ćńśź").find(c) != std::u32string_view::npos)
    return next != 0 && is_vowel(next);
  if (name == "Czech" && c == U'ě')
    return std::u32string_view(U"bpvmdtnf").find(prev) == std::u32string_view::npos;
  if (name == "Czech" && c == U'ů') return prev == 0 || is_vowel(prev);
  if (name == "Slovak" && (c == U'ŕ' || c == U'ĺ'))
    return prev == 0 || next == 0 || is_vowel(prev) || is_vowel(next);
  return false;
}

// A word's weight in a language: 1 a common letter, 0.4 a rare one; nothing
// when the word has a letter or spelling the language does not have.
std::optional<double> word_weight(const Language& lang, std::u32string_view w) {
  double weight = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i] < 0x80) continue;
    char32_t c = lower(w[i]);
    if (i > 0 && is_upper(w[i]) && !is_upper(w[i - 1])) return std::nullopt;  // "xÉy"
    if (breaks_spelling(lang, w, i)) return std::nullopt;
    if (lang.common.find(c) != std::u32string_view::npos)
      weight += 1;
    else if (lang.rare.find(c) != std::u32string_view::npos)
      weight += 0.4;
    else
      return std::nullopt;
  }
  if (w.size() == 1 && lang.one_letter_words.find(lower(w[0])) == std::u32string_view::npos)
    return std::nullopt;
  // "ŽR": an accented capital in a word of two or three capitals is how a
  // Japanese character reads in a Latin code page, seldom an abbreviation.
  if (w.size() <= 3 && std::all_of(w.begin(), w.end(), is_upper)) return std::nullopt;
  return weight;
}

// Symbols that Western text holds (quotes, dashes, €, °, «»...), anywhere but
// inside a word.
bool is_usual_symbol(char32_t c) {
  return std::u32string_view(U"\u00A0€«»°–—…“”„‘’‚©®™•ºª¡¿£§·×½¼²").find(c) !=
         std::u32string_view::npos;
}

// Quotes, spaces and dashes that stand next to one another in real text.
bool is_typographic(char32_t c) {
  return std::u32string_view(U"\u00A0«»“”„‘’…–—").find(c) != std::u32string_view::npos;
}

bool is_symbol(char32_t c) { return c >= 0x80 && !is_latin_letter(c); }

double symbol_points(char32_t c, char32_t before, char32_t after) {
  // "‚³", "“Œ‹": Japanese read in a Latin code page is symbols in a row.
  for (char32_t n : {before, after}) {
    if (is_symbol(n) && !(is_typographic(c) && is_typographic(n))) return -1.5;
  }
  bool in_word = is_latin_letter(before) && is_latin_letter(after);
  if (in_word) return (c == U'’' || c == U'‘' || c == U'·') ? 0 : -2;
  return is_usual_symbol(c) ? 0 : -1;
}

// Points of the Latin words: each word's accented letters are weighed in the
// language that explains most of the text; a word that only another language
// of the same code page explains gets half (a list of partners from several
// countries); one that only a language of the other code page explains, or
// none, loses 2 or 1.5 a letter: that is the other code page's reading.
double latin_word_points(const std::vector<std::u32string>& words) {
  std::array<double, k_languages.size()> total{};
  std::vector<std::array<std::optional<double>, k_languages.size()>> fits(words.size());
  for (std::size_t w = 0; w < words.size(); ++w) {
    for (std::size_t l = 0; l < k_languages.size(); ++l) {
      fits[w][l] = word_weight(k_languages[l], words[w]);
      if (fits[w][l]) total[l] += *fits[w][l];
    }
  }
  std::size_t best =
      static_cast<std::size_t>(std::max_element(total.begin(), total.end()) - total.begin());
  double points = 0;
  for (std::size_t w = 0; w < words.size(); ++w) {
    if (fits[w][best]) {
      points += *fits[w][best];
      continue;
    }
    double same = -1;
    bool other = false;
    for (std::size_t l = 0; l < k_languages.size(); ++l) {
      if (!fits[w][l]) continue;
      if (k_languages[l].families & k_languages[best].families)
        same = std::max(same, *fits[w][l]);
      else
        other = true;
    }
    auto accented = static_cast<double>(
        std::count_if(words[w].begin(), words[w].end(), [](char32_t c) { return c >= 0x80; }));
    points += same >= 0 ? 0.5 * same : (other ? -2 : -1.5) * accented;
  }
  return points;
}

}  // namespace

double plausibility(const std::vector<std::string>& lines) {
  double points = 0;
  std::vector<std::u32string> words;
  for (const auto& line : lines) {
    std::vector<char32_t> cs = code_points(line);
    std::u32string word;
    bool accented = false;
    for (std::size_t i = 0; i <= cs.size(); ++i) {
      char32_t c = i < cs.size() ? cs[i] : 0;
      if (i < cs.size() && is_latin_letter(c)) {
        word += c;
        accented = accented || c >= 0x80;
        continue;
      }
      if (accented) words.push_back(word);
      word.clear();
      accented = false;
      if (c < 0x80) continue;
      char32_t before = i > 0 ? cs[i - 1] : 0;
      char32_t after = i + 1 < cs.size() ? cs[i + 1] : 0;
      points += c < 0x370 || (c >= 0x2010 && c <= 0x2122) ? symbol_points(c, before, after)
                                                          : japanese_points(c, before, after);
    }
  }
  return points + latin_word_points(words);
}

const std::vector<LegacyEncoding>& legacy_encodings() {
  static const std::vector<LegacyEncoding> list = {
      {"CP932", "CP932 (Shift_JIS)", "shift_jis"},
      {"EUC-JP", "EUC-JP", "euc-jp"},
      {"WINDOWS-1252", "Windows-1252", "windows-1252"},
      {"WINDOWS-1250", "Windows-1250", "windows-1250"},
  };
  return list;
}

const LegacyEncoding* detector_answer(const std::vector<SampleLine>& sample, std::string* raw) {
  std::unique_ptr<uchardet, void (*)(uchardet_t)> ud(uchardet_new(), uchardet_delete);
  for (const auto& l : sample) {
    uchardet_handle_data(ud.get(), l.bytes.data(), l.bytes.size());
    uchardet_handle_data(ud.get(), "\n", 1);
  }
  uchardet_data_end(ud.get());
  std::string answer = uchardet_get_charset(ud.get());
  if (raw) *raw = answer;
  const auto& list = legacy_encodings();
  std::string a = ascii_lower(answer);  // uchardet names them in capitals
  if (a == "shift_jis" || a == "cp932") return &list[0];
  if (a == "euc-jp") return &list[1];
  if (a == "windows-1252" || a == "iso-8859-1" || a == "iso-8859-15") return &list[2];
  if (a == "windows-1250" || a == "iso-8859-2") return &list[3];
  return nullptr;
}

namespace {

// U+0080-U+009F: glibc's EUC-JP passes bytes 0x80-0x8D through as these
// controls, which no text holds; such a reading counts as invalid.
bool has_c1_control(std::string_view utf8) {
  if (utf8.find('\xC2') == std::string_view::npos) return false;  // U+0080-U+00BF start with C2
  auto cs = code_points(utf8);
  return std::any_of(cs.begin(), cs.end(), [](char32_t c) { return c >= 0x80 && c <= 0x9F; });
}

Reading read_as(const LegacyEncoding& enc, const std::vector<SampleLine>& sample) {
  Reading r;
  r.encoding = &enc;
  ToUtf8 decode(enc.iconv_name);
  for (const auto& l : sample) {
    // The line end is read too: a lead byte before it is an error, not a cut.
    auto text = decode(l.bytes + (l.cut ? "" : "\n"), l.cut);
    if (!text || has_c1_control(*text)) {
      r.invalid_line = l.line;
      r.text.clear();
      return r;
    }
    if (!l.cut) text->pop_back();
    r.text.push_back(std::move(*text));
  }
  r.valid = true;
  r.score = plausibility(r.text);
  return r;
}

std::string points(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", p);
  return buf;
}

std::string names(const std::vector<const Reading*>& rs) {
  std::string out;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    if (i > 0) out += i + 1 == rs.size() ? " or " : ", ";
    out += rs[i]->encoding->display;
  }
  return out;
}

// "Windows-1252: no valid CP932 (Shift_JIS) or EUC-JP reading; 12.0 points
// against 4.5 for Windows-1250".
std::string reason_for(const EncodingChoice& c, const Reading* rival) {
  std::string reason = std::string(c.chosen->display) + ":";
  std::vector<const Reading*> invalid;
  for (const auto& r : c.readings)
    if (!r.valid) invalid.push_back(&r);
  std::string sep = " ";
  if (!invalid.empty()) {
    reason += " no valid " + names(invalid) + " reading";
    sep = "; ";
  }
  const Reading& best = c.readings.front();
  if (rival) {
    reason += sep + points(best.score) + " points against " + points(rival->score) + " for " +
              rival->encoding->display + " (a lead of " + points(k_margin_threshold) + " decides)";
  } else if (c.readings.size() > invalid.size() + 1) {
    reason += sep + "the other readings give the same text";
  } else if (invalid.empty()) {
    reason += sep + "the only reading";
  }
  if (!c.detector.empty()) reason += "; uchardet says " + c.detector;
  return reason;
}

std::string shown(std::string_view line) {
  constexpr std::size_t k_shown = 120;
  std::string_view s = first_code_points(line, k_shown);
  return std::string(s) + (s.size() < line.size() ? "..." : "");
}

void refuse(EncodingChoice& c, const Reading& a, const Reading& b,
            const std::vector<SampleLine>& sample) {
  std::size_t i = 0;
  while (i + 1 < sample.size() && a.text[i] == b.text[i]) ++i;
  c.refusal_line = sample[i].line;
  c.refusal = std::string("cannot tell the encoding for sure: ") + a.encoding->display + " or " +
              b.encoding->display + " (" + points(a.score) + " points against " + points(b.score) +
              "; a lead of " + points(k_margin_threshold) + " decides). This line reads\n  as " +
              a.encoding->display + ": " + shown(a.text[i]) + "\n  as " + b.encoding->display +
              ": " + shown(b.text[i]) + "\npass --encoding " + a.encoding->option +
              " or --encoding " + b.encoding->option;
}

}  // namespace

EncodingChoice choose_legacy_encoding(const std::vector<SampleLine>& sample) {
  EncodingChoice c;
  // The detector guesses from byte statistics: on a few bytes, it is noise.
  std::size_t high = 0;
  for (const auto& l : sample)
    high += static_cast<std::size_t>(
        std::count_if(l.bytes.begin(), l.bytes.end(), [](char b) { return (b & 0x80) != 0; }));
  const LegacyEncoding* vote =
      high >= k_detector_min_bytes ? detector_answer(sample, &c.detector) : nullptr;
  for (const auto& enc : legacy_encodings()) {
    c.readings.push_back(read_as(enc, sample));
    if (&enc == vote && c.readings.back().valid) c.readings.back().score += k_detector_vote;
  }
  std::stable_sort(c.readings.begin(), c.readings.end(), [](const Reading& a, const Reading& b) {
    return a.valid != b.valid ? a.valid : a.score > b.score;
  });
  const Reading& best = c.readings.front();
  if (!best.valid) {
    c.refusal_line = best.invalid_line;
    std::vector<const Reading*> all;
    for (const auto& r : c.readings) all.push_back(&r);
    c.refusal = "the file is neither UTF-8 nor " + names(all) +
                ": pass its encoding with --encoding (a name iconv knows)";
    return c;
  }
  const Reading* rival = nullptr;
  for (std::size_t i = 1; i < c.readings.size() && c.readings[i].valid; ++i) {
    if (c.readings[i].text != best.text) {
      rival = &c.readings[i];
      break;
    }
  }
  if (rival && best.score - rival->score < k_margin_threshold) {
    refuse(c, best, *rival, sample);
    return c;
  }
  c.chosen = best.encoding;
  c.reason = reason_for(c, rival);
  return c;
}

}  // namespace prospect_import
