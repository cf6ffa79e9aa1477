#include "ingest_service/core/reclassifier.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/status/field_error.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "ingest_service/store/rocksdb_article_store.h"
#include "ingest_service/testing/fake_extractors.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;

const ArticleTopic kWar{"medtop:16000000", "conflict, war and peace", 0.5, false};
const ArticleTopic kSport{"medtop:15000000", "sport", 0.7, false};

class ReclassifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("reclassify_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    RocksDbArticleStoreOptions options;
    options.path = dir_.string();
    options.sync = false;
    store_ = *RocksDbArticleStore::Open(options);
    // Three articles classified under release A.
    for (int i = 1; i <= 3; ++i) {
      Article a;
      a.id = absl::StrCat("id", i);
      a.title = absl::StrCat("Title ", i);
      a.topics = {kWar};
      a.taxonomy_version = "release-a";
      ASSERT_THAT(store_->Put(a), IsOk());
    }
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  absl::StatusOr<ReclassifyResult> Run(const TopicClassifier& classifier, int64_t start,
                                       int max_entries, bool all = false) {
    Reclassifier reclassifier(&classifier, store_.get(), store_.get());
    return reclassifier.Run(ReclassifyRequest{start, max_entries, all});
  }

  std::filesystem::path dir_;
  std::unique_ptr<RocksDbArticleStore> store_;
};

TEST_F(ReclassifierTest, ClassifiesArticlesOfAnotherReleaseInStepsThenNothingMore) {
  const FakeTopicClassifier release_b("release-b", kSport);
  absl::StatusOr<ReclassifyResult> first = Run(release_b, 0, 2);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->visited_count, 2);
  EXPECT_EQ(first->updated_count, 2);
  EXPECT_EQ(first->next_sequence, 3);
  EXPECT_EQ(store_->HeadSequence(), 5);  // two topic updates appended

  // The rest; the updates just appended are visited but are not articles.
  absl::StatusOr<ReclassifyResult> second = Run(release_b, first->next_sequence, 100);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->visited_count, 1);
  EXPECT_EQ(second->updated_count, 1);
  EXPECT_EQ(second->next_sequence, 0);
  for (int i = 1; i <= 3; ++i) {
    absl::StatusOr<Article> article = store_->Get(absl::StrCat("id", i));
    ASSERT_THAT(article, IsOk());
    EXPECT_EQ(article->topics, std::vector<ArticleTopic>{kSport});
    EXPECT_EQ(article->taxonomy_version, "release-b");
  }
  absl::StatusOr<std::vector<LogEntry>> log = store_->ReadFrom(4, 10);
  ASSERT_THAT(log, IsOk());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].topic_update->article_id, "id1");
  EXPECT_EQ((*log)[2].topic_update->article_id, "id3");

  // Everything is under release B now: running again changes nothing.
  absl::StatusOr<ReclassifyResult> again = Run(release_b, 0, 100);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->visited_count, 3);
  EXPECT_EQ(again->updated_count, 0);
  EXPECT_EQ(store_->HeadSequence(), 6);
}

TEST_F(ReclassifierTest, AllReclassifiesWithinOneReleaseOnlyWhatChanges) {
  // Same release, another term table: only `all` looks again.
  const FakeTopicClassifier new_table("release-a", kSport);
  absl::StatusOr<ReclassifyResult> stale_only = Run(new_table, 0, 100);
  ASSERT_THAT(stale_only, IsOk());
  EXPECT_EQ(stale_only->updated_count, 0);
  absl::StatusOr<ReclassifyResult> all = Run(new_table, 0, 100, /*all=*/true);
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(all->updated_count, 3);
  EXPECT_EQ(store_->Get("id2")->topics, std::vector<ArticleTopic>{kSport});
  // Topics that come out the same are not written again.
  absl::StatusOr<ReclassifyResult> same = Run(new_table, 0, 100, /*all=*/true);
  ASSERT_THAT(same, IsOk());
  EXPECT_EQ(same->visited_count, 3);
  EXPECT_EQ(same->updated_count, 0);
  EXPECT_EQ(store_->HeadSequence(), 6);
}

TEST_F(ReclassifierTest, RejectsNegativeArgumentsNamingTheField) {
  const FakeTopicClassifier classifier;
  absl::StatusOr<ReclassifyResult> result = Run(classifier, -1, 10);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(result.status()), "start_sequence");
  result = Run(classifier, 0, -5);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(result.status()), "max_entries");
  // Past the end: nothing to do.
  result = Run(classifier, 99, 10);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->visited_count, 0);
  EXPECT_EQ(result->next_sequence, 0);
}

}  // namespace
}  // namespace newsdesk::ingest
