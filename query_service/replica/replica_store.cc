#include "query_service/replica/replica_store.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/model/log_entry_convert.h"
#include "common/storage/sequence_key.h"
#include "glog/logging.h"
#include "rocksdb/write_batch.h"

namespace newsdesk::query {
namespace {

absl::Status ReplicaError(const rocksdb::Status& status, absl::string_view what) {
  LOG(ERROR) << what << ": " << status.ToString();
  if (status.IsCorruption()) {
    return absl::DataLossError(absl::StrCat(what, ": the local replica is corrupt"));
  }
  return absl::UnavailableError(absl::StrCat(what, ": the local replica cannot be accessed"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<ReplicaStore>> ReplicaStore::Open(const std::string& path) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.paranoid_checks = true;
  options.compression = rocksdb::kLZ4Compression;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, path, &raw);
  if (!status.ok()) {
    LOG(ERROR) << "cannot open the replica at " << path << ": " << status.ToString();
    return absl::UnavailableError(
        absl::StrCat("cannot open the local replica: ", status.ToString()));
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  int64_t head = 0;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  it->SeekForPrev(LogKey(std::numeric_limits<int64_t>::max()));
  if (it->Valid() && it->key().starts_with(kLogKeyPrefix.data())) {
    head = DecodeSequence(absl::string_view(it->key().data(), it->key().size())
                              .substr(kLogKeyPrefix.size()));
  }
  if (!it->status().ok()) return ReplicaError(it->status(), "reading the replica head");
  it.reset();
  return std::unique_ptr<ReplicaStore>(new ReplicaStore(std::move(db), head));
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
    batch.Put(LogKey(entry.sequence), EncodeLogValue(entry));
    next = entry.sequence;
  }
  if (next == head_) return absl::OkStatus();
  rocksdb::Status status = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!status.ok()) return ReplicaError(status, "writing the replica");
  head_ = next;
  return absl::OkStatus();
}

absl::Status ReplicaStore::ForEach(const std::function<absl::Status(LogEntry)>& visit) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  int64_t expected = 1;
  for (it->Seek(LogKey(1)); it->Valid() && it->key().starts_with(kLogKeyPrefix.data());
       it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    absl::StatusOr<LogEntry> entry =
        DecodeLogValue(absl::string_view(it->value().data(), it->value().size()), expected);
    if (key != LogKey(expected) || !entry.ok()) {
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

}  // namespace newsdesk::query
