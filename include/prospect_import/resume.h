#pragma once
// What the journal found in the report folder means for this run (CLI.md):
// an unfinished import is continued with --resume if it is the same import
// (the input's content, program, account, dry-run), refused otherwise; a
// finished one, or none, means a fresh start.

#include <optional>
#include <string>

#include "prospect_import/error.h"
#include "prospect_import/journal.h"

namespace prospect_import {

// What the command line says of an unfinished import in the folder.
enum class Continuation {
  none,     // refuse it (73)
  resume,   // --resume: continue it
  restart,  // --restart: discard it (its journal goes to history/) and start afresh
};

// Before anything else: an unfinished import in the folder without --resume
// or --restart is refused (73), as is --resume with --offline (2).
Status check_unfinished(const std::optional<JournalContents>& journal, Continuation how,
                        bool offline, const std::string& folder);

// The journal to continue from, none for a fresh start, or the refusal: 73
// (unfinished, neither --resume nor --restart) or 2 (another import, one
// begun with another --strict, or --offline).
// ours: this run's header (its input_sha256 may be empty offline, where there is no journal).
Result<std::optional<JournalContents>> decide_resume(std::optional<JournalContents> journal,
                                                     const JournalHeader& ours, Continuation how,
                                                     bool offline, const std::string& folder);

}  // namespace prospect_import
