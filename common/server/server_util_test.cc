#include "common/server/server_util.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace newsdesk {
namespace {

TEST(EnvOrTest, ReadsTheVariableOrFallsBack) {
  unsetenv("NEWSDESK_TEST_ENV");
  EXPECT_EQ(EnvOr("NEWSDESK_TEST_ENV", std::string("x")), "x");
  EXPECT_EQ(EnvOr("NEWSDESK_TEST_ENV", 7), 7);
  EXPECT_TRUE(EnvBoolOr("NEWSDESK_TEST_ENV", true));

  setenv("NEWSDESK_TEST_ENV", "42", 1);
  EXPECT_EQ(EnvOr("NEWSDESK_TEST_ENV", std::string("x")), "42");
  EXPECT_EQ(EnvOr("NEWSDESK_TEST_ENV", 7), 42);
  EXPECT_FALSE(EnvBoolOr("NEWSDESK_TEST_ENV", false));  // unreadable: the fallback
  EXPECT_TRUE(EnvBoolOr("NEWSDESK_TEST_ENV", true));

  for (const char* no : {"false", "0", "no", "FALSE"}) {
    setenv("NEWSDESK_TEST_ENV", no, 1);
    EXPECT_FALSE(EnvBoolOr("NEWSDESK_TEST_ENV", true)) << no;
  }
  for (const char* yes : {"true", "1", "yes"}) {
    setenv("NEWSDESK_TEST_ENV", yes, 1);
    EXPECT_TRUE(EnvBoolOr("NEWSDESK_TEST_ENV", false)) << yes;
  }
  setenv("NEWSDESK_TEST_ENV", "many", 1);
  EXPECT_EQ(EnvOr("NEWSDESK_TEST_ENV", 7), 7);
  unsetenv("NEWSDESK_TEST_ENV");
}

TEST(WritePortFileTest, WritesThePortAndANewline) {
  const std::string path = ::testing::TempDir() + "/server_util_test.port";
  ASSERT_TRUE(WritePortFile(path, 50051).ok());
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "50051\n");
  EXPECT_TRUE(WritePortFile("", 1).ok());  // no file asked for
  EXPECT_FALSE(WritePortFile("/nonexistent-dir/x.port", 1).ok());
}

}  // namespace
}  // namespace newsdesk
