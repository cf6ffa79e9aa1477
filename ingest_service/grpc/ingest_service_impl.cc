#include "ingest_service/grpc/ingest_service_impl.h"

#include "common/grpc/status_util.h"
#include "common/model/article_convert.h"
#include "ingest_service/grpc/ingest_convert.h"
#include "glog/logging.h"

namespace newsdesk::ingest {
namespace {

absl::Status CheckDeadline(grpc::ServerContext* context) {
  if (context->IsCancelled()) {
    return absl::DeadlineExceededError("the call was cancelled or its deadline passed");
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status IngestServiceImpl::IngestArticle(grpc::ServerContext* context,
                                              const v1::IngestArticleRequest* request,
                                              v1::IngestArticleResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("IngestArticle", permit.status());
  if (absl::Status s = CheckDeadline(context); !s.ok()) return FailedCall("IngestArticle", s);
  absl::StatusOr<PutResult> result = ingestor_->Ingest(newsdesk::FromProto(request->article()));
  if (!result.ok()) return FailedCall("IngestArticle", result.status());
  newsdesk::ToProto(result->article, response->mutable_article());
  response->set_already_existed(result->already_existed);
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::BatchIngestArticles(
    grpc::ServerContext* context, grpc::ServerReader<v1::BatchIngestArticlesRequest>* reader,
    v1::BatchIngestArticlesResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("BatchIngestArticles", permit.status());
  v1::BatchIngestArticlesRequest item;
  Ingestor::Batch batch = ingestor_->StartBatch();
  while (reader->Read(&item)) {
    if (absl::Status s = CheckDeadline(context); !s.ok()) {
      return FailedCall("BatchIngestArticles", s);
    }
    batch.Add(newsdesk::FromProto(item.article()));
  }
  std::vector<absl::StatusOr<PutResult>> results = std::move(batch).Finish();
  for (size_t index = 0; index < results.size(); ++index) {
    const absl::StatusOr<PutResult>& result = results[index];
    v1::BatchIngestResult* out = response->add_results();
    out->set_index(static_cast<int>(index));
    if (!result.ok()) {
      const grpc::Status mapped = ToGrpcStatus(result.status());
      out->set_code(mapped.error_code());
      out->set_message(mapped.error_message());
      response->set_failed_count(response->failed_count() + 1);
      continue;
    }
    out->set_article_id(result->article.id);
    out->set_log_sequence(result->article.log_sequence);
    out->set_already_existed(result->already_existed);
    if (result->already_existed) {
      response->set_existing_count(response->existing_count() + 1);
    } else {
      response->set_stored_count(response->stored_count() + 1);
    }
  }
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::ParseArticle(grpc::ServerContext* context,
                                             const v1::ParseArticleRequest* request,
                                             v1::ParseArticleResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("ParseArticle", permit.status());
  absl::StatusOr<Article> article = ingestor_->Parse(newsdesk::FromProto(request->article()));
  if (!article.ok()) return FailedCall("ParseArticle", article.status());
  newsdesk::ToProto(*article, response->mutable_article());
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::ReclassifyArticles(grpc::ServerContext* context,
                                                   const v1::ReclassifyArticlesRequest* request,
                                                   v1::ReclassifyArticlesResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("ReclassifyArticles", permit.status());
  if (reclassifier_ == nullptr) {
    return FailedCall("ReclassifyArticles",
                      absl::UnimplementedError("this service does not classify articles again"));
  }
  absl::StatusOr<ReclassifyResult> result = reclassifier_->Run(FromProto(*request));
  if (!result.ok()) return FailedCall("ReclassifyArticles", result.status());
  ToProto(*result, reclassifier_->taxonomy_version(), response);
  return grpc::Status::OK;
}

}  // namespace newsdesk::ingest
