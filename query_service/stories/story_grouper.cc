#include "query_service/stories/story_grouper.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "query_service/index/article_index.h"

namespace newsdesk::query {
namespace {

int64_t DayOf(absl::Time t) { return absl::ToUnixSeconds(t) / 86400; }

// Adds `delta` to the count of `id` in `counts` (sorted by id), dropping it
// when it reaches 0.
void AddCount(std::vector<std::pair<uint32_t, int32_t>>& counts, uint32_t id, int delta) {
  auto at = std::lower_bound(counts.begin(), counts.end(), id,
                             [](const auto& e, uint32_t key) { return e.first < key; });
  if (at == counts.end() || at->first != id) {
    if (delta <= 0) return;
    at = counts.insert(at, {id, 0});
  }
  if ((at->second += delta) <= 0) counts.erase(at);
}

// Makes room for `extra` more elements, leaving at most an eighth of the
// size as slack. A story's arrays grow with each member; grown to the exact
// size each time, every join copied the whole story, so a story of n
// members cost n^2.
template <typename Container>
void ReserveFor(Container& c, size_t extra) {
  if (c.capacity() >= c.size() + extra) return;
  c.reserve(c.size() + extra + c.size() / 8);
}

bool HasCount(const std::vector<std::pair<uint32_t, int32_t>>& counts, uint32_t id) {
  auto at = std::lower_bound(counts.begin(), counts.end(), id,
                             [](const auto& e, uint32_t key) { return e.first < key; });
  return at != counts.end() && at->first == id;
}

}  // namespace

StoryGrouper::StoryGrouper(StoryOptions options, const Taxonomy* taxonomy)
    : options_(options),
      taxonomy_(taxonomy),
      story_of_article_(0, PlaceHash{this}, PlaceEq{this}) {}

absl::string_view StoryGrouper::MemberId(const Place& place) const {
  const State& story = stories_[place.story];
  const uint32_t begin =
      place.member == 0 ? 0 : story.members[place.member - 1].title_end;
  return absl::string_view(story.text)
      .substr(begin, story.members[place.member].id_end - begin);
}

absl::string_view StoryGrouper::MemberTitle(const State& story, size_t member) const {
  const Member& m = story.members[member];
  return absl::string_view(story.text).substr(m.id_end, m.title_end - m.id_end);
}

StoryGrouper::Weighted StoryGrouper::MemberEntities(const State& story,
                                                    size_t member) const {
  Weighted out;
  if (story.members.size() == 1) {
    for (const EntityTotals& e : story.entities) {
      if (e.weight > 0) out.emplace_back(e.id, e.weight);
    }
    return out;
  }
  const uint32_t begin = member == 0 ? 0 : story.members[member - 1].entities_end;
  out.assign(story.member_entities.begin() + begin,
             story.member_entities.begin() + story.members[member].entities_end);
  return out;
}

void StoryGrouper::SetMemberEntities(State& story, size_t member,
                                     const Weighted& entities) {
  if (story.members.size() == 1) return;  // the story's weights are the member's
  const uint32_t begin = member == 0 ? 0 : story.members[member - 1].entities_end;
  const uint32_t end = story.members[member].entities_end;
  story.member_entities.erase(story.member_entities.begin() + begin,
                              story.member_entities.begin() + end);
  story.member_entities.insert(story.member_entities.begin() + begin, entities.begin(),
                               entities.end());
  const int64_t delta = static_cast<int64_t>(entities.size()) - (end - begin);
  for (size_t m = member; m < story.members.size(); ++m) {
    story.members[m].entities_end =
        static_cast<uint32_t>(story.members[m].entities_end + delta);
  }
  story.member_entities.shrink_to_fit();
}

const StoryGrouper::EntityTotals* StoryGrouper::FindEntity(const State& story,
                                                           uint32_t id) {
  auto at =
      std::lower_bound(story.entities.begin(), story.entities.end(), id,
                       [](const EntityTotals& e, uint32_t key) { return e.id < key; });
  return at != story.entities.end() && at->id == id ? &*at : nullptr;
}

uint32_t StoryGrouper::Names::Intern(absl::string_view name) {
  auto [it, inserted] = ids.try_emplace(name, static_cast<uint32_t>(names.size()));
  if (inserted) names.emplace_back(name);
  return it->second;
}

std::optional<uint32_t> StoryGrouper::Names::Find(absl::string_view name) const {
  auto it = ids.find(name);
  if (it == ids.end()) return std::nullopt;
  return it->second;
}

StoryGrouper::Weighted StoryGrouper::Intern(
    const std::vector<std::pair<std::string, double>>& salient) {
  Weighted out;
  out.reserve(salient.size());
  for (const auto& [id, w] : salient) out.emplace_back(entity_ids_.Intern(id), w);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::vector<std::pair<std::string, double>> StoryGrouper::SalientEntities(
    const Article& article) const {
  std::vector<std::pair<std::string, double>> out;
  std::vector<const ArticleEntity*> ranked;
  for (const ArticleEntity& e : article.entities) ranked.push_back(&e);
  std::sort(ranked.begin(), ranked.end(), [](const ArticleEntity* a, const ArticleEntity* b) {
    if (a->salience != b->salience) return a->salience > b->salience;
    if (a->mention_count != b->mention_count) return a->mention_count > b->mention_count;
    return a->id < b->id;
  });
  for (const ArticleEntity* e : ranked) {
    if (static_cast<int>(out.size()) >= options_.entities_per_article) break;
    // Extractors that give no salience: weigh by mentions.
    const double weight = e->salience > 0 ? e->salience : 0.1 * e->mention_count;
    if (weight > 0) out.emplace_back(e->id, weight);
  }
  return out;
}

absl::flat_hash_set<std::string> StoryGrouper::TopicCodes(const Article& article) const {
  absl::flat_hash_set<std::string> codes;
  for (const ArticleTopic& t : article.topics) {
    codes.insert(t.code);
    if (taxonomy_ != nullptr) {
      for (std::string& code : taxonomy_->Ancestors(t.code))
        codes.insert(std::move(code));
    }
  }
  return codes;
}

StoryGrouper::Features StoryGrouper::Describe(const Article& article) {
  Features f;
  f.entities = SalientEntities(article);
  double entity_norm = 0;
  for (const auto& [id, w] : f.entities) {
    entity_norm += w * w;
    if (const std::optional<uint32_t> interned = entity_ids_.Find(id)) {
      f.known_entities.emplace_back(*interned, w);
    }
  }
  f.entity_norm = std::sqrt(entity_norm);
  std::vector<uint32_t> ids;
  auto add_terms = [this, &ids](absl::string_view text) {
    for (const std::string& w : ArticleIndex::Tokenize(text)) {
      if (w.size() < 3 || std::all_of(w.begin(), w.end(), absl::ascii_isdigit)) continue;
      ids.push_back(TermId(w));
    }
  };
  add_terms(article.title);
  for (int i = 0; i < options_.lead_paragraphs && i < static_cast<int>(article.paragraphs.size());
       ++i) {
    add_terms(article.paragraphs[i]);
  }
  // Term counts, then TF-IDF weights with the IDF over the articles grouped
  // so far.
  std::sort(ids.begin(), ids.end());
  for (const uint32_t id : ids) {
    if (!f.terms.empty() && f.terms.back().first == id) {
      f.terms.back().second += 1;
    } else {
      f.terms.emplace_back(id, 1.0f);
    }
  }
  double norm = 0;
  for (auto& [id, w] : f.terms) {
    const double idf = std::log(1.0 + static_cast<double>(articles_ + 1) /
                                          (static_cast<double>(term_df_[id]) + 1.0));
    w = static_cast<float>(w * idf);
    norm += static_cast<double>(w) * w;
  }
  f.term_norm = std::sqrt(norm);
  if (article.publish_time.known()) f.time = article.publish_time.time;
  for (const MentionedDate& d : article.mentioned_dates) {
    if (d.precision == TimePrecision::kDay && d.end > d.start) {
      f.mentioned_days.push_back(DayOf(d.start));
    }
  }
  return f;
}

uint32_t StoryGrouper::TermId(const std::string& term) {
  auto [it, inserted] = term_ids_.try_emplace(term, static_cast<uint32_t>(term_df_.size()));
  if (inserted) term_df_.push_back(0);
  return it->second;
}

double StoryGrouper::TermCosine(const Features& article, const State& story) {
  if (article.term_norm == 0 || story.term_norm == 0) return 0;
  double dot = 0;
  auto at = story.terms.begin();
  for (const auto& [term, w] : article.terms) {
    at = std::lower_bound(at, story.terms.end(), term,
                          [](const std::pair<uint32_t, float>& e, uint32_t t) { return e.first < t; });
    if (at == story.terms.end()) break;
    if (at->first == term) dot += static_cast<double>(w) * at->second;
  }
  return dot / (article.term_norm * story.term_norm);
}

std::optional<double> StoryGrouper::ScoreWithoutTerms(const Features& article, State& story) {
  // Unknown on either side: no evidence either way, the content decides.
  double time_score = 0;
  if (article.time && story.start_time) {
    absl::Duration gap = absl::ZeroDuration();
    if (*article.time < *story.start_time) gap = *story.start_time - *article.time;
    if (*article.time > *story.end_time) gap = *article.time - *story.end_time;
    if (gap > options_.window) return std::nullopt;
    time_score = 1.0 - absl::FDivDuration(gap, options_.window);
  }
  double dot = 0;
  for (const auto& [id, w] : article.known_entities) {
    if (const EntityTotals* e = FindEntity(story, id)) dot += w * e->weight;
  }
  if (story.entity_norm_stale) {
    double sum = 0;
    for (const EntityTotals& e : story.entities) sum += e.weight * e.weight;
    story.entity_norm = std::sqrt(sum);
    story.entity_norm_stale = false;
  }
  const double entity_score = article.entity_norm > 0 && story.entity_norm > 0
                                  ? dot / (article.entity_norm * story.entity_norm)
                                  : 0;
  double score = options_.entity_weight * entity_score + options_.time_weight * time_score;
  for (const int64_t day : article.mentioned_days) {
    if (std::binary_search(story.mentioned_days.begin(), story.mentioned_days.end(),
                           day)) {
      score += options_.mentioned_day_bonus;
      break;
    }
  }
  return score;
}

void StoryGrouper::Count(size_t index, const Article& article, const Weighted& salient,
                         int sign) {
  State& story = stories_[index];
  const uint32_t story_index = static_cast<uint32_t>(index);
  auto find = [&story](uint32_t id) {
    return std::lower_bound(
        story.entities.begin(), story.entities.end(), id,
        [](const EntityTotals& e, uint32_t key) { return e.id < key; });
  };
  if (sign > 0) ReserveFor(story.entities, article.entities.size());
  // Every mention's totals first: the salient entities are among them.
  for (const ArticleEntity& e : article.entities) {
    const uint32_t id = entity_ids_.Intern(e.id);
    auto at = find(id);
    if (at == story.entities.end() || at->id != id) {
      if (sign < 0) continue;
      at = story.entities.insert(at, EntityTotals{});
      at->id = id;
      // The stories naming an entity stay in the order they started.
      std::vector<uint32_t>& stories = stories_by_entity_[id];
      auto pos = std::lower_bound(stories.begin(), stories.end(), story_index);
      if (pos == stories.end() || *pos != story_index) stories.insert(pos, story_index);
    }
    EntityTotals& entity = *at;
    if (sign > 0) {
      entity.display_name = display_names_.Intern(e.display_name);
      entity.type = e.type;
      entity.linked = e.linked;
    }
    entity.salience += sign * e.salience;
    entity.article_count += sign;
  }
  // Sums of positive weights back to nothing, within rounding.
  constexpr double kNothing = 1e-9;
  story.entity_norm_stale = true;
  for (const auto& [id, w] : salient) {
    auto at = find(id);
    if (at == story.entities.end() || at->id != id) continue;
    at->weight += sign * w;
    if (at->weight <= kNothing) at->weight = 0;
  }
  // Entities no article of the story names any more.
  for (auto at = story.entities.begin(); at != story.entities.end();) {
    if (at->article_count > 0) {
      ++at;
      continue;
    }
    std::vector<uint32_t>& stories = stories_by_entity_[at->id];
    auto pos = std::lower_bound(stories.begin(), stories.end(), story_index);
    if (pos != stories.end() && *pos == story_index) stories.erase(pos);
    if (stories.empty()) stories_by_entity_.erase(at->id);
    at = story.entities.erase(at);
  }
  if (sign > 0) ReserveFor(story.topics, article.topics.size());
  for (const ArticleTopic& t : article.topics) {
    if (t.implied) continue;
    AddCount(story.topics, topic_codes_.Intern(t.code), sign);
  }
  const absl::flat_hash_set<std::string> codes = TopicCodes(article);
  if (sign > 0) ReserveFor(story.topic_codes, codes.size());
  for (const std::string& code : codes) {
    AddCount(story.topic_codes, topic_codes_.Intern(code), sign);
  }
}

void StoryGrouper::Join(size_t index, const Article& article, const Features& f,
                        bool copy) {
  State& story = stories_[index];
  const Weighted salient = Intern(f.entities);
  if (story.members.size() == 1) {
    // Its first member's entities were the story's weights until now.
    story.member_entities = MemberEntities(story, 0);
    story.members[0].entities_end = static_cast<uint32_t>(story.member_entities.size());
  }
  if (!story.members.empty()) {
    ReserveFor(story.member_entities, salient.size());
    story.member_entities.insert(story.member_entities.end(), salient.begin(),
                                 salient.end());
  }
  Member member;
  ReserveFor(story.text, article.id.size() + article.title.size());
  story.text.append(article.id);
  member.id_end = static_cast<uint32_t>(story.text.size());
  story.text.append(article.title);
  member.title_end = static_cast<uint32_t>(story.text.size());
  member.entities_end = static_cast<uint32_t>(story.member_entities.size());
  ReserveFor(story.members, 1);
  story.members.push_back(member);
  const Place place{static_cast<uint32_t>(index),
                    static_cast<uint32_t>(story.members.size() - 1)};
  // An id grouped again: the lookup finds its last place, as before.
  story_of_article_.erase(absl::string_view(article.id));
  story_of_article_.insert(place);
  if (copy) ++story.copies;
  story.last_log_position = std::max(story.last_log_position, article.log_sequence);
  if (f.time) {
    if (!story.start_time || *f.time < *story.start_time) story.start_time = f.time;
    if (!story.end_time || *f.time > *story.end_time) story.end_time = f.time;
  }
  Count(index, article, salient, 1);
  TermVector merged;
  merged.reserve(story.terms.size() + f.terms.size());
  auto a = story.terms.begin();
  auto b = f.terms.begin();
  while (a != story.terms.end() || b != f.terms.end()) {
    if (b == f.terms.end() || (a != story.terms.end() && a->first < b->first)) {
      merged.push_back(*a++);
    } else if (a == story.terms.end() || b->first < a->first) {
      merged.push_back(*b++);
    } else {
      merged.emplace_back(a->first, a->second + b->second);
      ++a;
      ++b;
    }
  }
  if (options_.max_terms > 0 && merged.size() > static_cast<size_t>(options_.max_terms)) {
    // The heaviest words (the lower id on a tie), back in id order.
    std::nth_element(merged.begin(), merged.begin() + options_.max_terms, merged.end(),
                     [](const auto& a, const auto& b) {
                       return a.second != b.second ? a.second > b.second
                                                   : a.first < b.first;
                     });
    merged.resize(options_.max_terms);
    std::sort(merged.begin(), merged.end());
  }
  merged.shrink_to_fit();
  story.terms = std::move(merged);
  double norm = 0;
  for (const auto& [term, w] : story.terms) norm += static_cast<double>(w) * w;
  story.term_norm = std::sqrt(norm);
  if (!f.mentioned_days.empty()) {
    std::vector<int64_t>& days = story.mentioned_days;
    days.insert(days.end(), f.mentioned_days.begin(), f.mentioned_days.end());
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    days.shrink_to_fit();
  }
}

void StoryGrouper::Update(const Article& before, const Article& after) {
  auto it = story_of_article_.find(absl::string_view(after.id));
  if (it == story_of_article_.end()) return;
  const Place place = *it;
  State& story = stories_[place.story];
  Count(place.story, before, MemberEntities(story, place.member), -1);
  const Weighted salient = Intern(SalientEntities(after));
  SetMemberEntities(story, place.member, salient);
  Count(place.story, after, salient, 1);
}

std::string StoryGrouper::Add(const Article& article, const std::string& copy_of) {
  const Features f = Describe(article);
  std::optional<size_t> chosen;
  bool copy = false;
  if (!copy_of.empty()) {
    if (auto it = story_of_article_.find(absl::string_view(copy_of));
        it != story_of_article_.end()) {
      chosen = it->story;
      copy = true;
    }
  }
  if (!chosen) {
    std::vector<size_t> candidates;
    for (const auto& [id, w] : f.known_entities) {
      auto it = stories_by_entity_.find(id);
      if (it == stories_by_entity_.end()) continue;
      const std::vector<uint32_t>& list = it->second;
      const size_t from = list.size() > static_cast<size_t>(options_.max_stories_per_entity)
                              ? list.size() - options_.max_stories_per_entity
                              : 0;
      candidates.insert(candidates.end(), list.begin() + from, list.end());
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    // The term part is the costly one and at most term_weight: stories are
    // taken by their score without it, highest first, until even a perfect
    // term match could no longer win. The best score at or above the
    // threshold wins, the earliest story on a tie.
    std::vector<std::pair<double, size_t>> partial;
    for (const size_t c : candidates) {
      if (std::optional<double> p = ScoreWithoutTerms(f, stories_[c])) partial.emplace_back(*p, c);
    }
    std::sort(partial.begin(), partial.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    constexpr double kRounding = 1e-9;
    double best = options_.join_threshold;
    for (const auto& [p, c] : partial) {
      if (p + options_.term_weight * (1 + kRounding) < best) break;
      const double score = p + options_.term_weight * TermCosine(f, stories_[c]);
      if (score > best || (score == best && (!chosen || c < *chosen))) {
        best = score;
        chosen = c;
      }
    }
  }
  if (!chosen) {
    chosen = stories_.size();
    stories_.emplace_back();
  }
  Join(*chosen, article, f, copy);
  ++articles_;
  for (const auto& [term, weight] : f.terms) ++term_df_[term];
  return absl::StrCat("story-", MemberId(Place{static_cast<uint32_t>(*chosen), 0}));
}

std::string StoryGrouper::StoryOf(const std::string& article_id) const {
  auto it = story_of_article_.find(absl::string_view(article_id));
  if (it == story_of_article_.end()) return "";
  return absl::StrCat("story-", MemberId(Place{it->story, 0}));
}

Story StoryGrouper::ToStory(size_t index) const {
  const State& state = stories_[index];
  Story story;
  story.start_time = state.start_time;
  story.end_time = state.end_time;
  story.article_count = static_cast<int64_t>(state.members.size());
  story.copy_count = state.copies;
  story.last_log_position = state.last_log_position;

  // The member closest to the story's entity profile; the earliest on a tie.
  double story_norm = 0;
  for (const EntityTotals& e : state.entities) story_norm += e.weight * e.weight;
  story_norm = std::sqrt(story_norm);
  double best = -1;
  size_t representative = 0;
  for (size_t m = 0; m < state.members.size(); ++m) {
    double dot = 0, norm = 0;
    for (const auto& [id, w] : MemberEntities(state, m)) {
      norm += w * w;
      if (const EntityTotals* e = FindEntity(state, id)) dot += w * e->weight;
    }
    const double cosine = norm > 0 && story_norm > 0 ? dot / (std::sqrt(norm) * story_norm) : 0;
    if (cosine > best) {
      best = cosine;
      representative = m;
    }
  }
  story.representative_article_id = std::string(MemberId(
      Place{static_cast<uint32_t>(index), static_cast<uint32_t>(representative)}));
  story.title = std::string(MemberTitle(state, representative));
  story.id = absl::StrCat("story-", MemberId(Place{static_cast<uint32_t>(index), 0}));

  for (const EntityTotals& entity : state.entities) {
    story.top_entities.push_back(StoryEntity{
        entity_ids_.names[entity.id], display_names_.names[entity.display_name],
        entity.type, entity.linked, entity.salience, entity.article_count});
  }
  std::sort(story.top_entities.begin(), story.top_entities.end(),
            [](const StoryEntity& a, const StoryEntity& b) {
              if (a.salience != b.salience) return a.salience > b.salience;
              return a.id < b.id;
            });
  if (static_cast<int>(story.top_entities.size()) > options_.top_entities) {
    story.top_entities.resize(options_.top_entities);
  }
  for (const auto& [id, count] : state.topics) {
    const std::string& code = topic_codes_.names[id];
    const Taxonomy::Topic* topic = taxonomy_ != nullptr ? taxonomy_->Find(code) : nullptr;
    story.top_topics.push_back(StoryTopic{code, topic != nullptr ? topic->label : "", count});
  }
  std::sort(story.top_topics.begin(), story.top_topics.end(),
            [](const StoryTopic& a, const StoryTopic& b) {
              if (a.article_count != b.article_count) return a.article_count > b.article_count;
              return a.code < b.code;
            });
  if (static_cast<int>(story.top_topics.size()) > options_.top_topics) {
    story.top_topics.resize(options_.top_topics);
  }
  return story;
}

std::optional<Story> StoryGrouper::Get(absl::string_view story_id) const {
  // A story's id is "story-" + its first member's id.
  if (!absl::ConsumePrefix(&story_id, "story-")) return std::nullopt;
  auto it = story_of_article_.find(story_id);
  if (it == story_of_article_.end() || it->member != 0) return std::nullopt;
  return ToStory(it->story);
}

bool StoryGrouper::Matches(const State& state, const StoryQuery& query) const {
  if (!query.entity_ids.empty() &&
      std::none_of(query.entity_ids.begin(), query.entity_ids.end(),
                   [this, &state](const std::string& id) {
                     const std::optional<uint32_t> interned = entity_ids_.Find(id);
                     return interned && FindEntity(state, *interned) != nullptr;
                   })) {
    return false;
  }
  if (query.has_topic_condition &&
      std::none_of(query.topic_codes.begin(), query.topic_codes.end(),
                   [this, &state](const std::string& c) {
                     const std::optional<uint32_t> interned = topic_codes_.Find(c);
                     return interned && HasCount(state.topic_codes, *interned);
                   })) {
    return false;
  }
  if (query.start_time || query.end_time) {
    if (!state.start_time) return false;
    // The span [start, end] overlaps [query start, query end).
    if (query.start_time && *state.end_time < *query.start_time) return false;
    if (query.end_time && *state.start_time >= *query.end_time) return false;
  }
  return true;
}

StoryPage StoryGrouper::List(const StoryQuery& query, const StoryCursor* after,
                             int page_size) const {
  const StoryOrder order = query.order;
  auto key = [this](size_t index) {
    const State& s = stories_[index];
    StoryCursor c;
    c.article_count = static_cast<int64_t>(s.members.size());
    c.has_time = s.end_time.has_value();
    if (c.has_time) c.time_ns = absl::ToUnixNanos(*s.end_time);
    c.id = absl::StrCat("story-", MemberId(Place{static_cast<uint32_t>(index), 0}));
    return c;
  };
  auto before = [order](const StoryCursor& a, const StoryCursor& b) {
    if (order == StoryOrder::kSize && a.article_count != b.article_count) {
      return a.article_count > b.article_count;
    }
    if (a.has_time != b.has_time) return a.has_time;
    if (a.time_ns != b.time_ns) return a.time_ns > b.time_ns;
    return a.id < b.id;
  };
  StoryPage page;
  std::vector<std::pair<StoryCursor, size_t>> keys;
  for (size_t index = 0; index < stories_.size(); ++index) {
    const State& state = stories_[index];
    if (!Matches(state, query)) continue;
    ++page.total_size;
    StoryCursor k = key(index);
    if (after != nullptr && !before(*after, k)) continue;
    keys.emplace_back(std::move(k), index);
  }
  const size_t keep = std::min(keys.size(), static_cast<size_t>(std::max(page_size, 0)));
  std::partial_sort(keys.begin(), keys.begin() + keep, keys.end(),
                    [&before](const auto& a, const auto& b) { return before(a.first, b.first); });
  page.more = keys.size() > keep;
  for (size_t i = 0; i < keep; ++i) page.stories.push_back(ToStory(keys[i].second));
  if (keep > 0) page.last = keys[keep - 1].first;
  return page;
}

}  // namespace newsdesk::query
