#include "ingest_service/core/ingestor.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/store/rocksdb_article_store.h"
#include "ingest_service/testing/fake_extractors.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;
using ::testing::HasSubstr;

class IngestorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("ingestor_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    RocksDbArticleStoreOptions options;
    options.path = dir_.string();
    store_ = *RocksDbArticleStore::Open(options);
    ingestor_ = std::make_unique<Ingestor>(IngestorOptions{}, &parser_, &extractor_,
                                           &classifier_, store_.get());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static RawArticle Raw(std::string content) {
    RawArticle raw;
    raw.content = std::move(content);
    return raw;
  }

  std::filesystem::path dir_;
  ArticleParser parser_;
  FakeEntityExtractor extractor_;
  FakeTopicClassifier classifier_;
  std::unique_ptr<RocksDbArticleStore> store_;
  std::unique_ptr<Ingestor> ingestor_;
};

TEST_F(IngestorTest, ParsesExtractsAndStores) {
  RawArticle raw = Raw("Talks resume in Kyiv\n\nMarch 17, 2023\n\nOfficials met in Kyiv today.\n");
  raw.metadata.source = "Wire";
  auto result = ingestor_->Ingest(raw);
  ASSERT_TRUE(result.ok()) << result.status();
  const Article& a = result->article;
  EXPECT_EQ(a.id.size(), 16u);
  EXPECT_EQ(a.title, "Talks resume in Kyiv");
  EXPECT_EQ(a.source, "Wire");
  EXPECT_EQ(a.language, "und");  // too short to tell
  EXPECT_EQ(a.language_source, LanguageSource::kDetected);
  EXPECT_EQ(a.word_count, 5);
  EXPECT_EQ(a.publish_time.precision, TimePrecision::kDay);
  ASSERT_EQ(a.entities.size(), 1u);
  EXPECT_EQ(a.entities[0].mention_count, 2);
  EXPECT_EQ(a.topics.size(), 1u);
  EXPECT_EQ(a.log_sequence, 1);
  EXPECT_EQ(store_->Get(a.id)->title, a.title);
}

TEST_F(IngestorTest, SameContentGetsSameIdAndIsStoredOnce) {
  auto first = ingestor_->Ingest(Raw("Headline\n\nBody text.\n"));
  auto again = ingestor_->Ingest(Raw("\xEF\xBB\xBFHeadline  \r\n\r\nBody text.\r\n\n\n"));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_existed);
  EXPECT_EQ(again->article.id, first->article.id);
  EXPECT_NE(ContentId("Headline\n\nBody text, edited."), first->article.id);
  EXPECT_EQ(store_->HeadSequence(), 1);
}

TEST_F(IngestorTest, NoDateAndNoHintMeansUnknownNeverTheIngestTime) {
  auto result = ingestor_->Parse(Raw("Headline\n\nA body with no date at all.\n"));
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->publish_time.known());
  RawArticle hinted = Raw("Headline\n\nA body with no date at all.\n");
  hinted.metadata.publish_time_hint = "2024-02-14";
  auto with_hint = ingestor_->Parse(hinted);
  ASSERT_TRUE(with_hint.ok());
  EXPECT_EQ(with_hint->publish_time.source, TimeSource::kCallerHint);
  EXPECT_EQ(with_hint->publish_time.precision, TimePrecision::kDay);
}

TEST_F(IngestorTest, RejectsBadInputAndStoresNothing) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {" \n\t\r\n", "empty"},
      {std::string("text\0more", 9), "binary"},
      {"\x01\x02\x03\x04\x05", "binary"},
      {"\x82\xa0\x82\xa2\x82\xa4", "offset 0"},  // Shift_JIS
      {"\xff\xfeH\0i\0", "UTF-16"},
      {std::string((1 << 20) + 1, 'x'), "limit is 1048576"},
  };
  for (const auto& [content, message] : cases) {
    EXPECT_THAT(ingestor_->Ingest(Raw(content)),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(message)));
  }
  RawArticle bad_hint = Raw("Headline\n\nBody.");
  bad_hint.metadata.publish_time_hint = "sometime soon";
  EXPECT_THAT(ingestor_->Ingest(bad_hint),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("publish_time_hint")));
  RawArticle long_source = Raw("Headline\n\nBody.");
  long_source.metadata.source = std::string(300, 's');
  EXPECT_THAT(ingestor_->Ingest(long_source),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("metadata.source")));
  RawArticle bad_url = Raw("Headline\n\nBody.");
  bad_url.metadata.url = "http://x/\xff";
  EXPECT_THAT(ingestor_->Ingest(bad_url), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(store_->HeadSequence(), 0);
}

