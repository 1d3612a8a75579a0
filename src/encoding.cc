#include "prospect_import/encoding.h"

#include <iconv.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <functional>
#include <istream>
#include <utility>
#include <vector>

#include "prospect_import/encoding_guess.h"
#include "prospect_import/error.h"
#include "prospect_import/text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace prospect_import {
namespace {

constexpr std::size_t k_sniff = 4096;  // bytes a BOM-less UTF-16 is told by
// How far `auto` looks ahead from the first non-ASCII byte, and the most of a
// line without a line end it holds back; the lines sampled in that window.
constexpr std::size_t k_lookahead = 4 << 20;
constexpr std::size_t k_line_hold = 1 << 20;
constexpr std::size_t k_sample_lines = 2000;
constexpr std::size_t k_sample_bytes = 256 << 10;

// Line ends in s: LF, CRLF and a lone CR each count one.
std::uint64_t line_ends(std::string_view s) {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))) ++n;
  }
  return n;
}

// The lines of `window` (which starts at the start of line `first_line`) that
// hold a byte >= 0x80, up to the limits above. The window's last line counts
// as whole only at the end of the input.
std::vector<SampleLine> sample_lines(std::string_view window, std::uint64_t first_line, bool eof) {
  std::vector<SampleLine> sample;
  std::size_t bytes = 0;
  std::uint64_t line = first_line;
  for (std::size_t pos = 0; pos < window.size();) {
    std::size_t end = window.find_first_of("\r\n", pos);
    bool cut = end == std::string_view::npos && !eof;
    std::string_view l = window.substr(pos, end == std::string_view::npos ? end : end - pos);
    bool high = std::any_of(l.begin(), l.end(), [](char c) { return (c & 0x80) != 0; });
    if (high && (!cut || sample.empty())) {
      sample.push_back(SampleLine{line, std::string(l), cut});
      bytes += l.size();
    }
    if (end == std::string_view::npos || sample.size() >= k_sample_lines || bytes >= k_sample_bytes)
      break;
    pos = end + 1 + (window[end] == '\r' && end + 1 < window.size() && window[end + 1] == '\n');
    ++line;
  }
  return sample;
}

enum class Bom { none, utf8, utf16le, utf16be };

Bom detect_bom(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) return Bom::utf8;
  if (s.starts_with("\xFF\xFE")) return Bom::utf16le;
  if (s.starts_with("\xFE\xFF")) return Bom::utf16be;
  return Bom::none;
}

std::size_t bom_size(Bom b) { return b == Bom::utf8 ? 3 : b == Bom::none ? 0 : 2; }

// UTF-16 without a BOM: a CSV's delimiters, digits and line ends are ASCII,
// so many NUL bytes show, nearly all on one side of each pair (Japanese text
// itself has few).
Bom guess_utf16(std::string_view s) {
  std::size_t even = 0, odd = 0, n = std::min<std::size_t>(s.size(), k_sniff) & ~std::size_t{1};
  for (std::size_t i = 0; i < n; i += 2) {
    even += s[i] == '\0';
    odd += s[i + 1] == '\0';
  }
  std::size_t pairs = n / 2;
  // A quarter of the characters ASCII, and at least two: a stray NUL in a
  // short text is a broken file, not UTF-16.
  if (odd >= 2 && odd * 4 >= pairs && even * 20 <= odd) return Bom::utf16le;
  if (even >= 2 && even * 4 >= pairs && odd * 20 <= even) return Bom::utf16be;
  return Bom::none;
}

class IconvHandle {
 public:
  explicit IconvHandle(const std::string& from) : m_cd(iconv_open("UTF-8", from.c_str())) {}
  ~IconvHandle() {
    if (ok()) iconv_close(m_cd);
  }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  bool ok() const { return m_cd != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return m_cd; }

 private:
  iconv_t m_cd;
};

class StreamDecoder final : public Decoder {
 public:
  StreamDecoder(std::istream& in, EncodingRequest request, std::size_t chunk)
      : m_in(in), m_request(std::move(request)), m_chunk(chunk) {}

  std::size_t read(char* out, std::size_t n) override {
    if (!m_started) start();
    std::size_t done = 0;
    while (done < n) {
      if (m_pos == m_text.size() && !refill()) break;
      std::size_t k = std::min(n - done, m_text.size() - m_pos);
      std::memcpy(out + done, m_text.data() + m_pos, k);
      m_pos += k;
      done += k;
    }
    return done;
  }

