// The query service's in-memory indexes over every article applied from the
// log: postings by entity, topic (with ancestors, and exact), key phrase,
// source and word, an ordered map by publication time, and the intervals of
// the dates articles mention ordered by start. Log entries (articles, alias
// table changes and topic updates) are applied in log order; an entry whose
// sequence was applied already is ignored, so replaying the log twice
// changes nothing.
//
// Entities are indexed as the alias table (common/entities/alias_table.h)
// links them: every article is re-linked with the index's table when it is
// added, and an alias table change from the log re-links and re-indexes the
// articles it concerns in place.
//
// The index keeps in memory only what queries test, sort and count by
// (postings, a compact record per article, interned ids, entity and source
// counts per topic, and per topic and month, for the facets of one topic);
// whole articles
// live in its IndexedArticleStore and are read for pages, GetArticle, watchers'
// replays and re-linking. A failed read is a status, and an entry whose
// reads or writes failed changes nothing the queries see and leaves head()
// where it was, so applying it again completes it.
//
// Links (story_id, copy_of, copy_similarity) follow indexing in a second,
// ordered stage: an article is queryable as soon as it is indexed, and its
// links are applied when the link stage (LinkPending) has run the linker
// over it. Indexing queues a link event per article, and per change of an
// indexed article (alias change, topic update), in log order; LinkPending
// runs the linker over them in that order outside the index's locks, so its
// reads of earlier articles block neither queries nor indexing, and applies
// each article's links under a short exclusive lock. linked_head() is the
// second watermark: queries that read links (IndexQuery::ReadsLinks) see
// only the articles linked, so their pages and counts stay stable while
// linking proceeds; the others see every article indexed, those not linked
// yet without links. With LinkOptions::deferred false the index runs the
// link stage itself as each entry is applied (links are there when Apply
// returns); a server defers it to a LinkStage thread. Indexing never waits
// for the link stage: a link event beyond LinkOptions::max_held keeps only
// its doc, whose article is read back from the store when it is linked.
//
// Thread-safe: queries take a shared lock, Add an exclusive one.
#ifndef QUERY_SERVICE_INDEX_ARTICLE_INDEX_H_
#define QUERY_SERVICE_INDEX_ARTICLE_INDEX_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "common/entities/alias_table.h"
#include "common/entities/entity_lexicon.h"
#include "common/model/article.h"
#include "common/model/log_entry.h"
#include "common/taxonomy/taxonomy.h"
#include "glog/logging.h"
#include "query_service/index/article_linker.h"
#include "query_service/index/chunked_array.h"
#include "query_service/index/day_counts.h"
#include "query_service/index/gradual_table.h"
#include "query_service/index/indexed_article_store.h"
#include "query_service/index/postings.h"
#include "query_service/index/stored_article.h"
#include "query_service/index/string_arena.h"
#include "query_service/index/string_list.h"
#include "query_service/index/word_postings.h"

