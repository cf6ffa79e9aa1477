#include "tests/integration/test_cluster.h"

#include <grpcpp/grpcpp.h>

#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "common/grpc/health_client.h"
#include "common/grpc/status_util.h"

namespace newsdesk::testing {
namespace {

std::string Listen(int port) { return absl::StrCat("--listen=127.0.0.1:", port); }

}  // namespace

TestCluster::TestCluster(std::string work_dir)
    : work_dir_(absl::StrCat(work_dir, "-", getpid())) {
  std::filesystem::remove_all(work_dir_);
  std::filesystem::create_directories(work_dir_);
}

std::shared_ptr<grpc::Channel> TestCluster::Channel(int port) const {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), security_.client_credentials);
}

TestCluster::~TestCluster() {
  ingest_.reset();
  query_.reset();
  const bool failed = ::testing::Test::HasFailure() ||
                      ::testing::UnitTest::GetInstance()->failed_test_count() > 0;
  if (!failed) std::filesystem::remove_all(work_dir_);
}

absl::Status TestCluster::StartIngest(const std::vector<std::string>& extra_flags) {
  ingest_.reset();
  std::vector<std::string> args = {Listen(ingest_port_),
                                   "--data_dir=" + work_dir_ + "/ingest-data"};
  args.insert(args.end(), security_.ingest_flags.begin(), security_.ingest_flags.end());
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());
  auto process = ServiceProcess::Start(BinDir() + "/newsdesk-ingest", args, work_dir_);
  if (!process.ok()) return process.status();
  ingest_ = std::move(process).value();
  ingest_port_ = ingest_->port();
  ingest_stub_ = v1::IngestService::NewStub(Channel(ingest_port_));
  return absl::OkStatus();
}

absl::Status TestCluster::StartQuery(const std::vector<std::string>& extra_flags) {
  query_.reset();
  std::vector<std::string> args = {Listen(query_port_), "--data_dir=" + work_dir_ + "/query-data",
                                   absl::StrCat("--ingest_address=127.0.0.1:", ingest_port_)};
  args.insert(args.end(), security_.query_flags.begin(), security_.query_flags.end());
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());
  auto process = ServiceProcess::Start(BinDir() + "/newsdesk-query", args, work_dir_);
  if (!process.ok()) return process.status();
  query_ = std::move(process).value();
  query_port_ = query_->port();
  query_stub_ = v1::QueryService::NewStub(Channel(query_port_));
  return absl::OkStatus();
}

absl::Status TestCluster::WaitQueryServing(absl::Duration timeout) {
  return WaitUntilServing(Channel(query_port_), timeout);
}

absl::StatusOr<std::vector<v1::Article>> TestCluster::AllArticles(int page_size) {
  std::vector<v1::Article> out;
  v1::SearchArticlesRequest request;
  request.set_page_size(page_size);
  while (true) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    v1::SearchArticlesResponse response;
    grpc::Status status = query_stub_->SearchArticles(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    for (const auto& m : response.matches()) out.push_back(m.article());
    if (response.next_page_token().empty()) return out;
    request.set_page_token(response.next_page_token());
  }
}

absl::Status TestCluster::WaitForArticleCount(int64_t count, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  int64_t seen = -1;
  while (absl::Now() < deadline) {
    // Counted by story: only articles the link stage has linked count.
    grpc::ClientContext context;
    v1::CountArticlesRequest request;
    request.set_group_by(v1::COUNT_GROUP_BY_STORY);
    request.set_max_groups(1);
    v1::CountArticlesResponse response;
    if (query_stub_->CountArticles(&context, request, &response).ok()) {
      seen = response.total_size();
      if (seen >= count) return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("query service has linked ", seen, " articles, want ", count));
}

}  // namespace newsdesk::testing
