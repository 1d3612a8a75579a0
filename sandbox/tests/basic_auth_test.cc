#include "basic_auth.h"

#include "test_support.h"

#include <gtest/gtest.h>

namespace prospect_sandbox {
namespace {

TEST(BasicAuth, ReadsSidAndToken) {
  EXPECT_EQ(parse_basic_auth("Basic SVJhYmM6c2VjcjN0"), (Credentials{"IRabc", "secr3t"}));
  EXPECT_EQ(parse_basic_auth("basic SVJhYmM6c2VjcjN0"), (Credentials{"IRabc", "secr3t"}));
}

TEST(BasicAuth, TokenMayContainColons) {
  EXPECT_EQ(parse_basic_auth(testing::basic_auth("IRabc", "a:b")), (Credentials{"IRabc", "a:b"}));
}

TEST(BasicAuth, RefusesOtherSchemesAndBadBase64) {
  EXPECT_EQ(parse_basic_auth(""), std::nullopt);
  EXPECT_EQ(parse_basic_auth("Bearer SVJhYmM6c2VjcjN0"), std::nullopt);
  EXPECT_EQ(parse_basic_auth("Basic SVJhYmM6c2VjcjN0="), std::nullopt);
  EXPECT_EQ(parse_basic_auth("Basic !!!!"), std::nullopt);
  EXPECT_EQ(parse_basic_auth("Basic SVJhYmM="), std::nullopt);  // "IRabc": no colon
}

TEST(Base64, DecodesWithPadding) {
  EXPECT_EQ(base64_decode("YQ=="), "a");
  EXPECT_EQ(base64_decode("YWI="), "ab");
  EXPECT_EQ(base64_decode("YWJj"), "abc");
  EXPECT_EQ(base64_decode(""), "");
}

}  // namespace
}  // namespace prospect_sandbox