namespace newsdesk::query {

enum class SortOrder { kPublishTimeDesc, kPublishTimeAsc, kRelevance };

// What articles are counted by: nothing (one group), topic, entity, source,
// story.
enum class GroupBy { kNone, kTopic, kEntity, kSource, kStory };

// A matching article as counting sees it: its log sequence, its entities,
// topics (with their ancestors), source and story as small integers the
// index interned (GroupNames gives their names back), and its publication
// time. The spans are valid during the visit only.
struct MatchedDoc {
  int64_t sequence = 0;                             // the article's log sequence
  absl::Span<const uint32_t> entities;              // distinct
  absl::Span<const uint32_t> topics;                // distinct, with ancestors
  std::optional<uint32_t> source;                   // lower-case source
  std::optional<uint32_t> story;
  bool has_time = false;
  int64_t time_ns = 0;
};
using MatchVisitor = std::function<void(const MatchedDoc&)>;

// The name of an interned group: entity id, topic code or lower-case source,
// and the entity's display name, the topic's label or the source as written.
struct GroupName {
  std::string key;
  std::string label;
};

// A query whose names are already resolved to ids and codes. Every
// non-empty condition must hold.
struct IndexQuery {
  // Each group is satisfied by an article naming any id in it; every group
  // must be satisfied. An empty group matches nothing.
  std::vector<std::vector<std::string>> entity_groups;
  // No article naming any of these ids matches.
  std::vector<std::string> excluded_entities;
  std::optional<absl::Time> start_time;  // inclusive
  std::optional<absl::Time> end_time;    // exclusive
  // Any of these topic codes, or a topic below one of them (only these
  // codes themselves, as assigned, when exact_topics is set).
  std::vector<std::string> topic_codes;
  bool has_topic_condition = false;  // true even when no code resolved
  bool exact_topics = false;
  // Any of these key phrases, as KeyPhraseKey() makes them.
  std::vector<std::string> key_phrases;
  // Any of these sources, lower-case.
  std::vector<std::string> sources;
  // Every one of these words, as Tokenize() makes them.
  std::vector<std::string> words;
  // The article mentions a date whose interval overlaps [mentioned_start,
  // mentioned_end); either bound may be open.
  std::optional<absl::Time> mentioned_start;
  std::optional<absl::Time> mentioned_end;
  // Any of these stories (Article::story_id).
  std::vector<std::string> story_ids;
  // Search only: a near-copy whose original matches too is folded into the
  // original's hit (Hit::copy_ids) instead of being a hit.
  bool collapse_copies = false;
  // Search only: each hit carries the article's topics that satisfy
  // topic_codes (Hit::topics), for its explanation.
  bool hit_topics = false;
  // Search only: the caller reads only the summary fields of each hit's
  // article (InSummary in stored_article.h), so a hit's StoredArticle holds
  // the summary the index keeps in memory, and the store is not read.
  bool summaries = false;
  // The caller reads links beyond story_ids and collapse_copies (it counts
  // by story): only linked articles are considered.
  bool reads_story_groups = false;
  // True when the query's result depends on links: it then considers only
  // the articles linked (ArticleIndex::linked_head).
  bool ReadsLinks() const {
    return !story_ids.empty() || collapse_copies || reads_story_groups;
  }
  SortOrder order = SortOrder::kPublishTimeDesc;
};

// Where a page starts: the sort key of the last hit of the previous page.
struct Cursor {
  bool has_time = false;
  int64_t time_ns = 0;
  double score = 0;
  int64_t sequence = 0;
};

// One of an article's own topics (assigned or implied, as the article lists
// it) that satisfies requested topics of a query, from the index: what a
// topic condition's explanation reads, without decoding the article.
struct HitTopic {
  std::string code;
  bool implied = false;
  // The indexes into IndexQuery::topic_codes of the codes this topic is or
  // is below, ascending.
  absl::InlinedVector<uint32_t, 2> satisfies;
};

struct Hit {
  // The article as stored, with the links the index derived (not decoded:
  // pages decode only what they need, see stored_article.h).
  StoredArticle stored;
  std::string article_id;
  // With IndexQuery::hit_topics: the article's own topics that satisfy a
  // requested topic, assigned ones first, each in the article's order.
  std::vector<HitTopic> topics;
  double score = 0;
  bool has_time = false;
  int64_t time_ns = 0;
  // With IndexQuery::collapse_copies: the matching near-copies folded into
  // this hit, in log order.
  std::vector<std::string> copy_ids;
};

struct SearchPage {
  std::vector<Hit> hits;
  // Matches among the first `snapshot` articles; -1 when not counted.
  int64_t total_size = 0;
  bool more = false;          // hits beyond this page exist
  int64_t snapshot = 0;       // number of articles considered, in log order
};

struct EntityInfo {
  std::string id;
  std::string display_name;
  EntityType type = EntityType::kUnspecified;
  bool linked = false;
  int64_t article_count = 0;
  std::vector<std::string> spellings;
  int64_t cooccurrence_count = 0;  // set by CoOccurringEntities only
};

// How the index runs its link stage (see the file comment).
struct LinkOptions {
  // False: each Apply (Add, ApplyAliasChange, UpdateTopics) runs LinkPending
  // itself once the entry is indexed. True: a LinkStage thread runs it.
  bool deferred = false;
  // Deferred: most link events that keep their article as indexed while they
  // wait (a decoded news story is about 10 KB). An article indexed while
  // more are waiting waits as its doc number and is read back from the
  // store when linked. Indexing never waits for the link stage: one far
  // behind (a bulk load faster than linking) shows as link lag
  // (linked_head()) and holds some 40 MB of articles at most.
  int max_held = 4096;
};

// Which topics the index keeps entity and source counts per month for
// (ArticleIndex::KeptGroupCounts with a time range).
struct KeptCountsOptions {
  // A topic's counts are kept per UTC calendar month of publication, as well
  // as in all, from when it has this many docs on (and from then on, also
  // should it shrink again). A smaller topic's docs in a range are counted
  // directly: at most this many records and runs read. The months cost
  // about an (entity, count) pair per topic, month and entity named there,
  // most of them in small topics, whose months share few entities.
  int month_min_docs = 2048;
  // An entity's docs are kept counted per UTC day of publication from when
  // it has this many docs on (and from then on): its time series and its
  // counts in a time range read them instead of its docs. About 12 bytes a
  // day from its first doc's day to its last (DayCounts), so only for
  // entities whose docs would cost more to visit.
  int entity_day_min_docs = 2048;
};

class ArticleIndex {
 public:
  // Called with each article as linked (as indexed, with its links).
  using LinkedCallback = std::function<void(const std::shared_ptr<const Article>&)>;

  // `taxonomy` gives topic ancestors; not owned, must outlive the index.
  // `name_key` maps a spelling to its matching key (NameKey). `lexicon`, the
  // curated entity table the alias table edits, may be null; not owned.
  // `linker`, when given, sets each article's derived links (story,
  // near-copy) in the link stage, and is told there when an indexed
  // article's entities or topics change (ArticleLinker::Changed); not owned,
  // and new (it numbers the articles it linked as the index numbers its
  // docs). Without a linker an article is linked as it is indexed. `store`
  // keeps the articles (not owned); when null the index keeps them in an
  // InMemoryIndexedArticleStore of its own.
  ArticleIndex(const Taxonomy* taxonomy, std::string (*name_key)(absl::string_view),
               const entities::EntityLexicon* lexicon = nullptr, ArticleLinker* linker = nullptr,
               IndexedArticleStore* store = nullptr, LinkOptions link_options = {},
               KeptCountsOptions kept_counts = {});

