#include "ingest_service/store/rocksdb_article_store.h"

#include <filesystem>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/model/article_convert.h"
#include "common/model/log_entry_convert.h"
#include "common/status/status_macros.h"
#include "common/storage/rocksdb_store.h"
#include "common/storage/sequence_key.h"
#include "glog/logging.h"
#include "rocksdb/write_batch.h"

namespace newsdesk::ingest {
namespace {

constexpr absl::string_view kIdPrefix = "a/";
constexpr absl::string_view kAliasPrefix = "t/";
constexpr absl::string_view kTopicUpdatePrefix = "u/";

std::string IdKey(absl::string_view id) { return absl::StrCat(kIdPrefix, id); }
std::string TopicUpdateKey(absl::string_view id) {
  return absl::StrCat(kTopicUpdatePrefix, id);
}

constexpr absl::string_view kStoreName = "article store";

absl::Status StoreError(const rocksdb::Status& status, absl::string_view what) {
  return RocksDbError(status, what, kStoreName);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RocksDbArticleStore>> RocksDbArticleStore::Open(
    RocksDbArticleStoreOptions options) {
  RocksDbOpenOptions open_options;
  open_options.path = options.path;
  open_options.name = std::string(kStoreName);
  open_options.verify_at_open = options.verify_at_open;
  open_options.env = options.env;
  ASSIGN_OR_RETURN(std::unique_ptr<rocksdb::DB> db, OpenRocksDb(open_options));
  // The head is the last log key.
  ASSIGN_OR_RETURN(const int64_t head, ReadLogHead(db.get(), kStoreName));
  LOG(INFO) << "article store opened at " << options.path << " with " << head
            << " articles";
  return std::unique_ptr<RocksDbArticleStore>(
      new RocksDbArticleStore(std::move(options), std::move(db), head));
}

RocksDbArticleStore::RocksDbArticleStore(RocksDbArticleStoreOptions options,
                                         std::unique_ptr<rocksdb::DB> db, int64_t head)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : Clock::Real()),
      db_(std::move(db)),
      head_(head) {
  commit_thread_ = std::thread([this] { CommitLoop(); });
}

RocksDbArticleStore::~RocksDbArticleStore() { Close(); }

void RocksDbArticleStore::Close() {
  {
    absl::MutexLock lock(&mu_);
    if (closing_) {
      if (!commit_thread_.joinable()) return;
    }
    closing_ = true;
  }
  if (commit_thread_.joinable()) commit_thread_.join();
  absl::WriterMutexLock db_lock(&db_mu_);
  if (db_ != nullptr) {
    rocksdb::Status status = db_->Close();
    if (!status.ok()) LOG(ERROR) << "closing the article store: " << status.ToString();
  }
}

bool RocksDbArticleStore::closed() const {
  absl::MutexLock lock(&mu_);
  return closing_;
}

int64_t RocksDbArticleStore::commit_count() const {
  absl::MutexLock lock(&mu_);
  return commit_count_;
}

absl::StatusOr<PutResult> RocksDbArticleStore::Put(Article article) {
  PendingPut pending;
  pending.article = std::move(article);
  Commit(absl::MakeSpan(&pending, 1));
  return std::move(pending.result);
}

std::vector<absl::StatusOr<PutResult>> RocksDbArticleStore::PutAll(
    std::vector<Article> articles) {
  std::vector<PendingPut> pending(articles.size());
  for (size_t i = 0; i < articles.size(); ++i) pending[i].article = std::move(articles[i]);
  Commit(absl::MakeSpan(pending));
  std::vector<absl::StatusOr<PutResult>> results;
  results.reserve(pending.size());
  for (PendingPut& p : pending) results.push_back(std::move(p.result));
  return results;
}

absl::StatusOr<int64_t> RocksDbArticleStore::UpdateTopics(const TopicUpdate& update) {
  PendingPut pending;
  pending.article.id = update.article_id;
  pending.update = update;
  Commit(absl::MakeSpan(&pending, 1));
  if (!pending.result.ok()) return pending.result.status();
  return pending.result->article.log_sequence;
}

void RocksDbArticleStore::Commit(absl::Span<PendingPut> pending) {
  if (pending.empty()) return;
  absl::MutexLock lock(&mu_);
  if (closing_) {
    for (PendingPut& p : pending) {
      p.result = absl::UnavailableError("the article store is shutting down");
    }
    return;
  }
  for (PendingPut& p : pending) queue_.push_back(&p);
  // Batches are committed in queue order, so the last is done last.
  mu_.Await(absl::Condition(&pending.back().done));
}

void RocksDbArticleStore::CommitLoop() {
  while (true) {
    std::deque<PendingPut*> batch;
    {
      absl::MutexLock lock(&mu_);
      auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !queue_.empty() || closing_;
      };
      mu_.Await(absl::Condition(&has_work));
      if (queue_.empty()) return;  // closing, nothing left
      while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch_size) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    CommitBatch(batch);
  }
}

void RocksDbArticleStore::CommitBatch(std::deque<PendingPut*>& batch) {
  const absl::Status recovered = write_failed_ ? Recover() : absl::OkStatus();
  absl::ReaderMutexLock db_lock(&db_mu_);
  int64_t head;
  {
    absl::MutexLock lock(&mu_);
    head = head_;
  }
  const absl::Time now = clock_->Now();
  rocksdb::WriteBatch write_batch;
  // Articles new in this batch, by id, to answer duplicates within the batch.
  absl::flat_hash_map<std::string, const Article*> new_in_batch;
  std::vector<absl::StatusOr<PutResult>> results;
  results.reserve(batch.size());
  int64_t next = head;
  for (PendingPut* pending : batch) {
    if (pending->change) {
      LogEntry entry;
      entry.sequence = ++next;
      entry.alias_change = *pending->change;
      write_batch.Put(LogKey(next), EncodeLogValue(entry));
      v1::AliasChange proto;
      ToProto(*pending->change, &proto);
      write_batch.Put(absl::StrCat(kAliasPrefix, EncodeSequence(pending->change->version)),
                      proto.SerializeAsString());
      PutResult result;
      result.article.log_sequence = next;
      results.push_back(std::move(result));
      continue;
    }
    Article& article = pending->article;
    if (!recovered.ok()) {
      // The database could not be resumed or opened again: nothing is read
      // or written until a later batch recovers it.
      results.push_back(recovered);
      continue;
    }
    if (pending->update) {
      // A topic update of an article stored before or earlier in the batch.
      std::string sequence_bytes;
      rocksdb::Status status =
          new_in_batch.contains(article.id)
              ? rocksdb::Status::OK()
              : db_->Get(rocksdb::ReadOptions(), IdKey(article.id), &sequence_bytes);
      if (status.IsNotFound()) {
        results.push_back(
            absl::NotFoundError(absl::StrCat("no article with id '", article.id, "'")));
        continue;
      }
      if (!status.ok()) {
        results.push_back(StoreError(status, "checking for the article"));
        continue;
      }
      article.log_sequence = ++next;
      write_batch.Put(LogKey(next), EncodeLogValue(LogEntry{next, std::nullopt,
                                                            std::nullopt, pending->update}));
      v1::TopicUpdate proto;
      ToProto(*pending->update, &proto);
      write_batch.Put(TopicUpdateKey(article.id), proto.SerializeAsString());
      results.push_back(PutResult{article, false});
      continue;
    }
    if (auto it = new_in_batch.find(article.id); it != new_in_batch.end()) {
      results.push_back(PutResult{*it->second, true});
      continue;
    }
    std::string sequence_bytes;
    rocksdb::Status status =
        db_->Get(rocksdb::ReadOptions(), IdKey(article.id), &sequence_bytes);
    if (status.ok()) {
      absl::StatusOr<Article> existing = ReadArticle(DecodeSequence(sequence_bytes));
      if (existing.ok()) {
        results.push_back(PutResult{*std::move(existing), true});
      } else {
        results.push_back(existing.status());
      }
      continue;
    }
    if (!status.IsNotFound()) {
      results.push_back(StoreError(status, "checking for a stored copy"));
      continue;
    }
    article.log_sequence = ++next;
    article.ingest_time = now;
    LogEntry entry;
    entry.sequence = next;
    entry.article = article;
    write_batch.Put(LogKey(next), EncodeLogValue(entry));
    write_batch.Put(IdKey(article.id), EncodeSequence(next));
    new_in_batch[article.id] = &article;
    results.push_back(PutResult{article, false});
  }

  absl::Status write_status;
  if (next > head) {
    write_status = recovered;
    if (write_status.ok()) {
      rocksdb::WriteOptions write_options;
      write_options.sync = options_.sync;
      rocksdb::Status status = db_->Write(write_options, &write_batch);
      if (!status.ok()) {
        write_status = StoreError(status, "storing the article");
        write_failed_ = true;
        last_write_error_ = status;
      }
    }
  }

  absl::MutexLock lock(&mu_);
  if (write_status.ok()) {
    head_ = next;
    if (next > head) ++commit_count_;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    PendingPut* pending = batch[i];
    // A failed write fails every article that was to be written in it, and
    // every duplicate that pointed at one of them.
    if (!write_status.ok() && results[i].ok() &&
        (pending->change || !results[i]->already_existed ||
         new_in_batch.contains(results[i]->article.id))) {
      pending->result = write_status;
    } else {
      pending->result = std::move(results[i]);
    }
    pending->done = true;
  }
}

bool RocksDbArticleStore::DiskTakesWrites() const {
  rocksdb::Env* env = options_.env != nullptr ? options_.env : rocksdb::Env::Default();
  const std::string probe = options_.path + "/WRITE_PROBE";
  std::unique_ptr<rocksdb::WritableFile> file;
  bool ok = env->NewWritableFile(probe, &file, rocksdb::EnvOptions()).ok() &&
            file->Append(std::string(64 << 10, '\0')).ok() && file->Sync().ok() &&
            file->Close().ok();
  file.reset();
  env->DeleteFile(probe).PermitUncheckedError();
  return ok;
}

absl::Status RocksDbArticleStore::Recover() {
  // RocksDB takes no writes after a failed one until it is resumed, which
  // it refuses after most I/O errors (and may keep busy after a full disk):
  // then the database is opened again, as a restart would.
  {
    absl::ReaderMutexLock db_lock(&db_mu_);
    if (db_ != nullptr && db_->Resume().ok()) {
      LOG(INFO) << "the article store takes writes again";
      write_failed_ = false;
      return absl::OkStatus();
    }
  }
  // Reads go on from the open database until the disk takes writes again.
  if (!DiskTakesWrites()) return StoreError(last_write_error_, "storing the article");
  absl::WriterMutexLock db_lock(&db_mu_);
  if (db_ != nullptr) {
    db_->Close().PermitUncheckedError();
    db_.reset();
  }
  RocksDbOpenOptions open_options;
  open_options.path = options_.path;
  open_options.name = std::string(kStoreName);
  open_options.verify_at_open = false;
  open_options.env = options_.env;
  absl::StatusOr<std::unique_ptr<rocksdb::DB>> db = OpenRocksDb(open_options);
  if (!db.ok()) return StoreError(last_write_error_, "storing the article");
  absl::StatusOr<int64_t> head = ReadLogHead(db->get(), kStoreName);
  if (!head.ok()) return head.status();
  db_ = *std::move(db);
  {
    // A batch whose sync failed may have reached the disk after all: its
    // callers were told it failed, and a retry finds the article stored.
    absl::MutexLock lock(&mu_);
    head_ = *head;
  }
  LOG(INFO) << "the article store was opened again after a failed write and takes writes";
  write_failed_ = false;
  return absl::OkStatus();
}

absl::StatusOr<CheckpointInfo> RocksDbArticleStore::CreateCheckpoint(
    const std::string& dir) const {
  if (closed()) return absl::UnavailableError("the article store is closed");
  {
    absl::ReaderMutexLock db_lock(&db_mu_);
    if (db_ == nullptr) return absl::UnavailableError("the article store cannot be accessed");
    RETURN_IF_ERROR(newsdesk::CreateCheckpoint(db_.get(), dir, kStoreName));
  }
  // What the copy holds is read from the copy itself, which also checks it.
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status status = rocksdb::DB::OpenForReadOnly(rocksdb::Options(), dir, &raw_db);
  if (!status.ok()) return RocksDbError(status, "checking the backup", "backup");
  std::unique_ptr<rocksdb::DB> copy(raw_db);
  status = copy->VerifyChecksum();
  if (!status.ok()) return RocksDbError(status, "checking the backup", "backup");
  CheckpointInfo info;
  ASSIGN_OR_RETURN(info.head_sequence, ReadLogHead(copy.get(), "backup"));
  copy.reset();
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) info.size_bytes += static_cast<int64_t>(entry.file_size());
  }
  return info;
}

