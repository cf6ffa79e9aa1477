#include "ingest_service/store/rocksdb_article_store.h"

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/testing/failing_writes_file_system.h"
#include "common/testing/file_damage.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;

class RocksDbArticleStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Parameterized tests have a '/' in their name.
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrReplaceAll(absl::StrCat("store_test_", ::testing::UnitTest::GetInstance()
                                                               ->current_test_info()->name()),
                               {{"/", "_"}});
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<RocksDbArticleStore> Open() {
    auto store = RocksDbArticleStore::Open(Options());
    EXPECT_TRUE(store.ok()) << store.status();
    return std::move(store).value();
  }

  RocksDbArticleStoreOptions Options() {
    RocksDbArticleStoreOptions options;
    options.path = dir_.string();
    options.clock = &clock_;
    return options;
  }

  // Stores `count` articles and closes the store; with `flush`, moves them
  // from the write-ahead log into a table file.
  void Fill(int count, bool flush) {
    {
      auto store = Open();
      for (int i = 0; i < count; ++i) {
        ASSERT_TRUE(store->Put(MakeArticle(absl::StrCat("id", i))).ok());
      }
    }
    if (flush) {
      rocksdb::DB* db = nullptr;
      ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir_.string(), &db).ok());
      ASSERT_TRUE(db->Flush(rocksdb::FlushOptions()).ok());
      delete db;
    }
  }

  static Article MakeArticle(absl::string_view id) {
    Article a;
    a.id = std::string(id);
    a.title = absl::StrCat("Title ", id);
    a.paragraphs = {"Body."};
    return a;
  }

  std::filesystem::path dir_;
  FakeClock clock_{absl::FromUnixSeconds(1700000000)};
};

TEST_F(RocksDbArticleStoreTest, PutAssignsSequenceAndIngestTime) {
  auto store = Open();
  auto first = store->Put(MakeArticle("a1"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->already_existed);
  EXPECT_EQ(first->article.log_sequence, 1);
  EXPECT_EQ(first->article.ingest_time, absl::FromUnixSeconds(1700000000));
  auto second = store->Put(MakeArticle("a2"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->article.log_sequence, 2);
  EXPECT_EQ(store->HeadSequence(), 2);

  auto got = store->Get("a2");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->title, "Title a2");
  EXPECT_EQ(got->log_sequence, 2);
  EXPECT_THAT(store->Get("missing"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(RocksDbArticleStoreTest, SameIdIsStoredOnce) {
  auto store = Open();
  ASSERT_TRUE(store->Put(MakeArticle("dup")).ok());
  clock_.Advance(absl::Minutes(5));
  Article again = MakeArticle("dup");
  again.title = "a different parse of the same content";
  auto result = store->Put(again);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->already_existed);
  EXPECT_EQ(result->article.title, "Title dup");
  EXPECT_EQ(result->article.log_sequence, 1);
  EXPECT_EQ(result->article.ingest_time, absl::FromUnixSeconds(1700000000));
  EXPECT_EQ(store->HeadSequence(), 1);
}

TEST_F(RocksDbArticleStoreTest, PutAllStoresEveryArticleInOrderInOneCommit) {
  auto store = Open();
  ASSERT_TRUE(store->Put(MakeArticle("old")).ok());
  const int64_t commits = store->commit_count();
  std::vector<absl::StatusOr<PutResult>> results =
      store->PutAll({MakeArticle("b1"), MakeArticle("old"), MakeArticle("b2"), MakeArticle("b1")});
  ASSERT_EQ(results.size(), 4u);
  ASSERT_THAT(results[0], IsOk());
  EXPECT_EQ(results[0]->article.log_sequence, 2);
  EXPECT_FALSE(results[0]->already_existed);
  ASSERT_THAT(results[1], IsOk());  // stored before the group
  EXPECT_TRUE(results[1]->already_existed);
  EXPECT_EQ(results[1]->article.log_sequence, 1);
  ASSERT_THAT(results[2], IsOk());
  EXPECT_EQ(results[2]->article.log_sequence, 3);
  ASSERT_THAT(results[3], IsOk());  // twice in the group: stored once
  EXPECT_TRUE(results[3]->already_existed);
  EXPECT_EQ(results[3]->article.log_sequence, 2);
  EXPECT_EQ(store->HeadSequence(), 3);
  EXPECT_EQ(store->commit_count(), commits + 1);
  EXPECT_TRUE(store->PutAll({}).empty());
}

TEST_F(RocksDbArticleStoreTest, ReopenKeepsEverythingAndContinuesTheSequence) {
  {
    auto store = Open();
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(store->Put(MakeArticle(absl::StrCat("id", i))).ok());
  }
  auto store = Open();
  EXPECT_EQ(store->HeadSequence(), 10);
  auto result = store->Put(MakeArticle("id3"));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->already_existed);
  auto fresh = store->Put(MakeArticle("new"));
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->article.log_sequence, 11);
}

TEST_F(RocksDbArticleStoreTest, ReadFromReturnsEntriesInOrderWithoutGaps) {
  auto store = Open();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store->Put(MakeArticle(absl::StrCat("id", i))).ok());
  auto entries = store->ReadFrom(2, 2);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].sequence, 2);
  EXPECT_EQ((*entries)[0].article->log_sequence, 2);
  EXPECT_EQ((*entries)[1].article->id, "id2");
  auto rest = store->ReadFrom(4, 100);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->size(), 2u);
  EXPECT_TRUE(store->ReadFrom(6, 10)->empty());
  EXPECT_EQ(store->ReadFrom(0, 1)->front().sequence, 1);
}

