#include "test_support.h"

#include "seed.h"

namespace prospect_sandbox::testing {

std::string basic_auth(const std::string& sid, const std::string& token) {
  static constexpr char k_alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string in = sid + ":" + token;
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    unsigned chunk = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) chunk |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) chunk |= static_cast<unsigned char>(in[i + 2]);
    for (size_t k = 0; k < 4; ++k) {
      out.push_back(i + k <= in.size() ? k_alphabet[(chunk >> (18 - 6 * k)) & 63] : '=');
    }
  }
  return "Basic " + out;
}

Request get(const std::string& path, const std::string& query, const std::string& authorization) {
  return Request{"GET", path, query, {{"Authorization", authorization}}, ""};
}

Request post_form(const std::string& path, const std::string& body,
                  const std::string& authorization) {
  return Request{
      "POST",
      path,
      "",
      {{"Authorization", authorization}, {"Content-Type", "application/x-www-form-urlencoded"}},
      body};
}

std::string program_path(const std::string& program, const std::string& endpoint) {
  return "/Advertisers/" + k_sid + "/Campaigns/" + program + "/" + endpoint;
}

std::string header(const Response& response, const std::string& name) {
  return header_value(response.headers, name);
}

Api make_api(const Clock& clock, ApiOptions options) { return Api(default_seed(), options, clock); }

}  // namespace prospect_sandbox::testing