  std::string encoding() const override { return m_encoding; }
  std::string reason() const override { return m_reason; }
  void on_decided(std::function<void(const std::string&)> note) override {
    m_on_decided = std::move(note);
  }

 private:
  // Reads up to n more raw bytes onto m_raw; false at the end of the input.
  bool read_raw(std::size_t n) {
    if (m_eof) return false;
    std::size_t old = m_raw.size();
    m_raw.resize(old + n);
    m_in.read(m_raw.data() + old, static_cast<std::streamsize>(n));
    auto got = static_cast<std::size_t>(m_in.gcount());
    m_raw.resize(old + got);
    if (m_in.bad())
      fail(ExitCode::io_error, "cannot read the input: " + std::string(std::strerror(errno)));
    if (got < n) m_eof = true;
    return got > 0;
  }

  [[noreturn]] void fail(ExitCode code, std::string message, std::uint64_t line = 0) {
    throw ErrorException(input_error(code, line, std::move(message)));
  }

  void start() {
    m_started = true;
    // A chunk at a time: a small input then costs a small buffer.
    while (m_raw.size() < k_sniff && read_raw(std::min(m_chunk, k_sniff - m_raw.size()))) {
    }
    std::string_view head(m_raw.data(), m_raw.size());
    Bom bom = detect_bom(head);
    bool by_nuls = bom == Bom::none && m_request.automatic;
    if (by_nuls) bom = guess_utf16(head);
    choose_encoding(bom, by_nuls);
    m_raw.erase(m_raw.begin(), m_raw.begin() + static_cast<std::ptrdiff_t>(
                                                   detect_bom(head) == bom ? bom_size(bom) : 0));
    if (!m_undecided && m_encoding != "UTF-8") open_iconv();
  }

  void choose_encoding(Bom bom, bool by_nuls) {
    static constexpr const char* k_names[] = {"", "UTF-8", "UTF-16LE", "UTF-16BE"};
    std::string by_bom = k_names[static_cast<int>(bom)];
    if (!m_request.automatic) {
      choose_requested(by_bom);
      settle(m_encoding, m_encoding + ": as --encoding asked");
      return;
    }
    if (!by_bom.empty()) {
      settle(by_bom, by_bom + (by_nuls ? ": no byte order mark, but every other byte is NUL"
                                       : ": the file starts with its byte order mark"));
      return;
    }
    m_undecided = true;  // decided at the first non-ASCII byte (decide())
  }

  void settle(const std::string& encoding, std::string reason) {
    m_encoding = encoding;
    m_reason = std::move(reason);
    m_undecided = false;
    if (m_on_decided) m_on_decided(m_reason);
  }

  void choose_requested(const std::string& by_bom) {
    std::string want = m_request.iconv_name;
    std::string lw = ascii_lower(want);
    if (lw == "utf-16" || lw == "utf16") {
      m_encoding = by_bom == "UTF-16BE" ? "UTF-16BE" : "UTF-16LE";
      return;
    }
    if (!by_bom.empty() && ascii_lower(by_bom) != lw && !(lw == "utf8" && by_bom == "UTF-8")) {
      fail(ExitCode::data_error, "the file starts with a " + by_bom +
                                     " byte order mark, but --encoding " + want +
                                     " was given; leave out --encoding or pass the right one");
    }
    m_encoding = (lw == "utf8" || lw == "utf-8") ? "UTF-8" : want;
  }

  void open_iconv() {
    m_iconv = std::make_unique<IconvHandle>(m_encoding);
    if (!m_iconv->ok()) fail(ExitCode::usage, "unknown encoding \"" + m_encoding + "\"");
  }

  // Decodes the next raw chunk into m_text; false when nothing is left.
  bool refill() {
    m_text.clear();
    m_pos = 0;
    while (m_text.empty()) {
      if (m_raw.size() < m_chunk) read_raw(m_chunk);
      if (m_raw.empty() && m_undecided) settle("UTF-8", "UTF-8: the file is plain ASCII");
      if (m_raw.empty() && m_held_cr.empty()) return false;
      if (m_raw.empty()) {  // a CR held back at the very end is a line end
        m_text = "\n";
        m_held_cr.clear();
        break;
      }
      m_text = m_held_cr;
      m_held_cr.clear();
      if (m_undecided) take_ascii();
      if (!m_undecided && m_iconv) convert_iconv();
      if (!m_undecided && !m_iconv) take_utf8();
      finish_text();
    }
    return true;
  }

