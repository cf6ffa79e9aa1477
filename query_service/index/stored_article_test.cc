#include "query_service/index/stored_article.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/model/log_entry_convert.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::StatusIs;

// An article with every kind of field a page carries.
Article Rich() {
  Article a;
  a.id = "id7";
  a.title = "Talks in Kiev";
  a.paragraphs = {"First paragraph about Kiev.", "Second, with Marian."};
  a.key_points = {"A point."};
  a.title_labels = {"LIVE"};
  a.standfirst = "The standfirst.";
  a.authors = {"A. Writer"};
  a.quotes.push_back(Quote{"We talk.", "Marian", "person-marian", 1});
  a.removed_blocks.push_back(RemovedBlock{RemovedBlockKind::kCaption, "Home | News"});
  a.publish_time.precision = TimePrecision::kDay;
  a.publish_time.time = absl::FromCivil(absl::CivilDay(2023, 4, 21), absl::UTCTimeZone());
  a.source = "Wire";
  a.url = "https://example.com/a";
  a.language = "en";
  for (const char* id : {"location-kyiv", "person-marian", "org-un"}) {
    ArticleEntity& e = a.entities.emplace_back();
    e.id = id;
    e.display_name = id;
    e.type = EntityType::kPerson;
    e.mention_count = 1;
    e.spellings = {id};
    e.mentions = {EntityMention{TextSection::kBody, 0, 0, 4, id}};
    e.salience = 0.5;
  }
  a.topics.push_back(ArticleTopic{"medtop:16000000", "conflict, war and peace", 0.7, false});
  a.key_phrases = {"peace talks"};
  a.mentioned_dates.push_back(MentionedDate{
      "2014", absl::FromCivil(absl::CivilYear(2014), absl::UTCTimeZone()),
      absl::FromCivil(absl::CivilYear(2015), absl::UTCTimeZone()), TimePrecision::kYear,
      false});
  return a;
}

StoredArticle Stored(const std::string& bytes, int64_t sequence) {
  StoredArticle stored;
  stored.bytes = bytes;
  stored.log_sequence = sequence;
  return stored;
}

// The article as the message the stored bytes parse into, fields other than
// `keep` cleared: what a page carried before its articles were copied as
// stored.
std::string Expected(const StoredArticle& stored, const std::vector<int>& left_out) {
  v1::Article proto;
  EXPECT_TRUE(DecodeStoredArticle(stored, &proto).ok());
  for (const int number : left_out) {
    proto.GetReflection()->ClearField(&proto, proto.GetDescriptor()->FindFieldByNumber(number));
  }
  return proto.SerializeAsString();
}

// Pages copy the stored fields into the response: the bytes are those of
// the parsed message serialized again, with the index's links and without
// the fields left out, byte for byte; stored links (an article the index
// changed keeps its own) are replaced.
TEST(StoredArticleTest, CopiedFieldsAreTheParsedMessageByteForByte) {
  Article with_links = Rich();
  with_links.story_id = "story-old";
  with_links.copy_of = "id1";
  with_links.copy_similarity = 0.25;
  with_links.log_sequence = 7;
  const std::string plain = EncodeLogValue(LogEntry{7, Rich(), std::nullopt, std::nullopt});
  v1::Article linked_proto;
  ToProto(with_links, &linked_proto);
  const std::string linked = linked_proto.SerializeAsString();

  const std::vector<int> basic = {v1::Article::kParagraphsFieldNumber,
                                  v1::Article::kKeyPointsFieldNumber,
                                  v1::Article::kRemovedBlocksFieldNumber,
                                  v1::Article::kQuotesFieldNumber};
  const std::vector<int> derived = {
      v1::Article::kLogSequenceFieldNumber, v1::Article::kStoryIdFieldNumber,
      v1::Article::kCopyOfFieldNumber, v1::Article::kCopySimilarityFieldNumber};
  // A listing's read_mask (id, title, publish time) and the log sequence:
  // kept fields apart from each other, each copied alone.
  std::vector<int> listing;
  for (int i = 0; i < v1::Article::descriptor()->field_count(); ++i) {
    const int number = v1::Article::descriptor()->field(i)->number();
    if (number != v1::Article::kArticleIdFieldNumber &&
        number != v1::Article::kTitleFieldNumber &&
        number != v1::Article::kPublishTimeFieldNumber &&
        number != v1::Article::kLogSequenceFieldNumber) {
      listing.push_back(number);
    }
  }
  for (const std::string* bytes : {&plain, &linked}) {
    for (const bool links : {false, true}) {
      StoredArticle stored = Stored(*bytes, 7);
      if (links) {
        stored.story_id = "story-id7";
        stored.copy_of = "id2";
        stored.copy_similarity = 0.875;
      }
      for (const std::vector<int>* left_out :
           std::initializer_list<const std::vector<int>*>{&basic, &derived, &listing}) {
        std::string out = "prefix";
        ASSERT_TRUE(AppendStoredArticle(
                        stored,
                        [left_out](int number) {
                          return std::find(left_out->begin(), left_out->end(), number) ==
                                 left_out->end();
                        },
                        &out)
                        .ok());
        EXPECT_EQ(out, "prefix" + Expected(stored, *left_out)) << links;
      }
      std::string all;
      ASSERT_TRUE(AppendStoredArticle(stored, [](int) { return true; }, &all).ok());
      EXPECT_EQ(all, Expected(stored, {}));
      v1::Article parsed;
      ASSERT_TRUE(parsed.ParseFromString(all));
      EXPECT_EQ(parsed.log_sequence(), 7);
      EXPECT_EQ(parsed.story_id(), links ? "story-id7" : "");
      EXPECT_EQ(parsed.copy_of(), links ? "id2" : "");
      EXPECT_EQ(parsed.paragraphs_size(), 2);
    }
  }
}

