#include "query_service/follower/log_follower.h"

#include <atomic>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

std::string LowerKey(absl::string_view s) { return absl::AsciiStrToLower(s); }

// Serves a fixed log in batches of two, then ends the stream as a broken
// connection would, so the follower has to reconnect.
class FakeLogClient : public ArticleLogClient {
 public:
  explicit FakeLogClient(int64_t size) {
    for (int64_t s = 1; s <= size; ++s) {
      Article a;
      a.id = absl::StrCat("id", s);
      a.log_sequence = s;
      log_.push_back(LogEntry{s, a, std::nullopt});
    }
  }

  absl::Status Follow(int64_t start, const BatchHandler& handler) override {
    starts_.push_back(start);
    const int64_t head = static_cast<int64_t>(log_.size());
    for (int64_t s = start; s <= head; s += 2) {
      std::vector<LogEntry> batch;
      for (int64_t k = s; k <= std::min(head, s + 1); ++k) batch.push_back(log_[k - 1]);
      // Replay one old entry now and then: the follower must ignore it.
      if (s > 1) batch.insert(batch.begin(), log_[s - 2]);
      absl::Status status = handler(std::move(batch), head);
      if (!status.ok()) return status;
      if (break_after_first_batch_ && s == start) {
        break_after_first_batch_ = false;
        return absl::UnavailableError("connection reset");
      }
    }
    if (start > head) {
      absl::Status status = handler({}, head);  // heartbeat
      if (!status.ok()) return status;
    }
    absl::SleepFor(absl::Milliseconds(5));
    return cancelled_ ? absl::CancelledError("cancelled") : absl::UnavailableError("idle");
  }
  void Cancel() override { cancelled_ = true; }

  std::vector<LogEntry> log_;
  std::vector<int64_t> starts_;
  bool break_after_first_batch_ = true;
  std::atomic<bool> cancelled_{false};
};

// Passes another client's batches on and reports how many it has passed.
class BatchCountingClient : public ArticleLogClient {
 public:
  BatchCountingClient(ArticleLogClient* client, std::function<void(int)> passed)
      : client_(client), passed_(std::move(passed)) {}
  absl::Status Follow(int64_t start, const BatchHandler& handler) override {
    return client_->Follow(start, [&](std::vector<LogEntry> entries, int64_t head) {
      absl::Status status = handler(std::move(entries), head);
      passed_(++batches_);
      return status;
    });
  }
  void Cancel() override { client_->Cancel(); }

 private:
  ArticleLogClient* const client_;
  std::function<void(int)> passed_;
  int batches_ = 0;
};

class LogFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("follower_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    taxonomy_ = *Taxonomy::LoadFromString("h\nmedtop:1\t\t1\t0\tx\t\n", "t");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static bool WaitFor(const std::function<bool()>& done) {
    for (int i = 0; i < 1000 && !done(); ++i) absl::SleepFor(absl::Milliseconds(5));
    return done();
  }

  std::filesystem::path dir_;
  std::unique_ptr<Taxonomy> taxonomy_;
  LogFollowerOptions options_{absl::Milliseconds(1), absl::Milliseconds(10)};
};

