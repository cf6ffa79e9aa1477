#include "query_service/core/watch_registry.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "common/entities/name_key.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "query_service/index/testing/one_story_linker.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;
using ::testing::HasSubstr;

class WatchRegistryTest : public ::testing::Test {
 protected:
  WatchRegistryTest()
      : taxonomy_(*Taxonomy::LoadFromString("h\nmedtop:15000000\t\t1\t0\tsport\t\n", "t")),
        index_(taxonomy_.get(), &entities::NameKey) {}

  // Applies the next article (naming `entity` when set) and publishes it,
  // as the log follower does.
  void Apply(WatchRegistry& registry, const std::string& entity) {
    Article a;
    a.log_sequence = index_.head() + 1;
    a.id = absl::StrCat("a", a.log_sequence);
    if (!entity.empty()) {
      ArticleEntity& e = a.entities.emplace_back();
      e.id = entity;
      e.spellings = {entity};
      e.mention_count = 1;
    }
    auto article = std::make_shared<const Article>(std::move(a));
    ASSERT_THAT(index_.Add(article), IsOk());
    registry.Publish(article);
  }

  static ResolvedFilter ForEntity(const std::string& id) {
    ResolvedFilter filter;
    filter.query.entity_groups = {{id}};
    filter.entities.push_back({id, {id}, 0});
    return filter;
  }

  // Drains what the watch has now: the sequences delivered.
  static std::vector<int64_t> Drain(Watch& watch) {
    std::vector<int64_t> out;
    while (true) {
      absl::StatusOr<std::optional<SearchMatch>> next = watch.Next(absl::ZeroDuration());
      EXPECT_THAT(next, IsOk());
      if (!next.ok() || !next->has_value()) return out;
      out.push_back((*next)->article->log_sequence);
    }
  }

  // Resolves a reference to the entity ids the index knows under it.
  WatchRegistry::EntityResolver Resolver() {
    return [this](absl::string_view name) { return index_.FindEntityIds(name); };
  }

  std::unique_ptr<Taxonomy> taxonomy_;
  ArticleIndex index_;
};

TEST_F(WatchRegistryTest, DeliversOnlyNewMatchingArticlesWithTheirExplanation) {
  WatchRegistry registry(WatchRegistryOptions{}, &index_, taxonomy_.get(), Resolver());
  Apply(registry, "x");  // before the watch: not delivered
  auto watch = registry.Start(ForEntity("x"), 0);
  ASSERT_THAT(watch, IsOk());
  Apply(registry, "x");
  Apply(registry, "y");
  Apply(registry, "x");
  absl::StatusOr<std::optional<SearchMatch>> first = (*watch)->Next(absl::Seconds(1));
  ASSERT_THAT(first, IsOk());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->article->log_sequence, 2);
  ASSERT_EQ((*first)->entity_matches.size(), 1u);
  EXPECT_EQ((*first)->entity_matches[0].entity_id, "x");
  EXPECT_EQ(Drain(**watch), std::vector<int64_t>{4});
  EXPECT_EQ((*watch)->last_delivered(), 4);
}

TEST_F(WatchRegistryTest, NextWaitsForAnArticleFromAnotherThread) {
  WatchRegistry registry(WatchRegistryOptions{}, &index_, taxonomy_.get(), Resolver());
  auto watch = registry.Start(ResolvedFilter(), 0);
  ASSERT_THAT(watch, IsOk());
  std::thread applier([&] {
    absl::SleepFor(absl::Milliseconds(50));
    Apply(registry, "");
  });
  absl::StatusOr<std::optional<SearchMatch>> next = (*watch)->Next(absl::Seconds(10));
  applier.join();
  ASSERT_THAT(next, IsOk());
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ((*next)->article->log_sequence, 1);
  EXPECT_FALSE((*watch)->Next(absl::Milliseconds(1))->has_value());
}

