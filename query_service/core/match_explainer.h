// Why an article matches a filter: for each condition, the part of the
// article that satisfies it (the entity and where it is named, the topic,
// the publication time, the mentioned dates, the words and key phrases, the
// source). The same code decides whether one article matches at all, which
// is how standing queries (WatchArticles) test each new article; searches
// find their articles through the index and explain only the page.
#ifndef QUERY_SERVICE_CORE_MATCH_EXPLAINER_H_
#define QUERY_SERVICE_CORE_MATCH_EXPLAINER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/model/article.h"
#include "common/model/article_convert.h"
#include "common/taxonomy/taxonomy.h"
#include "query_service/index/article_index.h"
#include "query_service/index/stored_article.h"

namespace newsdesk::query {

// A filter with the names its caller wrote resolved to ids and codes.
struct ResolvedFilter {
  IndexQuery query;
  // An entity reference as written, the ids it resolved to and the group of
  // query.entity_groups it belongs to (kExcluded: none_entities).
  static constexpr size_t kExcluded = static_cast<size_t>(-1);
  struct EntityReference {
    std::string query;
    std::vector<std::string> ids;
    size_t group = 0;
  };
  std::vector<EntityReference> entities;

  // Resolves again, with `resolve`, the references that resolved to no id
  // (a name no article had used yet) and rebuilds the entity groups and
  // exclusions from them. Returns whether anything changed.
  bool ResolveMissing(const std::function<std::vector<std::string>(absl::string_view)>& resolve);
  bool HasUnresolved() const;
};

struct EntityMatchInfo {
  std::string query;
  std::string entity_id;
  std::vector<std::string> spellings;
  int mention_count = 0;
  std::vector<EntityMention> mentions;  // where the article names it
};

struct TopicMatchInfo {
  std::string requested_code;
  std::string article_code;
  bool exact = false;  // article_code is requested_code itself
};

struct MentionedDateMatchInfo {
  int index = 0;  // into Article::mentioned_dates
  MentionedDate date;
};

// The places a MatchExplanation gives for one requested word: the first ones
// in reading order.
inline constexpr int kMaxExplainedPlacesPerWord = 16;

struct WordMatchInfo {
  std::string word;  // as requested (lower-case)
  TextSection section = TextSection::kUnspecified;  // kTitle or kBody
  int index = 0;  // paragraph; 0 for the title
  int begin = 0;  // byte offsets in that text
  int end = 0;

  bool operator==(const WordMatchInfo& o) const {
    return word == o.word && section == o.section && index == o.index && begin == o.begin &&
           end == o.end;
  }
};

struct KeyPhraseMatchInfo {
  std::string requested;   // normalised (ArticleIndex::KeyPhraseKey)
  std::string key_phrase;  // as the article has it
};

// The explanation of one match; a part is empty when the filter has no such
// condition.
struct MatchExplanation {
  std::vector<EntityMatchInfo> entities;
  std::vector<TopicMatchInfo> topics;
  std::optional<ArticleTime> publish_time;  // with a publication-time bound
  std::vector<MentionedDateMatchInfo> mentioned_dates;
  std::vector<WordMatchInfo> words;
  std::vector<KeyPhraseMatchInfo> key_phrases;
  std::string source;  // with a sources condition
};

// A matching article with why it matched.
struct SearchMatch {
  // A watch's match holds the article whole here. A search's holds only
  // what its explanation read (the id, the index's links and the
  // ExplainedParts of the filter), and the whole article undecoded in
  // `stored`.
  std::shared_ptr<const Article> article;
  std::optional<StoredArticle> stored;
  double relevance_score = 0;
  std::vector<EntityMatchInfo> entity_matches;
  std::vector<std::string> matched_topics;  // the article's codes in explanation.topics
  MatchExplanation explanation;             // entities are in entity_matches
  // False when the search was asked for no explanations
  // (SearchRequest::explain): entity_matches, matched_topics and
  // explanation are empty, and `article` holds only the id and the links.
  bool explained = true;
  // Near-copies folded into this match (SearchRequest::collapse_copies).
  std::vector<std::string> copy_ids;
};

// Explains `article` against `filter` into *out and returns whether it
// satisfies every condition. `taxonomy` gives topic ancestors.
bool ExplainMatch(const ResolvedFilter& filter, const Article& article,
                  const Taxonomy& taxonomy, MatchExplanation* out);

// ExplainMatch for a search's hit, whose index has decided that it matches:
// `article` holds the ExplainedParts of `filter` but the topics, which come
// from the index (Hit::topics, with IndexQuery::hit_topics). The same
// explanation as ExplainMatch gives for the whole article.
void ExplainHit(const ResolvedFilter& filter, const Article& article,
                const std::vector<HitTopic>& topics, MatchExplanation* out);

// The parts of an article ExplainMatch reads for `filter`.
ArticleParts ExplainedParts(const ResolvedFilter& filter);

// The ids of the entities an explanation for `filter` may name: those its
// references (not the excluded ones) resolved to. The article's other
// entities decide only whether it matches, which a search's index has
// decided already, so a search explains its hits from these alone.
std::vector<std::string> ExplainedEntityIds(const ResolvedFilter& filter);

// A SearchMatch for `article` with its explanation (from ExplainMatch).
SearchMatch MakeMatch(std::shared_ptr<const Article> article, double relevance_score,
                      MatchExplanation explanation);

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_CORE_MATCH_EXPLAINER_H_
