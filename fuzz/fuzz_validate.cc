// The field rules and text helpers on arbitrary bytes. The input is split at
// the first NUL into two values (a and b) for the two-argument helpers.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "prospect_import/text.h"
#include "prospect_import/validate.h"

namespace pi = prospect_import;

namespace {

void check_text(std::string_view v) {
  std::string_view t = pi::trim(v);
  FUZZ_CHECK(t.size() <= v.size());
  FUZZ_CHECK(t.data() >= v.data() && t.data() + t.size() <= v.data() + v.size());
  FUZZ_CHECK(pi::trim(t) == t);
  std::size_t n = pi::code_point_count(v);
  FUZZ_CHECK(n <= v.size());
  FUZZ_CHECK(v.empty() || n >= (v.size() + 3) / 4);
  FUZZ_CHECK(pi::first_code_points(v, n) == v);
  std::string folded = pi::case_fold(v);
  FUZZ_CHECK(pi::is_valid_utf8(folded) == pi::is_valid_utf8(v));
  if (v.size() <= 512) FUZZ_CHECK(pi::edit_distance(v, v) == 0);  // quadratic
}

void check_url(std::string_view v) {
  pi::UrlResult r = pi::normalize_media_property(v);
  if (r.error) {
    FUZZ_CHECK(!r.error->empty());
    return;
  }
  FUZZ_CHECK(r.url.starts_with("http://") || r.url.starts_with("https://"));
  pi::UrlResult again = pi::normalize_media_property(r.url);
  FUZZ_CHECK(!again.error);
  FUZZ_CHECK(again.url == r.url);
  std::string host = pi::match_host(r.url);
  FUZZ_CHECK(!host.empty());
}

void check_fields(std::string_view v) {
  if (auto e = pi::check_email(v)) FUZZ_CHECK(!e->empty());
  if (auto e = pi::check_partner_name(v)) FUZZ_CHECK(!e->empty());
  if (auto e = pi::check_partner_id(v)) FUZZ_CHECK(!e->empty());
  check_url(v);
  check_url(pi::trim(v));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check_text(input);
  check_fields(input);
  std::size_t nul = input.find('\0');
  std::string_view a = input.substr(0, nul);
  std::string_view b = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
  if (a.size() > 512 || b.size() > 512) return 0;  // edit_distance is quadratic
  std::size_t d = pi::edit_distance(a, b);
  FUZZ_CHECK(d == pi::edit_distance(b, a));
  std::size_t na = pi::code_point_count(a), nb = pi::code_point_count(b);
  FUZZ_CHECK(d <= (na > nb ? na : nb));
  FUZZ_CHECK(d >= (na > nb ? na - nb : nb - na));
  return 0;
}
