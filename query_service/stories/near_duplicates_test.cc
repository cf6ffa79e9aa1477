#include "query_service/stories/near_duplicates.h"

#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::StatusIs;

// Paragraphs of made-up text: 30 words each, drawn from a fixed vocabulary
// by a generator seeded with the subject, so different subjects share no
// run of words.
std::vector<std::string> Body(const std::string& subject, int paragraphs) {
  static const char* const kWords[] = {
      "talks",    "minister", "said",     "grain",   "export",  "ports",   "deal",
      "week",     "officials", "would",   "resume",  "after",   "delegates", "from",
      "countries", "reviewed", "draft",   "the",     "of",      "and",     "a",
      "to",       "in",       "on",       "ships",   "cargo",   "prices",  "market",
      "sea",      "route",    "agreement", "annex",  "insurance", "war",   "peace",
      "envoy",    "capital",  "meeting",  "leaders", "summit",  "trade",   "wheat"};
  constexpr int kVocabulary = sizeof(kWords) / sizeof(kWords[0]);
  uint64_t state = 1469598103934665603ULL;
  for (const char c : subject) state = (state ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  std::vector<std::string> out;
  for (int p = 0; p < paragraphs; ++p) {
    std::string paragraph;
    for (int w = 0; w < 30; ++w) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      absl::StrAppend(&paragraph, w == 0 ? "" : " ", kWords[(state >> 33) % kVocabulary]);
    }
    out.push_back(paragraph + ".");
  }
  return out;
}

class NearDuplicateTest : public ::testing::Test {
 protected:
  std::optional<CopyMatch> Add(const std::string& id, std::vector<std::string> paragraphs,
                               const std::string& title = "A title") {
    Article a;
    a.id = id;
    a.title = title;
    a.paragraphs = std::move(paragraphs);
    articles_[id] = a;
    return detector_
        ->Add(a,
              [this](absl::string_view id) -> absl::StatusOr<const Article*> {
                auto it = articles_.find(std::string(id));
                return it == articles_.end() ? nullptr : &it->second;
              })
        .value();
  }

  std::unique_ptr<NearDuplicateDetector> detector_ =
      std::make_unique<NearDuplicateDetector>();
  std::map<std::string, Article> articles_;
};

// An earlier article that cannot be read fails the call, which remembers
// nothing: the same article added again once it can be read is linked.
TEST_F(NearDuplicateTest, AFailedReadIsReturnedAndNothingIsRemembered) {
  const std::vector<std::string> original = Body("grain", 8);
  ASSERT_FALSE(Add("original", original));
  Article copy;
  copy.id = "copy";
  copy.paragraphs = original;
  articles_["copy"] = copy;
  absl::StatusOr<std::optional<CopyMatch>> failed =
      detector_->Add(copy, [](absl::string_view) -> absl::StatusOr<const Article*> {
        return absl::UnavailableError("cannot read");
      });
  EXPECT_THAT(failed, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(detector_->size(), 1u);
  std::optional<CopyMatch> linked = Add("copy", original);
  ASSERT_TRUE(linked);
  EXPECT_EQ(linked->original_id, "original");
}

TEST_F(NearDuplicateTest, EditedCopiesLinkToTheOriginalWithTheirSimilarity) {
  const std::vector<std::string> original = Body("grain", 10);
  EXPECT_FALSE(Add("original", original, "Grain talks resume"));

  // Another headline, same body.
  std::optional<CopyMatch> retitled = Add("retitled", original, "Talks on grain exports");
  ASSERT_TRUE(retitled);
  EXPECT_EQ(retitled->original_id, "original");
  EXPECT_DOUBLE_EQ(retitled->similarity, 1.0);

  // A trimmed tail: the first six paragraphs.
  std::optional<CopyMatch> trimmed =
      Add("trimmed", std::vector<std::string>(original.begin(), original.begin() + 6));
  ASSERT_TRUE(trimmed);
  EXPECT_EQ(trimmed->original_id, "original");
  EXPECT_DOUBLE_EQ(trimmed->similarity, 1.0);

  // Paragraphs reordered, a caption and another outlet's boilerplate added.
  std::vector<std::string> edited(original.rbegin(), original.rend());
  edited.insert(edited.begin() + 2, "A delegate arrives at the conference centre on Monday.");
  edited.push_back("Copyright 2023 Another Outlet. All rights reserved. Sign up for our "
                   "newsletter to get the day's top stories in your inbox every morning.");
  std::optional<CopyMatch> reworked = Add("reworked", edited);
  ASSERT_TRUE(reworked);
  EXPECT_EQ(reworked->original_id, "original");
  EXPECT_GT(reworked->similarity, 0.95);
  EXPECT_LE(reworked->similarity, 1.0);
}

TEST_F(NearDuplicateTest, DifferentArticlesOnTheSameSubjectAreNoCopies) {
  EXPECT_FALSE(Add("grain", Body("grain", 8)));
  EXPECT_FALSE(Add("energy", Body("energy", 8)));
  EXPECT_FALSE(Add("shipping", Body("shipping", 8)));
  EXPECT_EQ(detector_->size(), 3u);
}

TEST_F(NearDuplicateTest, ShortBodiesAndShortQuotesOfLongOnesAreNoCopies) {
  EXPECT_FALSE(Add("brief", {"Talks resume on Monday."}));
  EXPECT_FALSE(Add("brief-again", {"Talks resume on Monday."}));  // under min_shingles
  const std::vector<std::string> longer = Body("grain", 20);
  EXPECT_FALSE(Add("long", longer));
  // One paragraph of twenty is a quote, not a copy (min_size_ratio).
  EXPECT_FALSE(Add("quote", {longer[3], "Our own reporting follows in a separate piece."}));
}

TEST_F(NearDuplicateTest, ACopyOfACopyLinksToTheFirstArticle) {
  const std::vector<std::string> original = Body("grain", 10);
  ASSERT_FALSE(Add("first", original));
  ASSERT_TRUE(Add("second", original, "Second headline"));
  std::vector<std::string> third(original.begin(), original.begin() + 8);
  std::optional<CopyMatch> match = Add("third", third, "Third headline");
  ASSERT_TRUE(match);
  EXPECT_EQ(match->original_id, "first");
}

TEST_F(NearDuplicateTest, TheSameArticlesInTheSameOrderGiveTheSameLinks) {
  auto run = [](std::vector<std::string>* links) {
    NearDuplicateDetector detector;
    std::map<std::string, Article> articles;
    for (int i = 0; i < 30; ++i) {
      Article a;
      a.id = absl::StrCat("a", i);
      a.paragraphs = Body(absl::StrCat("topic", i % 7), 6 + i % 5);
      articles[a.id] = a;
      std::optional<CopyMatch> m =
          detector
              .Add(a,
                   [&articles](absl::string_view id) -> absl::StatusOr<const Article*> {
                     return &articles.at(std::string(id));
                   })
              .value();
      links->push_back(m ? absl::StrCat(a.id, "->", m->original_id, " ", m->similarity) : "");
    }
  };
  std::vector<std::string> first, second;
  run(&first);
  run(&second);
  EXPECT_EQ(first, second);
  EXPECT_EQ(first[7], "a7->a0 1");  // topic0 again, six paragraphs of the first's six
}

// A daily report written from one template: the same sentences with the
// day's figures.
std::vector<std::string> FedReport(const std::string& amount, const std::string& rate) {
  std::vector<std::string> report = {
      absl::StrCat("The Federal Reserve entered the government securities market to "
                   "arrange ",
                   amount,
                   " billion dlrs of customer repurchase agreements, "
                   "a Fed spokesman said."),
      absl::StrCat(
          "Dealers said federal funds were trading at ", rate,
          " pct when the Fed began its temporary and indirect supply of reserves "
          "to the banking system, as it had been expected to do by most of the "
          "dealers in the market this morning.")};
  for (std::string& paragraph : Body("reserves", 2))
    report.push_back(std::move(paragraph));
  return report;
}

TEST_F(NearDuplicateTest, TheSameTemplateWithOtherFiguresIsAnotherReport) {
  EXPECT_FALSE(Add("monday", FedReport("1.5", "6-1/8")));
  // Tuesday's report: another amount, the same rate. Most of the text is
  // the same, but a figure the two state in the same words differs.
  EXPECT_FALSE(Add("tuesday", FedReport("2.0", "6-1/8")));
  // A copy of Monday's, with its figures, is one.
  std::optional<CopyMatch> copy =
      Add("monday-copy", FedReport("1.5", "6-1/8"), "Fed adds");
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->original_id, "monday");
}

