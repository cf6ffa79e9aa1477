#include "query_service/index/string_list.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(StringListTest, KeepsDistinctStringsInTheOrderAdded) {
  StringList list;
  EXPECT_TRUE(list.empty());
  EXPECT_THAT(list.ToVector(), IsEmpty());
  EXPECT_FALSE(list.Contains(""));
  EXPECT_TRUE(list.Add("Zelensky"));
  EXPECT_TRUE(list.Add("Volodymyr Zelenskyy, President of Ukraine"));
  EXPECT_FALSE(list.Add("Zelensky"));
  EXPECT_TRUE(list.Add("Зеленський"));
  EXPECT_TRUE(list.Add("Zelensk"));  // a prefix of one held is another string
  EXPECT_FALSE(list.empty());
  EXPECT_THAT(list.ToVector(),
              ElementsAre("Zelensky", "Volodymyr Zelenskyy, President of Ukraine",
                          "Зеленський", "Zelensk"));
  EXPECT_TRUE(list.Contains("Zelensk"));
  EXPECT_FALSE(list.Contains("Zelenskyy"));
  EXPECT_GT(list.HeapBytes(), 0u);
  list.clear();
  EXPECT_TRUE(list.empty());
  EXPECT_THAT(list.ToVector(), IsEmpty());
  EXPECT_FALSE(list.Contains("Zelensky"));
  EXPECT_TRUE(list.Add("Zelensky"));
  EXPECT_THAT(list.ToVector(), ElementsAre("Zelensky"));
}

TEST(StringListTest, TheEmptyStringIsAStringLikeAnyOther) {
  StringList list;
  EXPECT_TRUE(list.Add(""));
  EXPECT_FALSE(list.Add(""));
  EXPECT_TRUE(list.Add("a"));
  EXPECT_THAT(list.ToVector(), ElementsAre("", "a"));
  EXPECT_TRUE(list.Contains(""));
  // Short lists live in the string itself.
  EXPECT_EQ(list.HeapBytes(), 0u);
}

TEST(StringListTest, AStringWithANulByteComesBackSplit) {
  StringList list;
  EXPECT_TRUE(list.Add(absl::string_view("ab\0cd", 5)));
  EXPECT_THAT(list.ToVector(), ElementsAre("ab", "cd"));
}

}  // namespace
}  // namespace newsdesk::query
