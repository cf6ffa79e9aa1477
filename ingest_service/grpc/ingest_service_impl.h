// gRPC adapter of the ingest core: converts requests to domain types, calls
// the Ingestor or the Reclassifier and maps their status. No logic of its
// own.
#ifndef INGEST_SERVICE_GRPC_INGEST_SERVICE_IMPL_H_
#define INGEST_SERVICE_GRPC_INGEST_SERVICE_IMPL_H_

#include "common/grpc/call_limiter.h"
#include "ingest_service/core/ingestor.h"
#include "ingest_service/core/reclassifier.h"
#include "newsdesk/v1/ingest_service.grpc.pb.h"

namespace newsdesk::ingest {

class IngestServiceImpl final : public v1::IngestService::Service {
 public:
  // Neither pointer is owned; both must outlive the service. Without a
  // reclassifier, ReclassifyArticles answers UNIMPLEMENTED. Beyond
  // `max_concurrent_calls` calls at once (0: no limit) calls are refused
  // with RESOURCE_EXHAUSTED.
  explicit IngestServiceImpl(Ingestor* ingestor, const Reclassifier* reclassifier = nullptr,
                             int max_concurrent_calls = 0)
      : ingestor_(ingestor),
        reclassifier_(reclassifier),
        limiter_("ingest calls", max_concurrent_calls) {}

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
  grpc::Status ReclassifyArticles(grpc::ServerContext* context,
                                  const v1::ReclassifyArticlesRequest* request,
                                  v1::ReclassifyArticlesResponse* response) override;

  // Calls holding a place under the limit now.
  int calls_in_flight() const { return limiter_.in_flight(); }

 private:
  Ingestor* const ingestor_;
  const Reclassifier* const reclassifier_;
  CallLimiter limiter_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_GRPC_INGEST_SERVICE_IMPL_H_
