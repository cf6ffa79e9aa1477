#include "query_service/stories/near_duplicates.h"

#include <algorithm>
#include <deque>
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
      "talks",     "minister",  "said",      "grain",   "export",    "ports",     "deal",
      "week",      "officials", "would",     "resume",  "after",     "delegates", "from",
      "countries", "reviewed",  "draft",     "the",     "of",        "and",       "a",
      "to",        "in",        "on",        "ships",   "cargo",     "prices",    "market",
      "sea",       "route",     "agreement", "annex",   "insurance", "war",       "peace",
      "envoy",     "capital",   "meeting",   "leaders", "summit",    "trade",     "wheat"};
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

// A link as the tests name it: the original's id.
struct Link {
  std::string original_id;
  double similarity = 0;
};

// The articles added to a detector, by number, and a reader over them that
// counts its reads.
class Articles {
 public:
  const Article& Append(Article a) {
    articles_.push_back(std::move(a));
    return articles_.back();
  }
  NearDuplicateDetector::ReadEarlier Reader() {
    return [this](uint32_t n) -> absl::StatusOr<const Article*> {
      ++reads;
      return n < articles_.size() ? &articles_[n] : nullptr;
    };
  }
  std::optional<Link> Named(const std::optional<CopyMatch>& match) const {
    if (!match) return std::nullopt;
    return Link{articles_.at(match->original).id, match->similarity};
  }
  int reads = 0;

 private:
  std::deque<Article> articles_;
};

class NearDuplicateTest : public ::testing::Test {
 protected:
  std::optional<Link> Add(const std::string& id, std::vector<std::string> paragraphs,
                          const std::string& title = "A title") {
    Article a;
    a.id = id;
    a.title = title;
    a.paragraphs = std::move(paragraphs);
    const Article& added = articles_.Append(std::move(a));
    return articles_.Named(detector_->Add(added, articles_.Reader()).value());
  }

  std::unique_ptr<NearDuplicateDetector> detector_ = std::make_unique<NearDuplicateDetector>();
  Articles articles_;
};

NearDuplicateOptions WithoutCache() {
  NearDuplicateOptions options;
  options.print_cache_bytes = 0;
  return options;
}

// An earlier article that cannot be read fails the call, which remembers
// nothing: the same article added again once it can be read is linked.
TEST_F(NearDuplicateTest, AFailedReadIsReturnedAndNothingIsRemembered) {
  detector_ = std::make_unique<NearDuplicateDetector>(WithoutCache());
  const std::vector<std::string> original = Body("grain", 8);
  ASSERT_FALSE(Add("original", original));
  Article copy;
  copy.id = "copy";
  copy.paragraphs = original;
  absl::StatusOr<std::optional<CopyMatch>> failed =
      detector_->Add(copy, [](uint32_t) -> absl::StatusOr<const Article*> {
        return absl::UnavailableError("cannot read");
      });
  EXPECT_THAT(failed, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(detector_->size(), 1u);
  std::optional<Link> linked = Add("copy", original);
  ASSERT_TRUE(linked);
  EXPECT_EQ(linked->original_id, "original");
}

// With the cache, the print of an article just added confirms its copy
// without a read; the failing copy's own print is not kept, so a copy of
// it reads nothing of it either: it was never remembered.
TEST_F(NearDuplicateTest, ACachedOriginalConfirmsWithoutAReadAndAFailedAddKeepsNoPrint) {
  const std::vector<std::string> original = Body("grain", 8);
  ASSERT_FALSE(Add("original", original));
  std::optional<Link> copy = Add("copy", original, "Another headline");
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->original_id, "original");
  EXPECT_EQ(articles_.reads, 0);
  EXPECT_EQ(detector_->reads(), 0);

  // A small cache holds one print: the other article's is read, and a
  // failed read fails the call, which remembers nothing.
  Article first;
  first.id = "first";
  first.paragraphs = original;
  CopyPrint print{detector_->Shingles(first), detector_->Figures(first)};
  NearDuplicateOptions small;
  small.print_cache_bytes = CopyPrintCache::Bytes(print) * 3 / 2;  // one print, not two
  detector_ = std::make_unique<NearDuplicateDetector>(small);
  Articles articles;
  ASSERT_FALSE(detector_->Add(articles.Append(first), articles.Reader()).value());
  Article other;
  other.id = "other";
  other.paragraphs = Body("energy", 8);
  ASSERT_FALSE(detector_->Add(articles.Append(other), articles.Reader()).value());
  EXPECT_LE(detector_->print_cache_bytes(), small.print_cache_bytes);
  Article again;
  again.id = "again";
  again.paragraphs = original;
  absl::StatusOr<std::optional<CopyMatch>> failed =
      detector_->Add(again, [](uint32_t) -> absl::StatusOr<const Article*> {
        return absl::UnavailableError("cannot read");
      });
  EXPECT_THAT(failed, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(detector_->size(), 2u);
  std::optional<Link> linked =
      articles.Named(detector_->Add(articles.Append(again), articles.Reader()).value());
  ASSERT_TRUE(linked);
  EXPECT_EQ(linked->original_id, "first");
  EXPECT_EQ(articles.reads, 1);
}

TEST_F(NearDuplicateTest, EditedCopiesLinkToTheOriginalWithTheirSimilarity) {
  const std::vector<std::string> original = Body("grain", 10);
  EXPECT_FALSE(Add("original", original, "Grain talks resume"));

  // Another headline, same body.
  std::optional<Link> retitled = Add("retitled", original, "Talks on grain exports");
  ASSERT_TRUE(retitled);
  EXPECT_EQ(retitled->original_id, "original");
  EXPECT_DOUBLE_EQ(retitled->similarity, 1.0);

  // A trimmed tail: the first six paragraphs.
  std::optional<Link> trimmed =
      Add("trimmed", std::vector<std::string>(original.begin(), original.begin() + 6));
  ASSERT_TRUE(trimmed);
  EXPECT_EQ(trimmed->original_id, "original");
  EXPECT_DOUBLE_EQ(trimmed->similarity, 1.0);

  // Paragraphs reordered, a caption and another outlet's boilerplate added.
  std::vector<std::string> edited(original.rbegin(), original.rend());
  edited.insert(edited.begin() + 2, "A delegate arrives at the conference centre on Monday.");
  edited.push_back(
      "Copyright 2023 Another Outlet. All rights reserved. Sign up for our "
      "newsletter to get the day's top stories in your inbox every morning.");
  std::optional<Link> reworked = Add("reworked", edited);
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
  std::optional<Link> match = Add("third", third, "Third headline");
  ASSERT_TRUE(match);
  EXPECT_EQ(match->original_id, "first");
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
      absl::StrCat("Dealers said federal funds were trading at ", rate,
                   " pct when the Fed began its temporary and indirect supply of reserves "
                   "to the banking system, as it had been expected to do by most of the "
                   "dealers in the market this morning.")};
  for (std::string& paragraph : Body("reserves", 2)) report.push_back(std::move(paragraph));
  return report;
}

