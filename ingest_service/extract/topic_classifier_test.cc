#include "ingest_service/extract/topic_classifier.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/extract/seed_articles_for_test.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::ingest::testing::LoadSeedArticles;
using ::newsdesk::testing::StatusIs;
using ::testing::HasSubstr;

Article MakeArticle(std::string title, std::vector<std::string> paragraphs) {
  Article article;
  article.title = std::move(title);
  article.paragraphs = std::move(paragraphs);
  return article;
}

const ArticleTopic* FindTopic(const std::vector<ArticleTopic>& topics,
                              absl::string_view code) {
  for (const ArticleTopic& topic : topics) {
    if (topic.code == code) return &topic;
  }
  return nullptr;
}

bool HasAny(const std::vector<ArticleTopic>& topics,
            std::initializer_list<absl::string_view> codes) {
  for (absl::string_view code : codes) {
    if (FindTopic(topics, code) != nullptr) return true;
  }
  return false;
}

class KeywordTopicClassifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto taxonomy = Taxonomy::LoadFromFile(
        std::string(NEWSDESK_DATA_DIR) + "/iptc/mediatopics.tsv", "test");
    ASSERT_TRUE(taxonomy.ok()) << taxonomy.status();
    taxonomy_ = taxonomy->release();
    auto classifier = KeywordTopicClassifier::Load(
        taxonomy_, std::string(NEWSDESK_DATA_DIR) + "/topics/topic_terms.tsv");
    ASSERT_TRUE(classifier.ok()) << classifier.status();
    classifier_ = classifier->release();
  }
  static void TearDownTestSuite() {
    delete classifier_;
    delete taxonomy_;
  }

  // Checks the shape every result has: scores in [0, 1], specific topics
  // first, each implied topic an ancestor of a specific one and scored at
  // least as the best of them (it counts all the evidence below it).
  static void ExpectWellFormed(const std::vector<ArticleTopic>& topics) {
    bool seen_implied = false;
    const ArticleTopic* previous_implied = nullptr;
    for (const ArticleTopic& topic : topics) {
      EXPECT_GE(topic.score, 0.0);
      EXPECT_LE(topic.score, 1.0);
      EXPECT_FALSE(topic.label.empty());
      if (!topic.implied) {
        EXPECT_FALSE(seen_implied) << "specific topic " << topic.code << " after implied";
        continue;
      }
      seen_implied = true;
      // Implied topics come deepest first, then strongest first.
      if (previous_implied != nullptr) {
        const int previous_level = taxonomy_->Find(previous_implied->code)->level;
        const int level = taxonomy_->Find(topic.code)->level;
        EXPECT_GE(previous_level, level) << topic.code;
        if (previous_level == level) {
          EXPECT_GE(previous_implied->score, topic.score);
        }
      }
      previous_implied = &topic;
      double best = 0;
      for (const ArticleTopic& specific : topics) {
        if (specific.implied) continue;
        const std::vector<std::string> ancestors = taxonomy_->Ancestors(specific.code);
        if (std::find(ancestors.begin(), ancestors.end(), topic.code) !=
            ancestors.end()) {
          best = std::max(best, specific.score);
        }
      }
      EXPECT_GT(best, 0.0) << topic.code << " is above no specific topic";
      EXPECT_GE(topic.score, best) << topic.code;
    }
  }

  static const Taxonomy* taxonomy_;
  static const KeywordTopicClassifier* classifier_;
};
const Taxonomy* KeywordTopicClassifierTest::taxonomy_ = nullptr;
const KeywordTopicClassifier* KeywordTopicClassifierTest::classifier_ = nullptr;

