#include "ingest_service/backup/backups.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/status/field_error.h"
#include "common/testing/file_damage.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;
namespace fs = std::filesystem;

class BackupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            absl::StrCat("backups_test_",
                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    RocksDbArticleStoreOptions options;
    options.path = (root_ / "store").string();
    store_ = *RocksDbArticleStore::Open(options);
    for (int i = 0; i < 20; ++i) {
      Article a;
      a.id = absl::StrCat("id", i);
      a.title = absl::StrCat("Title ", i);
      ASSERT_TRUE(store_->Put(a).ok());
    }
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(root_);
  }

  BackupsOptions Options() {
    BackupsOptions options;
    options.backup_dir = (root_ / "backups").string();
    options.clock = &clock_;
    return options;
  }

  fs::path root_;
  FakeClock clock_{absl::FromUnixMillis(1710417600123)};
  std::unique_ptr<RocksDbArticleStore> store_;
};

TEST_F(BackupsTest, NamedAndDefaultBackupsAreWrittenUnderTheBackupDirectory) {
  Backups backups(Options(), store_.get());
  absl::StatusOr<BackupInfo> named = backups.Create("nightly-1");
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->name, "nightly-1");
  EXPECT_EQ(named->checkpoint.head_sequence, 20);
  EXPECT_TRUE(fs::is_directory(root_ / "backups" / "nightly-1"));

  absl::StatusOr<BackupInfo> unnamed = backups.Create("");
  ASSERT_TRUE(unnamed.ok()) << unnamed.status();
  EXPECT_EQ(unnamed->name, "backup-20240314T120000.123Z");
  EXPECT_EQ(unnamed->create_time, clock_.Now());

  EXPECT_THAT(backups.Create("nightly-1"), StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(BackupsTest, BadNamesAreRefusedNamingTheField) {
  Backups backups(Options(), store_.get());
  for (const char* name : {"../escape", "a/b", ".hidden", "with space", "\xc3\xa9"}) {
    absl::StatusOr<BackupInfo> result = backups.Create(name);
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument)) << name;
    EXPECT_EQ(FieldOf(result.status()), "name");
  }
  EXPECT_THAT(backups.Create(std::string(101, 'a')),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_FALSE(fs::exists(root_ / "escape"));
}

TEST_F(BackupsTest, WithoutABackupDirectoryOrStoreBackupsAreAFailedPrecondition) {
  BackupsOptions no_dir = Options();
  no_dir.backup_dir.clear();
  EXPECT_THAT(Backups(no_dir, store_.get()).Create("x"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(Backups(Options(), nullptr).Create("x"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(BackupsTest, RestoreFillsAnEmptyDataDirectoryAndRefusesAFullOne) {
  Backups backups(Options(), store_.get());
  ASSERT_TRUE(backups.Create("b1").ok());
  const std::string backup = (root_ / "backups" / "b1").string();

  // Never over an existing store.
  EXPECT_THAT(RestoreStore(backup, (root_ / "store").string()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(RestoreStore((root_ / "backups" / "missing").string(),
                           (root_ / "restored").string()),
              StatusIs(absl::StatusCode::kNotFound));

  fs::create_directories(root_ / "restored");  // empty is fine
  ASSERT_THAT(RestoreStore(backup, (root_ / "restored").string()), IsOk());
  EXPECT_TRUE(fs::is_directory(backup));  // the backup stays
  RocksDbArticleStoreOptions options;
  options.path = (root_ / "restored").string();
  auto restored = RocksDbArticleStore::Open(options);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ((*restored)->HeadSequence(), 20);
  EXPECT_EQ((*restored)->Get("id7")->title, "Title 7");
}

TEST_F(BackupsTest, ADamagedBackupIsNotRestored) {
  Backups backups(Options(), store_.get());
  ASSERT_TRUE(backups.Create("b1").ok());
  const fs::path backup = root_ / "backups" / "b1";
  const auto manifests = testing::FilesNamed(backup, "MANIFEST-", /*prefix=*/true);
  ASSERT_EQ(manifests.size(), 1u);
  testing::FlipByte(manifests[0], 0.5);
  EXPECT_THAT(RestoreStore(backup.string(), (root_ / "restored").string()),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_FALSE(fs::exists(root_ / "restored"));
}

}  // namespace
}  // namespace newsdesk::ingest