// The links of a stream of articles: copies, copies of copies, templates
// with other figures, trimmed and reworked bodies, and unrelated ones.
std::vector<std::string> Links(const NearDuplicateOptions& options, int* reads) {
  NearDuplicateDetector detector(options);
  Articles articles;
  std::vector<std::string> links;
  for (int i = 0; i < 60; ++i) {
    Article a;
    a.id = absl::StrCat("a", i);
    if (i % 5 == 4) {
      a.paragraphs = FedReport(absl::StrCat(i % 3, ".5"), "6-1/8");
    } else {
      a.paragraphs = Body(absl::StrCat("topic", i % 7), 6 + i % 5);
      if (i % 4 == 1) std::reverse(a.paragraphs.begin(), a.paragraphs.end());
    }
    const std::optional<Link> m =
        articles.Named(detector.Add(articles.Append(std::move(a)), articles.Reader()).value());
    links.push_back(m ? absl::StrCat("a", i, "->", m->original_id, " ", m->similarity) : "");
  }
  *reads = articles.reads;
  EXPECT_EQ(detector.reads(), articles.reads);
  return links;
}

TEST(NearDuplicateLinksTest, TheSameArticlesInTheSameOrderGiveTheSameLinks) {
  int reads = 0;
  const std::vector<std::string> first = Links({}, &reads);
  EXPECT_EQ(first, Links({}, &reads));
  EXPECT_EQ(first[7], "a7->a0 1");  // topic0 again, six paragraphs of the first's six
}

// The cache changes what is read, never the links: without it, with room
// for a print or two, and with the default.
TEST(NearDuplicateLinksTest, TheLinksAreTheSameWithAndWithoutTheCache) {
  int uncached = 0, tiny = 0, cached = 0;
  const std::vector<std::string> links = Links(WithoutCache(), &uncached);
  NearDuplicateOptions small;
  small.print_cache_bytes = 16000;  // a few prints
  EXPECT_EQ(Links(small, &tiny), links);
  EXPECT_EQ(Links({}, &cached), links);
  EXPECT_GT(
      std::count_if(links.begin(), links.end(), [](const std::string& l) { return !l.empty(); }),
      20);
  EXPECT_GT(uncached, 20);
  EXPECT_LT(tiny, uncached);
  EXPECT_EQ(cached, 0);  // every article fits: nothing is read
}

TEST_F(NearDuplicateTest, TheSameTemplateWithOtherFiguresIsAnotherReport) {
  EXPECT_FALSE(Add("monday", FedReport("1.5", "6-1/8")));
  // Tuesday's report: another amount, the same rate. Most of the text is
  // the same, but a figure the two state in the same words differs.
  EXPECT_FALSE(Add("tuesday", FedReport("2.0", "6-1/8")));
  // A copy of Monday's, with its figures, is one.
  std::optional<Link> copy = Add("monday-copy", FedReport("1.5", "6-1/8"), "Fed adds");
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->original_id, "monday");
}

// A template filled in day after day: its common text soon stops being
// kept for lookups (max_articles_per_band), and a copy of a late day is
// still found by the bands of that day's figures.
TEST_F(NearDuplicateTest, ACopyOfALateFillOfACrowdedTemplateIsFound) {
  NearDuplicateOptions options;
  options.max_articles_per_band = 2;
  detector_ = std::make_unique<NearDuplicateDetector>(options);
  for (int day = 0; day < 40; ++day) {
    EXPECT_FALSE(Add(absl::StrCat("day", day), FedReport(absl::StrCat(day + 1, ".5"), "6-1/8")))
        << day;
  }
  std::optional<Link> copy = Add("day30-copy", FedReport("31.5", "6-1/8"), "Fed adds");
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->original_id, "day30");
  EXPECT_DOUBLE_EQ(copy->similarity, 1.0);
}

TEST_F(NearDuplicateTest, ACopyOfACopyMustAgreeWithTheFirstArticlesFigures) {
  NearDuplicateOptions options;
  options.max_figure_disagreement = 0.5;  // one of two figures may differ
  detector_ = std::make_unique<NearDuplicateDetector>(options);
  ASSERT_FALSE(Add("first", FedReport("1.5", "6-1/8")));
  std::optional<Link> second = Add("second", FedReport("1.5", "6-1/4"));
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
