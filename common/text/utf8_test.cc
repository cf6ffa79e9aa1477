#include "common/text/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace newsdesk::text {
namespace {

TEST(Utf8Test, AcceptsAsciiAndMultibyte) {
  EXPECT_TRUE(IsValidUtf8("Kyiv"));
  EXPECT_TRUE(IsValidUtf8("Erdoğan – “quoted” 😀"));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(Utf8Test, RejectsBadSequencesAtTheirOffset) {
  EXPECT_EQ(FindInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(FindInvalidUtf8("caf\xe9 au lait"), 3u);  // Latin-1 e-acute
  EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u);         // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xed\xa0\x80"), 0u);     // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u); // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("ok\xe2\x82"), 2u);       // truncated
}

TEST(Utf8Test, BinaryDetection) {
  EXPECT_TRUE(LooksBinary(std::string("abc\0def", 7)));
  EXPECT_TRUE(LooksBinary("\x01\x02\x03\x04 some text"));
  EXPECT_FALSE(LooksBinary("Title\n\nBody line one.\r\n\tIndented.\f"));
}

}  // namespace
}  // namespace newsdesk::text
