// The correctness oracle for searches: a generated set of articles, random
// filters combining every condition, every order and random page sizes,
// checked against a brute-force filter written independently of the index.
// Also: paging while articles keep arriving, paging without a depth limit,
// and tokens that were changed or belong to another request.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/entities/name_key.h"
#include "common/status/field_error.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "query_service/core/query_engine.h"

namespace newsdesk::query {
namespace {

// An alias change merging entity `from` into `to` (a person).
AliasChange MergeOf(const std::string& from, const std::string& to) {
  AliasChange merge;
  merge.version = 1;
  merge.kind = AliasChangeKind::kMerge;
  merge.source_entity_id = from;
  merge.entity_id = to;
  merge.display_name = to;
  merge.type = EntityType::kPerson;
  return merge;
}

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;

// Two trees: 10000000 > 10000001 > 10000002, 10000000 > 10000003;
// 20000000 > 20000001.
constexpr char kTaxonomy[] =
    "qcode\tparent\tlevel\tretired\tlabel\tdef\n"
    "medtop:10000000\t\t1\t0\tpolitics\t\n"
    "medtop:10000001\tmedtop:10000000\t2\t0\telections\t\n"
    "medtop:10000002\tmedtop:10000001\t3\t0\tvoting\t\n"
    "medtop:10000003\tmedtop:10000000\t2\t0\tdiplomacy\t\n"
    "medtop:20000000\t\t1\t0\tsport\t\n"
    "medtop:20000001\tmedtop:20000000\t2\t0\tfootball\t\n";

const std::vector<std::string> kTopics = {"medtop:10000000", "medtop:10000001",
                                          "medtop:10000002", "medtop:10000003",
                                          "medtop:20000000", "medtop:20000001"};
const std::vector<std::string> kSources = {"Reuters", "BBC", "AP", "wire"};
const std::vector<std::string> kWords = {"alpha", "bravo", "charlie", "delta", "echo",
                                         "foxtrot", "golf", "hotel"};
const std::vector<std::string> kPhrases = {"peace talks", "grain deal", "rate rise"};
constexpr int kEntities = 8;

std::string EntityId(int i) { return absl::StrCat("person-e", i); }

absl::Time Day(int day) {
  return absl::FromCivil(absl::CivilDay(2023, 1, 1) + day, absl::UTCTimeZone());
}

// What the generator put in an article, for the brute-force filter.
struct Truth {
  std::set<std::string> entities;
  std::set<std::string> topic_codes;     // assigned and implied, with ancestors
  std::set<std::string> assigned_codes;  // not implied
  std::set<std::string> words;
  std::map<std::string, int> word_counts;  // title words count 3, body words 1
  std::set<std::string> phrases;
};

class QueryEngineOracleTest : public ::testing::Test {
 protected:
  QueryEngineOracleTest()
      : taxonomy_(*Taxonomy::LoadFromString(kTaxonomy, "t")),
        lexicon_(*entities::EntityLexicon::LoadFromStrings(
            "location-nowhere\tlocation\tNowhere\t\n", "")),
        // Topics keep counts per month from their 40th article on (the
        // facets of a topic in a time range read them), entities their
        // days (the time series and counts of an entity read them).
        index_(taxonomy_.get(), &entities::NameKey, nullptr, nullptr, nullptr, LinkOptions{},
               KeptCountsOptions{40, 40}),
        engine_(QueryEngineOptions{}, &index_, taxonomy_.get()) {}

  // Adds a random article with the next sequence; `day` < 0: a random day
  // (and now and then an unknown time).
  void AddRandom(int day = -1) {
    Article a;
    a.log_sequence = index_.head() + 1;
    a.id = absl::StrCat("a", a.log_sequence);
    Truth truth;
    auto pick = [this](int n) { return static_cast<int>(rng_() % n); };
    if (day >= 0 || pick(10) != 0) {
      a.publish_time.precision = TimePrecision::kMinute;
      a.publish_time.time = Day(day >= 0 ? day : pick(60)) +
                            (any_minute_ ? absl::Minutes(pick(24 * 60))
                                         : absl::Hours(pick(3) * 6));  // many ties
    }
    std::vector<std::string> title_words, body_words;
    for (int i = 0; i < 1 + pick(3); ++i) title_words.push_back(kWords[pick(kWords.size())]);
    for (int i = 0; i < pick(6); ++i) body_words.push_back(kWords[pick(kWords.size())]);
    for (const auto& [word, percent] : extra_words_) {
      if (pick(100) < percent) (pick(3) == 0 ? title_words : body_words).push_back(word);
    }
    a.title = absl::StrJoin(title_words, " ");
    a.title[0] = absl::ascii_toupper(a.title[0]);
    if (!body_words.empty()) a.paragraphs.push_back(absl::StrJoin(body_words, ", ") + ".");
    for (const auto& w : title_words) {
      truth.words.insert(w);
      truth.word_counts[w] += 3;
    }
    for (const auto& w : body_words) {
      truth.words.insert(w);
      truth.word_counts[w] += 1;
    }
    for (int i = 0; i < pick(4); ++i) {
      const std::string id = EntityId(pick(kEntities));
      if (!truth.entities.insert(id).second) continue;
      ArticleEntity e;
      e.id = id;
      e.display_name = id;
      e.type = EntityType::kPerson;
      e.mention_count = 1 + pick(3);
      e.spellings = {id};
      e.mentions = {EntityMention{TextSection::kBody, 0, 0, 1, id}};
      a.entities.push_back(std::move(e));
    }
    for (int i = 0; i < pick(3); ++i) {
      const std::string& code = kTopics[pick(kTopics.size())];
      a.topics.push_back(ArticleTopic{code, "", 0.5, false});
      truth.assigned_codes.insert(code);
      truth.topic_codes.insert(code);
      for (const std::string& up : taxonomy_->Ancestors(code)) {
        truth.topic_codes.insert(up);
        if (pick(2) == 0) a.topics.push_back(ArticleTopic{up, "", 0.5, true});
      }
    }
    if (pick(4) != 0) a.source = kSources[pick(kSources.size())];
    if (pick(3) == 0) {
      const std::string& phrase = kPhrases[pick(kPhrases.size())];
      a.key_phrases.push_back(absl::AsciiStrToUpper(phrase));
      truth.phrases.insert(phrase);
    }
    for (int i = 0; i < pick(3); ++i) {
      const int start = pick(400);
      a.mentioned_dates.push_back(MentionedDate{absl::StrCat("day ", start), Day(start - 200),
                                                Day(start - 200 + 1 + pick(40)),
                                                TimePrecision::kDay, false});
    }
    articles_.push_back(std::make_shared<const Article>(std::move(a)));
    truths_.push_back(std::move(truth));
    ASSERT_THAT(index_.Add(articles_.back()), IsOk());
  }

