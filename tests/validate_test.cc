#include "prospect_import/validate.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace prospect_import {
namespace {

using Message = std::optional<std::string>;

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// The message of a refused Media Property, or "" when it was accepted.
std::string url_error(std::string_view v) { return normalize_media_property(v).error.value_or(""); }

// The URL as sent, or "" when the value was refused.
std::string url_sent(std::string_view v) {
  UrlResult r = normalize_media_property(v);
  return r.error ? "" : r.url;
}

// ---- Partner Name -----------------------------------------------------------

TEST(CheckPartnerName, AcceptsNamesInAnyScript) {
  EXPECT_EQ(check_partner_name("Acme Media"), std::nullopt);
  EXPECT_EQ(check_partner_name("株式会社さくら"), std::nullopt);
  EXPECT_EQ(check_partner_name("The \"Best\" Blog, Inc."), std::nullopt);
  EXPECT_EQ(check_partner_name(repeat("あ", 255)), std::nullopt);
}

TEST(CheckPartnerName, RefusesEmpty) { EXPECT_EQ(check_partner_name(""), Message("is required")); }

TEST(CheckPartnerName, RefusesControlCharacters) {
  EXPECT_EQ(check_partner_name("Acme\aMedia"), Message("contains a control character (U+0007)"));
  EXPECT_EQ(check_partner_name("Acme\nMedia"), Message("contains a control character (U+000A)"));
  EXPECT_EQ(check_partner_name("Acme\u0085"), Message("contains a control character (U+0085)"));
}

TEST(CheckPartnerName, CountsCodePointsNotBytes) {
  EXPECT_EQ(check_partner_name(repeat("a", 300)),
            Message("is 300 characters long; at most 255 are allowed"));
  EXPECT_EQ(check_partner_name(repeat("あ", 256)),
            Message("is 256 characters long; at most 255 are allowed"));
}

// ---- Contact Email ----------------------------------------------------------

TEST(CheckEmail, AcceptsTheWhatwgRuleWithUnicodeDomains) {
  for (const char* v : {"john.smith@example.com", "O'Brien+news@acme-media.co.uk",
                        "JOHN@EXAMPLE.COM", "info@例え.jp", "a@münchen-medien.de",
                        ".odd..dots.@example.com", "!#$%&'*+/=?^_`{|}~-@x.io", "a@1.2"}) {
    EXPECT_EQ(check_email(v), std::nullopt) << v;
  }
}

TEST(CheckEmail, RefusesEmpty) { EXPECT_EQ(check_email(""), Message("is required")); }

TEST(CheckEmail, RefusesAMissingPart) {
  EXPECT_EQ(check_email("bob@"),
            Message("\"bob@\" is not a valid email address (expected name@example.com)"));
  EXPECT_EQ(check_email("@example.com"),
            Message("\"@example.com\" is not a valid email address (expected name@example.com)"));
  EXPECT_EQ(
      check_email("bob.example.com"),
      Message("\"bob.example.com\" is not a valid email address (expected name@example.com)"));
  EXPECT_EQ(
      check_email("bob＠example.com"),
      Message("\"bob＠example.com\" is not a valid email address (expected name@example.com)"));
}

TEST(CheckEmail, NamesTheBadCharacterBeforeTheAt) {
  EXPECT_EQ(check_email("bob smith@example.com"),
            Message("\"bob smith@example.com\" is not a valid email address: "
                    "the name before \"@\" contains a space"));
  EXPECT_EQ(check_email("\"bob\"@example.com"),
            Message("\"\"bob\"@example.com\" is not a valid email address: "
                    "the name before \"@\" contains a quotation mark"));
  EXPECT_EQ(check_email("josé@example.com"),
            Message("\"josé@example.com\" is not a valid email address: "
                    "the name before \"@\" contains \"é\" (U+00E9)"));
  EXPECT_EQ(check_email("a,b@example.com"),
            Message("\"a,b@example.com\" is not a valid email address: "
                    "the name before \"@\" contains \",\""));
}

TEST(CheckEmail, SaysToRemoveMailto) {
  EXPECT_EQ(check_email("mailto:bob@example.com"),
            Message("\"mailto:bob@example.com\" is not a valid email address: remove \"mailto:\""));
}

TEST(CheckEmail, ExplainsDomainProblems) {
  EXPECT_EQ(
      check_email("bob@localhost"),
      Message(
          "\"bob@localhost\" is not a valid email address: the domain \"localhost\" has no dot"));
  EXPECT_EQ(check_email("bob@my_site.com"),
            Message("\"bob@my_site.com\" is not a valid email address: "
                    "the domain \"my_site.com\" contains \"_\""));
  EXPECT_EQ(check_email("bob@@example.com"),
            Message("\"bob@@example.com\" is not a valid email address: "
                    "the domain \"@example.com\" contains \"@\""));
  EXPECT_EQ(check_email("bob@example.com."),
            Message("\"bob@example.com.\" is not a valid email address: "
                    "the domain \"example.com.\" ends with a dot"));
  EXPECT_EQ(check_email("bob@.example.com"),
            Message("\"bob@.example.com\" is not a valid email address: "
                    "the domain \".example.com\" starts with a dot"));
  EXPECT_EQ(check_email("bob@example..com"),
            Message("\"bob@example..com\" is not a valid email address: "
                    "the domain \"example..com\" has two dots in a row"));
  EXPECT_EQ(
      check_email("bob@-example.com"),
      Message(
          "\"bob@-example.com\" is not a valid email address: "
          "the domain \"-example.com\" has a part (\"-example\") that starts or ends with \"-\""));
  EXPECT_EQ(check_email("bob@example,com"),
            Message("\"bob@example,com\" is not a valid email address: "
                    "the domain \"example,com\" contains \",\""));
}

TEST(CheckEmail, LimitsLabelsTo63CodePoints) {
  EXPECT_EQ(check_email("a@" + repeat("ü", 63) + ".de"), std::nullopt);
  std::string v = "a@" + repeat("b", 64) + ".com";
  EXPECT_EQ(check_email(v),
            Message("\"a@" + repeat("b", 64) +
                    ".com\" is not a valid email address: "
                    "the domain \"" +
                    repeat("b", 64) + ".com\" has a part longer than 63 characters"));
}

TEST(CheckEmail, LimitsTheAddressTo254CodePoints) {
  std::string domain = repeat("d", 60) + "." + repeat("e", 60) + "." + repeat("f", 60) + ".com";
  EXPECT_EQ(check_email(repeat("a", 254 - 1 - domain.size()) + "@" + domain), std::nullopt);
  EXPECT_EQ(check_email(repeat("a", 255 - 1 - domain.size()) + "@" + domain),
            Message("is 255 characters long; at most 254 are allowed"));
}

TEST(CheckEmail, ShortensLongValuesInMessages) {
  std::string v = repeat("x", 90) + " @example.com";
  EXPECT_EQ(check_email(v), Message("\"" + repeat("x", 77) +
                                    "...\" is not a valid email address: "
                                    "the name before \"@\" contains a space"));
  std::string ja = repeat("あ", 81);  // 81 code points: shortened by code points, not bytes
  EXPECT_EQ(check_email(ja),
            Message("\"" + repeat("あ", 77) +
                    "...\" is not a valid email address (expected name@example.com)"));
  std::string exactly80 = repeat("y", 80);
  EXPECT_EQ(
      check_email(exactly80),
      Message("\"" + exactly80 + "\" is not a valid email address (expected name@example.com)"));
}

// ---- Media Property ---------------------------------------------------------

TEST(NormalizeMediaProperty, KeepsValidHttpUrls) {
  for (const char* v :
       {"https://www.example.com", "http://example.com/", "https://x.com:8443/p?q=1#top",
        "https://example.co.jp/ja/特集", "https://例え.jp/", "https://Example.COM/A",
        "https://x.com?ref=partner", "https://x.com#top", "https://acme-media.com/~user/@me",
        "https://x.com:1/", "https://x.com:65535/"}) {
    EXPECT_EQ(url_sent(v), v);
  }
}

TEST(NormalizeMediaProperty, AddsHttpsToABareHost) {
  EXPECT_EQ(url_sent("www.example.com/blog"), "https://www.example.com/blog");
  EXPECT_EQ(url_sent("example.com"), "https://example.com");
  EXPECT_EQ(url_sent("example.com:8443/p"), "https://example.com:8443/p");
  EXPECT_EQ(url_sent("example.com?a=b:c"), "https://example.com?a=b:c");
}

TEST(NormalizeMediaProperty, LowersTheScheme) {
  EXPECT_EQ(url_sent("HTTPS://WWW.EXAMPLE.COM/Blog"), "https://WWW.EXAMPLE.COM/Blog");
  EXPECT_EQ(url_sent("Http://example.com"), "http://example.com");
}

TEST(NormalizeMediaProperty, RefusesEmpty) { EXPECT_EQ(url_error(""), "is required"); }

TEST(NormalizeMediaProperty, RefusesOtherSchemes) {
  const std::string tail = " is not a valid web address: the scheme must be http or https";
  for (const char* v : {"ftp://x.com", "mailto:a@b.com", "javascript:alert(1)", "htps://x.com/",
                        "FTP://X.COM", "://x.com", "localhost:abc", "data:text/html,hi"}) {
    EXPECT_EQ(url_error(v), "\"" + std::string(v) + "\"" + tail);
  }
}

TEST(NormalizeMediaProperty, AsksForSlashesAfterTheScheme) {
  EXPECT_EQ(url_error("https:x.com"),
            "\"https:x.com\" is not a valid web address: \"https:\" must be followed by \"//\"");
  EXPECT_EQ(url_error("http:/x.com"),
            "\"http:/x.com\" is not a valid web address: \"http:\" must be followed by \"//\"");
}

TEST(NormalizeMediaProperty, ExplainsHostProblems) {
  EXPECT_EQ(url_error("https://"), "\"https://\" is not a valid web address: the host is missing");
  EXPECT_EQ(
      url_error("https://intranet/home"),
      "\"https://intranet/home\" is not a valid web address: the host \"intranet\" has no dot");
  EXPECT_EQ(url_error("localhost:8080"),
            "\"localhost:8080\" is not a valid web address: the host \"localhost\" has no dot");
  EXPECT_EQ(url_error("https://my site.com"),
            "\"https://my site.com\" is not a valid web address: the host \"my site.com\" contains "
            "a space");
  EXPECT_EQ(
      url_error("https://x.com /x"),
      "\"https://x.com /x\" is not a valid web address: the host \"x.com \" contains a space");
  EXPECT_EQ(url_error("https://my_site.com/"),
            "\"https://my_site.com/\" is not a valid web address: the host \"my_site.com\" "
            "contains \"_\"");
  EXPECT_EQ(url_error("https://x.com./"),
            "\"https://x.com./\" is not a valid web address: the host \"x.com.\" ends with a dot");
}

TEST(NormalizeMediaProperty, RefusesIpAddresses) {
  EXPECT_EQ(url_error("https://192.168.0.1/"),
            "\"https://192.168.0.1/\" is not a valid web address: "
            "the host \"192.168.0.1\" is an IP address; use the site's domain name");
  EXPECT_EQ(url_error("http://[::1]:8080/"),
            "\"http://[::1]:8080/\" is not a valid web address: "
            "the host is an IP address; use the site's domain name");
  EXPECT_EQ(url_error("https://x.0x1F"),
            "\"https://x.0x1F\" is not a valid web address: "
            "the host \"x.0x1F\" is an IP address; use the site's domain name");
  EXPECT_EQ(url_sent("https://1.example.com/"),
            "https://1.example.com/");  // digits inside are fine
}

TEST(NormalizeMediaProperty, RefusesUserInfo) {
  EXPECT_EQ(url_error("https://user:pw@x.com/"),
            "\"https://user:pw@x.com/\" is not a valid web address: "
            "it must not contain a user name (remove \"user:pw@\")");
  EXPECT_EQ(url_error("info@x.com"),
            "\"info@x.com\" is not a valid web address: it must not contain a user name (remove "
            "\"info@\")");
}

TEST(NormalizeMediaProperty, ChecksThePort) {
  EXPECT_EQ(
      url_error("https://x.com:99999/"),
      "\"https://x.com:99999/\" is not a valid web address: port 99999 is not between 1 and 65535");
  EXPECT_EQ(url_error("https://x.com:0/"),
            "\"https://x.com:0/\" is not a valid web address: port 0 is not between 1 and 65535");
  EXPECT_EQ(url_error("https://x.com:99999999999999999999/"),
            "\"https://x.com:99999999999999999999/\" is not a valid web address: "
            "port 99999999999999999999 is not between 1 and 65535");
  EXPECT_EQ(url_error("https://x.com:/"),
            "\"https://x.com:/\" is not a valid web address: the port is missing after \":\"");
  EXPECT_EQ(url_error("x.com:abc"),
            "\"x.com:abc\" is not a valid web address: the port \"abc\" is not a number");
}

TEST(NormalizeMediaProperty, RefusesWhiteSpaceAndControlsAfterTheHost) {
  EXPECT_EQ(url_error("https://x.com/a b"),
            "\"https://x.com/a b\" is not a valid web address: it contains a space after the host "
            "(write it as %20)");
  EXPECT_EQ(url_error("https://x.com/a\tb"),
            "\"https://x.com/a\tb\" is not a valid web address: "
            "it contains a control character (U+0009) after the host");
  EXPECT_EQ(url_error("https://x.com/#a\u3000b"),
            "\"https://x.com/#a\u3000b\" is not a valid web address: "
            "it contains white space (U+3000) after the host");
}

TEST(NormalizeMediaProperty, LimitsTheUrlTo2048CodePoints) {
  std::string path = "/" + repeat("p", 2048 - 14);  // "https://x.com" is 13
  EXPECT_EQ(url_sent("https://x.com" + path), "https://x.com" + path);
  EXPECT_EQ(url_error("https://x.com" + path + "é"),
            "is 2049 characters long; at most 2048 are allowed");
  EXPECT_EQ(url_error("x.com" + path + "abcdefgh"),
            "is 2056 characters long with \"https://\" added; at most 2048 are allowed");
}

// ---- Partner ID -------------------------------------------------------------

TEST(CheckPartnerId, AcceptsEmptyOrDigits) {
  EXPECT_EQ(check_partner_id(""), std::nullopt);
  EXPECT_EQ(check_partner_id("556677"), std::nullopt);
}

TEST(CheckPartnerId, RefusesAnythingElse) {
  EXPECT_EQ(check_partner_id("12a"),
            Message("\"12a\" must be digits only (an impact.com partner account number)"));
  EXPECT_EQ(check_partner_id("-1"),
            Message("\"-1\" must be digits only (an impact.com partner account number)"));
  EXPECT_EQ(check_partner_id("１２３"),
            Message("\"１２３\" must be digits only (an impact.com partner account number)"));
}

// ---- match_host -------------------------------------------------------------

TEST(MatchHost, LowersAndDropsPortAndLeadingWww) {
  EXPECT_EQ(match_host("https://WWW.Example.COM:8443/path?q#f"), "example.com");
  EXPECT_EQ(match_host("http://www.acme.co.jp"), "acme.co.jp");
  EXPECT_EQ(match_host("https://shop.example.com?q=1"), "shop.example.com");
  EXPECT_EQ(match_host("https://wwwx.com/"), "wwwx.com");
  EXPECT_EQ(match_host("https://www.www.x.com#top"), "www.x.com");
  EXPECT_EQ(match_host("https://MÜNCHEN-Medien.de/"), "münchen-medien.de");
}

TEST(MatchHost, AgreesForTheSameSiteWrittenDifferently) {
  EXPECT_EQ(match_host(normalize_media_property("WWW.Example.com/blog").url),
            match_host(normalize_media_property("HTTP://example.COM:80").url));
}

}  // namespace
}  // namespace prospect_import
