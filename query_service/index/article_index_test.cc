#include "query_service/index/article_index.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/status/status_macros.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

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
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::string LowerKey(absl::string_view s) { return absl::AsciiStrToLower(s); }

constexpr char kTaxonomy[] =
    "qcode\tparent\tlevel\tretired\tlabel\tdef\n"
    "medtop:11000000\t\t1\t0\tpolitics and government\t\n"
    "medtop:20000638\tmedtop:11000000\t2\t0\tinternational relations\t\n"
    "medtop:20000639\tmedtop:20000638\t3\t0\tdiplomacy\t\n"
    "medtop:15000000\t\t1\t0\tsport\t\n";

class ArticleIndexTest : public ::testing::Test {
 protected:
  ArticleIndexTest()
      : taxonomy_(*Taxonomy::LoadFromString(kTaxonomy, "test")),
        index_(taxonomy_.get(), &LowerKey) {}

  // Adds article `seq` published on day `day` of March 2023 (0: unknown).
  void AddArticle(int64_t seq, int day, std::vector<std::string> entity_ids,
                  std::string topic = "", std::string source = "", std::string body = "") {
    Article a;
    a.id = absl::StrCat("id", seq);
    a.log_sequence = seq;
    a.title = absl::StrCat("Title ", seq);
    a.paragraphs = {body.empty() ? "Plain body." : body};
    a.source = source;
    if (day > 0) {
      a.publish_time.precision = TimePrecision::kDay;
      a.publish_time.time = absl::FromCivil(absl::CivilDay(2023, 3, day), absl::UTCTimeZone());
    }
    for (const std::string& id : entity_ids) {
      a.entities.push_back(ArticleEntity{id, id, EntityType::kPerson, 1, {id + " Spelling"}, true});
    }
    if (!topic.empty()) a.topics.push_back(ArticleTopic{topic, "", 0.9, false});
    ASSERT_THAT(index_.Add(std::make_shared<const Article>(std::move(a))), IsOk());
  }

  static std::vector<int64_t> Sequences(const SearchPage& page) {
    std::vector<int64_t> out;
    for (const Hit& h : page.hits) out.push_back(h.stored.log_sequence);
    return out;
  }

  std::unique_ptr<Taxonomy> taxonomy_;
  ArticleIndex index_;
};

