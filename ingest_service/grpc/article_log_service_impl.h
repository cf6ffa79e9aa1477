// gRPC adapter of the article log: streams stored articles in log order to
// query services, then pushes new ones as they are committed.
//
// Subscribers cannot slow ingest down: each stream reads the stored log at
// its own pace and holds at most one message (max_batch_size entries) of its
// own; nothing is buffered for it elsewhere. A subscriber that stops reading
// fills its connection's flow-control window; once a message has waited
// `stall_timeout` to be sent, the stream is cut off (CANCELLED) with a
// WARNING in the log, and the subscriber resumes where it stopped when it
// subscribes again. At most `max_subscribers` streams are open at once;
// more are refused with RESOURCE_EXHAUSTED.
#ifndef INGEST_SERVICE_GRPC_ARTICLE_LOG_SERVICE_IMPL_H_
#define INGEST_SERVICE_GRPC_ARTICLE_LOG_SERVICE_IMPL_H_

#include <atomic>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/grpc/call_limiter.h"
#include "ingest_service/store/article_store.h"
#include "newsdesk/v1/article_log_service.grpc.pb.h"

namespace newsdesk::ingest {

struct ArticleLogServiceOptions {
  // How often an idle stream gets a heartbeat carrying the head sequence.
  absl::Duration heartbeat_interval = absl::Seconds(1);
  // Entries per message unless the subscriber asks for fewer.
  int default_batch_size = 256;
  int max_batch_size = 1024;
  // Bytes of entries per message: fewer entries are sent when they are
  // large (at least one, whatever its size), so a message stays within
  // what subscribers accept.
  size_t max_message_bytes = 2 << 20;
  // Streams open at once; 0: no limit.
  int max_subscribers = 64;
  // How long a message may wait for a subscriber that does not read.
  absl::Duration stall_timeout = absl::Seconds(30);
};

class ArticleLogServiceImpl final : public v1::ArticleLogService::Service {
 public:
  // `log` is not owned and must outlive the service. Streams end when the
  // log is closed.
  ArticleLogServiceImpl(ArticleLogServiceOptions options, const ArticleLog* log);
  ~ArticleLogServiceImpl() override;

  // Ends every open stream within one heartbeat interval; new streams end
  // at once. Call before shutting the gRPC server down.
  void Stop();

  grpc::Status SubscribeArticles(
      grpc::ServerContext* context, const v1::SubscribeArticlesRequest* request,
      grpc::ServerWriter<v1::SubscribeArticlesResponse>* writer) override;
  grpc::Status GetLogState(grpc::ServerContext* context,
                           const v1::GetLogStateRequest* request,
                           v1::GetLogStateResponse* response) override;

 private:
  // A stream being written to: since when (InfinitePast when not writing).
  struct OpenStream {
    grpc::ServerContext* context;
    absl::Time writing_since = absl::InfinitePast();
  };

  // SubscribeArticles once admitted.
  grpc::Status Serve(grpc::ServerContext* context, const v1::SubscribeArticlesRequest* request,
                     grpc::ServerWriter<v1::SubscribeArticlesResponse>* writer,
                     OpenStream* stream);
  // Cuts off streams whose write has waited longer than stall_timeout.
  void WatchStalls();

  const ArticleLogServiceOptions options_;
  const ArticleLog* const log_;
  CallLimiter subscribers_;
  std::atomic<bool> stopped_{false};

  absl::Mutex mu_;
  absl::flat_hash_set<OpenStream*> streams_ ABSL_GUARDED_BY(mu_);
  bool watcher_stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread watcher_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_GRPC_ARTICLE_LOG_SERVICE_IMPL_H_
