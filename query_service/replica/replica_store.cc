#include "query_service/replica/replica_store.h"

#include <filesystem>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/model/log_entry_convert.h"
#include "common/status/status_macros.h"
#include "common/storage/rocksdb_store.h"
#include "common/storage/sequence_key.h"
#include "glog/logging.h"
#include "rocksdb/write_batch.h"

namespace newsdesk::query {
namespace {

constexpr absl::string_view kReplicaName = "local replica";
// Articles as the index changed them: "i/" + 8 big-endian sequence bytes.
constexpr absl::string_view kIndexedPrefix = "i/";

std::string IndexedKey(int64_t sequence) {
  return absl::StrCat(kIndexedPrefix, EncodeSequence(sequence));
}

absl::Status ReplicaError(const rocksdb::Status& status, absl::string_view what) {
  return RocksDbError(status, what, kReplicaName);
}

absl::StatusOr<std::unique_ptr<rocksdb::DB>> OpenDb(const std::string& path,
                                                    const ReplicaStoreOptions& options) {
  RocksDbOpenOptions open_options;
  open_options.path = path;
  open_options.name = std::string(kReplicaName);
  open_options.verify_at_open = options.verify_at_open;
  // The copy is only appended to and read back by key: small memtables keep
  // its memory far below the index's.
  open_options.write_buffer_bytes = 8 << 20;
  open_options.block_cache_bytes = static_cast<size_t>(options.block_cache_bytes);
  return OpenRocksDb(open_options);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ReplicaStore>> ReplicaStore::Open(
    const std::string& path, ReplicaStoreOptions options) {
  if (options.block_cache_bytes <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the local replica's block cache must have a positive size, not ",
        options.block_cache_bytes, " bytes"));
  }
  absl::StatusOr<std::unique_ptr<rocksdb::DB>> db = OpenDb(path, options);
  if (absl::IsDataLoss(db.status()) && options.rebuild_if_corrupt) {
    LOG(ERROR) << "the local replica at " << path
               << " is damaged; deleting it and fetching the whole article log again";
    RETURN_IF_ERROR(Destroy(path));
    db = OpenDb(path, options);
  }
  if (!db.ok()) return db.status();
  ASSIGN_OR_RETURN(const int64_t head, ReadLogHead(db->get(), kReplicaName));
  // The index derives its changed articles again as it replays the log.
  rocksdb::Status dropped =
      (*db)->DeleteRange(rocksdb::WriteOptions(), (*db)->DefaultColumnFamily(),
                         IndexedKey(0), IndexedKey(std::numeric_limits<int64_t>::max()));
  if (!dropped.ok()) return ReplicaError(dropped, "opening the replica");
  return std::unique_ptr<ReplicaStore>(new ReplicaStore(*std::move(db), head));
}

absl::Status ReplicaStore::Destroy(const std::string& path) {
  std::error_code error;
  std::filesystem::remove_all(path, error);
  if (error) {
    LOG(ERROR) << "cannot delete the local replica at " << path << ": " << error.message();
    return absl::UnavailableError(
        absl::StrCat("cannot delete the local replica at ", path, ": ", error.message()));
  }
  return absl::OkStatus();
}

absl::Status ReplicaStore::Append(const std::vector<LogEntry>& entries) {
  rocksdb::WriteBatch batch;
  int64_t next = head_;
  for (const LogEntry& entry : entries) {
    if (entry.sequence <= next) continue;
    if (entry.sequence != next + 1) {
      return absl::FailedPreconditionError(
          absl::StrCat("log entry ", entry.sequence, " does not follow ", next));
    }
    if (entry.encoded.empty()) {
      batch.Put(LogKey(entry.sequence), EncodeLogValue(entry));
    } else {
      batch.Put(LogKey(entry.sequence), entry.encoded);
    }
    next = entry.sequence;
  }
  if (next == head_) return absl::OkStatus();
  rocksdb::Status status = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!status.ok()) return ReplicaError(status, "writing the replica");
  head_ = next;
  return absl::OkStatus();
}

absl::Status ReplicaStore::TruncateAfter(int64_t sequence) {
  if (sequence < 0 || sequence > head_) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot truncate the local replica after ", sequence, ": it holds ",
                     head_, " entries"));
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  rocksdb::Status status =
      db_->DeleteRange(sync, db_->DefaultColumnFamily(), LogKey(sequence + 1),
                       LogKey(std::numeric_limits<int64_t>::max()));
  if (!status.ok()) return ReplicaError(status, "truncating the replica");
  head_ = sequence;
  return absl::OkStatus();
}