  SearchRequest RandomRequest() {
    auto pick = [this](int n) { return static_cast<int>(rng_() % n); };
    auto maybe = [&](int percent) { return pick(100) < percent; };
    SearchRequest r;
    if (maybe(30)) {
      for (int i = 0; i < 1 + pick(3); ++i) r.any_entities.push_back(EntityId(pick(kEntities)));
    }
    if (maybe(20)) r.all_entities.push_back(EntityId(pick(kEntities)));
    if (maybe(25)) {
      for (int i = 0; i < 1 + pick(2); ++i) r.none_entities.push_back(EntityId(pick(kEntities)));
    }
    if (maybe(35)) {
      const int start = pick(60);
      if (maybe(80)) r.start_time = Day(start);
      if (maybe(80)) r.end_time = Day(start + 1 + pick(30));
    }
    if (maybe(20)) {
      const int start = pick(400) - 200;
      r.mentioned_start_time = Day(start);
      if (maybe(70)) r.mentioned_end_time = Day(start + 1 + pick(60));
    }
    if (maybe(30)) {
      for (int i = 0; i < 1 + pick(2); ++i) r.topics.push_back(kTopics[pick(kTopics.size())]);
      r.exact_topics = maybe(30);
    }
    if (maybe(20)) r.sources.push_back(absl::AsciiStrToLower(kSources[pick(kSources.size())]));
    if (maybe(25)) {
      r.text = query_words_[pick(query_words_.size())];
      if (maybe(30)) absl::StrAppend(&r.text, " ", query_words_[pick(query_words_.size())]);
    }
    if (maybe(15)) r.key_phrases.push_back(kPhrases[pick(kPhrases.size())]);
    r.order = static_cast<SortOrder>(pick(3));
    return r;
  }

  static bool HasAny(const std::set<std::string>& have, const std::vector<std::string>& want) {
    return std::any_of(want.begin(), want.end(),
                       [&](const std::string& w) { return have.count(w) > 0; });
  }

  // The brute-force filter.
  bool Matches(const SearchRequest& r, size_t i) const {
    const Article& a = *articles_[i];
    const Truth& t = truths_[i];
    if (!r.any_entities.empty() && !HasAny(t.entities, r.any_entities)) return false;
    for (const auto& e : r.all_entities) {
      if (!t.entities.count(e)) return false;
    }
    if (HasAny(t.entities, r.none_entities)) return false;
    if (r.start_time || r.end_time) {
      if (!a.publish_time.known()) return false;
      if (r.start_time && a.publish_time.time < *r.start_time) return false;
      if (r.end_time && a.publish_time.time >= *r.end_time) return false;
    }
    if (r.mentioned_start_time || r.mentioned_end_time) {
      bool any = false;
      for (const MentionedDate& d : a.mentioned_dates) {
        if ((!r.mentioned_start_time || d.end > *r.mentioned_start_time) &&
            (!r.mentioned_end_time || d.start < *r.mentioned_end_time)) {
          any = true;
        }
      }
      if (!any) return false;
    }
    if (!r.topics.empty() &&
        !HasAny(r.exact_topics ? t.assigned_codes : t.topic_codes, r.topics)) {
      return false;
    }
    if (!r.sources.empty() &&
        std::find(r.sources.begin(), r.sources.end(), absl::AsciiStrToLower(a.source)) ==
            r.sources.end()) {
      return false;
    }
    for (absl::string_view w : absl::StrSplit(r.text, ' ', absl::SkipEmpty())) {
      if (!t.words.count(std::string(w))) return false;
    }
    if (!r.key_phrases.empty() && !HasAny(t.phrases, r.key_phrases)) return false;
    return true;
  }

  // Articles matching `r` among the first `count`, in the order of `r`
  // (relevance: by sequence only; its order is checked from the scores).
  std::vector<std::string> Expected(const SearchRequest& r, size_t count) const {
    std::vector<size_t> hits;
    for (size_t i = 0; i < count; ++i) {
      if (Matches(r, i)) hits.push_back(i);
    }
    std::sort(hits.begin(), hits.end(), [&](size_t x, size_t y) {
      const ArticleTime& a = articles_[x]->publish_time;
      const ArticleTime& b = articles_[y]->publish_time;
      if (r.order == SortOrder::kRelevance) return x > y;
      if (a.known() != b.known()) return a.known();
      if (a.known() && a.time != b.time) {
        return r.order == SortOrder::kPublishTimeDesc ? a.time > b.time : a.time < b.time;
      }
      return r.order == SortOrder::kPublishTimeDesc ? x > y : x < y;
    });
    std::vector<std::string> ids;
    for (size_t i : hits) ids.push_back(articles_[i]->id);
    return ids;
  }

  // Every page of `r`, calling between(page number) after each.
  std::vector<SearchMatch> AllPages(SearchRequest r,
                                    const std::function<void(int)>& between = nullptr) {
    std::vector<SearchMatch> out;
    int64_t total = -1;
    for (int page = 0;; ++page) {
      absl::StatusOr<SearchResult> result = engine_.Search(r);
      EXPECT_THAT(result, IsOk());
      if (!result.ok()) return out;
      if (total >= 0) {
        EXPECT_EQ(result->total_size, total) << "page " << page;
      }
      total = result->total_size;
      EXPECT_LE(static_cast<int>(result->matches.size()), r.page_size);
      for (SearchMatch& m : result->matches) out.push_back(std::move(m));
      if (between) between(page);
      if (result->next_page_token.empty()) break;
      r.page_token = result->next_page_token;
    }
    EXPECT_EQ(static_cast<int64_t>(out.size()), total);
    return out;
  }

  static std::vector<std::string> Ids(const std::vector<SearchMatch>& matches) {
    std::vector<std::string> ids;
    for (const SearchMatch& m : matches) ids.push_back(m.article->id);
    return ids;
  }

  // For relevance the oracle gives the set; the order must follow the
  // scores, ties newest first.
  static void ExpectRelevanceOrder(const std::vector<SearchMatch>& matches) {
    for (size_t i = 1; i < matches.size(); ++i) {
      const SearchMatch& a = matches[i - 1];
      const SearchMatch& b = matches[i];
      EXPECT_TRUE(a.relevance_score > b.relevance_score ||
                  (a.relevance_score == b.relevance_score &&
                   a.article->log_sequence > b.article->log_sequence))
          << a.article->id << " before " << b.article->id;
    }
  }

