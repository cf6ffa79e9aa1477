// What both services' RocksDB stores share: how a database is opened (every
// checksum checked: paranoid checks, a write-ahead log that may lose only an
// unfinished tail record, and optionally every table file verified at open),
// how RocksDB errors become statuses, the log head, checkpoints.
//
// RocksDB error texts name files; they are logged in full and reach callers
// only as a short message.
#ifndef COMMON_STORAGE_ROCKSDB_STORE_H_
#define COMMON_STORAGE_ROCKSDB_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"

namespace newsdesk {

struct RocksDbOpenOptions {
  // Directory of the database; created if missing.
  std::string path;
  // What the database is, for messages: "article store", "local replica".
  std::string name = "store";
  // Read every table file and check its block checksums before serving.
  // Costs about 2 ms per MB of store on a warm page cache (docs/TESTING.md);
  // reads verify the blocks they touch whether or not this is set.
  bool verify_at_open = true;
  // Optional, not owned: the Env of the database (tests inject faults).
  rocksdb::Env* env = nullptr;
  // Bytes of one memtable (RocksDB keeps up to two); 0 keeps RocksDB's
  // default (64 MiB).
  size_t write_buffer_bytes = 0;
  // Bytes of the cache of (uncompressed) table blocks that reads go through;
  // 0 keeps RocksDB's default (8 MiB).
  size_t block_cache_bytes = 0;
};

// Opens the database. A damaged database (checksum mismatch in a table file,
// the write-ahead log or the MANIFEST) is DATA_LOSS; one that cannot be read
// or created is UNAVAILABLE.
absl::StatusOr<std::unique_ptr<rocksdb::DB>> OpenRocksDb(const RocksDbOpenOptions& options);

// Maps a failed RocksDB status: no space is RESOURCE_EXHAUSTED, corruption
// DATA_LOSS, anything else UNAVAILABLE. `what` says what failed ("storing
// the article"); `name` is the database ("article store"). Logs the full
// RocksDB text at ERROR.
absl::Status RocksDbError(const rocksdb::Status& status, absl::string_view what,
                          absl::string_view name);

// The sequence of the last log entry ("l/" keys, common/storage/sequence_key.h);
// 0 when there is none.
absl::StatusOr<int64_t> ReadLogHead(rocksdb::DB* db, absl::string_view name);

// Writes a consistent copy of the open database into `dir`, which must not
// exist yet (hard links where the file system allows). Safe while writing.
absl::Status CreateCheckpoint(rocksdb::DB* db, const std::string& dir, absl::string_view name);

}  // namespace newsdesk

#endif  // COMMON_STORAGE_ROCKSDB_STORE_H_
