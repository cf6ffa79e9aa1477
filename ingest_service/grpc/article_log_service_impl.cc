#include "ingest_service/grpc/article_log_service_impl.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "common/grpc/status_util.h"
#include "common/model/log_entry_convert.h"
#include "glog/logging.h"

namespace newsdesk::ingest {

grpc::Status ArticleLogServiceImpl::SubscribeArticles(
    grpc::ServerContext* context, const v1::SubscribeArticlesRequest* request,
    grpc::ServerWriter<v1::SubscribeArticlesResponse>* writer) {
  int batch_size = request->max_batch_size() > 0
                       ? std::min(request->max_batch_size(), options_.max_batch_size)
                       : options_.default_batch_size;
  int64_t next = std::max<int64_t>(request->start_sequence(), 1);
  VLOG(1) << "log subscriber " << context->peer() << " starts at " << next;
  bool first = true;
  while (!context->IsCancelled() && !log_->closed() && !stopped_.load()) {
    const int64_t head =
        first ? log_->HeadSequence()
              : log_->WaitForSequence(next, absl::Now() + options_.heartbeat_interval);
    v1::SubscribeArticlesResponse response;
    response.set_head_sequence(head);
    if (head >= next) {
      absl::StatusOr<std::vector<LogEntry>> entries = log_->ReadFrom(next, batch_size);
      if (!entries.ok()) {
        LOG(ERROR) << "reading the article log at " << next << ": " << entries.status();
        return ToGrpcStatus(entries.status());
      }
      for (const LogEntry& entry : *entries) ToProto(entry, response.add_entries());
      next += entries->size();
    }
    first = false;
    if (!writer->Write(response)) break;  // the subscriber went away
  }
  if (log_->closed() || stopped_.load()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the ingest service is shutting down");
  }
  return grpc::Status::OK;
}

grpc::Status ArticleLogServiceImpl::GetLogState(grpc::ServerContext* context,
                                                const v1::GetLogStateRequest* request,
                                                v1::GetLogStateResponse* response) {
  response->set_head_sequence(log_->HeadSequence());
  return grpc::Status::OK;
}

}  // namespace newsdesk::ingest