TEST_F(KeywordTopicClassifierTest, SeedArticlesAreDiplomacyAndWar) {
  for (const testing::SeedArticle& seed : LoadSeedArticles()) {
    const std::vector<ArticleTopic> topics =
        classifier_->Classify(MakeArticle(seed.title, seed.paragraphs));
    ExpectWellFormed(topics);
    EXPECT_TRUE(HasAny(topics, {"medtop:20000639", "medtop:20000638"})) << seed.name;
    EXPECT_TRUE(HasAny(topics, {"medtop:20000056", "medtop:20000062"})) << seed.name;
    EXPECT_TRUE(HasAny(topics, {"medtop:16000000"})) << seed.name;
    // Nothing absurd: no sport, weather, lifestyle, arts or disaster.
    for (const ArticleTopic& topic : topics) {
      for (const char* absurd : {"medtop:15000000", "medtop:17000000", "medtop:10000000",
                                 "medtop:01000000", "medtop:03000000"}) {
        EXPECT_NE(topic.code, absurd) << seed.name;
        EXPECT_THAT(taxonomy_->Ancestors(topic.code),
                    ::testing::Not(::testing::Contains(absurd)))
            << seed.name << " " << topic.code;
      }
    }
  }
}

TEST_F(KeywordTopicClassifierTest, FindsFootball) {
  const std::vector<ArticleTopic> topics = classifier_->Classify(MakeArticle(
      "Striker scores twice as United beat City in Premier League derby",
      {"The striker scored twice in the second half as the home side won 2-1 on Sunday, "
       "moving up to third in the Premier League table.",
       "The midfielder set up the winner before the goalkeeper saved a late penalty "
       "kick, and the coach praised his players after the final whistle."}));
  ExpectWellFormed(topics);
  ASSERT_FALSE(topics.empty());
  EXPECT_EQ(topics.front().code, "medtop:20001065");  // football
  const ArticleTopic* sport = FindTopic(topics, "medtop:15000000");
  ASSERT_NE(sport, nullptr);
  EXPECT_TRUE(sport->implied);
  EXPECT_FALSE(HasAny(topics, {"medtop:16000000", "medtop:11000000", "medtop:04000000"}));
}

TEST_F(KeywordTopicClassifierTest, FindsMonetaryPolicy) {
  const std::vector<ArticleTopic> topics = classifier_->Classify(MakeArticle(
      "Central bank raises interest rates as inflation hits 40-year high",
      {"The central bank raised its benchmark interest rate by 75 basis points on "
       "Wednesday, the largest rate hike since 1994, as consumer prices rose 9.1%.",
       "Stock markets fell on the news, with investors fearing a recession. Bond "
       "yields climbed and the dollar strengthened against the euro."}));
  ExpectWellFormed(topics);
  EXPECT_TRUE(HasAny(topics, {"medtop:20000350", "medtop:20000379"}));
  const ArticleTopic* economy = FindTopic(topics, "medtop:04000000");
  ASSERT_NE(economy, nullptr);
  EXPECT_TRUE(economy->implied);
  EXPECT_FALSE(HasAny(topics, {"medtop:15000000", "medtop:16000000", "medtop:17000000"}));
}

TEST_F(KeywordTopicClassifierTest, CountsEntityHints) {
  Article article = MakeArticle("Statement", {"The body issued a statement on Monday."});
  EXPECT_TRUE(classifier_->Classify(article).empty());
  ArticleEntity fifa;
  fifa.id = "org-fifa";
  fifa.mention_count = 3;
  article.entities.push_back(fifa);
  EXPECT_TRUE(HasAny(classifier_->Classify(article), {"medtop:15000000"}));
}

TEST_F(KeywordTopicClassifierTest, AHeadlineWithOneClueStillGetsItsTopic) {
  // One sports word in a short item: below the threshold, above the
  // fallback.
  const std::vector<ArticleTopic> topics = classifier_->Classify(
      MakeArticle("Goalkeeper hurt", {"The visitors had a poor night."}));
  ExpectWellFormed(topics);
  EXPECT_TRUE(HasAny(topics, {"medtop:15000000"}));
}

// The top-level topic with the highest score, a specific topic winning a tie
// with its own ancestor, as a reader of the topic list would take it.
std::string TopLevelOf(const Taxonomy& taxonomy, const std::vector<ArticleTopic>& topics) {
  const ArticleTopic* best = nullptr;
  for (const ArticleTopic& topic : topics) {
    if (best == nullptr || topic.score > best->score) best = &topic;
  }
  if (best == nullptr) return "";
  std::vector<std::string> ancestors = taxonomy.Ancestors(best->code);
  return ancestors.empty() ? best->code : ancestors.back();
}

