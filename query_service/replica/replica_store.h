// The query service's local copy of the article log in RocksDB, so that a
// restart rebuilds the indexes from disk and resumes following the log after
// the last entry it holds instead of replaying everything. Entries are
// appended in log order, each batch atomically; losing an unsynced tail on a
// crash is harmless because the missing entries are fetched again.
//
// The copy is checked when opened (checksums of every file, see
// common/storage/rocksdb_store.h). A damaged copy is DATA_LOSS, or, with
// rebuild_if_corrupt, deleted with an ERROR log line and started afresh: the
// follower then fetches the whole log again. An entry found damaged later,
// as it is read, is cut off with the ones after it (TruncateAfter) by the
// query server, which fetches them again.
//
// It is also the index's IndexedArticleStore: an article the index holds as the log
// has it is read from its log entry; one the index changed (re-linked,
// re-classified) is kept under a key of its own ("i/" + sequence), written
// without the write-ahead log. The index derives those again from the log
// at every start, so Open drops them.
#ifndef QUERY_SERVICE_REPLICA_REPLICA_STORE_H_
#define QUERY_SERVICE_REPLICA_REPLICA_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/model/log_entry.h"
#include "query_service/index/indexed_article_store.h"
#include "rocksdb/db.h"

namespace newsdesk::query {

struct ReplicaStoreOptions {
  // Verify every table file's checksums at open.
  bool verify_at_open = true;
  // Delete a copy found damaged at open and start an empty one.
  bool rebuild_if_corrupt = true;
  // Bytes of RocksDB's cache of table blocks, through which pages (and
  // near-copy confirmations) read articles: a fixed budget, part of the
  // query service's memory whatever the number of articles.
  int64_t block_cache_bytes = kDefaultBlockCacheBytes;

  static constexpr int64_t kDefaultBlockCacheBytes = 8 << 20;
};

class ReplicaStore final : public IndexedArticleStore {
 public:
  static absl::StatusOr<std::unique_ptr<ReplicaStore>> Open(
      const std::string& path, ReplicaStoreOptions options = {});

  // Deletes the copy at `path` (which must not be open). The next Open
  // starts empty.
  static absl::Status Destroy(const std::string& path);

  // Sequence of the last entry held; 0 when empty.
  int64_t head() const { return head_; }

  // Appends entries whose sequences continue head() without gaps; entries at
  // or below head() are skipped. A gap is FAILED_PRECONDITION.
  absl::Status Append(const std::vector<LogEntry>& entries);

  // Drops the entries after `sequence` (at most head()), which becomes the
  // head: the follower fetches them from the log again. For a copy found
  // damaged after `sequence`.
  absl::Status TruncateAfter(int64_t sequence);

  // Calls `visit` for every entry in log order; stops at the first error.
  // An entry that cannot be decoded or is out of order is DATA_LOSS.
  absl::Status ForEach(const std::function<absl::Status(LogEntry)>& visit) const;

  // Bytes RocksDB holds in memory for the copy: memtables, block cache and
  // table readers (index and filter blocks).
  int64_t MemoryBytes() const;
  // The block cache's share of MemoryBytes (at most block_cache_bytes).
  int64_t BlockCacheBytes() const;

  // IndexedArticleStore. Get reads the entries with one MultiGet; an article must
  // be Put or appended before it is read.
  absl::Status Put(absl::Span<const Article* const> articles, bool as_logged) override;
  absl::StatusOr<std::vector<Article>> Get(
      absl::Span<const int64_t> sequences) const override;
  // The values as stored, not checked: a value that is no article is found
  // when it is decoded (DATA_LOSS then).
  absl::StatusOr<EncodedArticles> GetEncoded(
      absl::Span<const int64_t> sequences) const override;

 private:
  ReplicaStore(std::unique_ptr<rocksdb::DB> db, int64_t head)
      : db_(std::move(db)), head_(head) {}

  std::unique_ptr<rocksdb::DB> db_;
  int64_t head_;  // only the follower thread appends
  mutable absl::Mutex mu_;
  // Sequences of the articles kept under their own key.
  absl::flat_hash_set<int64_t> changed_ ABSL_GUARDED_BY(mu_);
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_REPLICA_REPLICA_STORE_H_
