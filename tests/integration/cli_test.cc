// The newsdesk command-line client against real services: it ingests the
// sample articles and lists matches as a table or as JSON, with the
// article fields asked for and explanations left out on request.
#include "cli/cli.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/test_cluster.h"

namespace newsdesk::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new TestCluster(::testing::TempDir() + "/cli_test");
    ASSERT_TRUE(cluster_->StartIngest().ok());
    ASSERT_TRUE(cluster_->StartQuery().ok());
    ASSERT_TRUE(cluster_->WaitQueryServing().ok());
    const std::string data = NEWSDESK_DATA_DIR;
    std::ostringstream out, err;
    ASSERT_EQ(Cli({"--hints=" + data + "/seeds.hints.tsv", "ingest", data + "/seeds"}, out, err),
              0)
        << err.str();
    ASSERT_TRUE(cluster_->WaitForArticleCount(5).ok());
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  // Runs the CLI against the cluster with `args`.
  static int Cli(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
    args.insert(args.begin(), {"--ingest=" + cluster_->ingest_address(),
                               "--query=" + cluster_->query_address()});
    return cli::Run(args, out, err);
  }

  static TestCluster* cluster_;
};

TestCluster* CliTest::cluster_ = nullptr;

TEST_F(CliTest, TheTableShowsEachMatchWithWhyItMatched) {
  std::ostringstream out, err;
  ASSERT_EQ(Cli({"entity", "Zelenskiy"}, out, err), 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("person-volodymyr-zelensky as \""));
  EXPECT_THAT(out.str(), ContainsRegex("\n[1-9][0-9]* of [1-9][0-9]* articles\n$"));
  EXPECT_THAT(out.str(), HasSubstr("  2023-03-17  China urges Ukraine talks as Bakhmut battle continues  ["));
}

TEST_F(CliTest, JsonCarriesWholeArticlesAndExplanationsUnlessAskedOtherwise) {
  std::ostringstream whole, err;
  ASSERT_EQ(Cli({"--json", "entity", "Zelenskiy"}, whole, err), 0) << err.str();
  EXPECT_THAT(whole.str(), HasSubstr("\"entities\""));
  EXPECT_THAT(whole.str(), HasSubstr("\"entity_matches\""));

  std::ostringstream listed, err2;
  ASSERT_EQ(Cli({"--json", "--fields=article_id,title", "--no_explain", "--all", "entity",
                 "Zelenskiy"},
                listed, err2),
            0)
      << err2.str();
  EXPECT_THAT(listed.str(), HasSubstr("\"title\""));
  EXPECT_THAT(listed.str(), HasSubstr("\"article_id\""));
  EXPECT_THAT(listed.str(), Not(HasSubstr("\"entities\"")));
  EXPECT_THAT(listed.str(), Not(HasSubstr("\"publish_time\"")));
  EXPECT_THAT(listed.str(), Not(HasSubstr("\"entity_matches\"")));
}

TEST_F(CliTest, NoExplainAppliesToEveryFindCommand) {
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"dates", "2000-01-01", "2100-01-01"},
        std::vector<std::string>{"topic", "medtop:16000000"},
        std::vector<std::string>{"search", "--entity=Zelenskiy"}}) {
    std::vector<std::string> args = {"--json", "--no_explain", "--fields=article_id"};
    args.insert(args.end(), command.begin(), command.end());
    std::ostringstream out, err;
    ASSERT_EQ(Cli(args, out, err), 0) << command[0] << ": " << err.str();
    EXPECT_THAT(out.str(), HasSubstr("\"article_id\"")) << command[0];
    EXPECT_THAT(out.str(), Not(HasSubstr("\"title\""))) << command[0];
    EXPECT_THAT(out.str(), Not(HasSubstr("\"matched_topics\""))) << command[0];
  }
}

TEST_F(CliTest, AFieldThatIsNoArticleFieldIsRefusedByTheService) {
  std::ostringstream out, err;
  EXPECT_EQ(Cli({"--fields=article_id,headline", "entity", "Zelenskiy"}, out, err), 1);
  EXPECT_THAT(err.str(), HasSubstr("read_mask path 'headline'"));
}

}  // namespace
}  // namespace newsdesk::testing
