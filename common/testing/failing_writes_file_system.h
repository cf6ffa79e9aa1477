// A RocksDB file system that fails writes while told to, for tests of a
// full disk and of I/O errors: while `set_fail(true)`, new files, appends,
// flushes and syncs fail with the given error.
#ifndef COMMON_TESTING_FAILING_WRITES_FILE_SYSTEM_H_
#define COMMON_TESTING_FAILING_WRITES_FILE_SYSTEM_H_

#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "rocksdb/env.h"
#include "rocksdb/file_system.h"

namespace newsdesk::testing {

class FailingWritesFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit FailingWritesFileSystem(rocksdb::IOStatus error)
      : FileSystemWrapper(rocksdb::FileSystem::Default()), error_(std::move(error)) {}
  static const char* kClassName() { return "FailingWritesFileSystem"; }
  const char* Name() const override { return kClassName(); }

  void set_fail(bool fail) { fail_.store(fail); }
  bool fail() const { return fail_.load(); }
  const rocksdb::IOStatus& error() const { return error_; }

  rocksdb::IOStatus NewWritableFile(const std::string& fname,
                                    const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    if (fail()) return error_;
    std::unique_ptr<rocksdb::FSWritableFile> file;
    rocksdb::IOStatus status = target()->NewWritableFile(fname, options, &file, dbg);
    if (!status.ok()) return status;
    *result = std::make_unique<File>(std::move(file), this);
    return status;
  }

 private:
  class File : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> file, const FailingWritesFileSystem* fs)
        : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs) {}

    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->fail()) return fs_->error();
      return FSWritableFileOwnerWrapper::Append(data, options, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->fail()) return fs_->error();
      return FSWritableFileOwnerWrapper::Append(data, options, info, dbg);
    }
    rocksdb::IOStatus Flush(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* dbg) override {
      if (fs_->fail()) return fs_->error();
      return FSWritableFileOwnerWrapper::Flush(options, dbg);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
      if (fs_->fail()) return fs_->error();
      return FSWritableFileOwnerWrapper::Sync(options, dbg);
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* dbg) override {
      if (fs_->fail()) return fs_->error();
      return FSWritableFileOwnerWrapper::Fsync(options, dbg);
    }

   private:
    const FailingWritesFileSystem* const fs_;
  };

  const rocksdb::IOStatus error_;
  std::atomic<bool> fail_{false};
};

}  // namespace newsdesk::testing

#endif  // COMMON_TESTING_FAILING_WRITES_FILE_SYSTEM_H_
