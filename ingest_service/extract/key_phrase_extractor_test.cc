#include "ingest_service/extract/key_phrase_extractor.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/extract/seed_articles_for_test.h"

namespace newsdesk::ingest {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

Article MakeArticle(std::string title, std::vector<std::string> paragraphs) {
  Article article;
  article.title = std::move(title);
  article.paragraphs = std::move(paragraphs);
  return article;
}

TEST(KeyPhraseExtractorTest, FindsRepeatedMultiWordTerms) {
  const KeyPhraseExtractor extractor;
  const std::vector<std::string> phrases = extractor.Extract(MakeArticle(
      "Grain deal talks resume in Istanbul",
      {"Negotiators met in Istanbul on Monday to revive the grain deal, which lets "
       "Ukraine ship wheat across the Black Sea.",
       "The grain deal expired last month. Peace talks have stalled since spring, and "
       "diplomats said peace talks were unlikely before winter.",
       "Shipping companies said insurance costs had doubled."}));
  EXPECT_THAT(phrases, Contains("grain deal"));
  EXPECT_THAT(phrases, Contains("peace talks"));
  // Names are entities, not key phrases; one-off pairs are not reported.
  EXPECT_THAT(phrases, Not(Contains("black sea")));
  EXPECT_THAT(phrases, Not(Contains("insurance costs")));
}

TEST(KeyPhraseExtractorTest, MergesPluralsAndDropsOverlaps) {
  const KeyPhraseExtractor extractor;
  const std::vector<std::string> phrases = extractor.Extract(MakeArticle(
      "Interest rates rise again",
      {"The central bank raised interest rates. The interest rate rise was expected.",
       "Higher interest rates hurt borrowers, and the central bank said rates may rise."}));
  EXPECT_THAT(phrases, Contains("interest rates"));
  EXPECT_THAT(phrases, Not(Contains("interest rate")));
  EXPECT_THAT(phrases, Contains("central bank"));
}

TEST(KeyPhraseExtractorTest, RespectsTheLimit) {
  KeyPhraseOptions options;
  options.max_phrases = 1;
  const KeyPhraseExtractor extractor(options);
  EXPECT_THAT(extractor.Extract(MakeArticle(
                  "Peace talks and a grain deal",
                  {"peace talks, peace talks, grain deal, grain deal, grain deal"})),
              SizeIs(1));
}

TEST(KeyPhraseExtractorTest, EmptyArticleHasNone) {
  EXPECT_THAT(KeyPhraseExtractor().Extract(Article()), IsEmpty());
  EXPECT_THAT(KeyPhraseExtractor().Extract(MakeArticle("War", {"It is 2023. 5 5 5."})),
              IsEmpty());
}

TEST(KeyPhraseExtractorTest, SeedArticlesHaveKeyPhrases) {
  const KeyPhraseExtractor extractor;
  for (const testing::SeedArticle& seed : testing::LoadSeedArticles()) {
    Article article = MakeArticle(seed.title, seed.paragraphs);
    const std::vector<std::string> phrases = extractor.Extract(article);
    EXPECT_THAT(phrases, Not(IsEmpty())) << seed.name;
    for (const std::string& p : phrases) {
      EXPECT_EQ(KeyPhraseExtractor::Normalize(p), p);
      EXPECT_NE(p.find(' '), std::string::npos) << p;
    }
  }
}

TEST(KeyPhraseExtractorTest, Normalizes) {
  EXPECT_EQ(KeyPhraseExtractor::Normalize("  Peace-Talks  "), "peace talks");
  EXPECT_EQ(KeyPhraseExtractor::Normalize("grain   DEAL"), "grain deal");
  EXPECT_EQ(KeyPhraseExtractor::Normalize("!!"), "");
}

}  // namespace
}  // namespace newsdesk::ingest
