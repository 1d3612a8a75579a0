#pragma once
// The input of a run: a file, or standard input ("-"), streamed. An online
// run reads it twice: the first pass checks every row and takes the hash that
// names its journal; the second sends. Standard input and pipes are kept in a
// spool file during the first pass so that the second can read them again.
// Its first bytes are read ahead (and given again to whoever reads it) so
// that its kind can be told before anything else reads it (file_kind.h); a
// workbook, read by random access, has the whole input at once (whole()).

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "prospect_import/error.h"
#include "prospect_import/file_kind.h"
#include "prospect_import/folder.h"
#include "prospect_import/stop.h"

namespace prospect_import {

// The spool's name in the report folder.
inline constexpr std::string_view k_spool_file = ".input.csv";

struct FirstPassSettings {
  Folder folder;  // where standard input or a pipe is kept, in k_spool_file (0600)
  std::uint64_t max_spool_bytes = 0;  // --max-input-size: more is an input error (65)
  const StopFlag* stop = nullptr;     // a stop request ends the reading at once
};

class Input {
 public:
  // REQUIRES: stdin_stream outlives the input.
  explicit Input(std::istream& stdin_stream);
  ~Input();
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;

  // Opens `path` ("-" = standard input); a missing or unreadable file is 66.
  Status open(const std::string& path);

  // The input as it is, read once (offline).
  std::istream& stream();

  // The first k_sniff_bytes of the input (fewer when it is shorter).
  // REQUIRES: stream() or first_pass() was called.
  const std::string& head() const { return m_head; }

  // The input read the first time, hashed and, when it is not a regular file,
  // copied to the spool as it goes (never through a link: see folder.h).
  // REQUIRES: called once, after open().
  std::istream& first_pass(const FirstPassSettings& settings);
  // Ends the first pass: reads whatever it left (the hash covers every byte).
  // Returns the hex SHA-256, or what broke the reading: the spool over its
  // limit (65), a full disk or a read error (74), a stop request (130/143).
  Result<std::string> finish_first_pass();
  // Why the first pass's stream ended early, if it did (see finish_first_pass).
  const std::optional<Error>& first_pass_error() const;

  // The input again from its start (the file, or the spool); each call
  // starts it again. REQUIRES: finish_first_pass() succeeded.
  Result<std::istream*> second_pass();

  // The whole input from its start, in a stream that can seek (a workbook's
  // need): the file, or the spool. In the first pass it ends the pass first
  // (finish_first_pass() then gives its result again); offline, standard
  // input or a pipe is spooled now, with `settings`.
  Result<std::istream*> whole(const FirstPassSettings& settings);

 private:
  class Tee;
  class Replay;
  void read_head();
  std::istream& m_stdin;
  std::ifstream m_file;
  std::istream* m_stream = nullptr;
  bool m_regular = false;  // a regular file: it can be read again from its start
  std::unique_ptr<Tee> m_tee;
  std::unique_ptr<std::istream> m_tee_stream;
  std::optional<Folder> m_spool_folder;  // where the spool is, once there is one
  UniqueFd m_spool_fd;                   // the spool, between the passes
  std::unique_ptr<FdReadBuffer> m_spool_buffer;
  std::unique_ptr<std::istream> m_spool_stream;
  std::optional<Error> m_spool_error;  // the spool could not be started
  std::string m_head;
  bool m_head_read = false;
  std::unique_ptr<Replay> m_replay;  // the head, then the rest (not for a regular file)
  std::unique_ptr<std::istream> m_replay_stream;
  std::optional<Result<std::string>> m_first_pass;  // the finished first pass's result
};

}  // namespace prospect_import
