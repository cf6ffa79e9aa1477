// gRPC adapter of the ingest core: converts requests to domain types, calls
// the Ingestor and maps its status. No logic of its own.
#ifndef INGEST_SERVICE_GRPC_INGEST_SERVICE_IMPL_H_
#define INGEST_SERVICE_GRPC_INGEST_SERVICE_IMPL_H_

#include "common/grpc/call_limiter.h"
#include "ingest_service/core/ingestor.h"
#include "newsdesk/v1/ingest_service.grpc.pb.h"

namespace newsdesk::ingest {

class IngestServiceImpl final : public v1::IngestService::Service {
 public:
  // `ingestor` is not owned and must outlive the service. Beyond
  // `max_concurrent_calls` calls at once (0: no limit) calls are refused
  // with RESOURCE_EXHAUSTED.
  explicit IngestServiceImpl(Ingestor* ingestor, int max_concurrent_calls = 0)
      : ingestor_(ingestor), limiter_("ingest calls", max_concurrent_calls) {}

  grpc::Status IngestArticle(grpc::ServerContext* context,
                             const v1::IngestArticleRequest* request,
                             v1::IngestArticleResponse* response) override;
  grpc::Status BatchIngestArticles(
      grpc::ServerContext* context,
      grpc::ServerReader<v1::BatchIngestArticlesRequest>* reader,
      v1::BatchIngestArticlesResponse* response) override;
  grpc::Status ParseArticle(grpc::ServerContext* context,
                            const v1::ParseArticleRequest* request,
                            v1::ParseArticleResponse* response) override;

 private:
  Ingestor* const ingestor_;
  CallLimiter limiter_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_GRPC_INGEST_SERVICE_IMPL_H_
