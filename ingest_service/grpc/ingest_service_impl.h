// gRPC adapter of the ingest core: converts requests to domain types, calls
// the Ingestor or the Reclassifier and maps their status. No logic of its
// own.
#ifndef INGEST_SERVICE_GRPC_INGEST_SERVICE_IMPL_H_
#define INGEST_SERVICE_GRPC_INGEST_SERVICE_IMPL_H_

#include "ingest_service/core/ingestor.h"
#include "ingest_service/core/reclassifier.h"
#include "newsdesk/v1/ingest_service.grpc.pb.h"

namespace newsdesk::ingest {

class IngestServiceImpl final : public v1::IngestService::Service {
 public:
  // Neither pointer is owned; both must outlive the service. Without a
  // reclassifier, ReclassifyArticles answers UNIMPLEMENTED.
  explicit IngestServiceImpl(Ingestor* ingestor, const Reclassifier* reclassifier = nullptr)
      : ingestor_(ingestor), reclassifier_(reclassifier) {}

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

 private:
  Ingestor* const ingestor_;
  const Reclassifier* const reclassifier_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_GRPC_INGEST_SERVICE_IMPL_H_