absl::StatusOr<Article> RocksDbArticleStore::ReadArticle(int64_t sequence) const {
  std::string value;
  // Callers hold db_mu_.
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), LogKey(sequence), &value);
  if (status.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("no article at log sequence ", sequence));
  }
  if (!status.ok()) return StoreError(status, "reading an article");
  absl::StatusOr<LogEntry> entry = DecodeLogValue(value, sequence);
  if (!entry.ok() || !entry->article) {
    LOG(ERROR) << "no decodable article at log sequence " << sequence;
    return absl::DataLossError(
        absl::StrCat("the article at log sequence ", sequence, " cannot be decoded"));
  }
  Article article = *std::move(entry->article);
  status = db_->Get(rocksdb::ReadOptions(), TopicUpdateKey(article.id), &value);
  if (status.IsNotFound()) return article;
  if (!status.ok()) return StoreError(status, "reading an article's topics");
  v1::TopicUpdate update;
  if (!update.ParseFromString(value)) {
    LOG(ERROR) << "undecodable topic update of article " << article.id;
    return absl::DataLossError(
        absl::StrCat("the topics of article '", article.id, "' cannot be decoded"));
  }
  ApplyTopicUpdate(FromProto(update), &article);
  return article;
}

absl::StatusOr<Article> RocksDbArticleStore::Get(absl::string_view article_id) const {
  if (closed()) return absl::UnavailableError("the article store is closed");
  std::string sequence_bytes;
  absl::ReaderMutexLock db_lock(&db_mu_);
  if (db_ == nullptr) return absl::UnavailableError("the article store cannot be accessed");
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), IdKey(article_id), &sequence_bytes);
  if (status.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("no article with id '", article_id, "'"));
  }
  if (!status.ok()) return StoreError(status, "reading an article");
  return ReadArticle(DecodeSequence(sequence_bytes));
}

