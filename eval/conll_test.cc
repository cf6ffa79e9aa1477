#include "eval/conll.h"

#include "common/testing/status_matchers.h"
#include "eval/conll_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::eval {
namespace {

using ::newsdesk::testing::StatusIs;
using ::testing::ElementsAre;

constexpr char kSample[] =
    "-DOCSTART- -X- O O\n"
    "\n"
    "EU NNP I-NP I-ORG\n"
    "rejects VBZ I-VP O\n"
    "German JJ I-NP I-MISC\n"
    "call NN I-NP O\n"
    ". . O O\n"
    "\n"
    "Peter NNP I-NP I-PER\n"
    "Blackburn NNP I-NP I-PER\n"
    "'s POS B-NP O\n"
    "Paris NNP I-NP I-LOC\n"
    "Berlin NNP I-NP B-LOC\n"
    "\n"
    "-DOCSTART- -X- O O\n"
    "\n"
    "Japan NNP I-NP I-LOC\n";

TEST(ConllTest, ParsesDocumentsAndSentences) {
  auto documents = ParseConll(kSample);
  ASSERT_TRUE(documents.ok()) << documents.status();
  ASSERT_EQ(documents->size(), 2u);
  ASSERT_EQ((*documents)[0].sentences.size(), 2u);
  EXPECT_THAT((*documents)[0].sentences[1].tokens,
              ElementsAre("Peter", "Blackburn", "'s", "Paris", "Berlin"));
  EXPECT_THAT((*documents)[1].sentences[0].tags, ElementsAre("I-LOC"));
  EXPECT_THAT(ParseConll("EU\n"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ConllTest, ReadsIob1Spans) {
  const auto spans = SpansFromTags({"I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"}, 3);
  EXPECT_THAT(spans, ElementsAre(Span{3, 0, 2, "PER"}, Span{3, 3, 4, "LOC"},
                                 Span{3, 4, 5, "LOC"}, Span{3, 5, 6, "ORG"}));
}

TEST(ConllTest, ScoresExactSpansOnly) {
  std::map<std::string, Score> scores;
  AddScores({{0, 0, 2, "PER"}, {0, 3, 4, "LOC"}, {0, 5, 6, "MISC"}},
            {{0, 0, 2, "PER"}, {0, 3, 5, "LOC"}, {0, 6, 7, "ORG"}}, {"PER", "ORG", "LOC"},
            &scores);
  EXPECT_EQ(scores["PER"].correct, 1);
  EXPECT_EQ(scores["LOC"].correct, 0);
  EXPECT_EQ(scores["ALL"].gold, 2);
  EXPECT_EQ(scores["ALL"].predicted, 3);
  EXPECT_DOUBLE_EQ(scores["ALL"].precision(), 100.0 / 3);
  EXPECT_DOUBLE_EQ(scores["ALL"].recall(), 50);
  EXPECT_DOUBLE_EQ(scores["ALL"].f1(), 40);
}

TEST(ConllTextTest, MapsMentionsBackToTokens) {
  auto documents = ParseConll(kSample);
  ASSERT_TRUE(documents.ok());
  const DocumentText text = MakeArticle((*documents)[0]);
  EXPECT_EQ(text.article.title, "EU rejects German call.");
  ASSERT_EQ(text.article.paragraphs.size(), 1u);
  EXPECT_EQ(text.article.paragraphs[0], "Peter Blackburn's Paris Berlin");
  const auto span = text.ToSpan(EntityMention{TextSection::kBody, 0, 0, 15, "Peter Blackburn"});
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(*span, (Span{1, 0, 2, ""}));
  EXPECT_FALSE(text.ToSpan(EntityMention{TextSection::kCaption, 0, 0, 2, "EU"}).has_value());
}

}  // namespace
}  // namespace newsdesk::eval
