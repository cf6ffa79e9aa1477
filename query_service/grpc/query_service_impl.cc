#include "query_service/grpc/query_service_impl.h"

#include "common/grpc/status_util.h"
#include "common/model/article_convert.h"
#include "common/status/status_macros.h"
#include "glog/logging.h"
#include "query_service/grpc/query_convert.h"

namespace newsdesk::query {
namespace {

constexpr absl::Duration kWatchPoll = absl::Milliseconds(100);

}  // namespace

template <typename Request, typename Response>
grpc::Status QueryServiceImpl::RunSearch(const grpc::ServerContext* context, absl::string_view rpc,
                                         const Request& request, Response* response) {
  absl::StatusOr<ArticleFields> fields =
      ArticleFields::FromProto(request.view(), request.read_mask());
  if (!fields.ok()) return FailedCall(rpc, fields.status());
  absl::StatusOr<SearchRequest> search = FromProto(request);
  if (!search.ok()) return FailedCall(rpc, search.status());
  search->summaries_only = fields->KeepsOnlySummary();
  // A read-your-writes wait ends before the caller stops waiting.
  search->wait_until = absl::FromChrono(context->deadline());
  absl::StatusOr<SearchResult> result = engine_->Search(*search);
  if (!result.ok()) return FailedCall(rpc, ForRequest(request, result.status()));
  absl::Status converted = ToProto(*result, *fields, response);
  if (!converted.ok()) return FailedCall(rpc, converted);
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::GetArticle(grpc::ServerContext* context,
                                          const v1::GetArticleRequest* request,
                                          v1::GetArticleResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("GetArticle", permit.status());
  auto article = engine_->GetArticle(request->name());
  if (!article.ok()) return FailedCall("GetArticle", article.status());
  newsdesk::ToProto(**article, response->mutable_article());
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::SearchArticles(grpc::ServerContext* context,
                                              const v1::SearchArticlesRequest* request,
                                              v1::SearchArticlesResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("SearchArticles", permit.status());
  return RunSearch(context, "SearchArticles", *request, response);
}

grpc::Status QueryServiceImpl::FindArticlesByEntity(
    grpc::ServerContext* context, const v1::FindArticlesByEntityRequest* request,
    v1::FindArticlesByEntityResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("FindArticlesByEntity", permit.status());
  return RunSearch(context, "FindArticlesByEntity", *request, response);
}

grpc::Status QueryServiceImpl::FindArticlesByDateRange(
    grpc::ServerContext* context, const v1::FindArticlesByDateRangeRequest* request,
    v1::FindArticlesByDateRangeResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("FindArticlesByDateRange", permit.status());
  return RunSearch(context, "FindArticlesByDateRange", *request, response);
}

grpc::Status QueryServiceImpl::FindArticlesByTopic(
    grpc::ServerContext* context, const v1::FindArticlesByTopicRequest* request,
    v1::FindArticlesByTopicResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("FindArticlesByTopic", permit.status());
  return RunSearch(context, "FindArticlesByTopic", *request, response);
}

grpc::Status QueryServiceImpl::ListEntities(grpc::ServerContext* context,
                                            const v1::ListEntitiesRequest* request,
                                            v1::ListEntitiesResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("ListEntities", permit.status());
  absl::StatusOr<EntityListRequest> list = FromProto(*request);
  if (!list.ok()) return FailedCall("ListEntities", list.status());
  auto result = engine_->ListEntities(*list);
  if (!result.ok()) return FailedCall("ListEntities", result.status());
  for (const EntityInfo& e : result->entities) ToProto(e, response->add_entities());
  response->set_next_page_token(result->next_page_token);
  response->set_total_size(result->total_size);
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ResolveEntity(grpc::ServerContext* context,
                                             const v1::ResolveEntityRequest* request,
                                             v1::ResolveEntityResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("ResolveEntity", permit.status());
  auto candidates = engine_->ResolveEntityCandidates(request->name());
  if (!candidates.ok()) return FailedCall("ResolveEntity", candidates.status());
  for (const EntityCandidate& c : *candidates) ToProto(c, response->add_candidates());
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListTopics(grpc::ServerContext* context,
                                          const v1::ListTopicsRequest* request,
                                          v1::ListTopicsResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("ListTopics", permit.status());
  absl::StatusOr<SearchRequest> filter = FilterFromProto(request->filter());
  if (!filter.ok()) return FailedCall("ListTopics", filter.status());
  auto result = engine_->ListTopics(request->parent_code(), *filter, request->page_size(),
                                    request->page_token());
  if (!result.ok()) return FailedCall("ListTopics", result.status());
  for (const TopicListEntry& t : result->topics) ToProto(t, response->add_topics());
  response->set_next_page_token(result->next_page_token);
  response->set_total_size(result->total_size);
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::CountArticles(grpc::ServerContext* context,
                                             const v1::CountArticlesRequest* request,
                                             v1::CountArticlesResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("CountArticles", permit.status());
  absl::StatusOr<CountRequest> count = FromProto(*request);
  if (!count.ok()) return FailedCall("CountArticles", count.status());
  absl::StatusOr<CountResult> result = engine_->CountArticles(*count);
  if (!result.ok()) return FailedCall("CountArticles", result.status());
  ToProto(*result, response);
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::WatchArticles(
    grpc::ServerContext* context, const v1::WatchArticlesRequest* request,
    grpc::ServerWriter<v1::WatchArticlesResponse>* writer) {
  // The stream holds a call permit only while it starts (resolving the
  // filter is the work a unary call does); once started it is bounded by the
  // watch registry (--max_watchers), not by the calls limit, so long-lived
  // watches never starve unary calls.
  absl::StatusOr<std::unique_ptr<Watch>> watch;
  {
    absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
    if (!permit.ok()) return FailedCall("WatchArticles", permit.status());
    absl::StatusOr<SearchRequest> filter = FromProto(*request);
    if (!filter.ok()) return FailedCall("WatchArticles", filter.status());
    absl::StatusOr<ResolvedFilter> resolved = engine_->ResolveConditions(*filter);
    if (!resolved.ok()) return FailedCall("WatchArticles", resolved.status());
    watch = watches_->Start(*std::move(resolved), request->start_after_log_position());
    if (!watch.ok()) return FailedCall("WatchArticles", watch.status());
  }
  while (!context->IsCancelled()) {
    absl::StatusOr<std::optional<SearchMatch>> next = (*watch)->Next(kWatchPoll);
    if (!next.ok()) return FailedCall("WatchArticles", next.status());
    if (!next->has_value()) continue;
    v1::WatchArticlesResponse response;
    absl::Status converted = ToProto(**next, request->view(), response.mutable_match());
    if (!converted.ok()) return FailedCall("WatchArticles", converted);
    response.set_log_position((*next)->article->log_sequence);
    if (!writer->Write(response)) break;  // the client went away
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "the watch was cancelled");
}

grpc::Status QueryServiceImpl::GetStory(grpc::ServerContext* context,
                                        const v1::GetStoryRequest* request,
                                        v1::GetStoryResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("GetStory", permit.status());
  absl::StatusOr<Story> story = stories_->GetStory(request->name());
  if (!story.ok()) return FailedCall("GetStory", story.status());
  ToProto(*story, response->mutable_story());
  return grpc::Status::OK;
}

grpc::Status QueryServiceImpl::ListStories(grpc::ServerContext* context,
                                           const v1::ListStoriesRequest* request,
                                           v1::ListStoriesResponse* response) {
  absl::StatusOr<CallLimiter::Permit> permit = limiter_.Acquire();
  if (!permit.ok()) return FailedCall("ListStories", permit.status());
  absl::StatusOr<StoryListRequest> list = FromProto(*request);
  if (!list.ok()) return FailedCall("ListStories", list.status());
  absl::StatusOr<StoryListResult> result = stories_->ListStories(*list);
  if (!result.ok()) return FailedCall("ListStories", result.status());
  for (const Story& story : result->stories) ToProto(story, response->add_stories());
  response->set_next_page_token(result->next_page_token);
  response->set_total_size(result->total_size);
  return grpc::Status::OK;
}

}  // namespace newsdesk::query
