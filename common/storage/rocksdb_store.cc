#include "common/storage/rocksdb_store.h"

#include <filesystem>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/storage/sequence_key.h"
#include "glog/logging.h"
#include "rocksdb/cache.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"

namespace newsdesk {
absl::Status RocksDbError(const rocksdb::Status& status, absl::string_view what,
                          absl::string_view name) {
  LOG(ERROR) << what << " (" << name << "): " << status.ToString();
  if (status.IsNoSpace()) {
    return absl::ResourceExhaustedError(
        absl::StrCat(what, ": the ", name, "'s disk is full; retry later"));
  }
  if (status.IsCorruption()) {
    return absl::DataLossError(absl::StrCat(what, ": the ", name, " is corrupt"));
  }
  return absl::UnavailableError(absl::StrCat(what, ": the ", name, " cannot be accessed"));
}

absl::StatusOr<std::unique_ptr<rocksdb::DB>> OpenRocksDb(const RocksDbOpenOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("the ", options.name, " path is empty"));
  }
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.paranoid_checks = true;
  // A record cut short at the end of the write-ahead log is a write that
  // was never acknowledged (a crash while writing it); anything else that
  // does not match its checksum stops the open instead of silently dropping
  // the rest of the log as the default recovery mode would.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  db_options.compression = rocksdb::kLZ4Compression;
  if (options.env != nullptr) db_options.env = options.env;
  if (options.write_buffer_bytes > 0)
    db_options.write_buffer_size = options.write_buffer_bytes;
  if (options.block_cache_bytes > 0) {
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
    db_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  }
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(db_options, options.path, &raw_db);
  if (!status.ok()) {
    LOG(ERROR) << "cannot open the " << options.name << " at " << options.path << ": "
               << status.ToString();
    if (status.IsCorruption()) {
      return absl::DataLossError(absl::StrCat("the ", options.name, " at ", options.path,
                                              " is corrupt: ", status.ToString()));
    }
    return absl::UnavailableError(absl::StrCat("cannot open the ", options.name, " at ",
                                               options.path, ": ", status.ToString()));
  }
  std::unique_ptr<rocksdb::DB> db(raw_db);
  if (options.verify_at_open) {
    const absl::Time start = absl::Now();
    status = db->VerifyChecksum();
    if (!status.ok()) {
      LOG(ERROR) << "the " << options.name << " at " << options.path
                 << " failed its checksum verification: " << status.ToString();
      return absl::DataLossError(absl::StrCat("the ", options.name, " at ", options.path,
                                              " is corrupt: ", status.ToString()));
    }
    uint64_t sst_bytes = 0;
    db->GetIntProperty(rocksdb::DB::Properties::kTotalSstFilesSize, &sst_bytes);
    LOG(INFO) << "verified the checksums of the " << options.name << " ("
              << sst_bytes / 1000 << " kB of table files) in " << absl::Now() - start;
  }
  return db;
}

absl::StatusOr<int64_t> ReadLogHead(rocksdb::DB* db, absl::string_view name) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  it->SeekForPrev(LogKey(std::numeric_limits<int64_t>::max()));
  int64_t head = 0;
  const rocksdb::Slice prefix(kLogKeyPrefix.data(), kLogKeyPrefix.size());
  if (it->Valid() && it->key().starts_with(prefix)) {
    head = DecodeSequence(
        absl::string_view(it->key().data(), it->key().size()).substr(kLogKeyPrefix.size()));
  }
  if (!it->status().ok()) return RocksDbError(it->status(), "reading the log head", name);
  return head;
}

absl::Status CreateCheckpoint(rocksdb::DB* db, const std::string& dir, absl::string_view name) {
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status status = rocksdb::Checkpoint::Create(db, &raw);
  if (!status.ok()) return RocksDbError(status, "preparing a backup", name);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  status = checkpoint->CreateCheckpoint(dir);
  if (!status.ok()) {
    // RocksDB leaves a temporary directory behind on failure.
    std::error_code ignored;
    std::filesystem::remove_all(dir + ".tmp", ignored);
    return RocksDbError(status, "writing a backup", name);
  }
  return absl::OkStatus();
}

}  // namespace newsdesk