TEST_F(RocksDbArticleStoreTest, AliasChangesTakeLogSequencesAndSurviveReopening) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Put(MakeArticle("first")).ok());
    AliasChange change;
    change.version = 1;
    change.kind = AliasChangeKind::kMerge;
    change.entity_id = "person-a-b";
    change.source_entity_id = "person-b";
    absl::StatusOr<int64_t> sequence = store->AppendAliasChange(change);
    ASSERT_TRUE(sequence.ok()) << sequence.status();
    EXPECT_EQ(*sequence, 2);
    ASSERT_TRUE(store->Put(MakeArticle("second")).ok());
  }
  auto store = Open();
  EXPECT_EQ(store->HeadSequence(), 3);
  auto entries = store->ReadFrom(1, 10);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_TRUE((*entries)[0].article.has_value());
  ASSERT_TRUE((*entries)[1].alias_change.has_value());
  EXPECT_FALSE((*entries)[1].article.has_value());
  EXPECT_EQ((*entries)[1].alias_change->source_entity_id, "person-b");
  EXPECT_EQ((*entries)[2].article->log_sequence, 3);
  EXPECT_TRUE(store->Get("second").ok());
  auto history = store->ReadAliasChanges(0);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().version, 1);
  EXPECT_EQ(history->front().entity_id, "person-a-b");
  AliasChange second;
  second.version = 2;
  second.kind = AliasChangeKind::kAddAlias;
  second.entity_id = "person-c";
  ASSERT_TRUE(store->AppendAliasChange(second).ok());
  auto after_first = store->ReadAliasChanges(1);
  ASSERT_TRUE(after_first.ok());
  ASSERT_EQ(after_first->size(), 1u);
  EXPECT_EQ(after_first->front().entity_id, "person-c");
  EXPECT_TRUE(store->ReadAliasChanges(2)->empty());
}

