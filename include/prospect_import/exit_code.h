#pragma once
// Exactly the exit codes of CLI.md: a promise to scripts.

namespace prospect_import {

enum class ExitCode : int {
  ok = 0,              // every row succeeded (or validated)
  rows_failed = 1,     // finished, some rows did not succeed
  usage = 2,           // the command line is wrong
  data_error = 65,     // the file cannot be used at all
  no_input = 66,       // the input file cannot be read
  unavailable = 69,    // the API could not be reached, or too many rows failed
  cant_create = 73,    // report folder not writable, or holds an unfinished import
  io_error = 74,       // I/O error reading input or writing journal/report
  no_permission = 77,  // the API refused the credentials
  config = 78,         // configuration missing or wrong
  internal = 70,       // a bug: said as such, with the report of what was done
  interrupted = 130,   // SIGINT
  terminated = 143,    // SIGTERM
};

inline constexpr int to_int(ExitCode c) { return static_cast<int>(c); }

}  // namespace prospect_import
