#pragma once
// An import over the API, in two passes over the input:
//  1. the header first (an unusable file is refused before any request), the
//     program's groups (which prove credentials, program and reachability),
//     then every row checked and counted while the input is hashed (and
//     spooled, for standard input or a pipe); nothing is sent. A file error
//     (65) ends the run here. Then the decisions: resume or start afresh, and
//     the one line of what will be sent.
//  2. the input read again, streaming: each row is invalid, done in an
//     earlier run (--resume), or sent, with a bounded window of rows in
//     flight; each outcome goes to the journal, then to the report in input
//     order.
// Finally the report is committed and the journal marked finished.

#include "prospect_import/import.h"

namespace prospect_import {

ExitCode run_online(const Options& options, ImportEnv& env);

}  // namespace prospect_import
