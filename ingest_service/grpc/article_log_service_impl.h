// gRPC adapter of the article log: streams stored articles in log order to
// query services, then pushes new ones as they are committed.
#ifndef INGEST_SERVICE_GRPC_ARTICLE_LOG_SERVICE_IMPL_H_
#define INGEST_SERVICE_GRPC_ARTICLE_LOG_SERVICE_IMPL_H_

#include <atomic>

#include "absl/time/time.h"
#include "ingest_service/store/article_store.h"
#include "newsdesk/v1/article_log_service.grpc.pb.h"

namespace newsdesk::ingest {

struct ArticleLogServiceOptions {
  // How often an idle stream gets a heartbeat carrying the head sequence.
  absl::Duration heartbeat_interval = absl::Seconds(1);
  // Entries per message unless the subscriber asks for fewer.
  int default_batch_size = 256;
  int max_batch_size = 1024;
};

class ArticleLogServiceImpl final : public v1::ArticleLogService::Service {
 public:
  // `log` is not owned and must outlive the service. Streams end when the
  // log is closed.
  ArticleLogServiceImpl(ArticleLogServiceOptions options, const ArticleLog* log)
      : options_(options), log_(log) {}

  // Ends every open stream within one heartbeat interval; new streams end
  // at once. Call before shutting the gRPC server down.
  void Stop() { stopped_.store(true); }

  grpc::Status SubscribeArticles(
      grpc::ServerContext* context, const v1::SubscribeArticlesRequest* request,
      grpc::ServerWriter<v1::SubscribeArticlesResponse>* writer) override;
  grpc::Status GetLogState(grpc::ServerContext* context,
                           const v1::GetLogStateRequest* request,
                           v1::GetLogStateResponse* response) override;

 private:
  const ArticleLogServiceOptions options_;
  const ArticleLog* const log_;
  std::atomic<bool> stopped_{false};
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_GRPC_ARTICLE_LOG_SERVICE_IMPL_H_
