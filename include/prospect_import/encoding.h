#pragma once
// Decoding of the input bytes to UTF-8, streamed. CLI.md: `auto` lets a BOM
// decide, or UTF-16 without one by its NUL bytes; else ASCII is passed on as
// it comes and, at the first non-ASCII byte, a look ahead (4 MiB at most)
// decides: valid UTF-8 is UTF-8, else encoding_guess.h chooses among CP932,
// EUC-JP, Windows-1252 and Windows-1250 or refuses (65). So a file whose only
// non-ASCII byte is on line 40,000 is decided by that line, and memory stays
// bounded whatever the file's size. Everything after this stage is UTF-8 with
// LF or CRLF line ends (a lone CR becomes LF), without BOM and without NUL bytes.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace prospect_import {

// A source of bytes; read() fills up to n bytes and returns 0 only at the end.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Throws ErrorException on undecodable input or a read error.
  virtual std::size_t read(char* out, std::size_t n) = 0;
};

// What --encoding asked for, resolved: the iconv name, or automatic.
struct EncodingRequest {
  bool automatic = true;
  std::string iconv_name;  // e.g. "UTF-8", "CP932", "UTF-16"; empty when automatic
};

// Parses an --encoding value ("auto", "utf-8", "shift_jis", "cp932", "utf-16",
// any name iconv knows). Returns nothing for a name iconv does not know.
std::optional<EncodingRequest> parse_encoding(std::string_view name);

// A ByteSource that yields UTF-8 and says which encoding it decoded.
class Decoder : public ByteSource {
 public:
  // The encoding settled on ("UTF-8", "CP932", "UTF-16LE", ...), known after
  // the first read().
  // Empty while `auto` has seen only ASCII.
  virtual std::string encoding() const = 0;
  // Why that encoding ("Windows-1252: no valid CP932 (Shift_JIS) or EUC-JP
  // reading; ..."), for the log.
  virtual std::string reason() const = 0;
  // `note` is called with reason() once the encoding is settled.
  virtual void on_decided(std::function<void(const std::string&)> note) = 0;
};

// Raw bytes decoded at a time.
inline constexpr std::size_t k_decode_chunk = 1 << 16;

// Reads raw bytes from `in` and yields UTF-8. chunk_bytes other than the
// default only puts text across chunk ends sooner (the fuzz target's use);
// the output is the same.
// REQUIRES: `in` outlives the returned decoder; chunk_bytes >= 8 (a chunk
// must hold more than a sequence cut short).
std::unique_ptr<Decoder> make_decoder(std::istream& in, const EncodingRequest& request,
                                      std::size_t chunk_bytes = k_decode_chunk);

}  // namespace prospect_import