TEST_F(KeywordTopicClassifierTest, ShortNewsItemsGetTheirTopLevelTopic) {
  struct Case {
    const char* title;
    const char* lead;
    const char* top_level;
  };
  const Case cases[] = {
      {"Search engine adds spam filter for email users",
       "The web company said its free email service will block spam and spyware, "
       "and that users can download the new browser from Tuesday.",
       "medtop:13000000"},
      {"Nasa rover finds signs of water on Mars",
       "Scientists said the spacecraft's instruments found minerals that form in water, "
       "a discovery published in the journal Science.",
       "medtop:13000000"},
      {"Actress wins best actress award at film festival",
       "The actor and director premiere their new film, a thriller, at the festival "
       "before it opens in cinemas next month.",
       "medtop:01000000"},
      {"Carmaker profit beats forecasts in third quarter",
       "The company reported quarterly net profit up 12%, and its shares rose as "
       "analysts praised sales of its new vehicles.",
       "medtop:04000000"},
      {"Badminton and volleyball teams named for the championships",
       "The national squads for the badminton and volleyball championships were "
       "announced by the coaches on Friday.",
       "medtop:15000000"},
      {"Senate passes budget bill after late vote",
       "Republicans and Democrats in the Senate voted on the spending plan, and the "
       "governor said the reforms would go ahead.",
       "medtop:11000000"},
      // A technology company's product is technology, not its industry.
      {"Intel unveils faster Pentium chips for laptops",
       "The new processors use less power and will ship in notebooks from several "
       "makers early next year.",
       "medtop:13000000"},
      // Club names settle a headline with no sports word.
      {"Chicago Bears cut veteran after loss to Green Bay Packers",
       "The move comes two days after the defeat on Sunday.",
       "medtop:15000000"},
      // Employment figures are economic data, not labour relations.
      {"Jobless claims fall as payrolls grow",
       "The Labor Department said initial jobless claims fell last week, and the "
       "unemployment rate held steady.",
       "medtop:04000000"},
      // Technology news written with its industry's business words: the
      // words of the technology decide.
      {"Firm launches new browser",
       "The company said business customers can download the software from Tuesday, "
       "as the firm seeks to win market share from its rivals.",
       "medtop:13000000"},
      // A race that is no sport.
      {"Neighbours warn of arms race",
       "The two countries are locked in a nuclear arms race, the foreign minister said.",
       "medtop:16000000"},
      // A Nobel prize story is news of its field.
      {"Three Americans share Nobel prize in physics",
       "The physicists were honoured for their work on the strong force that binds "
       "quarks inside the atomic nucleus.",
       "medtop:13000000"},
  };
  for (const Case& c : cases) {
    const std::vector<ArticleTopic> topics =
        classifier_->Classify(MakeArticle(c.title, {c.lead}));
    ExpectWellFormed(topics);
    EXPECT_EQ(TopLevelOf(*taxonomy_, topics), c.top_level) << c.title;
  }
}

TEST_F(KeywordTopicClassifierTest, AnElectionRaceIsNoSport) {
  const std::vector<ArticleTopic> topics = classifier_->Classify(MakeArticle(
      "Money pours into tight Senate race",
      {"Both candidates raised record sums as the Senate race entered its final weeks, "
       "and voters head to the polls on Tuesday."}));
  ExpectWellFormed(topics);
  EXPECT_TRUE(HasAny(topics, {"medtop:20000574"}));  // election
  EXPECT_FALSE(HasAny(topics, {"medtop:15000000"}));
}

TEST_F(KeywordTopicClassifierTest, MoneyAmountsAndCompanyNamesAreNoSport) {
  // "$200m" is no 200 metres race, Sprint the telephone company no sprint,
  // and the FCC no football club.
  Article article = MakeArticle(
      "Sprint to spend $200m on network",
      {"Sprint said it would spend the money on its network as the FCC weighs new rules."});
  ArticleEntity sprint;
  sprint.id = "org-sprint-corp";
  sprint.type = EntityType::kOrganization;
  sprint.mention_count = 2;
  ArticleEntity fcc;
  fcc.id = "org-fcc";
  fcc.type = EntityType::kOrganization;
  fcc.mention_count = 1;
  article.entities = {sprint, fcc};
  const std::vector<ArticleTopic> topics = classifier_->Classify(article);
  ExpectWellFormed(topics);
  EXPECT_FALSE(HasAny(topics, {"medtop:15000000"}));
  // A club whose id ends in "-fc" still counts for football.
  Article club = MakeArticle("Statement", {"The club issued a statement on Monday."});
  ArticleEntity arsenal;
  arsenal.id = "org-arsenal-fc";
  arsenal.type = EntityType::kOrganization;
  arsenal.mention_count = 2;
  club.entities = {arsenal};
  EXPECT_TRUE(HasAny(classifier_->Classify(club), {"medtop:20001065"}));
}

