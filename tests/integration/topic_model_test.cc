// A topic model trained by the real `newsdesk-topics train` on labelled
// articles and loaded by the real ingest service with --topic_model: the
// service then classifies with it, and refuses to start on a broken model.
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/integration/test_cluster.h"

namespace newsdesk::testing {
namespace {

// A labelled-article line: labels, a tab, the escaped content.
std::string Line(const std::string& labels, const std::string& title,
                 const std::string& body) {
  return absl::StrCat(labels, "\t",
                      absl::StrReplaceAll(title + "\n\n" + body, {{"\\", "\\\\"}, {"\n", "\\n"}}),
                      "\n");
}

// Forty short articles on two topics, words varied so the model must
// generalise rather than memorise.
std::string TrainingFile() {
  const std::vector<std::string> football = {"striker", "goalkeeper", "midfielder", "penalty",
                                             "derby", "league", "referee", "coach"};
  const std::vector<std::string> money = {"inflation", "central bank", "interest rates",
                                          "bond yields", "currency", "monetary policy",
                                          "recession", "consumer prices"};
  std::string out;
  for (int i = 0; i < 20; ++i) {
    out += Line("medtop:20001065", absl::StrCat("The ", football[i % 8], " shines"),
                absl::StrCat("The ", football[(i + 1) % 8], " and the ", football[(i + 3) % 8],
                             " decided the match on Saturday."));
    out += Line("medtop:20000379", absl::StrCat("Worries over ", money[i % 8]),
                absl::StrCat("Analysts watched ", money[(i + 1) % 8], " and ",
                             money[(i + 5) % 8], " closely this week."));
  }
  return out;
}

TEST(TopicModelIntegrationTest, IngestClassifiesWithATrainedModel) {
  const std::string dir = ::testing::TempDir() + "/topic_model_test";
  std::system(("mkdir -p " + dir).c_str());
  {
    std::ofstream out(dir + "/labelled.tsv");
    out << TrainingFile();
  }
  const std::string model = dir + "/topics.model";
  const std::string train = absl::StrCat(BinDir(), "/newsdesk-topics train --input=", dir,
                                         "/labelled.tsv --output=", model, " 2>", dir,
                                         "/train.log");
  ASSERT_EQ(std::system(train.c_str()), 0) << "see " << dir << "/train.log";

  TestCluster cluster(dir + "/cluster");
  ASSERT_TRUE(cluster.StartIngest({"--topic_model=" + model}).ok());
  v1::IngestArticleRequest request;
  request.mutable_article()->set_content(
      "Late penalty settles the derby\n\nThe striker beat the goalkeeper from the spot.");
  v1::IngestArticleResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(cluster.ingest_stub()->IngestArticle(&context, request, &response).ok());
  const v1::Article& article = response.article();
  ASSERT_GE(article.topics_size(), 2);
  EXPECT_EQ(article.topics(0).code(), "medtop:20001065");  // football
  EXPECT_FALSE(article.topics(0).implied());
  EXPECT_EQ(article.topics(article.topics_size() - 1).code(), "medtop:15000000");  // sport
  EXPECT_TRUE(article.topics(article.topics_size() - 1).implied());
  EXPECT_EQ(article.taxonomy_version(), "2025-10-09");

  // A model naming a retired or unknown topic stops the service at start.
  {
    std::ofstream out(dir + "/broken.model");
    out << "newsdesk-topic-model\t1\ntaxonomy\t2025-10-09\nthreshold\t0.5\nclasses\t1\n"
           "medtop:99999999\t0\nfeatures\t0\n";
  }
  TestCluster broken(dir + "/broken");
  EXPECT_FALSE(broken.StartIngest({"--topic_model=" + dir + "/broken.model"}).ok());
}

}  // namespace
}  // namespace newsdesk::testing
