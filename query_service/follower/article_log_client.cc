#include "query_service/follower/article_log_client.h"

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "common/grpc/status_util.h"
#include "common/model/log_entry_convert.h"
#include "newsdesk/v1/article_log_service.grpc.pb.h"

namespace newsdesk::query {

GrpcArticleLogClient::GrpcArticleLogClient(std::shared_ptr<grpc::Channel> channel)
    : channel_(std::move(channel)) {}

absl::Status GrpcArticleLogClient::Follow(int64_t start_sequence,
                                          const BatchHandler& handler) {
  auto stub = v1::ArticleLogService::NewStub(channel_);
  grpc::ClientContext context;
  {
    absl::MutexLock lock(&mu_);
    if (cancelled_) return absl::CancelledError("log client cancelled");
    active_ = &context;
  }
  // Wait for the ingest service to be reachable rather than failing at once.
  context.set_wait_for_ready(true);
  v1::SubscribeArticlesRequest request;
  request.set_start_sequence(start_sequence);
  auto reader = stub->SubscribeArticles(&context, request);
  v1::SubscribeArticlesResponse response;
  absl::Status handler_status;
  while (reader->Read(&response)) {
    std::vector<LogEntry> entries;
    entries.reserve(response.entries_size());
    for (v1::LogEntry& proto : *response.mutable_entries()) {
      // With its bytes as received: the replica stores them as they are.
      absl::StatusOr<LogEntry> entry = FromReceivedProto(&proto);
      if (!entry.ok()) {
        handler_status = entry.status();
        break;
      }
      entries.push_back(*std::move(entry));
    }
    if (handler_status.ok()) {
      handler_status = handler(std::move(entries), response.head_sequence());
    }
    if (!handler_status.ok()) {
      context.TryCancel();
      break;
    }
  }
  grpc::Status status = reader->Finish();
  {
    absl::MutexLock lock(&mu_);
    active_ = nullptr;
  }
  if (!handler_status.ok()) return handler_status;
  return FromGrpcStatus(status);
}

void GrpcArticleLogClient::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  if (active_ != nullptr) active_->TryCancel();
}

}  // namespace newsdesk::query