  void Check(const SearchRequest& r, const std::vector<SearchMatch>& got, size_t count,
             const std::string& what) {
    std::vector<std::string> want = Expected(r, count);
    std::vector<std::string> ids = Ids(got);
    if (r.order == SortOrder::kRelevance) {
      ExpectRelevanceOrder(got);
      std::sort(want.begin(), want.end());
      std::sort(ids.begin(), ids.end());
    }
    EXPECT_EQ(ids, want) << what;
  }

  std::mt19937 rng_{20261130};
  bool any_minute_ = false;  // AddRandom: at any minute of the day, not 0, 6 or 12 h
  // AddRandom: words beyond kWords, each put in an article with this chance
  // in percent (in its title or body).
  std::vector<std::pair<std::string, int>> extra_words_;
  std::vector<std::string> query_words_ = kWords;  // RandomRequest's text
  std::unique_ptr<Taxonomy> taxonomy_;
  std::unique_ptr<entities::EntityLexicon> lexicon_;
  ArticleIndex index_;
  QueryEngine engine_;
  std::vector<std::shared_ptr<const Article>> articles_;
  std::vector<Truth> truths_;
};

std::string Describe(const SearchRequest& r) {
  return absl::StrCat(
      "any=", absl::StrJoin(r.any_entities, ","), " all=", absl::StrJoin(r.all_entities, ","),
      " none=", absl::StrJoin(r.none_entities, ","),
      " time=", r.start_time ? absl::FormatTime(*r.start_time) : "-", "..",
      r.end_time ? absl::FormatTime(*r.end_time) : "-",
      " mentioned=", r.mentioned_start_time ? absl::FormatTime(*r.mentioned_start_time) : "-",
      "..", r.mentioned_end_time ? absl::FormatTime(*r.mentioned_end_time) : "-",
      " topics=", absl::StrJoin(r.topics, ","), r.exact_topics ? "(exact)" : "",
      " sources=", absl::StrJoin(r.sources, ","), " text=", r.text,
      " phrases=", absl::StrJoin(r.key_phrases, ","), " order=", static_cast<int>(r.order),
      " page_size=", r.page_size);
}

// A match's explanation as text, every field of it, to compare.
std::string Explained(const SearchMatch& m) {
  std::string out;
  for (const EntityMatchInfo& e : m.entity_matches) {
    absl::StrAppend(&out, "entity ", e.query, "=", e.entity_id, " [",
                    absl::StrJoin(e.spellings, ","), "] x", e.mention_count, ":");
    for (const EntityMention& p : e.mentions) {
      absl::StrAppend(&out, " ", static_cast<int>(p.section), "/", p.index, "/", p.begin, "-",
                      p.end, "/", p.spelling);
    }
    out += "\n";
  }
  absl::StrAppend(&out, "matched topics ", absl::StrJoin(m.matched_topics, ","), "\n");
  const MatchExplanation& x = m.explanation;
  for (const TopicMatchInfo& t : x.topics) {
    absl::StrAppend(&out, "topic ", t.requested_code, " by ", t.article_code,
                    t.exact ? " exact" : "", "\n");
  }
  if (x.publish_time) {
    const ArticleTime& t = *x.publish_time;
    absl::StrAppend(&out, "time ", absl::FormatTime(t.time), " ", static_cast<int>(t.precision),
                    " ", static_cast<int>(t.source), " ", t.evidence, " ", t.time_zone_known,
                    " ", t.confidence, " ", t.provenance, "\n");
  }
  for (const MentionedDateMatchInfo& d : x.mentioned_dates) {
    absl::StrAppend(&out, "date ", d.index, " ", d.date.text, " ", absl::FormatTime(d.date.start),
                    " ", absl::FormatTime(d.date.end), "\n");
  }
  for (const WordMatchInfo& w : x.words) {
    absl::StrAppend(&out, "word ", w.word, " ", static_cast<int>(w.section), "/", w.index, "/",
                    w.begin, "-", w.end, "\n");
  }
  for (const KeyPhraseMatchInfo& k : x.key_phrases) {
    absl::StrAppend(&out, "phrase ", k.requested, "=", k.key_phrase, "\n");
  }
  absl::StrAppend(&out, "source ", x.source);
  return out;
}

TEST_F(QueryEngineOracleTest, RandomCombinationsOrdersAndPagesMatchBruteForce) {
  for (int i = 0; i < 600; ++i) AddRandom();
  int non_empty = 0;
  for (int q = 0; q < 400; ++q) {
    SearchRequest r = RandomRequest();
    r.page_size = 1 + static_cast<int>(rng_() % 40);
    const std::string what = Describe(r);
    std::vector<SearchMatch> got = AllPages(r);
    Check(r, got, articles_.size(), what);
    if (!got.empty()) ++non_empty;

    // The per-article test of standing queries and the explanations agree
    // with the oracle on every article.
    absl::StatusOr<ResolvedFilter> filter = engine_.ResolveConditions(r);
    ASSERT_THAT(filter, IsOk());
    absl::flat_hash_map<std::string, size_t> index_of;
    for (size_t i = 0; i < articles_.size(); ++i) {
      MatchExplanation explanation;
      ASSERT_EQ(ExplainMatch(*filter, *articles_[i], *taxonomy_, &explanation), Matches(r, i))
          << what << " article " << articles_[i]->id;
      index_of[articles_[i]->id] = i;
    }
    // A search explains each hit from the index and the parts it decodes
    // as ExplainMatch does from the whole article, and without explanations
    // returns the same matches with none.
    for (const SearchMatch& m : got) {
      MatchExplanation explanation;
      ExplainMatch(*filter, *articles_[index_of[m.article->id]], *taxonomy_, &explanation);
      const SearchMatch whole = MakeMatch(nullptr, 0, std::move(explanation));
      ASSERT_EQ(Explained(m), Explained(whole)) << what << " article " << m.article->id;
      ASSERT_TRUE(m.explained);
    }
    SearchRequest listing = r;
    listing.explain = false;
    const std::vector<SearchMatch> listed = AllPages(listing);
    ASSERT_EQ(Ids(listed), Ids(got)) << what;
    for (size_t k = 0; k < listed.size(); ++k) {
      EXPECT_FALSE(listed[k].explained);
      EXPECT_EQ(Explained(listed[k]), "matched topics \nsource ") << what;
      EXPECT_EQ(listed[k].relevance_score, got[k].relevance_score) << what;
      EXPECT_EQ(listed[k].article->log_sequence, got[k].article->log_sequence) << what;
      ASSERT_TRUE(listed[k].stored.has_value());
      EXPECT_EQ(listed[k].stored->bytes, got[k].stored->bytes) << what;
    }
    // A caller that reads only summary fields gets the same matches,
    // explanations and summary fields, whether the page came from the
    // summaries or (its explanation reading more) from the store.
    SearchRequest summaries = r;
    summaries.summaries_only = true;
    summaries.explain = q % 2 == 0;
    const std::vector<SearchMatch> summarized = AllPages(summaries);
    ASSERT_EQ(Ids(summarized), Ids(got)) << what;
    for (size_t k = 0; k < summarized.size(); ++k) {
      if (summaries.explain) {
        EXPECT_EQ(Explained(summarized[k]), Explained(got[k])) << what;
      }
      std::string want, have;
      ASSERT_THAT(AppendStoredArticle(*got[k].stored, InSummary, &want), IsOk());
      ASSERT_THAT(AppendStoredArticle(*summarized[k].stored, InSummary, &have), IsOk());
      EXPECT_EQ(have, want) << what;
    }
  }
  EXPECT_GT(non_empty, 100);  // the filters are not all empty-handed
}

// The totals taken from sizes (one condition's list cut at the snapshot; a
// publication-time range from its whole days and the two partial ones)
// agree with the brute force: ranges ending inside days, on midnight, open
// on either side, within one day, empty; at every snapshot.
TEST_F(QueryEngineOracleTest, TotalsFromSizesMatchBruteForce) {
  any_minute_ = true;
  for (int i = 0; i < 700; ++i) AddRandom();
  auto pick = [this](int n) { return static_cast<int>(rng_() % n); };
  for (int q = 0; q < 400; ++q) {
    SearchRequest r;
    switch (q % 6) {
      case 0:
      case 1: {
        const absl::Time start =
            Day(pick(64) - 2) + absl::Minutes(pick(2) ? pick(24 * 60) : 0);
        if (pick(5) != 0) r.start_time = start;
        const int span = pick(4) == 0 ? pick(24 * 60) : pick(40 * 24 * 60);
        if (pick(5) != 0) r.end_time = start + absl::Minutes(span);
        if (!r.start_time && !r.end_time) r.end_time = start;
        break;
      }
      case 2:
        r.any_entities = {EntityId(pick(kEntities))};
        break;
      case 3:
        r.topics = {kTopics[pick(kTopics.size())]};
        break;
      case 4:
        r.text = kWords[pick(kWords.size())];
        break;
      case 5:
        r.sources = {absl::AsciiStrToLower(kSources[pick(kSources.size())])};
        break;
    }
    r.page_size = 3;
    const std::string what = Describe(r);
    absl::StatusOr<SearchResult> result = engine_.Search(r);
    ASSERT_THAT(result, IsOk());
    EXPECT_EQ(result->total_size,
              static_cast<int64_t>(Expected(r, articles_.size()).size()))
        << what;
    // The same condition over the first `snapshot` articles.
    absl::StatusOr<ResolvedFilter> filter = engine_.ResolveConditions(r);
    ASSERT_THAT(filter, IsOk());
    const int64_t snapshot = 1 + pick(static_cast<int>(articles_.size()));
    absl::StatusOr<SearchPage> page = index_.Search(filter->query, nullptr, 1, snapshot);
    ASSERT_THAT(page, IsOk());
    EXPECT_EQ(page->total_size, static_cast<int64_t>(Expected(r, snapshot).size()))
        << what << " snapshot " << snapshot;
  }
}

// The word index keeps a common word as a bitmap and a rare one as a list
// (word_postings.h): words of both forms, alone and together, with every
// other condition (excluded entities among them), in every order and random
// pages, while articles arrive, over snapshots; a word that turns common
// while articles arrive (a list, then a bitmap) and one that turns rare (a
// bitmap, then a list again); and the relevance scores, from the words'
// counts in either form.
TEST_F(QueryEngineOracleTest, WordsInEitherFormAndChangingFormMatchBruteForce) {
  query_words_ = kWords;
  for (const char* w : {"india", "juliet", "mike", "november"}) query_words_.push_back(w);
  auto bitmaps = [this]() { return index_.Memory().word_bitmaps; };
  int checked = 0;
  auto check = [&](int queries, int max_page, bool arriving, const std::string& phase) {
    for (int q = 0; q < queries; ++q) {
      SearchRequest r = RandomRequest();
      if (r.text.empty() || rng_() % 2 == 0) {
        r.text = query_words_[rng_() % query_words_.size()];
        if (rng_() % 2 == 0) {
          absl::StrAppend(&r.text, " ", query_words_[rng_() % query_words_.size()]);
        }
      }
      r.page_size = 1 + static_cast<int>(rng_() % max_page);
      const std::string what = phase + " " + Describe(r);
      const size_t before = articles_.size();
      std::vector<SearchMatch> got = AllPages(r, [&](int page) {
        if (arriving && page < 4) AddRandom();
      });
      Check(r, got, before, what);
      if (r.any_entities.empty() && r.all_entities.empty()) {
        // Only the words score: the sum of log1p of each one's count.
        for (const SearchMatch& m : got) {
          const Truth& t = truths_[m.article->log_sequence - 1];
          double want = 0;
          std::set<std::string> seen;
          for (const std::string& w :
               std::vector<std::string>(absl::StrSplit(r.text, ' ', absl::SkipEmpty()))) {
            if (!seen.insert(w).second) continue;
            auto it = t.word_counts.find(w);
            want += std::log1p(std::min(it == t.word_counts.end() ? 0 : it->second, 255));
          }
          EXPECT_DOUBLE_EQ(m.relevance_score, want) << what << " " << m.article->id;
        }
      }
      absl::StatusOr<ResolvedFilter> filter = engine_.ResolveConditions(r);
      ASSERT_THAT(filter, IsOk());
      const int64_t snapshot = 1 + static_cast<int64_t>(rng_() % articles_.size());
      absl::StatusOr<SearchPage> page = index_.Search(filter->query, nullptr, 1, snapshot);
      ASSERT_THAT(page, IsOk());
      EXPECT_EQ(page->total_size, static_cast<int64_t>(Expected(r, snapshot).size()))
          << what << " snapshot " << snapshot;
      checked += !got.empty();
    }
  };
  // india (1%) stays a list, the eight common words and november (half of
  // the articles) become bitmaps once the index holds 256 articles.
  extra_words_ = {{"india", 1}, {"november", 50}};
  for (int i = 0; i < 400; ++i) AddRandom();
  const int64_t common = bitmaps();
  EXPECT_EQ(common, static_cast<int64_t>(kWords.size()) + 1);
  check(150, 40, /*arriving=*/false, "common november");
  // mike arrives in half of the articles: a list, then a bitmap, while
  // pages are read; november is in no more.
  extra_words_ = {{"india", 1}, {"mike", 50}};
  check(60, 40, /*arriving=*/true, "mike arriving");
  while (articles_.size() < 1200) AddRandom();
  EXPECT_EQ(bitmaps(), common + 1);
  check(100, 40, /*arriving=*/false, "common mike");
  // Once the index holds 64 times november's articles, november is a list
  // again (checked each time the index doubles: at 16,384).
  extra_words_ = {{"india", 1}, {"mike", 10}};
  while (articles_.size() < 16400) AddRandom();
  EXPECT_EQ(bitmaps(), common);
  check(40, 2000, /*arriving=*/true, "rare november");
  EXPECT_GT(checked, 200);
}

// Entities named with one entity, in a time range or not: counts and order
// (most often first, then by id) as the brute force has them.
TEST_F(QueryEngineOracleTest, CoOccurringEntitiesMatchBruteForce) {
  for (int i = 0; i < 500; ++i) AddRandom();
  int non_empty = 0;
  for (int q = 0; q < 40; ++q) {
    const std::string with = EntityId(q % kEntities);
    EntityListRequest request;
    request.cooccurs_with = with;
    request.page_size = 100;
    SearchRequest range;  // the same conditions, for the brute force
    range.any_entities = {with};
    if (q >= kEntities) {
      range.start_time = request.start_time = Day(static_cast<int>(rng_() % 30));
      range.end_time = request.end_time =
          *request.start_time + absl::Hours(24 * (1 + rng_() % 30));
    }
    std::map<std::string, int64_t> counts;
    for (size_t i = 0; i < articles_.size(); ++i) {
      if (!Matches(range, i)) continue;
      for (const std::string& e : truths_[i].entities) {
        if (e != with) ++counts[e];
      }
    }
    std::vector<std::pair<int64_t, std::string>> want;
    for (const auto& [e, c] : counts) want.push_back({-c, e});
    std::sort(want.begin(), want.end());
    absl::StatusOr<EntityListResult> result = engine_.ListEntities(request);
    ASSERT_THAT(result, IsOk());
    std::vector<std::pair<int64_t, std::string>> got;
    for (const EntityInfo& e : result->entities)
      got.push_back({-e.cooccurrence_count, e.id});
    EXPECT_EQ(got, want) << with << " query " << q;
    EXPECT_EQ(result->total_size, static_cast<int64_t>(want.size()));
    // The same list in pages of 3 (the index orders them, and makes the
    // entries of each page only): every entity once, in the same order.
    request.page_size = 3;
    std::vector<std::pair<int64_t, std::string>> paged;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<EntityListResult> page = engine_.ListEntities(request);
      ASSERT_THAT(page, IsOk());
      EXPECT_LE(page->entities.size(), 3u);
      EXPECT_EQ(page->total_size, static_cast<int64_t>(want.size()));
      for (const EntityInfo& e : page->entities)
        paged.push_back({-e.cooccurrence_count, e.id});
      if (page->next_page_token.empty()) break;
      request.page_token = page->next_page_token;
    }
    EXPECT_EQ(paged, want) << with << " query " << q << " in pages";
    non_empty += !want.empty();
  }
  EXPECT_GT(non_empty, 20);
}

TEST_F(QueryEngineOracleTest, FacetsAndHistogramCountEveryMatchOnEveryPage) {
  for (int i = 0; i < 400; ++i) AddRandom();
  for (int q = 0; q < 60; ++q) {
    SearchRequest r = RandomRequest();
    r.page_size = 5;
    r.facets = {{GroupBy::kSource, 2}, {GroupBy::kEntity, 100}, {GroupBy::kTopic, 0}};
    r.histogram_interval = Interval::kWeek;
    const std::string what = Describe(r);
    absl::flat_hash_map<std::string, int64_t> sources, entities, topics, weeks;
    int64_t total = 0;
    for (size_t i = 0; i < articles_.size(); ++i) {
      if (!Matches(r, i)) continue;
      ++total;
      const Article& a = *articles_[i];
      if (!a.source.empty()) ++sources[absl::AsciiStrToLower(a.source)];
      for (const std::string& e : truths_[i].entities) ++entities[e];
      for (const std::string& c : truths_[i].topic_codes) ++topics[c];
      if (a.publish_time.known()) {
        ++weeks[absl::FormatTime(BucketStart(a.publish_time.time, Interval::kWeek))];
      }
    }
    // First page and a later one: the same counts.
    for (int page = 0; page < 2; ++page) {
      absl::StatusOr<SearchResult> result = engine_.Search(r);
      ASSERT_THAT(result, IsOk()) << what;
      EXPECT_EQ(result->total_size, total) << what;
      ASSERT_EQ(result->facets.size(), 3u);
      const Facet& by_source = result->facets[0];
      EXPECT_EQ(by_source.group_by, GroupBy::kSource);
      EXPECT_EQ(by_source.total_groups, static_cast<int64_t>(sources.size())) << what;
      EXPECT_LE(by_source.groups.size(), 2u);
      for (size_t g = 0; g < by_source.groups.size(); ++g) {
        EXPECT_EQ(by_source.groups[g].article_count, sources[by_source.groups[g].key]);
        if (g > 0) {
          EXPECT_GE(by_source.groups[g - 1].article_count, by_source.groups[g].article_count);
        }
      }
      EXPECT_EQ(result->facets[1].groups.size(), entities.size()) << what;
      for (const CountGroup& g : result->facets[1].groups) {
        EXPECT_EQ(g.article_count, entities[g.key]) << what << " " << g.key;
      }
      EXPECT_EQ(result->facets[2].groups.size(), topics.size()) << what;
      for (const CountGroup& g : result->facets[2].groups) {
        EXPECT_EQ(g.article_count, topics[g.key]) << what << " " << g.key;
      }
      int64_t in_buckets = 0;
      for (size_t b = 0; b < result->histogram.size(); ++b) {
        const CountBucket& bucket = result->histogram[b];
        EXPECT_EQ(bucket.article_count, weeks[absl::FormatTime(bucket.start)]) << what;
        if (b > 0) {
          EXPECT_EQ(bucket.start, NextBucket(result->histogram[b - 1].start, Interval::kWeek));
        }
        in_buckets += bucket.article_count;
      }
      int64_t with_time = 0;
      for (const auto& [week, count] : weeks) with_time += count;
      EXPECT_EQ(in_buckets, with_time) << what;
      if (result->next_page_token.empty()) break;
      r.page_token = result->next_page_token;
    }
  }
}

// Facets of one topic alone, or with a publication-time range, are read
// from the counts the index keeps per topic (and month) instead of being
// counted over the matches: they agree with brute force for every topic
// and for ranges on month boundaries (articles fall on the first instant of
// February and March), a nanosecond off them, inside one month, across two
// partial months and open on either side, in Search and CountArticles, on a
// later page over the first page's snapshot while articles arrive, and after
// an alias merge and topic updates move articles between groups.
TEST_F(QueryEngineOracleTest, FacetsOfOneTopicMatchBruteForceThroughChanges) {
  for (int i = 0; i < 300; ++i) AddRandom();
  const absl::Duration ns = absl::Nanoseconds(1);
  using Range = std::pair<std::optional<absl::Time>, std::optional<absl::Time>>;
  const std::vector<Range> ranges = {
      {std::nullopt, std::nullopt},          // no range
      {Day(31), Day(59)},                    // February
      {Day(31) - ns, Day(59) + ns},          // a nanosecond wider
      {Day(31) + ns, Day(59) - ns},          // a nanosecond narrower
      {Day(0), Day(59)},                     // January and February
      {Day(4) + absl::Hours(6), Day(20)},    // inside January
      {Day(12) + absl::Hours(12), Day(45)},  // two partial months
      {Day(20), Day(59) + absl::Hours(6)},   // a whole month and two partial
      {std::nullopt, Day(31)},
      {std::nullopt, Day(40)},
      {Day(31), std::nullopt},
      {Day(25), std::nullopt},
  };
  std::map<std::string, std::string> merged;  // entity id -> the id it was merged into
  using Counts = std::map<std::string, int64_t>;
  // Entity and source counts of the matches of `r` among the first `count`.
  auto expected = [&](const SearchRequest& r, size_t count, Counts* entities,
                      Counts* sources) {
    int64_t total = 0;
    for (size_t i = 0; i < count; ++i) {
      if (!Matches(r, i)) continue;
      ++total;
      std::set<std::string> ids;
      for (const std::string& e : truths_[i].entities) {
        ids.insert(merged.count(e) ? merged[e] : e);
      }
      for (const std::string& e : ids) ++(*entities)[e];
      if (!articles_[i]->source.empty()) ++(*sources)[absl::AsciiStrToLower(articles_[i]->source)];
    }
    return total;
  };
  auto counts_of = [](const std::vector<CountGroup>& groups) {
    Counts out;
    for (const CountGroup& g : groups) out[g.key] = g.article_count;
    return out;
  };
  auto check = [&](const std::string& what) {
    for (const std::string& code : kTopics) {
      for (const auto& [start, end] : ranges) {
        SearchRequest r;
        r.topics = {code};
        r.start_time = start;
        r.end_time = end;
        r.page_size = 5;
        r.facets = {{GroupBy::kEntity, 100}, {GroupBy::kSource, 100}};
        const std::string where =
            absl::StrCat(what, " ", code, " ", start ? absl::FormatTime(*start) : "-", "..",
                         end ? absl::FormatTime(*end) : "-");
        Counts entities, sources;
        const int64_t total = expected(r, articles_.size(), &entities, &sources);
        absl::StatusOr<SearchResult> result = engine_.Search(r);
        ASSERT_THAT(result, IsOk());
        EXPECT_EQ(result->total_size, total) << where;
        ASSERT_EQ(result->facets.size(), 2u);
        EXPECT_EQ(counts_of(result->facets[0].groups), entities) << where;
        EXPECT_EQ(result->facets[0].total_groups, static_cast<int64_t>(entities.size())) << where;
        EXPECT_EQ(counts_of(result->facets[1].groups), sources) << where;
        EXPECT_EQ(result->facets[1].total_groups, static_cast<int64_t>(sources.size())) << where;
        for (const GroupBy group_by : {GroupBy::kEntity, GroupBy::kSource}) {
          CountRequest c;
          c.filter.topics = {code};
          c.filter.start_time = start;
          c.filter.end_time = end;
          c.group_by = group_by;
          c.max_groups = 100;
          absl::StatusOr<CountResult> counted = engine_.CountArticles(c);
          ASSERT_THAT(counted, IsOk());
          EXPECT_EQ(counted->total_size, total) << where;
          const Counts& want = group_by == GroupBy::kEntity ? entities : sources;
          EXPECT_EQ(counts_of(counted->groups), want) << where;
          EXPECT_EQ(counted->total_groups, static_cast<int64_t>(want.size()));
          // Largest first, then by key, as counted.
          for (size_t g = 1; g < counted->groups.size(); ++g) {
            const CountGroup& a = counted->groups[g - 1];
            const CountGroup& b = counted->groups[g];
            EXPECT_TRUE(a.article_count > b.article_count ||
                        (a.article_count == b.article_count && a.key < b.key));
          }
        }
      }
    }
  };
  check("as added");

  // A later page counts the articles the first page saw, while more arrive.
  for (const auto& [start, end] : {ranges[0], ranges[7]}) {
    SearchRequest r;
    r.topics = {kTopics[0]};
    r.start_time = start;
    r.end_time = end;
    r.page_size = 5;
    r.facets = {{GroupBy::kEntity, 100}, {GroupBy::kSource, 100}};
    Counts entities, sources;
    expected(r, articles_.size(), &entities, &sources);
    absl::StatusOr<SearchResult> first = engine_.Search(r);
    ASSERT_THAT(first, IsOk());
    ASSERT_FALSE(first->next_page_token.empty());
    for (int i = 0; i < 60; ++i) AddRandom();
    r.page_token = first->next_page_token;
    absl::StatusOr<SearchResult> later = engine_.Search(r);
    ASSERT_THAT(later, IsOk());
    EXPECT_EQ(counts_of(later->facets[0].groups), entities);
    EXPECT_EQ(later->facets[0].total_groups, static_cast<int64_t>(entities.size()));
    EXPECT_EQ(counts_of(later->facets[1].groups), sources);
    Counts now_entities, now_sources;
    expected(r, articles_.size(), &now_entities, &now_sources);
    EXPECT_NE(now_entities, entities);  // the snapshot made a difference
  }
  check("after more arrived");

  // An alias change merges one entity into another in the articles indexed
  // and in those that follow.
  ASSERT_THAT(index_.ApplyAliasChange(index_.head() + 1, MergeOf(EntityId(1), EntityId(0))),
              IsOk());
  merged[EntityId(1)] = EntityId(0);
  check("after a merge");
  for (int i = 0; i < 30; ++i) AddRandom();
  check("after a merge and more articles");

  // Topic updates move articles from topic to topic.
  for (int u = 0; u < 40; ++u) {
    const size_t i = rng_() % articles_.size();
    TopicUpdate update;
    update.article_id = articles_[i]->id;
    update.taxonomy_version = "t";
    Truth& truth = truths_[i];
    truth.topic_codes.clear();
    truth.assigned_codes.clear();
    for (int k = 0; k < static_cast<int>(rng_() % 3); ++k) {
      const std::string& code = kTopics[rng_() % kTopics.size()];
      update.topics.push_back(ArticleTopic{code, "", 0.5, false});
      truth.assigned_codes.insert(code);
      truth.topic_codes.insert(code);
      for (const std::string& up : taxonomy_->Ancestors(code)) truth.topic_codes.insert(up);
    }
    ASSERT_THAT(index_.UpdateTopics(index_.head() + 1, update), IsOk());
  }
  check("after topic updates");
}

// The time series and count of one entity alone, or in a publication-time
// range, are read from the days the entity keeps once it has 40 articles
// (before that, counted over its matches): they agree with brute force for
// every entity, by day, week and month and without buckets, for ranges on
// day boundaries, a nanosecond off them, inside one day, across two partial
// days and open on either side, in CountArticles and in Search's total,
// and after an alias merge moves articles from one entity to another.
TEST_F(QueryEngineOracleTest, SeriesOfOneEntityMatchBruteForceThroughChanges) {
  for (int i = 0; i < 200; ++i) AddRandom();
  const absl::Duration ns = absl::Nanoseconds(1);
  using Range = std::pair<std::optional<absl::Time>, std::optional<absl::Time>>;
  const std::vector<Range> ranges = {
      {std::nullopt, std::nullopt},
      {Day(10), Day(40)},
      {Day(10) - ns, Day(40) + ns},
      {Day(10) + ns, Day(40) - ns},
      {Day(12) + absl::Hours(3), Day(12) + absl::Hours(13)},  // inside one day
      {Day(12) + absl::Hours(13), Day(13) + absl::Hours(7)},  // two partial days
      {std::nullopt, Day(33) + absl::Hours(5)},
      {Day(27) + absl::Hours(17), std::nullopt},
  };
  std::map<std::string, std::string> merged;  // entity id -> the id it was merged into
  auto check = [&](const std::string& what) {
    for (int k = 0; k < kEntities; ++k) {
      // A merged id resolves to the entity it was merged into.
      const std::string entity = EntityId(k);
      const std::string target = merged.count(entity) ? merged[entity] : entity;
      for (const auto& [start, end] : ranges) {
        const std::string where =
            absl::StrCat(what, " ", entity, " ", start ? absl::FormatTime(*start) : "-", "..",
                         end ? absl::FormatTime(*end) : "-");
        std::vector<size_t> matching;
        for (size_t i = 0; i < articles_.size(); ++i) {
          bool names = false;
          for (const std::string& e : truths_[i].entities) {
            names = names || (merged.count(e) ? merged[e] : e) == target;
          }
          const Article& a = *articles_[i];
          if (!names) continue;
          if ((start || end) &&
              (!a.publish_time.known() || (start && a.publish_time.time < *start) ||
               (end && a.publish_time.time >= *end))) {
            continue;
          }
          matching.push_back(i);
        }
        for (const Interval interval :
             {Interval::kNone, Interval::kDay, Interval::kWeek, Interval::kMonth}) {
          std::map<absl::Time, int64_t> want;
          for (const size_t i : matching) {
            const Article& a = *articles_[i];
            if (interval != Interval::kNone && a.publish_time.known()) {
              ++want[BucketStart(a.publish_time.time, interval)];
            }
          }
          CountRequest c;
          c.filter.any_entities = {entity};
          c.filter.start_time = start;
          c.filter.end_time = end;
          c.interval = interval;
          absl::StatusOr<CountResult> counted = engine_.CountArticles(c);
          ASSERT_THAT(counted, IsOk()) << where;
          EXPECT_EQ(counted->total_size, static_cast<int64_t>(matching.size())) << where;
          std::map<absl::Time, int64_t> got;
          for (const CountGroup& g : counted->groups) {
            EXPECT_EQ(g.article_count, static_cast<int64_t>(matching.size())) << where;
            for (const CountBucket& b : g.buckets) {
              if (b.article_count != 0) got[b.start] += b.article_count;
            }
          }
          EXPECT_EQ(got, want) << where << " interval " << static_cast<int>(interval);
        }
        SearchRequest r;
        r.any_entities = {entity};
        r.start_time = start;
        r.end_time = end;
        r.page_size = 5;
        absl::StatusOr<SearchResult> result = engine_.Search(r);
        ASSERT_THAT(result, IsOk()) << where;
        EXPECT_EQ(result->total_size, static_cast<int64_t>(matching.size())) << where;
      }
    }
  };
  check("as added");
  for (int i = 0; i < 200; ++i) AddRandom();
  check("more added");

  ASSERT_THAT(index_.ApplyAliasChange(index_.head() + 1, MergeOf(EntityId(1), EntityId(0))),
              IsOk());
  merged[EntityId(1)] = EntityId(0);
  check("after a merge");
  for (int i = 0; i < 30; ++i) AddRandom();
  check("after a merge and more articles");
}

TEST_F(QueryEngineOracleTest, FacetsAreValidated) {
  AddRandom();
  SearchRequest r;
  r.facets = {{GroupBy::kNone, 0}};
  absl::Status status = engine_.Search(r).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(status), "facets[0].group_by");
  r.facets = {{GroupBy::kTopic, 0}, {GroupBy::kTopic, 3}};
  EXPECT_EQ(FieldOf(engine_.Search(r).status()), "facets[1].group_by");
  r.facets = {{GroupBy::kTopic, -1}};
  EXPECT_EQ(FieldOf(engine_.Search(r).status()), "facets[0].max_groups");
  r.facets.clear();
  r.histogram_interval = Interval::kDay;
  r.start_time = absl::FromUnixSeconds(0);
  r.end_time = Day(10000);
  EXPECT_THAT(engine_.Search(r),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("buckets")));
}

