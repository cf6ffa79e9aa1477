#include "query_service/stories/story_grouper.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

absl::Time Day(int month, int day, int hour = 12) {
  return absl::FromCivil(absl::CivilHour(2023, month, day, hour), absl::UTCTimeZone());
}

ArticleEntity Entity(const std::string& id, double salience) {
  ArticleEntity e;
  e.id = id;
  e.display_name = id;
  e.type = EntityType::kPerson;
  e.mention_count = 2;
  e.salience = salience;
  return e;
}

Article MakeArticle(const std::string& id, const std::string& title, absl::Time published,
                    std::vector<ArticleEntity> entities, const std::string& topic = "") {
  Article a;
  a.id = id;
  a.title = title;
  a.paragraphs = {title + " in a longer first paragraph."};
  a.publish_time.time = published;
  a.publish_time.precision = TimePrecision::kMinute;
  a.entities = std::move(entities);
  if (!topic.empty()) a.topics.push_back(ArticleTopic{topic, "", 0.8, false});
  return a;
}

class StoryGrouperTest : public ::testing::Test {
 protected:
  std::string Add(Article a, const std::string& copy_of = "") {
    a.log_sequence = ++sequence_;
    return grouper_.Add(a, copy_of);
  }

  StoryGrouper grouper_{StoryOptions{}, nullptr};
  int64_t sequence_ = 0;
};

TEST_F(StoryGrouperTest, ArticlesAboutOneEventShareAStoryAndOthersStartTheirOwn) {
  const std::string summit = Add(MakeArticle(
      "a1", "Leaders meet at the grain summit in Geneva", Day(5, 1),
      {Entity("person-alpha", 0.9), Entity("person-beta", 0.8), Entity("location-geneva", 0.5)}));
  EXPECT_EQ(summit, "story-a1");
  // The same event the next day, told differently.
  EXPECT_EQ(Add(MakeArticle("a2", "Geneva grain summit ends with a deal", Day(5, 2),
                            {Entity("person-beta", 0.9), Entity("person-alpha", 0.7),
                             Entity("location-geneva", 0.4)})),
            summit);
  // The same people three weeks later: another event.
  EXPECT_EQ(Add(MakeArticle("a3", "Leaders meet again at a grain summit in Geneva", Day(5, 22),
                            {Entity("person-alpha", 0.9), Entity("person-beta", 0.8),
                             Entity("location-geneva", 0.5)})),
            "story-a3");
  // Other people the same day: another event.
  EXPECT_EQ(Add(MakeArticle("a4", "Floods close roads in the north", Day(5, 2),
                            {Entity("person-gamma", 0.9), Entity("location-geneva", 0.2)})),
            "story-a4");
  EXPECT_EQ(grouper_.size(), 3u);
  EXPECT_EQ(grouper_.StoryOf("a2"), summit);
  EXPECT_EQ(grouper_.StoryOf("unknown"), "");
}

TEST_F(StoryGrouperTest, ACopyJoinsItsOriginalsStory) {
  const std::string story =
      Add(MakeArticle("a1", "Summit opens", Day(5, 1), {Entity("person-alpha", 0.9)}));
  // Nothing in common but the copy link.
  EXPECT_EQ(Add(MakeArticle("a2", "Something else", Day(8, 1), {}), "a1"), story);
  std::optional<Story> s = grouper_.Get(story);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->article_count, 2);
  EXPECT_EQ(s->copy_count, 1);
}

TEST_F(StoryGrouperTest, AStorySaysWhatItIsAbout) {
  const std::string story = Add(MakeArticle(
      "a1", "Leaders meet at the grain summit", Day(5, 1),
      {Entity("person-alpha", 0.9), Entity("person-beta", 0.3)}, "medtop:11000000"));
  Add(MakeArticle("a2", "Leaders meet at the grain summit again", Day(5, 2),
                  {Entity("person-alpha", 0.8), Entity("person-beta", 0.6)}, "medtop:11000000"));
  std::optional<Story> s = grouper_.Get(story);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->id, "story-a1");
  EXPECT_EQ(s->article_count, 2);
  EXPECT_EQ(s->copy_count, 0);
  EXPECT_EQ(s->start_time, Day(5, 1));
  EXPECT_EQ(s->end_time, Day(5, 2));
  EXPECT_EQ(s->last_log_position, 2);
  ASSERT_EQ(s->top_entities.size(), 2u);
  EXPECT_EQ(s->top_entities[0].id, "person-alpha");
  EXPECT_DOUBLE_EQ(s->top_entities[0].salience, 1.7);
  EXPECT_EQ(s->top_entities[0].article_count, 2);
  ASSERT_EQ(s->top_topics.size(), 1u);
  EXPECT_EQ(s->top_topics[0].code, "medtop:11000000");
  EXPECT_EQ(s->top_topics[0].article_count, 2);
  // a2 names both entities much as the story does.
  EXPECT_EQ(s->representative_article_id, "a2");
  EXPECT_EQ(s->title, "Leaders meet at the grain summit again");
  EXPECT_FALSE(grouper_.Get("story-none"));
}

