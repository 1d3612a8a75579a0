#include "prospect_import/input.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <streambuf>

#include "prospect_import/os_error.h"
#include "prospect_import/sha256.h"

namespace prospect_import {
namespace {

constexpr std::size_t k_chunk = 1 << 16;
constexpr std::uint64_t k_free_space_reserve = 64ull << 20;  // left free for the journal and report
constexpr std::uint64_t k_free_space_check_every = 16ull << 20;

std::string mib(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

// A stream buffer over the input that hashes every byte it passes on and, for
// a spool, writes it to the spool file first. It ends early (as end of file)
// on a stop request, a spool over its limit or a write error, and says why.
class Input::Tee final : public std::streambuf {
 public:
  Tee(std::istream& source, const FirstPassSettings& settings)
      : m_source(source), m_settings(settings) {}

  Status start_spool() {
    auto spool = m_settings.folder.create(k_spool_file,
                                          Access::read_write);  // read again by the second pass
    if (!spool) return spool.error();
    m_spool_fd = std::move(*spool);
    return check_free_space();
  }

  // The spool, once the first pass is over.
  UniqueFd take_spool() { return std::move(m_spool_fd); }

  // Reads the rest of the source through the buffer.
  void drain() {
    while (underflow() != traits_type::eof()) setg(eback(), egptr(), egptr());
  }

  std::string digest() { return m_hash.hex_digest(); }
  const std::optional<Error>& error() const { return m_error; }
  bool source_failed() const { return m_source.bad(); }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (m_error || at_stop()) return traits_type::eof();
    m_source.read(m_buffer, k_chunk);
    auto got = static_cast<std::size_t>(m_source.gcount());
    if (got == 0) {
      at_stop();  // a signal that interrupted the read looks like the end
      return traits_type::eof();
    }
    m_hash.update(m_buffer, got);
    if (m_spool_fd && !spool(got)) return traits_type::eof();
    setg(m_buffer, m_buffer, m_buffer + got);
    return traits_type::to_int_type(*gptr());
  }

 private:
  bool at_stop() {
    int sig = m_settings.stop ? m_settings.stop->load() : 0;
    if (sig == 0) return false;
    if (!m_error) m_error = stopped_by(sig, " while reading the input");
    return true;
  }

  bool spool(std::size_t got) {
    m_spooled += got;
    if (m_spooled > m_settings.max_spool_bytes) {
      m_error = input_error(
          ExitCode::data_error, 0,
          "more than " + mib(m_settings.max_spool_bytes) +
              " arrived (--max-input-size): is it really a prospects CSV? Pass a larger "
              "--max-input-size, or a regular file");
      return false;
    }
    if (!write_all(m_spool_fd.get(), std::string_view(m_buffer, got))) {
      int e = errno;
      m_error = Error{ExitCode::io_error,
                      "cannot keep standard input in " + spool_name() + ": " + std::strerror(e)};
      return false;
    }
    if (m_spooled / k_free_space_check_every != (m_spooled - got) / k_free_space_check_every) {
      if (auto s = check_free_space(); !s) {
        m_error = s.error();
        return false;
      }
    }
    return true;
  }

  Status check_free_space() const {
    struct statvfs fs {};
    if (::fstatvfs(m_spool_fd.get(), &fs) != 0) return {};  // unknown: the writes will tell
    std::uint64_t free = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
    if (free >= k_free_space_reserve) return {};
    return Error{ExitCode::io_error, "too little free space to keep standard input in " +
                                         spool_name() + " (" + mib(free) +
                                         " free); free some, or choose another --report-dir"};
  }

  std::string spool_name() const { return m_settings.folder.path_of(k_spool_file).string(); }

  std::istream& m_source;
  FirstPassSettings m_settings;
  Sha256 m_hash;
  UniqueFd m_spool_fd;
  std::uint64_t m_spooled = 0;
  std::optional<Error> m_error;
  char m_buffer[k_chunk];
};

// The input's head, read ahead, then the rest of it: for a source that cannot
// seek back. A read error of the source shows as one of this stream (badbit).
class Input::Replay final : public std::streambuf {
 public:
  Replay(std::string& head, std::istream& rest) : m_rest(rest) {
    setg(head.data(), head.data(), head.data() + head.size());
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    m_rest.read(m_buffer, k_chunk);
    auto got = static_cast<std::size_t>(m_rest.gcount());
    if (got == 0 && m_rest.bad()) throw std::ios_base::failure("cannot read the input");
    if (got == 0) return traits_type::eof();
    setg(m_buffer, m_buffer, m_buffer + got);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::istream& m_rest;
  char m_buffer[k_chunk];
};

Input::Input(std::istream& stdin_stream) : m_stdin(stdin_stream) {}

Input::~Input() {
  m_tee_stream.reset();
  m_tee.reset();
  m_replay_stream.reset();
  m_replay.reset();
  // The spool is needed while the run lasts only (a resume spools again).
  if (m_spool_folder) m_spool_folder->remove(k_spool_file);
}

Status Input::open(const std::string& path) {
  if (path == "-") {
    m_stream = &m_stdin;
    return {};
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return input_error(ExitCode::no_input, 0, "is a folder, not a CSV file");
  m_file.open(path, std::ios::binary);
  if (!m_file) {
    int e = errno;
    return input_error(ExitCode::no_input, 0, "cannot open the file: " + describe_errno(e));
  }
  m_stream = &m_file;
  m_regular = std::filesystem::is_regular_file(path, ec);
  return {};
}

void Input::read_head() {
  if (m_head_read) return;
  m_head_read = true;
  m_head.resize(k_sniff_bytes);
  m_stream->read(m_head.data(), static_cast<std::streamsize>(m_head.size()));
  m_head.resize(static_cast<std::size_t>(m_stream->gcount()));
  if (m_regular && !m_file.bad()) {  // the file itself from its start again
    m_file.clear();
    m_file.seekg(0);
    return;
  }
  m_replay = std::make_unique<Replay>(m_head, *m_stream);
  m_replay_stream = std::make_unique<std::istream>(m_replay.get());
  if (m_stream->bad()) m_replay_stream->setstate(std::ios::badbit);
  m_stream = m_replay_stream.get();
}

std::istream& Input::stream() {
  read_head();
  return *m_stream;
}

std::istream& Input::first_pass(const FirstPassSettings& settings) {
  read_head();
  m_tee = std::make_unique<Tee>(*m_stream, settings);
  m_tee_stream = std::make_unique<std::istream>(m_tee.get());
  if (!m_regular) {
    if (auto s = m_tee->start_spool(); !s) {
      m_tee_stream->setstate(std::ios::eofbit);
      m_spool_error = s.error();
    } else {
      m_spool_folder = settings.folder;
    }
  }
  return *m_tee_stream;
}

const std::optional<Error>& Input::first_pass_error() const {
  static const std::optional<Error> k_none;
  if (m_spool_error) return m_spool_error;
  if (m_tee) return m_tee->error();
  return k_none;  // over: finish_first_pass() said how it ended
}

Result<std::string> Input::finish_first_pass() {
  if (m_first_pass) return *m_first_pass;
  if (!m_spool_error) m_tee->drain();
  if (auto e = first_pass_error()) return *(m_first_pass = Result<std::string>(*e));
  if (m_tee->source_failed())
    return *(m_first_pass = input_error(ExitCode::io_error, 0, "cannot read the input"));
  std::string digest = m_tee->digest();
  m_spool_fd = m_tee->take_spool();
  m_tee_stream.reset();
  m_tee.reset();
  return *(m_first_pass = std::move(digest));
}

Result<std::istream*> Input::whole(const FirstPassSettings& settings) {
  if (!m_tee && !m_first_pass && !m_regular) first_pass(settings);  // offline: spool it now
  if (m_tee || m_spool_error) {
    if (auto done = finish_first_pass(); !done) return done.error();
  }
  return second_pass();
}

Result<std::istream*> Input::second_pass() {
  if (!m_regular) {  // the spool, through the descriptor it was written with
    if (!m_spool_stream) {
      m_spool_buffer = std::make_unique<FdReadBuffer>(std::move(m_spool_fd));
      m_spool_stream = std::make_unique<std::istream>(m_spool_buffer.get());
    }
    m_stream = m_spool_stream.get();
    m_stream->clear();
    if (!m_stream->seekg(0)) {
      int e = errno;
      return input_error(ExitCode::io_error, 0,
                         std::string("cannot read the input again: ") + std::strerror(e));
    }
    return m_stream;
  }
  m_file.clear();
  m_file.seekg(0);  // the same open file, so a file renamed over it meanwhile changes nothing
  if (!m_file) {
    int e = errno;
    return input_error(ExitCode::no_input, 0,
                       std::string("cannot open the file again: ") + std::strerror(e));
  }
  m_stream = &m_file;
  return m_stream;
}

}  // namespace prospect_import
