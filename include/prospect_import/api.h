#pragma once
// The program API of API.md: building its requests and reading its
// answers into outcomes. No I/O here: the sender and the listings do that
// through an HttpClient.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "prospect_import/groups.h"
#include "prospect_import/http.h"
#include "prospect_import/template.h"

namespace prospect_import {

struct ApiTarget {
  std::string base;  // --api-base, without a trailing slash
  std::string account_sid;
  std::string program;  // empty for account-wide listings
};

// RFC 3986 percent-encoding of a path segment (unreserved characters kept).
std::string encode_path_segment(std::string_view s);
// application/x-www-form-urlencoded (WHATWG): space is '+', '+' is %2B.
std::string form_encode(std::string_view s);
// base + path with exactly one '/' between them.
std::string join_url(std::string_view base, std::string_view path);

std::string campaigns_url(const ApiTarget& t, int page);
std::string groups_url(const ApiTarget& t, int page);
std::string prospects_url(const ApiTarget& t);

// The form body of a create call.
std::string create_body(const Values& sent, const std::string& group_id, bool dry_run);

// What a rate-limit header held, when it holds no usable value.
enum class HeaderValue { usable, absent, garbage, negative };

// X-RateLimit-Reset is saturated here, so that no later sum overflows; a
// wait is capped at an hour anyway (CLI.md).
inline constexpr std::chrono::seconds k_max_reset{std::chrono::hours(24 * 366)};

// X-RateLimit-* of an answer; absent or unreadable ones stay empty (a proxy's
// page, a broken server). A value is a whole number of ASCII digits (white
// space around it allowed); larger ones than a long holds saturate.
struct RateInfo {
  std::optional<long> limit;
  std::optional<long> remaining;
  std::optional<std::chrono::seconds> reset;      // 0 to k_max_reset
  HeaderValue reset_value = HeaderValue::absent;  // why reset is empty
};
RateInfo rate_info(const HttpResponse& r);

enum class Outcome {
  created,          // 201
  already_exists,   // 409: done by an earlier run or a retry whose answer was lost
  dry_run_ok,       // 200 to DryRun=true
  rejected,         // 400 and other 4xx: the row is wrong, do not retry
  rate_limited,     // 429: wait X-RateLimit-Reset, then send again
  transient,        // 5xx, time-out, broken connection: retry with back-off
  unreachable,      // refused, DNS, TLS: the API cannot be reached
  auth_refused,     // 401, 403: stop sending
  program_missing,  // 404: stop sending
};

struct CreateResult {
  Outcome outcome = Outcome::transient;
  std::string prospect_id;
  std::string matched_partner_id;
  std::string matched_partner_name;
  std::string message;  // why, for errors.csv and the log (never holds the token)
  RateInfo rate;
};

// Every text in it (ids, names, messages) is cleaned (server_text.h). A 2xx
// that is not the expected one (a 201 with a ProspectId; for a dry run a 200
// with a JSON body) is `transient`: the answer was lost, the row may exist.
CreateResult read_create_answer(const HttpResponse& r, bool dry_run);

// A field of an answer's JSON object as text safe to print (server_text.h:
// cleaned, at most max_code_points); a number as its digits; else "".
std::string json_string(const nlohmann::json& j, const char* key, std::size_t max_code_points);
// A paging field ("@numpages": "3"): digits only, else nothing.
std::optional<long> json_count(const nlohmann::json& j, const char* key);

// A listing page: the items and the next page's path ("" on the last page).
struct ListPage {
  std::vector<Group> items;
  std::string next_uri;
  std::optional<long> num_pages;  // @numpages, when it is a number
};
// key: "Campaigns" or "Groups". Returns nothing and sets error when the body
// is not such a page.
std::optional<ListPage> read_list_page(const HttpResponse& r, const char* key, std::string& error);

// "the API answered 502: <Message>" or with an excerpt of a non-JSON body;
// for a 3xx, where it points (its Location).
std::string describe_error_answer(const HttpResponse& r);

}  // namespace prospect_import
