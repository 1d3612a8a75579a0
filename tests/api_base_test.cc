#include "prospect_import/api_base.h"

#include <gtest/gtest.h>

namespace prospect_import {
namespace {

TEST(ApiBase, HttpsAnywhereAndHttpToLoopbackAreAllowed) {
  for (const char* url :
       {"https://api.impact.com", "https://10.1.2.3:8443/impact", "http://127.0.0.1:8080",
        "http://127.200.3.4", "http://[::1]:9000/", "http://localhost:8080", "http://LocalHost.",
        "http://127.1:8080", "http://2130706433/"}) {
    EXPECT_EQ(check_api_base(url), std::nullopt) << url;
  }
}

// Issue 7, item 9: plain http to a remote host sent the credentials in clear text.
TEST(ApiBase, PlainHttpToAnotherHostIsRefusedWithTheReason) {
  EXPECT_EQ(
      check_api_base("http://api.impact.com"),
      "the API base URL \"http://api.impact.com\" (--api-base or IMPACT_API_BASE) uses plain "
      "http:// to a host that is not this machine, so the credentials would cross the network "
      "unencrypted; use https:// (http:// is allowed only for 127.0.0.0/8, [::1] and localhost)");
  for (const char* url :
       {"http://10.0.0.1:8080", "http://128.0.0.1", "http://[::2]/", "http://[::ffff:10.0.0.1]",
        "http://localhost.example.com", "http://127.0.0.1.nip.io", "http://0.0.0.0:80",
        "http://[fe80::1%25eth0]/"}) {
    ASSERT_TRUE(check_api_base(url)) << url;
    EXPECT_NE(check_api_base(url)->find("uses plain http://"), std::string::npos) << url;
  }
}

// The host checked is the one curl connects to: here evil.example, after user info.
TEST(ApiBase, UserInfoIsRefusedAndNeverPrinted) {
  const std::string message =
      "the API base URL (--api-base or IMPACT_API_BASE) holds a user name or password "
      "(user:password@); remove it: the account SID and the token are given by IMPACT_ACCOUNT_SID "
      "and IMPACT_AUTH_TOKEN, never in a URL";
  for (const char* url :
       {"https://IRabc:s3cr3t@api.impact.com", "http://user@127.0.0.1:8080",
        "http://127.0.0.1\\@evil.example/", "http://:@127.0.0.1/", "https://@api.impact.com"}) {
    EXPECT_EQ(check_api_base(url), message) << url;
  }
  EXPECT_EQ(check_api_base("http://s3cr3t@a b/"),
            "the API base URL (--api-base or IMPACT_API_BASE) is not a valid URL")
      << "an unparsable URL with an @ is not shown either";
}

TEST(ApiBase, OtherSchemesAreNotHttpUrls) {
  EXPECT_EQ(check_api_base("ftp://api.impact.com"),
            "the API base URL \"ftp://api.impact.com\" (--api-base or IMPACT_API_BASE) is not an "
            "http:// or https:// URL (default https://api.impact.com)");
  EXPECT_EQ(check_api_base("http://a b/"),
            "the API base URL \"http://a b/\" (--api-base or IMPACT_API_BASE) is not a valid URL");
}

TEST(ApiBase, LoopbackHosts) {
  for (const char* h :
       {"127.0.0.1", "127.255.255.254", "[::1]", "::1", "localhost", "LOCALHOST", "localhost."}) {
    EXPECT_TRUE(is_loopback_host(h)) << h;
  }
  for (const char* h : {"126.255.255.255", "128.0.0.1", "[::2]", "::ffff:127.0.0.1x",
                        "localhost.localdomain", "mylocalhost", "", "[]"}) {
    EXPECT_FALSE(is_loopback_host(h)) << h;
  }
}

}  // namespace
}  // namespace prospect_import