TEST_F(StoryGrouperTest, ListsFilterOrderAndPage) {
  Add(MakeArticle("a1", "Alpha and beta meet", Day(5, 1), {Entity("person-alpha", 0.9)}));
  Add(MakeArticle("a2", "Alpha and beta meet again", Day(5, 1, 18), {Entity("person-alpha", 0.9)}));
  Add(MakeArticle("b1", "Gamma visits", Day(6, 1), {Entity("person-gamma", 0.9)}, "medtop:1"));
  Add(MakeArticle("c1", "Delta speaks", Day(7, 1), {Entity("person-delta", 0.9)}));
  ASSERT_EQ(grouper_.size(), 3u);

  auto ids = [](const StoryPage& page) {
    std::vector<std::string> out;
    for (const Story& s : page.stories) out.push_back(s.id);
    return out;
  };
  StoryQuery by_size;
  StoryPage page = grouper_.List(by_size, nullptr, 10);
  EXPECT_EQ(ids(page), (std::vector<std::string>{"story-a1", "story-c1", "story-b1"}));
  EXPECT_EQ(page.total_size, 3);
  EXPECT_FALSE(page.more);

  StoryQuery by_recency;
  by_recency.order = StoryOrder::kRecency;
  page = grouper_.List(by_recency, nullptr, 2);
  EXPECT_EQ(ids(page), (std::vector<std::string>{"story-c1", "story-b1"}));
  EXPECT_TRUE(page.more);
  ASSERT_TRUE(page.last);
  page = grouper_.List(by_recency, &*page.last, 2);
  EXPECT_EQ(ids(page), (std::vector<std::string>{"story-a1"}));
  EXPECT_FALSE(page.more);

  StoryQuery by_entity;
  by_entity.entity_ids = {"person-gamma", "person-delta"};
  EXPECT_EQ(ids(grouper_.List(by_entity, nullptr, 10)),
            (std::vector<std::string>{"story-c1", "story-b1"}));

  StoryQuery by_topic;
  by_topic.has_topic_condition = true;
  by_topic.topic_codes = {"medtop:1"};
  EXPECT_EQ(ids(grouper_.List(by_topic, nullptr, 10)), (std::vector<std::string>{"story-b1"}));

  StoryQuery by_time;  // overlaps the span
  by_time.start_time = Day(5, 1, 15);
  by_time.end_time = Day(6, 1);
  EXPECT_EQ(ids(grouper_.List(by_time, nullptr, 10)), (std::vector<std::string>{"story-a1"}));
}

TEST_F(StoryGrouperTest, AnArticleOfUnknownTimeJoinsOnContentAlone) {
  Article dated = MakeArticle("a1", "Alpha meets beta in the capital", Day(5, 1),
                              {Entity("person-alpha", 0.9), Entity("person-beta", 0.7)});
  EXPECT_EQ(Add(dated), "story-a1");
  Article undated = dated;
  undated.id = "a2";
  undated.publish_time = ArticleTime();
  EXPECT_EQ(Add(undated), "story-a1");
  // Sharing one entity of the story and none of its words is not enough.
  Article other = MakeArticle("a3", "Floods close northern roads", Day(1, 1),
                              {Entity("person-alpha", 0.2), Entity("person-gamma", 0.9)});
  other.publish_time = ArticleTime();
  EXPECT_EQ(Add(other), "story-a3");
  std::optional<Story> s = grouper_.Get("story-a3");
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->start_time);
  EXPECT_EQ(grouper_.Get("story-a1")->start_time, Day(5, 1));
}

