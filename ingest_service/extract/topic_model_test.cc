#include "ingest_service/extract/topic_model.h"

#include <string>
#include <vector>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kTaxonomy[] =
    "qcode\tparent_qcode\tlevel\tretired\tlabel_en\n"
    "medtop:15000000\t\t1\t0\tsport\n"
    "medtop:20001065\tmedtop:15000000\t2\t0\tfootball\n"
    "medtop:04000000\t\t1\t0\teconomy, business and finance\n"
    "medtop:20000350\tmedtop:04000000\t2\t0\tmonetary policy\n"
    "medtop:99000000\t\t1\t1\tretired topic\n";

LabelledArticle Labelled(std::string title, std::string body, std::string code) {
  LabelledArticle a;
  a.article.title = std::move(title);
  a.article.paragraphs = {std::move(body)};
  a.codes = {std::move(code)};
  return a;
}

// Two easily separated topics, with some vocabulary variety.
std::vector<LabelledArticle> TrainingSet() {
  const std::vector<std::string> football = {"striker", "goal", "midfielder", "penalty",
                                             "goalkeeper", "league", "derby", "coach"};
  const std::vector<std::string> money = {"inflation", "interest", "rate", "central",
                                          "bank", "bond", "yield", "currency"};
  std::vector<LabelledArticle> out;
  for (int i = 0; i < 60; ++i) {
    const auto& a = football;
    const auto& b = money;
    out.push_back(Labelled(a[i % 8] + " news",
                           "The " + a[(i + 1) % 8] + " and the " + a[(i + 3) % 8] +
                               " were the story of the day as the " + a[(i + 5) % 8] +
                               " spoke.",
                           "medtop:20001065"));
    out.push_back(Labelled(b[i % 8] + " news",
                           "The " + b[(i + 1) % 8] + " and the " + b[(i + 3) % 8] +
                               " were the story of the day as the " + b[(i + 5) % 8] +
                               " moved.",
                           "medtop:20000350"));
  }
  return out;
}

class TopicModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto taxonomy = Taxonomy::LoadFromString(kTaxonomy, "2025-10-09");
    ASSERT_TRUE(taxonomy.ok());
    taxonomy_ = std::move(*taxonomy);
  }
  std::unique_ptr<Taxonomy> taxonomy_;
};

TEST_F(TopicModelTest, LearnsAndClassifiesWithAncestors) {
  auto model = TopicModel::Train(TrainingSet(), *taxonomy_);
  ASSERT_TRUE(model.ok()) << model.status();
  ModelTopicClassifier classifier(model->get(), taxonomy_.get());
  Article article;
  article.title = "Derby decided by a late penalty";
  article.paragraphs = {"The goalkeeper saved, but the striker scored the goal."};
  const std::vector<ArticleTopic> topics = classifier.Classify(article);
  ASSERT_EQ(topics.size(), 2u);
  EXPECT_EQ(topics[0].code, "medtop:20001065");
  EXPECT_FALSE(topics[0].implied);
  EXPECT_GT(topics[0].score, 0.5);
  EXPECT_EQ(topics[1].code, "medtop:15000000");
  EXPECT_TRUE(topics[1].implied);
  EXPECT_EQ(classifier.taxonomy_version(), "2025-10-09");

  article.title = "Central bank acts on inflation";
  article.paragraphs = {"Bond yields rose after the interest rate decision."};
  EXPECT_EQ(classifier.Classify(article).front().code, "medtop:20000350");
}

TEST_F(TopicModelTest, SerializesAndLoadsTheSameModel) {
  auto model = TopicModel::Train(TrainingSet(), *taxonomy_);
  ASSERT_TRUE(model.ok());
  const std::string text = (*model)->Serialize();
  auto loaded = TopicModel::Parse(text, *taxonomy_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->codes(), (*model)->codes());
  EXPECT_NEAR((*loaded)->threshold(), (*model)->threshold(), 1e-4);
  Article article;
  article.title = "Currency slides as inflation climbs";
  const std::vector<double> a = (*model)->Predict(article);
  const std::vector<double> b = (*loaded)->Predict(article);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-3);
}

TEST_F(TopicModelTest, RejectsBadTrainingData) {
  EXPECT_THAT(TopicModel::Train({}, *taxonomy_),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TopicModel::Train({Labelled("t", "b", "medtop:99000000")}, *taxonomy_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not an active")));
  EXPECT_THAT(TopicModel::Train({Labelled("t", "b", "football")}, *taxonomy_),
              StatusIs(absl::StatusCode::kInvalidArgument));
  LabelledArticle unlabelled = Labelled("t", "b", "x");
  unlabelled.codes.clear();
  EXPECT_THAT(TopicModel::Train({unlabelled}, *taxonomy_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no topics")));
}

TEST_F(TopicModelTest, RejectsMalformedModelFiles) {
  auto parse = [&](absl::string_view text) { return TopicModel::Parse(text, *taxonomy_); };
  EXPECT_THAT(parse(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(parse("something else\t1\n"), StatusIs(absl::StatusCode::kInvalidArgument));
  const std::string head = "newsdesk-topic-model\t1\ntaxonomy\tv\nthreshold\t0.4\n";
  EXPECT_THAT(parse(head + "classes\t1\nmedtop:99000000\t0\nfeatures\t0\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not an active")));
  EXPECT_THAT(parse(head + "classes\t1\nmedtop:15000000\t0\nfeatures\t1\ngoal\t1\t7:1\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad weight")));
  EXPECT_THAT(parse(head + "classes\t1\nmedtop:15000000\t0\nfeatures\t2\ngoal\t1\t0:1\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("end of file")));
  EXPECT_TRUE(parse(head + "classes\t1\nmedtop:15000000\t0\nfeatures\t1\ngoal\t1\t0:1\n").ok());
  EXPECT_THAT(TopicModel::Load("/nonexistent/model.txt", *taxonomy_),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(TopicModelTest, WithAncestorsListsEachTopicOnce) {
  const std::vector<ArticleTopic> topics =
      WithAncestors(*taxonomy_, {{"medtop:20001065", "football", 0.8, false},
                                 {"medtop:15000000", "sport", 0.6, false}});
  ASSERT_EQ(topics.size(), 2u);
  EXPECT_EQ(topics[0].code, "medtop:20001065");
  EXPECT_EQ(topics[1].code, "medtop:15000000");
  EXPECT_TRUE(topics[1].implied);
  EXPECT_DOUBLE_EQ(topics[1].score, 0.8);
}

}  // namespace
}  // namespace newsdesk::ingest
