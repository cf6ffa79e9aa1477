#include "query_service/core/query_engine.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "common/status/field_error.h"
#include "common/status/status_macros.h"
#include "glog/logging.h"
#include "query_service/core/page_token.h"

namespace newsdesk::query {
namespace {

void AddUnique(std::vector<std::string>* out, const std::string& value) {
  if (std::find(out->begin(), out->end(), value) == out->end()) out->push_back(value);
}

absl::Status CheckTerms(absl::string_view field, const std::vector<std::string>& terms,
                        int max_terms) {
  if (static_cast<int>(terms.size()) > max_terms) {
    return InvalidFieldError(field, absl::StrCat(field, " has ", terms.size(),
                                                   " entries; the limit is ", max_terms));
  }
  for (const std::string& t : terms) {
    if (absl::StripAsciiWhitespace(t).empty()) {
      return InvalidFieldError(field, absl::StrCat(field, " has an empty entry"));
    }
  }
  return absl::OkStatus();
}

// One page of `all`, which is sorted by count descending then key
// ascending: the items after the token's (count, key), at most `page_size`.
// Sets `next_page_token` when more remain.
template <typename T, typename CountFn, typename KeyFn>
absl::StatusOr<std::vector<T>> PageByCount(std::vector<T> all, int page_size,
                                           absl::string_view page_token,
                                           uint64_t fingerprint, CountFn count, KeyFn key,
                                           std::string* next_page_token) {
  auto begin = all.begin();
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(PageToken token, DecodePageToken(page_token, fingerprint));
    begin = std::find_if(all.begin(), all.end(), [&](const T& item) {
      return count(item) < token.count || (count(item) == token.count && key(item) > token.key);
    });
  }
  const size_t available = static_cast<size_t>(all.end() - begin);
  const size_t take = std::min(available, static_cast<size_t>(page_size));
  std::vector<T> page(std::make_move_iterator(begin), std::make_move_iterator(begin + take));
  if (take < available && !page.empty()) {
    PageToken token;
    token.request_fingerprint = fingerprint;
    token.count = count(page.back());
    token.key = key(page.back());
    *next_page_token = EncodePageToken(token);
  }
  return page;
}

}  // namespace

QueryEngine::QueryEngine(QueryEngineOptions options, const ArticleIndex* index,
                         const Taxonomy* taxonomy)
    : options_(options), index_(index), taxonomy_(taxonomy) {}

absl::StatusOr<std::shared_ptr<const Article>> QueryEngine::GetArticle(
    absl::string_view name) const {
  absl::string_view id = name;
  absl::ConsumePrefix(&id, "articles/");
  if (id.empty()) return InvalidFieldError("name", "name is required: articles/{article_id}");
  ASSIGN_OR_RETURN(std::shared_ptr<const Article> article, index_->Get(id));
  if (article == nullptr) {
    return absl::NotFoundError(absl::StrCat("no article named '", name, "'"));
  }
  return article;
}

std::vector<std::string> QueryEngine::ResolveEntity(absl::string_view reference) const {
  std::vector<std::string> ids;
  const absl::string_view trimmed = absl::StripAsciiWhitespace(reference);
  if (std::string id = index_->aliases().Lookup(trimmed); !id.empty()) {
    ids.push_back(std::move(id));
  }
  for (const std::string& id : index_->FindEntityIds(trimmed)) AddUnique(&ids, id);
  return ids;
}

absl::Status QueryEngine::WaitForLogPosition(int64_t min_log_position,
                                             absl::Time wait_until, bool linked) const {
  if (min_log_position < 0) {
    return InvalidFieldError("min_log_position", "min_log_position must not be negative");
  }
  if (min_log_position == 0) return absl::OkStatus();
  const absl::Time start = absl::Now();
  const absl::Time until = std::min(start + options_.max_log_wait, wait_until);
  const int64_t head = linked ? index_->WaitForLinked(min_log_position, until)
                              : index_->WaitForHead(min_log_position, until);
  if (head >= min_log_position) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat(
      "this replica is at log position ", head, linked ? " of its stories and near-copies" : "",
      " and did not reach min_log_position ",
      min_log_position, " within ",
      absl::FormatDuration(absl::Trunc(std::max(until - start, absl::ZeroDuration()),
                                       absl::Milliseconds(1))),
      "; retry, possibly on another replica"));
}