int64_t RocksDbArticleStore::HeadSequence() const {
  absl::MutexLock lock(&mu_);
  return head_;
}

absl::StatusOr<std::vector<std::string>> RocksDbArticleStore::ReadEncodedFrom(
    int64_t start_sequence, int max_entries) const {
  if (closed()) return absl::UnavailableError("the article store is closed");
  const int64_t head = HeadSequence();
  start_sequence = std::max<int64_t>(start_sequence, 1);
  std::vector<std::string> out;
  if (start_sequence > head || max_entries <= 0) return out;
  rocksdb::ReadOptions read_options;
  // Only committed sequences are read: a batch being written is beyond head.
  const std::string upper = LogKey(head + 1);
  rocksdb::Slice upper_slice(upper);
  read_options.iterate_upper_bound = &upper_slice;
  absl::ReaderMutexLock db_lock(&db_mu_);
  if (db_ == nullptr) return absl::UnavailableError("the article store cannot be accessed");
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options));
  int64_t expected = start_sequence;
  for (it->Seek(LogKey(start_sequence));
       it->Valid() && static_cast<int>(out.size()) < max_entries; it->Next()) {
    if (absl::string_view(it->key().data(), it->key().size()) != LogKey(expected)) {
      LOG(ERROR) << "log entry " << expected << " is missing";
      return absl::DataLossError(
          absl::StrCat("the article log is damaged at sequence ", expected));
    }
    out.emplace_back(it->value().data(), it->value().size());
    ++expected;
  }
  if (!it->status().ok()) return StoreError(it->status(), "reading the article log");
  return out;
}