TEST_F(RocksDbArticleStoreTest, TopicUpdatesAreLogEntriesAndSurviveReopening) {
  const TopicUpdate update{"id1",
                           {ArticleTopic{"medtop:20001065", "football", 0.9, false},
                            ArticleTopic{"medtop:15000000", "sport", 0.9, true}},
                           "release-b"};
  {
    auto store = Open();
    ASSERT_TRUE(store->Put(MakeArticle("id0")).ok());
    ASSERT_TRUE(store->Put(MakeArticle("id1")).ok());
    absl::StatusOr<int64_t> sequence = store->UpdateTopics(update);
    ASSERT_TRUE(sequence.ok()) << sequence.status();
    EXPECT_EQ(*sequence, 3);
    EXPECT_EQ(store->HeadSequence(), 3);
    EXPECT_EQ(store->UpdateTopics(TopicUpdate{"nope", {}, "x"}).status().code(),
              absl::StatusCode::kNotFound);
    EXPECT_EQ(store->HeadSequence(), 3);
  }
  auto store = Open();
  EXPECT_EQ(store->HeadSequence(), 3);
  absl::StatusOr<Article> article = store->Get("id1");
  ASSERT_TRUE(article.ok());
  EXPECT_EQ(article->log_sequence, 2);
  EXPECT_EQ(article->topics, update.topics);
  EXPECT_EQ(article->taxonomy_version, "release-b");
  // Sending the same content again answers with the updated article.
  auto again = store->Put(MakeArticle("id1"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_existed);
  EXPECT_EQ(again->article.topics, update.topics);
  // The log keeps the article as first stored, then the update.
  auto entries = store->ReadFrom(2, 10);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_TRUE((*entries)[0].article->topics.empty());
  ASSERT_TRUE((*entries)[1].topic_update.has_value());
  EXPECT_EQ((*entries)[1].sequence, 3);
  EXPECT_EQ(*(*entries)[1].topic_update, update);
  EXPECT_EQ(store->Get("id0")->taxonomy_version, "");
}

TEST_F(RocksDbArticleStoreTest, ConcurrentPutsShareCommitsAndGetDistinctSequences) {
  auto store = Open();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> sequences(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every thread also sends one id the others send, to race duplicates.
        auto r = store->Put(MakeArticle(i == 0 ? std::string("shared")
                                               : absl::StrCat("t", t, "-", i)));
        ASSERT_TRUE(r.ok()) << r.status();
        if (!r->already_existed) sequences[t].push_back(r->article.log_sequence);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<int64_t> all;
  for (auto& s : sequences) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  const int64_t expected = kThreads * (kPerThread - 1) + 1;
  ASSERT_EQ(static_cast<int64_t>(all.size()), expected);
  for (int64_t i = 0; i < expected; ++i) EXPECT_EQ(all[i], i + 1);
  EXPECT_EQ(store->HeadSequence(), expected);
  // Group commit: fewer syncs than articles.
  EXPECT_LT(store->commit_count(), expected);
}

TEST_F(RocksDbArticleStoreTest, WaitForSequenceWakesOnCommitAndOnClose) {
  auto store = Open();
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(20));
    ASSERT_TRUE(store->Put(MakeArticle("late")).ok());
  });
  EXPECT_EQ(store->WaitForSequence(1, absl::Now() + absl::Seconds(10)), 1);
  writer.join();
  EXPECT_EQ(store->WaitForSequence(5, absl::Now() + absl::Milliseconds(10)), 1);
  std::thread closer([&] {
    absl::SleepFor(absl::Milliseconds(20));
    store->Close();
  });
  const absl::Time start = absl::Now();
  store->WaitForSequence(5, absl::Now() + absl::Seconds(30));
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  closer.join();
  EXPECT_TRUE(store->closed());
  EXPECT_THAT(store->Put(MakeArticle("after")), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(RocksDbArticleStoreTest, OpenFailsClearlyOnAnUnusablePath) {
  RocksDbArticleStoreOptions options;
  options.path = "/proc/newsdesk-cannot-create-here";
  EXPECT_THAT(RocksDbArticleStore::Open(options), StatusIs(absl::StatusCode::kUnavailable));
  options.path = "";
  EXPECT_THAT(RocksDbArticleStore::Open(options),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Corruption: every damaged byte is found at open or on read, and a damaged
// article is never returned as data.

TEST_F(RocksDbArticleStoreTest, DamagedTableFileFailsTheOpenWithDataLoss) {
  Fill(300, /*flush=*/true);
  const auto tables = testing::FilesNamed(dir_, ".sst");
  ASSERT_EQ(tables.size(), 1u);
  testing::FlipByte(tables[0], 0.3);
  absl::StatusOr<std::unique_ptr<RocksDbArticleStore>> store =
      RocksDbArticleStore::Open(Options());
  EXPECT_THAT(store, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(store.status().message(), ::testing::HasSubstr("corrupt"));
}

TEST_F(RocksDbArticleStoreTest, DamagedTableFileIsFoundOnReadWhenNotVerifiedAtOpen) {
  Fill(300, /*flush=*/true);
  testing::FlipByte(testing::FilesNamed(dir_, ".sst").at(0), 0.3);
  RocksDbArticleStoreOptions options = Options();
  options.verify_at_open = false;
  auto store = RocksDbArticleStore::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  // Reading the whole log meets the damaged block: DATA_LOSS, no articles.
  EXPECT_THAT((*store)->ReadFrom(1, 1000), StatusIs(absl::StatusCode::kDataLoss));
  int served = 0;
  int lost = 0;
  for (int i = 0; i < 300; ++i) {
    absl::StatusOr<Article> article = (*store)->Get(absl::StrCat("id", i));
    if (article.ok()) {
      EXPECT_EQ(article->title, absl::StrCat("Title id", i));
      ++served;
    } else {
      EXPECT_THAT(article, StatusIs(absl::StatusCode::kDataLoss));
      EXPECT_THAT(article.status().message(), ::testing::Not(::testing::HasSubstr(".sst")));
      ++lost;
    }
  }
  EXPECT_GT(lost, 0);
  EXPECT_GT(served, 0);
}

TEST_F(RocksDbArticleStoreTest, DamagedWriteAheadLogFailsTheOpen) {
  Fill(300, /*flush=*/false);
  const auto logs = testing::FilesNamed(dir_, ".log");
  ASSERT_FALSE(logs.empty());
  testing::FlipByte(logs.back(), 0.5);
  EXPECT_THAT(RocksDbArticleStore::Open(Options()), StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(RocksDbArticleStoreTest, DamagedManifestFailsTheOpen) {
  Fill(300, /*flush=*/true);
  const auto manifests = testing::FilesNamed(dir_, "MANIFEST-", /*prefix=*/true);
  ASSERT_EQ(manifests.size(), 1u);
  testing::FlipByte(manifests[0], 0.5);
  EXPECT_THAT(RocksDbArticleStore::Open(Options()), StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(RocksDbArticleStoreTest, WriteAheadLogCutShortLosesOnlyItsTailAndKeepsTheLogWhole) {
  // A log cut short looks like a crash while writing: the store opens with
  // the entries before the cut, without gaps, and continues after them.
  Fill(300, /*flush=*/false);
  testing::Truncate(testing::FilesNamed(dir_, ".log").back(), 0.5);
  auto store = Open();
  const int64_t head = store->HeadSequence();
  EXPECT_GT(head, 0);
  EXPECT_LT(head, 300);
  auto entries = store->ReadFrom(1, 1000);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_EQ(static_cast<int64_t>(entries->size()), head);
  auto next = store->Put(MakeArticle("after the cut"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->article.log_sequence, head + 1);
}

// Disk full and I/O errors: the failed batch is not written, the caller
// gets RESOURCE_EXHAUSTED or UNAVAILABLE, reads go on, and as soon as the
// disk takes writes again the log continues without a gap.

class FailingDiskTest : public RocksDbArticleStoreTest,
                        public ::testing::WithParamInterface<bool> {};

TEST_P(FailingDiskTest, FailedWritesAreRefusedCleanlyAndTheStoreRecovers) {
  const bool no_space = GetParam();
  auto fs = std::make_shared<testing::FailingWritesFileSystem>(
      no_space ? rocksdb::IOStatus::NoSpace("injected") : rocksdb::IOStatus::IOError("injected"));
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  RocksDbArticleStoreOptions options = Options();
  options.env = env.get();
  const absl::StatusCode expected =
      no_space ? absl::StatusCode::kResourceExhausted : absl::StatusCode::kUnavailable;
  {
    auto store = RocksDbArticleStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Put(MakeArticle("before")).ok());

    fs->set_fail(true);
    for (int i = 0; i < 3; ++i) {
      absl::StatusOr<PutResult> failed = (*store)->Put(MakeArticle(absl::StrCat("during", i)));
      EXPECT_THAT(failed, StatusIs(expected));
      EXPECT_THAT(failed.status().message(), ::testing::Not(::testing::HasSubstr(dir_.string())));
    }
    EXPECT_EQ((*store)->HeadSequence(), 1);
    EXPECT_THAT((*store)->Get("during0"), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_TRUE((*store)->Get("before").ok());  // reads go on

    fs->set_fail(false);
    absl::StatusOr<PutResult> after = (*store)->Put(MakeArticle("during0"));
    ASSERT_TRUE(after.ok()) << after.status();
    EXPECT_FALSE(after->already_existed);
    EXPECT_EQ(after->article.log_sequence, 2);
  }
  // Opened again, the log is whole.
  auto store = Open();
  ASSERT_TRUE(store->Put(MakeArticle("after")).ok());
  EXPECT_EQ(store->HeadSequence(), 3);
  auto entries = store->ReadFrom(1, 10);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].article->id, "before");
  EXPECT_EQ((*entries)[1].article->id, "during0");
  EXPECT_EQ((*entries)[2].article->id, "after");
  EXPECT_THAT(store->Get("during1"), StatusIs(absl::StatusCode::kNotFound));
}

INSTANTIATE_TEST_SUITE_P(NoSpaceOrIoError, FailingDiskTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "NoSpace" : "IoError";
                         });

TEST_F(RocksDbArticleStoreTest, CheckpointWhileWritingHoldsEverythingAcknowledgedBefore) {
  auto store = Open();
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(store->Put(MakeArticle(absl::StrCat("id", i))).ok());
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 50; !stop.load(); ++i) {
      ASSERT_TRUE(store->Put(MakeArticle(absl::StrCat("id", i))).ok());
    }
  });
  absl::SleepFor(absl::Milliseconds(20));
  const std::string copy = dir_.string() + "-copy";
  std::filesystem::remove_all(copy);
  const int64_t acknowledged = store->HeadSequence();
  absl::StatusOr<CheckpointInfo> info = store->CreateCheckpoint(copy);
  stop = true;
  writer.join();
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_GE(info->head_sequence, acknowledged);
  EXPECT_GT(info->size_bytes, 0);
  EXPECT_THAT(store->CreateCheckpoint(copy), StatusIs(absl::StatusCode::kUnavailable));
  store.reset();

  RocksDbArticleStoreOptions options = Options();
  options.path = copy;
  auto restored = RocksDbArticleStore::Open(options);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ((*restored)->HeadSequence(), info->head_sequence);
  auto entries = (*restored)->ReadFrom(1, 1 << 20);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(static_cast<int64_t>(entries->size()), info->head_sequence);
  for (int64_t i = 0; i < info->head_sequence; ++i) {
    EXPECT_EQ((*entries)[i].article->id, absl::StrCat("id", i));
  }
  restored->reset();
  std::filesystem::remove_all(copy);
}

}  // namespace
}  // namespace newsdesk::ingest
