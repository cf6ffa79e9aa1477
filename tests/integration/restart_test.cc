// Crash safety with real processes: while clients ingest a stream of
// articles, the query service, the ingest service, or both are killed with
// SIGKILL at random moments and started again on the same data. After each
// restart every article acknowledged so far is readable; at the end every
// acknowledged article is queryable exactly once and the log has no gaps.
//
// NEWSDESK_RESTART_CYCLES sets the number of kill cycles per victim (3 by
// default) and NEWSDESK_RESTART_SEED the random seed (printed otherwise), so
// a long run is one command:
//   NEWSDESK_RESTART_CYCLES=1000 build/bin/integration_test --gtest_filter='Victims/*'

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "tests/integration/ingest_load.h"
#include "tests/integration/test_cluster.h"

namespace newsdesk::testing {
namespace {

class RestartTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RestartTest, KillNineLosesNothingAndAppliesNothingTwice) {
  const std::string victim = GetParam();
  TestCluster cluster(::testing::TempDir() + "/restart_" + victim);
  ASSERT_TRUE(cluster.StartIngest().ok());
  ASSERT_TRUE(cluster.StartQuery().ok());
  ASSERT_TRUE(cluster.WaitQueryServing().ok());

  IngestLoad load(&cluster);
  load.Start(4);
  const int cycles = EnvInt("NEWSDESK_RESTART_CYCLES", 3);
  const int seed = EnvInt("NEWSDESK_RESTART_SEED", static_cast<int>(absl::ToUnixMicros(absl::Now())));
  std::cout << "restart test: victim " << victim << ", " << cycles << " cycles, seed " << seed
            << std::endl;
  std::mt19937 random(seed);
  size_t checked = 0;
  for (int cycle = 0; cycle < cycles && !::testing::Test::HasFailure(); ++cycle) {
    // Let a random number of articles through, then kill at a random moment
    // in the middle of the stream.
    const int64_t before = load.ack_count();
    const int64_t wanted = before + std::uniform_int_distribution<int>(1, 30)(random);
    load.RaiseLimit(static_cast<int>(wanted) + 40);  // articles still in flight at the kill
    for (int i = 0; i < 500 && load.ack_count() < wanted; ++i) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    absl::SleepFor(absl::Microseconds(std::uniform_int_distribution<int>(0, 20000)(random)));
    if (victim == "query" || victim == "both") cluster.query()->Kill();
    if (victim == "ingest" || victim == "both") cluster.ingest()->Kill();
    if (victim == "ingest" || victim == "both") {
      ASSERT_TRUE(cluster.StartIngest().ok());
    }
    if (victim == "query" || victim == "both") {
      ASSERT_TRUE(cluster.StartQuery().ok());
    }
    // Everything acknowledged before the kill survived it.
    const std::vector<std::string> acked = load.acked_in_order();
    for (; checked < acked.size(); ++checked) ExpectReadable(&cluster, acked[checked]);
  }
  const int64_t target = load.ack_count() + 20;
  load.RaiseLimit(static_cast<int>(target) + 40);
  for (int i = 0; i < 1000 && load.ack_count() < target; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  load.Stop();
  const std::set<std::string> acked = load.acked();
  ASSERT_GE(acked.size(), 50u);
  ASSERT_TRUE(cluster.WaitQueryServing().ok());
  ASSERT_TRUE(cluster.WaitForArticleCount(static_cast<int64_t>(acked.size())).ok());
  ExpectExactlyOnce(&cluster, acked);

  // A clean restart of both changes nothing.
  ASSERT_EQ(*cluster.query()->Terminate(), 0);
  ASSERT_EQ(*cluster.ingest()->Terminate(), 0);
  ASSERT_TRUE(cluster.StartIngest().ok());
  ASSERT_TRUE(cluster.StartQuery().ok());
  ASSERT_TRUE(cluster.WaitQueryServing().ok());
  ExpectExactlyOnce(&cluster, acked);
}

INSTANTIATE_TEST_SUITE_P(Victims, RestartTest, ::testing::Values("query", "ingest", "both"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace newsdesk::testing