TEST_F(LogFollowerTest, CatchesUpAcrossBrokenStreamsAndAppliesEachEntryOnce) {
  FakeLogClient client(7);
  auto replica = *ReplicaStore::Open(dir_.string());
  ArticleIndex index(taxonomy_.get(), &LowerKey);
  std::atomic<int> ready_calls{0};
  std::vector<int64_t> applied;  // written by the follower thread only
  LogFollower follower(options_, &client, replica.get(), &index, [&] { ++ready_calls; },
                       [&](const std::shared_ptr<const Article>& article) {
                         applied.push_back(article->log_sequence);
                       });
  EXPECT_FALSE(follower.caught_up());
  follower.Start();
  ASSERT_TRUE(WaitFor([&] { return follower.caught_up(); }));
  follower.Stop();
  EXPECT_EQ(index.head(), 7);
  EXPECT_EQ(replica->head(), 7);
  EXPECT_EQ(ready_calls.load(), 1);
  ASSERT_GE(client.starts_.size(), 2u);
  EXPECT_EQ(client.starts_[0], 1);
  EXPECT_EQ(client.starts_[1], 3);  // resumed after the two entries applied
  // Each newly applied entry was passed on once, in order; replays were not.
  EXPECT_EQ(applied, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
}

// Before the log reports its head, a noted position stands for it (the
// replica's last entry while it loads); the log's report raises it.
TEST_F(LogFollowerTest, ANotedLogHeadStandsUntilTheLogReportsAHigherOne) {
  FakeLogClient client(7);
  auto replica = *ReplicaStore::Open(dir_.string());
  ArticleIndex index(taxonomy_.get(), &LowerKey);
  LogFollower follower(options_, &client, replica.get(), &index, nullptr, nullptr);
  EXPECT_EQ(follower.log_head(), 0);
  follower.NoteLogHead(4);
  follower.NoteLogHead(2);
  EXPECT_EQ(follower.log_head(), 4);
  follower.Start();
  ASSERT_TRUE(WaitFor([&] { return follower.caught_up(); }));
  follower.Stop();
  EXPECT_EQ(follower.log_head(), 7);
}

TEST_F(LogFollowerTest, RestartResumesFromTheReplica) {
  {
    FakeLogClient client(4);
    auto replica = *ReplicaStore::Open(dir_.string());
    ArticleIndex index(taxonomy_.get(), &LowerKey);
    LogFollower follower(options_, &client, replica.get(), &index, nullptr);
    follower.Start();
    ASSERT_TRUE(WaitFor([&] { return follower.caught_up(); }));
  }
  FakeLogClient client(6);
  client.break_after_first_batch_ = false;
  auto replica = *ReplicaStore::Open(dir_.string());
  ArticleIndex index(taxonomy_.get(), &LowerKey);
  ASSERT_TRUE(replica->ForEach([&index](LogEntry e) { return index.Apply(std::move(e)); }).ok());
  EXPECT_EQ(index.head(), 4);
  LogFollower follower(options_, &client, replica.get(), &index, nullptr);
  follower.Start();
  ASSERT_TRUE(WaitFor([&] { return follower.caught_up(); }));
  follower.Stop();
  EXPECT_EQ(client.starts_.front(), 5);
  EXPECT_EQ(index.head(), 6);
}

TEST_F(LogFollowerTest, ALogBehindTheReplicaIsReportedAndNotFollowed) {
  {
    FakeLogClient client(6);
    auto replica = *ReplicaStore::Open(dir_.string());
    ArticleIndex index(taxonomy_.get(), &LowerKey);
    LogFollower follower(options_, &client, replica.get(), &index, nullptr);
    follower.Start();
    ASSERT_TRUE(WaitFor([&] { return follower.caught_up(); }));
  }
  // The ingest store was restored from a backup holding four entries.
  FakeLogClient restored(4);
  restored.break_after_first_batch_ = false;
  auto replica = *ReplicaStore::Open(dir_.string());
  ArticleIndex index(taxonomy_.get(), &LowerKey);
  ASSERT_TRUE(replica->ForEach([&index](LogEntry e) { return index.Apply(std::move(e)); }).ok());
  std::atomic<int> diverged_calls{0};
  LogFollower follower(options_, &restored, replica.get(), &index, nullptr,
                       /*on_applied=*/nullptr, [&] { ++diverged_calls; });
  follower.Start();
  ASSERT_TRUE(WaitFor([&] { return follower.diverged(); }));
  absl::SleepFor(absl::Milliseconds(50));
  follower.Stop();
  EXPECT_EQ(diverged_calls.load(), 1);
  EXPECT_FALSE(follower.caught_up());
  EXPECT_EQ(restored.starts_.size(), 1u);  // no retries
  EXPECT_EQ(index.head(), 6);
}

TEST_F(LogFollowerTest, AppliesTopicUpdatesOnceAcrossRestarts) {
  // Articles 1 to 4, then a topic update of id2 at 5 and one of id9 (which
  // the log does not hold) at 6.
  FakeLogClient client(4);
  client.break_after_first_batch_ = false;
  const TopicUpdate update{"id2", {ArticleTopic{"medtop:1", "x", 0.7, false}}, "release-b"};
  client.log_.push_back(LogEntry{5, std::nullopt, std::nullopt, update});
  client.log_.push_back(
      LogEntry{6, std::nullopt, std::nullopt, TopicUpdate{"id9", {}, "release-b"}});
  {
    auto replica = *ReplicaStore::Open(dir_.string());
    ArticleIndex index(taxonomy_.get(), &LowerKey);
    LogFollower follower(options_, &client, replica.get(), &index, nullptr);
    follower.Start();
    ASSERT_TRUE(WaitFor([&] { return follower.caught_up(); }));
    follower.Stop();
    EXPECT_EQ(index.head(), 6);
    EXPECT_EQ(index.sizes().articles, 4);
    EXPECT_EQ(index.Get("id2").value()->topics, update.topics);
    EXPECT_EQ(index.Get("id2").value()->taxonomy_version, "release-b");
    EXPECT_EQ(index.Get("id2").value()->log_sequence, 2);
  }
  // A restart rebuilds the same index from the replica and asks for nothing
  // it holds.
  auto replica = *ReplicaStore::Open(dir_.string());
  ArticleIndex index(taxonomy_.get(), &LowerKey);
  ASSERT_TRUE(replica->ForEach([&index](LogEntry e) { return index.Apply(std::move(e)); }).ok());
  EXPECT_EQ(index.head(), 6);
  EXPECT_EQ(index.Get("id2").value()->topics, update.topics);
  client.starts_.clear();
  LogFollower follower(options_, &client, replica.get(), &index, nullptr);
  follower.Start();
  ASSERT_TRUE(WaitFor([&] { return follower.caught_up(); }));
  follower.Stop();
  EXPECT_EQ(client.starts_.front(), 7);
}

// The index's article store, which can fail the write of one article once
// and hold the write of another until told to go on.
class ControlledStore final : public IndexedArticleStore {
 public:
  absl::Status Put(absl::Span<const Article* const> articles, bool as_logged) override {
    for (const Article* article : articles) {
      int64_t sequence = article->log_sequence;
      if (fail_once_at.compare_exchange_strong(sequence, 0)) {
        return absl::UnavailableError("the disk is gone");
      }
      if (article->log_sequence == hold_at) {
        absl::MutexLock lock(&mu_);
        auto released = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return released_; };
        held_ = mu_.AwaitWithTimeout(absl::Condition(&released), absl::Seconds(5));
      }
    }
    return store_.Put(articles, as_logged);
  }
  absl::StatusOr<std::vector<Article>> Get(
      absl::Span<const int64_t> sequences) const override {
    return store_.Get(sequences);
  }
  absl::StatusOr<EncodedArticles> GetEncoded(
      absl::Span<const int64_t> sequences) const override {
    return store_.GetEncoded(sequences);
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    released_ = true;
  }
  // Whether the held write was released (not timed out).
  bool held() {
    absl::MutexLock lock(&mu_);
    return held_;
  }

  std::atomic<int64_t> fail_once_at{0};
  int64_t hold_at = 0;

 private:
  InMemoryIndexedArticleStore store_;
  absl::Mutex mu_;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
  bool held_ ABSL_GUARDED_BY(mu_) = false;
};