TEST_F(ArticleIndexTest, AddIsIdempotentAndRejectsGaps) {
  AddArticle(1, 1, {"a"});
  AddArticle(1, 1, {"a"});  // replayed: no change
  EXPECT_EQ(index_.head(), 1);
  Article gap;
  gap.id = "gap";
  gap.log_sequence = 3;
  EXPECT_THAT(index_.Add(std::make_shared<const Article>(gap)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  IndexQuery q;
  q.entity_groups = {{"a"}};
  EXPECT_EQ(index_.Search(q, nullptr, 10, 0).value().total_size, 1);
}

TEST_F(ArticleIndexTest, ABitmapWordThatBecameRareGoesBackToAListAsTheIndexDoubles) {
  // "comet" in each of the first 300 articles: a bitmap (more than 1/32).
  int64_t seq = 0;
  while (seq < 300) AddArticle(++seq, 1, {}, "", "", "Comet sighting.");
  EXPECT_EQ(index_.Memory().word_bitmaps, 3);  // "comet", "sighting", "title"
  // Then "plain body." in every article: two more bitmaps. "comet" and
  // "sighting" fall under 1/64 of the articles once the index doubles to
  // 32,768, and only then go back to lists.
  while (seq < 32767) AddArticle(++seq, 1, {});
  EXPECT_EQ(index_.Memory().word_bitmaps, 5);
  AddArticle(++seq, 1, {});
  EXPECT_EQ(index_.Memory().word_bitmaps, 3);
  IndexQuery q;
  q.words = {"comet"};
  EXPECT_EQ(index_.Search(q, nullptr, 10, 0).value().total_size, 300);
}

TEST_F(ArticleIndexTest, SizesCountDistinctEntitiesAndTopicsWithAncestors) {
  EXPECT_EQ(index_.sizes().entities, 0);
  AddArticle(1, 1, {"a", "b"}, "medtop:20000639");
  AddArticle(2, 2, {"b"}, "medtop:15000000");
  EXPECT_EQ(index_.sizes().entities, 2);
  EXPECT_EQ(index_.sizes().topics, 4);  // diplomacy and its two ancestors, sport
}

TEST_F(ArticleIndexTest, TopicUpdatesMoveAnArticleBetweenTopicsOnce) {
  AddArticle(1, 1, {"a"}, "medtop:20000639");  // diplomacy
  AddArticle(2, 2, {"b"}, "medtop:20000639");
  AddArticle(3, 3, {"c"}, "medtop:15000000");
  const TopicUpdate update{"id1",
                           {ArticleTopic{"medtop:15000000", "sport", 0.8, false}},
                           "release-b"};
  ASSERT_THAT(index_.Apply(LogEntry{4, std::nullopt, std::nullopt, update}), IsOk());
  EXPECT_EQ(index_.head(), 4);
  EXPECT_EQ(index_.sizes().articles, 3);
  EXPECT_EQ(index_.Get("id1").value()->topics, update.topics);
  EXPECT_EQ(index_.Get("id1").value()->taxonomy_version, "release-b");

  auto topic = [this](std::string code, bool exact) {
    IndexQuery q;
    q.has_topic_condition = true;
    q.topic_codes = {std::move(code)};
    q.exact_topics = exact;
    q.order = SortOrder::kPublishTimeAsc;
    return Sequences(index_.Search(q, nullptr, 10, 0).value());
  };
  EXPECT_THAT(topic("medtop:15000000", false), ElementsAre(1, 3));
  EXPECT_THAT(topic("medtop:15000000", true), ElementsAre(1, 3));
  EXPECT_THAT(topic("medtop:20000639", true), ElementsAre(2));
  EXPECT_THAT(topic("medtop:11000000", false), ElementsAre(2));  // ancestor left too

  // Replayed: nothing changes; a gap is refused; an unknown article only
  // advances the head.
  ASSERT_THAT(index_.Apply(LogEntry{4, std::nullopt, std::nullopt, update}), IsOk());
  EXPECT_THAT(topic("medtop:15000000", false), ElementsAre(1, 3));
  EXPECT_THAT(index_.UpdateTopics(9, update), StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_THAT(index_.UpdateTopics(5, TopicUpdate{"unknown", {}, "release-b"}), IsOk());
  EXPECT_EQ(index_.head(), 5);
  // Articles keep coming after updates.
  AddArticle(6, 4, {"d"}, "medtop:20000639");
  EXPECT_THAT(topic("medtop:20000639", false), ElementsAre(2, 6));
  EXPECT_EQ(index_.sizes().articles, 4);
  // Back to diplomacy: the postings stay sorted.
  ASSERT_THAT(index_.UpdateTopics(
                  7, TopicUpdate{"id1",
                                 {ArticleTopic{"medtop:20000639", "diplomacy", 0.6, false}},
                                 "release-c"}),
              IsOk());
  EXPECT_THAT(topic("medtop:20000639", false), ElementsAre(1, 2, 6));
  EXPECT_THAT(topic("medtop:15000000", false), ElementsAre(3));
}

// With hit_topics a hit carries the article's own topics that satisfy a
// requested one (which of them by index), assigned ones first, each in the
// article's order, implied ones marked, and an implied topic also assigned
// once as assigned; they follow topic updates.
TEST_F(ArticleIndexTest, HitsCarryTheirArticlesTopicsThatSatisfyTheQuery) {
  Article a;
  a.id = "id1";
  a.log_sequence = 1;
  a.topics = {ArticleTopic{"medtop:11000000", "politics", 0.5, true},
              ArticleTopic{"medtop:15000000", "sport", 0.4, false},
              ArticleTopic{"medtop:20000639", "diplomacy", 0.9, false},
              ArticleTopic{"medtop:20000638", "international relations", 0.9, true},
              ArticleTopic{"medtop:15000000", "sport", 0.4, true}};
  ASSERT_THAT(index_.Add(std::make_shared<const Article>(std::move(a))), IsOk());
  IndexQuery q;
  q.has_topic_condition = true;
  // An unknown code first: the indexes count it.
  q.topic_codes = {"medtop:04000000", "medtop:11000000", "medtop:15000000"};
  q.hit_topics = true;
  auto topics = [&]() {
    std::vector<std::string> out;
    SearchPage page = index_.Search(q, nullptr, 10, 0).value();
    EXPECT_EQ(page.hits.size(), 1u);
    for (const Hit& hit : page.hits) {
      EXPECT_EQ(hit.article_id, "id1");
      for (const HitTopic& t : hit.topics) {
        out.push_back(absl::StrCat(t.code, t.implied ? " implied" : "", " ",
                                   absl::StrJoin(t.satisfies, ",")));
      }
    }
    return out;
  };
  EXPECT_THAT(topics(), ElementsAre("medtop:15000000 2", "medtop:20000639 1",
                                    "medtop:11000000 implied 1",
                                    "medtop:20000638 implied 1"));
  q.hit_topics = false;
  EXPECT_THAT(topics(), ElementsAre());

  q.hit_topics = true;
  ASSERT_THAT(index_.UpdateTopics(2, TopicUpdate{"id1",
                                                 {ArticleTopic{"medtop:20000638", "", 1, false},
                                                  ArticleTopic{"medtop:15000000", "", 1, true}},
                                                 "r"}),
              IsOk());
  EXPECT_THAT(topics(), ElementsAre("medtop:20000638 1", "medtop:15000000 implied 2"));
}

// Each article's groups live in one shared buffer; an update that needs a
// longer run moves it to the end and the runs left behind are dropped from
// time to time. Counting sees every article's groups as they are now.
TEST_F(ArticleIndexTest, CountedGroupsFollowTopicUpdatesAsRunsMoveAndCompact) {
  const std::vector<std::string> codes = {"medtop:20000639", "medtop:15000000", ""};
  std::map<int64_t, std::string> topic_of;  // by sequence: the assigned code
  int64_t seq = 0;
  for (int i = 0; i < 30; ++i) {
    ++seq;
    AddArticle(seq, 1 + i % 28, {absl::StrCat("e", i % 4), absl::StrCat("f", i % 3)},
               codes[i % 3]);
    topic_of[seq] = codes[i % 3];
  }
  // Rounds of updates: longer runs (diplomacy has two ancestors), shorter
  // ones, none.
  for (int round = 0; round < 6; ++round) {
    for (int i = 0; i < 30; i += 1 + round % 3) {
      const std::string& code = codes[(i + round + 1) % 3];
      TopicUpdate update{absl::StrCat("id", i + 1), {}, "r"};
      if (!code.empty()) update.topics.push_back(ArticleTopic{code, "", 0.5, false});
      ASSERT_THAT(index_.UpdateTopics(++seq, update), IsOk());
      topic_of[i + 1] = code;
    }
  }
  auto names = [this](GroupBy by, absl::Span<const uint32_t> ids) {
    std::vector<std::string> out;
    for (const GroupName& n :
         index_.GroupNames(by, std::vector<uint32_t>(ids.begin(), ids.end()))) {
      out.push_back(n.key);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  // Copied during the visit, named after it (a visit must not call back).
  struct Seen {
    int64_t sequence;
    std::vector<uint32_t> entities, topics;
  };
  std::vector<Seen> seen;
  index_.ForEachMatch(IndexQuery{}, [&](const MatchedDoc& doc) {
    seen.push_back({doc.sequence,
                    {doc.entities.begin(), doc.entities.end()},
                    {doc.topics.begin(), doc.topics.end()}});
  });
  const int visited = static_cast<int>(seen.size());
  for (const Seen& doc : seen) {
    const int i = static_cast<int>(doc.sequence) - 1;
    std::vector<std::string> entities = {absl::StrCat("e", i % 4),
                                         absl::StrCat("f", i % 3)};
    std::sort(entities.begin(), entities.end());
    EXPECT_EQ(names(GroupBy::kEntity, doc.entities), entities) << doc.sequence;
    std::vector<std::string> topics;
    const std::string& code = topic_of[doc.sequence];
    if (code == "medtop:20000639") {
      topics = {"medtop:11000000", "medtop:20000638", "medtop:20000639"};
    } else if (!code.empty()) {
      topics = {code};
    }
    EXPECT_EQ(names(GroupBy::kTopic, doc.topics), topics) << doc.sequence;
  }
  EXPECT_EQ(visited, 30);
}

TEST_F(ArticleIndexTest, EntityGroupsCombineAnyOfAndAllOf) {
  AddArticle(1, 1, {"a"});
  AddArticle(2, 2, {"a", "b"});
  AddArticle(3, 3, {"b", "c"});
  IndexQuery any;
  any.entity_groups = {{"a", "c"}};
  EXPECT_THAT(Sequences(index_.Search(any, nullptr, 10, 0).value()),
              ElementsAre(3, 2, 1));
  IndexQuery all;
  all.entity_groups = {{"a"}, {"b"}};
  EXPECT_THAT(Sequences(index_.Search(all, nullptr, 10, 0).value()), ElementsAre(2));
  IndexQuery unknown;
  unknown.entity_groups = {{}};
  EXPECT_EQ(index_.Search(unknown, nullptr, 10, 0).value().total_size, 0);
}

TEST_F(ArticleIndexTest, TimeRangeIsHalfOpenAndSkipsUnknownTimes) {
  AddArticle(1, 1, {});
  AddArticle(2, 2, {});
  AddArticle(3, 0, {});
  AddArticle(4, 3, {});
  IndexQuery q;
  q.start_time = absl::FromCivil(absl::CivilDay(2023, 3, 2), absl::UTCTimeZone());
  q.end_time = absl::FromCivil(absl::CivilDay(2023, 3, 3), absl::UTCTimeZone());
  EXPECT_THAT(Sequences(index_.Search(q, nullptr, 10, 0).value()), ElementsAre(2));
  IndexQuery open_end;
  open_end.start_time = q.start_time;
  EXPECT_THAT(Sequences(index_.Search(open_end, nullptr, 10, 0).value()),
              ElementsAre(4, 2));
}

TEST_F(ArticleIndexTest, TopicsMatchDescendantsSourcesAndWords) {
  AddArticle(1, 1, {}, "medtop:20000639", "Reuters", "Peace talks in Beijing.");
  AddArticle(2, 2, {}, "medtop:15000000", "AP", "Football results.");
  IndexQuery politics;
  politics.has_topic_condition = true;
  politics.topic_codes = {"medtop:11000000"};
  EXPECT_THAT(Sequences(index_.Search(politics, nullptr, 10, 0).value()), ElementsAre(1));
  IndexQuery source;
  source.sources = {"ap"};
  EXPECT_THAT(Sequences(index_.Search(source, nullptr, 10, 0).value()), ElementsAre(2));
  IndexQuery words;
  words.words = {"peace", "beijing"};
  EXPECT_THAT(Sequences(index_.Search(words, nullptr, 10, 0).value()), ElementsAre(1));
  words.words = {"peace", "football"};
  EXPECT_EQ(index_.Search(words, nullptr, 10, 0).value().total_size, 0);
}

TEST_F(ArticleIndexTest, ExactTopicsAndKeyPhrases) {
  AddArticle(1, 1, {}, "medtop:20000639");
  AddArticle(2, 2, {}, "medtop:20000638");
  IndexQuery relations;
  relations.has_topic_condition = true;
  relations.topic_codes = {"medtop:20000638"};
  EXPECT_THAT(Sequences(index_.Search(relations, nullptr, 10, 0).value()),
              ElementsAre(2, 1));
  relations.exact_topics = true;
  EXPECT_THAT(Sequences(index_.Search(relations, nullptr, 10, 0).value()),
              ElementsAre(2));

  Article a;
  a.id = "id3";
  a.log_sequence = 3;
  a.key_phrases = {"peace talks", "grain deal"};
  ASSERT_THAT(index_.Add(std::make_shared<const Article>(std::move(a))), IsOk());
  IndexQuery phrases;
  phrases.key_phrases = {ArticleIndex::KeyPhraseKey("Grain-Deal"), "no such phrase"};
  EXPECT_THAT(Sequences(index_.Search(phrases, nullptr, 10, 0).value()), ElementsAre(3));
  phrases.key_phrases = {"grain"};
  EXPECT_EQ(index_.Search(phrases, nullptr, 10, 0).value().total_size, 0);
}

TEST_F(ArticleIndexTest, ForEachMatchVisitsEveryMatch) {
  AddArticle(1, 1, {"x"});
  AddArticle(2, 5, {"x"});
  AddArticle(3, 0, {"y"});
  IndexQuery q;
  std::vector<int64_t> seen;
  index_.ForEachMatch(q, [&](const MatchedDoc& d) { seen.push_back(d.sequence); });
  EXPECT_THAT(seen, UnorderedElementsAre(1, 2, 3));
  q.start_time = absl::FromCivil(absl::CivilDay(2023, 3, 2), absl::UTCTimeZone());
  seen.clear();
  index_.ForEachMatch(q, [&](const MatchedDoc& d) { seen.push_back(d.sequence); });
  EXPECT_THAT(seen, ElementsAre(2));
}

// The counts kept per topic answer a query of one topic (with its
// descendants) and nothing else, grouped by entity or source, at any
// snapshot; a topic update moves an article's groups to its new topics.
TEST_F(ArticleIndexTest, KeptGroupCountsOfOneTopic) {
  AddArticle(1, 1, {"x", "y"}, "medtop:20000639", "Reuters");
  AddArticle(2, 2, {"x"}, "medtop:20000638", "BBC");
  AddArticle(3, 3, {"y"}, "medtop:15000000", "Reuters");
  AddArticle(4, 4, {"x"}, "medtop:11000000");
  auto named = [this](GroupBy group_by, const ArticleIndex::KeptCounts& kept) {
    std::vector<GroupName> names;
    std::vector<uint32_t> ids;
    for (const auto& [id, n] : kept.groups) ids.push_back(id);
    names = index_.GroupNames(group_by, ids);
    std::map<std::string, int64_t> out;
    for (size_t i = 0; i < ids.size(); ++i) out[names[i].key] = kept.groups[i].second;
    return out;
  };
  using M = std::map<std::string, int64_t>;
  IndexQuery q;
  q.has_topic_condition = true;
  q.topic_codes = {"medtop:11000000"};
  std::optional<ArticleIndex::KeptCounts> kept =
      index_.KeptGroupCounts(q, GroupBy::kEntity, 0);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->articles, 3);
  EXPECT_EQ(named(GroupBy::kEntity, *kept), (M{{"x", 3}, {"y", 1}}));
  kept = index_.KeptGroupCounts(q, GroupBy::kSource, 0);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(named(GroupBy::kSource, *kept), (M{{"bbc", 1}, {"reuters", 1}}));
  // Over the first two articles only.
  kept = index_.KeptGroupCounts(q, GroupBy::kEntity, 2);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->articles, 2);
  EXPECT_EQ(named(GroupBy::kEntity, *kept), (M{{"x", 2}, {"y", 1}}));
  // A topic no article has.
  q.topic_codes = {"medtop:99999999"};
  kept = index_.KeptGroupCounts(q, GroupBy::kEntity, 0);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->articles, 0);
  EXPECT_THAT(kept->groups, IsEmpty());

  // Anything beyond one topic, and other groups, are counted by the caller.
  q.topic_codes = {"medtop:11000000"};
  EXPECT_FALSE(index_.KeptGroupCounts(q, GroupBy::kTopic, 0).has_value());
  EXPECT_FALSE(index_.KeptGroupCounts(q, GroupBy::kStory, 0).has_value());
  IndexQuery exact = q;
  exact.exact_topics = true;
  EXPECT_FALSE(index_.KeptGroupCounts(exact, GroupBy::kEntity, 0).has_value());
  IndexQuery two = q;
  two.topic_codes.push_back("medtop:15000000");
  EXPECT_FALSE(index_.KeptGroupCounts(two, GroupBy::kEntity, 0).has_value());
  IndexQuery worded = q;
  worded.words = {"plain"};
  EXPECT_FALSE(index_.KeptGroupCounts(worded, GroupBy::kEntity, 0).has_value());
  IndexQuery without = q;
  without.excluded_entities = {"y"};
  EXPECT_FALSE(index_.KeptGroupCounts(without, GroupBy::kEntity, 0).has_value());
  IndexQuery collapsed = q;
  collapsed.collapse_copies = true;
  EXPECT_FALSE(index_.KeptGroupCounts(collapsed, GroupBy::kEntity, 0).has_value());
  EXPECT_FALSE(index_.KeptGroupCounts(IndexQuery{}, GroupBy::kEntity, 0).has_value());

  // Article 1 moves to sport.
  TopicUpdate update;
  update.article_id = "id1";
  update.topics = {ArticleTopic{"medtop:15000000", "", 0.9, false}};
  ASSERT_THAT(index_.UpdateTopics(5, update), IsOk());
  kept = index_.KeptGroupCounts(q, GroupBy::kEntity, 0);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->articles, 2);
  EXPECT_EQ(named(GroupBy::kEntity, *kept), (M{{"x", 2}}));
  q.topic_codes = {"medtop:15000000"};
  kept = index_.KeptGroupCounts(q, GroupBy::kSource, 0);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(named(GroupBy::kSource, *kept), (M{{"reuters", 2}}));
}

// With a publication-time range the kept counts are the months wholly
// inside it added up and the docs of the partial months at its ends counted
// (or, for a topic too small to keep months, its docs in the range counted):
// they equal brute force for ranges on month boundaries, a nanosecond off
// them, inside one month, across two partial months, over many months and
// open on either side; at a snapshot; for topics that keep months from the
// start, from a point on, or never; after topic updates and an alias merge.
TEST(ArticleIndexKeptCountsTest, RangesMatchBruteForceThroughChanges) {
  const std::unique_ptr<Taxonomy> taxonomy = *Taxonomy::LoadFromString(kTaxonomy, "test");
  const std::vector<std::string> codes = {"medtop:11000000", "medtop:20000638", "medtop:20000639",
                                          "medtop:15000000"};
  const absl::TimeZone utc = absl::UTCTimeZone();
  auto month_start = [&utc](int m) { return absl::FromCivil(absl::CivilMonth(2023, 1) + m, utc); };
  using Range = std::pair<std::optional<absl::Time>, std::optional<absl::Time>>;
  const absl::Duration ns = absl::Nanoseconds(1);
  const std::vector<Range> ranges = {
      {month_start(1), month_start(4)},            // on boundaries
      {month_start(2) - ns, month_start(5) + ns},  // a nanosecond wider
      {month_start(2) + ns, month_start(5) - ns},  // a nanosecond narrower
      {month_start(3) + absl::Hours(30), month_start(3) + absl::Hours(400)},   // one month
      {month_start(3) + absl::Hours(300), month_start(4) + absl::Hours(100)},  // two partial
      {month_start(0) + absl::Hours(200), month_start(12) + absl::Hours(50)},  // many months
      {month_start(2), month_start(3)},                                        // one whole month
      {std::nullopt, month_start(6) + absl::Hours(70)},                        // open start
      {std::nullopt, month_start(6)},
      {month_start(7) + absl::Hours(90), std::nullopt},  // open end
      {month_start(7), std::nullopt},
      {month_start(5), month_start(5)},  // empty
  };
  for (const int min_docs : {0, 60, 1 << 20}) {
    SCOPED_TRACE(absl::StrCat("month_min_docs ", min_docs));
    ArticleIndex index(taxonomy.get(), &LowerKey, nullptr, nullptr, nullptr, LinkOptions{},
                       KeptCountsOptions{min_docs});
    std::mt19937 rng(20261201);
    auto pick = [&rng](int n) { return static_cast<int>(rng() % n); };
    struct Truth {
      std::optional<absl::Time> time;
      std::set<std::string> entities;
      std::set<std::string> topics;  // with ancestors
      std::string source;            // lower-case
    };
    std::vector<Truth> truths;
    std::map<std::string, std::string> merged;  // entity id -> the id merged into
    auto topics_of = [&](const std::vector<ArticleTopic>& topics) {
      std::set<std::string> out;
      for (const ArticleTopic& t : topics) {
        out.insert(t.code);
        for (const std::string& up : taxonomy->Ancestors(t.code)) out.insert(up);
      }
      return out;
    };
    auto add = [&]() {
      Article a;
      a.log_sequence = index.head() + 1;
      a.id = absl::StrCat("a", a.log_sequence);
      a.title = "Title";
      Truth truth;
      const int when = pick(10);
      if (when != 0) {
        a.publish_time.precision = TimePrecision::kMinute;
        const absl::Time month = month_start(pick(14));
        // Many at a month's first instant and just before it.
        a.publish_time.time = when == 1   ? month
                              : when == 2 ? month - ns
                                          : month + absl::Minutes(pick(31 * 24 * 60));
        truth.time = a.publish_time.time;
      }
      for (int i = 0; i < pick(4); ++i) {
        const std::string id = absl::StrCat("e", pick(8));
        if (!truth.entities.insert(id).second) continue;
        a.entities.push_back(ArticleEntity{id, id, EntityType::kPerson, 1, {id}, true});
      }
      for (int i = 0; i < 1 + pick(2); ++i) {
        a.topics.push_back(ArticleTopic{codes[pick(codes.size())], "", 0.9, false});
      }
      truth.topics = topics_of(a.topics);
      if (pick(4) != 0) a.source = absl::StrCat("Source", pick(3));
      truth.source = absl::AsciiStrToLower(a.source);
      truths.push_back(std::move(truth));
      ASSERT_THAT(index.Add(std::make_shared<const Article>(std::move(a))), IsOk());
    };
    auto named = [&index](GroupBy group_by, const ArticleIndex::KeptCounts& kept) {
      std::vector<uint32_t> ids;
      for (const auto& [id, n] : kept.groups) ids.push_back(id);
      const std::vector<GroupName> names = index.GroupNames(group_by, ids);
      std::map<std::string, int64_t> out;
      for (size_t i = 0; i < ids.size(); ++i) out[names[i].key] += kept.groups[i].second;
      return out;
    };
    auto check = [&](const std::string& what, int64_t snapshot) {
      const size_t docs = snapshot > 0 ? static_cast<size_t>(snapshot) : truths.size();
      for (const std::string& code : codes) {
        for (const Range& range : ranges) {
          IndexQuery q;
          q.has_topic_condition = true;
          q.topic_codes = {code};
          q.start_time = range.first;
          q.end_time = range.second;
          int64_t articles = 0;
          std::map<std::string, int64_t> entities, sources;
          for (size_t i = 0; i < docs; ++i) {
            const Truth& t = truths[i];
            if (!t.topics.count(code) || !t.time) continue;
            if ((range.first && *t.time < *range.first) ||
                (range.second && *t.time >= *range.second)) {
              continue;
            }
            ++articles;
            std::set<std::string> ids;
            for (const std::string& e : t.entities) ids.insert(merged.count(e) ? merged[e] : e);
            for (const std::string& e : ids) ++entities[e];
            if (!t.source.empty()) ++sources[t.source];
          }
          const std::string trace = absl::StrCat(
              what, " ", code, " ", range.first ? absl::FormatTime(*range.first) : "-", "..",
              range.second ? absl::FormatTime(*range.second) : "-", " snapshot ", snapshot);
          std::optional<ArticleIndex::KeptCounts> kept =
              index.KeptGroupCounts(q, GroupBy::kEntity, snapshot);
          ASSERT_TRUE(kept.has_value()) << trace;
          EXPECT_EQ(kept->articles, articles) << trace;
          EXPECT_EQ(named(GroupBy::kEntity, *kept), entities) << trace;
          kept = index.KeptGroupCounts(q, GroupBy::kSource, snapshot);
          ASSERT_TRUE(kept.has_value()) << trace;
          EXPECT_EQ(kept->articles, articles) << trace;
          EXPECT_EQ(named(GroupBy::kSource, *kept), sources) << trace;
        }
      }
    };
    for (int i = 0; i < 150; ++i) add();
    check("as added", 0);
    check("as added", 100);
    for (int i = 0; i < 150; ++i) add();
    check("more added", 0);
    check("more added", 170);

    // Topic updates move articles between topics (and so between months).
    for (int u = 0; u < 40; ++u) {
      const size_t i = static_cast<size_t>(pick(static_cast<int>(truths.size())));
      TopicUpdate update;
      update.article_id = absl::StrCat("a", i + 1);
      update.taxonomy_version = "test";
      for (int k = 0; k < pick(3); ++k) {
        update.topics.push_back(ArticleTopic{codes[pick(codes.size())], "", 0.9, false});
      }
      truths[i].topics = topics_of(update.topics);
      ASSERT_THAT(index.UpdateTopics(index.head() + 1, update), IsOk());
    }
    check("after topic updates", 0);
    check("after topic updates", 250);

    // An alias change merges e1 into e0 in the articles naming it.
    ASSERT_THAT(index.ApplyAliasChange(index.head() + 1, MergeOf("e1", "e0")), IsOk());
    merged["e1"] = "e0";
    check("after a merge", 0);
    for (int i = 0; i < 30; ++i) add();
    check("after a merge and more articles", 0);
    check("after a merge and more articles", 310);
  }
}

// An entity's kept days are its docs per UTC day: the days and the
// matching articles equal brute force for ranges on day boundaries, a
// nanosecond off them, inside one day, across two partial days, over many
// days and open on either side; at a snapshot; for entities that keep days
// from the start, from a point on, or never; after an alias merge moves
// docs from one entity to another. Search's total of one entity in a range
// is the same count.
TEST(ArticleIndexKeptDaysTest, DaysMatchBruteForceThroughChanges) {
  const std::unique_ptr<Taxonomy> taxonomy = *Taxonomy::LoadFromString(kTaxonomy, "test");
  const absl::Duration ns = absl::Nanoseconds(1);
  auto day_start = [](int d) { return absl::FromUnixSeconds(int64_t{19000 + d} * 86400); };
  using Range = std::pair<std::optional<absl::Time>, std::optional<absl::Time>>;
  const std::vector<Range> ranges = {
      {std::nullopt, std::nullopt},                                     // no range
      {day_start(3), day_start(9)},                                     // on boundaries
      {day_start(3) - ns, day_start(9) + ns},                           // a nanosecond wider
      {day_start(3) + ns, day_start(9) - ns},                           // narrower
      {day_start(5) + absl::Hours(2), day_start(5) + absl::Hours(20)},  // inside one day
      {day_start(5) + absl::Hours(20), day_start(6) + absl::Hours(3)},  // two partial days
      {day_start(0) + absl::Hours(7), day_start(19) + absl::Hours(5)},  // many days
      {std::nullopt, day_start(8) + absl::Hours(9)},                    // open start
      {day_start(12) + absl::Hours(1), std::nullopt},                   // open end
      {day_start(4), day_start(4)},                                     // empty
  };
  for (const int min_docs : {0, 40, 1 << 20}) {
    SCOPED_TRACE(absl::StrCat("entity_day_min_docs ", min_docs));
    KeptCountsOptions kept_options;
    kept_options.entity_day_min_docs = min_docs;
    ArticleIndex index(taxonomy.get(), &LowerKey, nullptr, nullptr, nullptr, LinkOptions{},
                       kept_options);
    std::mt19937 rng(20261202);
    auto pick = [&rng](int n) { return static_cast<int>(rng() % n); };
    struct Truth {
      std::optional<absl::Time> time;
      std::set<std::string> entities;
    };
    std::vector<Truth> truths;
    std::map<std::string, std::string> merged;  // entity id -> the id merged into
    auto add = [&]() {
      Article a;
      a.log_sequence = index.head() + 1;
      a.id = absl::StrCat("a", a.log_sequence);
      a.title = "Title";
      Truth truth;
      const int when = pick(10);
      if (when != 0) {
        a.publish_time.precision = TimePrecision::kMinute;
        const absl::Time day = day_start(pick(20));
        // Many at a day's first instant and just before it.
        a.publish_time.time = when == 1   ? day
                              : when == 2 ? day - ns
                                          : day + absl::Minutes(pick(24 * 60));
        truth.time = a.publish_time.time;
      }
      for (int i = 0; i < 1 + pick(3); ++i) {
        const std::string id = absl::StrCat("e", pick(4));
        if (!truth.entities.insert(id).second) continue;
        a.entities.push_back(ArticleEntity{id, id, EntityType::kPerson, 1, {id}, true});
      }
      truths.push_back(std::move(truth));
      ASSERT_THAT(index.Add(std::make_shared<const Article>(std::move(a))), IsOk());
    };
    int kept_answers = 0;
    auto check = [&](const std::string& what, int64_t snapshot) {
      const size_t docs = snapshot > 0 ? static_cast<size_t>(snapshot) : truths.size();
      for (const std::string entity : {"e0", "e1", "e2", "e3"}) {
        for (const Range& range : ranges) {
          IndexQuery q;
          q.entity_groups = {{entity}};
          q.start_time = range.first;
          q.end_time = range.second;
          int64_t articles = 0;
          std::map<int64_t, int64_t> days;
          for (size_t i = 0; i < docs; ++i) {
            const Truth& t = truths[i];
            bool names = false;
            for (const std::string& e : t.entities) {
              names = names || (merged.count(e) ? merged[e] : e) == entity;
            }
            if (!names) continue;
            if ((range.first || range.second) &&
                (!t.time || (range.first && *t.time < *range.first) ||
                 (range.second && *t.time >= *range.second))) {
              continue;
            }
            ++articles;
            if (t.time) ++days[DayCounts::DayOf(absl::ToUnixNanos(*t.time))];
          }
          const std::string trace = absl::StrCat(
              what, " ", entity, " ", range.first ? absl::FormatTime(*range.first) : "-", "..",
              range.second ? absl::FormatTime(*range.second) : "-", " snapshot ", snapshot);
          const std::optional<ArticleIndex::KeptDays> kept = index.KeptDayCounts(q, snapshot);
          if (min_docs == 0 && articles > 0) {
            ASSERT_TRUE(kept.has_value()) << trace;
          }
          if (min_docs == 1 << 20) {
            ASSERT_FALSE(kept.has_value()) << trace;
          }
          if (kept.has_value()) {
            ++kept_answers;
            EXPECT_EQ(kept->articles, articles) << trace;
            const std::map<int64_t, int64_t> kept_days(kept->days.begin(), kept->days.end());
            EXPECT_EQ(kept_days, days) << trace;
            for (size_t d = 1; d < kept->days.size(); ++d) {
              EXPECT_LT(kept->days[d - 1].first, kept->days[d].first) << trace;
            }
          }
          absl::StatusOr<SearchPage> page = index.Search(q, nullptr, 3, snapshot);
          ASSERT_THAT(page, IsOk());
          EXPECT_EQ(page->total_size, articles) << trace;
        }
      }
    };
    for (int i = 0; i < 120; ++i) add();
    check("as added", 0);
    check("as added", 90);
    for (int i = 0; i < 120; ++i) add();
    check("more added", 0);
    check("more added", 170);

    // An alias change merges e1 into e0 in the articles naming it.
    ASSERT_THAT(index.ApplyAliasChange(index.head() + 1, MergeOf("e1", "e0")), IsOk());
    merged["e1"] = "e0";
    check("after a merge", 0);
    for (int i = 0; i < 30; ++i) add();
    check("after a merge and more articles", 0);
    check("after a merge and more articles", 250);
    if (min_docs < (1 << 20)) {
      EXPECT_GT(kept_answers, 100);
    }
  }
}

TEST_F(ArticleIndexTest, NewestFirstWithUnknownTimesLastAndOldestFirst) {
  AddArticle(1, 5, {"x"});
  AddArticle(2, 0, {"x"});
  AddArticle(3, 9, {"x"});
  AddArticle(4, 5, {"x"});
  IndexQuery q;
  q.entity_groups = {{"x"}};
  EXPECT_THAT(Sequences(index_.Search(q, nullptr, 10, 0).value()),
              ElementsAre(3, 4, 1, 2));
  q.order = SortOrder::kPublishTimeAsc;
  EXPECT_THAT(Sequences(index_.Search(q, nullptr, 10, 0).value()),
              ElementsAre(1, 4, 3, 2));
}

TEST_F(ArticleIndexTest, CursorPagingNeverRepeatsOrSkipsWhileArticlesArrive) {
  for (int i = 1; i <= 25; ++i) AddArticle(i, 1 + i % 7, {"x"});
  IndexQuery q;
  q.entity_groups = {{"x"}};
  std::vector<int64_t> seen;
  SearchPage page = index_.Search(q, nullptr, 10, 0).value();
  const int64_t snapshot = page.snapshot;
  int next_new = 26;
  while (true) {
    for (const Hit& h : page.hits) seen.push_back(h.stored.log_sequence);
    // New matching articles arrive between pages, some sorting before and
    // some after the cursor.
    AddArticle(next_new, 1 + next_new % 7, {"x"});
    ++next_new;
    if (!page.more) break;
    const Hit& last = page.hits.back();
    Cursor cursor{last.has_time, last.time_ns, last.score, last.stored.log_sequence};
    page = index_.Search(q, &cursor, 10, snapshot).value();
    EXPECT_EQ(page.total_size, 25);
  }
  std::sort(seen.begin(), seen.end());
  ASSERT_EQ(seen.size(), 25u);
  for (int i = 0; i < 25; ++i) EXPECT_EQ(seen[i], i + 1);
}

TEST_F(ArticleIndexTest, EntitiesAreFoundBySpellingAndListedByCount) {
  AddArticle(1, 1, {"person-a"});
  AddArticle(2, 1, {"person-a", "person-b"});
  EXPECT_THAT(index_.FindEntityIds("person-a spelling"), ElementsAre("person-a"));
  EXPECT_THAT(index_.FindEntityIds("person-b"), ElementsAre("person-b"));
  EXPECT_TRUE(index_.FindEntityIds("nobody").empty());
  std::vector<EntityInfo> all = index_.ListEntities("", EntityType::kUnspecified);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, "person-a");
  EXPECT_EQ(all[0].article_count, 2);
  EXPECT_EQ(index_.ListEntities("person-b", EntityType::kUnspecified).size(), 1u);
  EXPECT_TRUE(index_.ListEntities("", EntityType::kLocation).empty());
}

