#include "query_service/core/match_explainer.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace newsdesk::query {
namespace {

bool Contains(const std::vector<std::string>& list, absl::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The requested topics an article's `topics` (ArticleTopics or HitTopics)
// satisfy, assigned topics first; an implied topic only explains a
// requested topic no assigned one does. `below(topic, k)`: whether the topic
// is below query.topic_codes[k].
template <typename Topics, typename Below>
std::vector<TopicMatchInfo> ExplainTopics(const IndexQuery& query, const Topics& topics,
                                          Below below) {
  std::vector<TopicMatchInfo> out;
  for (const bool implied : {false, true}) {
    if (implied && query.exact_topics) break;  // exact matches only assigned topics
    for (const auto& t : topics) {
      if (t.implied != implied) continue;
      for (size_t k = 0; k < query.topic_codes.size(); ++k) {
        const std::string& code = query.topic_codes[k];
        const bool exact = t.code == code;
        if (!exact && (query.exact_topics || !below(t, k))) continue;
        const bool already = std::any_of(out.begin(), out.end(), [&](const TopicMatchInfo& m) {
          return m.requested_code == code && (implied || m.article_code == t.code);
        });
        if (!already) out.push_back(TopicMatchInfo{code, t.code, exact});
      }
    }
  }
  return out;
}

void ExplainWords(const std::vector<std::string>& words, const Article& article,
                  std::vector<WordMatchInfo>* out) {
  // Places explained per word: the first few say why an article matched; a
  // word repeated thousands of times would otherwise make the answer huge.
  std::vector<int> places(words.size(), 0);
  auto scan = [&](absl::string_view text, TextSection section, int index) {
    ArticleIndex::ForEachWord(text, [&](absl::string_view word, size_t begin) {
      for (size_t k = 0; k < words.size(); ++k) {
        const std::string& w = words[k];
        if (places[k] < kMaxExplainedPlacesPerWord && w.size() == word.size() &&
            absl::EqualsIgnoreCase(w, word)) {
          ++places[k];
          out->push_back(WordMatchInfo{w, section, index, static_cast<int>(begin),
                                       static_cast<int>(begin + word.size())});
        }
      }
    });
  };
  scan(article.title, TextSection::kTitle, 0);
  for (size_t i = 0; i < article.paragraphs.size(); ++i) {
    scan(article.paragraphs[i], TextSection::kBody, static_cast<int>(i));
  }
}

}  // namespace

bool ResolvedFilter::HasUnresolved() const {
  return std::any_of(entities.begin(), entities.end(),
                     [](const EntityReference& r) { return r.ids.empty(); });
}

bool ResolvedFilter::ResolveMissing(
    const std::function<std::vector<std::string>(absl::string_view)>& resolve) {
  bool changed = false;
  for (EntityReference& ref : entities) {
    if (!ref.ids.empty()) continue;
    ref.ids = resolve(ref.query);
    changed = changed || !ref.ids.empty();
  }
  if (!changed) return false;
  for (const EntityReference& ref : entities) {
    std::vector<std::string>* ids = ref.group == kExcluded ? &query.excluded_entities
                                                           : &query.entity_groups[ref.group];
    for (const std::string& id : ref.ids) {
      if (!Contains(*ids, id)) ids->push_back(id);
    }
  }
  return true;
}

namespace {

// ExplainMatch, with the topic condition explained by `explain_topics()`.
template <typename ExplainTopicsFn>
bool Explain(const ResolvedFilter& filter, const Article& article,
             ExplainTopicsFn explain_topics, MatchExplanation* out) {
  const IndexQuery& query = filter.query;
  *out = MatchExplanation();
  bool ok = true;

  std::vector<bool> group_met(query.entity_groups.size(), false);
  for (const ResolvedFilter::EntityReference& ref : filter.entities) {
    if (ref.group == ResolvedFilter::kExcluded) continue;
    for (const ArticleEntity& e : article.entities) {
      if (!Contains(ref.ids, e.id)) continue;
      out->entities.push_back(
          EntityMatchInfo{ref.query, e.id, e.spellings, e.mention_count, e.mentions});
      if (ref.group < group_met.size()) group_met[ref.group] = true;
    }
  }
  for (size_t g = 0; g < group_met.size(); ++g) {
    // A group without a reference (built by hand) is met by any id in it.
    if (!group_met[g]) {
      ok = ok && std::any_of(article.entities.begin(), article.entities.end(),
                             [&](const ArticleEntity& e) {
                               return Contains(query.entity_groups[g], e.id);
                             });
    }
  }
  for (const ArticleEntity& e : article.entities) {
    if (Contains(query.excluded_entities, e.id)) ok = false;
  }

  if (query.start_time || query.end_time) {
    const ArticleTime& t = article.publish_time;
    const bool in_range = t.known() && (!query.start_time || t.time >= *query.start_time) &&
                          (!query.end_time || t.time < *query.end_time);
    if (in_range) {
      out->publish_time = t;
    } else {
      ok = false;
    }
  }

  if (query.has_topic_condition) {
    out->topics = explain_topics();
    ok = ok && !out->topics.empty();
  }

  if (!query.key_phrases.empty()) {
    for (const std::string& phrase : article.key_phrases) {
      const std::string key = ArticleIndex::KeyPhraseKey(phrase);
      if (Contains(query.key_phrases, key)) {
        out->key_phrases.push_back(KeyPhraseMatchInfo{key, phrase});
      }
    }
    ok = ok && !out->key_phrases.empty();
  }

  if (!query.sources.empty()) {
    if (!article.source.empty() &&
        Contains(query.sources, absl::AsciiStrToLower(article.source))) {
      out->source = article.source;
    } else {
      ok = false;
    }
  }

  if (!query.words.empty()) {
    ExplainWords(query.words, article, &out->words);
    for (const std::string& w : query.words) {
      ok = ok && std::any_of(out->words.begin(), out->words.end(),
                             [&w](const WordMatchInfo& m) { return m.word == w; });
    }
  }

  if (query.mentioned_start || query.mentioned_end) {
    for (size_t i = 0; i < article.mentioned_dates.size(); ++i) {
      const MentionedDate& date = article.mentioned_dates[i];
      if (date.end <= date.start) continue;
      if (query.mentioned_start && date.end <= *query.mentioned_start) continue;
      if (query.mentioned_end && date.start >= *query.mentioned_end) continue;
      out->mentioned_dates.push_back(MentionedDateMatchInfo{static_cast<int>(i), date});
    }
    ok = ok && !out->mentioned_dates.empty();
  }
  if (!query.story_ids.empty()) ok = ok && Contains(query.story_ids, article.story_id);
  return ok;
}

}  // namespace

bool ExplainMatch(const ResolvedFilter& filter, const Article& article,
                  const Taxonomy& taxonomy, MatchExplanation* out) {
  return Explain(
      filter, article,
      [&]() {
        return ExplainTopics(filter.query, article.topics,
                             [&](const ArticleTopic& t, size_t k) {
                               return taxonomy.IsBelow(t.code, filter.query.topic_codes[k]);
                             });
      },
      out);
}

void ExplainHit(const ResolvedFilter& filter, const Article& article,
                const std::vector<HitTopic>& topics, MatchExplanation* out) {
  Explain(
      filter, article,
      [&]() {
        return ExplainTopics(filter.query, topics, [](const HitTopic& t, size_t k) {
          return std::find(t.satisfies.begin(), t.satisfies.end(), k) != t.satisfies.end();
        });
      },
      out);
}

ArticleParts ExplainedParts(const ResolvedFilter& filter) {
  const IndexQuery& query = filter.query;
  ArticleParts parts;
  parts.entities = !filter.entities.empty() || !query.entity_groups.empty() ||
                   !query.excluded_entities.empty();
  parts.topics = query.has_topic_condition;
  parts.key_phrases = !query.key_phrases.empty();
  parts.text = !query.words.empty();
  parts.mentioned_dates = query.mentioned_start.has_value() || query.mentioned_end.has_value();
  parts.publish_time = query.start_time.has_value() || query.end_time.has_value();
  parts.source = !query.sources.empty();
  parts.details = false;
  return parts;
}

std::vector<std::string> ExplainedEntityIds(const ResolvedFilter& filter) {
  std::vector<std::string> ids;
  for (const ResolvedFilter::EntityReference& ref : filter.entities) {
    if (ref.group == ResolvedFilter::kExcluded) continue;
    for (const std::string& id : ref.ids) {
      if (!Contains(ids, id)) ids.push_back(id);
    }
  }
  return ids;
}

SearchMatch MakeMatch(std::shared_ptr<const Article> article, double relevance_score,
                      MatchExplanation explanation) {
  SearchMatch match;
  match.relevance_score = relevance_score;
  match.explanation = std::move(explanation);
  match.entity_matches = std::move(match.explanation.entities);
  match.explanation.entities.clear();
  for (const TopicMatchInfo& t : match.explanation.topics) {
    if (!Contains(match.matched_topics, t.article_code)) {
      match.matched_topics.push_back(t.article_code);
    }
  }
  match.article = std::move(article);
  return match;
}

}  // namespace newsdesk::query
