// JetStreamArticleStore against a real single nats-server with JetStream on
// a free loopback port. Skipped when nats-server is not installed.
#include "ingest_service/store/jetstream_article_store.h"

#include <unistd.h>

#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/testing/nats_cluster.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::NatsCluster;
using ::newsdesk::testing::StatusIs;

Article MakeArticle(const std::string& id) {
  Article article;
  article.id = id;
  article.title = absl::StrCat("Title of ", id);
  article.paragraphs = {absl::StrCat("Body of ", id)};
  return article;
}

class JetStreamArticleStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::NatsServerBinary().empty())
      GTEST_SKIP() << "nats-server is not installed";
    nats_ = std::make_unique<NatsCluster>(
        absl::StrCat(::testing::TempDir(), "/jetstream_store_", getpid(), "_",
                     ::testing::UnitTest::GetInstance()->current_test_info()->name()),
        1);
    ASSERT_THAT(nats_->Start(), IsOk());
  }

  JetStreamArticleStoreOptions Options() {
    JetStreamArticleStoreOptions options;
    options.jetstream.servers = {nats_->url(0)};
    options.jetstream.replicas = 1;
    options.jetstream.request_timeout = absl::Seconds(2);
    return options;
  }

  std::unique_ptr<JetStreamArticleStore> OpenStore(JetStreamArticleStoreOptions options) {
    auto store = JetStreamArticleStore::Open(std::move(options));
    EXPECT_THAT(store, IsOk());
    return store.ok() ? *std::move(store) : nullptr;
  }

  std::unique_ptr<NatsCluster> nats_;
};

TEST_F(JetStreamArticleStoreTest, StoresOnceAndReadsBackInLogOrder) {
  auto store = OpenStore(Options());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->HeadSequence(), 0);

  absl::StatusOr<PutResult> first = store->Put(MakeArticle("aaaa"));
  ASSERT_THAT(first, IsOk());
  EXPECT_FALSE(first->already_existed);
  EXPECT_EQ(first->article.log_sequence, 1);
  EXPECT_NE(first->article.ingest_time, absl::InfinitePast());

  absl::StatusOr<PutResult> again = store->Put(MakeArticle("aaaa"));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->already_existed);
  EXPECT_EQ(again->article.log_sequence, 1);
  EXPECT_EQ(again->article.ingest_time, first->article.ingest_time);

  absl::StatusOr<PutResult> second = store->Put(MakeArticle("bbbb"));
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->article.log_sequence, 2);
  EXPECT_EQ(store->HeadSequence(), 2);

  absl::StatusOr<Article> got = store->Get("bbbb");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->title, "Title of bbbb");
  EXPECT_EQ(got->log_sequence, 2);
  EXPECT_THAT(store->Get("cccc"), StatusIs(absl::StatusCode::kNotFound));

  absl::StatusOr<std::vector<LogEntry>> log = store->ReadFrom(1, 10);
  ASSERT_THAT(log, IsOk());
  ASSERT_EQ(log->size(), 2u);
  ASSERT_TRUE((*log)[0].article && (*log)[1].article);
  EXPECT_EQ((*log)[0].article->id, "aaaa");
  EXPECT_EQ((*log)[0].article->log_sequence, 1);
  EXPECT_EQ((*log)[1].article->id, "bbbb");
  EXPECT_EQ((*log)[1].sequence, 2);
  EXPECT_EQ((*log)[1].article->log_sequence, 2);
  EXPECT_EQ(store->ReadFrom(2, 10)->size(), 1u);
  EXPECT_EQ(store->WaitForSequence(3, absl::Now() + absl::Milliseconds(50)), 2);

  // A topic update: a log entry of its own, and Get shows its topics.
  const TopicUpdate update{"aaaa", {ArticleTopic{"medtop:15000000", "sport", 0.8, false}},
                           "release-b"};
  absl::StatusOr<int64_t> sequence = store->UpdateTopics(update);
  ASSERT_THAT(sequence, IsOk());
  EXPECT_EQ(*sequence, 3);
  absl::StatusOr<Article> updated = store->Get("aaaa");
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->log_sequence, 1);
  EXPECT_EQ(updated->topics, update.topics);
  EXPECT_EQ(updated->taxonomy_version, "release-b");
  log = store->ReadFrom(3, 10);
  ASSERT_THAT(log, IsOk());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].sequence, 3);
  EXPECT_FALSE((*log)[0].article.has_value());
  ASSERT_TRUE((*log)[0].topic_update.has_value());
  EXPECT_EQ(*(*log)[0].topic_update, update);
  EXPECT_THAT(store->UpdateTopics(TopicUpdate{"cccc", {}, "release-b"}),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(store->HeadSequence(), 3);
}

TEST_F(JetStreamArticleStoreTest, ReingestAfterTheDeduplicationWindowStoresNothing) {
  JetStreamArticleStoreOptions options = Options();
  options.jetstream.duplicate_window = absl::Milliseconds(200);
  auto store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(store->Put(MakeArticle("aaaa")), IsOk());
  absl::SleepFor(absl::Milliseconds(600));
  absl::StatusOr<PutResult> again = store->Put(MakeArticle("aaaa"));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->already_existed);
  EXPECT_EQ(again->article.log_sequence, 1);
  EXPECT_EQ(store->HeadSequence(), 1);
}

