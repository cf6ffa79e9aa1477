#include "common/model/article_convert.h"

#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace newsdesk {
namespace {

using ::newsdesk::testing::StatusIs;

Article SampleArticle() {
  Article a;
  a.id = "0123456789abcdef";
  a.title = "Title";
  a.paragraphs = {"One.", "Two."};
  a.key_points = {"Point."};
  a.publish_time.time = absl::FromUnixSeconds(1679011200);
  a.publish_time.precision = TimePrecision::kDay;
  a.publish_time.source = TimeSource::kText;
  a.publish_time.evidence = "March 17, 2023";
  a.publish_time.confidence = 0.85;
  a.publish_time.provenance = "line 3";
  a.update_time.time = absl::FromUnixSeconds(1679020000);
  a.update_time.precision = TimePrecision::kMinute;
  a.update_time.source = TimeSource::kHtmlMetadata;
  a.update_time.time_zone_known = true;
  a.hinted_publish_time.time = absl::FromUnixSeconds(1679011200);
  a.hinted_publish_time.precision = TimePrecision::kDay;
  a.hinted_publish_time.source = TimeSource::kCallerHint;
  a.title_labels = {"UPDATE 2"};
  a.standfirst = "Standfirst.";
  a.authors = {"Jane Doe", "John Roe"};
  a.dateline_place = "KYIV";
  a.mentioned_dates.push_back(MentionedDate{"February 2022", absl::FromUnixSeconds(1643673600),
                                            absl::FromUnixSeconds(1646092800),
                                            TimePrecision::kMonth, false});
  a.quotes.push_back(Quote{"Talks should resume", "Xi", "person-xi-jinping", 1});
  a.language = "fr-CA";
  a.language_source = LanguageSource::kPageMetadata;
  a.detected_language = "fr";
  a.detected_language_confidence = 0.75;
  a.page_language = "fr-CA";
  a.source = "Reuters";
  ArticleEntity& zelensky = a.entities.emplace_back();
  zelensky.id = "person-volodymyr-zelensky";
  zelensky.display_name = "Volodymyr Zelensky";
  zelensky.type = EntityType::kPerson;
  zelensky.mention_count = 3;
  zelensky.spellings = {"Zelenskiy", "Zelensky"};
  zelensky.linked = true;
  a.entities.back().mentions = {{TextSection::kTitle, 0, 0, 9, "Zelenskiy"},
                                {TextSection::kCaption, 2, 4, 12, "Zelensky"}};
  a.entities.back().roles = {{"President", "location-ukraine"}};
  a.entities.back().salience = 0.75;
  a.entities.back().confidence = 1;
  a.entity_table_version = "entities=0123456789abcdef";
  a.topics.push_back(ArticleTopic{"medtop:20000639", "diplomacy", 0.8, false});
  a.taxonomy_version = "2025-10-09";
  a.key_phrases = {"peace talks", "grain deal"};
  a.removed_blocks.push_back(RemovedBlock{RemovedBlockKind::kShareTail, "Share"});
  a.removed_blocks.push_back(RemovedBlock{RemovedBlockKind::kDateline, "KYIV (Reuters) -"});
  a.ingest_time = absl::FromUnixSeconds(1700000000) + absl::Milliseconds(5);
  a.log_sequence = 7;
  a.word_count = 2;
  return a;
}

TEST(ArticleConvertTest, RoundTripsEveryField) {
  const Article a = SampleArticle();
  v1::Article proto;
  ToProto(a, &proto);
  EXPECT_EQ(proto.name(), "articles/0123456789abcdef");
  EXPECT_EQ(proto.publish_time().precision(), v1::TIME_PRECISION_DAY);
  EXPECT_EQ(proto.publish_time().time().seconds(), 1679011200);
  const Article back = FromProto(proto);
  v1::Article again;
  ToProto(back, &again);
  EXPECT_EQ(proto.SerializeAsString(), again.SerializeAsString());
  EXPECT_EQ(back.ingest_time, a.ingest_time);
  EXPECT_EQ(proto.taxonomy_version(), "2025-10-09");
  EXPECT_EQ(back.key_phrases, a.key_phrases);
  ASSERT_EQ(back.entities.size(), 1u);
  EXPECT_EQ(back.entities[0].mentions, a.entities[0].mentions);
  EXPECT_EQ(back.entities[0].roles, a.entities[0].roles);
  EXPECT_EQ(back.entities[0].salience, 0.75);
  EXPECT_EQ(back.entity_table_version, a.entity_table_version);
  EXPECT_EQ(back.update_time.time, a.update_time.time);
  EXPECT_EQ(back.hinted_publish_time.source, TimeSource::kCallerHint);
  EXPECT_EQ(back.publish_time.provenance, "line 3");
  EXPECT_DOUBLE_EQ(back.publish_time.confidence, 0.85);
  EXPECT_EQ(back.authors, a.authors);
  ASSERT_EQ(back.mentioned_dates.size(), 1u);
  EXPECT_EQ(back.mentioned_dates[0].end, a.mentioned_dates[0].end);
  EXPECT_EQ(back.mentioned_dates[0].precision, TimePrecision::kMonth);
  ASSERT_EQ(back.quotes.size(), 1u);
  EXPECT_EQ(back.quotes[0].speaker_entity_id, "person-xi-jinping");
  EXPECT_EQ(back.quotes[0].paragraph, 1);
  EXPECT_EQ(back.language, "fr-CA");
  EXPECT_EQ(back.language_source, LanguageSource::kPageMetadata);
  EXPECT_EQ(back.detected_language, "fr");
  EXPECT_DOUBLE_EQ(back.detected_language_confidence, 0.75);
  EXPECT_EQ(back.page_language, "fr-CA");
  EXPECT_EQ(back.removed_blocks.back().kind, RemovedBlockKind::kDateline);
}

TEST(ArticleConvertTest, DecodesOnlyTheAskedParts) {
  const Article a = SampleArticle();
  v1::Article proto;
  ToProto(a, &proto);
  ArticleParts entities_only;
  entities_only.text = false;
  entities_only.topics = false;
  entities_only.key_phrases = false;
  entities_only.mentioned_dates = false;
  const Article part = FromProto(proto, entities_only);
  EXPECT_EQ(part.id, a.id);
  EXPECT_EQ(part.log_sequence, 7);
  EXPECT_EQ(part.source, "Reuters");
  EXPECT_EQ(part.publish_time.time, a.publish_time.time);
  ASSERT_EQ(part.entities.size(), 1u);
  EXPECT_EQ(part.entities[0].mentions.size(), 2u);
  EXPECT_EQ(part.entities[0].roles.size(), 1u);
  EXPECT_TRUE(part.title.empty());
  EXPECT_TRUE(part.paragraphs.empty());
  EXPECT_TRUE(part.quotes.empty());
  EXPECT_TRUE(part.removed_blocks.empty());
  EXPECT_TRUE(part.topics.empty());
  EXPECT_TRUE(part.key_phrases.empty());
  EXPECT_TRUE(part.mentioned_dates.empty());
  EXPECT_EQ(part.page_language, a.page_language);

  // Without the details: id, publish time, source and the asked parts only.
  ArticleParts no_details = entities_only;
  no_details.details = false;
  const Article bare = FromProto(proto, no_details);
  EXPECT_EQ(bare.id, a.id);
  EXPECT_EQ(bare.log_sequence, 7);
  EXPECT_EQ(bare.source, "Reuters");
  EXPECT_EQ(bare.publish_time.time, a.publish_time.time);
  EXPECT_EQ(bare.entities.size(), 1u);
  EXPECT_TRUE(bare.page_language.empty());
  EXPECT_TRUE(bare.detected_language.empty());
  EXPECT_TRUE(bare.url.empty());
  EXPECT_TRUE(bare.byline.empty());
  EXPECT_TRUE(bare.taxonomy_version.empty());
  EXPECT_EQ(bare.word_count, 0);
  ArticleParts ids_only = no_details;
  ids_only.publish_time = ids_only.source = false;
  const Article ids = FromProto(proto, ids_only);
  EXPECT_EQ(ids.id, a.id);
  EXPECT_FALSE(ids.publish_time.known());
  EXPECT_TRUE(ids.source.empty());
  EXPECT_TRUE(bare.dateline_place.empty());
  EXPECT_EQ(bare.update_time.time, absl::InfinitePast());

  ArticleParts text_only;
  text_only.entities = false;
  const Article text = FromProto(proto, text_only);
  EXPECT_TRUE(text.entities.empty());
  EXPECT_EQ(text.paragraphs, a.paragraphs);
  EXPECT_EQ(text.title, "Title");
  EXPECT_EQ(text.topics, a.topics);
  // Every part asked for: the whole article.
  v1::Article again;
  ToProto(FromProto(proto, ArticleParts()), &again);
  EXPECT_EQ(proto.SerializeAsString(), again.SerializeAsString());
}

TEST(ArticleConvertTest, UnknownTimeHasNoTimestamp) {
  Article a = SampleArticle();
  a.publish_time = ArticleTime{};
  v1::Article proto;
  ToProto(a, &proto);
  EXPECT_FALSE(proto.publish_time().has_time());
  EXPECT_EQ(proto.publish_time().source(), v1::TIME_SOURCE_NONE);
  EXPECT_FALSE(FromProto(proto).publish_time.known());
}

TEST(ArticleConvertTest, TimestampRangeIsChecked) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(253402300800);  // year 10000
  EXPECT_THAT(FromProto(ts, "start_time"), StatusIs(absl::StatusCode::kInvalidArgument));
  ts.set_seconds(0);
  ts.set_nanos(-1);
  EXPECT_THAT(FromProto(ts, "start_time"), StatusIs(absl::StatusCode::kInvalidArgument));
  ts.set_nanos(5);
  auto t = FromProto(ts, "start_time");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, absl::UnixEpoch() + absl::Nanoseconds(5));
  google::protobuf::Timestamp back;
  ToProto(absl::UnixEpoch() - absl::Nanoseconds(1), &back);
  EXPECT_EQ(back.seconds(), -1);
  EXPECT_EQ(back.nanos(), 999999999);
}

}  // namespace
}  // namespace newsdesk
