// Incremental story grouping: each new article joins the existing story it
// is most about the same event as, or starts a new one. Nothing already
// grouped ever moves, so grouping the log in order gives the same stories in
// every process and a late article joins its story without regrouping the
// past.
//
// An article is compared with the stories that share one of its salient
// entities and whose publication span lies within `window` of its
// publication time (when the article's time or the story's is unknown, the
// content alone decides: the time part of the score is 0). The score weighs
//   - the cosine of the article's entity saliences and the story's summed
//     saliences (the same people, organisations and places, central alike),
//   - the cosine of the TF-IDF vectors of the title and lead words: the
//     article's weighed with the IDF over the articles grouped before it,
//     the story's the sum of its articles' vectors as they joined (cut to
//     its `max_terms` heaviest words when set), so a comparison costs the
//     article's words, not the story's,
//   - how close its publication time is to the story's span, and whether it
//     mentions a day the story's articles mention ("on Wednesday").
// The article joins the best story scoring at least `join_threshold` (the
// earliest story on a tie). Near-copies join their original's story. When
// an alias table change or a topic update changes an article grouped
// before (Update), its story's entities and topics follow; the article
// stays where it is.
//
// A story is kept compact (most stories hold one article): sorted vectors
// instead of hash maps, its articles' ids and titles in one buffer, an
// article's salient entities only once a second article joins, and its id
// derived from its first article's.
//
// Not thread-safe.
#ifndef QUERY_SERVICE_STORIES_STORY_GROUPER_H_
#define QUERY_SERVICE_STORIES_STORY_GROUPER_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/model/article.h"
#include "common/taxonomy/taxonomy.h"

namespace newsdesk::query {

struct StoryOptions {
  double join_threshold = 0.45;
  // Weights of the score's parts; they sum to 1.
  double entity_weight = 0.45;
  double term_weight = 0.35;
  double time_weight = 0.2;
  // Added when the article mentions a day one of the story's articles
  // mentions.
  double mentioned_day_bonus = 0.1;
  // Furthest an article's publication time may lie from a story's span.
  absl::Duration window = absl::Hours(72);
  // Salient entities of an article that take part (its most salient first).
  int entities_per_article = 8;
  // Paragraphs after the title whose words take part.
  int lead_paragraphs = 2;
  // Most recent stories compared per shared entity.
  int max_stories_per_entity = 200;
  // The heaviest title and lead words a story keeps (its word vector is
  // cut to them after each article joins); 0 keeps every word. A cap saves
  // little and changes grouping (docs/STORIES.md): none by default.
  int max_terms = 0;
  int top_entities = 10;
  int top_topics = 5;
};

struct StoryEntity {
  std::string id;
  std::string display_name;
  EntityType type = EntityType::kUnspecified;
  bool linked = false;
  double salience = 0;  // summed over the story's articles
  int64_t article_count = 0;
};

struct StoryTopic {
  std::string code;
  std::string label;
  int64_t article_count = 0;
};

// A story as callers see it.
struct Story {
  std::string id;  // "story-" + the first article's id
  std::string representative_article_id;
  std::string title;
  std::optional<absl::Time> start_time;  // earliest known publication time
  std::optional<absl::Time> end_time;    // latest
  int64_t article_count = 0;
  int64_t copy_count = 0;
  std::vector<StoryEntity> top_entities;
  std::vector<StoryTopic> top_topics;
  int64_t last_log_position = 0;
};

enum class StoryOrder { kSize, kRecency };

// Which stories ListStories returns. Every set condition must hold.
struct StoryQuery {
  std::vector<std::string> entity_ids;  // any of them named in the story
  std::vector<std::string> topic_codes;  // any of them, or below one
  bool has_topic_condition = false;      // true even when no code resolved
  std::optional<absl::Time> start_time;  // an article published at or after
  std::optional<absl::Time> end_time;    // an article published before
  StoryOrder order = StoryOrder::kSize;
};

// A story's place in a listing: its sort key.
struct StoryCursor {
  int64_t article_count = 0;
  bool has_time = false;
  int64_t time_ns = 0;  // latest publication, Unix nanoseconds
  std::string id;
};

struct StoryPage {
  std::vector<Story> stories;
  std::optional<StoryCursor> last;  // of the last story of the page
  bool more = false;                // stories after this page exist
  int64_t total_size = 0;           // every matching story
};

class StoryGrouper {
 public:
  // `taxonomy` gives topic labels and ancestors; not owned.
  StoryGrouper(StoryOptions options, const Taxonomy* taxonomy);
  // The article lookup refers back to the grouper.
  StoryGrouper(const StoryGrouper&) = delete;
  StoryGrouper& operator=(const StoryGrouper&) = delete;