absl::StatusOr<ResolvedFilter> QueryEngine::ResolveConditions(
    const SearchRequest& request) const {
  Fingerprint unused;
  return ResolveFilter(request, &unused);
}

absl::StatusOr<ResolvedFilter> QueryEngine::ResolveFilter(const SearchRequest& request,
                                                          Fingerprint* fingerprint_out) const {
  Fingerprint& fingerprint = *fingerprint_out;
  RETURN_IF_ERROR(CheckTerms("filter.any_entities", request.any_entities, options_.max_filter_terms));
  RETURN_IF_ERROR(CheckTerms("filter.all_entities", request.all_entities, options_.max_filter_terms));
  RETURN_IF_ERROR(
      CheckTerms("filter.none_entities", request.none_entities, options_.max_filter_terms));
  RETURN_IF_ERROR(CheckTerms("filter.topics", request.topics, options_.max_filter_terms));
  RETURN_IF_ERROR(CheckTerms("filter.sources", request.sources, options_.max_filter_terms));
  RETURN_IF_ERROR(
      CheckTerms("filter.key_phrases", request.key_phrases, options_.max_filter_terms));
  RETURN_IF_ERROR(CheckTerms("filter.story_ids", request.story_ids, options_.max_filter_terms));
  if (request.start_time && request.end_time && *request.end_time <= *request.start_time) {
    return InvalidFieldError("filter.end_time", "end_time must be after start_time");
  }
  if (request.mentioned_start_time && request.mentioned_end_time &&
      *request.mentioned_end_time <= *request.mentioned_start_time) {
    return InvalidFieldError("filter.mentioned_end_time",
                             "mentioned_end_time must be after mentioned_start_time");
  }
  // A query that reads links waits for them: the link stage follows
  // indexing.
  const bool story_facets =
      std::any_of(request.facets.begin(), request.facets.end(),
                  [](const FacetRequest& facet) { return facet.group_by == GroupBy::kStory; });
  const bool reads_links =
      !request.story_ids.empty() || request.collapse_copies || story_facets;
  RETURN_IF_ERROR(
      WaitForLogPosition(request.min_log_position, request.wait_until, reads_links));

  ResolvedFilter resolved;
  IndexQuery& query = resolved.query;
  query.reads_story_groups = story_facets;

  // Entities: any_entities is one group; each of all_entities is a group.
  if (!request.any_entities.empty()) {
    std::vector<std::string> group;
    fingerprint.Add("any");
    for (const std::string& e : request.any_entities) {
      std::vector<std::string> ids = ResolveEntity(e);
      for (const std::string& id : ids) AddUnique(&group, id);
      resolved.entities.push_back({e, std::move(ids), query.entity_groups.size()});
      fingerprint.Add(e);
    }
    query.entity_groups.push_back(std::move(group));
  }
  fingerprint.Add("all");
  for (const std::string& e : request.all_entities) {
    std::vector<std::string> ids = ResolveEntity(e);
    resolved.entities.push_back({e, ids, query.entity_groups.size()});
    query.entity_groups.push_back(std::move(ids));
    fingerprint.Add(e);
  }
  fingerprint.Add("none");
  for (const std::string& e : request.none_entities) {
    std::vector<std::string> ids = ResolveEntity(e);
    for (const std::string& id : ids) AddUnique(&query.excluded_entities, id);
    resolved.entities.push_back({e, std::move(ids), ResolvedFilter::kExcluded});
    fingerprint.Add(e);
  }

  fingerprint.Add("time");
  if (request.start_time) {
    query.start_time = request.start_time;
    fingerprint.Add(absl::ToUnixNanos(*request.start_time));
  }
  fingerprint.Add("end");
  if (request.end_time) {
    query.end_time = request.end_time;
    fingerprint.Add(absl::ToUnixNanos(*request.end_time));
  }

  fingerprint.Add("mentioned");
  if (request.mentioned_start_time) {
    query.mentioned_start = request.mentioned_start_time;
    fingerprint.Add(absl::ToUnixNanos(*request.mentioned_start_time));
  }
  fingerprint.Add("mentioned_end");
  if (request.mentioned_end_time) {
    query.mentioned_end = request.mentioned_end_time;
    fingerprint.Add(absl::ToUnixNanos(*request.mentioned_end_time));
  }

  fingerprint.Add("topics");
  for (const std::string& t : request.topics) {
    const Taxonomy::Topic* topic = taxonomy_->Find(t);
    if (topic == nullptr) {
      return InvalidFieldError("filter.topics", absl::StrCat(
          "unknown topic '", t, "'; use an IPTC Media Topics qcode such as "
          "medtop:16000000 or its English label"));
    }
    query.has_topic_condition = true;
    AddUnique(&query.topic_codes, topic->code);
    fingerprint.Add(topic->code);
  }
  query.exact_topics = request.exact_topics;
  fingerprint.Add(request.exact_topics ? "exact" : "below");
  fingerprint.Add("key_phrases");
  for (const std::string& p : request.key_phrases) {
    std::string key = ArticleIndex::KeyPhraseKey(p);
    if (key.empty()) {
      return InvalidFieldError(
          "filter.key_phrases", absl::StrCat("key phrase '", p, "' has no letters or digits"));
    }
    fingerprint.Add(key);
    AddUnique(&query.key_phrases, key);
  }
  fingerprint.Add("sources");
  for (const std::string& s : request.sources) {
    query.sources.push_back(absl::AsciiStrToLower(absl::StripAsciiWhitespace(s)));
    fingerprint.Add(query.sources.back());
  }
  fingerprint.Add("stories");
  for (const std::string& s : request.story_ids) {
    absl::string_view id = absl::StripAsciiWhitespace(s);
    absl::ConsumePrefix(&id, "stories/");
    AddUnique(&query.story_ids, std::string(id));
    fingerprint.Add(id);
  }
  fingerprint.Add("words");
  for (std::string& w : ArticleIndex::Tokenize(request.text)) {
    fingerprint.Add(w);
    AddUnique(&query.words, w);
  }
  if (static_cast<int>(query.words.size()) > options_.max_filter_terms) {
    return InvalidFieldError("filter.text", absl::StrCat(
        "text has ", query.words.size(), " words; the limit is ", options_.max_filter_terms));
  }
  return resolved;
}

