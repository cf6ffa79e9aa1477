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
  // Blocks smaller than a std::string's inline buffer as well as large ones.
  for (const size_t block_size : {size_t{8}, size_t{64}}) {
    StringArena arena(block_size);
    arena.Add("short");
    const char* const at = arena[0].data();
    for (int i = 0; i < 1000; ++i) arena.Add("another string of some length");
    EXPECT_EQ(arena[0].data(), at) << block_size;
    EXPECT_EQ(arena[0], "short");
    EXPECT_EQ(arena[1000], "another string of some length");
    // Every 30-byte string in a block of its own or two to a block.
    EXPECT_GE(arena.HeapBytes(), 1000u * 30) << block_size;
  }
}

}  // namespace
}  // namespace newsdesk::query
