// gRPC adapter of the query core: converts requests, calls the QueryEngine,
// converts results and maps its status. No logic of its own.
#ifndef QUERY_SERVICE_GRPC_QUERY_SERVICE_IMPL_H_
#define QUERY_SERVICE_GRPC_QUERY_SERVICE_IMPL_H_

#include "common/grpc/call_limiter.h"
#include "newsdesk/v1/query_service.grpc.pb.h"
#include "query_service/core/query_engine.h"
#include "query_service/core/story_queries.h"
#include "query_service/core/watch_registry.h"
#include "query_service/grpc/query_convert.h"

namespace newsdesk::query {

class QueryServiceImpl final : public v1::QueryService::Service {
 public:
  // No pointer is owned; all must outlive the service. Beyond
  // `max_concurrent_calls` unary calls at once (0: no limit) calls are
  // refused with RESOURCE_EXHAUSTED. A WatchArticles stream takes a permit
  // only while it starts; the watch registry bounds the streams themselves.
  QueryServiceImpl(const QueryEngine* engine, const StoryQueries* stories,
                   WatchRegistry* watches, int max_concurrent_calls = 0)
      : engine_(engine),
        stories_(stories),
        watches_(watches),
        limiter_("query calls", max_concurrent_calls) {}

  grpc::Status GetArticle(grpc::ServerContext* context, const v1::GetArticleRequest* request,
                          v1::GetArticleResponse* response) override;
  grpc::Status SearchArticles(grpc::ServerContext* context,
                              const v1::SearchArticlesRequest* request,
                              v1::SearchArticlesResponse* response) override;
  grpc::Status FindArticlesByEntity(grpc::ServerContext* context,
                                    const v1::FindArticlesByEntityRequest* request,
                                    v1::FindArticlesByEntityResponse* response) override;
  grpc::Status FindArticlesByDateRange(grpc::ServerContext* context,
                                       const v1::FindArticlesByDateRangeRequest* request,
                                       v1::FindArticlesByDateRangeResponse* response) override;
  grpc::Status FindArticlesByTopic(grpc::ServerContext* context,
                                   const v1::FindArticlesByTopicRequest* request,
                                   v1::FindArticlesByTopicResponse* response) override;
  grpc::Status ListEntities(grpc::ServerContext* context,
                            const v1::ListEntitiesRequest* request,
                            v1::ListEntitiesResponse* response) override;
  grpc::Status ResolveEntity(grpc::ServerContext* context,
                             const v1::ResolveEntityRequest* request,
                             v1::ResolveEntityResponse* response) override;
  grpc::Status ListTopics(grpc::ServerContext* context, const v1::ListTopicsRequest* request,
                          v1::ListTopicsResponse* response) override;
  grpc::Status CountArticles(grpc::ServerContext* context,
                             const v1::CountArticlesRequest* request,
                             v1::CountArticlesResponse* response) override;
  // Streams until the client cancels, the watch overflows or the registry
  // closes; notices a cancellation within 100 ms.
  grpc::Status WatchArticles(grpc::ServerContext* context,
                             const v1::WatchArticlesRequest* request,
                             grpc::ServerWriter<v1::WatchArticlesResponse>* writer) override;
  grpc::Status GetStory(grpc::ServerContext* context, const v1::GetStoryRequest* request,
                        v1::GetStoryResponse* response) override;
  grpc::Status ListStories(grpc::ServerContext* context, const v1::ListStoriesRequest* request,
                           v1::ListStoriesResponse* response) override;

 private:
  // Converts `request` (SearchArticles or a FindArticlesBy* request), runs
  // the search and fills `response` with the fields of each article its
  // `read_mask`, else its `view`, asks for.
  template <typename Request, typename Response>
  grpc::Status RunSearch(const grpc::ServerContext* context, absl::string_view rpc,
                         const Request& request, Response* response);

  const QueryEngine* const engine_;
  const StoryQueries* const stories_;
  WatchRegistry* const watches_;
  CallLimiter limiter_;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_GRPC_QUERY_SERVICE_IMPL_H_
