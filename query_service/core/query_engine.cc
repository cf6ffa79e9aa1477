#include "query_service/core/query_engine.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "query_service/core/page_token.h"

namespace newsdesk::query {
namespace {

void AddUnique(std::vector<std::string>* out, const std::string& value) {
  if (std::find(out->begin(), out->end(), value) == out->end()) out->push_back(value);
}

absl::Status CheckTerms(absl::string_view field, const std::vector<std::string>& terms,
                        int max_terms) {
  if (static_cast<int>(terms.size()) > max_terms) {
    return absl::InvalidArgumentError(absl::StrCat(field, " has ", terms.size(),
                                                   " entries; the limit is ", max_terms));
  }
  for (const std::string& t : terms) {
    if (absl::StripAsciiWhitespace(t).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(field, " has an empty entry"));
    }
  }
  return absl::OkStatus();
}

// For each requested entity, the article's entity it resolved to.
std::vector<EntityMatchInfo> ExplainEntities(
    const Article& article, const std::vector<std::string>& queries,
    const std::vector<std::vector<std::string>>& resolved) {
  std::vector<EntityMatchInfo> out;
  for (size_t i = 0; i < queries.size(); ++i) {
    for (const ArticleEntity& e : article.entities) {
      if (std::find(resolved[i].begin(), resolved[i].end(), e.id) == resolved[i].end()) {
        continue;
      }
      out.push_back(EntityMatchInfo{queries[i], e.id, e.spellings, e.mention_count});
    }
  }
  return out;
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
                         const entities::EntityLexicon* lexicon, const Taxonomy* taxonomy)
    : options_(options), index_(index), lexicon_(lexicon), taxonomy_(taxonomy) {}

absl::StatusOr<std::shared_ptr<const Article>> QueryEngine::GetArticle(
    absl::string_view name) const {
  absl::string_view id = name;
  absl::ConsumePrefix(&id, "articles/");
  if (id.empty()) return absl::InvalidArgumentError("name is required: articles/{article_id}");
  std::shared_ptr<const Article> article = index_->Get(id);
  if (article == nullptr) {
    return absl::NotFoundError(absl::StrCat("no article named '", name, "'"));
  }
  return article;
}

std::vector<std::string> QueryEngine::ResolveEntity(absl::string_view reference) const {
  std::vector<std::string> ids;
  const absl::string_view trimmed = absl::StripAsciiWhitespace(reference);
  if (const entities::EntityRecord* record = lexicon_->Lookup(trimmed); record != nullptr) {
    ids.push_back(record->id);
  }
  for (const std::string& id : index_->FindEntityIds(trimmed)) AddUnique(&ids, id);
  return ids;
}

absl::StatusOr<SearchResult> QueryEngine::Search(const SearchRequest& request) const {
  ASSIGN_OR_RETURN(const int page_size,
                   ResolvePageSize(request.page_size, options_.default_page_size,
                                   options_.max_page_size));
  RETURN_IF_ERROR(CheckTerms("any_entities", request.any_entities, options_.max_filter_terms));
  RETURN_IF_ERROR(CheckTerms("all_entities", request.all_entities, options_.max_filter_terms));
  RETURN_IF_ERROR(CheckTerms("topics", request.topics, options_.max_filter_terms));
  RETURN_IF_ERROR(CheckTerms("sources", request.sources, options_.max_filter_terms));
  if (request.start_time && request.end_time && *request.end_time <= *request.start_time) {
    return absl::InvalidArgumentError("end_time must be after start_time");
  }
  if (request.mentioned_start_time && request.mentioned_end_time &&
      *request.mentioned_end_time <= *request.mentioned_start_time) {
    return absl::InvalidArgumentError("mentioned_end_time must be after mentioned_start_time");
  }

  IndexQuery query;
  query.order = request.order;
  Fingerprint fingerprint;
  fingerprint.Add(static_cast<int64_t>(request.order));

  // Entities: any_entities is one group; each of all_entities is a group.
  std::vector<std::string> entity_queries;
  std::vector<std::vector<std::string>> entity_resolved;
  if (!request.any_entities.empty()) {
    std::vector<std::string> group;
    fingerprint.Add("any");
    for (const std::string& e : request.any_entities) {
      std::vector<std::string> ids = ResolveEntity(e);
      for (const std::string& id : ids) AddUnique(&group, id);
      entity_queries.push_back(e);
      entity_resolved.push_back(std::move(ids));
      fingerprint.Add(e);
    }
    query.entity_groups.push_back(std::move(group));
  }
  fingerprint.Add("all");
  for (const std::string& e : request.all_entities) {
    std::vector<std::string> ids = ResolveEntity(e);
    query.entity_groups.push_back(ids);
    entity_queries.push_back(e);
    entity_resolved.push_back(std::move(ids));
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
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown topic '", t, "'; use an IPTC Media Topics qcode such as "
          "medtop:16000000 or its English label"));
    }
    query.has_topic_condition = true;
    AddUnique(&query.topic_codes, topic->code);
    fingerprint.Add(topic->code);
  }
  fingerprint.Add("sources");
  for (const std::string& s : request.sources) {
    query.sources.push_back(absl::AsciiStrToLower(absl::StripAsciiWhitespace(s)));
    fingerprint.Add(query.sources.back());
  }
  fingerprint.Add("words");
  for (std::string& w : ArticleIndex::Tokenize(request.text)) {
    fingerprint.Add(w);
    AddUnique(&query.words, w);
  }
  if (static_cast<int>(query.words.size()) > options_.max_filter_terms) {
    return absl::InvalidArgumentError(absl::StrCat(
        "text has ", query.words.size(), " words; the limit is ", options_.max_filter_terms));
  }

  std::optional<Cursor> cursor;
  int64_t snapshot = 0;
  if (!request.page_token.empty()) {
    ASSIGN_OR_RETURN(PageToken token,
                     DecodePageToken(request.page_token, fingerprint.value()));
    cursor = Cursor{token.has_time, token.time_ns, token.score, token.sequence};
    snapshot = token.snapshot;
  }

  SearchPage page = index_->Search(query, cursor ? &*cursor : nullptr, page_size, snapshot);
  SearchResult result;
  result.total_size = page.total_size;
  for (Hit& hit : page.hits) {
    SearchMatch match;
    match.relevance_score = hit.score;
    match.entity_matches = ExplainEntities(*hit.article, entity_queries, entity_resolved);
    for (const ArticleTopic& t : hit.article->topics) {
      if (t.implied) continue;  // its assigned descendant is listed instead
      const std::vector<std::string> ancestors = taxonomy_->Ancestors(t.code);
      for (const std::string& code : query.topic_codes) {
        if (t.code == code ||
            std::find(ancestors.begin(), ancestors.end(), code) != ancestors.end()) {
          AddUnique(&match.matched_topics, t.code);
        }
      }
    }
    match.article = std::move(hit.article);
    result.matches.push_back(std::move(match));
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
    result.next_page_token = EncodePageToken(token);
  }
  return result;
}

