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
#include "tests/integration/test_cluster.h"

namespace newsdesk::testing {
namespace {

std::string ArticleText(int n) {
  return absl::StrCat("Report number ", n, " from the restart test\n\n",
                      "March 3, 2024\n\n",
                      "Officials in Kyiv said on Tuesday that talks number ", n,
                      " would continue. Volodymyr Zelensky met the delegation.\n");
}

// Ingests articles 0, 1, 2, ... from several threads until stopped or
// until the article number reaches the limit, retrying each article until it
// is acknowledged, the way a careful client does. Records the acknowledged
// ids.
class IngestLoad {
 public:
  explicit IngestLoad(TestCluster* cluster) : cluster_(cluster) {}
  ~IngestLoad() { Stop(); }

  // Lets the threads go on up to article number `limit`.
  void RaiseLimit(int limit) { limit_ = std::max(limit_.load(), limit); }

  void Start(int threads) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this] { Run(); });
    }
  }

  void Stop() {
    stop_ = true;
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

  std::set<std::string> acked() {
    absl::MutexLock lock(&mu_);
    return acked_;
  }
  // Acknowledged ids in the order they were acknowledged.
  std::vector<std::string> acked_in_order() {
    absl::MutexLock lock(&mu_);
    return order_;
  }
  int64_t ack_count() {
    absl::MutexLock lock(&mu_);
    return static_cast<int64_t>(acked_.size());
  }

 private:
  void Run() {
    while (!stop_) {
      if (next_ >= limit_) {
        absl::SleepFor(absl::Milliseconds(1));
        continue;
      }
      const int n = next_++;
      while (!stop_) {
        v1::IngestArticleRequest request;
        request.mutable_article()->set_content(ArticleText(n));
        v1::IngestArticleResponse response;
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
        auto stub = v1::IngestService::NewStub(grpc::CreateChannel(
            address(), grpc::InsecureChannelCredentials()));
        if (stub->IngestArticle(&context, request, &response).ok()) {
          absl::MutexLock lock(&mu_);
          if (acked_.insert(response.article().article_id()).second) {
            order_.push_back(response.article().article_id());
          }
          break;
        }
        absl::SleepFor(absl::Milliseconds(20));  // service down: retry
      }
    }
  }

  std::string address() { return cluster_->ingest_address(); }

  TestCluster* cluster_;
  std::atomic<bool> stop_{false};
  std::atomic<int> next_{0};
  std::atomic<int> limit_{0};
  std::vector<std::thread> threads_;
  absl::Mutex mu_;
  std::set<std::string> acked_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> order_ ABSL_GUARDED_BY(mu_);
};

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

// Waits until the query service returns `id` from GetArticle.
void ExpectReadable(TestCluster* cluster, const std::string& id) {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  grpc::Status status;
  while (absl::Now() < deadline) {
    v1::GetArticleRequest request;
    request.set_name("articles/" + id);
    v1::GetArticleResponse response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    status = cluster->query_stub()->GetArticle(&context, request, &response);
    if (status.ok()) {
      EXPECT_EQ(response.article().article_id(), id);
      return;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  ADD_FAILURE() << "acknowledged article " << id << " not readable: " << status.error_message();
}

// Every acknowledged article is present exactly once and the log sequences
// are 1..N without gaps.
void ExpectExactlyOnce(TestCluster* cluster, const std::set<std::string>& acked) {
  auto all = cluster->AllArticles(500);
  ASSERT_TRUE(all.ok()) << all.status();
  std::set<std::string> ids;
  std::set<int64_t> sequences;
  for (const v1::Article& a : *all) {
    EXPECT_TRUE(ids.insert(a.article_id()).second) << "duplicate " << a.article_id();
    EXPECT_TRUE(sequences.insert(a.log_sequence()).second);
  }
  for (const std::string& id : acked) EXPECT_TRUE(ids.count(id)) << "lost " << id;
  ASSERT_FALSE(sequences.empty());
  EXPECT_EQ(*sequences.begin(), 1);
  EXPECT_EQ(*sequences.rbegin(), static_cast<int64_t>(sequences.size()));
}

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