absl::Status ReplicaStore::ForEach(const std::function<absl::Status(LogEntry)>& visit) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  int64_t expected = 1;
  const rocksdb::Slice prefix(kLogKeyPrefix.data(), kLogKeyPrefix.size());
  for (it->Seek(LogKey(1)); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    absl::StatusOr<LogEntry> entry =
        DecodeLogValue(absl::string_view(it->value().data(), it->value().size()), expected);
    if (key != LogKey(expected) || !entry.ok()) {
      LOG(ERROR) << "the local replica is damaged at log sequence " << expected;
      return absl::DataLossError(
          absl::StrCat("the local replica is damaged at log sequence ", expected));
    }
    absl::Status status = visit(*std::move(entry));
    if (!status.ok()) return status;
    ++expected;
  }
  if (!it->status().ok()) return ReplicaError(it->status(), "reading the replica");
  return absl::OkStatus();
}

int64_t ReplicaStore::MemoryBytes() const {
  int64_t total = 0;
  for (const std::string& property :
       {rocksdb::DB::Properties::kCurSizeAllMemTables,
        rocksdb::DB::Properties::kBlockCacheUsage,
        rocksdb::DB::Properties::kEstimateTableReadersMem}) {
    uint64_t value = 0;
    if (db_->GetIntProperty(property, &value)) total += static_cast<int64_t>(value);
  }
  return total;
}

int64_t ReplicaStore::BlockCacheBytes() const {
  uint64_t value = 0;
  db_->GetIntProperty(rocksdb::DB::Properties::kBlockCacheUsage, &value);
  return static_cast<int64_t>(value);
}

absl::Status ReplicaStore::Put(absl::Span<const Article* const> articles,
                               bool as_logged) {
  absl::MutexLock lock(&mu_);
  rocksdb::WriteBatch batch;
  for (const Article* article : articles) {
    const int64_t sequence = article->log_sequence;
    if (as_logged) {
      if (changed_.contains(sequence)) batch.Delete(IndexedKey(sequence));
      continue;
    }
    LogEntry entry;
    entry.sequence = sequence;
    entry.article = *article;
    batch.Put(IndexedKey(sequence), EncodeLogValue(entry));
  }
  if (batch.Count() > 0) {
    rocksdb::WriteOptions options;
    options.disableWAL = true;  // dropped at the next Open anyway
    rocksdb::Status status = db_->Write(options, &batch);
    if (!status.ok()) return ReplicaError(status, "writing an article of the index");
  }
  for (const Article* article : articles) {
    if (as_logged) {
      changed_.erase(article->log_sequence);
    } else {
      changed_.insert(article->log_sequence);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<EncodedArticles> ReplicaStore::GetEncoded(
    absl::Span<const int64_t> sequences) const {
  std::vector<std::string> keys;
  keys.reserve(sequences.size());
  {
    absl::MutexLock lock(&mu_);
    for (const int64_t sequence : sequences) {
      keys.push_back(changed_.contains(sequence) ? IndexedKey(sequence)
                                                 : LogKey(sequence));
    }
  }
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(rocksdb::ReadOptions(), db_->DefaultColumnFamily(), slices.size(),
                slices.data(), values.data(), statuses.data());
  EncodedArticles out;
  size_t total = 0;
  for (const rocksdb::PinnableSlice& value : values) total += value.size();
  out.bytes.reserve(total);
  out.ends.reserve(sequences.size());
  for (size_t i = 0; i < sequences.size(); ++i) {
    if (statuses[i].IsNotFound()) {
      // The index holds every article it reads here: the copy lost it.
      LOG(ERROR) << "the local replica is missing log sequence " << sequences[i];
      return absl::DataLossError(
          absl::StrCat("the local replica is missing log sequence ", sequences[i]));
    }
    if (!statuses[i].ok()) {
      return ReplicaError(statuses[i],
                          absl::StrCat("reading log sequence ", sequences[i]));
    }
    out.Add(absl::string_view(values[i].data(), values[i].size()));
  }
  return out;
}

absl::StatusOr<std::vector<Article>> ReplicaStore::Get(
    absl::Span<const int64_t> sequences) const {
  ASSIGN_OR_RETURN(const EncodedArticles values, GetEncoded(sequences));
  std::vector<Article> out;
  out.reserve(sequences.size());
  for (size_t i = 0; i < sequences.size(); ++i) {
    absl::StatusOr<LogEntry> entry = DecodeLogValue(values[i], sequences[i]);
    if (!entry.ok() || !entry->article) {
      LOG(ERROR) << "the local replica is damaged at log sequence " << sequences[i];
      return absl::DataLossError(
          absl::StrCat("the local replica is damaged at log sequence ", sequences[i]));
    }
    out.push_back(*std::move(entry->article));
  }
  return out;
}

}  // namespace newsdesk::query