  // Applies an alias table change at log `sequence` (the same sequence rules
  // as Add): the articles naming the entities or spellings it is about are
  // re-linked and re-indexed; entity counts, spellings and lookups follow.
  absl::Status ApplyAliasChange(int64_t sequence, const AliasChange& change);

  // The alias table as of head().
  const entities::AliasTable& aliases() const { return aliases_; }

  // Applies a log entry: Add for an article, ApplyAliasChange for an alias
  // table change, UpdateTopics for a topic update. The one way the follower
  // and the start-up replay apply the log. When `indexed` is given it is set
  // to the article as indexed (re-linked with the alias table; without its
  // links when they are deferred) if the entry is an article indexed just
  // now, and to null otherwise. Not deferred, an error of the link stage is
  // returned after the entry was indexed (head() includes it; the next
  // Apply or LinkPending retries the links).
  absl::Status Apply(LogEntry entry, std::shared_ptr<const Article>* indexed = nullptr);

  // Applies an article. Its sequence must be head() + 1 (then it is indexed
  // and OK is returned) or at most head() (then it was applied already and
  // nothing changes); a gap is FAILED_PRECONDITION. `indexed` as for Apply.
  absl::Status Add(std::shared_ptr<const Article> article,
                   std::shared_ptr<const Article>* indexed = nullptr);

  // Applies the topic update at log sequence `sequence`, with the same rule
  // for its sequence as Add: the article gets the update's topics and
  // taxonomy version, and topic queries find it under them from then on. An
  // update of an article the index does not hold only advances head().
  absl::Status UpdateTopics(int64_t sequence, const TopicUpdate& update);

  // Sequence of the last log entry applied; 0 when empty.
  int64_t head() const;

  // The link stage: runs the linker over up to `max_events` pending link
  // events (0: all), in log order, and applies each article's links;
  // `on_linked`, when set, is called with each article linked, in log order,
  // outside the index's locks. Stops at the first failure of the linker
  // (its read of an earlier article) and returns it: that event stays
  // pending, whole, and is run again by the next call. One call at a time
  // runs (others wait).
  absl::Status LinkPending(const LinkedCallback& on_linked = nullptr, int max_events = 0);

  // Sequence of the last log entry whose link events were all run: every
  // entry up to it is linked. At most head().
  int64_t linked_head() const;

  // Link events waiting for the link stage.
  int64_t pending_links() const;

  // Blocks until linked_head() reaches `sequence` or the deadline passes;
  // returns linked_head() then.
  int64_t WaitForLinked(int64_t sequence, absl::Time deadline) const;

  // Blocks until a link event is pending or the deadline passes; true when
  // one is.
  bool WaitForLinkWork(absl::Time deadline) const;

  // Indexed articles (log entries that are no article excluded), and the
  // distinct entities and topics (with ancestors) they name.
  struct Sizes {
    int64_t articles = 0;
    int64_t entities = 0;
    int64_t topics = 0;
  };
  Sizes sizes() const;

  // Approximate heap bytes of the in-memory structures (from container
  // sizes and capacities, without the allocator's overhead): where the
  // memory of an index goes (bench/index_bench --memory prints it).
  struct MemoryUsage {
    int64_t records = 0;   // per-article records, article ids and the id lookup
    int64_t summaries = 0;  // each article's summary (stored_article.h), for listings
    int64_t entities = 0;  // entity postings, names, spellings and name keys
    int64_t words = 0;     // word postings with their counts
    int64_t postings = 0;  // topic (both), key phrase, source and story postings
    int64_t time = 0;      // the publication-time order and the docs of unknown time
    int64_t mentions = 0;  // mentioned-date intervals
    int64_t interned = 0;  // interned entity, topic, source and story names; topic ancestry
    int64_t facets = 0;    // entity and source counts per topic, and per topic and month
    int64_t entity_days = 0;   // docs per day of the entities that keep them
    int64_t word_bitmaps = 0;  // words kept as bitmaps (a number of words, not bytes)
    // The bytes of all the kinds above.
    int64_t Total() const {
      return records + summaries + entities + words + postings + time + mentions + interned +
             facets + entity_days;
    }
  };
  MemoryUsage Memory() const;

  // Blocks until head() reaches `sequence` or the deadline passes; returns
  // head() then.
  int64_t WaitForHead(int64_t sequence, absl::Time deadline) const;

  // The article as indexed (re-linked, re-classified, with its derived
  // links); null when the index holds none of that id; the store's error
  // when it cannot be read.
  absl::StatusOr<std::shared_ptr<const Article>> Get(absl::string_view article_id) const;

  // Ids of entities known to the index under this id (or the id it was
  // merged into), or with a spelling whose NameKey equals NameKey(name).
  std::vector<std::string> FindEntityIds(absl::string_view name) const;

