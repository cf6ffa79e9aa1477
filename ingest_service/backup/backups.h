// Backups of the embedded article store: named RocksDB checkpoints under a
// backup directory, taken while ingest goes on, and the restore that puts
// one in place of an empty data directory before the store opens.
#ifndef INGEST_SERVICE_BACKUP_BACKUPS_H_
#define INGEST_SERVICE_BACKUP_BACKUPS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/time/clock.h"
#include "ingest_service/store/rocksdb_article_store.h"

namespace newsdesk::ingest {

struct BackupsOptions {
  // Where backups are written, one directory each; none can be made when
  // empty. Created when missing.
  std::string backup_dir;
  // Source of default names; the real clock when null. Not owned.
  Clock* clock = nullptr;
};

struct BackupInfo {
  std::string name;
  CheckpointInfo checkpoint;
  absl::Time create_time;
};

class Backups {
 public:
  // `store` is not owned and may be null (a JetStream log has no embedded
  // store to back up).
  Backups(BackupsOptions options, const RocksDbArticleStore* store);

  // Writes backup `name` (default: "backup-<UTC time>"). INVALID_ARGUMENT
  // for a bad name, ALREADY_EXISTS when it exists, FAILED_PRECONDITION when
  // there is no backup directory or store.
  absl::StatusOr<BackupInfo> Create(absl::string_view name);

 private:
  const BackupsOptions options_;
  Clock* const clock_;
  const RocksDbArticleStore* const store_;
  absl::Mutex mu_;  // one backup at a time
};

// Puts the backup in `backup_dir` in place as the store in `data_dir`,
// which must be missing or empty (FAILED_PRECONDITION otherwise: nothing is
// overwritten). The backup is checked first (DATA_LOSS when damaged) and
// copied, not moved, so it stays usable. The copy appears at `data_dir`
// only once complete.
absl::Status RestoreStore(const std::string& backup_dir, const std::string& data_dir);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_BACKUP_BACKUPS_H_
