// The seam between the query service and the article log it follows. The
// gRPC implementation talks to the ingest service's ArticleLogService; a
// cluster backend or a test fake implements the same interface.
#ifndef QUERY_SERVICE_FOLLOWER_ARTICLE_LOG_CLIENT_H_
#define QUERY_SERVICE_FOLLOWER_ARTICLE_LOG_CLIENT_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/model/log_entry.h"

namespace grpc {
class Channel;
class ClientContext;
}  // namespace grpc

namespace newsdesk::query {

class ArticleLogClient {
 public:
  // Receives each batch of entries (possibly empty: a heartbeat) and the
  // log's head sequence at the time. A non-OK return ends the stream.
  using BatchHandler =
      std::function<absl::Status(std::vector<LogEntry> entries, int64_t head_sequence)>;

  virtual ~ArticleLogClient() = default;

  // Streams the log from `start_sequence` until the stream fails, the
  // handler fails or Cancel() is called; returns why it ended.
  virtual absl::Status Follow(int64_t start_sequence, const BatchHandler& handler) = 0;

  // Ends a Follow call in progress, from any thread.
  virtual void Cancel() = 0;
};

class GrpcArticleLogClient : public ArticleLogClient {
 public:
  explicit GrpcArticleLogClient(std::shared_ptr<grpc::Channel> channel);
  absl::Status Follow(int64_t start_sequence, const BatchHandler& handler) override;
  void Cancel() override;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  absl::Mutex mu_;
  grpc::ClientContext* active_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_FOLLOWER_ARTICLE_LOG_CLIENT_H_