  // The page of `page_size` hits after `cursor` (from the start when null),
  // among the first `snapshot` articles in log order (all when 0; only
  // linked ones when the query ReadsLinks). When
  // `visit_all` is set it is called for every match counted in total_size,
  // under the index's shared lock (it must not call back into the index).
  //
  // A page costs about its size over the query's selectivity, not the whole
  // result: in publication-time order the time-ordered index is walked from
  // the cursor and each article is tested against the other conditions'
  // postings; a small candidate set (smaller than such a walk would be) is
  // sorted instead. Relevance order scores every candidate. Counting is a
  // separate pass over integer postings and per-article records; with
  // `count_total` false and no `visit_all` it is skipped and total_size is
  // -1 (later pages, whose count the caller already has). The page's
  // articles are read from the store in one batch, undecoded; a read error
  // is returned.
  absl::StatusOr<SearchPage> Search(const IndexQuery& query, const Cursor* cursor,
                                    int page_size, int64_t snapshot,
                                    const MatchVisitor* visit_all = nullptr,
                                    bool count_total = true) const;

  // Up to `max_count` articles with sequences after `sequence`, in log order.
  absl::StatusOr<std::vector<std::shared_ptr<const Article>>> ArticlesAfter(
      int64_t sequence, int max_count) const;

  // Entities with their article counts, most named first then by id. The
  // prefix is compared with the NameKey of the id, display name and
  // spellings; `type` kUnspecified means any. Without their spellings
  // (GetEntity gives them): a list is paged, and only a page needs them.
  std::vector<EntityInfo> ListEntities(absl::string_view prefix, EntityType type) const;

  // Where a page of an entity list ordered by count starts: after the entry
  // with this count and id (the last of the previous page).
  struct CountCursor {
    int64_t count = 0;
    std::string id;
  };
  // A page of entities and the number of entities the whole list holds.
  struct EntityPage {
    std::vector<EntityInfo> entities;
    int64_t total = 0;
    bool more = false;  // entries beyond this page exist
  };

  // The entities named in the articles that name any of `ids` and were
  // published in [start_time, end_time) (a missing bound is open; with either
  // bound, articles of unknown time are left out), with cooccurrence_count
  // the number of such articles naming each; `ids` themselves are left out.
  // Most often first, then by id; `prefix` and `type` filter as for
  // ListEntities. Only the page of at most `page_size` entries after
  // `after` (from the start when null) is returned, and only its entries
  // are made (without spellings, as for ListEntities): the rest are counted
  // and ordered as integers.
  EntityPage CoOccurringEntities(const std::vector<std::string>& ids,
                                 std::optional<absl::Time> start_time,
                                 std::optional<absl::Time> end_time, absl::string_view prefix,
                                 EntityType type, const CountCursor* after,
                                 size_t page_size) const;

  // What the index knows of one entity; nullopt when no article names it.
  std::optional<EntityInfo> GetEntity(absl::string_view id) const;

  // Topics with their article counts (an article counts for a topic and all
  // its ancestors), most used first then by code.
  // Calls `visit` for every article matching `query` (order ignored), in no
  // particular order, under the index's shared lock: `visit` must not call
  // back into the index.
  void ForEachMatch(const IndexQuery& query, const MatchVisitor& visit) const;

  // The matches of `query` counted per group without visiting them, from
  // counts the index keeps per topic: for a query of one topic (with
  // descendants) and no other condition but a publication-time range,
  // grouped by entity or source. Over the first `snapshot` docs (all when
  // 0), as Search. nullopt for any other query or group: the caller counts
  // the matches. Without a range the topic's counts are read; with one, a
  // large topic's counts of the calendar months wholly inside the range are
  // added up and the docs of the partial months at its ends counted, and a
  // small topic's docs in the range are counted (KeptCountsOptions).
  struct KeptCounts {
    int64_t articles = 0;  // matching articles
    // Interned group id (as MatchedDoc has it) and its matching articles,
    // for every group with at least one; in no particular order.
    std::vector<std::pair<uint32_t, int64_t>> groups;
  };
  std::optional<KeptCounts> KeptGroupCounts(const IndexQuery& query, GroupBy group_by,
                                            int64_t snapshot) const;
  // Whether KeptGroupCounts answers `query` grouped by `group_by`.
  static bool KeepsGroupCounts(const IndexQuery& query, GroupBy group_by);

  // The matches of `query` per UTC day of publication without visiting
  // them, from the days an entity keeps (KeptCountsOptions::
  // entity_day_min_docs): for a query of one entity id and no other
  // condition but a publication-time range. Over the first `snapshot` docs
  // (all when 0), as Search. nullopt for any other query, or an entity that
  // keeps no days: the caller counts the matches. The days wholly inside the
  // range are read, the docs of the parts of days at its ends counted.
  struct KeptDays {
    int64_t articles = 0;  // matching articles, those of unknown time too
    // (UTC day, matching articles) for every day with at least one, in order.
    std::vector<std::pair<int64_t, int64_t>> days;
  };
  std::optional<KeptDays> KeptDayCounts(const IndexQuery& query, int64_t snapshot) const;

  // The names of interned groups of `group_by` (not kNone), in the order of
  // `ids`; ids come from MatchedDoc.
  std::vector<GroupName> GroupNames(GroupBy group_by, const std::vector<uint32_t>& ids) const;
  // The interned id of a group key (entity id, topic code, lower-case
  // source); nullopt when no article was ever indexed under it.
  std::optional<uint32_t> GroupId(GroupBy group_by, absl::string_view key) const;