TEST_F(WatchRegistryTest, ResumeReplaysFromTheIndexThenGoesLiveWithoutGapOrDuplicate) {
  WatchRegistry registry(WatchRegistryOptions{100, 1000, /*replay_batch=*/3}, &index_,
                         taxonomy_.get(), Resolver());
  for (int i = 0; i < 10; ++i) Apply(registry, i % 2 == 0 ? "x" : "y");  // x at 1,3,5,7,9
  auto watch = registry.Start(ForEntity("x"), 4);
  ASSERT_THAT(watch, IsOk());
  // Articles arriving while the watch replays come after the replayed ones.
  Apply(registry, "x");  // 11
  Apply(registry, "y");  // 12
  absl::StatusOr<std::optional<SearchMatch>> first = (*watch)->Next(absl::Seconds(1));
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->article->log_sequence, 5);
  Apply(registry, "x");  // 13
  EXPECT_EQ(Drain(**watch), (std::vector<int64_t>{7, 9, 11, 13}));

  // A position beyond the index: only later articles.
  auto ahead = registry.Start(ForEntity("x"), 14);
  ASSERT_THAT(ahead, IsOk());
  Apply(registry, "x");  // 14: not after 14
  Apply(registry, "x");  // 15
  EXPECT_EQ(Drain(**ahead), std::vector<int64_t>{15});
}

TEST_F(WatchRegistryTest, ASlowWatcherOverflowsAloneWithoutBlockingPublish) {
  WatchRegistry registry(WatchRegistryOptions{100, /*queue_capacity=*/3, 256}, &index_,
                         taxonomy_.get(), Resolver());
  auto slow = registry.Start(ForEntity("x"), 0);
  auto fast = registry.Start(ForEntity("x"), 0);
  ASSERT_THAT(slow, IsOk());
  ASSERT_THAT(fast, IsOk());
  Apply(registry, "x");
  Apply(registry, "x");
  ASSERT_TRUE((*slow)->Next(absl::ZeroDuration())->has_value());  // delivered 1
  std::vector<int64_t> fast_seen;
  for (int i = 0; i < 20; ++i) {  // Publish never waits for the slow one
    Apply(registry, "x");
    for (int64_t s : Drain(**fast)) fast_seen.push_back(s);
  }
  EXPECT_EQ(fast_seen.size(), 22u);
  EXPECT_THAT((*slow)->Next(absl::ZeroDuration()),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("start_after_log_position=1")));
  EXPECT_EQ((*slow)->last_delivered(), 1);

  // Resuming from the position given loses nothing.
  slow->reset();
  auto resumed = registry.Start(ForEntity("x"), 1);
  ASSERT_THAT(resumed, IsOk());
  std::vector<int64_t> rest = Drain(**resumed);
  ASSERT_EQ(rest.size(), 21u);
  EXPECT_EQ(rest.front(), 2);
  EXPECT_EQ(rest.back(), 22);
}

TEST_F(WatchRegistryTest, ANameNoArticleUsedYetMatchesOnceOneDoes) {
  WatchRegistry registry(WatchRegistryOptions{}, &index_, taxonomy_.get(), Resolver());
  ResolvedFilter filter;  // "newcomer" resolved to nothing when the watch began
  filter.query.entity_groups = {{}};
  filter.entities.push_back({"newcomer", {}, 0});
  auto watch = registry.Start(std::move(filter), 0);
  ResolvedFilter excluding;  // every article but those naming "newcomer"
  excluding.entities.push_back({"newcomer", {}, ResolvedFilter::kExcluded});
  auto other = registry.Start(std::move(excluding), 0);
  ASSERT_THAT(watch, IsOk());
  ASSERT_THAT(other, IsOk());
  Apply(registry, "someone");
  Apply(registry, "newcomer");
  Apply(registry, "newcomer");
  EXPECT_EQ(Drain(**watch), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(Drain(**other), (std::vector<int64_t>{1}));
}

TEST_F(WatchRegistryTest, LimitsWatchersAndEndsThemOnClose) {
  WatchRegistry registry(WatchRegistryOptions{/*max_watchers=*/2, 10, 10}, &index_,
                         taxonomy_.get(), Resolver());
  auto a = registry.Start(ResolvedFilter(), 0);
  auto b = registry.Start(ResolvedFilter(), 0);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_THAT(registry.Start(ResolvedFilter(), 0),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("2 watchers")));
  b->reset();  // a finished watch frees its place
  EXPECT_EQ(registry.active(), 1);
  auto c = registry.Start(ResolvedFilter(), 0);
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(registry.Start(ResolvedFilter(), -1),
              StatusIs(absl::StatusCode::kInvalidArgument));

  std::thread closer([&] {
    absl::SleepFor(absl::Milliseconds(50));
    registry.Close();
  });
  EXPECT_THAT((*a)->Next(absl::Seconds(10)), StatusIs(absl::StatusCode::kUnavailable));
  closer.join();
  EXPECT_THAT(registry.Start(ResolvedFilter(), 0), StatusIs(absl::StatusCode::kUnavailable));
}