absl::StatusOr<SearchResult> QueryEngine::Search(const SearchRequest& request) const {
  ASSIGN_OR_RETURN(const int page_size,
                   ResolvePageSize(request.page_size, options_.default_page_size,
                                   options_.max_page_size));
  std::vector<ArticleCounter> counters;  // the facets, then the histogram
  std::vector<int> facet_sizes;
  for (size_t i = 0; i < request.facets.size(); ++i) {
    const FacetRequest& facet = request.facets[i];
    const std::string field = absl::StrCat("facets[", i, "]");
    if (facet.group_by == GroupBy::kNone) {
      return InvalidFieldError(absl::StrCat(field, ".group_by"),
                               "a facet needs a group_by: topic, entity, source or story");
    }
    for (size_t j = 0; j < i; ++j) {
      if (request.facets[j].group_by == facet.group_by) {
        return InvalidFieldError(absl::StrCat(field, ".group_by"),
                                 "each group_by may be asked for once");
      }
    }
    if (facet.max_groups < 0) {
      return InvalidFieldError(absl::StrCat(field, ".max_groups"),
                               absl::StrCat("max_groups is ", facet.max_groups,
                                            "; it must not be negative"));
    }
    ASSIGN_OR_RETURN(const int size, ResolvePageSize(facet.max_groups,
                                                     options_.default_page_size,
                                                     options_.max_page_size));
    facet_sizes.push_back(size);
    counters.emplace_back(facet.group_by, Interval::kNone, index_);
  }
  if (request.histogram_interval != Interval::kNone) {
    counters.emplace_back(GroupBy::kNone, request.histogram_interval, index_);
  }

  Fingerprint fingerprint;
  fingerprint.Add(static_cast<int64_t>(request.order));
  ASSIGN_OR_RETURN(ResolvedFilter filter, ResolveFilter(request, &fingerprint));
  filter.query.order = request.order;
  filter.query.collapse_copies = request.collapse_copies;
  filter.query.hit_topics = request.explain && filter.query.has_topic_condition;
  fingerprint.Add(request.collapse_copies ? "collapse" : "copies");
  // Each hit is decoded only as far as its explanation reads what the
  // index does not hold (the index has decided that it matches, and gives
  // the topics), and not at all without explanations; the caller gets the
  // stored article whole, or its summary when that is all it reads and all
  // the explanation reads.
  ArticleParts parts = ExplainedParts(filter);
  const std::vector<std::string> entity_ids = ExplainedEntityIds(filter);
  parts.entities = !entity_ids.empty();
  parts.topics = false;
  const bool beyond_summary =
      parts.text || parts.entities || parts.key_phrases || parts.mentioned_dates;
  const bool decode = request.explain && (beyond_summary || parts.publish_time || parts.source);
  filter.query.summaries = request.summaries_only && !(request.explain && beyond_summary);

  // Later pages take the total the first page counted over the same
  // snapshot from their token, so only the page is searched.
  std::optional<Cursor> cursor;
  int64_t snapshot = 0;
  int64_t first_page_total = -1;
  if (!request.page_token.empty()) {
    ASSIGN_OR_RETURN(PageToken token,
                     DecodePageToken(request.page_token, fingerprint.value()));
    cursor = Cursor{token.has_time, token.time_ns, token.score, token.sequence};
    snapshot = token.snapshot;
    first_page_total = token.count;
  }

  const MatchVisitor count = [&counters](const MatchedDoc& doc) {
    for (ArticleCounter& counter : counters) counter.Add(doc);
  };
  // Facets the index keeps counts for (one topic alone or in a time range,
  // by entity or source) are read from them over the page's snapshot, not
  // counted.
  const bool kept_facets =
      !counters.empty() && request.histogram_interval == Interval::kNone &&
      std::all_of(request.facets.begin(), request.facets.end(),
                  [&filter](const FacetRequest& facet) {
                    return ArticleIndex::KeepsGroupCounts(filter.query, facet.group_by);
                  });
  // Their matching articles are the total too, so the index does not count
  // it again.
  const bool visit = !counters.empty() && !kept_facets;
  ASSIGN_OR_RETURN(SearchPage page,
                   index_->Search(filter.query, cursor ? &*cursor : nullptr, page_size, snapshot,
                                  visit ? &count : nullptr,
                                  /*count_total=*/first_page_total < 0 && !kept_facets));
  if (kept_facets && first_page_total < 0) page.total_size = 0;
  // (A snapshot of no article counts nothing: 0 would mean all.)
  if (kept_facets && page.snapshot > 0) {
    for (size_t i = 0; i < request.facets.size(); ++i) {
      std::optional<ArticleIndex::KeptCounts> kept =
          index_->KeptGroupCounts(filter.query, request.facets[i].group_by, page.snapshot);
      CHECK(kept.has_value()) << "the index keeps the counts of this facet";
      counters[i].AddKept(*kept);
      if (first_page_total < 0) page.total_size = kept->articles;
    }
  }
  SearchResult result;
  result.total_size = page.total_size >= 0 ? page.total_size : first_page_total;
  for (size_t i = 0; i < request.facets.size(); ++i) {
    std::vector<GroupCount> groups = counters[i].Groups(facet_sizes[i]);
    Facet facet;
    facet.group_by = request.facets[i].group_by;
    facet.total_groups = counters[i].group_count();
    ASSIGN_OR_RETURN(facet.groups, ToCountGroups(std::move(groups), Interval::kNone, request));
    result.facets.push_back(std::move(facet));
  }
  if (request.histogram_interval != Interval::kNone) {
    ASSIGN_OR_RETURN(std::vector<CountGroup> series,
                     ToCountGroups({counters.back().Group("")}, request.histogram_interval,
                                   request));
    result.histogram = std::move(series[0].buckets);
  }
  result.matches.reserve(page.hits.size());
  for (Hit& hit : page.hits) {
    Article article;
    if (decode) {
      ASSIGN_OR_RETURN(article, DecodeStoredArticle(hit.stored, parts, &entity_ids));
    } else {
      article.id = std::move(hit.article_id);
      article.log_sequence = hit.stored.log_sequence;
      article.story_id = hit.stored.story_id;
      article.copy_of = hit.stored.copy_of;
      article.copy_similarity = hit.stored.copy_similarity;
    }
    MatchExplanation explanation;
    if (request.explain) {
      for (const HitTopic& t : hit.topics) article.topics.push_back({t.code, "", 0, t.implied});
      ExplainHit(filter, article, hit.topics, &explanation);
    }
    result.matches.push_back(MakeMatch(std::make_shared<const Article>(std::move(article)),
                                       hit.score, std::move(explanation)));
    result.matches.back().explained = request.explain;
    result.matches.back().stored = std::move(hit.stored);
    result.matches.back().copy_ids = std::move(hit.copy_ids);
  }
  if (page.more && !page.hits.empty()) {
    const Hit& last = page.hits.back();
    PageToken token;
    token.request_fingerprint = fingerprint.value();
    token.snapshot = page.snapshot;
    token.has_time = last.has_time;
    token.time_ns = last.time_ns;
    token.score = last.score;
    token.sequence = result.matches.back().article->log_sequence;
    token.count = result.total_size;
    result.next_page_token = EncodePageToken(token);
  }
  return result;
}