  // Words of a text as the word index keeps them: maximal runs of letters
  // and digits, ASCII lower-cased.
  static std::vector<std::string> Tokenize(absl::string_view text);

  // Calls fn(word, begin_offset) for each word of `text` as Tokenize finds
  // them, with the word as written (not lower-cased).
  template <typename Fn>
  static void ForEachWord(absl::string_view text, Fn fn) {
    size_t begin = 0;
    bool in_word = false;
    for (size_t i = 0; i <= text.size(); ++i) {
      const unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
      const bool word_char = absl::ascii_isalnum(c) || c >= 0x80;
      if (word_char && !in_word) {
        begin = i;
        in_word = true;
      } else if (!word_char && in_word) {
        fn(text.substr(begin, i - begin), begin);
        in_word = false;
      }
    }
  }

  // A key phrase as the key phrase index keeps it: its Tokenize() words
  // joined by single spaces ("Peace-Talks" -> "peace talks").
  static std::string KeyPhraseKey(absl::string_view phrase);

 private:
  using DocId = uint32_t;  // position in docs_: articles in log order
  using Postings = std::vector<DocId>;  // sorted

  // An entity some indexed article names, kept under its interned id
  // (entity_names_, which holds the id string): its display name, type and
  // link as last seen, the spellings articles use for it, and the docs
  // naming it (their number is its article count).
  struct EntityEntry {
    // The display name, when it is not the interned label (own_name).
    std::string display_name;
    EntityType type = EntityType::kUnspecified;
    bool linked = false;
    bool own_name = false;
    StringList spellings;
    Postings postings;
    // Its docs per UTC day of publication, from entity_day_min_docs docs on.
    std::unique_ptr<DayCounts> days;
  };
  // Interned entity ids; most name keys belong to one entity.
  using EntityIds = absl::InlinedVector<uint32_t, 1>;

