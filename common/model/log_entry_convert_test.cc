#include "common/model/log_entry_convert.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
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

// What a log client receives is kept as it came: the entry's message
// encodes to the bytes the entry itself encodes to.
TEST(LogEntryConvertTest, AnEntryAsReceivedEncodesToTheSameBytes) {
  Article article;
  article.id = "abc";
  article.title = "Title";
  article.paragraphs = {"One.", "Two."};
  article.source = "Reuters";
  article.log_sequence = 7;
  AliasChange change;
  change.version = 3;
  change.kind = AliasChangeKind::kAddAlias;
  change.entity_id = "person-x";
  change.spellings = {"X"};
  for (const LogEntry& entry : {LogEntry{7, article, std::nullopt},
                                LogEntry{8, std::nullopt, change},
                                LogEntry{9, std::nullopt, std::nullopt, SomeUpdate()}}) {
    v1::LogEntry proto;
    ToProto(entry, &proto);
    v1::LogEntry received;
    ASSERT_TRUE(received.ParseFromString(proto.SerializeAsString()));
    EXPECT_EQ(EncodeLogValue(received), EncodeLogValue(entry)) << entry.sequence;
    if (received.has_article()) received.mutable_article()->clear_log_sequence();
    absl::StatusOr<LogEntry> kept = FromReceivedProto(&received);
    ASSERT_THAT(kept, IsOk());
    EXPECT_EQ(kept->encoded, EncodeLogValue(entry)) << entry.sequence;
    absl::StatusOr<LogEntry> decoded = DecodeLogValue(EncodeLogValue(received), entry.sequence);
    ASSERT_THAT(decoded, IsOk());
    EXPECT_EQ(decoded->article.has_value(), entry.article.has_value());
    EXPECT_EQ(decoded->alias_change, entry.alias_change);
    EXPECT_EQ(decoded->topic_update, entry.topic_update);
  }
}

TEST(LogEntryConvertTest, TopicUpdatesRoundTrip) {
  const std::string value =
      EncodeLogValue(LogEntry{12, std::nullopt, std::nullopt, SomeUpdate()});
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

AliasChange SomeChange() {
  AliasChange change;
  change.version = 3;
  change.change_time = absl::FromUnixSeconds(1700000000);
  change.kind = AliasChangeKind::kMerge;
  change.entity_id = "person-a-b";
  change.source_entity_id = "person-b";
  change.spellings = {"A B"};
  change.display_name = "A B";
  change.type = EntityType::kPerson;
  return change;
}

TEST(LogEntryConvertTest, AliasChangesAndTopicUpdatesHaveDistinctTags) {
  const std::string value =
      EncodeLogValue(LogEntry{4, std::nullopt, SomeChange(), std::nullopt});
  ASSERT_FALSE(value.empty());
  EXPECT_EQ(value.front(), '\x00');
  absl::StatusOr<LogEntry> entry = DecodeLogValue(value, 4);
  ASSERT_THAT(entry, IsOk());
  EXPECT_EQ(entry->sequence, 4);
  EXPECT_FALSE(entry->article.has_value());
  EXPECT_FALSE(entry->topic_update.has_value());
  ASSERT_TRUE(entry->alias_change.has_value());
  EXPECT_EQ(*entry->alias_change, SomeChange());
  EXPECT_THAT(DecodeLogValue(std::string("\x00\xff\xff", 3), 3),
              StatusIs(absl::StatusCode::kDataLoss));

  v1::LogEntry proto;
  ToProto(LogEntry{6, std::nullopt, SomeChange(), std::nullopt}, &proto);
  EXPECT_TRUE(proto.has_alias_change());
  EXPECT_FALSE(proto.has_topic_update());
  absl::StatusOr<LogEntry> back = FromProto(proto);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back->alias_change, SomeChange());
  // An alias change and a topic update in one entry: damaged.
  ToProto(SomeUpdate(), proto.mutable_topic_update());
  EXPECT_THAT(FromProto(proto), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(LogEntryConvertTest, StoredBytesDecodeStraightIntoTheProtoAsTheyDoIntoTheEntry) {
  Article article;
  article.id = "abc";
  article.title = "Title";
  v1::LogEntry proto;
  proto.set_sequence(99);  // cleared first
  // The JetStream payload carries no sequence; the decoder gives it one.
  ASSERT_THAT(DecodeLogValue(EncodeLogValue(LogEntry{0, article, std::nullopt, std::nullopt}), 7,
                             &proto),
              IsOk());
  EXPECT_EQ(proto.sequence(), 7);
  ASSERT_TRUE(proto.has_article());
  EXPECT_EQ(proto.article().article_id(), "abc");
  EXPECT_EQ(proto.article().log_sequence(), 7);
  absl::StatusOr<LogEntry> entry = FromProto(proto);
  ASSERT_THAT(entry, IsOk());
  EXPECT_EQ(entry->article->title, "Title");

  ASSERT_THAT(DecodeLogValue(EncodeLogValue(LogEntry{5, std::nullopt, SomeChange(), std::nullopt}),
                             5, &proto),
              IsOk());
  EXPECT_TRUE(proto.has_alias_change());
  EXPECT_FALSE(proto.has_article());
  ASSERT_THAT(DecodeLogValue(EncodeLogValue(LogEntry{6, std::nullopt, std::nullopt, SomeUpdate()}),
                             6, &proto),
              IsOk());
  EXPECT_TRUE(proto.has_topic_update());
  // An article stored under another sequence, and bytes that are no message.
  EXPECT_THAT(DecodeLogValue(EncodeLogValue(LogEntry{8, article, std::nullopt, std::nullopt}), 9,
                             &proto),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("sequence 9")));
  EXPECT_THAT(DecodeLogValue(std::string("\x01\xff\xff", 3), 3, &proto),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST(LogEntryConvertTest, ProtoHoldsExactlyOneKind) {
  v1::LogEntry proto;
  ToProto(LogEntry{5, std::nullopt, std::nullopt, SomeUpdate()}, &proto);
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