absl::StatusOr<EntityListResult> QueryEngine::ListEntities(
    const EntityListRequest& request) const {
  ASSIGN_OR_RETURN(const int page_size,
                   ResolvePageSize(request.page_size, options_.default_page_size,
                                   options_.max_page_size));
  Fingerprint fingerprint;
  fingerprint.Add("entities").Add(request.prefix).Add(static_cast<int64_t>(request.type));
  EntityListResult result;
  if (request.cooccurs_with.empty()) {
    std::vector<EntityInfo> all = index_->ListEntities(request.prefix, request.type);
    result.total_size = static_cast<int64_t>(all.size());
    ASSIGN_OR_RETURN(
        result.entities,
        PageByCount(
            std::move(all), page_size, request.page_token, fingerprint.value(),
            [](const EntityInfo& e) { return e.article_count; },
            [](const EntityInfo& e) -> const std::string& { return e.id; },
            &result.next_page_token));
  } else {
    if (request.start_time && request.end_time && *request.end_time <= *request.start_time) {
      return InvalidFieldError("end_time", "end_time must be after start_time");
    }
    const std::vector<std::string> ids = ResolveEntity(request.cooccurs_with);
    if (ids.empty()) {
      return InvalidFieldError(
          "cooccurs_with", absl::StrCat("cooccurs_with: no entity is named '", request.cooccurs_with, "'"));
    }
    fingerprint.Add("with").Add(request.cooccurs_with);
    if (request.start_time) fingerprint.Add(absl::ToUnixNanos(*request.start_time));
    fingerprint.Add("to");
    if (request.end_time) fingerprint.Add(absl::ToUnixNanos(*request.end_time));
    // The index orders the entities and makes only the page's entries.
    std::optional<ArticleIndex::CountCursor> after;
    if (!request.page_token.empty()) {
      ASSIGN_OR_RETURN(PageToken token,
                       DecodePageToken(request.page_token, fingerprint.value()));
      after = ArticleIndex::CountCursor{token.count, std::move(token.key)};
    }
    ArticleIndex::EntityPage page = index_->CoOccurringEntities(
        ids, request.start_time, request.end_time, request.prefix, request.type,
        after ? &*after : nullptr, static_cast<size_t>(page_size));
    result.total_size = page.total;
    result.entities = std::move(page.entities);
    if (page.more && !result.entities.empty()) {
      PageToken token;
      token.request_fingerprint = fingerprint.value();
      token.count = result.entities.back().cooccurrence_count;
      token.key = result.entities.back().id;
      result.next_page_token = EncodePageToken(token);
    }
  }
  // The index lists entities without their spellings; the page's are added.
  for (EntityInfo& e : result.entities) {
    if (std::optional<EntityInfo> full = index_->GetEntity(e.id)) {
      e.spellings = std::move(full->spellings);
    }
  }
  return result;
}