  // Groups `article` (in log order) and returns its story id. With
  // `copy_of`, the id of the article it is a near-copy of (grouped before),
  // it joins that article's story.
  std::string Add(const Article& article, const std::string& copy_of);

  // An article grouped before was re-linked (an alias table change moved
  // its mentions to other entity ids) or re-classified (a topic update):
  // its story's entities and topics follow, as if it had joined with
  // `after`. The article stays in its story; nothing else moves. An article
  // not grouped is ignored.
  void Update(const Article& before, const Article& after);

  // The story's id of an article grouped before; empty when none.
  std::string StoryOf(const std::string& article_id) const;

  std::optional<Story> Get(absl::string_view story_id) const;

  // The stories matching `query` in its order: by size (article count,
  // then latest publication, then id) or recency (latest publication, then
  // id); stories of unknown time last. The page holds at most `page_size`
  // stories after `after` (from the first when null).
  StoryPage List(const StoryQuery& query, const StoryCursor* after, int page_size) const;

  size_t size() const { return stories_.size(); }

 private:
  // Term id (TermId) -> TF-IDF weight, sorted by id.
  using TermVector = std::vector<std::pair<uint32_t, float>>;
  // An interned entity id and its weight, as one article's salient entity.
  using Weighted = std::vector<std::pair<uint32_t, double>>;
  // Strings kept once: entity ids, display names, topic codes. Ids are
  // dense, never reused or dropped.
  struct Names {
    absl::flat_hash_map<std::string, uint32_t> ids;
    std::vector<std::string> names;
    uint32_t Intern(absl::string_view name);
    std::optional<uint32_t> Find(absl::string_view name) const;
  };
  // An article's part in its story: where its id and title end in the
  // story's `text` (each begins where the member before ends), and where its
  // salient entities end in the story's `member_entities`.
  struct Member {
    uint32_t id_end = 0;
    uint32_t title_end = 0;
    uint32_t entities_end = 0;
  };
  // An entity's totals in a story, and the entity as last seen there.
  struct EntityTotals {
    uint32_t id = 0;            // in entity_ids_
    uint32_t display_name = 0;  // in display_names_
    // Summed salience of its salient mentions (0 when none is salient), and
    // of every mention.
    double weight = 0;
    double salience = 0;
    int32_t article_count = 0;
    EntityType type = EntityType::kUnspecified;
    bool linked = false;
  };
  // An interned topic code and its number of articles.
  using TopicCounts = std::vector<std::pair<uint32_t, int32_t>>;
  // A story, compact: sorted vectors instead of hash maps, strings in one
  // buffer. Its id is "story-" + its first member's id.
  struct State {
    std::string text;  // the members' ids and titles, one after the other
    std::vector<Member> members;
    // The members' salient entities (interned id, weight), sorted by id per
    // member. Empty while the story has one member: its entities are then
    // exactly the weights in `entities`.
    Weighted member_entities;
    std::vector<EntityTotals> entities;  // by id
    // The sum of its articles' title and lead word vectors, each weighed
    // with the IDF of when it joined, and its norm.
    TermVector terms;
    // By interned topic code, sorted: articles assigned it, and articles
    // with it or a topic below it.
    TopicCounts topics;
    TopicCounts topic_codes;
    std::vector<int64_t> mentioned_days;  // days since the epoch, sorted
    std::optional<absl::Time> start_time, end_time;
    int64_t last_log_position = 0;
    int64_t copies = 0;
    // The norm of the entities' weights; recomputed when `entity_norm_stale`.
    double entity_norm = 0;
    double term_norm = 0;
    bool entity_norm_stale = false;
  };
  struct Features {
    std::vector<std::pair<std::string, double>> entities;
    // Of those, the ones some story names, by interned id, and the norm of
    // all their weights.
    Weighted known_entities;
    double entity_norm = 0;
    TermVector terms;  // title and lead words, weighed with today's IDF
    double term_norm = 0;
    std::optional<absl::Time> time;
    std::vector<int64_t> mentioned_days;
  };

