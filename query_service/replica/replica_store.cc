#include "query_service/replica/replica_store.h"

#include <filesystem>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/model/article_convert.h"
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

absl::Status ReplicaStore::Append(const std::vector<Article>& entries) {
  rocksdb::WriteBatch batch;
  int64_t next = head_;
  for (const Article& article : entries) {
    if (article.log_sequence <= next) continue;
    if (article.log_sequence != next + 1) {
      return absl::FailedPreconditionError(absl::StrCat(
          "log entry ", article.log_sequence, " does not follow ", next));
    }
    v1::Article proto;
    ToProto(article, &proto);
    batch.Put(LogKey(article.log_sequence), proto.SerializeAsString());
    next = article.log_sequence;
  }
  if (next == head_) return absl::OkStatus();
  rocksdb::Status status = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!status.ok()) return ReplicaError(status, "writing the replica");
  head_ = next;
  return absl::OkStatus();
}

absl::Status ReplicaStore::ForEach(const std::function<absl::Status(Article)>& visit) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  int64_t expected = 1;
  const rocksdb::Slice prefix(kLogKeyPrefix.data(), kLogKeyPrefix.size());
  for (it->Seek(LogKey(1)); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    v1::Article proto;
    if (!proto.ParseFromArray(it->value().data(), static_cast<int>(it->value().size())) ||
        proto.log_sequence() != expected) {
      LOG(ERROR) << "the local replica is damaged at log sequence " << expected;
      return absl::DataLossError(
          absl::StrCat("the local replica is damaged at log sequence ", expected));
    }
    absl::Status status = visit(FromProto(proto));
    if (!status.ok()) return status;
    ++expected;
  }
  if (!it->status().ok()) return ReplicaError(it->status(), "reading the replica");
  return absl::OkStatus();
}

}  // namespace newsdesk::query