TEST_F(QueryEngineOracleTest, PagesStayCorrectWhileArticlesArriveInEveryOrder) {
  for (int i = 0; i < 300; ++i) AddRandom();
  for (const SortOrder order :
       {SortOrder::kPublishTimeDesc, SortOrder::kPublishTimeAsc, SortOrder::kRelevance}) {
    for (int q = 0; q < 20; ++q) {
      SearchRequest r = RandomRequest();
      r.order = order;
      r.page_size = 1 + static_cast<int>(rng_() % 20);
      const size_t before = articles_.size();
      const std::string what = Describe(r);
      // Between the first pages, articles dated before, inside and after the
      // pages read so far arrive; they are not part of this listing.
      std::vector<SearchMatch> got = AllPages(r, [this](int page) {
        if (page >= 10) return;
        AddRandom(0);
        AddRandom(59);
        AddRandom(static_cast<int>(rng_() % 60));
      });
      Check(r, got, before, what);
      // A new listing sees them.
      r.page_token.clear();
      Check(r, AllPages(r), articles_.size(), what + " (fresh)");
    }
  }
}

TEST_F(QueryEngineOracleTest, PagesThroughFiftyThousandArticlesWithoutALimit) {
  for (int i = 0; i < 50000; ++i) AddRandom();
  for (const SortOrder order : {SortOrder::kPublishTimeDesc, SortOrder::kPublishTimeAsc}) {
    SearchRequest r;
    r.order = order;
    r.page_size = 1000;
    std::vector<SearchMatch> got = AllPages(r);
    ASSERT_EQ(got.size(), 50000u);
    Check(r, got, articles_.size(), "all");
  }
  // Deep into a filtered listing, one article at a time would be slow in a
  // test; 200 per page reaches the end of a large filtered set.
  SearchRequest by_entity;
  by_entity.any_entities = {EntityId(1), EntityId(2)};
  by_entity.none_entities = {EntityId(3)};
  by_entity.page_size = 200;
  std::vector<SearchMatch> got = AllPages(by_entity);
  EXPECT_GT(got.size(), 5000u);
  Check(by_entity, got, articles_.size(), "entities");
}