  // Add, taking the article whole (Apply moves it from its log entry).
  absl::Status AddArticle(Article article, std::shared_ptr<const Article>* indexed);
  // ApplyAliasChange and UpdateTopics without running the link stage.
  absl::Status ApplyAliasChangeNow(int64_t sequence, const AliasChange& change);
  absl::Status UpdateTopicsNow(int64_t sequence, const TopicUpdate& update);
  // `status` of an entry just applied, then, when the link stage is not
  // deferred, LinkPending's.
  absl::Status ThenLink(absl::Status status);
  // Sets the links of `doc` from `linked`, the article as its linker linked
  // it; `asked` is the earlier article whose id the linker last asked for.
  void ApplyLinks(uint32_t doc, const Article& linked, std::optional<uint32_t> asked)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Keeps `before`, `doc` as indexed, for its link event when `doc` is not
  // linked yet and was not changed before (changed_unlinked_).
  void KeepIfUnlinked(DocId doc, const std::shared_ptr<const Article>& before)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The article of an unlinked `doc` as it was indexed, for its link event
  // that holds none: from changed_unlinked_, else from the store, read
  // outside mu_.
  absl::StatusOr<std::shared_ptr<const Article>> ReadAsIndexed(DocId doc) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // linked_head() with mu_ held.
  int64_t LinkedHead() const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The docs a query considers: those linked when it reads links.
  int64_t Considered(const IndexQuery& query) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Whether the log entry at `sequence` is to be applied: false when it was
  // applied before, FAILED_PRECONDITION for a gap.
  absl::StatusOr<bool> Applies(int64_t sequence) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Reads the articles of `docs` from the store, as indexed (derived links
  // set from the records).
  absl::StatusOr<std::vector<std::shared_ptr<const Article>>> ReadDocs(
      absl::Span<const DocId> docs) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The same, undecoded: read from the store, or with `summaries` only
  // their summaries, from summaries_.
  absl::StatusOr<std::vector<StoredArticle>> ReadStored(absl::Span<const DocId> docs,
                                                        bool summaries = false) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The article id of `doc`.
  absl::string_view IdOf(DocId doc) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The doc of an article id, if indexed.
  std::optional<DocId> DocOf(absl::string_view id) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Topic codes of `article` with their ancestors.
  absl::flat_hash_set<std::string> TopicCodes(const Article& article) const;
  // Topic codes assigned to `article` itself (not implied).
  static absl::flat_hash_set<std::string> AssignedTopicCodes(const Article& article);

  static constexpr DocId kNoDoc = ~DocId{0};
  static constexpr uint32_t kNoGroup = ~uint32_t{0};
  // What queries test, sort and count by without reading the article: its
  // publication time (when known), log sequence, where its run of groups
  // starts in groups_, and its source and story (interned; kNoGroup when
  // none). 32 bytes and aligned to them, so that a record never straddles
  // two cache lines and a line holds two: counting a match reads one line
  // of records and its run, both in doc order. No allocation of its own.
  struct alignas(32) DocRecord {
    int64_t time_ns = 0;
    int64_t sequence = 0;
    uint32_t groups = kNoGroup;  // kNoGroup until its run is written
    uint32_t source = kNoGroup;
    uint32_t story = kNoGroup;
    bool has_time = false;
  };
  static_assert(sizeof(DocRecord) == 32, "two records to a cache line");
  // A near-copy's original and their similarity (kNoDoc when the article is
  // none): read for pages only, so kept apart from the records.
  struct CopyLink {
    double similarity = 0;
    DocId copy_of = kNoDoc;
  };
  // The groups of every doc, one run each: its number of distinct entities,
  // its number of distinct topics (with ancestors), then the interned
  // entities and topics. Runs are in doc order but for docs whose groups
  // changed (alias changes, topic updates), whose new run goes at the end
  // when it is longer; the runs left behind are dropped when they are half
  // of it. Beside each entity the most mentions of it the article has (at
  // most 65535; 0 beside the counts), for relevance. The topics are the
  // article's own first, in the order its explanation reads them (those
  // assigned, then those implied, each in the article's order), with
  // kAssignedTopic or kImpliedTopic beside them, then the ancestors the
  // article does not list, sorted, with 0 beside them.
  static constexpr uint16_t kAssignedTopic = 1;
  static constexpr uint16_t kImpliedTopic = 2;
  struct GroupArena {
    ChunkedArray<uint32_t> ids;
    ChunkedArray<uint16_t> mentions;  // parallel to ids, at the same offsets
    size_t unused = 0;                // slots in runs left behind
    size_t RunSize(uint32_t at) const { return 2 + size_t{ids[at]} + ids[at + 1]; }
    // The offset of a new run of `n` slots in both.
    uint32_t NewRun(size_t n) {
      const size_t at = ids.Append(n);
      CHECK_EQ(mentions.Append(n), at) << "group arena out of step";
      return static_cast<uint32_t>(at);
    }
  };
  absl::Span<const uint32_t> EntitiesOf(const DocRecord& r) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    const uint32_t* run = groups_.ids.at(r.groups);
    return absl::MakeConstSpan(run + 2, run[0]);
  }
  absl::Span<const uint16_t> MentionsOf(const DocRecord& r) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return absl::MakeConstSpan(groups_.mentions.at(r.groups) + 2, groups_.ids[r.groups]);
  }
  absl::Span<const uint32_t> TopicsOf(const DocRecord& r) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    const uint32_t* run = groups_.ids.at(r.groups);
    return absl::MakeConstSpan(run + 2 + run[0], run[1]);
  }
  // The interned id of topic `code`, interning it and its ancestors (with
  // their topic_ancestors_) when new.
  uint32_t InternTopic(absl::string_view code) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Hit::topics of the doc of `record`; `requested` holds the interned ids
  // of IndexQuery::topic_codes (kNoGroup for a code never interned).
  std::vector<HitTopic> HitTopics(const DocRecord& record,
                                  absl::Span<const uint32_t> requested) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The query's publication-time range (Unix ns) as tested on records,
  // converted once per query.
  struct TimeFilter {
    explicit TimeFilter(const IndexQuery& query)
        : any(query.start_time || query.end_time),
          has_end(query.end_time.has_value()),
          lo(query.start_time ? absl::ToUnixNanos(*query.start_time)
                              : std::numeric_limits<int64_t>::min()),
          hi(query.end_time ? absl::ToUnixNanos(*query.end_time) : 0) {}
    bool Passes(const DocRecord& r) const {
      return !any || (r.has_time && r.time_ns >= lo && (!has_end || r.time_ns < hi));
    }
    bool any;
    bool has_end;
    int64_t lo;
    int64_t hi;  // exclusive, when has_end
  };
  // A query word: its postings (the index's) and, for a list, the docs and
  // counts decoded (a bitmap gives the count of a doc itself, for
  // relevance).
  struct WordDocs {
    const WordPostings* postings = nullptr;
    Postings docs;
    std::vector<uint8_t> counts;  // parallel to docs
  };
  // The query's distinct words and the docs naming every one of them (none
  // when one is named by no article), decoded once per query: the rarest
  // list whole, then each bitmap tests the bits of the docs kept so far, and
  // each other list is decoded only where it meets them (every word must
  // occur); bitmaps alone are ANDed.
  struct QueryWords {
    std::vector<WordDocs> words;
    Postings docs;
  };
  QueryWords DecodeWords(const IndexQuery& query) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Dense ids for strings: entity ids, topic codes, sources. Ids are never
  // reused or dropped.
  struct Interner {
    GradualTable<absl::flat_hash_map<std::string, uint32_t>> ids;
    std::vector<std::string> keys;
    std::vector<std::string> labels;  // as first seen
    uint32_t Intern(absl::string_view key, absl::string_view label);
  };
  const Interner& InternerOf(GroupBy group_by) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Sets the interned entities and topics of `doc` from `article`.
  void InternGroups(DocId doc, const Article& article) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Adds `record`'s run to the entity and source counts of each of its
  // topics, and of their months when kept (delta 1), or takes it off them
  // (delta -1). A topic that reaches KeptCountsOptions::month_min_docs
  // docs gets its months from its postings.
  void CountTopicGroups(const DocRecord& record, int delta) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // KeptGroupCounts of a query with a time range, given the topic's
  // interned id and docs.
  KeptCounts KeptInTimeRange(const IndexQuery& query, uint32_t topic, DocSpan docs,
                             GroupBy group_by, int64_t limit) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // KeptDayCounts over the docs below `limit`.
  std::optional<KeptDays> KeptDaysBelow(const IndexQuery& query, int64_t limit) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Counts `doc` on its entity's days (delta 1) or takes it off (-1); an
  // entity reaching KeptCountsOptions::entity_day_min_docs docs gets its
  // days from its postings, which hold `doc` already.
  void CountEntityDay(EntityEntry& entry, DocId doc, int delta) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Rewrites groups_ with every doc's run in doc order, dropping the runs
  // left behind.
  void CompactGroups() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  MatchedDoc Matched(DocId doc) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Keys of the time-ordered index: (publication time ns, doc). Docs are in
  // log order, so for equal times doc order is sequence order.
  using TimeKey = std::pair<int64_t, DocId>;

  // Docs mentioning a date that overlaps the query's mentioned range.
  Postings MentioningDocs(const IndexQuery& query) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Docs satisfying every posting-list condition; nullopt when the query has
  // none. The docs of a single list are the index's own (or the words'), not
  // copied; those of a union or intersection are kept in `storage`.
  std::optional<DocSpan> CandidateDocs(const IndexQuery& query, const QueryWords& words,
                                       Postings* storage) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The number of docs below `limit` published in the query's time range
  // (at least one bound set): whole UTC days from day_counts_, the partial
  // days at the ends from by_time_, and the docs of the range at or above
  // `limit` taken off.
  int64_t CountInTimeRange(const IndexQuery& query, int64_t limit) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  bool MatchesFilters(const IndexQuery& query, DocId doc) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Sorted docs naming any of the query's excluded entities.
  Postings ExcludedDocs(const IndexQuery& query) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Calls visit(doc) for each doc below `limit` that matches `query`, given
  // its CandidateDocs and ExcludedDocs.
  template <typename Visit>
  void VisitMatches(const IndexQuery& query, const std::optional<DocSpan>& candidates,
                    const Postings& excluded, int64_t limit, Visit visit) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Calls emit(doc) for the docs after `cursor` (from the start when null)
  // in the query's publication-time order, within its time range, timed docs
  // first then those of unknown time, until emit returns false. Tests no
  // other condition.
  template <typename Emit>
  void WalkInTimeOrder(const IndexQuery& query, const Cursor* cursor, Emit emit) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The number of docs with a log sequence at most `sequence`: the first doc
  // after it.
  DocId DocsUpTo(int64_t sequence) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Adds `doc` to the entity postings, counts, spellings and name keys of
  // `article`'s entities, keeping postings sorted.
  void IndexEntities(DocId doc, const Article& article) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Rebuilds the spellings and name keys of entity `id` from the articles
  // that still name it (`articles`: every doc in its postings), and drops it
  // when none does.
  void RebuildEntity(
      const std::string& id,
      const absl::flat_hash_map<DocId, std::shared_ptr<const Article>>& articles)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The entry of an entity id; null when no indexed article names it.
  const EntityEntry* FindEntity(absl::string_view id) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  EntityEntry* FindEntity(absl::string_view id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::string_view DisplayName(uint32_t id, const EntityEntry& entry) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void SetDisplayName(uint32_t id, EntityEntry& entry, absl::string_view name)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Registers `name`'s NameKey as a spelling of the interned entity `id`.
  void AddNameKey(absl::string_view name, uint32_t id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  EntityInfo InfoOf(uint32_t id, const EntityEntry& entry,
                    bool with_spellings = true) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Whether an entity passes ListEntities' prefix and type filters.
  bool EntityMatches(uint32_t id, const EntityEntry& entry, absl::string_view prefix,
                     EntityType type) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // From the records' mention counts and the words' counts.
  double Relevance(const IndexQuery& query, const QueryWords& words, DocId doc) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const Taxonomy* const taxonomy_;
  std::string (*const name_key_)(absl::string_view);
  ArticleLinker* const linker_;
  const LinkOptions link_options_;
  const KeptCountsOptions kept_counts_;
  std::unique_ptr<IndexedArticleStore> own_store_;  // when none is given
  IndexedArticleStore* const store_;

  // Changed only under mu_ held exclusively, in log order.
  entities::AliasTable aliases_;

  // One link stage at a time; taken before mu_.
  absl::Mutex link_mu_;
  mutable absl::Mutex mu_;
  int64_t head_ ABSL_GUARDED_BY(mu_) = 0;
  // What the link stage is to run, in log order: link an article (`doc`
  // set; `article` as indexed, or null beyond LinkOptions::max_held: read
  // back then), or tell the linker of a change (`before`, then `article`
  // after). Popped once run.
  struct LinkEvent {
    int64_t sequence = 0;
    DocId doc = kNoDoc;
    std::shared_ptr<const Article> article;
    std::shared_ptr<const Article> before;
  };
  std::deque<LinkEvent> link_events_ ABSL_GUARDED_BY(mu_);
  // Docs whose links are applied: the first linked_docs_ in log order.
  int64_t linked_docs_ ABSL_GUARDED_BY(mu_) = 0;
  // Unlinked docs an alias change or topic update has changed since they
  // were indexed: the article as indexed, for a link event that holds none
  // (the store has the changed one). Erased as linked.
  absl::flat_hash_map<DocId, std::shared_ptr<const Article>> changed_unlinked_
      ABSL_GUARDED_BY(mu_);
  // Articles in log order (a DocId is a position); alias changes and topic
  // updates take no place.
  ChunkedArray<DocRecord> records_ ABSL_GUARDED_BY(mu_);
  ChunkedArray<CopyLink> copy_links_ ABSL_GUARDED_BY(mu_);  // by doc, beside records_
  GroupArena groups_ ABSL_GUARDED_BY(mu_);
  // By interned topic (with ancestors): the docs of the topic naming each
  // interned entity and from each source, kept as runs are written (a group
  // at zero is erased), so that the facets of one topic are read, not
  // counted (KeptGroupCounts); and for a topic of at least
  // KeptCountsOptions::month_min_docs docs the same per UTC calendar month
  // of publication (docs of unknown time in none; a month at zero docs is
  // erased), so that those of a time range are mostly added up.
  struct GroupCounts {
    uint32_t docs = 0;
    absl::flat_hash_map<uint32_t, uint32_t> entities;
    absl::flat_hash_map<uint32_t, uint32_t> sources;
    // Adds a doc of these entities and source (kNoGroup: none), or takes
    // one off (delta -1).
    void Count(absl::Span<const uint32_t> entity_ids, uint32_t source, int delta);
  };
  struct TopicGroups {
    GroupCounts all;
    bool by_month = false;
    absl::btree_map<int32_t, GroupCounts> months;  // by MonthOf, when by_month
  };
  // UTC calendar months since January 1970 (negative before), and the time
  // (Unix ns) one starts at.
  static int32_t MonthOf(int64_t time_ns);
  static int64_t MonthStart(int64_t month);
  std::vector<TopicGroups> topic_groups_ ABSL_GUARDED_BY(mu_);
  // Each doc's article id, at its doc number.
  StringArena ids_ ABSL_GUARDED_BY(mu_);
  // Each doc's summary (EncodeSummary), at its doc number.
  StringArena summaries_ ABSL_GUARDED_BY(mu_);
  Interner entity_names_ ABSL_GUARDED_BY(mu_);
  Interner topic_names_ ABSL_GUARDED_BY(mu_);
  // By interned topic id: the interned ids of its ancestors (Taxonomy).
  std::vector<std::vector<uint32_t>> topic_ancestors_ ABSL_GUARDED_BY(mu_);
  Interner source_names_ ABSL_GUARDED_BY(mu_);
  Interner story_names_ ABSL_GUARDED_BY(mu_);
  // Docs by article id (the last doc of an id taken twice), hashed by the
  // id they hold.
  struct IdHash {
    using is_transparent = void;
    const ArticleIndex* index;
    size_t operator()(absl::string_view id) const { return absl::HashOf(id); }
    size_t operator()(DocId doc) const ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return absl::HashOf(index->IdOf(doc));
    }
  };
  struct IdEq {
    using is_transparent = void;
    const ArticleIndex* index;
    absl::string_view Id(absl::string_view id) const { return id; }
    absl::string_view Id(DocId doc) const ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return index->IdOf(doc);
    }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return Id(a) == Id(b);
    }
  };
  GradualTable<absl::flat_hash_set<DocId, IdHash, IdEq>> by_id_ ABSL_GUARDED_BY(mu_);
  // By interned entity id.
  GradualTable<absl::flat_hash_map<uint32_t, EntityEntry>> entities_ ABSL_GUARDED_BY(mu_);
  GradualTable<absl::flat_hash_map<std::string, EntityIds>> entity_keys_
      ABSL_GUARDED_BY(mu_);  // NameKey -> interned entity ids
  absl::flat_hash_map<std::string, Postings> topics_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Postings> exact_topics_ ABSL_GUARDED_BY(mu_);
  GradualTable<absl::flat_hash_map<std::string, Postings>> key_phrases_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Postings> sources_ ABSL_GUARDED_BY(mu_);
  GradualTable<absl::flat_hash_map<std::string, WordPostings>> words_ ABSL_GUARDED_BY(mu_);
  // The words of words_ kept as bitmaps (a few hundred), looked over for
  // one to turn back into a list each time the index doubles.
  std::vector<std::string> bitmap_words_ ABSL_GUARDED_BY(mu_);
  GradualTable<absl::flat_hash_map<std::string, Postings>> stories_ ABSL_GUARDED_BY(mu_);
  absl::btree_set<TimeKey> by_time_ ABSL_GUARDED_BY(mu_);
  Postings untimed_ ABSL_GUARDED_BY(mu_);  // docs of unknown publication time
  DayCounts day_counts_ ABSL_GUARDED_BY(mu_);  // timed docs per UTC day
  // Mentioned-date intervals: start (ns) -> {end (ns), doc}, and the longest
  // interval, which bounds how far before a query's start a match can begin.
  struct Mention {
    int64_t end_ns;
    DocId doc;
  };
  absl::btree_multimap<int64_t, Mention> mentions_ ABSL_GUARDED_BY(mu_);
  int64_t longest_mention_ns_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_ARTICLE_INDEX_H_
