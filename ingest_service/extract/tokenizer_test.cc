#include "ingest_service/extract/tokenizer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::testing::ElementsAre;

std::vector<Token> TokensOf(absl::string_view text) {
  std::vector<Token> tokens;
  Tokenize(text, &tokens);
  return tokens;
}

std::vector<std::string> Words(absl::string_view text) {
  std::vector<std::string> words;
  for (const Token& token : TokensOf(text)) words.emplace_back(token.text);
  return words;
}

TEST(TokenizerTest, SplitsWordsAndKeepsAbbreviations) {
  EXPECT_THAT(
      Words("Mr. Xi met U.S. officials in St. Petersburg."),
      ElementsAre("Mr.", "Xi", "met", "U.S.", "officials", "in", "St.", "Petersburg"));
  EXPECT_THAT(Words("about 1.5km and 2,000 troops"),
              ElementsAre("about", "1.5km", "and", "2,000", "troops"));
  EXPECT_THAT(Words("O'Brien didn’t say"), ElementsAre("O'Brien", "didn’t", "say"));
  EXPECT_THAT(Words("“Peace talks,” Xi said – again"),
              ElementsAre("Peace", "talks", "Xi", "said", "again"));
  EXPECT_THAT(Words("Erdoğan’s Türkiye"), ElementsAre("Erdoğan", "Türkiye"));
  EXPECT_THAT(Words("习近平 spoke"), ElementsAre("习近平", "spoke"));
  EXPECT_THAT(Words(""), ElementsAre());
}

TEST(TokenizerTest, KeepsInitialsBeforeNames) {
  const std::vector<Token> tokens = TokensOf("C. Lewis and George W. Bush met Plan B. later");
  EXPECT_THAT(Words("C. Lewis and George W. Bush met Plan B. later"),
              ElementsAre("C.", "Lewis", "and", "George", "W.", "Bush", "met", "Plan", "B",
                          "later"));
  EXPECT_TRUE(tokens[0].JoinsNext());  // "C." runs on into "Lewis"
  EXPECT_FALSE(tokens[1].Has(kSentenceStart));
  EXPECT_FALSE(tokens[8].JoinsNext());  // "B." before a lower-case word ends a sentence
}

TEST(TokenizerTest, MarksPossessivesAndHyphens) {
  const std::vector<Token> tokens =
      TokensOf("Kyiv’s Russia-controlled Reuters' al-Assad");
  ASSERT_EQ(tokens.size(), 6u);
  EXPECT_EQ(tokens[0].text, "Kyiv");
  EXPECT_TRUE(tokens[0].Has(kPossessive));
  EXPECT_FALSE(tokens[0].JoinsNext());
  EXPECT_EQ(tokens[1].text, "Russia");
  EXPECT_TRUE(tokens[1].Has(kHyphenAfter));
  EXPECT_TRUE(tokens[1].JoinsNext());
  EXPECT_EQ(tokens[3].text, "Reuters");
  EXPECT_TRUE(tokens[3].Has(kPossessive));
  EXPECT_EQ(tokens[4].text, "al");
  EXPECT_TRUE(tokens[4].Has(kHyphenAfter));
  EXPECT_EQ(tokens[5].text, "Assad");
}

TEST(TokenizerTest, MarksCaseAndNumbers) {
  const std::vector<Token> tokens = TokensOf("NATO chief Jens 80th");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_TRUE(tokens[0].Has(kCapitalised));
  EXPECT_TRUE(tokens[0].Has(kAllCapitals));
  EXPECT_FALSE(tokens[1].Has(kCapitalised));
  EXPECT_TRUE(tokens[2].Has(kCapitalised));
  EXPECT_FALSE(tokens[2].Has(kAllCapitals));
  EXPECT_TRUE(tokens[3].Has(kNumeric));
  EXPECT_TRUE(tokens[3].Has(kBreakAfter));  // the last word of the text
}

TEST(TokenizerTest, MarksSentenceStartsAndBreaks) {
  const std::vector<Token> tokens =
      TokensOf("Xi met Mr. Putin. “Talks, he said: Peace\n• Fighting");
  std::vector<std::string> starts;
  for (const Token& token : tokens) {
    if (token.Has(kSentenceStart)) starts.emplace_back(token.text);
  }
  EXPECT_THAT(starts, ElementsAre("Xi", "Talks", "Peace", "Fighting"));
  EXPECT_TRUE(tokens[3].Has(kBreakAfter));   // Putin.
  EXPECT_TRUE(tokens[4].Has(kCommaAfter));   // Talks,
  EXPECT_FALSE(tokens[2].Has(kBreakAfter));  // Mr.
}

}  // namespace
}  // namespace newsdesk::ingest