// Co-occurring entities come a page at a time, most often first then by id:
// the page after a cursor, the size of the whole list, whether more follow.
TEST_F(ArticleIndexTest, CoOccurringEntitiesComeAPageAfterTheCursor) {
  AddArticle(1, 1, {"x", "b", "c"});
  AddArticle(2, 2, {"x", "b", "a"});
  AddArticle(3, 3, {"x", "d", "c"});
  AddArticle(4, 4, {"y", "e"});  // not with x
  AddArticle(5, 0, {"x", "e"});  // unknown time
  auto ids = [](const ArticleIndex::EntityPage& page) {
    std::vector<std::pair<std::string, int64_t>> out;
    for (const EntityInfo& e : page.entities) out.push_back({e.id, e.cooccurrence_count});
    return out;
  };
  using P = std::pair<std::string, int64_t>;
  ArticleIndex::EntityPage all = index_.CoOccurringEntities(
      {"x"}, std::nullopt, std::nullopt, "", EntityType::kUnspecified, nullptr, 10);
  EXPECT_THAT(ids(all), ElementsAre(P{"b", 2}, P{"c", 2}, P{"a", 1}, P{"d", 1}, P{"e", 1}));
  EXPECT_EQ(all.total, 5);
  EXPECT_FALSE(all.more);
  EXPECT_EQ(all.entities[0].display_name, "b");
  EXPECT_EQ(all.entities[0].article_count, 2);
  EXPECT_TRUE(all.entities[0].spellings.empty());  // a list is made without them

  ArticleIndex::EntityPage first = index_.CoOccurringEntities(
      {"x"}, std::nullopt, std::nullopt, "", EntityType::kUnspecified, nullptr, 2);
  EXPECT_THAT(ids(first), ElementsAre(P{"b", 2}, P{"c", 2}));
  EXPECT_EQ(first.total, 5);
  EXPECT_TRUE(first.more);
  const ArticleIndex::CountCursor after{2, "c"};
  ArticleIndex::EntityPage second = index_.CoOccurringEntities(
      {"x"}, std::nullopt, std::nullopt, "", EntityType::kUnspecified, &after, 2);
  EXPECT_THAT(ids(second), ElementsAre(P{"a", 1}, P{"d", 1}));
  EXPECT_TRUE(second.more);
  const ArticleIndex::CountCursor last{1, "d"};
  ArticleIndex::EntityPage third = index_.CoOccurringEntities(
      {"x"}, std::nullopt, std::nullopt, "", EntityType::kUnspecified, &last, 2);
  EXPECT_THAT(ids(third), ElementsAre(P{"e", 1}));
  EXPECT_FALSE(third.more);

  // A time range leaves out the article of unknown time; a prefix filters
  // the list and its size.
  const absl::Time march2 = absl::FromCivil(absl::CivilDay(2023, 3, 2), absl::UTCTimeZone());
  EXPECT_THAT(ids(index_.CoOccurringEntities({"x"}, march2, std::nullopt, "",
                                             EntityType::kUnspecified, nullptr, 10)),
              ElementsAre(P{"a", 1}, P{"b", 1}, P{"c", 1}, P{"d", 1}));
  ArticleIndex::EntityPage prefixed = index_.CoOccurringEntities(
      {"x"}, std::nullopt, std::nullopt, "c", EntityType::kUnspecified, nullptr, 10);
  EXPECT_THAT(ids(prefixed), ElementsAre(P{"c", 2}));
  EXPECT_EQ(prefixed.total, 1);
  EXPECT_TRUE(index_.CoOccurringEntities({"x"}, std::nullopt, std::nullopt, "",
                                         EntityType::kLocation, nullptr, 10)
                  .entities.empty());
}

