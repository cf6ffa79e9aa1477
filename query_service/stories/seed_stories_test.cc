// The five sample articles form three stories, at the core (the index with
// its story tracker, as the query service applies the log) and through the
// QueryService RPCs on an in-process channel.
#include <grpcpp/grpcpp.h>

#include <map>

#include "common/entities/name_key.h"
#include "gtest/gtest.h"
#include "query_service/core/story_queries.h"
#include "query_service/grpc/query_service_impl.h"
#include "query_service/index/article_index.h"
#include "query_service/stories/story_tracker.h"
#include "query_service/stories/testing/seed_articles.h"

namespace newsdesk::query {
namespace {

// The seeds by file name prefix.
constexpr char kBeijingXiMacron[] = "000";
constexpr char kQinGangCallMarch17[] = "001";
constexpr char kXiZelenskyCall[] = "002";
constexpr char kBeijingXiMacronToo[] = "003";
constexpr char kXiZelenskyCallToo[] = "004";

class SeedStoriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<SharedData> data =
        LoadSharedData(NEWSDESK_DATA_DIR, "/usr/share/iso-codes/json/iso_3166-1.json");
    ASSERT_TRUE(data.ok()) << data.status();
    data_ = *std::move(data);
    tracker_ = std::make_unique<StoryTracker>(StoryTrackerOptions{}, data_.taxonomy.get());
    index_ = std::make_unique<ArticleIndex>(data_.taxonomy.get(), &entities::NameKey,
                                            data_.lexicon.get(), tracker_.get());
    absl::StatusOr<std::vector<SeedArticle>> seeds = ParseSeedArticles(NEWSDESK_DATA_DIR, data_);
    ASSERT_TRUE(seeds.ok()) << seeds.status();
    ASSERT_EQ(seeds->size(), 5u);
    for (SeedArticle& seed : *seeds) {
      ids_[seed.file.substr(0, 3)] = seed.article.id;
      LogEntry entry;
      entry.sequence = seed.article.log_sequence;
      entry.article = std::move(seed.article);
      ASSERT_TRUE(index_->Apply(std::move(entry)).ok());
    }
  }

  std::string StoryOf(const std::string& seed) const {
    return index_->Get(ids_.at(seed)).value()->story_id;
  }

  SharedData data_;
  std::unique_ptr<StoryTracker> tracker_;
  std::unique_ptr<ArticleIndex> index_;
  std::map<std::string, std::string> ids_;  // file prefix -> article id
};

TEST_F(SeedStoriesTest, TheFiveSeedsFormThreeStories) {
  EXPECT_EQ(tracker_->story_count(), 3u);
  // The Beijing meeting of early April 2023: Xi and Macron.
  EXPECT_EQ(StoryOf(kBeijingXiMacron), StoryOf(kBeijingXiMacronToo));
  // The phone call of 26 April 2023: Xi and Zelensky.
  EXPECT_EQ(StoryOf(kXiZelenskyCall), StoryOf(kXiZelenskyCallToo));
  EXPECT_NE(StoryOf(kBeijingXiMacron), StoryOf(kXiZelenskyCall));
  // The 17 March 2023 article alone.
  EXPECT_NE(StoryOf(kQinGangCallMarch17), StoryOf(kBeijingXiMacron));
  EXPECT_NE(StoryOf(kQinGangCallMarch17), StoryOf(kXiZelenskyCall));
  // Ids come from the first article of each story, in log order.
  EXPECT_EQ(StoryOf(kBeijingXiMacron), "story-" + ids_.at(kBeijingXiMacron));
  EXPECT_EQ(StoryOf(kXiZelenskyCallToo), "story-" + ids_.at(kXiZelenskyCall));
  // Different reports, not copies.
  for (const auto& [seed, id] : ids_)
    EXPECT_EQ(index_->Get(id).value()->copy_of, "") << seed;

  std::optional<Story> meeting = tracker_->GetStory(StoryOf(kBeijingXiMacron));
  ASSERT_TRUE(meeting);
  EXPECT_EQ(meeting->article_count, 2);
  ASSERT_TRUE(meeting->start_time && meeting->end_time);
  EXPECT_EQ(absl::FormatTime("%Y-%m", *meeting->start_time, absl::UTCTimeZone()), "2023-04");
  std::vector<std::string> top;
  for (const StoryEntity& e : meeting->top_entities) top.push_back(e.id);
  EXPECT_NE(std::find(top.begin(), top.end(), "person-xi-jinping"), top.end());
  EXPECT_NE(std::find(top.begin(), top.end(), "person-emmanuel-macron"), top.end());
  EXPECT_FALSE(meeting->top_topics.empty());
  EXPECT_TRUE(meeting->representative_article_id == ids_.at(kBeijingXiMacron) ||
              meeting->representative_article_id == ids_.at(kBeijingXiMacronToo));

  std::optional<Story> call = tracker_->GetStory(StoryOf(kXiZelenskyCall));
  ASSERT_TRUE(call);
  EXPECT_EQ(call->article_count, 2);
  top.clear();
  for (const StoryEntity& e : call->top_entities) top.push_back(e.id);
  EXPECT_NE(std::find(top.begin(), top.end(), "person-volodymyr-zelensky"), top.end());
}

