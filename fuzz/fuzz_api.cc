// The API's answers as the client reads them, whatever the server sends.
// Input: byte 0-1 the status, byte 2 flags (dry run, transport error, listing
// key), then NUL-separated: the body, X-RateLimit-Limit, -Remaining, -Reset,
// Location. Whatever it is, every text read from it is fit to print (valid
// UTF-8 without control characters: server_text.h).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "prospect_import/api.h"
#include "prospect_import/prospect_listing.h"
#include "prospect_import/text.h"

namespace pi = prospect_import;

namespace {

constexpr long k_statuses[] = {200, 201, 400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503};

std::string_view next_part(std::string_view& rest) {
  std::size_t nul = rest.find('\0');
  std::string_view part = rest.substr(0, nul);
  rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
  return part;
}

pi::HttpResponse response_of(const std::uint8_t* data, std::size_t size) {
  pi::HttpResponse r;
  unsigned s = (static_cast<unsigned>(data[0]) << 8) | data[1];
  r.status = (s & 0x8000) ? static_cast<long>(s & 0x3FF) : k_statuses[s % std::size(k_statuses)];
  unsigned flags = data[2];
  if (flags & 0x02) {
    r.transport = static_cast<pi::TransportError>(1 + (flags >> 2) % 4);
    r.status = 0;
    r.transport_message = "transport failed";
  }
  std::string_view rest(reinterpret_cast<const char*>(data) + 3, size - 3);
  r.body = std::string(next_part(rest));
  constexpr const char* k_headers[] = {"x-ratelimit-limit", "x-ratelimit-remaining",
                                       "x-ratelimit-reset", "location"};
  for (const char* name : k_headers) {
    if (rest.data() == nullptr) break;
    r.headers[name] = std::string(next_part(rest));
  }
  return r;
}

bool printable(const std::string& s) {
  return pi::is_valid_utf8(s) && !pi::has_control_character(s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  pi::HttpResponse r = response_of(data, size);
  bool dry_run = data[2] & 0x01;

  pi::CreateResult c = pi::read_create_answer(r, dry_run);
  if (r.transport == pi::TransportError::none) {
    if (r.status == 409) FUZZ_CHECK(c.outcome == pi::Outcome::already_exists);
    if (r.status == 401 || r.status == 403) FUZZ_CHECK(c.outcome == pi::Outcome::auth_refused);
    if (r.status == 429) FUZZ_CHECK(c.outcome == pi::Outcome::rate_limited);
    if (r.status >= 500) FUZZ_CHECK(c.outcome == pi::Outcome::transient);
    bool success = c.outcome == pi::Outcome::created || c.outcome == pi::Outcome::dry_run_ok;
    if (!success && c.outcome != pi::Outcome::already_exists) FUZZ_CHECK(!c.message.empty());
    if (c.outcome == pi::Outcome::created) FUZZ_CHECK(!c.prospect_id.empty());
    FUZZ_CHECK(printable(c.message));
  } else {
    FUZZ_CHECK(c.outcome == pi::Outcome::transient || c.outcome == pi::Outcome::unreachable);
  }

  std::string described = pi::describe_error_answer(r);
  FUZZ_CHECK(!described.empty());
  FUZZ_CHECK(printable(described));
  for (const auto* text : {&c.prospect_id, &c.matched_partner_id, &c.matched_partner_name}) {
    FUZZ_CHECK(printable(*text));
  }

  std::string error;
  const char* key = (data[2] & 0x40) ? "Groups" : "Campaigns";
  auto page = pi::read_list_page(r, key, error);
  if (!page) {
    FUZZ_CHECK(!error.empty());
    FUZZ_CHECK(printable(error));
  } else {
    FUZZ_CHECK(printable(page->next_uri));
    for (const auto& item : page->items) FUZZ_CHECK(printable(item.id) && printable(item.name));
  }

  // The prospects listing that `ledger sync` reads: its entries are as clean.
  auto prospects = pi::read_prospect_page(r, error);
  if (prospects) {
    FUZZ_CHECK(printable(prospects->next_uri));
    FUZZ_CHECK(prospects->items.size() <= prospects->listed);
    for (const auto& e : prospects->items) {
      FUZZ_CHECK(!e.prospect_id.empty() && !e.email.empty());
      FUZZ_CHECK(printable(e.prospect_id) && printable(e.email) && printable(e.group_id));
    }
  }
  return 0;
}
