// Crash safety with real processes: while clients ingest a stream of
// articles, the query service, the ingest service, or both are killed with
// SIGKILL and started again on the same data. Afterwards every acknowledged
// article is queryable exactly once, and the log has no gaps.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
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

// Ingests articles 0, 1, 2, ... from several threads until stopped,
// retrying each article until it is acknowledged, the way a careful client
// does. Records the acknowledged ids.
class IngestLoad {
 public:
  explicit IngestLoad(TestCluster* cluster) : cluster_(cluster) {}

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
  int64_t ack_count() {
    absl::MutexLock lock(&mu_);
    return static_cast<int64_t>(acked_.size());
  }

 private:
  void Run() {
    while (!stop_) {
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
          acked_.insert(response.article().article_id());
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
  std::vector<std::thread> threads_;
  absl::Mutex mu_;
  std::set<std::string> acked_ ABSL_GUARDED_BY(mu_);
};

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
  for (int round = 0; round < 3; ++round) {
    // Let some articles through, then kill in the middle of the stream.
    const int64_t before = load.ack_count();
    for (int i = 0; i < 500 && load.ack_count() < before + 30; ++i) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    if (victim == "query" || victim == "both") cluster.query()->Kill();
    if (victim == "ingest" || victim == "both") cluster.ingest()->Kill();
    absl::SleepFor(absl::Milliseconds(50));
    if (victim == "ingest" || victim == "both") {
      ASSERT_TRUE(cluster.StartIngest().ok());
    }
    if (victim == "query" || victim == "both") {
      ASSERT_TRUE(cluster.StartQuery().ok());
    }
  }
  const int64_t target = load.ack_count() + 20;
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