TEST_F(JetStreamArticleStoreTest, ConcurrentReplicasStoreEachArticleOnce) {
  auto store_a = OpenStore(Options());
  auto store_b = OpenStore(Options());
  ASSERT_NE(store_a, nullptr);
  ASSERT_NE(store_b, nullptr);
  constexpr int kArticles = 40;
  absl::Mutex mu;
  std::map<std::string, std::set<int64_t>> sequences;  // id -> sequences answered
  int new_count = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    JetStreamArticleStore* store = t % 2 == 0 ? store_a.get() : store_b.get();
    threads.emplace_back([&, store] {
      for (int i = 0; i < kArticles; ++i) {
        absl::StatusOr<PutResult> result = store->Put(MakeArticle(absl::StrCat("id", i)));
        ASSERT_THAT(result, IsOk());
        absl::MutexLock lock(&mu);
        sequences[result->article.id].insert(result->article.log_sequence);
        if (!result->already_existed) ++new_count;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(new_count, kArticles);
  EXPECT_EQ(store_a->HeadSequence(), kArticles);
  ASSERT_EQ(sequences.size(), static_cast<size_t>(kArticles));
  for (const auto& [id, seqs] : sequences) EXPECT_EQ(seqs.size(), 1u) << id;
}

AliasChange MakeAliasChange(int64_t version, const std::string& entity_id) {
  AliasChange change;
  change.version = version;
  change.kind = AliasChangeKind::kAddAlias;
  change.entity_id = entity_id;
  return change;
}

TEST_F(JetStreamArticleStoreTest, AliasChangesFormOneLineAcrossReplicas) {
  auto a = OpenStore(Options());
  auto b = OpenStore(Options());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_THAT(a->Put(MakeArticle("0123456789abcdef")), IsOk());
  auto none = b->ReadAliasChanges(0);
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none->empty());

  absl::StatusOr<int64_t> first = a->AppendAliasChange(MakeAliasChange(1, "person-a"));
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(*first, 2);  // after the article
  // b has not seen version 1: it cannot store 1 again, nor 2 blindly.
  EXPECT_THAT(b->AppendAliasChange(MakeAliasChange(1, "person-b")),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(b->AppendAliasChange(MakeAliasChange(2, "person-b")),
              StatusIs(absl::StatusCode::kAborted));
  auto seen = b->ReadAliasChanges(0);
  ASSERT_THAT(seen, IsOk());
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ(seen->front().entity_id, "person-a");
  ASSERT_THAT(b->AppendAliasChange(MakeAliasChange(2, "person-b")), IsOk());
  // a still thinks 1 is the last: its version 2 loses.
  EXPECT_THAT(a->AppendAliasChange(MakeAliasChange(2, "person-c")),
              StatusIs(absl::StatusCode::kAborted));
  auto after_one = a->ReadAliasChanges(1);
  ASSERT_THAT(after_one, IsOk());
  ASSERT_EQ(after_one->size(), 1u);
  EXPECT_EQ(after_one->front().entity_id, "person-b");
  ASSERT_THAT(a->AppendAliasChange(MakeAliasChange(3, "person-c")), IsOk());

  // A new store reads the one history, and the log carries every change.
  auto fresh = OpenStore(Options());
  auto history = fresh->ReadAliasChanges(0);
  ASSERT_THAT(history, IsOk());
  std::vector<std::string> ids;
  for (const AliasChange& change : *history) ids.push_back(change.entity_id);
  EXPECT_THAT(ids, ::testing::ElementsAre("person-a", "person-b", "person-c"));
  auto log = fresh->ReadFrom(1, 10);
  ASSERT_THAT(log, IsOk());
  ASSERT_EQ(log->size(), 4u);
  EXPECT_TRUE((*log)[3].alias_change.has_value());
}

TEST_F(JetStreamArticleStoreTest, UnreachableLogIsUnavailableAndRecovers) {
  auto store = OpenStore(Options());
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(store->Put(MakeArticle("aaaa")), IsOk());
  nats_->Kill(0);
  EXPECT_THAT(store->Put(MakeArticle("bbbb")), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(nats_->StartServer(0), IsOk());
  // The client reconnects by itself; the retry of the article is safe.
  absl::StatusOr<PutResult> retried = absl::UnknownError("not tried");
  for (int i = 0; i < 100 && !retried.ok(); ++i) {
    retried = store->Put(MakeArticle("bbbb"));
    if (!retried.ok()) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_THAT(retried, IsOk());
  EXPECT_EQ(retried->article.log_sequence, 2);
  EXPECT_EQ(store->HeadSequence(), 2);
}

TEST_F(JetStreamArticleStoreTest, RejectsIdsThatCannotBeSubjects) {
  auto store = OpenStore(Options());
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->Put(MakeArticle("a.b")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store->Put(MakeArticle("")), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store->Get("a>"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(JetStreamArticleStoreOpenTest, NoServerIsUnavailable) {
  JetStreamArticleStoreOptions options;
  options.jetstream.servers = {
      absl::StrCat("nats://127.0.0.1:", testing::FreeLoopbackPort())};
  options.jetstream.replicas = 1;
  EXPECT_THAT(JetStreamArticleStore::Open(options),
              StatusIs(absl::StatusCode::kUnavailable));
  options.jetstream.servers.clear();
  EXPECT_THAT(JetStreamArticleStore::Open(options),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace newsdesk::ingest
