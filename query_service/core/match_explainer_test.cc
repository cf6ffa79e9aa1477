#include "query_service/core/match_explainer.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using ::testing::ElementsAre;

constexpr char kTaxonomy[] =
    "qcode\tparent\tlevel\tretired\tlabel\tdef\n"
    "medtop:16000000\t\t1\t0\tconflict, war and peace\t\n"
    "medtop:20000056\tmedtop:16000000\t2\t0\tarmed conflict\t\n"
    "medtop:15000000\t\t1\t0\tsport\t\n";

absl::Time Day(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

class MatchExplainerTest : public ::testing::Test {
 protected:
  MatchExplainerTest() : taxonomy_(*Taxonomy::LoadFromString(kTaxonomy, "t")) {
    article_.id = "a1";
    article_.log_sequence = 1;
    article_.title = "Grain talks resume";
    article_.paragraphs = {"Talks on grain exports.", "No talks on Sunday."};
    article_.source = "Reuters";
    article_.publish_time.time = Day(2023, 4, 2);
    article_.publish_time.precision = TimePrecision::kDay;
    article_.publish_time.source = TimeSource::kText;
    article_.publish_time.evidence = "April 2, 2023";
    article_.publish_time.provenance = "line 2";
    ArticleEntity& kyiv = article_.entities.emplace_back();
    kyiv.id = "location-kyiv";
    kyiv.spellings = {"Kiev"};
    kyiv.mention_count = 1;
    kyiv.mentions = {EntityMention{TextSection::kBody, 1, 0, 4, "Kiev"}};
    article_.topics = {ArticleTopic{"medtop:20000056", "armed conflict", 0.9, false},
                       ArticleTopic{"medtop:16000000", "conflict", 0.9, true}};
    article_.key_phrases = {"Grain Exports"};
    article_.mentioned_dates = {
        MentionedDate{"February 2022", Day(2022, 2, 1), Day(2022, 3, 1), TimePrecision::kMonth,
                      false},
        MentionedDate{"2014", Day(2014, 1, 1), Day(2015, 1, 1), TimePrecision::kYear, false}};
  }

  std::unique_ptr<Taxonomy> taxonomy_;
  Article article_;
};

TEST_F(MatchExplainerTest, ExplainsEveryConditionWithWhereItIsSatisfied) {
  ResolvedFilter filter;
  filter.query.entity_groups = {{"location-kyiv"}};
  filter.entities = {{"Kiev", {"location-kyiv"}, 0}};
  filter.query.start_time = Day(2023, 4, 1);
  filter.query.topic_codes = {"medtop:16000000"};
  filter.query.has_topic_condition = true;
  filter.query.key_phrases = {"grain exports"};
  filter.query.sources = {"reuters"};
  filter.query.words = {"talks"};
  filter.query.mentioned_start = Day(2022, 2, 20);
  filter.query.mentioned_end = Day(2022, 2, 21);

  MatchExplanation e;
  ASSERT_TRUE(ExplainMatch(filter, article_, *taxonomy_, &e));
  ASSERT_EQ(e.entities.size(), 1u);
  EXPECT_EQ(e.entities[0].query, "Kiev");
  EXPECT_EQ(e.entities[0].mentions[0].index, 1);
  ASSERT_EQ(e.topics.size(), 1u);  // by the assigned topic, not the implied one
  EXPECT_EQ(e.topics[0].requested_code, "medtop:16000000");
  EXPECT_EQ(e.topics[0].article_code, "medtop:20000056");
  EXPECT_FALSE(e.topics[0].exact);
  ASSERT_TRUE(e.publish_time.has_value());
  EXPECT_EQ(e.publish_time->evidence, "April 2, 2023");
  EXPECT_EQ(e.publish_time->provenance, "line 2");
  ASSERT_EQ(e.mentioned_dates.size(), 1u);
  EXPECT_EQ(e.mentioned_dates[0].index, 0);
  EXPECT_EQ(e.mentioned_dates[0].date.text, "February 2022");
  ASSERT_EQ(e.key_phrases.size(), 1u);
  EXPECT_EQ(e.key_phrases[0].key_phrase, "Grain Exports");
  EXPECT_EQ(e.source, "Reuters");
  EXPECT_THAT(e.words,
              ElementsAre(WordMatchInfo{"talks", TextSection::kTitle, 0, 6, 11},
                          WordMatchInfo{"talks", TextSection::kBody, 0, 0, 5},
                          WordMatchInfo{"talks", TextSection::kBody, 1, 3, 8}));
}

TEST_F(MatchExplainerTest, ARepeatedWordIsExplainedByItsFirstPlacesOnly) {
  Article repeated = article_;
  std::string body;
  for (int i = 0; i < 1000; ++i) absl::StrAppend(&body, "grain talks ");
  repeated.paragraphs = {body};
  ResolvedFilter filter;
  filter.query.words = {"talks", "grain"};
  MatchExplanation e;
  ASSERT_TRUE(ExplainMatch(filter, repeated, *taxonomy_, &e));
  int talks = 0, grain = 0;
  for (const WordMatchInfo& m : e.words) (m.word == "talks" ? talks : grain)++;
  EXPECT_EQ(talks, kMaxExplainedPlacesPerWord);
  EXPECT_EQ(grain, kMaxExplainedPlacesPerWord);
  EXPECT_EQ(e.words.front().section, TextSection::kTitle);  // reading order
}

TEST_F(MatchExplainerTest, EachUnmetConditionFailsTheMatch) {
  auto fails = [this](const std::function<void(ResolvedFilter&)>& set) {
    ResolvedFilter filter;
    set(filter);
    MatchExplanation e;
    return !ExplainMatch(filter, article_, *taxonomy_, &e);
  };
  EXPECT_FALSE(fails([](ResolvedFilter&) {}));  // the empty filter matches
  EXPECT_TRUE(fails([](ResolvedFilter& f) { f.query.entity_groups = {{"person-x"}}; }));
  EXPECT_TRUE(fails([](ResolvedFilter& f) { f.query.entity_groups = {{}}; }));
  EXPECT_TRUE(fails([](ResolvedFilter& f) { f.query.excluded_entities = {"location-kyiv"}; }));
  EXPECT_FALSE(fails([](ResolvedFilter& f) { f.query.excluded_entities = {"person-x"}; }));
  EXPECT_TRUE(fails([](ResolvedFilter& f) { f.query.end_time = Day(2023, 4, 2); }));
  EXPECT_TRUE(fails([](ResolvedFilter& f) {
    f.query.topic_codes = {"medtop:16000000"};
    f.query.has_topic_condition = true;
    f.query.exact_topics = true;  // only the implied topic is the parent
  }));
  EXPECT_TRUE(fails([](ResolvedFilter& f) { f.query.has_topic_condition = true; }));
  EXPECT_TRUE(fails([](ResolvedFilter& f) { f.query.sources = {"bbc"}; }));
  EXPECT_TRUE(fails([](ResolvedFilter& f) { f.query.words = {"talks", "wheat"}; }));
  EXPECT_TRUE(fails([](ResolvedFilter& f) { f.query.key_phrases = {"grain"}; }));
  EXPECT_TRUE(fails([](ResolvedFilter& f) { f.query.mentioned_start = Day(2022, 3, 1); }));
  EXPECT_FALSE(fails([](ResolvedFilter& f) { f.query.mentioned_end = Day(2014, 1, 2); }));
  Article unknown_time = article_;
  unknown_time.publish_time = ArticleTime();
  ResolvedFilter bounded;
  bounded.query.start_time = Day(2000, 1, 1);
  MatchExplanation e;
  EXPECT_FALSE(ExplainMatch(bounded, unknown_time, *taxonomy_, &e));
}

}  // namespace
}  // namespace newsdesk::query

namespace newsdesk::query {
namespace {

// A search explains its hits from the entities its references resolved to,
// never from the excluded ones.
TEST(ExplainedEntityIdsTest, AreTheIdsOfTheReferencesNotExcluded) {
  ResolvedFilter filter;
  filter.entities = {{"Kiev", {"location-kyiv"}, 0},
                     {"Xi", {"person-xi", "person-xi-2"}, 1},
                     {"Kyiv", {"location-kyiv"}, 0},
                     {"Macron", {"person-macron"}, ResolvedFilter::kExcluded}};
  EXPECT_EQ(ExplainedEntityIds(filter),
            (std::vector<std::string>{"location-kyiv", "person-xi", "person-xi-2"}));
  EXPECT_TRUE(ExplainedEntityIds(ResolvedFilter()).empty());
}

}  // namespace
}  // namespace newsdesk::query
