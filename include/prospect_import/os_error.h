#pragma once
// An errno as a user can act on it. Running out of file descriptors is said
// as what it is, a limit of the process or the system, so that it is not
// taken for a problem of the file or folder being opened.

#include <string>

namespace prospect_import {

// EMFILE or ENFILE: a limit is reached, whatever the file.
bool is_out_of_descriptors(int err);

// strerror(err), or for EMFILE/ENFILE which limit was reached and how to
// raise it. REQUIRES: err was read right after the call that failed.
std::string describe_errno(int err);

}  // namespace prospect_import