TEST_F(KeywordTopicClassifierTest, IgnoresAnEmptyArticle) {
  EXPECT_TRUE(classifier_->Classify(Article()).empty());
}

TEST(KeywordTopicClassifierLoadTest, ScoresTheMostSpecificTopicsAndTheirAncestors) {
  auto taxonomy = Taxonomy::LoadFromString(
      "qcode\tparent_qcode\tlevel\tretired\tlabel_en\n"
      "medtop:1\t\t1\t0\tsport\n"
      "medtop:2\tmedtop:1\t2\t0\tfootball\n"
      "medtop:3\tmedtop:1\t2\t0\ttennis\n"
      "medtop:4\t\t1\t1\told\n",
      "v");
  ASSERT_TRUE(taxonomy.ok());
  KeywordTopicClassifierOptions options;
  options.threshold = 0.2;
  auto classifier = KeywordTopicClassifier::LoadFromString(
      taxonomy->get(),
      "# comment\nqcode\tweight\tterms\tentity_hints\n"
      "medtop:2\t2\tfootball|penalty kick\n"
      "medtop:3\t1\ttennis\n",
      options);
  ASSERT_TRUE(classifier.ok()) << classifier.status();
  const std::vector<ArticleTopic> topics =
      (*classifier)
          ->Classify(
              MakeArticle("Football", {"A penalty kick decided the football match."}));
  ASSERT_EQ(topics.size(), 2u);
  EXPECT_EQ(topics[0].code, "medtop:2");
  EXPECT_EQ(topics[0].label, "football");
  EXPECT_FALSE(topics[0].implied);
  EXPECT_EQ(topics[1].code, "medtop:1");
  EXPECT_TRUE(topics[1].implied);
  EXPECT_DOUBLE_EQ(topics[1].score, topics[0].score);
  // "football" in the title (2 * 2), "penalty kick" and "football" in the
  // first paragraph (2 * 1.5 each), over 8 words.
  EXPECT_NEAR(topics[0].score, 1 - std::exp(-10.0 / (4 * (1 + 8 / 400.0))), 1e-9);
}

TEST(KeywordTopicClassifierLoadTest, ImpliedTopicsCountAllTheEvidenceBelowThem) {
  auto taxonomy = Taxonomy::LoadFromString(
      "qcode\tparent_qcode\tlevel\tretired\tlabel_en\n"
      "medtop:1\t\t1\t0\tsport\n"
      "medtop:2\tmedtop:1\t2\t0\tfootball\n"
      "medtop:3\tmedtop:1\t2\t0\ttennis\n"
      "medtop:5\t\t1\t0\teconomy\n"
      "medtop:6\tmedtop:5\t2\t0\tmarkets\n",
      "v");
  ASSERT_TRUE(taxonomy.ok());
  KeywordTopicClassifierOptions options;
  options.threshold = 0.2;
  auto classifier = KeywordTopicClassifier::LoadFromString(
      taxonomy->get(),
      "medtop:2\t1\tfootball\nmedtop:3\t1\ttennis\nmedtop:6\t1.5\tshares\n", options);
  ASSERT_TRUE(classifier.ok()) << classifier.status();
  // Football and tennis each weigh less than shares, sport as a whole more.
  const std::vector<ArticleTopic> topics = (*classifier)->Classify(MakeArticle(
      "", {"The football club and the tennis club both sold shares.", "Nothing else."}));
  const ArticleTopic* football = FindTopic(topics, "medtop:2");
  const ArticleTopic* tennis = FindTopic(topics, "medtop:3");
  const ArticleTopic* sport = FindTopic(topics, "medtop:1");
  const ArticleTopic* markets = FindTopic(topics, "medtop:6");
  const ArticleTopic* economy = FindTopic(topics, "medtop:5");
  ASSERT_TRUE(football && tennis && sport && markets && economy);
  EXPECT_TRUE(sport->implied);
  EXPECT_LT(football->score, markets->score);
  EXPECT_LT(tennis->score, markets->score);
  EXPECT_GT(sport->score, economy->score);
  // Football (1.5) plus tennis (1.5) in the lead, over 12 words.
  EXPECT_NEAR(sport->score, 1 - std::exp(-3.0 / (4 * (1 + 12 / 400.0))), 1e-9);
  EXPECT_DOUBLE_EQ(economy->score, markets->score);
}