TEST_F(SeedStoriesTest, ReplayingTheLogGivesTheSameStories) {
  // A restarted replica builds a new index and tracker from its log.
  StoryTracker tracker(StoryTrackerOptions{}, data_.taxonomy.get());
  ArticleIndex index(data_.taxonomy.get(), &entities::NameKey, data_.lexicon.get(), &tracker);
  const std::vector<std::shared_ptr<const Article>> articles =
      index_->ArticlesAfter(0, 100).value();
  for (const std::shared_ptr<const Article>& a : articles) {
    Article raw = *a;
    raw.story_id.clear();
    LogEntry entry;
    entry.sequence = raw.log_sequence;
    entry.article = std::move(raw);
    ASSERT_TRUE(index.Apply(std::move(entry)).ok());
  }
  for (const auto& [seed, id] : ids_)
    EXPECT_EQ(index.Get(id).value()->story_id, StoryOf(seed)) << seed;
}

// The same through the RPCs of a server on an in-process channel.
class SeedStoryRpcTest : public SeedStoriesTest {
 protected:
  void SetUp() override {
    SeedStoriesTest::SetUp();
    engine_ = std::make_unique<QueryEngine>(QueryEngineOptions{}, index_.get(),
                                            data_.taxonomy.get());
    stories_ = std::make_unique<StoryQueries>(QueryEngineOptions{}, tracker_.get(),
                                              engine_.get(), data_.taxonomy.get());
    watches_ = std::make_unique<WatchRegistry>(
        WatchRegistryOptions{}, index_.get(), data_.taxonomy.get(),
        [this](absl::string_view name) { return engine_->ResolveEntity(name); });
    service_ = std::make_unique<QueryServiceImpl>(engine_.get(), stories_.get(), watches_.get());
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    stub_ = v1::QueryService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override {
    watches_->Close();
    server_->Shutdown();
  }

  std::unique_ptr<QueryEngine> engine_;
  std::unique_ptr<StoryQueries> stories_;
  std::unique_ptr<WatchRegistry> watches_;
  std::unique_ptr<QueryServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::QueryService::Stub> stub_;
};

TEST_F(SeedStoryRpcTest, ListStoriesGetStoryAndArticlesAgree) {
  v1::ListStoriesRequest list;
  v1::ListStoriesResponse stories;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->ListStories(&context, list, &stories).ok());
  }
  ASSERT_EQ(stories.stories_size(), 3);
  EXPECT_EQ(stories.total_size(), 3);
  EXPECT_EQ(stories.stories(0).article_count(), 2);
  EXPECT_EQ(stories.stories(1).article_count(), 2);
  EXPECT_EQ(stories.stories(2).article_count(), 1);
  EXPECT_EQ(stories.stories(2).id(), StoryOf(kQinGangCallMarch17));

  // Each article says its story, and the story lists as many articles.
  v1::GetArticleRequest get;
  get.set_name(ids_.at(kXiZelenskyCallToo));
  v1::GetArticleResponse article;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->GetArticle(&context, get, &article).ok());
  }
  EXPECT_EQ(article.article().story_id(), StoryOf(kXiZelenskyCall));
  EXPECT_EQ(article.article().copy_of(), "");

  v1::GetStoryRequest get_story;
  get_story.set_name("stories/" + article.article().story_id());
  v1::GetStoryResponse story;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->GetStory(&context, get_story, &story).ok());
  }
  EXPECT_EQ(story.story().article_count(), 2);
  EXPECT_EQ(story.story().start_time().seconds() / 86400,
            absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2023, 4, 26), absl::UTCTimeZone())) /
                86400);

  // Search filtered and faceted by story.
  v1::SearchArticlesRequest search;
  search.mutable_filter()->add_story_ids(story.story().id());
  search.add_facets()->set_group_by(v1::COUNT_GROUP_BY_STORY);
  v1::SearchArticlesResponse found;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->SearchArticles(&context, search, &found).ok());
  }
  EXPECT_EQ(found.total_size(), 2);
  ASSERT_EQ(found.facets_size(), 1);
  ASSERT_EQ(found.facets(0).groups_size(), 1);
  EXPECT_EQ(found.facets(0).groups(0).key(), story.story().id());
  EXPECT_EQ(found.facets(0).groups(0).article_count(), 2);

  // Stories naming Macron, by any spelling: the Beijing meeting only.
  list.set_entity("Macron");
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->ListStories(&context, list, &stories).ok());
  }
  ASSERT_EQ(stories.stories_size(), 1);
  EXPECT_EQ(stories.stories(0).id(), StoryOf(kBeijingXiMacron));

  // Stories by recency, one a page.
  list.Clear();
  list.set_order(v1::STORY_ORDER_RECENCY);
  list.set_page_size(1);
  std::vector<std::string> order;
  do {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->ListStories(&context, list, &stories).ok());
    for (const v1::Story& s : stories.stories()) order.push_back(s.id());
    list.set_page_token(stories.next_page_token());
  } while (!stories.next_page_token().empty());
  EXPECT_EQ(order, (std::vector<std::string>{StoryOf(kXiZelenskyCall), StoryOf(kBeijingXiMacron),
                                             StoryOf(kQinGangCallMarch17)}));
}

