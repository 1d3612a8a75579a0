#pragma once
// What the journal found in the report folder means for this run (CLI.md):
// an unfinished import is continued with --resume if it is the same import
// (the input's content, program, account, dry-run), refused otherwise; a
// finished one, or none, means a fresh start.

#include <optional>
#include <string>

#include "prospect_import/journal.h"
#include "prospect_import/session.h"

namespace prospect_import {

struct ResumeDecision {
  std::optional<Failure> refusal;           // 73 (unfinished, no --resume) or 2 (another import)
  std::optional<JournalContents> continue_from;
};

// ours: this run's header (its input_sha256 may be empty offline, where there is no journal).
ResumeDecision decide_resume(std::optional<JournalContents> journal, const JournalHeader& ours, bool resume,
                             bool offline, const std::string& folder);

}  // namespace prospect_import