absl::StatusOr<EntityListResult> QueryEngine::ListEntities(
    absl::string_view prefix, EntityType type, int32_t page_size_requested,
    absl::string_view page_token) const {
  ASSIGN_OR_RETURN(const int page_size,
                   ResolvePageSize(page_size_requested, options_.default_page_size,
                                   options_.max_page_size));
  Fingerprint fingerprint;
  fingerprint.Add("entities").Add(prefix).Add(static_cast<int64_t>(type));
  std::vector<EntityInfo> all = index_->ListEntities(prefix, type);
  EntityListResult result;
  result.total_size = static_cast<int64_t>(all.size());
  ASSIGN_OR_RETURN(
      result.entities,
      PageByCount(
          std::move(all), page_size, page_token, fingerprint.value(),
          [](const EntityInfo& e) { return e.article_count; },
          [](const EntityInfo& e) -> const std::string& { return e.id; },
          &result.next_page_token));
  return result;
}

absl::StatusOr<TopicListResult> QueryEngine::ListTopics(absl::string_view parent_code,
                                                        int32_t page_size_requested,
                                                        absl::string_view page_token) const {
  ASSIGN_OR_RETURN(const int page_size,
                   ResolvePageSize(page_size_requested, options_.default_page_size,
                                   options_.max_page_size));
  std::string parent;
  if (!parent_code.empty()) {
    const Taxonomy::Topic* topic = taxonomy_->Find(parent_code);
    if (topic == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown parent_code '", parent_code, "'"));
    }
    parent = topic->code;
  }
  Fingerprint fingerprint;
  fingerprint.Add("topics").Add(parent);
  std::vector<TopicListEntry> all;
  for (const TopicCount& count : index_->ListTopics()) {
    const Taxonomy::Topic* topic = taxonomy_->Find(count.code);
    if (topic == nullptr || (!parent.empty() && topic->parent_code != parent)) continue;
    all.push_back(TopicListEntry{topic, count.article_count});
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

}  // namespace newsdesk::query
