#include "ingest_service/grpc/article_log_service_impl.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "google/protobuf/arena.h"
#include "common/grpc/status_util.h"
#include "common/model/log_entry_convert.h"
#include "glog/logging.h"

namespace newsdesk::ingest {

ArticleLogServiceImpl::ArticleLogServiceImpl(ArticleLogServiceOptions options,
                                             const ArticleLog* log)
    : options_(options), log_(log), subscribers_("log subscribers", options.max_subscribers) {
  watcher_ = std::thread([this] { WatchStalls(); });
}

ArticleLogServiceImpl::~ArticleLogServiceImpl() {
  {
    absl::MutexLock lock(&mu_);
    watcher_stopping_ = true;
  }
  watcher_.join();
}

void ArticleLogServiceImpl::Stop() { stopped_.store(true); }

void ArticleLogServiceImpl::WatchStalls() {
  const absl::Duration period =
      std::min(absl::Seconds(1), std::max(absl::Milliseconds(10), options_.stall_timeout / 4));
  absl::MutexLock lock(&mu_);
  auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return watcher_stopping_; };
  while (!mu_.AwaitWithTimeout(absl::Condition(&stopping), period)) {
    const absl::Time now = absl::Now();
    for (OpenStream* stream : streams_) {
      const bool writing = stream->writing_since != absl::InfinitePast();
      if (writing && now - stream->writing_since > options_.stall_timeout) {
        LOG(WARNING) << "log subscriber " << stream->context->peer() << " has not read for "
                     << now - stream->writing_since << "; its stream is cut off";
        stream->context->TryCancel();
        stream->writing_since = absl::InfinitePast();
      }
    }
  }
}

grpc::Status ArticleLogServiceImpl::SubscribeArticles(
    grpc::ServerContext* context, const v1::SubscribeArticlesRequest* request,
    grpc::ServerWriter<v1::SubscribeArticlesResponse>* writer) {
  absl::StatusOr<CallLimiter::Permit> permit = subscribers_.Acquire();
  if (!permit.ok()) return FailedCall("SubscribeArticles", permit.status());
  OpenStream stream{context};
  {
    absl::MutexLock lock(&mu_);
    streams_.insert(&stream);
  }
  grpc::Status status = Serve(context, request, writer, &stream);
  absl::MutexLock lock(&mu_);
  streams_.erase(&stream);
  return status;
}

grpc::Status ArticleLogServiceImpl::Serve(
    grpc::ServerContext* context, const v1::SubscribeArticlesRequest* request,
    grpc::ServerWriter<v1::SubscribeArticlesResponse>* writer, OpenStream* stream) {
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
    // Entries are decoded from their stored bytes straight into the
    // response's messages, on an arena freed at once.
    google::protobuf::Arena arena;
    auto* response = google::protobuf::Arena::CreateMessage<v1::SubscribeArticlesResponse>(&arena);
    response->set_head_sequence(head);
    if (head >= next) {
      absl::StatusOr<std::vector<std::string>> values = log_->ReadEncodedFrom(next, batch_size);
      if (!values.ok()) {
        LOG(ERROR) << "reading the article log at " << next << ": " << values.status();
        return ToGrpcStatus(values.status());
      }
      // Whole entries up to the byte budget, and at least one.
      size_t bytes = 0;
      for (const std::string& value : *values) {
        if (response->entries_size() > 0 && bytes + value.size() > options_.max_message_bytes) {
          break;
        }
        v1::LogEntry* entry = response->add_entries();
        if (absl::Status s = DecodeLogValue(value, next, entry); !s.ok()) {
          LOG(ERROR) << s;
          return ToGrpcStatus(s);
        }
        bytes += entry->ByteSizeLong();
        ++next;
      }
    }
    first = false;
    {
      absl::MutexLock lock(&mu_);
      stream->writing_since = absl::Now();
    }
    const bool written = writer->Write(*response);
    {
      absl::MutexLock lock(&mu_);
      stream->writing_since = absl::InfinitePast();
    }
    if (!written) break;  // the subscriber went away or was cut off
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
