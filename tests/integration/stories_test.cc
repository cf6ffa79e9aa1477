// Stories and near-copies with real processes: the five sample articles,
// ingested in file order, form three stories on the query service; an
// edited copy of one is linked to it and folds into it in a collapsed
// search; and a query service killed and started again on its replica
// gives every article the same story.
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/model/publish_time_hints.h"
#include "gtest/gtest.h"
#include "tests/integration/service_process.h"
#include "tests/integration/test_cluster.h"

namespace newsdesk::testing {
namespace {

std::string ReadSeed(const std::string& name) {
  std::ifstream in(std::string(NEWSDESK_DATA_DIR) + "/seeds/" + name, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

constexpr const char* kSeeds[] = {"000_bc9c7e850a66cecc.txt", "001_fc00426c0e321901.txt",
                                  "002_b3046c6bb07cf1a6.txt", "003_a3f724cffde74e1a.txt",
                                  "004_5ae21f2a0cf7424a.txt"};
// The publication days the feed sent with the three seeds that name no date
// of their own (the Beijing meeting of 6 April 2023, the call of 26 April).
std::string HintOf(const std::string& seed) {
  static const PublishTimeHints* const hints = [] {
    absl::StatusOr<PublishTimeHints> read =
        ReadPublishTimeHints(std::string(NEWSDESK_DATA_DIR) + "/seeds.hints.tsv");
    EXPECT_TRUE(read.ok()) << read.status();
    return new PublishTimeHints(read.ok() ? *std::move(read) : PublishTimeHints());
  }();
  auto it = hints->find(seed);
  return it == hints->end() ? "" : it->second;
}

std::string Ingest(TestCluster* cluster, const std::string& content,
                   const std::string& publish_time_hint = "") {
  v1::IngestArticleRequest request;
  request.mutable_article()->set_content(content);
  request.mutable_article()->mutable_metadata()->set_publish_time_hint(publish_time_hint);
  v1::IngestArticleResponse response;
  grpc::ClientContext context;
  grpc::Status status = cluster->ingest_stub()->IngestArticle(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.article().article_id();
}

// Article id -> story id, as the query service serves them.
std::map<std::string, std::string> StoriesOf(TestCluster* cluster) {
  std::map<std::string, std::string> out;
  absl::StatusOr<std::vector<v1::Article>> all = cluster->AllArticles();
  EXPECT_TRUE(all.ok()) << all.status();
  if (all.ok()) {
    for (const v1::Article& a : *all) out[a.article_id()] = a.story_id();
  }
  return out;
}

TEST(StoriesTest, SeedsFormThreeStoriesCopiesFoldAndARestartKeepsTheIds) {
  TestCluster cluster(::testing::TempDir() + "/stories_test");
  ASSERT_TRUE(cluster.StartIngest().ok());
  ASSERT_TRUE(cluster.StartQuery().ok());
  ASSERT_TRUE(cluster.WaitQueryServing().ok());
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(Ingest(&cluster, ReadSeed(kSeeds[i]), HintOf(kSeeds[i])));
  ASSERT_TRUE(cluster.WaitForArticleCount(5).ok());

  // Three stories: the Beijing meeting (000, 003), the phone call of 26
  // April 2023 (002, 004), the 17 March 2023 article (001) alone.
  std::map<std::string, std::string> story = StoriesOf(&cluster);
  EXPECT_EQ(story[ids[0]], story[ids[3]]);
  EXPECT_EQ(story[ids[2]], story[ids[4]]);
  EXPECT_NE(story[ids[0]], story[ids[2]]);
  EXPECT_NE(story[ids[1]], story[ids[0]]);
  EXPECT_NE(story[ids[1]], story[ids[2]]);
  v1::ListStoriesResponse listed;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(cluster.query_stub()->ListStories(&context, v1::ListStoriesRequest(), &listed).ok());
  }
  ASSERT_EQ(listed.stories_size(), 3);
  EXPECT_EQ(listed.stories(0).article_count(), 2);
  EXPECT_EQ(listed.stories(1).article_count(), 2);
  EXPECT_EQ(listed.stories(2).article_count(), 1);

  // Another outlet's copy of 002: its own headline and boilerplate.
  const std::string copy =
      Ingest(&cluster, "Xi and Zelensky speak for the first time since the invasion\n\n" +
                           ReadSeed(kSeeds[2]) +
                           "\n\nCopyright 2023 Another Outlet. All rights reserved. Sign up "
                           "for our newsletter to get the top stories every morning.\n",
                       "2023-04-27");
  ASSERT_TRUE(cluster.WaitForArticleCount(6).ok());
  v1::GetArticleRequest get;
  get.set_name(copy);
  v1::GetArticleResponse got;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(cluster.query_stub()->GetArticle(&context, get, &got).ok());
  }
  EXPECT_EQ(got.article().copy_of(), ids[2]);
  EXPECT_GT(got.article().copy_similarity(), 0.9);
  EXPECT_EQ(got.article().story_id(), story[ids[2]]);

  // Both stay queryable; a collapsed search folds the copy into 002.
  v1::SearchArticlesRequest search;
  search.mutable_filter()->add_story_ids(story[ids[2]]);
  v1::SearchArticlesResponse found;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(cluster.query_stub()->SearchArticles(&context, search, &found).ok());
  }
  EXPECT_EQ(found.total_size(), 3);
  search.set_collapse_copies(true);
  {
    grpc::ClientContext context;
    ASSERT_TRUE(cluster.query_stub()->SearchArticles(&context, search, &found).ok());
  }
  EXPECT_EQ(found.total_size(), 2);
  bool folded = false;
  for (const v1::ArticleMatch& m : found.matches()) {
    if (m.article().article_id() != ids[2]) continue;
    ASSERT_EQ(m.copy_ids_size(), 1);
    EXPECT_EQ(m.copy_ids(0), copy);
    EXPECT_EQ(m.copy_count(), 1);
    folded = true;
  }
  EXPECT_TRUE(folded);

  // A restarted query replica rebuilds the same stories from its replica.
  story = StoriesOf(&cluster);
  cluster.query()->Kill();
  ASSERT_TRUE(cluster.StartQuery().ok());
  ASSERT_TRUE(cluster.WaitQueryServing().ok());
  ASSERT_TRUE(cluster.WaitForArticleCount(6).ok());
  EXPECT_EQ(StoriesOf(&cluster), story);
  v1::GetStoryRequest get_story;
  get_story.set_name("stories/" + story[ids[2]]);
  v1::GetStoryResponse the_call;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(cluster.query_stub()->GetStory(&context, get_story, &the_call).ok());
  }
  EXPECT_EQ(the_call.story().article_count(), 3);
  EXPECT_EQ(the_call.story().copy_count(), 1);
}

TEST(StoriesTest, TheCliIngestsTheSeedsWithTheirFeedTimesAndListsTheThreeStories) {
  // As scripts/quickstart.sh does it.
  TestCluster cluster(::testing::TempDir() + "/stories_cli_test");
  ASSERT_TRUE(cluster.StartIngest().ok());
  ASSERT_TRUE(cluster.StartQuery().ok());
  ASSERT_TRUE(cluster.WaitQueryServing().ok());
  const std::string cli =
      absl::StrCat(BinDir(), "/newsdesk --ingest=", cluster.ingest_address(),
                   " --query=", cluster.query_address());
  int code = 0;
  const std::string ingested =
      Shell(absl::StrCat(cli, " ingest --hints=", NEWSDESK_DATA_DIR, "/seeds.hints.tsv ",
                         NEWSDESK_DATA_DIR, "/seeds 2>&1"),
            &code);
  ASSERT_EQ(code, 0) << ingested;
  EXPECT_NE(ingested.find("5 stored"), std::string::npos) << ingested;
  // The hinted day stands as the publication time of 000 and 003, which
  // name no date of their own.
  EXPECT_NE(ingested.find("2023-04-06"), std::string::npos) << ingested;
  ASSERT_TRUE(cluster.WaitForArticleCount(5).ok());

  const std::string stories = Shell(absl::StrCat(cli, " stories 2>&1"), &code);
  ASSERT_EQ(code, 0) << stories;
  // One line a story, largest first: its article count, then its id.
  std::vector<std::string> counts;
  std::istringstream lines(stories);
  for (std::string line; std::getline(lines, line);) {
    if (absl::StartsWith(line, "2\tstory-") || absl::StartsWith(line, "1\tstory-")) {
      counts.push_back(line.substr(0, 1));
    }
  }
  EXPECT_EQ(counts, (std::vector<std::string>{"2", "2", "1"})) << stories;
  EXPECT_NE(stories.find("3 of 3 stories"), std::string::npos) << stories;
}

TEST(StoriesTest, ABadStoryFlagStopsTheQueryServiceWithItsName) {
  int code = 0;
  const std::string out = Shell(
      absl::StrCat(
          BinDir(), "/newsdesk-query --dev_mode_no_auth --listen=127.0.0.1:0 --data_dir=",
          ::testing::TempDir(), "/stories_bad_flag --story_join_threshold=1.5 2>&1"),
      &code);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("--story_join_threshold"), std::string::npos) << out;
}

}  // namespace
}  // namespace newsdesk::testing