TEST_F(SeedStoryRpcTest, StoriesFollowAliasChangesAndTopicUpdates) {
  auto list = [this](const std::string& entity, const std::string& topic) {
    v1::ListStoriesRequest request;
    request.set_entity(entity);
    request.set_topic(topic);
    v1::ListStoriesResponse response;
    grpc::ClientContext context;
    grpc::Status status = stub_->ListStories(&context, request, &response);
    std::vector<std::string> ids;
    if (!status.ok()) {
      ids.push_back(status.error_message());
      return ids;
    }
    for (const v1::Story& s : response.stories()) ids.push_back(s.id());
    return ids;
  };
  const std::string meeting = StoryOf(kBeijingXiMacron);
  ASSERT_EQ(list("person-emmanuel-macron", ""), std::vector<std::string>{meeting});

  // Macron's spellings move to a new entity: the articles are re-linked,
  // and the story is found under the new id only.
  std::optional<EntityInfo> macron = index_->GetEntity("person-emmanuel-macron");
  ASSERT_TRUE(macron);
  LogEntry split;
  split.sequence = index_->head() + 1;
  split.alias_change.emplace();
  split.alias_change->version = 1;
  split.alias_change->kind = AliasChangeKind::kSplit;
  split.alias_change->entity_id = "person-emmanuel-macron";
  split.alias_change->new_entity_id = "person-president-macron";
  split.alias_change->spellings = macron->spellings;
  split.alias_change->display_name = "President Macron";
  split.alias_change->type = EntityType::kPerson;
  ASSERT_TRUE(index_->Apply(split).ok());
  EXPECT_EQ(list("person-president-macron", ""), std::vector<std::string>{meeting});
  v1::GetStoryRequest get;
  get.set_name("stories/" + meeting);
  v1::GetStoryResponse story;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->GetStory(&context, get, &story).ok());
  }
  std::vector<std::string> top;
  for (const v1::EntitySummary& e : story.story().top_entities())
    top.push_back(e.entity_id());
  EXPECT_NE(std::find(top.begin(), top.end(), "person-president-macron"), top.end());
  EXPECT_EQ(std::find(top.begin(), top.end(), "person-emmanuel-macron"), top.end());

  // Both articles of the meeting re-classified under a topic no seed has.
  constexpr char kWeather[] = "medtop:17000000";
  EXPECT_TRUE(list("", kWeather).empty());
  for (const char* seed : {kBeijingXiMacron, kBeijingXiMacronToo}) {
    LogEntry update;
    update.sequence = index_->head() + 1;
    update.topic_update = TopicUpdate{
        ids_.at(seed), {ArticleTopic{kWeather, "weather", 0.9, false}}, "test"};
    ASSERT_TRUE(index_->Apply(std::move(update)).ok());
  }
  EXPECT_EQ(list("", kWeather), std::vector<std::string>{meeting});
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->GetStory(&context, get, &story).ok());
  }
  ASSERT_EQ(story.story().top_topics_size(), 1);
  EXPECT_EQ(story.story().top_topics(0).code(), kWeather);
  EXPECT_EQ(story.story().top_topics(0).article_count(), 2);
}

