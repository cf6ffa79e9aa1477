#include "query_service/core/story_queries.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/field_error.h"
#include "common/status/status_macros.h"
#include "query_service/core/page_token.h"

namespace newsdesk::query {

StoryQueries::StoryQueries(QueryEngineOptions options, const StoryTracker* tracker,
                           const QueryEngine* engine, const Taxonomy* taxonomy)
    : options_(options), tracker_(tracker), engine_(engine), taxonomy_(taxonomy) {}

absl::StatusOr<Story> StoryQueries::GetStory(absl::string_view name) const {
  absl::string_view id = absl::StripAsciiWhitespace(name);
  absl::ConsumePrefix(&id, "stories/");
  if (id.empty()) return InvalidFieldError("name", "name is required: stories/{story_id}");
  std::optional<Story> story = tracker_->GetStory(id);
  if (!story) return absl::NotFoundError(absl::StrCat("no story named '", name, "'"));
  return *std::move(story);
}

absl::StatusOr<StoryListResult> StoryQueries::ListStories(
    const StoryListRequest& request) const {
  ASSIGN_OR_RETURN(const int page_size,
                   ResolvePageSize(request.page_size, options_.default_page_size,
                                   options_.max_page_size));
  if (request.start_time && request.end_time && *request.end_time <= *request.start_time) {
    return InvalidFieldError("end_time", "end_time must be after start_time");
  }
  StoryQuery query;
  query.order = request.order;
  query.start_time = request.start_time;
  query.end_time = request.end_time;
  Fingerprint fingerprint;
  fingerprint.Add("stories").Add(static_cast<int64_t>(request.order));
  fingerprint.Add(request.start_time ? absl::ToUnixNanos(*request.start_time) : -1);
  fingerprint.Add(request.end_time ? absl::ToUnixNanos(*request.end_time) : -1);
  const absl::string_view entity = absl::StripAsciiWhitespace(request.entity);
  if (!entity.empty()) {
    query.entity_ids = engine_->ResolveEntity(entity);
    if (query.entity_ids.empty()) return StoryListResult{};
  }
  fingerprint.Add(entity);
  const absl::string_view topic = absl::StripAsciiWhitespace(request.topic);
  if (!topic.empty()) {
    const Taxonomy::Topic* found = taxonomy_->Find(topic);
    if (found == nullptr) {
      return InvalidFieldError("topic", absl::StrCat("unknown topic '", topic,
                                                     "'; use an IPTC Media Topics qcode such as "
                                                     "medtop:16000000 or its English label"));
    }
    query.has_topic_condition = true;
    query.topic_codes.push_back(found->code);
    fingerprint.Add(found->code);
  }

  std::optional<StoryCursor> after;
  if (!request.page_token.empty()) {
    ASSIGN_OR_RETURN(PageToken token, DecodePageToken(request.page_token, fingerprint.value()));
    after = StoryCursor{token.count, token.has_time, token.time_ns, token.key};
  }
  StoryPage page = tracker_->ListStories(query, after ? &*after : nullptr, page_size);
  StoryListResult result;
  result.stories = std::move(page.stories);
  result.total_size = page.total_size;
  if (page.more && page.last) {
    PageToken token;
    token.request_fingerprint = fingerprint.value();
    token.count = page.last->article_count;
    token.has_time = page.last->has_time;
    token.time_ns = page.last->time_ns;
    token.key = page.last->id;
    result.next_page_token = EncodePageToken(token);
  }
  return result;
}

}  // namespace newsdesk::query