TEST(KeywordTopicClassifierLoadTest, TheLongestTermAtAWordCountsAlone) {
  auto taxonomy = Taxonomy::LoadFromString(
      "qcode\tparent_qcode\tlevel\tretired\tlabel_en\n"
      "medtop:1\t\t1\t0\tsport\n"
      "medtop:2\t\t1\t0\treligion\n",
      "v");
  ASSERT_TRUE(taxonomy.ok());
  auto classifier = KeywordTopicClassifier::LoadFromString(
      taxonomy->get(), "medtop:1\t2\tarizona cardinals|st. louis cardinals\nmedtop:2\t2\tcardinal\n");
  ASSERT_TRUE(classifier.ok()) << classifier.status();
  for (const char* title : {"Arizona Cardinals win again", "St. Louis Cardinals win again"}) {
    const std::vector<ArticleTopic> topics =
        (*classifier)->Classify(MakeArticle(title, {"It was close."}));
    EXPECT_TRUE(HasAny(topics, {"medtop:1"})) << title;
    EXPECT_FALSE(HasAny(topics, {"medtop:2"})) << title;
  }
  EXPECT_TRUE(HasAny((*classifier)->Classify(MakeArticle("Cardinals meet", {"In Rome."})),
                     {"medtop:2"}));
}

TEST(KeywordTopicClassifierLoadTest, TermsInsideAPlaceNameDoNotCount) {
  auto taxonomy = Taxonomy::LoadFromString(
      "qcode\tparent_qcode\tlevel\tretired\tlabel_en\n"
      "medtop:1\t\t1\t0\tbanking\n",
      "v");
  ASSERT_TRUE(taxonomy.ok());
  auto classifier = KeywordTopicClassifier::LoadFromString(
      taxonomy->get(), "medtop:1\t2\tbank|wall street\n");
  ASSERT_TRUE(classifier.ok()) << classifier.status();
  Article article = MakeArticle("Homes planned", {"New homes in the West Bank were approved."});
  EXPECT_TRUE(HasAny((*classifier)->Classify(article), {"medtop:1"}));
  ArticleEntity place;
  place.id = "location-west-bank";
  place.type = EntityType::kLocation;
  place.mention_count = 1;
  place.mentions.push_back({TextSection::kBody, 0, 17, 26, "West Bank"});
  article.entities.push_back(place);
  EXPECT_TRUE((*classifier)->Classify(article).empty());
  // A term that is the whole place name still counts.
  Article street = MakeArticle("Shares rally", {"Wall Street closed higher."});
  ArticleEntity wall_street;
  wall_street.id = "location-wall-street";
  wall_street.type = EntityType::kLocation;
  wall_street.mention_count = 1;
  wall_street.mentions.push_back({TextSection::kBody, 0, 0, 11, "Wall Street"});
  street.entities.push_back(wall_street);
  EXPECT_TRUE(HasAny((*classifier)->Classify(street), {"medtop:1"}));
}