TEST_F(NearDuplicateTest, ACopyOfACopyMustAgreeWithTheFirstArticlesFigures) {
  NearDuplicateOptions options;
  options.max_figure_disagreement = 0.5;  // one of two figures may differ
  detector_ = std::make_unique<NearDuplicateDetector>(options);
  ASSERT_FALSE(Add("first", FedReport("1.5", "6-1/8")));
  std::optional<CopyMatch> second = Add("second", FedReport("1.5", "6-1/4"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->original_id, "first");
  // Both figures differ from the first's, one from the second's: it would
  // be linked to the first, which it does not agree with.
  EXPECT_FALSE(Add("third", FedReport("2.0", "6-1/4")));
}

TEST(FiguresTest, ComparesTheFiguresOfTheSameContexts) {
  NearDuplicateDetector detector;
  Article a, b;
  a.paragraphs = {"Sales rose 8.2 pct in February to 412 mln dlrs, the company said."};
  b.paragraphs = {"Sales rose 8.2 pct in February to 415 mln dlrs, the company said.",
                  "It employs 1,200 people."};
  // 8, 2 and 412 (41 and 5 in b) stand in contexts of both; only the last
  // one differs. 1,200 has no counterpart.
  const NearDuplicateDetector::FigureComparison compared =
      NearDuplicateDetector::CompareFigures(detector.Figures(a), detector.Figures(b));
  EXPECT_EQ(compared.shared, 3);
  EXPECT_EQ(compared.differing, 1);
  const NearDuplicateDetector::FigureComparison same =
      NearDuplicateDetector::CompareFigures(detector.Figures(a), detector.Figures(a));
  EXPECT_EQ(same.shared, 3);
  EXPECT_EQ(same.differing, 0);
}

TEST(ContainmentTest, IsTheSharedShareOfTheSmallerSet) {
  EXPECT_DOUBLE_EQ(NearDuplicateDetector::Containment({1, 2, 3, 4}, {2, 3}), 1.0);
  EXPECT_DOUBLE_EQ(NearDuplicateDetector::Containment({1, 2, 3, 4}, {3, 4, 5, 6}), 0.5);
  EXPECT_DOUBLE_EQ(NearDuplicateDetector::Containment({}, {1}), 0.0);
}

}  // namespace
}  // namespace newsdesk::query
