// Converters between the QueryService messages and the query core's types.
// Request converters check what the proto cannot express (required fields,
// valid timestamps) and return INVALID_ARGUMENT naming the field.
#ifndef QUERY_SERVICE_GRPC_QUERY_CONVERT_H_
#define QUERY_SERVICE_GRPC_QUERY_CONVERT_H_

#include "absl/status/statusor.h"
#include "newsdesk/v1/query_service.pb.h"
#include "query_service/core/query_engine.h"
#include "query_service/core/story_queries.h"

namespace newsdesk::query {

// The conditions of a filter; order and paging are left at their defaults.
absl::StatusOr<SearchRequest> FilterFromProto(const v1::ArticleFilter& filter);
absl::StatusOr<SearchRequest> FromProto(const v1::SearchArticlesRequest& request);
absl::StatusOr<SearchRequest> FromProto(const v1::FindArticlesByEntityRequest& request);
absl::StatusOr<SearchRequest> FromProto(const v1::FindArticlesByDateRangeRequest& request);
absl::StatusOr<SearchRequest> FromProto(const v1::FindArticlesByTopicRequest& request);
absl::StatusOr<EntityListRequest> FromProto(const v1::ListEntitiesRequest& request);
// The filter of a standing query; INVALID_ARGUMENT for a bad filter.
absl::StatusOr<SearchRequest> FromProto(const v1::WatchArticlesRequest& request);

// A search error naming its field as `request` has it. The core names filter
// fields by their path in SearchArticlesRequest ("filter.topics"); the
// FindArticlesBy* requests carry them as "entity", "start_time", "topic".
absl::Status ForRequest(const v1::SearchArticlesRequest& request, absl::Status status);
absl::Status ForRequest(const v1::FindArticlesByEntityRequest& request, absl::Status status);
absl::Status ForRequest(const v1::FindArticlesByDateRangeRequest& request,
                        absl::Status status);
absl::Status ForRequest(const v1::FindArticlesByTopicRequest& request, absl::Status status);

// Fills a response's matches, next_page_token and total_size. Works for every
// response type with those three fields. A stored article is parsed straight
// into the response (DATA_LOSS when it cannot be).
template <typename Response>
absl::Status ToProto(const SearchResult& result, v1::ArticleView view, Response* response);
// The same, with the facets and the histogram.
absl::Status ToProto(const SearchResult& result, v1::ArticleView view,
                     v1::SearchArticlesResponse* response);

// The match's stored article when it has one (a search's), else its article
// (a watch's), cut to `view`, with the explanation.
absl::Status ToProto(const SearchMatch& match, v1::ArticleView view, v1::ArticleMatch* proto);
void ToProto(const EntityInfo& entity, v1::EntitySummary* proto);
void ToProto(const EntityCandidate& candidate, v1::EntityCandidate* proto);
void ToProto(const TopicListEntry& topic, v1::TopicSummary* proto);
absl::StatusOr<CountRequest> FromProto(const v1::CountArticlesRequest& request);
void ToProto(const CountResult& result, v1::CountArticlesResponse* proto);
absl::StatusOr<StoryListRequest> FromProto(const v1::ListStoriesRequest& request);
void ToProto(const Story& story, v1::Story* proto);

template <typename Response>
absl::Status ToProto(const SearchResult& result, v1::ArticleView view, Response* response) {
  response->mutable_matches()->Reserve(static_cast<int>(result.matches.size()));
  for (const SearchMatch& match : result.matches) {
    absl::Status status = ToProto(match, view, response->add_matches());
    if (!status.ok()) return status;
  }
  response->set_next_page_token(result.next_page_token);
  response->set_total_size(result.total_size);
  return absl::OkStatus();
}

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_GRPC_QUERY_CONVERT_H_