TEST_F(QueryEngineOracleTest, ChangedOrForeignTokensNameThePageTokenField) {
  for (int i = 0; i < 50; ++i) AddRandom();
  SearchRequest r;
  r.page_size = 5;
  absl::StatusOr<SearchResult> first = engine_.Search(r);
  ASSERT_THAT(first, IsOk());
  const std::string token = first->next_page_token;
  ASSERT_FALSE(token.empty());

  // Every single-character change of the token is refused (but for the
  // last character, part of whose bits base64 leaves unused).
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t pos = 0; pos + 1 < token.size(); ++pos) {
    std::string changed = token;
    changed[pos] = alphabet[(alphabet.find(token[pos]) + 1 + pos % 63) % alphabet.size()];
    r.page_token = changed;
    const absl::Status status = engine_.Search(r).status();
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << pos;
    EXPECT_EQ(FieldOf(status), "page_token");
  }
  for (const std::string& bad : {std::string("garbage"), token.substr(0, token.size() / 2),
                                token + "AA", std::string(5000, 'A')}) {
    r.page_token = bad;
    EXPECT_EQ(FieldOf(engine_.Search(r).status()), "page_token");
  }
  // The token of another request: other filter, other order.
  SearchRequest other = r;
  other.page_token = token;
  other.sources = {"bbc"};
  EXPECT_EQ(FieldOf(engine_.Search(other).status()), "page_token");
  other = r;
  other.page_token = token;
  other.order = SortOrder::kPublishTimeAsc;
  EXPECT_EQ(FieldOf(engine_.Search(other).status()), "page_token");
  // The same request, and the same request with facets, continue.
  r.page_token = token;
  EXPECT_THAT(engine_.Search(r), IsOk());
  r.facets = {{GroupBy::kSource, 0}};
  EXPECT_THAT(engine_.Search(r), IsOk());
}

