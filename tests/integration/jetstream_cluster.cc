#include "tests/integration/jetstream_cluster.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/grpc/health_client.h"
#include "gtest/gtest.h"
#include "newsdesk/v1/ingest_service.grpc.pb.h"
#include "newsdesk/v1/query_service.grpc.pb.h"

namespace newsdesk::testing {
namespace {

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

}  // namespace

std::string ClusterArticleText(int n) {
  return absl::StrCat("Cluster report number ", n, "\n\n", "March 3, 2024\n\n",
                      "Officials in Kyiv said on Tuesday that cluster talks number ", n,
                      " would continue. Volodymyr Zelensky met the delegation.\n");
}

ClusterReplicas::ClusterReplicas(std::string work_dir, std::string nats_urls,
                                 std::vector<ServiceNode> ingest,
                                 std::vector<ServiceNode> query)
    : work_dir_(std::move(work_dir)), nats_urls_(std::move(nats_urls)) {
  for (ServiceNode& node : ingest) ingest_.push_back(Replica{std::move(node), 0, nullptr});
  for (ServiceNode& node : query) query_.push_back(Replica{std::move(node), 0, nullptr});
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> ClusterReplicas::Launch(
    const Replica& replica, const std::string& binary, std::vector<std::string> flags) {
  flags.insert(flags.begin(),
               {absl::StrCat("--listen=", replica.node.host, ":", replica.port),
                "--log_backend=jetstream", "--nats_servers=" + nats_urls_,
                "--dev_mode_no_auth"});
  if (replica.node.prefix.empty()) return ServiceProcess::Start(binary, flags, work_dir_);
  std::vector<std::string> args(replica.node.prefix.begin() + 1,
                                replica.node.prefix.end());
  args.push_back(binary);
  args.insert(args.end(), flags.begin(), flags.end());
  return ServiceProcess::Start(replica.node.prefix[0], args, work_dir_);
}

absl::Status ClusterReplicas::StartIngest(int i) {
  Replica& replica = ingest_[i];
  absl::Status status;
  for (int attempt = 0; attempt < 30; ++attempt) {
    replica.process.reset();
    auto process = Launch(replica, BinDir() + "/newsdesk-ingest",
                          {"--jetstream_replicas=3",
                           absl::StrCat("--data_dir=", work_dir_, "/ingest-", i)});
    if (process.ok()) {
      replica.process = *std::move(process);
      replica.port = replica.process->port();
      return absl::OkStatus();
    }
    status = process.status();
    absl::SleepFor(absl::Seconds(1));
  }
  return status;
}

absl::Status ClusterReplicas::StartQuery(int i) {
  Replica& replica = query_[i];
  replica.process.reset();
  auto process = Launch(replica, BinDir() + "/newsdesk-query",
                        {absl::StrCat("--jetstream_consumer=query-", i),
                         absl::StrCat("--data_dir=", work_dir_, "/query-", i)});
  if (!process.ok()) return process.status();
  replica.process = *std::move(process);
  replica.port = replica.process->port();
  return absl::OkStatus();
}

std::string ClusterReplicas::ingest_address(int i) const {
  return absl::StrCat(ingest_[i].node.host, ":", ingest_[i].port);
}

std::string ClusterReplicas::query_address(int i) const {
  return absl::StrCat(query_[i].node.host, ":", query_[i].port);
}

std::string ClusterReplicas::query_log_tail(int i) const {
  return query_[i].process == nullptr ? std::string()
                                      : FileTail(query_[i].process->log_path());
}

void ClusterLoad::Start(int threads) {
  for (int t = 0; t < threads; ++t) {
    threads_.emplace_back([this, t] { Run(t % replicas_->ingest_count()); });
  }
}

void ClusterLoad::Stop() {
  stop_ = true;
  const absl::Time give_up_at = absl::Now() + absl::Minutes(1);
  std::thread watchdog([this, give_up_at] {
    while (!give_up_ && absl::Now() < give_up_at) absl::SleepFor(absl::Milliseconds(50));
    give_up_ = true;
  });
  for (auto& t : threads_) t.join();
  threads_.clear();
  give_up_ = true;
  watchdog.join();
}

void ClusterLoad::WaitForMore(int64_t count) {
  const int64_t target = ack_count() + count;
  for (int i = 0; i < 6000 && ack_count() < target; ++i)
    absl::SleepFor(absl::Milliseconds(10));
  EXPECT_GE(ack_count(), target) << "ingest stalled";
}

int64_t ClusterLoad::ack_count() {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(acked_.size());
}

std::map<std::string, int64_t> ClusterLoad::acked() {
  absl::MutexLock lock(&mu_);
  return acked_;
}

void ClusterLoad::Run(int replica) {
  while (!stop_) {
    const int n = next_++;
    while (!give_up_) {
      v1::IngestArticleRequest request;
      request.mutable_article()->set_content(ClusterArticleText(n));
      v1::IngestArticleResponse response;
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      auto stub = v1::IngestService::NewStub(Channel(replicas_->ingest_address(replica)));
      if (stub->IngestArticle(&context, request, &response).ok()) {
        absl::MutexLock lock(&mu_);
        auto [it, inserted] = acked_.emplace(response.article().article_id(),
                                             response.article().log_sequence());
        if (!inserted) {
          EXPECT_EQ(it->second, response.article().log_sequence())
              << "one article acknowledged at two log positions";
        }
        break;
      }
      ++failed_calls_;
      replica = (replica + 1) % replicas_->ingest_count();
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
}

absl::StatusOr<std::map<int64_t, std::string>> AllArticlesBySequence(
    const std::string& address) {
  auto stub = v1::QueryService::NewStub(Channel(address));
  std::map<int64_t, std::string> out;
  v1::SearchArticlesRequest request;
  request.set_page_size(1000);
  request.set_view(v1::ARTICLE_VIEW_BASIC);
  while (true) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    v1::SearchArticlesResponse response;
    grpc::Status status = stub->SearchArticles(&context, request, &response);
    if (!status.ok()) return absl::UnavailableError(status.error_message());
    for (const v1::ArticleMatch& m : response.matches()) {
      if (!out.emplace(m.article().log_sequence(), m.article().article_id()).second) {
        return absl::InternalError(
            absl::StrCat("log sequence ", m.article().log_sequence(), " returned twice"));
      }
    }
    if (response.next_page_token().empty()) return out;
    request.set_page_token(response.next_page_token());
  }
}

absl::Status WaitForArticleCount(const std::string& address, int64_t count,
                                 absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  if (absl::Status s = WaitUntilServing(Channel(address), timeout); !s.ok()) return s;
  auto stub = v1::QueryService::NewStub(Channel(address));
  int64_t seen = -1;
  while (absl::Now() < deadline) {
    v1::SearchArticlesRequest request;
    request.set_page_size(1);
    v1::SearchArticlesResponse response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    if (stub->SearchArticles(&context, request, &response).ok()) {
      seen = response.total_size();
      if (seen >= count) return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return absl::DeadlineExceededError(absl::StrCat(address, " has ", seen, " of ", count));
}

}  // namespace newsdesk::testing
