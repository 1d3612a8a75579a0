#include "prospect_import/api.h"

#include <algorithm>
#include <array>
#include <limits>
#include <nlohmann/json.hpp>

#include "prospect_import/server_text.h"
#include "prospect_import/text.h"

namespace prospect_import {
namespace {

constexpr std::size_t k_excerpt = 120;   // characters of a non-JSON body shown
constexpr std::size_t k_uri_max = 2048;  // of an @nextpageuri; a longer one is cut (and then fails)

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string percent(unsigned char c) { return "%" + hex(c, 2); }

std::string page_query(int page) { return "?Page=" + std::to_string(page) + "&PageSize=1000"; }

std::string program_path(const ApiTarget& t) {
  return "/Advertisers/" + encode_path_segment(t.account_sid) + "/Campaigns/" +
         encode_path_segment(t.program);
}

struct HeaderNumber {
  HeaderValue kind = HeaderValue::absent;
  long value = 0;  // when usable
};

// A whole number of seconds or requests: digits only, with the white space
// HTTP allows around a value; saturates at the largest long.
HeaderNumber header_number(const HttpResponse& r, const char* name) {
  auto it = r.headers.find(name);
  if (it == r.headers.end()) return {};
  std::string_view v = it->second;
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  bool negative = v.starts_with('-');
  if (negative) v.remove_prefix(1);
  if (v.empty()) return {HeaderValue::garbage};
  long n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return {HeaderValue::garbage};
    int digit = c - '0';
    n = n > (std::numeric_limits<long>::max() - digit) / 10 ? std::numeric_limits<long>::max()
                                                            : n * 10 + digit;
  }
  if (negative && n > 0) return {HeaderValue::negative};
  return {HeaderValue::usable, n};
}

std::optional<long> usable(const HeaderNumber& n) {
  return n.kind == HeaderValue::usable ? std::optional<long>(n.value) : std::nullopt;
}

// API field name -> the template's column header, for messages.
std::string column_of_field(const std::string& field) {
  for (const auto& c : k_columns) {
    if (c.api_field == field) return std::string(c.header);
  }
  return field;
}

// The start of a body that is not JSON, on one line and safe to print.
std::string excerpt(std::string_view body) {
  std::string text = clean_server_text(body.substr(0, k_excerpt * 4), k_excerpt * 4);
  return clean_server_text(trim(text), k_excerpt);
}

// "Contact Email: Not a valid email address; Group Name: ..." from Errors, or the Message.
std::string field_errors(const nlohmann::json& j) {
  std::string r;
  auto errors = j.find("Errors");
  if (errors != j.end() && errors->is_array()) {
    for (const auto& e : *errors) {
      if (!e.is_object()) continue;
      std::string field = json_string(e, "Field", k_excerpt);
      std::string message = json_string(e, "Message", k_message_text_max);
      r += (r.empty() ? "" : "; ") +
           (field.empty() ? message : column_of_field(field) + ": " + message);
    }
  }
  return r;
}

Outcome outcome_of_status(long status) {
  if (status == 401 || status == 403) return Outcome::auth_refused;
  if (status == 404) return Outcome::program_missing;
  if (status == 409) return Outcome::already_exists;
  if (status == 429) return Outcome::rate_limited;
  if (status == 408 || status >= 500) return Outcome::transient;
  return Outcome::rejected;
}

// ", a redirect to "https://..." that is not followed (check --api-base)"
std::string describe_redirect(const HttpResponse& r) {
  auto location = r.headers.find("location");
  std::string to = location == r.headers.end() || location->second.empty()
                       ? " without a Location"
                       : " to \"" + clean_server_text(location->second, k_message_text_max) + "\"";
  return ", a redirect" + to + " that is not followed (check --api-base)";
}

Outcome outcome_of_transport(TransportError e) {
  return e == TransportError::connect || e == TransportError::tls ? Outcome::unreachable
                                                                  : Outcome::transient;
}

}  // namespace

// A string or number of the answer as text that is safe to print (server_text.h).
std::string json_string(const nlohmann::json& j, const char* key, std::size_t max_code_points) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (it->is_string()) return clean_server_text(it->get<std::string>(), max_code_points);
  if (it->is_number()) return it->dump();
  return "";
}

