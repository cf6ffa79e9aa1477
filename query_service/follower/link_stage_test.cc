#include "query_service/follower/link_stage.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::IsOk;
using ::testing::ElementsAre;

constexpr char kTaxonomy[] =
    "qcode\tparent\tlevel\tretired\tlabel\tdef\n"
    "medtop:15000000\t\t1\t0\tsport\t\n";

std::string LowerKey(absl::string_view s) { return std::string(s); }

// Puts every article in story "s", and fails while `failing` is positive
// (counting it down), remembering nothing then.
class FlakyLinker final : public ArticleLinker {
 public:
  absl::Status Link(Article* article, const EarlierArticles&) override {
    if (failing > 0) {
      --failing;
      return absl::UnavailableError("the replica cannot be read");
    }
    article->story_id = "s";
    ++linked;
    return absl::OkStatus();
  }
  void Changed(const Article&, const Article&) override {}
  std::atomic<int> failing{0};
  std::atomic<int> linked{0};
};

LogEntry ArticleEntry(int64_t seq) {
  Article a;
  a.id = absl::StrCat("id", seq);
  a.log_sequence = seq;
  a.paragraphs = {"Grain deal."};
  return LogEntry{seq, a, std::nullopt, std::nullopt};
}

// The stage links what the index queues, in log order, hands each article
// on once linked, retries a failure until it succeeds (unhealthy meanwhile),
// and tells when a log position is linked.
TEST(LinkStageTest, LinksInOrderRetriesFailuresAndTellsWhenLinked) {
  absl::StatusOr<std::unique_ptr<Taxonomy>> taxonomy =
      Taxonomy::LoadFromString(kTaxonomy, "test");
  ASSERT_TRUE(taxonomy.ok()) << taxonomy.status();
  FlakyLinker linker;
  ArticleIndex index(taxonomy->get(), &LowerKey, nullptr, &linker, nullptr,
                     LinkOptions{/*deferred=*/true});
  absl::Mutex mu;
  std::vector<int64_t> published;
  LinkStageOptions options;
  options.initial_backoff = absl::Milliseconds(5);
  LinkStage stage(options, &index, [&](const std::shared_ptr<const Article>& a) {
    absl::MutexLock lock(&mu);
    EXPECT_EQ(a->story_id, "s");
    published.push_back(a->log_sequence);
  });
  linker.failing = 3;
  std::atomic<bool> reached{false};
  stage.WhenLinked(2, [&reached] { reached = true; });
  stage.Start();
  ASSERT_THAT(index.Apply(ArticleEntry(1)), IsOk());
  ASSERT_THAT(index.Apply(ArticleEntry(2)), IsOk());
  EXPECT_EQ(index.WaitForLinked(2, absl::Now() + absl::Seconds(10)), 2);
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!reached && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_TRUE(reached);
  EXPECT_EQ(stage.failures(), 3);
  EXPECT_EQ(linker.linked, 2);
  // Already linked: at once, on this thread.
  bool now = false;
  stage.WhenLinked(1, [&now] { now = true; });
  EXPECT_TRUE(now);
  stage.Stop();
  EXPECT_TRUE(stage.healthy());
  absl::MutexLock lock(&mu);
  EXPECT_THAT(published, ElementsAre(1, 2));
}

// A failure that lasts leaves the stage unhealthy and the article queryable
// without links; the queries that read links wait.
TEST(LinkStageTest, ALastingFailureIsUnhealthyAndLinksNothing) {
  absl::StatusOr<std::unique_ptr<Taxonomy>> taxonomy =
      Taxonomy::LoadFromString(kTaxonomy, "test");
  ASSERT_TRUE(taxonomy.ok()) << taxonomy.status();
  FlakyLinker linker;
  linker.failing = 1 << 30;
  ArticleIndex index(taxonomy->get(), &LowerKey, nullptr, &linker, nullptr,
                     LinkOptions{/*deferred=*/true});
  LinkStageOptions options;
  options.initial_backoff = absl::Milliseconds(1);
  options.max_backoff = absl::Milliseconds(2);
  LinkStage stage(options, &index);
  stage.Start();
  ASSERT_THAT(index.Apply(ArticleEntry(1)), IsOk());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (stage.failures() < 3 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_GE(stage.failures(), 3);
  EXPECT_FALSE(stage.healthy());
  EXPECT_EQ(index.linked_head(), 0);
  EXPECT_EQ(index.Get("id1").value()->story_id, "");
  IndexQuery by_story;
  by_story.story_ids = {"s"};
  EXPECT_EQ(index.Search(by_story, nullptr, 10, 0)->total_size, 0);
  stage.Stop();
  EXPECT_EQ(linker.linked, 0);
}

// The stage's thread runs at a lower CPU priority than the rest of the
// process (its nice value raised by nice_increment, at most 19), unless
// the increment is 0.
TEST(LinkStageTest, LinksAtALowerPriority) {
  absl::StatusOr<std::unique_ptr<Taxonomy>> taxonomy =
      Taxonomy::LoadFromString(kTaxonomy, "test");
  ASSERT_TRUE(taxonomy.ok()) << taxonomy.status();
  auto nice_of_this_thread = [] {
    return getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
  };
  const int own = nice_of_this_thread();
  for (const int increment : {0, 5}) {
    FlakyLinker linker;
    ArticleIndex index(taxonomy->get(), &LowerKey, nullptr, &linker, nullptr,
                       LinkOptions{/*deferred=*/true});
    LinkStageOptions options;
    options.nice_increment = increment;
    std::atomic<int> linking_nice{-100};
    LinkStage stage(options, &index, [&](const std::shared_ptr<const Article>&) {
      linking_nice = nice_of_this_thread();
    });
    stage.Start();
    ASSERT_THAT(index.Apply(ArticleEntry(1)), IsOk());
    EXPECT_EQ(index.WaitForLinked(1, absl::Now() + absl::Seconds(10)), 1);
    stage.Stop();
    EXPECT_EQ(linking_nice, std::min(19, own + increment)) << increment;
    EXPECT_EQ(nice_of_this_thread(), own);
  }
}

}  // namespace
}  // namespace newsdesk::query