TEST_F(IngestorTest, Latin1AndDecomposedTextAreTheSameArticleAsUtf8Nfc) {
  absl::StatusOr<PutResult> utf8 = ingestor_->Ingest(Raw("Caf\xC3\xA9 talks\n\nL\xC3\xA9" "a met Zo\xC3\xAB."));
  ASSERT_TRUE(utf8.ok()) << utf8.status();
  EXPECT_EQ(utf8->article.title, "Caf\xC3\xA9 talks");
  // The same text in Latin-1, and in UTF-8 with combining accents.
  for (absl::string_view content : {"Caf\xE9 talks\n\nL\xE9" "a met Zo\xEB.",
                                    "Cafe\xCC\x81 talks\n\nLe\xCC\x81" "a met Zoe\xCC\x88."}) {
    absl::StatusOr<PutResult> again = ingestor_->Ingest(Raw(std::string(content)));
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_TRUE(again->already_existed) << content;
    EXPECT_EQ(again->article.id, utf8->article.id);
  }
  // Windows-1252 punctuation becomes the Unicode characters it stands for.
  absl::StatusOr<Article> quoted =
      ingestor_->Parse(Raw("Talks resume\n\n\x93Peace now,\x94 said Xi \x96 again."));
  ASSERT_TRUE(quoted.ok()) << quoted.status();
  EXPECT_EQ(quoted->paragraphs[0], "\u201CPeace now,\u201D said Xi \u2013 again.");
}

TEST_F(IngestorTest, LinksWithTheAliasTableAndRecordsItsVersion) {
  entities::AliasTable aliases(nullptr);
  Ingestor ingestor(IngestorOptions{}, &parser_, &extractor_, &classifier_, store_.get(),
                    &aliases);
  const RawArticle raw = Raw("Talks in Kyiv\n\nOfficials met in Kyiv on Tuesday.\n");
  absl::StatusOr<Article> before = ingestor.Parse(raw);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->entity_table_version, "fake");

  AliasChange merge;
  merge.version = 1;
  merge.kind = AliasChangeKind::kMerge;
  merge.source_entity_id = "location-kyiv";
  merge.entity_id = "location-kyiv-city";
  merge.display_name = "Kyiv City";
  merge.type = EntityType::kLocation;
  ASSERT_TRUE(aliases.Apply(merge).ok());
  absl::StatusOr<PutResult> stored = ingestor.Ingest(raw);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->article.entity_table_version, "fake;aliases=1");
  ASSERT_EQ(stored->article.entities.size(), 1u);
  EXPECT_EQ(stored->article.entities[0].id, "location-kyiv-city");
  EXPECT_EQ(stored->article.entities[0].display_name, "Kyiv City");
  EXPECT_EQ(stored->article.entities[0].mention_count, 2);
}

TEST_F(IngestorTest, ABatchStoresItsArticlesInGroupsWithResultsInOrder) {
  IngestorOptions options;
  options.batch_group_articles = 2;
  Ingestor ingestor(options, &parser_, &extractor_, &classifier_, store_.get());
  const int64_t commits = store_->commit_count();
  Ingestor::Batch batch = ingestor.StartBatch();
  batch.Add(Raw("First title\n\nThe first body names Paris.\n"));
  batch.Add(Raw(""));
  batch.Add(Raw("Second title\n\nThe second body names Kyiv.\n"));
  // The group of two is stored now, before the batch ends.
  EXPECT_EQ(store_->HeadSequence(), 2);
  batch.Add(Raw("First title\n\nThe first body names Paris.\n"));
  batch.Add(Raw("Third title\n\nThe third body names Rome.\n"));
  std::vector<absl::StatusOr<PutResult>> results = std::move(batch).Finish();
  ASSERT_EQ(results.size(), 5u);
  ASSERT_THAT(results[0], IsOk());
  EXPECT_EQ(results[0]->article.title, "First title");
  EXPECT_EQ(results[0]->article.log_sequence, 1);
  EXPECT_THAT(results[1], StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  ASSERT_THAT(results[2], IsOk());
  EXPECT_EQ(results[2]->article.log_sequence, 2);
  ASSERT_THAT(results[3], IsOk());
  EXPECT_TRUE(results[3]->already_existed);
  EXPECT_EQ(results[3]->article.id, results[0]->article.id);
  ASSERT_THAT(results[4], IsOk());
  EXPECT_EQ(results[4]->article.log_sequence, 3);
  EXPECT_EQ(store_->HeadSequence(), 3);
  EXPECT_EQ(store_->commit_count(), commits + 2);
}

TEST_F(IngestorTest, ParseOnlyIngestorHasNoStore) {
  Ingestor parse_only(IngestorOptions{}, &parser_, &extractor_, &classifier_, nullptr);
  EXPECT_TRUE(parse_only.Parse(Raw("Headline\n\nBody.")).ok());
  EXPECT_THAT(parse_only.Ingest(Raw("Headline\n\nBody.")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace newsdesk::ingest
