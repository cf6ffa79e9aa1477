// Converters between the QueryService messages and the query core's types.
// Request converters check what the proto cannot express (required fields,
// valid timestamps) and return INVALID_ARGUMENT naming the field.
#ifndef QUERY_SERVICE_GRPC_QUERY_CONVERT_H_
#define QUERY_SERVICE_GRPC_QUERY_CONVERT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/field_mask.pb.h"
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

// Which fields of each article a page returns: those of a view, or the
// top-level fields a read_mask names.
class ArticleFields {
 public:
  // The fields of `view` (a view converts implicitly: it is what most lists
  // ask for).
  ArticleFields(v1::ArticleView view) : view_(view) {}  // NOLINT(runtime/explicit)
  // The fields `mask` names, or those of `view` when it names none.
  // INVALID_ARGUMENT naming read_mask for a path that is no field of Article.
  static absl::StatusOr<ArticleFields> FromProto(v1::ArticleView view,
                                                 const google::protobuf::FieldMask& mask);

  bool Keeps(int field_number) const;
  // Whether all the fields kept are summary fields (InSummary in
  // index/stored_article.h), which the index answers from memory: only a
  // read_mask can keep so few.
  bool KeepsOnlySummary() const;

 private:
  v1::ArticleView view_;
  std::vector<int> mask_;  // field numbers; empty: the view's
};

// Fills a response's matches, next_page_token and total_size. Works for every
// response type with those three fields. A stored article is copied into the
// response as stored, the framing checked (DATA_LOSS when it is damaged).
template <typename Response>
absl::Status ToProto(const SearchResult& result, const ArticleFields& fields,
                     Response* response);
// The same, with the facets and the histogram.
absl::Status ToProto(const SearchResult& result, const ArticleFields& fields,
                     v1::SearchArticlesResponse* response);

// The match's stored article when it has one (a search's), else its article
// (a watch's), with only `fields`, and the explanation (when the match has one).
absl::Status ToProto(const SearchMatch& match, const ArticleFields& fields,
                     v1::ArticleMatch* proto);
void ToProto(const EntityInfo& entity, v1::EntitySummary* proto);
void ToProto(const EntityCandidate& candidate, v1::EntityCandidate* proto);
void ToProto(const TopicListEntry& topic, v1::TopicSummary* proto);
absl::StatusOr<CountRequest> FromProto(const v1::CountArticlesRequest& request);
void ToProto(const CountResult& result, v1::CountArticlesResponse* proto);
absl::StatusOr<StoryListRequest> FromProto(const v1::ListStoriesRequest& request);
void ToProto(const Story& story, v1::Story* proto);

template <typename Response>
absl::Status ToProto(const SearchResult& result, const ArticleFields& fields,
                     Response* response) {
  response->mutable_matches()->Reserve(static_cast<int>(result.matches.size()));
  for (const SearchMatch& match : result.matches) {
    absl::Status status = ToProto(match, fields, response->add_matches());
    if (!status.ok()) return status;
  }
  response->set_next_page_token(result.next_page_token);
  response->set_total_size(result.total_size);
  return absl::OkStatus();
}

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_GRPC_QUERY_CONVERT_H_