  // `auto` without a BOM: ASCII reads the same in every candidate, so it is
  // passed on as it comes, a line at a time, and the encoding is decided at
  // the first non-ASCII byte, from what lies ahead of it.
  void take_ascii() {
    for (;;) {
      std::string_view raw(m_raw.data(), m_raw.size());
      std::size_t high = 0;
      while (high < raw.size() && (raw[high] & 0x80) == 0) ++high;
      // Complete lines only: the line of the first non-ASCII byte goes whole
      // into decide()'s sample, and a line split across chunks waits.
      std::size_t cut = raw.substr(0, high).find_last_of("\r\n") + 1;  // npos + 1 == 0
      bool found = high < raw.size();
      if (!found && (m_eof || raw.size() > k_line_hold)) cut = raw.size();
      m_text.append(raw.substr(0, cut));
      m_raw.erase(m_raw.begin(), m_raw.begin() + static_cast<std::ptrdiff_t>(cut));
      if (found && cut == 0) return decide();  // the lines before it are handed out first
      if (found || m_eof || cut > 0 || !read_raw(m_chunk)) return;
    }
  }

  // Looks ahead (k_lookahead bytes at most) and settles the encoding: valid
  // UTF-8 is UTF-8; else encoding_guess.h decides, or refuses (65).
  void decide() {
    m_raw.reserve(k_lookahead + m_chunk);  // at once, not doubling on the way
    while (m_raw.size() < k_lookahead && read_raw(m_chunk)) {
    }
    std::string_view window(m_raw.data(), m_raw.size());
    std::uint64_t line = m_lines + 1 + line_ends(m_text);
    Utf8Prefix valid = valid_utf8_prefix(window);
    m_guessed = true;
    if (valid.length == window.size() || (valid.cut_short && !m_eof)) {
      m_checked_utf8 = valid.length;  // take_utf8 need not look at it again
      settle("UTF-8",
             "UTF-8: the non-ASCII bytes are valid UTF-8 (from line " + std::to_string(line) + ")");
      return;
    }
    EncodingChoice choice = choose_legacy_encoding(sample_lines(window, line, m_eof));
    if (!choice.chosen) fail(ExitCode::data_error, choice.refusal, choice.refusal_line);
    settle(choice.chosen->iconv_name, choice.reason);
    open_iconv();
  }

  void take_utf8() {
    std::string_view raw(m_raw.data(), m_raw.size());
    // What decide() found well-formed (a whole number of sequences) is not looked at again.
    std::size_t checked = std::exchange(m_checked_utf8, 0);
    Utf8Prefix valid = valid_utf8_prefix(raw.substr(checked));
    valid.length += checked;
    m_text.append(m_raw.data(), valid.length);
    if (valid.length < m_raw.size() && !(valid.cut_short && !m_eof)) {
      fail_utf8(static_cast<unsigned char>(m_raw[valid.length]));
    }
    m_raw.erase(m_raw.begin(), m_raw.begin() + static_cast<std::ptrdiff_t>(valid.length));
  }

  [[noreturn]] void fail_utf8(unsigned char byte) {
    std::string advice = m_guessed
                             ? "; the start of the file looked like UTF-8: if it was saved as "
                               "Shift_JIS, pass --encoding shift_jis"
                             : "; pass the file's encoding with --encoding (for example shift_jis)";
    fail(ExitCode::data_error, "byte 0x" + hex(byte, 2) + " is not valid UTF-8" + advice,
         line_at(m_text.size()));
  }

  void convert_iconv() {
    std::size_t old = m_text.size();
    m_text.resize(old + m_raw.size() * 4 + 16);
    char* in = m_raw.data();
    std::size_t in_left = m_raw.size();
    char* out = m_text.data() + old;
    std::size_t out_left = m_text.size() - old;
    std::size_t r = iconv(m_iconv->get(), &in, &in_left, &out, &out_left);
    int err = errno;
    m_text.resize(m_text.size() - out_left);
    if (r == static_cast<std::size_t>(-1) && (err == EILSEQ || (err == EINVAL && m_eof))) {
      fail(ExitCode::data_error, "bytes here cannot be read as " + m_encoding + describe_fallback(),
           line_at(m_text.size()));
    }
    m_raw.erase(m_raw.begin(), m_raw.begin() + (in - m_raw.data()));
  }

  std::string describe_fallback() const {
    return m_guessed ? " (chosen from the lines before: " + m_reason +
                           "): pass the file's encoding with --encoding"
                     : ": check --encoding";
  }

