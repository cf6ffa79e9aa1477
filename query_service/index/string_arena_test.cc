#include "query_service/index/string_arena.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

TEST(StringArenaTest, KeepsEachStringAtItsIndex) {
  StringArena arena(/*block_size=*/16);
  const std::vector<std::string> strings = {
      "Zelensky", "", "Kyiv", std::string("a\0b", 3),
      "a string longer than a block of sixteen bytes", "Зеленський", "x"};
  for (const std::string& s : strings) arena.Add(s);
  ASSERT_EQ(arena.size(), strings.size());
  for (size_t i = 0; i < strings.size(); ++i) EXPECT_EQ(arena[i], strings[i]) << i;
}

TEST(StringArenaTest, StringsKeptNeverMoveAsMoreAreAdded) {
  StringArena arena(/*block_size=*/64);
  arena.Add("the first string");
  const absl::string_view first = arena[0];
  const char* const at = first.data();
  for (int i = 0; i < 1000; ++i) arena.Add("another string of some length");
  EXPECT_EQ(arena[0].data(), at);
  EXPECT_EQ(arena[0], "the first string");
  EXPECT_EQ(arena[1000], "another string of some length");
  // About one block per two strings of 30 bytes in blocks of 64.
  EXPECT_GE(arena.HeapBytes(), 1000u * 30);
}

}  // namespace
}  // namespace newsdesk::query