// A caller may forge any token, checksum included (it is no secret): with
// the fields of a token of their own request changed at random, a search
// either refuses the token or answers within the caller's filter, never an
// article outside it. A token of another request stays refused however its
// cursor is set.
TEST_F(QueryEngineOracleTest, ForgedTokensNeverReturnArticlesOutsideTheFilter) {
  for (int i = 0; i < 400; ++i) AddRandom();
  // The raw layout of a token: version, fingerprint, snapshot, has_time,
  // time, score, count, sequence, key, then an FNV checksum of the rest.
  auto reseal = [](std::string raw) {
    const uint64_t checksum = Fingerprint().Add(raw).value();
    for (int i = 0; i < 8; ++i) raw.push_back(static_cast<char>((checksum >> (8 * i)) & 0xff));
    std::string encoded;
    absl::WebSafeBase64Escape(raw, &encoded);
    return encoded;
  };
  auto put = [](std::string* raw, size_t at, uint64_t v) {
    for (int i = 0; i < 8; ++i) (*raw)[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
  };
  int answered = 0;
  for (int q = 0; q < 60; ++q) {
    SearchRequest r = RandomRequest();
    r.page_size = 3;
    absl::StatusOr<SearchResult> first = engine_.Search(r);
    ASSERT_THAT(first, IsOk());
    if (first->next_page_token.empty()) continue;
    std::string raw;
    ASSERT_TRUE(absl::WebSafeBase64Unescape(first->next_page_token, &raw));
    raw.resize(raw.size() - 8);  // the checksum
    absl::flat_hash_map<std::string, size_t> index_of;
    for (size_t i = 0; i < articles_.size(); ++i) index_of[articles_[i]->id] = i;
    for (int f = 0; f < 20; ++f) {
      std::string forged = raw;
      auto value = [this]() -> uint64_t {
        switch (rng_() % 4) {
          case 0: return rng_() % 1000;
          case 1: return static_cast<uint64_t>(absl::ToUnixNanos(Day(rng_() % 60)));
          case 2: return ~uint64_t{0} - rng_() % 3;  // -1, -2, -3
          default: return (uint64_t{rng_()} << 32) | rng_();
        }
      };
      put(&forged, 9, value());                 // snapshot
      forged[17] = static_cast<char>(rng_() % 3);  // has_time
      put(&forged, 18, value());                // time
      const double score = static_cast<double>(static_cast<int>(rng_() % 7) - 3);
      uint64_t score_bits;
      std::memcpy(&score_bits, &score, sizeof(score));
      put(&forged, 26, score_bits);             // score
      put(&forged, 34, value());                // count
      put(&forged, 42, value());                // sequence
      r.page_token = reseal(forged);
      absl::StatusOr<SearchResult> result = engine_.Search(r);
      if (!result.ok()) {
        EXPECT_THAT(result.status(), StatusIs(absl::StatusCode::kInvalidArgument));
        EXPECT_EQ(FieldOf(result.status()), "page_token");
        continue;
      }
      ++answered;
      EXPECT_LE(result->matches.size(), 3u);
      for (const SearchMatch& m : result->matches) {
        ASSERT_TRUE(index_of.contains(m.article->id));
        EXPECT_TRUE(Matches(r, index_of[m.article->id])) << Describe(r) << " " << m.article->id;
      }
      // The same forgery under another request's fingerprint is refused.
      std::string foreign = forged;
      put(&foreign, 1, Fingerprint().Add("another request").value());
      r.page_token = reseal(foreign);
      EXPECT_EQ(FieldOf(engine_.Search(r).status()), "page_token");
    }
  }
  EXPECT_GT(answered, 100);  // forgeries with sane fields are read, not all refused
}

}  // namespace
}  // namespace newsdesk::query
