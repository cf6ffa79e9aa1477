#include "common/grpc/call_limiter.h"

#include <atomic>
#include <thread>
#include <vector>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk {
namespace {

using ::newsdesk::testing::StatusIs;

TEST(CallLimiterTest, RefusesBeyondTheLimitUntilAPlaceIsFree) {
  CallLimiter limiter("query calls", 2);
  absl::StatusOr<CallLimiter::Permit> first = limiter.Acquire();
  absl::StatusOr<CallLimiter::Permit> second = limiter.Acquire();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  absl::StatusOr<CallLimiter::Permit> third = limiter.Acquire();
  EXPECT_THAT(third, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(third.status().message(),
            "the server is at its limit of 2 query calls at once; retry later");
  EXPECT_EQ(limiter.in_flight(), 2);
  first = absl::UnavailableError("released");  // drops the permit
  EXPECT_EQ(limiter.in_flight(), 1);
  EXPECT_TRUE(limiter.Acquire().ok());
  EXPECT_EQ(limiter.in_flight(), 1);  // that permit was a temporary
}

TEST(CallLimiterTest, ZeroMeansNoLimit) {
  CallLimiter limiter("calls", 0);
  std::vector<CallLimiter::Permit> permits;
  for (int i = 0; i < 1000; ++i) permits.push_back(*limiter.Acquire());
  EXPECT_EQ(limiter.in_flight(), 1000);
}

TEST(CallLimiterTest, ConcurrentCallersNeverExceedTheLimit) {
  CallLimiter limiter("calls", 3);
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        absl::StatusOr<CallLimiter::Permit> permit = limiter.Acquire();
        if (!permit.ok()) continue;
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        --running;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_EQ(limiter.in_flight(), 0);
}

}  // namespace
}  // namespace newsdesk
