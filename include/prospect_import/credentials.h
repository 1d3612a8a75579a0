#pragma once
// Who the tool is to the API: the account SID (the Basic-auth user name) and
// the auth token, which is a Secret and never printed.

#include <string>

#include "prospect_import/secret.h"

namespace prospect_import {

struct Credentials {
  std::string account_sid;
  Secret token;
};

}  // namespace prospect_import
