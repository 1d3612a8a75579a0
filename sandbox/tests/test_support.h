#pragma once

#include "api.h"
#include "clock.h"
#include "http_types.h"

#include <chrono>
#include <string>

namespace prospect_sandbox::testing {

inline const std::string k_sid = "IRsandbox0001";
inline const std::string k_token = "sandbox-token";

class FakeClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override { return m_now; }
  void advance(std::chrono::milliseconds by) { m_now += by; }

 private:
  std::chrono::steady_clock::time_point m_now{std::chrono::hours(1)};
};

// "Basic base64(sid:token)".
std::string basic_auth(const std::string& sid, const std::string& token);

Request get(const std::string& path, const std::string& query = "",
            const std::string& authorization = basic_auth(k_sid, k_token));
Request post_form(const std::string& path, const std::string& body,
                  const std::string& authorization = basic_auth(k_sid, k_token));

// "/Advertisers/IRsandbox0001/Campaigns/{program}/{endpoint}"
std::string program_path(const std::string& program, const std::string& endpoint);

// The Response's header `name`, "" when absent.
std::string header(const Response& response, const std::string& name);

// An Api over the default seed with `options`, on `clock`.
Api make_api(const Clock& clock, ApiOptions options = {});

}  // namespace prospect_sandbox::testing