// The links are the same whether the link stage runs in step with indexing,
// a few entries behind it, or only after the whole log, and whether the
// waiting articles are held or read back: the linker sees the same events
// in the same (log) order. The log: the five seeds, near-copies
// of two of them, an alias change and a topic update in between.
TEST(SeedLinksTest, LinksAreTheSameInStepOrBehind) {
  absl::StatusOr<SharedData> loaded =
      LoadSharedData(NEWSDESK_DATA_DIR, "/usr/share/iso-codes/json/iso_3166-1.json");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const SharedData data = *std::move(loaded);
  absl::StatusOr<std::vector<SeedArticle>> seeds = ParseSeedArticles(NEWSDESK_DATA_DIR, data);
  ASSERT_TRUE(seeds.ok()) << seeds.status();
  std::vector<LogEntry> log;
  auto append = [&log](LogEntry entry) {
    entry.sequence = static_cast<int64_t>(log.size()) + 1;
    if (entry.article) entry.article->log_sequence = entry.sequence;
    log.push_back(std::move(entry));
  };
  for (const SeedArticle& seed : *seeds) {
    LogEntry entry;
    entry.article = seed.article;
    append(std::move(entry));
  }
  LogEntry split;
  split.alias_change.emplace();
  split.alias_change->version = 1;
  split.alias_change->kind = AliasChangeKind::kSplit;
  split.alias_change->entity_id = "person-emmanuel-macron";
  split.alias_change->new_entity_id = "person-president-macron";
  split.alias_change->spellings = {"Macron", "Emmanuel Macron"};
  split.alias_change->display_name = "President Macron";
  split.alias_change->type = EntityType::kPerson;
  append(std::move(split));
  for (const size_t i : {size_t{0}, size_t{2}}) {
    LogEntry copy;
    copy.article = (*seeds)[i].article;
    copy.article->id += "-copy";
    copy.article->source = "copier";
    copy.article->paragraphs.push_back("Reporting by a wire service.");
    append(std::move(copy));
  }
  LogEntry update;
  update.topic_update =
      TopicUpdate{(*seeds)[1].article.id,
                  {ArticleTopic{"medtop:17000000", "weather", 0.9, false}}, "test"};
  append(std::move(update));

  struct Links {
    std::string story_id, copy_of;
    double copy_similarity = 0;
    bool operator==(const Links& o) const {
      return story_id == o.story_id && copy_of == o.copy_of &&
             copy_similarity == o.copy_similarity;
    }
  };
  // Applies the log with the link stage `behind` entries behind (-1: in
  // step, not deferred), holding at most `max_held` articles in link events
  // (the others are read back); the links of every article and the story
  // count.
  auto links_of = [&](int behind, int max_held) {
    StoryTracker tracker(StoryTrackerOptions{}, data.taxonomy.get());
    ArticleIndex index(data.taxonomy.get(), &entities::NameKey, data.lexicon.get(), &tracker,
                       nullptr, LinkOptions{/*deferred=*/behind >= 0, max_held});
    for (const LogEntry& entry : log) {
      EXPECT_TRUE(index.Apply(entry).ok());
      while (behind >= 0 && index.pending_links() > behind) {
        EXPECT_TRUE(index.LinkPending(nullptr, 1).ok());
      }
    }
    if (behind >= static_cast<int>(log.size())) {
      EXPECT_EQ(index.linked_head(), 0);
    }
    EXPECT_TRUE(index.LinkPending().ok());
    EXPECT_EQ(index.linked_head(), index.head());
    std::map<std::string, Links> out;
    for (const LogEntry& entry : log) {
      if (!entry.article) continue;
      std::shared_ptr<const Article> a = index.Get(entry.article->id).value();
      out[a->id] = Links{a->story_id, a->copy_of, a->copy_similarity};
    }
    return std::make_pair(out, tracker.story_count());
  };
  const auto in_step = links_of(-1, LinkOptions{}.max_held);
  // The log as linked: both copies found, of their originals' stories.
  const std::string first = (*seeds)[0].article.id, third = (*seeds)[2].article.id;
  EXPECT_EQ(in_step.first.at(first + "-copy").copy_of, first);
  EXPECT_EQ(in_step.first.at(third + "-copy").copy_of, third);
  EXPECT_EQ(in_step.first.at(first + "-copy").story_id, in_step.first.at(first).story_id);
  EXPECT_EQ(in_step.second, 3u);
  for (const int behind : {0, 1, 3, 100}) {
    for (const int max_held : {LinkOptions{}.max_held, 1, 0}) {
      const auto linked = links_of(behind, max_held);
      EXPECT_EQ(linked.second, in_step.second) << behind;
      for (const auto& [id, links] : in_step.first) {
        EXPECT_TRUE(linked.first.at(id) == links)
            << id << " behind " << behind << " holding " << max_held;
      }
    }
  }
}