// With the link stage behind indexing, a watch whose filter reads no links
// gets each article once indexed (without its story yet); a watch of a
// story gets it once linked, with its story, replaying up to the linked
// head and no further.
TEST(WatchRegistryLinkTest, AStoryWatchWaitsForTheLinksAndOthersDoNot) {
  auto taxonomy = *Taxonomy::LoadFromString("h\nmedtop:15000000\t\t1\t0\tsport\t\n", "t");
  OneStoryLinker linker;
  ArticleIndex index(taxonomy.get(), &entities::NameKey, nullptr, &linker, nullptr,
                     LinkOptions{/*deferred=*/true});
  WatchRegistry registry(WatchRegistryOptions{}, &index, taxonomy.get(),
                         [](absl::string_view) { return std::vector<std::string>(); });
  auto apply = [&](int64_t seq) {
    Article a;
    a.id = absl::StrCat("a", seq);
    a.log_sequence = seq;
    std::shared_ptr<const Article> indexed;
    ASSERT_THAT(index.Apply(LogEntry{seq, a, std::nullopt, std::nullopt}, &indexed), IsOk());
    registry.Publish(indexed, /*linked=*/false);
  };
  auto link = [&] {
    ASSERT_THAT(index.LinkPending([&registry](const std::shared_ptr<const Article>& a) {
      registry.Publish(a, /*linked=*/true);
    }),
                IsOk());
  };
  apply(1);
  link();
  apply(2);  // indexed, not linked
  ResolvedFilter of_story;
  of_story.query.story_ids = {"s"};
  auto story = registry.Start(of_story, 0);
  auto all = registry.Start(ResolvedFilter(), 0);
  ASSERT_THAT(story, IsOk());
  ASSERT_THAT(all, IsOk());
  apply(3);
  absl::StatusOr<std::optional<SearchMatch>> first = (*all)->Next(absl::ZeroDuration());
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->article->log_sequence, 3);
  EXPECT_EQ((*first)->article->story_id, "");  // not linked yet
  EXPECT_FALSE((*story)->Next(absl::ZeroDuration())->has_value());
  link();  // links 2 and 3
  std::vector<int64_t> linked;
  while (true) {
    absl::StatusOr<std::optional<SearchMatch>> next = (*story)->Next(absl::ZeroDuration());
    ASSERT_THAT(next, IsOk());
    if (!next->has_value()) break;
    EXPECT_EQ((*next)->article->story_id, "s");
    linked.push_back((*next)->article->log_sequence);
  }
  EXPECT_EQ(linked, (std::vector<int64_t>{2, 3}));
  EXPECT_FALSE((*all)->Next(absl::ZeroDuration())->has_value());  // nothing twice
  // Resumed from position 1 while linking lags: 2 replayed once linked.
  apply(4);
  auto resumed = registry.Start(of_story, 1);
  ASSERT_THAT(resumed, IsOk());
  link();
  std::vector<int64_t> got;
  while (true) {
    absl::StatusOr<std::optional<SearchMatch>> next = (*resumed)->Next(absl::ZeroDuration());
    ASSERT_THAT(next, IsOk());
    if (!next->has_value()) break;
    got.push_back((*next)->article->log_sequence);
  }
  EXPECT_EQ(got, (std::vector<int64_t>{2, 3, 4}));
  registry.Close();
}

}  // namespace
}  // namespace newsdesk::query
