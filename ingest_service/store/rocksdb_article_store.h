// The embedded article store and log: one RocksDB database in a data
// directory. Writes go through a group-commit thread: concurrent Put calls
// are gathered into one WriteBatch written with a single fsync, and each
// caller is answered only after that sync. Sequence numbers are assigned by
// the commit thread alone, so the log has no gaps. A batch is written
// entirely or not at all: when the disk is full (RESOURCE_EXHAUSTED) or
// cannot be written (UNAVAILABLE) every article of the batch fails and the
// head stays. RocksDB takes no writes after a failed one, so the next batch
// first resumes the database, or, when RocksDB refuses, opens it again:
// writes succeed again as soon as the disk takes them. Checksums are
// verified at open and on every read; a damaged store is DATA_LOSS and is
// never served.
//
// Layout: "l/" + 8-byte big-endian sequence -> the log entry
//                                              (common/model/log_entry_convert.h)
//         "a/" + article id                 -> 8-byte big-endian sequence
//         "t/" + 8-byte big-endian version  -> serialized newsdesk.v1.AliasChange
//         "u/" + article id                 -> its latest topic update, a
//                                              serialized newsdesk.v1.TopicUpdate
#ifndef INGEST_SERVICE_STORE_ROCKSDB_ARTICLE_STORE_H_
#define INGEST_SERVICE_STORE_ROCKSDB_ARTICLE_STORE_H_

#include <deque>
#include <optional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "common/time/clock.h"
#include "ingest_service/store/article_store.h"
#include "rocksdb/db.h"

namespace newsdesk::ingest {

struct RocksDbArticleStoreOptions {
  // Directory of the database; created if missing.
  std::string path;
  // Most articles committed in one batch.
  int max_batch_size = 512;
  // fsync each batch before answering. Only tests of the batching logic
  // turn this off.
  bool sync = true;
  // Source of ingest times; the real clock when null. Not owned.
  Clock* clock = nullptr;
  // Verify the checksums of every table file at open (common/storage/rocksdb_store.h):
  // a damaged store then fails to open with DATA_LOSS instead of failing
  // reads later.
  bool verify_at_open = true;
  // Optional, not owned: the RocksDB Env (tests inject failing writes).
  rocksdb::Env* env = nullptr;
};

// A backup written by CreateCheckpoint.
struct CheckpointInfo {
  // The last log sequence the backup holds; it holds every article up to it.
  int64_t head_sequence = 0;
  // Bytes of the backup's files.
  int64_t size_bytes = 0;
};

class RocksDbArticleStore : public ArticleStore, public ArticleLog, public AliasChangeStore {
 public:
  // Opens (or creates) the store and starts its commit thread.
  static absl::StatusOr<std::unique_ptr<RocksDbArticleStore>> Open(
      RocksDbArticleStoreOptions options);

  // Closes the store: pending writes are finished, later ones fail with
  // UNAVAILABLE, and log waiters are woken.
  ~RocksDbArticleStore() override;
  void Close();

  absl::StatusOr<PutResult> Put(Article article) override;
  // The articles go to the group-commit queue together, so they share
  // WriteBatches and syncs with each other and with concurrent callers.
  std::vector<absl::StatusOr<PutResult>> PutAll(std::vector<Article> articles) override;
  absl::StatusOr<Article> Get(absl::string_view article_id) const override;
  absl::StatusOr<int64_t> UpdateTopics(const TopicUpdate& update) override;

  int64_t HeadSequence() const override;
  absl::StatusOr<std::vector<std::string>> ReadEncodedFrom(int64_t start_sequence,
                                                           int max_entries) const override;
  int64_t WaitForSequence(int64_t sequence, absl::Time deadline) const override;
  bool closed() const override;

  absl::StatusOr<int64_t> AppendAliasChange(const AliasChange& change) override;
  absl::StatusOr<std::vector<AliasChange>> ReadAliasChanges(
      int64_t after_version) const override;
  // Writes a consistent copy of the store into `dir` (which must not exist)
  // while writes go on, verifies it, and says what it holds. The copy is a
  // complete store: open it, or start the ingest service with
  // --restore_from=dir.
  absl::StatusOr<CheckpointInfo> CreateCheckpoint(const std::string& dir) const;

  // Number of batches committed since opening: with concurrent writers it is
  // lower than the number of articles.
  int64_t commit_count() const;

 private:
  // An article to store or, when `change` is set, an alias table change or,
  // when `update` is set, a topic update (whose result's article has only the
  // id and the update's log_sequence).
  struct PendingPut {
    Article article;
    std::optional<AliasChange> change;
    std::optional<TopicUpdate> update;
    bool done = false;
    absl::StatusOr<PutResult> result = absl::UnknownError("not committed");
  };

  RocksDbArticleStore(RocksDbArticleStoreOptions options, std::unique_ptr<rocksdb::DB> db,
                      int64_t head);
  void CommitLoop();
  void CommitBatch(std::deque<PendingPut*>& batch);
  // Queues `pending` for the commit thread and waits until all are done.
  void Commit(absl::Span<PendingPut> pending);
  // The article first stored at `sequence`, with its latest topic update.
  absl::StatusOr<Article> ReadArticle(int64_t sequence) const
      ABSL_SHARED_LOCKS_REQUIRED(db_mu_);

  // After a failed write: resumes the database, or, once a probe file can be
  // written and synced in its directory, opens it again.
  absl::Status Recover();
  bool DiskTakesWrites() const;

  const RocksDbArticleStoreOptions options_;
  Clock* const clock_;
  // Replaced only when the database is opened again after a failed write;
  // null if that failed.
  mutable absl::Mutex db_mu_;
  std::unique_ptr<rocksdb::DB> db_ ABSL_GUARDED_BY(db_mu_);

  mutable absl::Mutex mu_;
  std::deque<PendingPut*> queue_ ABSL_GUARDED_BY(mu_);
  int64_t head_ ABSL_GUARDED_BY(mu_);
  int64_t commit_count_ ABSL_GUARDED_BY(mu_) = 0;
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  // Set by the commit thread after a failed write: RocksDB refuses writes
  // until Resume() succeeds (when space returns).
  bool write_failed_ = false;
  rocksdb::Status last_write_error_;
  std::thread commit_thread_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_STORE_ROCKSDB_ARTICLE_STORE_H_