// An article with no entity, topic or source keeps its own (empty) groups
// between articles that have them.
TEST_F(ArticleIndexTest, ArticlesWithoutGroupsCountInNoGroup) {
  AddArticle(1, 1, {"a"}, "medtop:15000000", "Wire");
  AddArticle(2, 2, {});
  AddArticle(3, 3, {"b"}, "", "Other");
  std::map<int64_t, std::pair<size_t, size_t>> sizes;  // by sequence: entities, topics
  std::map<int64_t, bool> has_source;
  index_.ForEachMatch(IndexQuery{}, [&](const MatchedDoc& doc) {
    sizes[doc.sequence] = {doc.entities.size(), doc.topics.size()};
    has_source[doc.sequence] = doc.source.has_value();
  });
  using S = std::pair<size_t, size_t>;
  EXPECT_EQ(sizes[1], S(1, 1));
  EXPECT_EQ(sizes[2], S(0, 0));
  EXPECT_EQ(sizes[3], S(1, 0));
  EXPECT_TRUE(has_source[1]);
  EXPECT_FALSE(has_source[2]);
  EXPECT_TRUE(has_source[3]);
}

// A range open at its end keeps an article published after the last time
// Unix nanoseconds hold (its time saturates there).
TEST_F(ArticleIndexTest, ARangeOpenAtItsEndKeepsTheFarFuture) {
  AddArticle(1, 1, {"a"});
  Article far;
  far.id = "far";
  far.log_sequence = 2;
  far.title = "Far";
  far.paragraphs = {"Body."};
  far.publish_time.precision = TimePrecision::kDay;
  far.publish_time.time = absl::FromCivil(absl::CivilDay(2300, 1, 1), absl::UTCTimeZone());
  ASSERT_THAT(index_.Add(std::make_shared<const Article>(std::move(far))), IsOk());
  IndexQuery q;
  q.start_time = absl::FromCivil(absl::CivilDay(2023, 3, 2), absl::UTCTimeZone());
  std::vector<int64_t> seen;
  index_.ForEachMatch(q, [&](const MatchedDoc& d) { seen.push_back(d.sequence); });
  EXPECT_THAT(seen, ElementsAre(2));
}