absl::StatusOr<std::vector<EntityCandidate>> QueryEngine::ResolveEntityCandidates(
    absl::string_view name) const {
  if (absl::StripAsciiWhitespace(name).empty()) {
    return InvalidFieldError("name", "name is required");
  }
  std::vector<EntityCandidate> out;
  for (const std::string& id : ResolveEntity(name)) {
    EntityCandidate candidate;
    if (std::optional<EntityInfo> info = index_->GetEntity(id); info.has_value()) {
      candidate.info = *std::move(info);
    }
    candidate.info.id = id;
    if (absl::StatusOr<entities::AliasTableEntry> entry = index_->aliases().Describe(id);
        entry.ok()) {
      candidate.info.display_name = entry->display_name;
      candidate.info.type = entry->type;
      candidate.info.linked = true;
      for (std::string& alias : entry->aliases) {
        if (alias != entry->display_name) candidate.aliases.push_back(std::move(alias));
      }
    }
    out.push_back(std::move(candidate));
  }
  std::sort(out.begin(), out.end(), [](const EntityCandidate& a, const EntityCandidate& b) {
    if (a.info.article_count != b.info.article_count) {
      return a.info.article_count > b.info.article_count;
    }
    return a.info.id < b.info.id;
  });
  return out;
}

absl::StatusOr<TopicListResult> QueryEngine::ListTopics(absl::string_view parent_code,
                                                        const SearchRequest& filter,
                                                        int32_t page_size_requested,
                                                        absl::string_view page_token) const {
  ASSIGN_OR_RETURN(const int page_size,
                   ResolvePageSize(page_size_requested, options_.default_page_size,
                                   options_.max_page_size));
  std::string parent;
  if (!parent_code.empty()) {
    const Taxonomy::Topic* topic = taxonomy_->Find(parent_code);
    if (topic == nullptr) {
      return InvalidFieldError(
          "parent_code", absl::StrCat("unknown parent_code '", parent_code, "'"));
    }
    parent = topic->code;
  }
  Fingerprint fingerprint;
  fingerprint.Add("topics").Add(parent);
  ASSIGN_OR_RETURN(const ResolvedFilter resolved, ResolveFilter(filter, &fingerprint));
  ArticleCounter counter(GroupBy::kTopic, Interval::kNone, index_);
  index_->ForEachMatch(resolved.query, [&counter](const MatchedDoc& doc) { counter.Add(doc); });
  std::vector<TopicListEntry> all;
  for (const GroupCount& group : counter.Groups()) {
    const Taxonomy::Topic* topic = taxonomy_->Find(group.key);
    if (topic == nullptr || (!parent.empty() && topic->parent_code != parent)) continue;
    all.push_back(TopicListEntry{topic, group.article_count});
  }
  TopicListResult result;
  result.total_size = static_cast<int64_t>(all.size());
  ASSIGN_OR_RETURN(
      result.topics,
      PageByCount(
          std::move(all), page_size, page_token, fingerprint.value(),
          [](const TopicListEntry& e) { return e.article_count; },
          [](const TopicListEntry& e) -> const std::string& { return e.topic->code; },
          &result.next_page_token));
  return result;
}