// A paging field ("@numpages": "3"): digits only, else nothing.
std::optional<long> json_count(const nlohmann::json& j, const char* key) {
  std::string text = json_string(j, key, 20);
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stol(text);
}

std::string encode_path_segment(std::string_view s) {
  std::string r;
  for (unsigned char c : s)
    r += is_unreserved(c) ? std::string(1, static_cast<char>(c)) : percent(c);
  return r;
}

std::string form_encode(std::string_view s) {
  // The bytes kept as they are (WHATWG's application/x-www-form-urlencoded set).
  static constexpr std::array<bool, 256> k_kept = [] {
    std::array<bool, 256> t{};
    for (unsigned c = 0; c < 256; ++c) {
      t[c] = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
             c == '*' || c == '-' || c == '.' || c == '_';
    }
    return t;
  }();
  static constexpr char k_hex[] = "0123456789ABCDEF";
  // Every value of every row goes through here: no string made per byte.
  std::string r;
  r.reserve(s.size() + s.size() / 2);
  for (unsigned char c : s) {
    if (k_kept[c]) {
      r += static_cast<char>(c);
    } else if (c == ' ') {
      r += '+';
    } else {
      const char escaped[3] = {'%', k_hex[c >> 4], k_hex[c & 15]};
      r.append(escaped, 3);
    }
  }
  return r;
}

std::string join_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return std::string(base) + "/" + std::string(path);
}

std::string campaigns_url(const ApiTarget& t, int page) {
  return join_url(t.base, "/Advertisers/" + encode_path_segment(t.account_sid) + "/Campaigns" +
                              page_query(page));
}

std::string groups_url(const ApiTarget& t, int page) {
  return join_url(t.base, program_path(t) + "/MediaPartnerGroups" + page_query(page));
}

std::string prospects_url(const ApiTarget& t) {
  return join_url(t.base, program_path(t) + "/Prospects");
}

std::string create_body(const Values& sent, const std::string& group_id, bool dry_run) {
  std::string body;
  auto add = [&](std::string_view field, std::string_view value) {
    if (!body.empty()) body += '&';
    body += field;
    body += '=';
    body += form_encode(value);
  };
  for (const auto& c : k_columns) {
    const std::string& v = c.column == Column::group_name ? group_id : sent[index(c.column)];
    if (!v.empty() || c.required) add(c.api_field, v);
  }
  add("DryRun", dry_run ? "true" : "false");
  return body;
}

RateInfo rate_info(const HttpResponse& r) {
  RateInfo info{usable(header_number(r, "x-ratelimit-limit")),
                usable(header_number(r, "x-ratelimit-remaining")), std::nullopt,
                HeaderValue::absent};
  HeaderNumber reset = header_number(r, "x-ratelimit-reset");
  info.reset_value = reset.kind;
  if (reset.kind == HeaderValue::usable) {
    info.reset = std::min(std::chrono::seconds(reset.value), k_max_reset);
  }
  return info;
}

std::string describe_error_answer(const HttpResponse& r) {
  std::string head = "the API answered " + std::to_string(r.status);
  if (r.status >= 300 && r.status < 400) return head + describe_redirect(r);
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    std::string e = excerpt(r.body);
    return head +
           (e.empty() ? " with an empty body" : " with a body that is not JSON: \"" + e + "\"");
  }
  std::string fields = field_errors(j);
  std::string message = json_string(j, "Message", k_message_text_max);
  if (!fields.empty()) return fields;
  return head + (message.empty() ? "" : ": " + message);
}

namespace {

// The top-level members of a create answer that are read, as json_string would
// read them from a parsed document: a string (cleaned later), a number as
// nlohmann writes it, anything else "", the last of a repeated name winning.
// Read by events, not into a document: that made a map and a string for every
// member of every answer (~18,000 instructions an answer, now a fifth).
class CreateFields : public nlohmann::json_sax<nlohmann::json> {
 public:
  static constexpr std::array<const char*, 3> k_names = {"ProspectId", "MatchedPartnerId",
                                                         "MatchedPartnerName"};
  std::array<std::string, 3> values;   // raw strings, numbers as written
  std::array<bool, 3> is_string = {};  // values[i] is a string still to clean
  bool top_object = false;             // the document is an object

