#include "query_service/replica/replica_store.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;

Article Entry(int64_t sequence) {
  Article a;
  a.id = absl::StrCat("id", sequence);
  a.title = absl::StrCat("Title ", sequence);
  a.log_sequence = sequence;
  return a;
}

class ReplicaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("replica_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ReplicaStoreTest, AppendsInOrderSkipsRepeatsAndRejectsGaps) {
  auto replica = ReplicaStore::Open(dir_.string());
  ASSERT_TRUE(replica.ok());
  EXPECT_EQ((*replica)->head(), 0);
  EXPECT_THAT((*replica)->Append({Entry(1), Entry(2)}), IsOk());
  EXPECT_THAT((*replica)->Append({Entry(2), Entry(3)}), IsOk());  // 2 again: skipped
  EXPECT_EQ((*replica)->head(), 3);
  EXPECT_THAT((*replica)->Append({Entry(5)}), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ((*replica)->head(), 3);
}

TEST_F(ReplicaStoreTest, ReopenReplaysEverythingInOrder) {
  {
    auto replica = ReplicaStore::Open(dir_.string());
    ASSERT_TRUE(replica.ok());
    ASSERT_THAT((*replica)->Append({Entry(1), Entry(2), Entry(3)}), IsOk());
  }
  auto replica = ReplicaStore::Open(dir_.string());
  ASSERT_TRUE(replica.ok());
  EXPECT_EQ((*replica)->head(), 3);
  std::vector<int64_t> seen;
  EXPECT_THAT((*replica)->ForEach([&seen](Article a) {
    seen.push_back(a.log_sequence);
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3}));
}

}  // namespace
}  // namespace newsdesk::query
