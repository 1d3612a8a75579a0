#include "prospect_import/resume.h"

namespace prospect_import {
namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// How the input was read otherwise, if it was: the first thing that differs.
std::optional<std::string> reading_difference(const InputReading& theirs,
                                              const InputReading& ours) {
  auto was = [](const char* what, const std::string& a, const std::string& b) {
    return "read with " + std::string(what) + " " + quoted(a) + ", not " + quoted(b);
  };
  if (theirs.sheet != ours.sheet) return was("sheet", theirs.sheet, ours.sheet);
  if (theirs.encoding != ours.encoding) return was("encoding", theirs.encoding, ours.encoding);
  if (theirs.delimiter != ours.delimiter) return was("delimiter", theirs.delimiter, ours.delimiter);
  if (theirs.columns != ours.columns) {
    return "read with other columns (the file's column of each template column was " +
           theirs.columns + ", now " + ours.columns + "): pass the --map it was started with";
  }
  return std::nullopt;
}

// How the unfinished import differs from this one, if it does.
std::optional<std::string> difference(const JournalHeader& theirs, const JournalHeader& ours) {
  if (theirs.input_sha256 != ours.input_sha256)
    return "of another file (" + theirs.file + ", whose content differs)";
  if (theirs.program != ours.program)
    return "into program " + theirs.program + ", not " + ours.program;
  if (theirs.account_sid != ours.account_sid) return "for account " + theirs.account_sid;
  if (theirs.dry_run != ours.dry_run) return theirs.dry_run ? "a dry run" : "not a dry run";
  if (theirs.strict != ours.strict) {
    return theirs.strict ? "one begun with --strict: pass --strict to continue it"
                         : "one begun without --strict: continue it without --strict";
  }
  // A journal from before the reading was kept is taken at its hash's word.
  if (theirs.reading && ours.reading) return reading_difference(*theirs.reading, *ours.reading);
  return std::nullopt;
}

}  // namespace

Status check_unfinished(const std::optional<JournalContents>& journal, Continuation how,
                        bool offline, const std::string& folder) {
  if (!journal || journal->finished || how == Continuation::restart) return {};
  if (how == Continuation::none) {
    return Error{ExitCode::cant_create,
                 "the report folder " + folder + " holds an unfinished import of " +
                     journal->header.file + " (program " + journal->header.program +
                     "): pass --resume to continue it, --restart to discard it, or choose another "
                     "--report-dir"};
  }
  if (offline) {
    return Error{ExitCode::usage,
                 "the report folder " + folder +
                     " holds an unfinished import: --resume continues it over the API, "
                     "not --offline"};
  }
  return {};
}

Result<std::optional<JournalContents>> decide_resume(std::optional<JournalContents> journal,
                                                     const JournalHeader& ours, Continuation how,
                                                     bool offline, const std::string& folder) {
  if (auto s = check_unfinished(journal, how, offline, folder); !s) return s.error();
  if (!journal || journal->finished || how == Continuation::restart)
    return std::optional<JournalContents>();
  if (auto d = difference(journal->header, ours)) {
    return Error{ExitCode::usage, "cannot resume: the unfinished import in " + folder + " is " +
                                      *d + "; choose another --report-dir for this one"};
  }
  return journal;
}

}  // namespace prospect_import