  // Line number of the byte at offset `at` of m_text (before CR handling).
  std::uint64_t line_at(std::size_t at) const {
    return m_lines + 1 +
           static_cast<std::uint64_t>(
               std::count(m_text.begin(), m_text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  }

  // Lone CR -> LF, refuse NUL, count lines; holds back a trailing CR.
  void finish_text() {
    if (!m_text.empty() && m_text.back() == '\r' && !(m_eof && m_raw.empty())) {
      m_held_cr = "\r";
      m_text.pop_back();
    }
    // One pass, sixteen (SSE2) or eight bytes a step: a block with no byte
    // below 0x20 has no CR, LF or NUL (most blocks: one line end in about
    // 150 bytes); in one that has, only those bytes are looked at.
    constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
    constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
    char* text = m_text.data();
    std::size_t size = m_text.size();
    std::uint64_t lines = 0;
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128i below_space = _mm_set1_epi8(0x1F);
    for (; i + 16 <= size; i += 16) {
      __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + i));
      auto low =
          static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(w, below_space), w)));
      for (; low != 0; low &= low - 1) {
        std::size_t at = i + static_cast<std::size_t>(std::countr_zero(low));
        if (text[at] == '\r' && (at + 1 == size || text[at + 1] != '\n')) text[at] = '\n';
        if (text[at] == '\n') ++lines;
        if (text[at] == '\0') fail_nul(at);
      }
    }
#endif
    while (i < size) {
      if (i + 8 <= size) {
        std::uint64_t w;
        std::memcpy(&w, text + i, sizeof w);
        if (((w - k_ones * 0x20) & ~w & k_highs) == 0) {
          i += 8;
          continue;
        }
      }
      for (std::size_t end = std::min(i + 8, size); i < end; ++i) {
        if (text[i] == '\r' && (i + 1 == size || text[i + 1] != '\n')) text[i] = '\n';
        if (text[i] == '\n') ++lines;
        if (text[i] == '\0') fail_nul(i);
      }
    }
    m_lines += lines;
  }

  [[noreturn]] void fail_nul(std::size_t at) {
    fail(ExitCode::data_error,
         "the file holds a NUL byte: it is not a text CSV (if it is UTF-16 without a byte order "
         "mark, pass --encoding utf-16)",
         line_at(at));
  }

  std::istream& m_in;
  EncodingRequest m_request;
  std::size_t m_chunk;       // raw bytes converted at a time
  std::string m_encoding;    // chosen encoding, iconv's name
  std::string m_reason;      // why, for the log
  bool m_undecided = false;  // `auto` without a BOM, no non-ASCII byte yet
  bool m_guessed = false;    // chosen by `auto` at the first non-ASCII byte
  std::function<void(const std::string&)> m_on_decided;
  bool m_started = false;
  bool m_eof = false;
  std::vector<char> m_raw;         // raw bytes not yet decoded
  std::size_t m_checked_utf8 = 0;  // m_raw's first bytes, known to be well-formed UTF-8
  std::string m_text;              // decoded UTF-8 not yet handed out
  std::size_t m_pos = 0;           // read position in m_text
  std::string m_held_cr;           // a CR at a chunk's end, waiting for a possible LF
  std::uint64_t m_lines = 0;       // line ends handed out so far
  std::unique_ptr<IconvHandle> m_iconv;
};

}  // namespace

std::optional<EncodingRequest> parse_encoding(std::string_view name) {
  std::string n = ascii_lower(name);
  if (n == "auto" || n.empty()) return EncodingRequest{};
  if (n == "shift_jis" || n == "shift-jis" || n == "sjis" || n == "cp932" || n == "windows-31j" ||
      n == "ms932") {
    return EncodingRequest{false, "CP932"};
  }
  if (n == "utf-8" || n == "utf8" || n == "utf-8-sig") return EncodingRequest{false, "UTF-8"};
  if (n == "utf-16" || n == "utf16") return EncodingRequest{false, "UTF-16"};
  for (const auto& e : legacy_encodings()) {  // one spelling, the one `auto` names them by
    if (n == e.option || n == ascii_lower(e.iconv_name) ||
        (n == "eucjp" && std::string_view(e.option) == "euc-jp"))
      return EncodingRequest{false, e.iconv_name};
  }
  IconvHandle probe{std::string(name)};
  if (!probe.ok()) return std::nullopt;
  return EncodingRequest{false, std::string(name)};
}

std::unique_ptr<Decoder> make_decoder(std::istream& in, const EncodingRequest& request,
                                      std::size_t chunk_bytes) {
  return std::make_unique<StreamDecoder>(in, request, chunk_bytes);
}

}  // namespace prospect_import