TEST(KeywordTopicClassifierLoadTest, TermsInsideAPersonsNameDoNotCount) {
  auto taxonomy = Taxonomy::LoadFromString(
      "qcode\tparent_qcode\tlevel\tretired\tlabel_en\n"
      "medtop:1\t\t1\t0\tsport\n"
      "medtop:2\t\t1\t0\tmarkets\n",
      "v");
  ASSERT_TRUE(taxonomy.ok());
  auto classifier = KeywordTopicClassifier::LoadFromString(
      taxonomy->get(), "medtop:1\t2\tpacker|tiger woods\nmedtop:2\t2\tbonds\n");
  ASSERT_TRUE(classifier.ok()) << classifier.status();
  auto person = [](std::string id, int begin, int end, std::string spelling) {
    ArticleEntity entity;
    entity.id = std::move(id);
    entity.type = EntityType::kPerson;
    entity.mention_count = 1;
    entity.mentions.push_back({TextSection::kBody, 0, begin, end, std::move(spelling)});
    return entity;
  };
  // "Kerry Packer" and "Barry Bonds" are people, not a team and a market.
  Article article = MakeArticle("Results", {"Kerry Packer met Barry Bonds."});
  EXPECT_TRUE(HasAny((*classifier)->Classify(article), {"medtop:1"}));
  EXPECT_TRUE(HasAny((*classifier)->Classify(article), {"medtop:2"}));
  article.entities.push_back(person("person-kerry-packer", 0, 12, "Kerry Packer"));
  article.entities.push_back(person("person-barry-bonds", 17, 28, "Barry Bonds"));
  EXPECT_TRUE((*classifier)->Classify(article).empty());
  // A term that is the whole name still counts.
  Article golf = MakeArticle("Results", {"Tiger Woods won."});
  golf.entities.push_back(person("person-tiger-woods", 0, 11, "Tiger Woods"));
  EXPECT_TRUE(HasAny((*classifier)->Classify(golf), {"medtop:1"}));
}

TEST(KeywordTopicClassifierLoadTest, SuffixHintsMatchTheEndOfTheId) {
  auto taxonomy = Taxonomy::LoadFromString(
      "qcode\tparent_qcode\tlevel\tretired\tlabel_en\n"
      "medtop:1\t\t1\t0\tbusiness\n",
      "v");
  ASSERT_TRUE(taxonomy.ok());
  auto classifier = KeywordTopicClassifier::LoadFromString(
      taxonomy->get(), "qcode\tweight\tterms\tentity_hints\nmedtop:1\t2\tcompany\t-inc$\n",
      KeywordTopicClassifierOptions());
  ASSERT_TRUE(classifier.ok()) << classifier.status();
  Article article = MakeArticle("Statement", {"The body issued a statement on Monday."});
  ArticleEntity company;
  company.id = "org-medtronic-inc";
  company.mention_count = 2;
  article.entities.push_back(company);
  EXPECT_TRUE(HasAny((*classifier)->Classify(article), {"medtop:1"}));
  article.entities[0].id = "org-income-watch";  // "-inc" inside, not at the end
  EXPECT_FALSE(HasAny((*classifier)->Classify(article), {"medtop:1"}));
}

TEST(KeywordTopicClassifierLoadTest, HintsWithAStarMatchTheStartOfTheIdToo) {
  auto taxonomy = Taxonomy::LoadFromString(
      "qcode\tparent_qcode\tlevel\tretired\tlabel_en\n"
      "medtop:1\t\t1\t0\tbanking\n",
      "v");
  ASSERT_TRUE(taxonomy.ok());
  auto classifier = KeywordTopicClassifier::LoadFromString(
      taxonomy->get(), "medtop:1\t2\tlender\torg-*bank$\n");
  ASSERT_TRUE(classifier.ok()) << classifier.status();
  Article article = MakeArticle("Statement", {"It issued a statement on Monday."});
  ArticleEntity entity;
  entity.id = "org-world-bank";
  entity.mention_count = 1;
  article.entities.push_back(entity);
  EXPECT_TRUE(HasAny((*classifier)->Classify(article), {"medtop:1"}));
  for (const char* id : {"location-west-bank", "org-bankers-club"}) {
    article.entities[0].id = id;
    EXPECT_FALSE(HasAny((*classifier)->Classify(article), {"medtop:1"})) << id;
  }
}

