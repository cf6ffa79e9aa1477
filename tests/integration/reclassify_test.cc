// Re-classification without re-ingesting, with the real processes: the
// ingest service stores the seed articles under one taxonomy release and term
// table, is restarted with another release and table, and classifies the
// stored articles again (ReclassifyArticles). The query service follows the
// topic updates in the log, and after its own restart it has applied each
// exactly once.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/test_cluster.h"

namespace newsdesk::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> SeedContents() {
  std::vector<fs::path> paths;
  for (const auto& entry :
       fs::directory_iterator(std::string(NEWSDESK_DATA_DIR) + "/seeds")) {
    paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> out;
  for (const fs::path& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    out.push_back(buffer.str());
  }
  return out;
}

// Data files of "release B": the shipped vocabulary and entity table under
// another release name, and a term table that finds sport everywhere.
std::string ReleaseB(const std::string& dir) {
  const fs::path root = fs::path(dir) / "release-b";
  fs::create_directories(root / "iptc");
  fs::create_directories(root / "topics");
  const fs::path data(NEWSDESK_DATA_DIR);
  fs::create_symlink(data / "entities", root / "entities");
  fs::create_symlink(data / "iptc" / "mediatopics.tsv",
                     root / "iptc" / "mediatopics.tsv");
  std::ofstream(root / "iptc" / "VERSION") << "test-release-b\n";
  std::ofstream(root / "topics" / "topic_terms.tsv")
      << "medtop:15000000\t1\tthe|and|of|in|to|a\n";
  return root.string();
}

// Total articles of a topic and below, as ListTopics counts them.
int64_t TopicCount(TestCluster* cluster, const std::string& code) {
  v1::ListTopicsRequest request;
  request.set_page_size(1000);
  v1::ListTopicsResponse response;
  grpc::ClientContext context;
  EXPECT_TRUE(cluster->query_stub()->ListTopics(&context, request, &response).ok());
  for (const v1::TopicSummary& topic : response.topics()) {
    if (topic.code() == code) return topic.article_count();
  }
  return 0;
}

bool WaitFor(const std::function<bool()>& done,
             absl::Duration timeout = absl::Seconds(30)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return true;
}

TEST(ReclassifyIntegrationTest, StoredArticlesGetTheTopicsOfANewReleaseOnce) {
  const std::string dir = ::testing::TempDir() + "/reclassify_test";
  TestCluster cluster(dir);
  const std::string release_b = ReleaseB(dir + "-data-" + std::to_string(getpid()));
  ASSERT_TRUE(cluster.StartIngest().ok());
  ASSERT_TRUE(cluster.StartQuery().ok());
  ASSERT_TRUE(cluster.WaitQueryServing().ok());

  const std::vector<std::string> seeds = SeedContents();
  ASSERT_FALSE(seeds.empty());
  const int64_t n = static_cast<int64_t>(seeds.size());
  for (const std::string& content : seeds) {
    v1::IngestArticleRequest request;
    request.mutable_article()->set_content(content);
    v1::IngestArticleResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(cluster.ingest_stub()->IngestArticle(&context, request, &response).ok());
    EXPECT_NE(response.article().taxonomy_version(), "test-release-b");
  }
  ASSERT_TRUE(cluster.WaitForArticleCount(n).ok());
  EXPECT_EQ(TopicCount(&cluster, "medtop:16000000"), n);  // conflict, war and peace
  EXPECT_EQ(TopicCount(&cluster, "medtop:15000000"), 0);

  // Release B: classify the stored articles again, in steps of two entries.
  ASSERT_TRUE(cluster.StartIngest({"--data_files_dir=" + release_b}).ok());
  v1::ReclassifyArticlesRequest request;
  request.set_max_entries(2);
  int64_t updated = 0;
  int calls = 0;
  do {
    v1::ReclassifyArticlesResponse response;
    grpc::ClientContext context;
    grpc::Status status =
        cluster.ingest_stub()->ReclassifyArticles(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.taxonomy_version(), "test-release-b");
    updated += response.updated_count();
    request.set_start_sequence(response.next_sequence());
    ASSERT_LT(++calls, 100);
  } while (request.start_sequence() != 0);
  EXPECT_EQ(updated, n);

  // The query service applies the updates from the log.
  EXPECT_TRUE(WaitFor([&] { return TopicCount(&cluster, "medtop:15000000") == n; }))
      << TopicCount(&cluster, "medtop:15000000");
  EXPECT_EQ(TopicCount(&cluster, "medtop:16000000"), 0);
  absl::StatusOr<std::vector<v1::Article>> articles = cluster.AllArticles();
  ASSERT_TRUE(articles.ok());
  ASSERT_EQ(static_cast<int64_t>(articles->size()), n);
  for (const v1::Article& article : *articles) {
    EXPECT_EQ(article.taxonomy_version(), "test-release-b");
    ASSERT_GE(article.topics_size(), 1);
    EXPECT_EQ(article.topics(0).code(), "medtop:15000000");
  }

  // A restarted query service rebuilds the same index from its replica: each
  // update applied once, nothing counted twice.
  ASSERT_TRUE(cluster.StartQuery().ok());
  ASSERT_TRUE(cluster.WaitQueryServing().ok());
  EXPECT_EQ(TopicCount(&cluster, "medtop:15000000"), n);
  EXPECT_EQ(TopicCount(&cluster, "medtop:16000000"), 0);
  articles = cluster.AllArticles();
  ASSERT_TRUE(articles.ok());
  EXPECT_EQ(static_cast<int64_t>(articles->size()), n);

  // Nothing is left to do under release B; the CLI says so.
  const std::string command = absl::StrCat(BinDir(), "/newsdesk --ingest=",
                                           cluster.ingest_address(), " reclassify");
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[256];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) output += buffer;
  EXPECT_EQ(pclose(pipe), 0) << output;
  EXPECT_EQ(output, absl::StrCat("visited ", n,
                                 " articles; 0 got new topics under IPTC release "
                                 "test-release-b\n"));
}

}  // namespace
}  // namespace newsdesk::testing
