#include "common/text/json_string.h"

#include <string>

#include "gtest/gtest.h"

namespace newsdesk::text {
namespace {

std::string Read(absl::string_view json, size_t* end) {
  size_t i = 0;
  std::string out = ReadJsonString(json, &i);
  *end = i;
  return out;
}

TEST(ReadJsonStringTest, DecodesEscapesAndStopsAfterTheClosingQuote) {
  size_t end = 0;
  EXPECT_EQ(Read(R"("a\"b\\c\/d\n\t" : 1)", &end), "a\"b\\c/d\n\t");
  EXPECT_EQ(end, 16u);
}

TEST(ReadJsonStringTest, JoinsSurrogatePairsAndReplacesMalformedEscapes) {
  size_t end = 0;
  EXPECT_EQ(Read(R"("Erdo\u011fan \ud83d\ude00")", &end), "Erdoğan \xF0\x9F\x98\x80");
  EXPECT_EQ(Read(R"("\ud83d x")", &end), "\xEF\xBF\xBD x");
  EXPECT_EQ(Read(R"("\u12")", &end), "\xEF\xBF\xBD" "12");
}

TEST(ReadJsonStringTest, UnterminatedInputEndsAtTheEnd) {
  size_t end = 0;
  EXPECT_EQ(Read(R"("abc)", &end), "abc");
  EXPECT_EQ(end, 4u);
}

}  // namespace
}  // namespace newsdesk::text