TEST_F(ArticleIndexTest, RelevanceRanksMoreMentionsFirst) {
  AddArticle(1, 1, {}, "", "", "peace once");
  AddArticle(2, 1, {}, "", "", "peace peace peace and more peace");
  IndexQuery q;
  q.words = {"peace"};
  q.order = SortOrder::kRelevance;
  SearchPage page = index_.Search(q, nullptr, 10, 0).value();
  EXPECT_THAT(Sequences(page), ElementsAre(2, 1));
  EXPECT_GT(page.hits[0].score, page.hits[1].score);
}

TEST_F(ArticleIndexTest, MentionedDatesMatchOverlappingIntervals) {
  auto day = [](int y, int m, int d) {
    return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
  };
  auto add = [this](int64_t seq, std::vector<MentionedDate> dates) {
    Article a;
    a.id = absl::StrCat("m", seq);
    a.log_sequence = seq;
    a.mentioned_dates = std::move(dates);
    ASSERT_THAT(index_.Add(std::make_shared<const Article>(std::move(a))), IsOk());
  };
  add(1, {{"2014", day(2014, 1, 1), day(2015, 1, 1), TimePrecision::kYear, false}});
  add(2, {{"March 17, 2023", day(2023, 3, 17), day(2023, 3, 18), TimePrecision::kDay, false},
          {"last month", day(2023, 3, 1), day(2023, 4, 1), TimePrecision::kMonth, true}});
  add(3, {});
  auto find = [this](std::optional<absl::Time> start, std::optional<absl::Time> end) {
    IndexQuery q;
    q.mentioned_start = start;
    q.mentioned_end = end;
    return Sequences(index_.Search(q, nullptr, 10, 0).value());
  };
  // A day in the middle of a year-long mention, found despite the mention
  // starting long before the query.
  EXPECT_THAT(find(day(2014, 6, 1), day(2014, 6, 2)), ElementsAre(1));
  EXPECT_THAT(find(day(2023, 3, 17), day(2023, 3, 18)), ElementsAre(2));
  // Both of article 2's mentions overlap; it is listed once.
  EXPECT_THAT(find(day(2023, 3, 10), day(2023, 3, 20)), ElementsAre(2));
  // Half-open on both sides.
  EXPECT_THAT(find(day(2015, 1, 1), day(2023, 3, 1)), ElementsAre());
  EXPECT_THAT(find(day(2013, 1, 1), day(2014, 1, 1)), ElementsAre());
  // Open bounds.
  EXPECT_THAT(find(std::nullopt, day(2020, 1, 1)), ElementsAre(1));
  EXPECT_THAT(find(day(2020, 1, 1), std::nullopt), ElementsAre(2));
}