absl::StatusOr<CountResult> QueryEngine::CountArticles(const CountRequest& request) const {
  if (request.max_groups < 0) {
    return InvalidFieldError(
        "max_groups", absl::StrCat("max_groups is ", request.max_groups, "; it must not be negative"));
  }
  ASSIGN_OR_RETURN(const int max_groups,
                   ResolvePageSize(request.max_groups, options_.default_page_size,
                                   options_.max_page_size));
  RETURN_IF_ERROR(CheckTerms("groups", request.groups, options_.max_page_size));
  if (request.group_by == GroupBy::kNone && !request.groups.empty()) {
    return InvalidFieldError("groups", "groups needs a group_by");
  }
  // Counting by story reads links: it waits for them first, within the
  // one bound, so that the filter's own wait is then over at once.
  if (request.group_by == GroupBy::kStory) {
    RETURN_IF_ERROR(WaitForLogPosition(request.filter.min_log_position,
                                       request.filter.wait_until, /*linked=*/true));
  }
  ASSIGN_OR_RETURN(ResolvedFilter resolved, ResolveConditions(request.filter));
  if (request.group_by == GroupBy::kStory) resolved.query.reads_story_groups = true;
  ArticleCounter counter(request.group_by, request.interval, index_);
  // Read from the counts the index keeps when it keeps them (one topic
  // alone or in a time range, by entity or source; one entity alone or in a
  // time range, ungrouped, in any interval), else counted over the matches.
  std::optional<ArticleIndex::KeptCounts> kept;
  std::optional<ArticleIndex::KeptDays> kept_days;
  if (request.interval == Interval::kNone) {
    kept = index_->KeptGroupCounts(resolved.query, request.group_by, /*snapshot=*/0);
  }
  if (request.group_by == GroupBy::kNone) {
    kept_days = index_->KeptDayCounts(resolved.query, /*snapshot=*/0);
  }
  if (kept) {
    counter.AddKept(*kept);
  } else if (kept_days) {
    counter.AddKeptDays(*kept_days);
  } else {
    index_->ForEachMatch(resolved.query,
                         [&counter](const MatchedDoc& doc) { counter.Add(doc); });
  }

  CountResult result;
  result.total_size = counter.articles();
  std::vector<GroupCount> groups;
  result.total_groups = counter.group_count();
  if (request.groups.empty()) {
    groups = counter.Groups(max_groups);
  } else {
    for (const std::string& wanted : request.groups) {
      std::string key;
      std::string label;
      switch (request.group_by) {
        case GroupBy::kTopic: {
          const Taxonomy::Topic* topic = taxonomy_->Find(wanted);
          if (topic == nullptr) {
            return InvalidFieldError("groups", absl::StrCat("unknown topic '", wanted, "'"));
          }
          key = topic->code;
          label = topic->label;
          break;
        }
        case GroupBy::kEntity: {
          // The resolved id with the most matching articles.
          key = std::string(absl::StripAsciiWhitespace(wanted));
          int64_t best = -1;
          for (const std::string& id : ResolveEntity(wanted)) {
            const int64_t count = counter.Group(id).article_count;
            if (count > best) {
              best = count;
              key = id;
            }
          }
          break;
        }
        case GroupBy::kStory: {
          absl::string_view id = absl::StripAsciiWhitespace(wanted);
          absl::ConsumePrefix(&id, "stories/");
          key = std::string(id);
          label = key;
          break;
        }
        case GroupBy::kSource:
          key = absl::AsciiStrToLower(absl::StripAsciiWhitespace(wanted));
          label = std::string(absl::StripAsciiWhitespace(wanted));
          break;
        case GroupBy::kNone:
          break;
      }
      GroupCount group = counter.Group(key);
      if (group.article_count == 0 && group.label.empty()) group.label = label;
      groups.push_back(std::move(group));
    }
  }

  ASSIGN_OR_RETURN(result.groups,
                   ToCountGroups(std::move(groups), request.interval, request.filter));
  return result;
}

