// A careful client's load for integration tests: articles ingested from
// several threads, each retried until acknowledged, with the acknowledged ids
// recorded; and the checks every crash and recovery test makes of them.
#ifndef TESTS_INTEGRATION_INGEST_LOAD_H_
#define TESTS_INTEGRATION_INGEST_LOAD_H_

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "tests/integration/test_cluster.h"

namespace newsdesk::testing {

// The text of article number `n`; distinct n give distinct articles.
std::string ArticleText(int n);

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

// The integer in environment variable `name`, or `fallback`.
int EnvInt(const char* name, int fallback);

// Waits until the query service returns `id` from GetArticle.
void ExpectReadable(TestCluster* cluster, const std::string& id);

// Every acknowledged article is present exactly once and the log sequences
// are 1..N without gaps.
void ExpectExactlyOnce(TestCluster* cluster, const std::set<std::string>& acked);

}  // namespace newsdesk::testing

#endif  // TESTS_INTEGRATION_INGEST_LOAD_H_
