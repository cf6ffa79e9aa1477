#include "query_service/replica/replica_store.h"

#include <filesystem>

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

absl::Status ReplicaError(const rocksdb::Status& status, absl::string_view what) {
  return RocksDbError(status, what, kReplicaName);
}

absl::StatusOr<std::unique_ptr<rocksdb::DB>> OpenDb(const std::string& path,
                                                    const ReplicaStoreOptions& options) {
  RocksDbOpenOptions open_options;
  open_options.path = path;
  open_options.name = std::string(kReplicaName);
  open_options.verify_at_open = options.verify_at_open;
  return OpenRocksDb(open_options);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ReplicaStore>> ReplicaStore::Open(
    const std::string& path, ReplicaStoreOptions options) {
  absl::StatusOr<std::unique_ptr<rocksdb::DB>> db = OpenDb(path, options);
  if (absl::IsDataLoss(db.status()) && options.rebuild_if_corrupt) {
    LOG(ERROR) << "the local replica at " << path
               << " is damaged; deleting it and fetching the whole article log again";
    RETURN_IF_ERROR(Destroy(path));
    db = OpenDb(path, options);
  }
  if (!db.ok()) return db.status();
  ASSIGN_OR_RETURN(const int64_t head, ReadLogHead(db->get(), kReplicaName));
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

}  // namespace newsdesk::query
