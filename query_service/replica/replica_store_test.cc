#include "query_service/replica/replica_store.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/model/article_convert.h"
#include "common/model/log_entry_convert.h"
#include "common/storage/sequence_key.h"
#include "common/testing/file_damage.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "query_service/index/article_index.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;
using ::testing::ElementsAre;

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

StoredArticle Stored(absl::string_view bytes, int64_t sequence) {
  StoredArticle stored;
  stored.bytes = bytes;
  stored.log_sequence = sequence;
  return stored;
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

// Reads from table files go through a block cache of the size asked for;
// a size that is not positive is refused.
TEST_F(ReplicaStoreTest, ReadsThroughABlockCacheOfTheSizeAskedFor) {
  FillAndFlush(dir_.string(), 300);
  ReplicaStoreOptions options;
  options.block_cache_bytes = 0;
  EXPECT_THAT(ReplicaStore::Open(dir_.string(), options),
              StatusIs(absl::StatusCode::kInvalidArgument));
  options.block_cache_bytes = 64 << 10;
  auto replica = ReplicaStore::Open(dir_.string(), options);
  ASSERT_TRUE(replica.ok()) << replica.status();
  std::vector<int64_t> all;
  for (int64_t i = 1; i <= 300; ++i) all.push_back(i);
  absl::StatusOr<EncodedArticles> read = (*replica)->GetEncoded(all);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 300u);
  EXPECT_EQ((*read)[299], EncodeLogValue(Entry(300)));
  EXPECT_GT((*replica)->BlockCacheBytes(), 0);
  EXPECT_LE((*replica)->BlockCacheBytes(), 64 << 10);
  EXPECT_LE((*replica)->BlockCacheBytes(), (*replica)->MemoryBytes());
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

// Overwrites entry `sequence` of the closed replica at `path` with bytes
// that are no log entry (its checksums stay sound).
void DamageEntry(const std::string& path, int64_t sequence) {
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), path, &db).ok());
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), LogKey(sequence), "\xff\xff not an article").ok());
  delete db;
}

