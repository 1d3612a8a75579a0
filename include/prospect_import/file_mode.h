#pragma once
// Permission bits as the checks of secret files say them: a token file or a
// config file holding a token must not be open to group or others.

#include <cstdio>
#include <string>

namespace prospect_import {

// Group or others have any permission (mode & 077): a secret there is given away.
inline bool open_to_others(unsigned mode) { return (mode & 077u) != 0; }

// "0644": the permission bits as chmod takes them.
inline std::string octal_mode(unsigned mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", mode & 07777u);
  return text;
}

}  // namespace prospect_import