int64_t RocksDbArticleStore::WaitForSequence(int64_t sequence, absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  auto reached = [this, sequence]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return head_ >= sequence || closing_;
  };
  mu_.AwaitWithDeadline(absl::Condition(&reached), deadline);
  return head_;
}

absl::StatusOr<int64_t> RocksDbArticleStore::AppendAliasChange(const AliasChange& change) {
  PendingPut pending;
  pending.change = change;
  Commit(absl::MakeSpan(&pending, 1));
  if (!pending.result.ok()) return pending.result.status();
  return pending.result->article.log_sequence;
}

absl::StatusOr<std::vector<AliasChange>> RocksDbArticleStore::ReadAliasChanges(
    int64_t after_version) const {
  if (closed()) return absl::UnavailableError("the article store is closed");
  std::vector<AliasChange> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  const rocksdb::Slice prefix(kAliasPrefix.data(), kAliasPrefix.size());
  const std::string first =
      absl::StrCat(kAliasPrefix, EncodeSequence(std::max<int64_t>(after_version, 0) + 1));
  for (it->Seek(first); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    v1::AliasChange proto;
    if (!proto.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      LOG(ERROR) << "undecodable alias table change in the store";
      return absl::DataLossError("the alias table history is damaged");
    }
    out.push_back(FromProto(proto));
  }
  if (!it->status().ok()) return StoreError(it->status(), "reading the alias table");
  return out;
}

}  // namespace newsdesk::ingest