TEST(KeywordTopicClassifierLoadTest, RoleHintsCountOncePerEntityWithTheRole) {
  auto taxonomy = Taxonomy::LoadFromString(
      "qcode\tparent_qcode\tlevel\tretired\tlabel_en\n"
      "medtop:1\t\t1\t0\tpolitics\n"
      "medtop:2\t\t1\t0\tsport\n"
      "medtop:3\t\t1\t0\tbusiness\n",
      "v");
  ASSERT_TRUE(taxonomy.ok());
  KeywordTopicClassifierOptions options;
  options.threshold = 0.01;
  options.fallback_threshold = 0.01;
  auto classifier = KeywordTopicClassifier::LoadFromString(
      taxonomy->get(),
      "medtop:1\t1\t\trole:prime minister|role:president@location-\n"
      "medtop:2\t2\tgoal\trole:coach\n"
      "medtop:3\t1\tshares\trole:chief executive\n",
      options);
  ASSERT_TRUE(classifier.ok()) << classifier.status();
  const Article plain = MakeArticle("Howard and Gibbs speak", {"They spoke on Monday."});
  EXPECT_TRUE((*classifier)->Classify(plain).empty());

  auto person = [](std::string id, int mentions, std::vector<EntityRole> roles) {
    ArticleEntity entity;
    entity.id = std::move(id);
    entity.type = EntityType::kPerson;
    entity.mention_count = mentions;
    entity.roles = std::move(roles);
    return entity;
  };
  // A prime minister named three times, with the role twice in two
  // spellings: one hit of weight 1.
  Article politics = MakeArticle("Howard and Gibbs speak", {"They spoke on Monday."});
  politics.entities.push_back(person(
      "person-john-howard", 3,
      {{"Prime Minister", "location-australia"}, {"prime ministers", ""}}));
  std::vector<ArticleTopic> topics = (*classifier)->Classify(politics);
  ASSERT_EQ(topics.size(), 1u);
  EXPECT_EQ(topics[0].code, "medtop:1");
  EXPECT_NEAR(topics[0].score, 1 - std::exp(-1.0 / (4 * (1 + 8 / 400.0))), 1e-9);

  // A coach weighs 2, and outweighs the prime minister.
  politics.entities.push_back(person("person-joe-gibbs", 1, {{"coach", ""}}));
  topics = (*classifier)->Classify(politics);
  ASSERT_EQ(topics.size(), 2u);
  EXPECT_EQ(topics[0].code, "medtop:2");
  EXPECT_EQ(topics[1].code, "medtop:1");

  // "@location-": the president of a place counts, of a company not.
  Article company = MakeArticle("Results", {"Figures came out."});
  company.entities.push_back(
      person("person-steve-ballmer", 1, {{"President", "org-microsoft"}}));
  EXPECT_TRUE((*classifier)->Classify(company).empty());
  company.entities[0].roles.push_back({"Chief Executive", "org-microsoft"});
  EXPECT_TRUE(HasAny((*classifier)->Classify(company), {"medtop:3"}));
  Article state = MakeArticle("Results", {"Figures came out."});
  state.entities.push_back(person("person-xi-jinping", 1, {{"President", "location-china"}}));
  EXPECT_TRUE(HasAny((*classifier)->Classify(state), {"medtop:1"}));
}

TEST(KeywordTopicClassifierLoadTest, RejectsMalformedTables) {
  auto taxonomy = Taxonomy::LoadFromString(
      "qcode\tparent_qcode\tlevel\tretired\tlabel_en\n"
      "medtop:1\t\t1\t0\tsport\n"
      "medtop:4\t\t1\t1\told\n",
      "v");
  ASSERT_TRUE(taxonomy.ok());
  auto load = [&](absl::string_view tsv) {
    return KeywordTopicClassifier::LoadFromString(taxonomy->get(), tsv);
  };
  EXPECT_THAT(load("medtop:1\t1\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1")));
  EXPECT_THAT(load("# c\nmedtop:1\t1\tgoal\nmedtop:9\t1\tx\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 3")));
  EXPECT_THAT(load("medtop:4\t1\tx\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not an active")));
  EXPECT_THAT(load("sport\t1\tx\n"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(load("medtop:1\tmany\tx\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad weight")));
  EXPECT_THAT(load("medtop:1\t1\t!!\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad term")));
  EXPECT_THAT(load("medtop:1\t1\tgoal\trole:@location-\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad role hint")));
  EXPECT_THAT(load(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(KeywordTopicClassifier::Load(taxonomy->get(), "/nonexistent/terms.tsv"),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace newsdesk::ingest
