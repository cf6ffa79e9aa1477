#include "query_service/replica/replica_store.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/storage/sequence_key.h"
#include "common/testing/file_damage.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;

LogEntry Entry(int64_t sequence) {
  Article a;
  a.id = absl::StrCat("id", sequence);
  a.title = absl::StrCat("Title ", sequence);
  a.log_sequence = sequence;
  return LogEntry{sequence, a, std::nullopt, std::nullopt};
}

LogEntry Change(int64_t sequence, int64_t version) {
  LogEntry entry;
  entry.sequence = sequence;
  entry.alias_change.emplace();
  entry.alias_change->version = version;
  entry.alias_change->kind = AliasChangeKind::kMerge;
  entry.alias_change->entity_id = "person-a-b";
  entry.alias_change->source_entity_id = "person-b";
  return entry;
}

LogEntry Update(int64_t sequence, std::string article_id) {
  return LogEntry{sequence, std::nullopt, std::nullopt,
                  TopicUpdate{std::move(article_id),
                              {ArticleTopic{"medtop:15000000", "sport", 0.5, false}},
                              "release-b"}};
}

class ReplicaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("replica_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ReplicaStoreTest, AppendsInOrderSkipsRepeatsAndRejectsGaps) {
  auto replica = ReplicaStore::Open(dir_.string());
  ASSERT_TRUE(replica.ok());
  EXPECT_EQ((*replica)->head(), 0);
  EXPECT_THAT((*replica)->Append({Entry(1), Entry(2)}), IsOk());
  EXPECT_THAT((*replica)->Append({Entry(2), Entry(3)}), IsOk());  // 2 again: skipped
  EXPECT_EQ((*replica)->head(), 3);
  EXPECT_THAT((*replica)->Append({Entry(5)}), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ((*replica)->head(), 3);
}

TEST_F(ReplicaStoreTest, ReopenReplaysEverythingInOrder) {
  {
    auto replica = ReplicaStore::Open(dir_.string());
    ASSERT_TRUE(replica.ok());
    ASSERT_THAT((*replica)->Append({Entry(1), Change(2, 1), Entry(3), Update(4, "id1")}),
                IsOk());
  }
  auto replica = ReplicaStore::Open(dir_.string());
  ASSERT_TRUE(replica.ok());
  EXPECT_EQ((*replica)->head(), 4);
  std::vector<int64_t> seen;
  std::vector<std::string> changed;
  EXPECT_THAT((*replica)->ForEach([&](LogEntry e) {
    seen.push_back(e.sequence);
    if (e.sequence == 1 || e.sequence == 3) {
      EXPECT_TRUE(e.article.has_value());
      EXPECT_EQ(e.article->log_sequence, e.sequence);
    } else if (e.sequence == 2) {
      EXPECT_FALSE(e.article.has_value());
      if (e.alias_change) changed.push_back(e.alias_change->source_entity_id);
    } else {
      EXPECT_FALSE(e.article.has_value());
      EXPECT_TRUE(e.topic_update == Update(4, "id1").topic_update);
    }
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(changed, (std::vector<std::string>{"person-b"}));
}

// Fills a replica with entries 1..count in a table file, then closes it.
void FillAndFlush(const std::string& path, int count) {
  {
    auto replica = ReplicaStore::Open(path);
    ASSERT_TRUE(replica.ok());
    std::vector<LogEntry> entries;
    for (int i = 1; i <= count; ++i) entries.push_back(Entry(i));
    ASSERT_THAT((*replica)->Append(entries), IsOk());
  }
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), path, &db).ok());
  ASSERT_TRUE(db->Flush(rocksdb::FlushOptions()).ok());
  delete db;
}

TEST_F(ReplicaStoreTest, ADamagedReplicaIsDataLossOrRebuiltEmpty) {
  FillAndFlush(dir_.string(), 300);
  testing::FlipByte(testing::FilesNamed(dir_, ".sst").at(0), 0.3);
  ReplicaStoreOptions keep;
  keep.rebuild_if_corrupt = false;
  EXPECT_THAT(ReplicaStore::Open(dir_.string(), keep), StatusIs(absl::StatusCode::kDataLoss));

  auto rebuilt = ReplicaStore::Open(dir_.string());
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ((*rebuilt)->head(), 0);
  EXPECT_THAT((*rebuilt)->Append({Entry(1)}), IsOk());
}

TEST_F(ReplicaStoreTest, AnUndecodableEntryIsDataLossWhenRead) {
  FillAndFlush(dir_.string(), 3);
  {
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir_.string(), &db).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), LogKey(2), "\xff\xff not an article").ok());
    delete db;
  }
  auto replica = ReplicaStore::Open(dir_.string());
  ASSERT_TRUE(replica.ok());
  int visited = 0;
  EXPECT_THAT((*replica)->ForEach([&visited](LogEntry) {
    ++visited;
    return absl::OkStatus();
  }),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(visited, 1);
}

}  // namespace
}  // namespace newsdesk::query