TEST_F(StoryGrouperTest, AStoryFollowsItsArticlesNewEntitiesAndTopics) {
  const Article first = MakeArticle(
      "a1", "Leaders meet at the grain summit", Day(5, 1),
      {Entity("person-alpha", 0.9), Entity("person-beta", 0.3)}, "medtop:11000000");
  const Article second = MakeArticle(
      "a2", "Leaders meet again", Day(5, 2),
      {Entity("person-alfa", 0.8), Entity("person-beta", 0.6)}, "medtop:11000000");
  const std::string story = Add(first);
  ASSERT_EQ(Add(second, "a1"), story);

  auto ids = [this](StoryQuery query) {
    std::vector<std::string> out;
    for (const Story& s : grouper_.List(query, nullptr, 10).stories) out.push_back(s.id);
    return out;
  };
  auto naming = [&ids](const std::string& entity) {
    StoryQuery query;
    query.entity_ids = {entity};
    return ids(query);
  };
  auto on = [&ids](const std::string& topic) {
    StoryQuery query;
    query.has_topic_condition = true;
    query.topic_codes = {topic};
    return ids(query);
  };
  EXPECT_EQ(naming("person-alfa"), std::vector<std::string>{story});

  // An alias table change merges person-alfa into person-alpha: the
  // index re-links a2.
  Article merged = second;
  merged.entities[0].id = "person-alpha";
  merged.entities[0].display_name = "Alpha";
  grouper_.Update(second, merged);
  std::optional<Story> s = grouper_.Get(story);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->article_count, 2);
  ASSERT_EQ(s->top_entities.size(), 2u);
  EXPECT_EQ(s->top_entities[0].id, "person-alpha");
  EXPECT_EQ(s->top_entities[0].display_name, "Alpha");
  EXPECT_DOUBLE_EQ(s->top_entities[0].salience, 1.7);
  EXPECT_EQ(s->top_entities[0].article_count, 2);
  EXPECT_EQ(s->top_entities[1].id, "person-beta");
  EXPECT_TRUE(naming("person-alfa").empty());
  EXPECT_EQ(naming("person-alpha"), std::vector<std::string>{story});

  // Topic updates re-classify both articles, one after the other.
  Article moved = first;
  moved.topics = {ArticleTopic{"medtop:2", "", 0.7, false}};
  grouper_.Update(first, moved);
  s = grouper_.Get(story);
  ASSERT_EQ(s->top_topics.size(), 2u);
  EXPECT_EQ(on("medtop:2"), std::vector<std::string>{story});
  EXPECT_EQ(on("medtop:11000000"), std::vector<std::string>{story});
  Article moved_too = merged;
  moved_too.topics = moved.topics;
  grouper_.Update(merged, moved_too);
  s = grouper_.Get(story);
  ASSERT_EQ(s->top_topics.size(), 1u);
  EXPECT_EQ(s->top_topics[0].code, "medtop:2");
  EXPECT_EQ(s->top_topics[0].article_count, 2);
  EXPECT_TRUE(on("medtop:11000000").empty());

  // A later article about person-alpha finds the story under the new id.
  EXPECT_EQ(Add(MakeArticle("a3", "Leaders meet at the grain summit once more",
                            Day(5, 2, 18), {Entity("person-alpha", 0.9)})),
            story);
  // Articles never grouped are ignored.
  grouper_.Update(MakeArticle("zz", "Other", Day(5, 1), {}),
                  MakeArticle("zz", "Other", Day(5, 1), {}));
  EXPECT_EQ(grouper_.size(), 1u);
}

TEST_F(StoryGrouperTest, AStoryKeepsEveryMembersIdAndTitleApart) {
  // Ids and titles are kept back to back in one buffer: each must come back
  // whole, whatever its length (empty, short, long, not ASCII).
  const std::string long_title(300, 'x');
  const std::string first =
      Add(MakeArticle("a1", "", Day(5, 1), {Entity("person-alpha", 0.9)}));
  ASSERT_EQ(Add(MakeArticle("a-second-with-a-longer-id", "Grain summit opens in Genève",
                            Day(5, 1, 13), {Entity("person-beta", 0.9)}),
                "a1"),
            first);
  ASSERT_EQ(
      Add(MakeArticle("3", long_title, Day(5, 1, 14), {Entity("person-gamma", 0.9)}),
          "a1"),
      first);
  EXPECT_EQ(grouper_.StoryOf("a1"), first);
  EXPECT_EQ(grouper_.StoryOf("a-second-with-a-longer-id"), first);
  EXPECT_EQ(grouper_.StoryOf("3"), first);
  EXPECT_EQ(grouper_.StoryOf("a"), "");
  EXPECT_EQ(grouper_.StoryOf("a-second"), "");

  // Each member in turn is the one closest to the story's entities.
  auto representative = [this, &first] {
    std::optional<Story> s = grouper_.Get(first);
    return s ? std::make_pair(s->representative_article_id, s->title)
             : std::make_pair(std::string("none"), std::string("none"));
  };
  EXPECT_EQ(representative(), std::make_pair(std::string("a1"), std::string()));
  Add(MakeArticle("a4", "More", Day(5, 1, 15), {Entity("person-beta", 0.9)}), "a1");
  EXPECT_EQ(representative(),
            std::make_pair(std::string("a-second-with-a-longer-id"),
                           std::string("Grain summit opens in Genève")));
  Add(MakeArticle("a5", "More", Day(5, 1, 16), {Entity("person-gamma", 0.9)}), "a1");
  Add(MakeArticle("a6", "More", Day(5, 1, 17), {Entity("person-gamma", 0.9)}), "a1");
  EXPECT_EQ(representative(), std::make_pair(std::string("3"), long_title));

  // A story is found by its first article's id only.
  EXPECT_TRUE(grouper_.Get("story-a1"));
  EXPECT_FALSE(grouper_.Get("story-a4"));
  EXPECT_FALSE(grouper_.Get("a1"));
  EXPECT_FALSE(grouper_.Get("story-"));
  EXPECT_EQ(grouper_.size(), 1u);
}