// While one batch is applied the stream goes on: the batch after it is
// received (and handed over) before the first finishes.
TEST_F(LogFollowerTest, ReceivesTheNextBatchWhileApplyingOne) {
  FakeLogClient client(6);
  client.break_after_first_batch_ = false;
  ControlledStore store;
  store.hold_at = 1;
  auto replica = *ReplicaStore::Open(dir_.string());
  ArticleIndex index(taxonomy_.get(), &LowerKey, nullptr, nullptr, &store);
  std::vector<int64_t> applied;  // written by the applying thread only
  BatchCountingClient counting(&client, [&store](int batches) {
    if (batches == 2) store.Release();  // the second batch came while the first waits
  });
  LogFollower follower(options_, &counting, replica.get(), &index, nullptr,
                       [&](const std::shared_ptr<const Article>& article) {
                         applied.push_back(article->log_sequence);
                       });
  follower.Start();
  ASSERT_TRUE(WaitFor([&] { return follower.caught_up(); }));
  follower.Stop();
  EXPECT_TRUE(store.held());
  EXPECT_EQ(index.head(), 6);
  EXPECT_EQ(applied, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
}

// A batch that fails to apply ends the stream; the batches received after it
// are dropped, and the next stream starts after the last entry the index
// applied (the replica may hold more: it is appended to first). Each entry
// is applied once, in order.
TEST_F(LogFollowerTest, AFailedBatchIsFetchedAgainAndEachEntryAppliedOnce) {
  FakeLogClient client(7);
  client.break_after_first_batch_ = false;
  ControlledStore store;
  store.fail_once_at = 3;
  auto replica = *ReplicaStore::Open(dir_.string());
  ArticleIndex index(taxonomy_.get(), &LowerKey, nullptr, nullptr, &store);
  std::vector<int64_t> applied;
  LogFollower follower(options_, &client, replica.get(), &index, nullptr,
                       [&](const std::shared_ptr<const Article>& article) {
                         applied.push_back(article->log_sequence);
                       });
  follower.Start();
  ASSERT_TRUE(WaitFor([&] { return follower.caught_up(); }));
  follower.Stop();
  EXPECT_EQ(index.head(), 7);
  EXPECT_EQ(replica->head(), 7);
  ASSERT_GE(client.starts_.size(), 2u);
  EXPECT_EQ(client.starts_[0], 1);
  EXPECT_EQ(client.starts_[1], 3);
  EXPECT_EQ(applied, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
}

}  // namespace
}  // namespace newsdesk::query