TEST_F(ReplicaStoreTest, AnUndecodableEntryIsDataLossWhenRead) {
  FillAndFlush(dir_.string(), 3);
  DamageEntry(dir_.string(), 2);
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

TEST_F(ReplicaStoreTest, TruncatingDropsTheEntriesAfterASequenceForGood) {
  FillAndFlush(dir_.string(), 3);
  DamageEntry(dir_.string(), 2);
  {
    auto replica = ReplicaStore::Open(dir_.string());
    ASSERT_TRUE(replica.ok());
    EXPECT_THAT((*replica)->TruncateAfter(4), StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT((*replica)->TruncateAfter(-1), StatusIs(absl::StatusCode::kInvalidArgument));
    ASSERT_THAT((*replica)->TruncateAfter(1), IsOk());
    EXPECT_EQ((*replica)->head(), 1);
    // The dropped entries come again from the log.
    EXPECT_THAT((*replica)->Append({Entry(2), Entry(3)}), IsOk());
    EXPECT_EQ((*replica)->head(), 3);
    ASSERT_THAT((*replica)->TruncateAfter(2), IsOk());
  }
  auto replica = ReplicaStore::Open(dir_.string());
  ASSERT_TRUE(replica.ok());
  EXPECT_EQ((*replica)->head(), 2);
  std::vector<std::string> titles;
  EXPECT_THAT((*replica)->ForEach([&titles](LogEntry entry) {
    titles.push_back(entry.article->title);
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_THAT(titles, ElementsAre("Title 1", "Title 2"));
}

// As the index's IndexedArticleStore: an article kept as logged is read from its
// log entry, a changed one from its own key until it is kept as logged again
// or the replica is opened again (the index derives it again then).
TEST_F(ReplicaStoreTest, ReadsArticlesFromTheLogOrAsChanged) {
  {
    auto replica = ReplicaStore::Open(dir_.string());
    ASSERT_TRUE(replica.ok());
    ASSERT_THAT((*replica)->Append({Entry(1), Entry(2), Update(3, "id1")}), IsOk());
    Article second = *Entry(2).article;
    const Article* const logged[] = {&second};
    ASSERT_THAT((*replica)->Put(logged, /*as_logged=*/true), IsOk());
    const int64_t both[] = {2, 1};
    absl::StatusOr<std::vector<Article>> read = (*replica)->Get(both);
    ASSERT_TRUE(read.ok()) << read.status();
    ASSERT_EQ(read->size(), 2u);
    EXPECT_EQ((*read)[0].title, "Title 2");
    EXPECT_EQ((*read)[0].log_sequence, 2);
    EXPECT_EQ((*read)[1].id, "id1");

    second.title = "Changed";
    ASSERT_THAT((*replica)->Put(logged, /*as_logged=*/false), IsOk());
    const int64_t two[] = {2};
    EXPECT_EQ((*replica)->Get(two)->at(0).title, "Changed");
    Article unchanged = *Entry(2).article;
    const Article* const again[] = {&unchanged};
    ASSERT_THAT((*replica)->Put(again, /*as_logged=*/true), IsOk());
    EXPECT_EQ((*replica)->Get(two)->at(0).title, "Title 2");
    ASSERT_THAT((*replica)->Put(logged, /*as_logged=*/false), IsOk());
    EXPECT_EQ((*replica)->Get(two)->at(0).title, "Changed");

    const int64_t missing[] = {1, 9};
    EXPECT_THAT((*replica)->Get(missing).status(), StatusIs(absl::StatusCode::kDataLoss));
    const int64_t update[] = {3};  // a topic update is no article
    EXPECT_THAT((*replica)->Get(update).status(), StatusIs(absl::StatusCode::kDataLoss));
  }
  auto reopened = ReplicaStore::Open(dir_.string());
  ASSERT_TRUE(reopened.ok());
  const int64_t two[] = {2};
  EXPECT_EQ((*reopened)->Get(two)->at(0).title, "Title 2");
}

// Pages read articles undecoded: the bytes are the article Get decodes
// (its log entry, or its own key once changed), and decode into the
// message with the index's links; a value that is no article is DATA_LOSS
// when decoded.
TEST_F(ReplicaStoreTest, ReadsArticlesUndecodedAsGetReadsThem) {
  auto replica = ReplicaStore::Open(dir_.string());
  ASSERT_TRUE(replica.ok());
  ASSERT_THAT((*replica)->Append({Entry(1), Entry(2), Update(3, "id1")}), IsOk());
  Article second = *Entry(2).article;
  second.title = "Changed";
  const Article* const changed[] = {&second};
  ASSERT_THAT((*replica)->Put(changed, /*as_logged=*/false), IsOk());

  const int64_t both[] = {2, 1};
  absl::StatusOr<EncodedArticles> bytes = (*replica)->GetEncoded(both);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  ASSERT_EQ(bytes->size(), 2u);
  absl::StatusOr<std::vector<Article>> read = (*replica)->Get(both);
  ASSERT_TRUE(read.ok()) << read.status();
  for (size_t i = 0; i < 2; ++i) {
    StoredArticle stored;
    stored.bytes = (*bytes)[i];
    stored.log_sequence = both[i];
    stored.story_id = "story-1";
    stored.copy_of = "id0";
    stored.copy_similarity = 0.5;
    v1::Article proto;
    ASSERT_THAT(DecodeStoredArticle(stored, &proto), IsOk());
    Article expected = (*read)[i];
    expected.story_id = "story-1";
    expected.copy_of = "id0";
    expected.copy_similarity = 0.5;
    v1::Article expected_proto;
    ToProto(expected, &expected_proto);
    EXPECT_EQ(proto.SerializeAsString(), expected_proto.SerializeAsString()) << both[i];
    absl::StatusOr<Article> part = DecodeStoredArticle(stored, ArticleParts());
    ASSERT_TRUE(part.ok()) << part.status();
    EXPECT_EQ(part->title, expected.title);
    EXPECT_EQ(part->story_id, "story-1");
  }
  EXPECT_EQ(DecodeStoredArticle(Stored((*bytes)[0], 2), ArticleParts())->title,
            "Changed");

  // Read at another sequence, or not an article: damaged.
  EXPECT_THAT(DecodeStoredArticle(Stored((*bytes)[0], 5), ArticleParts()).status(),
              StatusIs(absl::StatusCode::kDataLoss));
  const int64_t update[] = {3};
  absl::StatusOr<EncodedArticles> not_article = (*replica)->GetEncoded(update);
  ASSERT_TRUE(not_article.ok());
  v1::Article proto;
  EXPECT_THAT(DecodeStoredArticle(Stored((*not_article)[0], 3), &proto),
              StatusIs(absl::StatusCode::kDataLoss));
  const int64_t missing[] = {1, 9};
  EXPECT_THAT((*replica)->GetEncoded(missing).status(), StatusIs(absl::StatusCode::kDataLoss));
}

// An entry that came with its bytes (as received from the log) is stored as
// those bytes, not encoded again.
TEST_F(ReplicaStoreTest, KeepsTheBytesAnEntryCameWith) {
  auto replica = ReplicaStore::Open(dir_.string());
  ASSERT_TRUE(replica.ok());
  LogEntry first = Entry(1);
  Article as_sent = *first.article;
  as_sent.title = "As sent";
  first.encoded = EncodeLogValue(LogEntry{1, as_sent, std::nullopt, std::nullopt});
  ASSERT_THAT((*replica)->Append({first, Entry(2)}), IsOk());
  const int64_t both[] = {1, 2};
  absl::StatusOr<std::vector<Article>> read = (*replica)->Get(both);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ((*read)[0].title, "As sent");
  EXPECT_EQ((*read)[1].title, "Title 2");
}

// The index over the replica returns articles as indexed: re-linked by an
// alias change, re-classified by a topic update, with their derived links;
// an index rebuilt from the replica after a restart returns the same.
TEST_F(ReplicaStoreTest, AnIndexOverTheReplicaReturnsArticlesAsIndexedAcrossRestarts) {
  const std::unique_ptr<Taxonomy> taxonomy = *Taxonomy::LoadFromString(
      "qcode\tparent\tlevel\tretired\tlabel\tdef\n"
      "medtop:15000000\t\t1\t0\tsport\t\n",
      "test");
  auto name_key = [](absl::string_view s) { return std::string(s); };
  std::vector<LogEntry> log;
  for (int64_t seq = 1; seq <= 3; ++seq) {
    LogEntry entry = Entry(seq);
    entry.article->paragraphs = {absl::StrCat("Body ", seq, " by B.")};
    entry.article->entities.push_back(
        ArticleEntity{"person-b", "B", EntityType::kPerson, 1, {"B"}, true});
    log.push_back(std::move(entry));
  }
  log.push_back(Change(4, 1));  // person-b merged into person-a-b
  log.push_back(Update(5, "id2"));
  auto describe = [](const Article& a) {
    std::string out = absl::StrCat(a.id, " ", a.log_sequence, " ", a.taxonomy_version);
    for (const ArticleEntity& e : a.entities) absl::StrAppend(&out, " ", e.id);
    for (const ArticleTopic& t : a.topics) absl::StrAppend(&out, " ", t.code);
    return out;
  };
  std::vector<std::string> before_restart;
  {
    auto replica = ReplicaStore::Open(dir_.string());
    ASSERT_TRUE(replica.ok());
    ArticleIndex index(taxonomy.get(), name_key, nullptr, nullptr, replica->get());
    ASSERT_THAT((*replica)->Append(log), IsOk());
    for (const LogEntry& entry : log) ASSERT_THAT(index.Apply(entry), IsOk());
    absl::StatusOr<std::shared_ptr<const Article>> second = index.Get("id2");
    ASSERT_TRUE(second.ok()) << second.status();
    EXPECT_EQ(describe(**second), "id2 2 release-b person-a-b medtop:15000000");
    IndexQuery merged;
    merged.entity_groups = {{"person-a-b"}};
    absl::StatusOr<SearchPage> page = index.Search(merged, nullptr, 10, 0);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const Hit& hit : page->hits) before_restart.push_back(describe(DecodeStoredArticle(hit.stored, ArticleParts()).value()));
    EXPECT_THAT(before_restart, ElementsAre("id3 3  person-a-b",
                                            "id2 2 release-b person-a-b medtop:15000000",
                                            "id1 1  person-a-b"));
  }
  auto replica = ReplicaStore::Open(dir_.string());
  ASSERT_TRUE(replica.ok());
  ArticleIndex index(taxonomy.get(), name_key, nullptr, nullptr, replica->get());
  ASSERT_THAT(
      (*replica)->ForEach([&index](LogEntry entry) { return index.Apply(entry); }),
      IsOk());
  EXPECT_EQ(index.head(), 5);
  IndexQuery merged;
  merged.entity_groups = {{"person-a-b"}};
  std::vector<std::string> after_restart;
  const SearchPage page = index.Search(merged, nullptr, 10, 0).value();
  for (const Hit& hit : page.hits) {
    after_restart.push_back(describe(DecodeStoredArticle(hit.stored, ArticleParts()).value()));
  }
  EXPECT_EQ(after_restart, before_restart);
  IndexQuery old_id;
  old_id.entity_groups = {{"person-b"}};
  EXPECT_EQ(index.Search(old_id, nullptr, 10, 0)->total_size, 0);
}

}  // namespace
}  // namespace newsdesk::query