// A summary answers for its article: whatever summary fields a page keeps,
// the summary's copy is the stored article's, byte for byte (for an article
// of unknown time, with no URL, too); and it holds no other field.
TEST(StoredArticleTest, SummaryCopiesAsTheStoredArticle) {
  Article untimed = Rich();
  untimed.publish_time = ArticleTime{};
  untimed.url.clear();
  for (const Article& article : {Rich(), untimed}) {
    const std::string full = EncodeLogValue(LogEntry{7, article, std::nullopt, std::nullopt});
    const std::string summary = EncodeSummary(article);
    EXPECT_LT(summary.size(), full.size() / 2);
    std::vector<int> numbers;
    for (int i = 0; i < v1::Article::descriptor()->field_count(); ++i) {
      const int number = v1::Article::descriptor()->field(i)->number();
      if (InSummary(number)) numbers.push_back(number);
    }
    ASSERT_EQ(numbers.size(), 10u);  // six stored, four derived
    // Every summary field alone, and all of them.
    std::vector<std::vector<int>> masks;
    for (const int number : numbers) masks.push_back({number});
    masks.push_back(numbers);
    for (const std::vector<int>& mask : masks) {
      auto keep = [&mask](int number) {
        return std::find(mask.begin(), mask.end(), number) != mask.end();
      };
      StoredArticle from_full = Stored(full, 7);
      StoredArticle from_summary = Stored(summary, 7);
      for (StoredArticle* stored : {&from_full, &from_summary}) {
        stored->story_id = "story-id7";
        stored->copy_of = "id2";
        stored->copy_similarity = 0.875;
      }
      std::string want, got;
      ASSERT_TRUE(AppendStoredArticle(from_full, keep, &want).ok());
      ASSERT_TRUE(AppendStoredArticle(from_summary, keep, &got).ok());
      EXPECT_EQ(got, want) << mask.size() << " fields from " << mask.front();
    }
    v1::Article parsed;
    ASSERT_TRUE(parsed.ParseFromString(summary));
    EXPECT_EQ(parsed.article_id(), "id7");
    EXPECT_EQ(parsed.name(), "articles/id7");
    EXPECT_EQ(parsed.title(), "Talks in Kiev");
    EXPECT_EQ(parsed.source(), "Wire");
    EXPECT_EQ(parsed.paragraphs_size(), 0);
    EXPECT_EQ(parsed.entities_size(), 0);
    EXPECT_EQ(parsed.log_sequence(), 0);
  }
  EXPECT_FALSE(InSummary(v1::Article::kParagraphsFieldNumber));
  EXPECT_FALSE(InSummary(v1::Article::kEntitiesFieldNumber));
  EXPECT_FALSE(InSummary(v1::Article::kBylineFieldNumber));
}