TEST_F(StoryGrouperTest, ALoneArticlesEntitiesSurviveAnUpdateAndALaterMember) {
  // While a story has one article its entities are the story's weights; an
  // update then changes both, and the next member must not bring the old
  // ones back.
  const Article first =
      MakeArticle("a1", "Leaders meet", Day(5, 1),
                  {Entity("person-alfa", 0.8), Entity("person-beta", 0.4)});
  const std::string story = Add(first);
  Article relinked = first;
  relinked.entities[0].id = "person-alpha";
  grouper_.Update(first, relinked);
  Add(MakeArticle("a2", "Something else", Day(5, 2), {Entity("person-gamma", 0.5)}),
      "a1");
  std::optional<Story> s = grouper_.Get(story);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->top_entities.size(), 3u);
  EXPECT_EQ(s->top_entities[0].id, "person-alpha");
  EXPECT_EQ(s->top_entities[1].id, "person-gamma");
  EXPECT_EQ(s->top_entities[2].id, "person-beta");
  EXPECT_EQ(s->representative_article_id, "a1");

  // The first article loses person-alpha: what the story keeps of it is
  // exactly what a1 gave (nothing is left of person-alfa or person-alpha).
  Article dropped = relinked;
  dropped.entities.erase(dropped.entities.begin());
  grouper_.Update(relinked, dropped);
  s = grouper_.Get(story);
  ASSERT_EQ(s->top_entities.size(), 2u);
  EXPECT_EQ(s->top_entities[0].id, "person-gamma");
  EXPECT_DOUBLE_EQ(s->top_entities[0].salience, 0.5);
  EXPECT_EQ(s->top_entities[1].id, "person-beta");
  EXPECT_DOUBLE_EQ(s->top_entities[1].salience, 0.4);
  StoryQuery naming;
  naming.entity_ids = {"person-alpha", "person-alfa"};
  EXPECT_TRUE(grouper_.List(naming, nullptr, 10).stories.empty());
  // a2 (gamma 0.5) is now closer to the story than a1 (beta 0.4).
  EXPECT_EQ(s->representative_article_id, "a2");

  // An article about person-alpha no longer finds the story through it.
  EXPECT_EQ(Add(MakeArticle("a3", "Leaders meet", Day(5, 1, 18),
                            {Entity("person-alpha", 0.8)})),
            "story-a3");
}

TEST(StoryGrouperTermsTest, AStoryKeepsItsHeaviestWordsOnly) {
  // a2 shares a1's main entity weakly, its time, and only the words of a1's
  // lead: "longer first paragraph" (the title's words weigh twice, being in
  // the lead too). Enough to join while the story keeps those words.
  auto group = [](int max_terms) {
    StoryOptions options;
    options.max_terms = max_terms;
    StoryGrouper grouper(options, nullptr);
    Article a1 =
        MakeArticle("a1", "Zebra quokka", Day(5, 1), {Entity("person-alpha", 0.9)});
    a1.log_sequence = 1;
    EXPECT_EQ(grouper.Add(a1, ""), "story-a1");
    Article a2 = MakeArticle("a2", "Longer first paragraph", Day(5, 1),
                             {Entity("person-alpha", 0.3), Entity("person-delta", 0.9)});
    a2.log_sequence = 2;
    return grouper.Add(a2, "");
  };
  EXPECT_EQ(group(0), "story-a1");  // the default: every word
  EXPECT_EQ(StoryOptions{}.max_terms, 0);
  EXPECT_EQ(group(5), "story-a1");
  // Cut to its two heaviest words, the title's: nothing in common.
  EXPECT_EQ(group(2), "story-a2");
}

}  // namespace
}  // namespace newsdesk::query