  // Where an article sits: its story and its place among the members.
  struct Place {
    uint32_t story = 0;
    uint32_t member = 0;
  };
  // Places hashed and compared by the article id they hold (kept once, in
  // the story's text).
  struct PlaceHash {
    using is_transparent = void;
    const StoryGrouper* grouper;
    size_t operator()(absl::string_view id) const { return absl::HashOf(id); }
    size_t operator()(const Place& p) const { return absl::HashOf(grouper->MemberId(p)); }
  };
  struct PlaceEq {
    using is_transparent = void;
    const StoryGrouper* grouper;
    absl::string_view Id(absl::string_view id) const { return id; }
    absl::string_view Id(const Place& p) const { return grouper->MemberId(p); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return Id(a) == Id(b);
    }
  };

  absl::string_view MemberId(const Place& place) const;
  absl::string_view MemberTitle(const State& story, size_t member) const;
  // A member's salient entities, sorted by id.
  Weighted MemberEntities(const State& story, size_t member) const;
  // Replaces a member's salient entities (sorted by id).
  void SetMemberEntities(State& story, size_t member, const Weighted& entities);
  // The story's totals of an entity; null when it names none.
  static const EntityTotals* FindEntity(const State& story, uint32_t id);
  // Describes an article; its new words get term ids.
  Features Describe(const Article& article);
  // The dense id of a title or lead word, given on first sight.
  uint32_t TermId(const std::string& term);
  // The article's most salient entities with their weights.
  std::vector<std::pair<std::string, double>> SalientEntities(
      const Article& article) const;
  // The topic codes of an article with their ancestors, each once.
  absl::flat_hash_set<std::string> TopicCodes(const Article& article) const;
  // The salient entities with interned ids, sorted by id.
  Weighted Intern(const std::vector<std::pair<std::string, double>>& salient);
  // Adds (sign 1) or removes (sign -1) an article's entities and topics to
  // or from `index`'s story totals.
  void Count(size_t index, const Article& article, const Weighted& salient, int sign);
  // The score without its term part (entities, time, mentioned days), and
  // nullopt when the story lies outside the window.
  std::optional<double> ScoreWithoutTerms(const Features& article, State& story);
  static double TermCosine(const Features& article, const State& story);
  void Join(size_t story, const Article& article, const Features& features, bool copy);
  Story ToStory(size_t index) const;
  bool Matches(const State& state, const StoryQuery& query) const;

  const StoryOptions options_;
  const Taxonomy* const taxonomy_;
  std::deque<State> stories_;  // in the order they started
  // Every grouped article's place (the last one of an id grouped twice).
  absl::flat_hash_set<Place, PlaceHash, PlaceEq> story_of_article_;
  Names entity_ids_;
  Names display_names_;
  Names topic_codes_;
  // Interned entity id -> stories naming it, in the order they started.
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> stories_by_entity_;
  // Title and lead words of the articles grouped: term -> id, and per id
  // the number of articles using it (document frequency).
  absl::flat_hash_map<std::string, uint32_t> term_ids_;
  std::vector<int64_t> term_df_;
  int64_t articles_ = 0;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_STORIES_STORY_GROUPER_H_
