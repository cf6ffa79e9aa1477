#include "common/text/encoding.h"

#include <string>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::text {
namespace {

using ::newsdesk::testing::StatusIs;
using ::testing::HasSubstr;

TEST(DecodeToUtf8Test, KeepsUtf8AndNormalizesToNfc) {
  absl::StatusOr<DecodedText> decoded = DecodeToUtf8("Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->utf8, "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D");
  EXPECT_EQ(decoded->source, SourceEncoding::kUtf8);
  // "e" + COMBINING ACUTE ACCENT becomes "é".
  decoded = DecodeToUtf8("Zelenskyy in Kie\xCC\x81v");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->utf8, "Zelenskyy in Ki\xC3\xA9v");
}

TEST(DecodeToUtf8Test, ReadsLatin1AndWindows1252) {
  absl::StatusOr<DecodedText> decoded = DecodeToUtf8("Caf\xE9 in K\xF6ln");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->utf8, "Caf\xC3\xA9 in K\xC3\xB6ln");
  EXPECT_EQ(decoded->source, SourceEncoding::kLatin1);
  decoded = DecodeToUtf8("\x93Peace\x94 \x96 \x80" "5 \x85");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->utf8, "\u201CPeace\u201D \u2013 \u20AC" "5 \u2026");
  EXPECT_EQ(decoded->source, SourceEncoding::kWindows1252);
}

TEST(DecodeToUtf8Test, RefusesOtherEncodings) {
  EXPECT_THAT(DecodeToUtf8("\x82\xA0\x82\xA2\x82\xA4\x82\xA6"),  // Shift_JIS
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("offset 0")));
  EXPECT_THAT(DecodeToUtf8("\xFF\xFEH\0i\0"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("UTF-16")));
}

TEST(Windows1252ToUtf8Test, MapsEveryByte) {
  std::string all;
  for (int b = 1; b < 256; ++b) all.push_back(static_cast<char>(b));
  const std::string utf8 = Windows1252ToUtf8(all);
  EXPECT_EQ(Windows1252ToUtf8("\x81\x8D\x8F\x90\x9D"), "\u0081\u008D\u008F\u0090\u009D");
  EXPECT_EQ(Windows1252ToUtf8("\xA0\xFF"), "\u00A0\u00FF");
  EXPECT_GT(utf8.size(), all.size());
}

TEST(DecodeHtmlEntitiesTest, DecodesNumericAndCommonNamedReferences) {
  EXPECT_EQ(DecodeHtmlEntities("Ukraine &amp; Russia"), "Ukraine & Russia");
  EXPECT_EQ(DecodeHtmlEntities("Kyiv&#8217;s &#x201C;offer&#x201d;"),
            "Kyiv\u2019s \u201Coffer\u201D");
  EXPECT_EQ(DecodeHtmlEntities("&quot;Caf&eacute;&quot;&nbsp;&mdash;"),
            "\"Caf\u00E9\"\u00A0\u2014");
  for (absl::string_view kept : {"AT&T", "R&D; costs", "&unknown;", "&#0;", "&#xD800;",
                                 "&#99999999;", "&", "&amp", "a & b; c"}) {
    EXPECT_EQ(DecodeHtmlEntities(kept), kept);
  }
}

}  // namespace
}  // namespace newsdesk::text
