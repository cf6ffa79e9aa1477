#include "query_service/grpc/query_convert.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/model/article_convert.h"
#include "common/status/field_error.h"
#include "common/status/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/unknown_field_set.h"

namespace newsdesk::query {
namespace {

SortOrder FromProto(v1::SearchOrder order) {
  switch (order) {
    case v1::SEARCH_ORDER_PUBLISH_TIME_ASC: return SortOrder::kPublishTimeAsc;
    case v1::SEARCH_ORDER_RELEVANCE: return SortOrder::kRelevance;
    default: return SortOrder::kPublishTimeDesc;
  }
}

absl::StatusOr<GroupBy> GroupByFromProto(v1::CountGroupBy group_by, absl::string_view field) {
  switch (group_by) {
    case v1::COUNT_GROUP_BY_UNSPECIFIED: return GroupBy::kNone;
    case v1::COUNT_GROUP_BY_TOPIC: return GroupBy::kTopic;
    case v1::COUNT_GROUP_BY_ENTITY: return GroupBy::kEntity;
    case v1::COUNT_GROUP_BY_SOURCE: return GroupBy::kSource;
    case v1::COUNT_GROUP_BY_STORY: return GroupBy::kStory;
    default: return InvalidFieldError(field, absl::StrCat("unknown ", field));
  }
}

v1::CountGroupBy GroupByToProto(GroupBy group_by) {
  switch (group_by) {
    case GroupBy::kNone: return v1::COUNT_GROUP_BY_UNSPECIFIED;
    case GroupBy::kTopic: return v1::COUNT_GROUP_BY_TOPIC;
    case GroupBy::kEntity: return v1::COUNT_GROUP_BY_ENTITY;
    case GroupBy::kSource: return v1::COUNT_GROUP_BY_SOURCE;
    case GroupBy::kStory: return v1::COUNT_GROUP_BY_STORY;
  }
  return v1::COUNT_GROUP_BY_UNSPECIFIED;
}

absl::StatusOr<Interval> IntervalFromProto(v1::CountInterval interval,
                                           absl::string_view field) {
  switch (interval) {
    case v1::COUNT_INTERVAL_UNSPECIFIED: return Interval::kNone;
    case v1::COUNT_INTERVAL_DAY: return Interval::kDay;
    case v1::COUNT_INTERVAL_WEEK: return Interval::kWeek;
    case v1::COUNT_INTERVAL_MONTH: return Interval::kMonth;
    default: return InvalidFieldError(field, absl::StrCat("unknown ", field));
  }
}

void ToProto(const CountGroup& g, v1::ArticleCountGroup* group) {
  group->set_key(g.key);
  group->set_label(g.label);
  group->set_article_count(g.article_count);
  for (const CountBucket& b : g.buckets) {
    v1::ArticleCountBucket* bucket = group->add_buckets();
    newsdesk::ToProto(b.start, bucket->mutable_start_time());
    bucket->set_article_count(b.article_count);
  }
}

void ToProto(const MatchExplanation& e, v1::MatchExplanation* proto) {
  for (const TopicMatchInfo& t : e.topics) {
    v1::TopicMatch* topic = proto->add_topics();
    topic->set_requested_code(t.requested_code);
    topic->set_article_code(t.article_code);
    topic->set_exact(t.exact);
  }
  if (e.publish_time) newsdesk::ToProto(*e.publish_time, proto->mutable_publish_time());
  for (const MentionedDateMatchInfo& d : e.mentioned_dates) {
    v1::MentionedDateMatch* date = proto->add_mentioned_dates();
    date->set_index(d.index);
    newsdesk::ToProto(d.date, date->mutable_date());
  }
  for (const WordMatchInfo& w : e.words) {
    v1::WordMatch* word = proto->add_words();
    word->set_word(w.word);
    word->set_section(newsdesk::ToProto(w.section));
    word->set_index(w.index);
    word->set_begin_offset(w.begin);
    word->set_end_offset(w.end);
  }
  for (const KeyPhraseMatchInfo& k : e.key_phrases) {
    v1::KeyPhraseMatch* phrase = proto->add_key_phrases();
    phrase->set_requested(k.requested);
    phrase->set_key_phrase(k.key_phrase);
  }
  proto->set_source(e.source);
}

// Whether ARTICLE_VIEW_BASIC has the article field `number`: all but the
// body (paragraphs, key points, quotes) and the removed blocks.
bool InBasicView(int number) {
  return number != v1::Article::kParagraphsFieldNumber &&
         number != v1::Article::kKeyPointsFieldNumber &&
         number != v1::Article::kRemovedBlocksFieldNumber &&
         number != v1::Article::kQuotesFieldNumber;
}

// The paging and reading fields of a request for pages of articles:
// SearchArticlesRequest and the FindArticlesBy* requests have them all.
template <typename Request>
void PagingFromProto(const Request& request, SearchRequest* out) {
  out->page_size = request.page_size();
  out->page_token = request.page_token();
  out->min_log_position = request.min_log_position();
  out->explain = !request.skip_explanations();
}

absl::Status RequireNonEmpty(absl::string_view field, absl::string_view value) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    return InvalidFieldError(field, absl::StrCat(field, " is required"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SearchRequest> FilterFromProto(const v1::ArticleFilter& f) {
  SearchRequest out;
  out.any_entities.assign(f.any_entities().begin(), f.any_entities().end());
  out.all_entities.assign(f.all_entities().begin(), f.all_entities().end());
  out.none_entities.assign(f.none_entities().begin(), f.none_entities().end());
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
  out.exact_topics = f.exact_topics();
  out.sources.assign(f.sources().begin(), f.sources().end());
  out.text = f.text();
  out.key_phrases.assign(f.key_phrases().begin(), f.key_phrases().end());
  out.story_ids.assign(f.story_ids().begin(), f.story_ids().end());
  return out;
}

absl::StatusOr<SearchRequest> FromProto(const v1::SearchArticlesRequest& request) {
  ASSIGN_OR_RETURN(SearchRequest out, FilterFromProto(request.filter()));
  out.order = FromProto(request.order());
  PagingFromProto(request, &out);
  out.collapse_copies = request.collapse_copies();
  for (int i = 0; i < request.facets_size(); ++i) {
    FacetRequest facet;
    ASSIGN_OR_RETURN(facet.group_by,
                     GroupByFromProto(request.facets(i).group_by(),
                                      absl::StrCat("facets[", i, "].group_by")));
    facet.max_groups = request.facets(i).max_groups();
    out.facets.push_back(facet);
  }
  ASSIGN_OR_RETURN(out.histogram_interval,
                   IntervalFromProto(request.histogram_interval(), "histogram_interval"));
  return out;
}

absl::StatusOr<SearchRequest> FromProto(const v1::WatchArticlesRequest& request) {
  return FilterFromProto(request.filter());
}

absl::Status ToProto(const SearchResult& result, const ArticleFields& fields,
                     v1::SearchArticlesResponse* response) {
  RETURN_IF_ERROR(ToProto<v1::SearchArticlesResponse>(result, fields, response));
  for (const Facet& f : result.facets) {
    v1::SearchFacet* facet = response->add_facets();
    facet->set_group_by(GroupByToProto(f.group_by));
    for (const CountGroup& g : f.groups) ToProto(g, facet->add_groups());
    facet->set_total_groups(f.total_groups);
  }
  for (const CountBucket& b : result.histogram) {
    v1::ArticleCountBucket* bucket = response->add_histogram();
    newsdesk::ToProto(b.start, bucket->mutable_start_time());
    bucket->set_article_count(b.article_count);
  }
  return absl::OkStatus();
}

absl::StatusOr<SearchRequest> FromProto(const v1::FindArticlesByEntityRequest& request) {
  RETURN_IF_ERROR(RequireNonEmpty("entity", request.entity()));
  SearchRequest out;
  out.any_entities.push_back(request.entity());
  PagingFromProto(request, &out);
  return out;
}

absl::StatusOr<SearchRequest> FromProto(const v1::FindArticlesByDateRangeRequest& request) {
  if (!request.has_start_time() || !request.has_end_time()) {
    return InvalidFieldError(request.has_start_time() ? "end_time" : "start_time",
                             "start_time and end_time are required");
  }
  SearchRequest out;
  ASSIGN_OR_RETURN(out.start_time, newsdesk::FromProto(request.start_time(), "start_time"));
  ASSIGN_OR_RETURN(out.end_time, newsdesk::FromProto(request.end_time(), "end_time"));
  PagingFromProto(request, &out);
  return out;
}

absl::StatusOr<SearchRequest> FromProto(const v1::FindArticlesByTopicRequest& request) {
  RETURN_IF_ERROR(RequireNonEmpty("topic", request.topic()));
  SearchRequest out;
  out.topics.push_back(request.topic());
  out.exact_topics = request.exact();
  PagingFromProto(request, &out);
  return out;
}

absl::Status ForRequest(const v1::SearchArticlesRequest&, absl::Status status) {
  return status;
}

absl::Status ForRequest(const v1::FindArticlesByEntityRequest&, absl::Status status) {
  return RenameField(std::move(status), "filter.any_entities", "entity");
}

absl::Status ForRequest(const v1::FindArticlesByDateRangeRequest&, absl::Status status) {
  status = RenameField(std::move(status), "filter.start_time", "start_time");
  return RenameField(std::move(status), "filter.end_time", "end_time");
}

absl::Status ForRequest(const v1::FindArticlesByTopicRequest&, absl::Status status) {
  return RenameField(std::move(status), "filter.topics", "topic");
}

absl::StatusOr<CountRequest> FromProto(const v1::CountArticlesRequest& request) {
  CountRequest out;
  ASSIGN_OR_RETURN(out.filter, FilterFromProto(request.filter()));
  ASSIGN_OR_RETURN(out.group_by, GroupByFromProto(request.group_by(), "group_by"));
  ASSIGN_OR_RETURN(out.interval, IntervalFromProto(request.interval(), "interval"));
  out.groups.assign(request.groups().begin(), request.groups().end());
  out.max_groups = request.max_groups();
  return out;
}

void ToProto(const CountResult& result, v1::CountArticlesResponse* proto) {
  for (const CountGroup& g : result.groups) ToProto(g, proto->add_groups());
  proto->set_total_size(result.total_size);
  proto->set_total_groups(result.total_groups);
}

absl::StatusOr<EntityListRequest> FromProto(const v1::ListEntitiesRequest& request) {
  EntityListRequest out;
  out.prefix = request.prefix();
  out.type = newsdesk::FromProto(request.type());
  out.cooccurs_with = std::string(absl::StripAsciiWhitespace(request.cooccurs_with()));
  if (out.cooccurs_with.empty() && (request.has_start_time() || request.has_end_time())) {
    return InvalidFieldError("cooccurs_with", "start_time and end_time need cooccurs_with");
  }
  if (request.has_start_time()) {
    ASSIGN_OR_RETURN(out.start_time, newsdesk::FromProto(request.start_time(), "start_time"));
  }
  if (request.has_end_time()) {
    ASSIGN_OR_RETURN(out.end_time, newsdesk::FromProto(request.end_time(), "end_time"));
  }
  out.page_size = request.page_size();
  out.page_token = request.page_token();
  return out;
}

absl::StatusOr<ArticleFields> ArticleFields::FromProto(
    v1::ArticleView view, const google::protobuf::FieldMask& mask) {
  ArticleFields fields(view);
  for (const std::string& path : mask.paths()) {
    const google::protobuf::FieldDescriptor* field =
        v1::Article::descriptor()->FindFieldByName(path);
    if (field == nullptr) {
      return InvalidFieldError(
          "read_mask", absl::StrCat("read_mask path '", path,
                                    "' is no field of Article; name top-level fields such "
                                    "as article_id, title or publish_time"));
    }
    fields.mask_.push_back(field->number());
  }
  return fields;
}

bool ArticleFields::Keeps(int field_number) const {
  if (!mask_.empty()) {
    return std::find(mask_.begin(), mask_.end(), field_number) != mask_.end();
  }
  return view_ == v1::ARTICLE_VIEW_FULL || InBasicView(field_number);
}

bool ArticleFields::KeepsOnlySummary() const {
  return !mask_.empty() && std::all_of(mask_.begin(), mask_.end(), InSummary);
}

absl::Status ToProto(const SearchMatch& match, const ArticleFields& fields,
                     v1::ArticleMatch* proto) {
  if (match.stored) {
    // The article goes into the response as stored, not parsed: its bytes
    // are the match's `article` field, kept with the message's unknown
    // fields, which serialize as they are. A reader in this process sees no
    // article; the caller's stub parses it like any other field.
    std::string* article = proto->GetReflection()
                               ->MutableUnknownFields(proto)
                               ->AddLengthDelimited(v1::ArticleMatch::kArticleFieldNumber);
    RETURN_IF_ERROR(AppendStoredArticle(
        *match.stored, [&fields](int number) { return fields.Keeps(number); }, article));
  } else {
    v1::Article* article = proto->mutable_article();
    newsdesk::ToProto(*match.article, article);
    const google::protobuf::Descriptor* descriptor = article->GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* field = descriptor->field(i);
      if (!fields.Keeps(field->number())) article->GetReflection()->ClearField(article, field);
    }
  }
  proto->set_relevance_score(match.relevance_score);
  proto->set_copy_count(static_cast<int32_t>(match.copy_ids.size()));
  for (const std::string& id : match.copy_ids) proto->add_copy_ids(id);
  if (!match.explained) return absl::OkStatus();
  for (const EntityMatchInfo& e : match.entity_matches) {
    v1::EntityMatch* em = proto->add_entity_matches();
    em->set_query(e.query);
    em->set_entity_id(e.entity_id);
    for (const std::string& s : e.spellings) em->add_spellings(s);
    em->set_mention_count(e.mention_count);
    for (const EntityMention& m : e.mentions) newsdesk::ToProto(m, em->add_mentions());
  }
  for (const std::string& code : match.matched_topics) proto->add_matched_topics(code);
  ToProto(match.explanation, proto->mutable_explanation());
  return absl::OkStatus();
}

void ToProto(const EntityInfo& entity, v1::EntitySummary* proto) {
  proto->set_entity_id(entity.id);
  proto->set_display_name(entity.display_name);
  proto->set_type(newsdesk::ToProto(entity.type));
  proto->set_article_count(entity.article_count);
  for (const std::string& s : entity.spellings) proto->add_spellings(s);
  proto->set_linked(entity.linked);
  proto->set_cooccurrence_count(entity.cooccurrence_count);
}

void ToProto(const EntityCandidate& candidate, v1::EntityCandidate* proto) {
  proto->set_entity_id(candidate.info.id);
  proto->set_display_name(candidate.info.display_name);
  proto->set_type(newsdesk::ToProto(candidate.info.type));
  proto->set_linked(candidate.info.linked);
  for (const std::string& alias : candidate.aliases) proto->add_aliases(alias);
  for (const std::string& s : candidate.info.spellings) proto->add_spellings(s);
  proto->set_article_count(candidate.info.article_count);
}

void ToProto(const TopicListEntry& topic, v1::TopicSummary* proto) {
  proto->set_code(topic.topic->code);
  proto->set_label(topic.topic->label);
  proto->set_article_count(topic.article_count);
  proto->set_parent_code(topic.topic->parent_code);
  proto->set_level(topic.topic->level);
}

absl::StatusOr<StoryListRequest> FromProto(const v1::ListStoriesRequest& request) {
  StoryListRequest out;
  out.entity = request.entity();
  out.topic = request.topic();
  if (request.has_start_time()) {
    ASSIGN_OR_RETURN(out.start_time, newsdesk::FromProto(request.start_time(), "start_time"));
  }
  if (request.has_end_time()) {
    ASSIGN_OR_RETURN(out.end_time, newsdesk::FromProto(request.end_time(), "end_time"));
  }
  switch (request.order()) {
    case v1::STORY_ORDER_UNSPECIFIED:
    case v1::STORY_ORDER_SIZE:
      out.order = StoryOrder::kSize;
      break;
    case v1::STORY_ORDER_RECENCY:
      out.order = StoryOrder::kRecency;
      break;
    default:
      return InvalidFieldError("order", absl::StrCat("unknown order ", request.order()));
  }
  out.page_size = request.page_size();
  out.page_token = request.page_token();
  return out;
}

void ToProto(const Story& story, v1::Story* proto) {
  proto->set_id(story.id);
  proto->set_representative_article_id(story.representative_article_id);
  proto->set_title(story.title);
  if (story.start_time) newsdesk::ToProto(*story.start_time, proto->mutable_start_time());
  if (story.end_time) newsdesk::ToProto(*story.end_time, proto->mutable_end_time());
  proto->set_article_count(story.article_count);
  proto->set_copy_count(story.copy_count);
  for (const StoryEntity& e : story.top_entities) {
    v1::EntitySummary* entity = proto->add_top_entities();
    entity->set_entity_id(e.id);
    entity->set_display_name(e.display_name);
    entity->set_type(newsdesk::ToProto(e.type));
    entity->set_article_count(e.article_count);
    entity->set_linked(e.linked);
  }
  for (const StoryTopic& t : story.top_topics) {
    v1::TopicSummary* topic = proto->add_top_topics();
    topic->set_code(t.code);
    topic->set_label(t.label);
    topic->set_article_count(t.article_count);
  }
  proto->set_last_log_position(story.last_log_position);
}

}  // namespace newsdesk::query