  bool null() override { return scalar(""); }
  bool boolean(bool) override { return scalar(""); }
  bool number_integer(number_integer_t v) override { return scalar(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return scalar(std::to_string(v)); }
  bool number_float(number_float_t v, const string_t&) override {
    return scalar(nlohmann::json(v).dump());
  }
  bool string(string_t& v) override {
    if (m_depth == 1 && m_wanted >= 0) {
      values[static_cast<std::size_t>(m_wanted)] = std::move(v);
      is_string[static_cast<std::size_t>(m_wanted)] = true;
    }
    return true;
  }
  bool binary(binary_t&) override { return scalar(""); }
  bool start_object(std::size_t) override { return open(true); }
  bool key(string_t& k) override {
    if (m_depth != 1) return true;
    m_wanted = -1;
    for (std::size_t i = 0; i < k_names.size(); ++i) {
      if (k == k_names[i]) m_wanted = static_cast<int>(i);
    }
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  // A member at the top level whose value is not a string.
  bool scalar(std::string text) {
    if (m_depth == 1 && m_wanted >= 0) {
      values[static_cast<std::size_t>(m_wanted)] = std::move(text);
      is_string[static_cast<std::size_t>(m_wanted)] = false;
    }
    return true;
  }
  bool open(bool object) {
    if (m_depth == 0) top_object = object;
    if (m_depth == 1) scalar("");  // an object or array as a member's value
    ++m_depth;
    return true;
  }
  bool close() {
    --m_depth;
    return true;
  }

  int m_depth = 0;
  int m_wanted = -1;  // the index in k_names of the member being read, -1: not read
};

// A 2xx: a success only when it is the expected status with its body; any
// other is an answer that was lost on the way (the row may have been
// created: a retry is answered 409 and so recognised).
void read_success(const HttpResponse& r, bool dry_run, CreateResult& c) {
  CreateFields fields;
  bool readable = nlohmann::json::sax_parse(r.body, &fields) && fields.top_object;
  long expected = dry_run ? 200 : 201;
  c.outcome = Outcome::transient;
  std::string head = "the API answered " + std::to_string(r.status);
  if (r.status != expected) {
    c.message = readable ? head + ", not the " + std::to_string(expected) + " of a " +
                               (dry_run ? "dry run" : "created prospect")
                         : describe_error_answer(r);
    return;
  }
  if (!readable) {
    c.message = head + " without a readable body";
    return;
  }
  auto field = [&](std::size_t i) {
    return fields.is_string[i] ? clean_server_text(fields.values[i], k_value_text_max)
                               : std::move(fields.values[i]);
  };
  c.prospect_id = field(0);
  c.matched_partner_id = field(1);
  c.matched_partner_name = field(2);
  if (!dry_run && c.prospect_id.empty()) {
    c.message = head + " without a ProspectId";
    return;
  }
  c.outcome = dry_run ? Outcome::dry_run_ok : Outcome::created;
}

}  // namespace

CreateResult read_create_answer(const HttpResponse& r, bool dry_run) {
  CreateResult c;
  c.rate = rate_info(r);
  if (r.transport != TransportError::none) {
    c.outcome = outcome_of_transport(r.transport);
    c.message = r.transport_message;
    return c;
  }
  if (r.status >= 200 && r.status < 300) {
    read_success(r, dry_run, c);
    return c;
  }
  c.outcome = outcome_of_status(r.status);
  if (r.status != 409) {
    c.message = describe_error_answer(r);
    return c;
  }
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_object()) c.prospect_id = json_string(j, "ProspectId", k_value_text_max);
  return c;
}

std::optional<ListPage> read_list_page(const HttpResponse& r, const char* key, std::string& error) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  auto items = j.is_object() ? j.find(key) : j.end();
  if (j.is_discarded() || !j.is_object() || items == j.end() || !items->is_array()) {
    error =
        "the API's answer is not a list of " + std::string(key) + ": \"" + excerpt(r.body) + "\"";
    return std::nullopt;
  }
  ListPage page;
  for (const auto& item : *items) {
    if (item.is_object()) {
      page.items.push_back(Group{json_string(item, "Id", k_value_text_max),
                                 json_string(item, "Name", k_value_text_max)});
    }
  }
  page.next_uri = json_string(j, "@nextpageuri", k_uri_max);
  page.num_pages = json_count(j, "@numpages");
  return page;
}

}  // namespace prospect_import