// Sets the links a test names, as the story tracker would.
class FakeLinker : public ArticleLinker {
 public:
  absl::Status Link(Article* article, const EarlierArticles& earlier) override {
    article->story_id = stories[article->id];
    if (auto it = copies.find(article->id); it != copies.end()) {
      article->copy_of = it->second;
      article->copy_similarity = 0.9;
      // The original by its number: the articles linked before, in order.
      const uint32_t n = static_cast<uint32_t>(
          std::find(linked.begin(), linked.end(), it->second) - linked.begin());
      absl::StatusOr<const Article*> original = earlier.read(n);
      originals_visible = originals_visible && n < linked.size() &&
                          earlier.id(n) == it->second && original.ok() &&
                          *original != nullptr && (*original)->id == it->second;
    }
    linked.push_back(article->id);
    return absl::OkStatus();
  }
  void Changed(const Article&, const Article&) override {}
  std::vector<std::string> linked;  // ids in the order linked
  std::map<std::string, std::string> stories;  // article id -> story id
  std::map<std::string, std::string> copies;   // article id -> original id
  bool originals_visible = true;
};

TEST(ArticleIndexLinkTest, StoriesFilterAndCopiesFoldIntoTheirOriginal) {
  auto taxonomy = *Taxonomy::LoadFromString(kTaxonomy, "test");
  FakeLinker linker;
  linker.stories = {{"id1", "s1"}, {"id2", "s1"}, {"id3", "s2"}, {"id4", "s2"}};
  linker.copies = {{"id2", "id1"}, {"id4", "id1"}};
  ArticleIndex index(taxonomy.get(), &LowerKey, nullptr, &linker);
  for (int seq = 1; seq <= 4; ++seq) {
    Article a;
    a.id = absl::StrCat("id", seq);
    a.log_sequence = seq;
    a.paragraphs = {seq == 4 ? "Other words." : "Grain deal."};
    ASSERT_THAT(index.Add(std::make_shared<const Article>(std::move(a))), IsOk());
  }
  EXPECT_TRUE(linker.originals_visible);
  EXPECT_EQ(index.Get("id2").value()->copy_of, "id1");
  EXPECT_EQ(index.Get("id2").value()->copy_similarity, 0.9);
  EXPECT_EQ(index.Get("id3").value()->story_id, "s2");

  auto sequences = [](const SearchPage& page) {
    std::vector<int64_t> out;
    for (const Hit& h : page.hits) out.push_back(h.stored.log_sequence);
    return out;
  };
  IndexQuery by_story;
  by_story.story_ids = {"s1", "s9"};
  EXPECT_THAT(sequences(index.Search(by_story, nullptr, 10, 0).value()),
              ElementsAre(2, 1));

  IndexQuery collapsed;
  collapsed.collapse_copies = true;
  SearchPage page = index.Search(collapsed, nullptr, 10, 0).value();
  EXPECT_THAT(sequences(page), ElementsAre(3, 1));
  EXPECT_EQ(page.total_size, 2);
  EXPECT_THAT(page.hits[1].copy_ids, ElementsAre("id2", "id4"));
  EXPECT_TRUE(page.hits[0].copy_ids.empty());

  // Only the copies that match are folded in.
  collapsed.words = {"grain"};
  page = index.Search(collapsed, nullptr, 10, 0).value();
  EXPECT_THAT(sequences(page), ElementsAre(3, 1));
  EXPECT_THAT(page.hits[1].copy_ids, ElementsAre("id2"));

  // A copy whose original does not match is a hit of its own.
  collapsed.words.clear();
  collapsed.story_ids = {"s2"};
  EXPECT_THAT(sequences(index.Search(collapsed, nullptr, 10, 0).value()),
              ElementsAre(4, 3));
}

TEST(TokenizeTest, SplitsOnNonAlphanumericsAndLowercases) {
  EXPECT_THAT(ArticleIndex::Tokenize("Kyiv's 12-point plan, Erdoğan!"),
              ElementsAre("kyiv", "s", "12", "point", "plan", "erdoğan"));
}

// Pages in publication-time order start after the cursor, wherever it falls
// (among equal times, in the unknown-time tail); a later page may skip the
// count, which it then reports as -1.
TEST_F(ArticleIndexTest, TimeOrderedPagesStartAfterTheCursorAndMayLeaveTheCount) {
  AddArticle(1, 5, {"a"});
  AddArticle(2, 0, {"a"});  // unknown time
  AddArticle(3, 5, {"b"});
  AddArticle(4, 7, {"a"});
  AddArticle(5, 0, {"a"});
  AddArticle(6, 5, {"a"});
  const int64_t day5 = absl::ToUnixNanos(absl::FromCivil(absl::CivilDay(2023, 3, 5),
                                                         absl::UTCTimeZone()));
  IndexQuery q;
  q.entity_groups = {{"a"}};
  q.order = SortOrder::kPublishTimeDesc;
  SearchPage all = index_.Search(q, nullptr, 10, 0).value();
  EXPECT_THAT(Sequences(all), ElementsAre(4, 6, 1, 5, 2));
  EXPECT_EQ(all.total_size, 5);
  const Cursor at_six{true, day5, 0, 6};
  SearchPage next =
      index_.Search(q, &at_six, 2, 0, nullptr, /*count_total=*/false).value();
  EXPECT_THAT(Sequences(next), ElementsAre(1, 5));
  EXPECT_TRUE(next.more);
  EXPECT_EQ(next.total_size, -1);
  const Cursor at_five{false, 0, 0, 5};
  EXPECT_THAT(Sequences(index_.Search(q, &at_five, 10, 0).value()), ElementsAre(2));
  q.order = SortOrder::kPublishTimeAsc;
  EXPECT_THAT(Sequences(index_.Search(q, nullptr, 10, 0).value()),
              ElementsAre(1, 6, 4, 2, 5));
  const Cursor at_one{true, day5, 0, 1};
  EXPECT_THAT(Sequences(index_.Search(q, &at_one, 10, 0).value()),
              ElementsAre(6, 4, 2, 5));
  EXPECT_THAT(Sequences(index_.Search(q, &at_five, 10, 0).value()), IsEmpty());
  // A snapshot of the first four articles leaves out 5 and 6.
  EXPECT_THAT(Sequences(index_.Search(q, nullptr, 10, 4).value()), ElementsAre(1, 4, 2));
  // Only a time range: the walk alone, and no unknown-time tail.
  IndexQuery range;
  range.start_time = absl::FromUnixNanos(day5);
  range.order = SortOrder::kPublishTimeDesc;
  EXPECT_THAT(Sequences(index_.Search(range, nullptr, 10, 0).value()),
              ElementsAre(4, 6, 3, 1));
  EXPECT_EQ(index_.Search(range, nullptr, 1, 0).value().total_size, 4);
  const Cursor at_three{true, day5, 0, 3};
  EXPECT_THAT(Sequences(index_.Search(range, &at_three, 10, 0).value()), ElementsAre(1));
}

