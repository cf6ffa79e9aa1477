#include "query_service/core/page_token.h"

#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::StatusIs;

TEST(PageTokenTest, RoundTrips) {
  PageToken token;
  token.request_fingerprint = 0xfeedfacecafebeefull;
  token.snapshot = 1234;
  token.has_time = true;
  token.time_ns = -5;
  token.score = 2.75;
  token.count = 9;
  token.sequence = 77;
  token.key = "person-xi-jinping";
  const std::string encoded = EncodePageToken(token);
  auto decoded = DecodePageToken(encoded, token.request_fingerprint);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->snapshot, 1234);
  EXPECT_TRUE(decoded->has_time);
  EXPECT_EQ(decoded->time_ns, -5);
  EXPECT_EQ(decoded->score, 2.75);
  EXPECT_EQ(decoded->count, 9);
  EXPECT_EQ(decoded->sequence, 77);
  EXPECT_EQ(decoded->key, "person-xi-jinping");
}

TEST(PageTokenTest, RejectsTokensOfOtherRequestsAndGarbage) {
  PageToken token;
  token.request_fingerprint = 1;
  const std::string encoded = EncodePageToken(token);
  EXPECT_THAT(DecodePageToken(encoded, 2), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken("not base64 !!", 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken("AAAA", 1), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken(std::string(100000, 'A'), 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken(encoded.substr(0, encoded.size() / 2), 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PageTokenTest, FingerprintSeparatesParts) {
  EXPECT_NE(Fingerprint().Add("ab").Add("c").value(), Fingerprint().Add("a").Add("bc").value());
  EXPECT_EQ(Fingerprint().Add("x").Add(int64_t{3}).value(),
            Fingerprint().Add("x").Add(int64_t{3}).value());
}

TEST(PageTokenTest, PageSizeFollowsAip158) {
  EXPECT_EQ(*ResolvePageSize(0, 20, 1000), 20);
  EXPECT_EQ(*ResolvePageSize(5, 20, 1000), 5);
  EXPECT_EQ(*ResolvePageSize(1000000, 20, 1000), 1000);
  EXPECT_THAT(ResolvePageSize(-1, 20, 1000), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace newsdesk::query
