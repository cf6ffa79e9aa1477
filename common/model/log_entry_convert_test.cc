#include "common/model/log_entry_convert.h"

#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace newsdesk {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;

TopicUpdate SomeUpdate() {
  return TopicUpdate{"abc",
                     {ArticleTopic{"medtop:20001065", "football", 0.75, false},
                      ArticleTopic{"medtop:15000000", "sport", 0.75, true}},
                     "2025-10-09"};
}

TEST(LogEntryConvertTest, ArticlesAreStoredAsBeforeAndKeepTheirSequence) {
  Article article;
  article.id = "abc";
  article.title = "Title";
  article.log_sequence = 7;
  const std::string value = EncodeLogValue(LogEntry{7, article, std::nullopt});
  // The bytes are the serialized article, as stores wrote them before.
  v1::Article proto;
  ASSERT_TRUE(proto.ParseFromString(value));
  EXPECT_EQ(proto.article_id(), "abc");

  absl::StatusOr<LogEntry> entry = DecodeLogValue(value, 7);
  ASSERT_THAT(entry, IsOk());
  EXPECT_EQ(entry->sequence, 7);
  ASSERT_TRUE(entry->article.has_value());
  EXPECT_FALSE(entry->topic_update.has_value());
  EXPECT_EQ(entry->article->title, "Title");
  EXPECT_EQ(entry->article->log_sequence, 7);
  // Stored at another sequence: damaged.
  EXPECT_THAT(DecodeLogValue(value, 8), StatusIs(absl::StatusCode::kDataLoss));
  // Without a sequence (the JetStream payload), the position gives it.
  article.log_sequence = 0;
  entry = DecodeLogValue(EncodeLogValue(LogEntry{0, article, std::nullopt}), 9);
  ASSERT_THAT(entry, IsOk());
  EXPECT_EQ(entry->article->log_sequence, 9);
}

TEST(LogEntryConvertTest, TopicUpdatesRoundTrip) {
  const std::string value = EncodeLogValue(LogEntry{12, std::nullopt, SomeUpdate()});
  ASSERT_FALSE(value.empty());
  EXPECT_EQ(value.front(), '\x01');
  absl::StatusOr<LogEntry> entry = DecodeLogValue(value, 12);
  ASSERT_THAT(entry, IsOk());
  EXPECT_EQ(entry->sequence, 12);
  EXPECT_FALSE(entry->article.has_value());
  ASSERT_TRUE(entry->topic_update.has_value());
  EXPECT_EQ(*entry->topic_update, SomeUpdate());

  EXPECT_THAT(DecodeLogValue("\x01\xff\xff", 3), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DecodeLogValue("\xff\xff", 3), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(LogEntryConvertTest, ProtoHoldsExactlyOneKind) {
  v1::LogEntry proto;
  ToProto(LogEntry{5, std::nullopt, SomeUpdate()}, &proto);
  EXPECT_EQ(proto.sequence(), 5);
  EXPECT_FALSE(proto.has_article());
  absl::StatusOr<LogEntry> back = FromProto(proto);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back->topic_update, SomeUpdate());

  proto.mutable_article()->set_article_id("both");
  EXPECT_THAT(FromProto(proto), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(FromProto(v1::LogEntry()), StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace newsdesk