// An article store whose reads and writes can be made to fail.
class FlakyStore final : public IndexedArticleStore {
 public:
  absl::Status Put(absl::Span<const Article* const> articles, bool as_logged) override {
    if (fail_writes) return absl::UnavailableError("the disk is gone");
    return store_.Put(articles, as_logged);
  }
  absl::StatusOr<std::vector<Article>> Get(
      absl::Span<const int64_t> sequences) const override {
    if (fail_reads) return absl::DataLossError("damaged");
    return store_.Get(sequences);
  }
  absl::StatusOr<EncodedArticles> GetEncoded(
      absl::Span<const int64_t> sequences) const override {
    if (fail_reads) return absl::DataLossError("damaged");
    return store_.GetEncoded(sequences);
  }
  bool fail_reads = false;
  bool fail_writes = false;

 private:
  InMemoryIndexedArticleStore store_;
};

// Links every article after the first to it, reading it.
class ReadingLinker final : public ArticleLinker {
 public:
  absl::Status Link(Article* article, const EarlierArticles& earlier) override {
    if (linked == 0) {
      ++linked;
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(const Article* first, earlier.read(0));
    if (first != nullptr) {
      article->copy_of = first->id;
      article->copy_similarity = 0.5;
    }
    ++linked;
    return absl::OkStatus();
  }
  void Changed(const Article&, const Article&) override { ++changed; }
  int linked = 0;
  int changed = 0;
};

// A read or write that fails is a status: the entry changes nothing queries
// see and head() stays, so the same entry applied again completes it.
TEST(ArticleIndexStoreTest, AFailedReadOrWriteChangesNothingAndTheEntryAppliesAgain) {
  std::unique_ptr<Taxonomy> taxonomy = *Taxonomy::LoadFromString(kTaxonomy, "test");
  FlakyStore store;
  ReadingLinker linker;
  ArticleIndex index(taxonomy.get(), &LowerKey, nullptr, &linker, &store);
  auto article = [](int64_t seq) {
    Article a;
    a.id = absl::StrCat("id", seq);
    a.log_sequence = seq;
    a.title = absl::StrCat("Title ", seq);
    a.entities.push_back(ArticleEntity{"a", "A", EntityType::kPerson, 1, {"A"}, true});
    a.topics.push_back(ArticleTopic{"medtop:15000000", "sport", 0.9, false});
    return LogEntry{seq, a, std::nullopt, std::nullopt};
  };
  IndexQuery by_entity;
  by_entity.entity_groups = {{"a"}};
  ASSERT_THAT(index.Apply(article(1)), IsOk());

  store.fail_writes = true;
  EXPECT_THAT(index.Apply(article(2)), StatusIs(absl::StatusCode::kUnavailable));
  store.fail_writes = false;
  EXPECT_EQ(index.head(), 1);
  EXPECT_EQ(index.sizes().articles, 1);
  // The linker cannot read the first article: the second is indexed, its
  // links wait, whole, for the next run of the link stage.
  store.fail_reads = true;
  EXPECT_THAT(index.Apply(article(2)), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(index.head(), 2);
  EXPECT_EQ(index.linked_head(), 1);
  EXPECT_EQ(index.sizes().articles, 2);
  EXPECT_EQ(linker.linked, 1);
  EXPECT_THAT(index.Search(by_entity, nullptr, 10, 0).status(),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(index.Get("id1").status(), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(index.ArticlesAfter(0, 10).status(), StatusIs(absl::StatusCode::kDataLoss));
  // Counting reads no article; a count that reads links sees the linked one.
  absl::StatusOr<SearchPage> count = index.Search(by_entity, nullptr, 0, 0);
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(count->total_size, 2);
  by_entity.collapse_copies = true;
  EXPECT_EQ(index.Search(by_entity, nullptr, 0, 0)->total_size, 1);
  by_entity.collapse_copies = false;

  const TopicUpdate update{
      "id1", {ArticleTopic{"medtop:20000639", "diplomacy", 0.8, false}}, "release-b"};
  const LogEntry reclassify{3, std::nullopt, std::nullopt, update};
  store.fail_reads = false;
  ASSERT_THAT(index.Apply(article(2)), IsOk());  // applied before: links only
  EXPECT_EQ(index.linked_head(), 2);
  EXPECT_EQ(linker.linked, 2);
  store.fail_reads = true;
  EXPECT_THAT(index.Apply(reclassify), StatusIs(absl::StatusCode::kDataLoss));
  store.fail_reads = false;
  store.fail_writes = true;
  EXPECT_THAT(index.Apply(reclassify), StatusIs(absl::StatusCode::kUnavailable));
  store.fail_writes = false;
  EXPECT_EQ(index.head(), 2);
  EXPECT_EQ(linker.changed, 0);
  IndexQuery sport;
  sport.has_topic_condition = true;
  sport.topic_codes = {"medtop:15000000"};
  EXPECT_EQ(index.Search(sport, nullptr, 10, 0)->total_size, 2);

  ASSERT_THAT(index.Apply(reclassify), IsOk());
  EXPECT_EQ(index.head(), 3);
  EXPECT_EQ(linker.changed, 1);
  EXPECT_EQ(index.Search(sport, nullptr, 10, 0)->total_size, 1);
  absl::StatusOr<std::shared_ptr<const Article>> second = index.Get("id2");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ((*second)->copy_of, "id1");
  EXPECT_EQ((*second)->copy_similarity, 0.5);
  EXPECT_EQ(index.Get("id1").value()->taxonomy_version, "release-b");
  EXPECT_EQ(index.Get("none").value(), nullptr);
}

// Records every event of the link stage, in the order the linker hears of
// them.
class EventLinker final : public ArticleLinker {
 public:
  absl::Status Link(Article* article, const EarlierArticles&) override {
    events.push_back(absl::StrCat("link ", article->id));
    topics_when_linked.push_back(article->topics.size());
    article->story_id = absl::StrCat("s", article->id);
    if (article->id != "id1") {
      article->copy_of = "id1";
      article->copy_similarity = 0.8;
    }
    return absl::OkStatus();
  }
  void Changed(const Article& before, const Article& after) override {
    events.push_back(absl::StrCat("changed ", after.id, " ", before.topics.size(), "->",
                                  after.topics.size()));
  }
  std::vector<std::string> events;
  std::vector<size_t> topics_when_linked;
};

std::vector<int64_t> Sequences(const SearchPage& page) {
  std::vector<int64_t> out;
  for (const Hit& h : page.hits) out.push_back(h.stored.log_sequence);
  return out;
}

LogEntry ArticleEntry(int64_t seq, int day) {
  Article a;
  a.id = absl::StrCat("id", seq);
  a.log_sequence = seq;
  a.publish_time.precision = TimePrecision::kDay;
  a.publish_time.time = absl::FromCivil(absl::CivilDay(2023, 3, day), absl::UTCTimeZone());
  a.paragraphs = {"Grain deal."};
  return LogEntry{seq, a, std::nullopt, std::nullopt};
}

// Deferred, the linker hears of articles and their changes in log order
// only when the link stage runs, however far behind indexing it is.
TEST(ArticleIndexLinkStageTest, TheLinkerHearsOfEveryEventInLogOrder) {
  auto taxonomy = *Taxonomy::LoadFromString(kTaxonomy, "test");
  EventLinker linker;
  ArticleIndex index(taxonomy.get(), &LowerKey, nullptr, &linker, nullptr,
                     LinkOptions{/*deferred=*/true});
  ASSERT_THAT(index.Apply(ArticleEntry(1, 1)), IsOk());
  const TopicUpdate update{
      "id1", {ArticleTopic{"medtop:15000000", "sport", 0.9, false}}, "release-b"};
  ASSERT_THAT(index.Apply(LogEntry{2, std::nullopt, std::nullopt, update}), IsOk());
  ASSERT_THAT(index.Apply(ArticleEntry(3, 2)), IsOk());
  EXPECT_TRUE(linker.events.empty());
  EXPECT_EQ(index.head(), 3);
  EXPECT_EQ(index.linked_head(), 0);
  EXPECT_EQ(index.pending_links(), 3);
  std::vector<int64_t> linked;
  ASSERT_THAT(index.LinkPending(
                  [&linked](const std::shared_ptr<const Article>& a) {
                    linked.push_back(a->log_sequence);
                    EXPECT_EQ(a->story_id, absl::StrCat("s", a->id));
                  },
                  2),
              IsOk());
  EXPECT_THAT(linker.events, ElementsAre("link id1", "changed id1 0->1"));
  EXPECT_EQ(index.linked_head(), 2);
  ASSERT_THAT(index.LinkPending(
                  [&linked](const std::shared_ptr<const Article>& a) {
                    linked.push_back(a->log_sequence);
                  }),
              IsOk());
  EXPECT_THAT(linker.events, ElementsAre("link id1", "changed id1 0->1", "link id3"));
  EXPECT_THAT(linked, ElementsAre(1, 3));
  EXPECT_EQ(index.linked_head(), 3);
  EXPECT_EQ(index.WaitForLinked(3, absl::InfinitePast()), 3);
  EXPECT_FALSE(index.WaitForLinkWork(absl::InfinitePast()));
  // Applied again: nothing is queued twice.
  ASSERT_THAT(index.Apply(ArticleEntry(3, 2)), IsOk());
  EXPECT_EQ(index.pending_links(), 0);
  EXPECT_EQ(index.Get("id3").value()->copy_of, "id1");
}

// Queries that read links see only the linked articles, so a page token
// taken while linking lags pages on the same articles; the others see every
// article indexed, without links until linked.
TEST(ArticleIndexLinkStageTest, QueriesThatReadLinksSeeOnlyLinkedArticles) {
  auto taxonomy = *Taxonomy::LoadFromString(kTaxonomy, "test");
  EventLinker linker;  // every article after id1 is a copy of it
  ArticleIndex index(taxonomy.get(), &LowerKey, nullptr, &linker, nullptr,
                     LinkOptions{/*deferred=*/true});
  ASSERT_THAT(index.Apply(ArticleEntry(1, 1)), IsOk());
  for (int seq = 2; seq <= 6; ++seq) {
    ASSERT_THAT(index.Apply(ArticleEntry(seq, seq)), IsOk());
    if (seq == 3) {
      ASSERT_THAT(index.LinkPending(), IsOk());
    }
  }
  EXPECT_EQ(index.linked_head(), 3);
  IndexQuery all;
  EXPECT_EQ(index.Search(all, nullptr, 10, 0)->total_size, 6);
  EXPECT_EQ(index.Get("id5").value()->copy_of, "");  // not linked yet
  EXPECT_EQ(index.Get("id5").value()->story_id, "");
  IndexQuery by_story;
  by_story.story_ids = {"sid5", "sid2"};
  EXPECT_THAT(Sequences(index.Search(by_story, nullptr, 10, 0).value()), ElementsAre(2));
  IndexQuery count_stories;
  count_stories.reads_story_groups = true;
  int64_t visited = 0;
  index.ForEachMatch(count_stories, [&visited](const MatchedDoc&) { ++visited; });
  EXPECT_EQ(visited, 3);

  // Collapsed, a copy not linked yet is not shown as an article of its own:
  // the first page is taken over the three linked articles, and the next
  // one, taken after linking caught up, pages over the same three.
  IndexQuery collapsed;
  collapsed.collapse_copies = true;
  collapsed.order = SortOrder::kPublishTimeAsc;
  SearchPage first = index.Search(collapsed, nullptr, 1, 0).value();
  EXPECT_THAT(Sequences(first), ElementsAre(1));
  EXPECT_THAT(first.hits[0].copy_ids, ElementsAre("id2", "id3"));
  EXPECT_EQ(first.total_size, 1);
  EXPECT_EQ(first.snapshot, 3);
  EXPECT_FALSE(first.more);
  ASSERT_THAT(index.LinkPending(), IsOk());
  SearchPage again = index.Search(collapsed, nullptr, 10, first.snapshot).value();
  EXPECT_THAT(again.hits[0].copy_ids, ElementsAre("id2", "id3"));
  EXPECT_EQ(again.total_size, 1);
  SearchPage now = index.Search(collapsed, nullptr, 10, 0).value();
  EXPECT_THAT(now.hits[0].copy_ids, ElementsAre("id2", "id3", "id4", "id5", "id6"));
  EXPECT_EQ(now.snapshot, 6);
}

// Deferred, a failed read of the link stage leaves the event pending, whole;
// the next run links it once.
TEST(ArticleIndexLinkStageTest, AFailedLinkIsRetriedInOrderAndAppliedOnce) {
  std::unique_ptr<Taxonomy> taxonomy = *Taxonomy::LoadFromString(kTaxonomy, "test");
  FlakyStore store;
  ReadingLinker linker;
  ArticleIndex index(taxonomy.get(), &LowerKey, nullptr, &linker, &store,
                     LinkOptions{/*deferred=*/true});
  for (int seq = 1; seq <= 3; ++seq) ASSERT_THAT(index.Apply(ArticleEntry(seq, seq)), IsOk());
  ASSERT_THAT(index.LinkPending(nullptr, 1), IsOk());
  store.fail_reads = true;
  EXPECT_THAT(index.LinkPending(), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(index.LinkPending(), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(index.linked_head(), 1);
  EXPECT_EQ(index.pending_links(), 2);
  EXPECT_EQ(linker.linked, 1);
  store.fail_reads = false;
  ASSERT_THAT(index.LinkPending(), IsOk());
  EXPECT_EQ(linker.linked, 3);
  EXPECT_EQ(index.linked_head(), 3);
  IndexQuery collapsed;
  collapsed.collapse_copies = true;
  SearchPage page = index.Search(collapsed, nullptr, 10, 0).value();
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_THAT(page.hits[0].copy_ids, ElementsAre("id2", "id3"));
}

// Indexing runs ahead of a link stage far behind: every article is
// queryable at once, and those beyond LinkOptions::max_held are read back
// from the store to be linked, as they were indexed, in log order.
TEST(ArticleIndexLinkStageTest, IndexingRunsAheadAndArticlesBeyondTheHeldAreReadBack) {
  auto taxonomy = *Taxonomy::LoadFromString(kTaxonomy, "test");
  for (const int max_held : {0, 1, 4096}) {
    EventLinker linker;
    ArticleIndex index(taxonomy.get(), &LowerKey, nullptr, &linker, nullptr,
                       LinkOptions{/*deferred=*/true, max_held});
    ASSERT_THAT(index.Apply(ArticleEntry(1, 1)), IsOk());
    ASSERT_THAT(index.Apply(ArticleEntry(2, 2)), IsOk());
    // id2 changes before it is linked: it is linked as indexed, then the
    // linker hears of the change.
    const TopicUpdate update{
        "id2", {ArticleTopic{"medtop:15000000", "sport", 0.9, false}}, "release-b"};
    ASSERT_THAT(index.Apply(LogEntry{3, std::nullopt, std::nullopt, update}), IsOk());
    for (int seq = 4; seq <= 6; ++seq) ASSERT_THAT(index.Apply(ArticleEntry(seq, seq)), IsOk());
    EXPECT_EQ(index.head(), 6) << max_held;
    EXPECT_EQ(index.linked_head(), 0) << max_held;
    EXPECT_EQ(index.pending_links(), 6) << max_held;
    EXPECT_THAT(Sequences(index.Search(IndexQuery{}, nullptr, 10, 0).value()),
                ElementsAre(6, 5, 4, 2, 1))
        << max_held;

    std::vector<std::string> stories;
    ASSERT_THAT(index.LinkPending([&stories](const std::shared_ptr<const Article>& a) {
      stories.push_back(a->story_id);
    }),
                IsOk());
    EXPECT_THAT(linker.events, ElementsAre("link id1", "link id2", "changed id2 0->1",
                                           "link id4", "link id5", "link id6"))
        << max_held;
    EXPECT_THAT(linker.topics_when_linked, ElementsAre(0, 0, 0, 0, 0)) << max_held;
    EXPECT_THAT(stories, ElementsAre("sid1", "sid2", "sid4", "sid5", "sid6")) << max_held;
    EXPECT_EQ(index.linked_head(), 6) << max_held;
    EXPECT_EQ(index.Get("id2").value()->topics.size(), 1u) << max_held;
    IndexQuery collapsed;
    collapsed.collapse_copies = true;
    SearchPage page = index.Search(collapsed, nullptr, 10, 0).value();
    ASSERT_EQ(page.hits.size(), 1u) << max_held;
    EXPECT_THAT(page.hits[0].copy_ids, ElementsAre("id2", "id4", "id5", "id6")) << max_held;
  }
}

// A read back that fails leaves the event pending, whole: the next run
// links it once.
TEST(ArticleIndexLinkStageTest, AFailedReadBackIsRetried) {
  std::unique_ptr<Taxonomy> taxonomy = *Taxonomy::LoadFromString(kTaxonomy, "test");
  FlakyStore store;
  EventLinker linker;
  ArticleIndex index(taxonomy.get(), &LowerKey, nullptr, &linker, &store,
                     LinkOptions{/*deferred=*/true, /*max_held=*/0});
  for (int seq = 1; seq <= 2; ++seq) ASSERT_THAT(index.Apply(ArticleEntry(seq, seq)), IsOk());
  store.fail_reads = true;
  EXPECT_THAT(index.LinkPending(), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(index.pending_links(), 2);
  EXPECT_TRUE(linker.events.empty());
  store.fail_reads = false;
  ASSERT_THAT(index.LinkPending(), IsOk());
  EXPECT_THAT(linker.events, ElementsAre("link id1", "link id2"));
  EXPECT_EQ(index.Get("id2").value()->copy_of, "id1");
}

}  // namespace
}  // namespace newsdesk::query
