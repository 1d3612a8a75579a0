#include "prospect_import/resume.h"

namespace prospect_import {
namespace {

// How the unfinished import differs from this one, if it does.
std::optional<std::string> difference(const JournalHeader& theirs, const JournalHeader& ours) {
  if (theirs.input_sha256 != ours.input_sha256) return "of another file (" + theirs.file + ", whose content differs)";
  if (theirs.program != ours.program) return "into program " + theirs.program + ", not " + ours.program;
  if (theirs.account_sid != ours.account_sid) return "for account " + theirs.account_sid;
  if (theirs.dry_run != ours.dry_run) return theirs.dry_run ? "a dry run" : "not a dry run";
  return std::nullopt;
}

}  // namespace

ResumeDecision decide_resume(std::optional<JournalContents> journal, const JournalHeader& ours, bool resume,
                             bool offline, const std::string& folder) {
  if (!journal || journal->finished) return {};
  if (!resume) {
    return {Failure{ExitCode::cant_create, "the report folder " + folder + " holds an unfinished import of " +
                                               journal->header.file + " (program " + journal->header.program +
                                               "): pass --resume to continue it, or choose another --report-dir"},
            std::nullopt};
  }
  if (offline) {
    return {Failure{ExitCode::usage, "the report folder " + folder +
                                         " holds an unfinished import: --resume continues it over the API, "
                                         "not --offline"},
            std::nullopt};
  }
  if (auto d = difference(journal->header, ours)) {
    return {Failure{ExitCode::usage, "cannot resume: the unfinished import in " + folder + " is " + *d +
                                         "; choose another --report-dir for this one"},
            std::nullopt};
  }
  return {std::nullopt, std::move(journal)};
}

}  // namespace prospect_import
