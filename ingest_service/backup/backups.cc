#include "ingest_service/backup/backups.h"

#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/field_error.h"
#include "common/status/status_macros.h"
#include "common/storage/rocksdb_store.h"
#include "glog/logging.h"

namespace newsdesk::ingest {
namespace {

namespace fs = std::filesystem;

absl::Status CheckName(absl::string_view name) {
  if (name.empty() || name.size() > 100) {
    return InvalidFieldError("name", "a backup name has 1 to 100 characters");
  }
  if (name[0] == '.') return InvalidFieldError("name", "a backup name cannot start with '.'");
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' &&
        c != '-') {
      return InvalidFieldError(
          "name", "a backup name has only letters, digits, '.', '_' and '-'");
    }
  }
  return absl::OkStatus();
}

}  // namespace

Backups::Backups(BackupsOptions options, const RocksDbArticleStore* store)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : Clock::Real()),
      store_(store) {}

absl::StatusOr<BackupInfo> Backups::Create(absl::string_view name) {
  if (store_ == nullptr) {
    return absl::FailedPreconditionError(
        "this ingest service keeps its log in JetStream: back up the NATS stream instead");
  }
  if (options_.backup_dir.empty()) {
    return absl::FailedPreconditionError(
        "no backup directory is configured (start the ingest service with --backup_dir)");
  }
  const absl::Time now = clock_->Now();
  std::string backup_name(name);
  if (backup_name.empty()) {
    backup_name = absl::StrCat(
        "backup-", absl::FormatTime("%Y%m%dT%H%M%E3SZ", now, absl::UTCTimeZone()));
  }
  RETURN_IF_ERROR(CheckName(backup_name));
  absl::MutexLock lock(&mu_);
  std::error_code error;
  fs::create_directories(options_.backup_dir, error);
  if (error) {
    LOG(ERROR) << "cannot create the backup directory " << options_.backup_dir << ": "
               << error.message();
    return absl::UnavailableError("the backup directory cannot be created");
  }
  const std::string dir = (fs::path(options_.backup_dir) / backup_name).string();
  if (fs::exists(dir, error)) {
    return absl::AlreadyExistsError(absl::StrCat("a backup named '", backup_name, "' exists"));
  }
  const absl::Time start = absl::Now();
  BackupInfo info;
  info.name = backup_name;
  info.create_time = now;
  ASSIGN_OR_RETURN(info.checkpoint, store_->CreateCheckpoint(dir));
  LOG(INFO) << "backup " << dir << " written in " << absl::Now() - start << ": log sequences 1.."
            << info.checkpoint.head_sequence << ", " << info.checkpoint.size_bytes << " bytes";
  return info;
}

absl::Status RestoreStore(const std::string& backup_dir, const std::string& data_dir) {
  std::error_code error;
  if (fs::exists(data_dir, error) && !fs::is_empty(data_dir, error)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot restore into ", data_dir,
        ": it is not empty; move the current store aside first (docs/DEPLOY.md)"));
  }
  if (!fs::is_directory(backup_dir, error)) {
    return absl::NotFoundError(absl::StrCat("no backup directory at ", backup_dir));
  }
  {
    // Check the backup before anything is changed.
    rocksdb::DB* raw_db = nullptr;
    rocksdb::Status status =
        rocksdb::DB::OpenForReadOnly(rocksdb::Options(), backup_dir, &raw_db);
    if (status.ok()) {
      std::unique_ptr<rocksdb::DB> db(raw_db);
      status = db->VerifyChecksum();
    }
    if (!status.ok()) {
      LOG(ERROR) << "the backup at " << backup_dir << " is unusable: " << status.ToString();
      return status.IsCorruption()
                 ? absl::DataLossError(absl::StrCat("the backup at ", backup_dir, " is corrupt"))
                 : absl::UnavailableError(
                       absl::StrCat("the backup at ", backup_dir, " cannot be read"));
    }
  }
  const std::string staging = data_dir + ".restoring";
  fs::remove_all(staging, error);
  fs::copy(backup_dir, staging, fs::copy_options::recursive, error);
  if (!error) {
    fs::remove(data_dir, error);  // empty or missing
    error.clear();
    fs::rename(staging, data_dir, error);
  }
  if (error) {
    const std::string reason = error.message();
    LOG(ERROR) << "restoring " << backup_dir << " into " << data_dir << ": " << reason;
    fs::remove_all(staging, error);
    return absl::UnavailableError(
        absl::StrCat("cannot restore the backup into ", data_dir, ": ", reason));
  }
  LOG(INFO) << "restored the article store in " << data_dir << " from the backup "
            << backup_dir;
  return absl::OkStatus();
}

}  // namespace newsdesk::ingest