TEST_F(SeedStoryRpcTest, BadStoryRequestsAreRefusedWithTheirField) {
  grpc::ClientContext c1;
  v1::GetStoryResponse story;
  EXPECT_EQ(stub_->GetStory(&c1, v1::GetStoryRequest(), &story).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext c2;
  v1::GetStoryRequest missing;
  missing.set_name("stories/story-0000000000000000");
  EXPECT_EQ(stub_->GetStory(&c2, missing, &story).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ListStoriesResponse stories;
  grpc::ClientContext c3;
  v1::ListStoriesRequest bad_topic;
  bad_topic.set_topic("no such topic");
  grpc::Status status = stub_->ListStories(&c3, bad_topic, &stories);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("unknown topic"), std::string::npos);
  grpc::ClientContext c4;
  v1::ListStoriesRequest negative;
  negative.set_page_size(-1);
  EXPECT_EQ(stub_->ListStories(&c4, negative, &stories).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext c5;
  v1::ListStoriesRequest forged;
  forged.set_page_token("not-a-token");
  EXPECT_EQ(stub_->ListStories(&c5, forged, &stories).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext c6;
  v1::ListStoriesRequest inverted;
  inverted.mutable_start_time()->set_seconds(2000);
  inverted.mutable_end_time()->set_seconds(1000);
  EXPECT_EQ(stub_->ListStories(&c6, inverted, &stories).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace newsdesk::query