// The explanation's parts are parsed alone, and of the entities only those
// asked for; what is parsed is what a whole parse gives.
TEST(StoredArticleTest, DecodesOnlyTheParts) {
  const std::string bytes = EncodeLogValue(LogEntry{3, Rich(), std::nullopt, std::nullopt});
  StoredArticle stored = Stored(bytes, 3);
  stored.story_id = "story-id7";
  v1::Article whole;
  ASSERT_TRUE(DecodeStoredArticle(stored, &whole).ok());

  ArticleParts topics_only;
  topics_only.text = topics_only.entities = topics_only.key_phrases =
      topics_only.mentioned_dates = false;
  absl::StatusOr<Article> part = DecodeStoredArticle(stored, topics_only);
  ASSERT_TRUE(part.ok()) << part.status();
  EXPECT_EQ(part->id, "id7");
  EXPECT_EQ(part->log_sequence, 3);
  EXPECT_EQ(part->story_id, "story-id7");
  EXPECT_EQ(part->publish_time.time, Rich().publish_time.time);
  EXPECT_EQ(part->source, "Wire");
  EXPECT_TRUE(part->title.empty());
  EXPECT_TRUE(part->paragraphs.empty());
  EXPECT_TRUE(part->entities.empty());
  ASSERT_EQ(part->topics.size(), 1u);
  EXPECT_EQ(part->topics[0].code, "medtop:16000000");
  EXPECT_EQ(part->url, "https://example.com/a");

  // What the match explanation reads: no details.
  ArticleParts explained = topics_only;
  explained.details = explained.publish_time = explained.source = false;
  absl::StatusOr<Article> bare = DecodeStoredArticle(stored, explained);
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_EQ(bare->id, "id7");
  EXPECT_EQ(bare->log_sequence, 3);
  EXPECT_EQ(bare->story_id, "story-id7");
  EXPECT_FALSE(bare->publish_time.known());
  EXPECT_TRUE(bare->source.empty());
  EXPECT_EQ(bare->topics.size(), 1u);
  EXPECT_TRUE(bare->url.empty());
  EXPECT_TRUE(bare->language.empty());

  const ArticleParts all;
  absl::StatusOr<Article> full = DecodeStoredArticle(stored, all);
  ASSERT_TRUE(full.ok());
  v1::Article again;
  ToProto(*full, &again);
  EXPECT_EQ(again.SerializeAsString(), whole.SerializeAsString());

  const std::vector<std::string> ids = {"org-un", "person-marian"};
  absl::StatusOr<Article> some = DecodeStoredArticle(stored, all, &ids);
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->entities.size(), 2u);
  EXPECT_EQ(some->entities[0].id, "person-marian");
  EXPECT_EQ(some->entities[1].id, "org-un");
  EXPECT_EQ(some->entities[1].mentions.size(), 1u);
  EXPECT_EQ(some->paragraphs, Rich().paragraphs);
}

// Bytes that are no article, are cut short, or hold another sequence are
// DATA_LOSS naming the sequence, whichever way they are read.
TEST(StoredArticleTest, DamagedBytesAreDataLoss) {
  const std::string bytes = EncodeLogValue(LogEntry{3, Rich(), std::nullopt, std::nullopt});
  Article other = Rich();
  other.log_sequence = 9;
  v1::Article other_proto;
  ToProto(other, &other_proto);
  const std::string other_sequence = other_proto.SerializeAsString();
  const std::string update = EncodeLogValue(
      LogEntry{3, std::nullopt, std::nullopt, TopicUpdate{"id7", {}, "t"}});
  // Broken framing after a good article: a length past the end, a
  // truncated length, a varint of eleven bytes, a group, a truncated
  // fixed64 and fixed32, field number 0.
  std::vector<std::string> damaged_all = {std::string("\xff\xff not an article"),
                                          bytes.substr(0, bytes.size() - 3), bytes.substr(0, 1),
                                          other_sequence, update};
  for (const std::string& tail :
       {std::string("\x0a\xff\xff\xff\xff\x0f"), std::string("\x0a\x80"),
        std::string("\xa0\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"),
        std::string("\x0b"), std::string("\x09\x01\x02\x03"), std::string("\x0d\x01"),
        std::string("\x00\x01", 2)}) {
    damaged_all.push_back(bytes + tail);
  }
  for (const std::string& damaged : damaged_all) {
    const StoredArticle stored = Stored(damaged, 3);
    std::string out;
    EXPECT_THAT(AppendStoredArticle(stored, [](int) { return true; }, &out),
                StatusIs(absl::StatusCode::kDataLoss,
                         ::testing::HasSubstr("log sequence 3")));
    EXPECT_THAT(DecodeStoredArticle(stored, ArticleParts()).status(),
                StatusIs(absl::StatusCode::kDataLoss));
    v1::Article proto;
    EXPECT_THAT(DecodeStoredArticle(stored, &proto), StatusIs(absl::StatusCode::kDataLoss));
  }
}

}  // namespace
}  // namespace newsdesk::query