absl::StatusOr<std::vector<CountGroup>> QueryEngine::ToCountGroups(
    std::vector<GroupCount> groups, Interval interval, const SearchRequest& filter) const {
  // Bucket range: the filter's time bounds, else the buckets with articles.
  std::optional<absl::Time> first, last;
  if (interval != Interval::kNone) {
    for (const GroupCount& g : groups) {
      if (g.buckets.empty()) continue;
      const absl::Time lo = absl::FromUnixNanos(g.buckets.begin()->first);
      const absl::Time hi = absl::FromUnixNanos(g.buckets.rbegin()->first);
      if (!first || lo < *first) first = lo;
      if (!last || hi > *last) last = hi;
    }
    if (filter.start_time) first = BucketStart(*filter.start_time, interval);
    if (filter.end_time) last = BucketStart(*filter.end_time - absl::Nanoseconds(1), interval);
    if (first && last) {
      int64_t buckets = 0;
      for (absl::Time t = *first; t <= *last; t = NextBucket(t, interval)) {
        if (++buckets > options_.max_buckets) {
          return InvalidFieldError("interval", absl::StrCat(
              "the time series would have more than ", options_.max_buckets,
              " buckets; narrow the time range or choose a wider interval"));
        }
      }
    }
  }
  std::vector<CountGroup> out;
  for (GroupCount& g : groups) {
    CountGroup group;
    group.key = std::move(g.key);
    group.label = std::move(g.label);
    group.article_count = g.article_count;
    if (first && last) {
      for (absl::Time t = *first; t <= *last; t = NextBucket(t, interval)) {
        auto it = g.buckets.find(absl::ToUnixNanos(t));
        group.buckets.push_back({t, it == g.buckets.end() ? 0 : it->second});
      }
    }
    out.push_back(std::move(group));
  }
  return out;
}

}  // namespace newsdesk::query
