#include "query_service/grpc/query_convert.h"

#include "absl/strings/ascii.h"
#include "common/model/article_convert.h"
#include "common/status/status_macros.h"

namespace newsdesk::query {
namespace {

SortOrder FromProto(v1::SearchOrder order) {
  switch (order) {
    case v1::SEARCH_ORDER_PUBLISH_TIME_ASC: return SortOrder::kPublishTimeAsc;
    case v1::SEARCH_ORDER_RELEVANCE: return SortOrder::kRelevance;
    default: return SortOrder::kPublishTimeDesc;
  }
}

absl::Status RequireNonEmpty(absl::string_view field, absl::string_view value) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SearchRequest> FromProto(const v1::SearchArticlesRequest& request) {
  SearchRequest out;
  const v1::ArticleFilter& f = request.filter();
  out.any_entities.assign(f.any_entities().begin(), f.any_entities().end());
  out.all_entities.assign(f.all_entities().begin(), f.all_entities().end());
  if (f.has_start_time()) {
    ASSIGN_OR_RETURN(out.start_time, newsdesk::FromProto(f.start_time(), "filter.start_time"));
  }
  if (f.has_end_time()) {
    ASSIGN_OR_RETURN(out.end_time, newsdesk::FromProto(f.end_time(), "filter.end_time"));
  }
  if (f.has_mentioned_start_time()) {
    ASSIGN_OR_RETURN(out.mentioned_start_time,
                     newsdesk::FromProto(f.mentioned_start_time(), "filter.mentioned_start_time"));
  }
  if (f.has_mentioned_end_time()) {
    ASSIGN_OR_RETURN(out.mentioned_end_time,
                     newsdesk::FromProto(f.mentioned_end_time(), "filter.mentioned_end_time"));
  }
  out.topics.assign(f.topics().begin(), f.topics().end());
  out.sources.assign(f.sources().begin(), f.sources().end());
  out.text = f.text();
  out.order = FromProto(request.order());
  out.page_size = request.page_size();
  out.page_token = request.page_token();
  return out;
}

absl::StatusOr<SearchRequest> FromProto(const v1::FindArticlesByEntityRequest& request) {
  RETURN_IF_ERROR(RequireNonEmpty("entity", request.entity()));
  SearchRequest out;
  out.any_entities.push_back(request.entity());
  out.page_size = request.page_size();
  out.page_token = request.page_token();
  return out;
}

absl::StatusOr<SearchRequest> FromProto(const v1::FindArticlesByDateRangeRequest& request) {
  if (!request.has_start_time() || !request.has_end_time()) {
    return absl::InvalidArgumentError("start_time and end_time are required");
  }
  SearchRequest out;
  ASSIGN_OR_RETURN(out.start_time, newsdesk::FromProto(request.start_time(), "start_time"));
  ASSIGN_OR_RETURN(out.end_time, newsdesk::FromProto(request.end_time(), "end_time"));
  out.page_size = request.page_size();
  out.page_token = request.page_token();
  return out;
}

absl::StatusOr<SearchRequest> FromProto(const v1::FindArticlesByTopicRequest& request) {
  RETURN_IF_ERROR(RequireNonEmpty("topic", request.topic()));
  SearchRequest out;
  out.topics.push_back(request.topic());
  out.page_size = request.page_size();
  out.page_token = request.page_token();
  return out;
}

void ToProto(const SearchMatch& match, v1::ArticleView view, v1::ArticleMatch* proto) {
  v1::Article* article = proto->mutable_article();
  newsdesk::ToProto(*match.article, article);
  if (view != v1::ARTICLE_VIEW_FULL) {
    article->clear_paragraphs();
    article->clear_key_points();
    article->clear_removed_blocks();
    article->clear_quotes();
  }
  proto->set_relevance_score(match.relevance_score);
  for (const EntityMatchInfo& e : match.entity_matches) {
    v1::EntityMatch* em = proto->add_entity_matches();
    em->set_query(e.query);
    em->set_entity_id(e.entity_id);
    for (const std::string& s : e.spellings) em->add_spellings(s);
    em->set_mention_count(e.mention_count);
  }
  for (const std::string& code : match.matched_topics) proto->add_matched_topics(code);
}

void ToProto(const EntityInfo& entity, v1::EntitySummary* proto) {
  proto->set_entity_id(entity.id);
  proto->set_display_name(entity.display_name);
  proto->set_type(newsdesk::ToProto(entity.type));
  proto->set_article_count(entity.article_count);
  for (const std::string& s : entity.spellings) proto->add_spellings(s);
  proto->set_linked(entity.linked);
}

void ToProto(const TopicListEntry& topic, v1::TopicSummary* proto) {
  proto->set_code(topic.topic->code);
  proto->set_label(topic.topic->label);
  proto->set_article_count(topic.article_count);
  proto->set_parent_code(topic.topic->parent_code);
}

}  // namespace newsdesk::query
