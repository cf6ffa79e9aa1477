#include "ingest_service/extract/entity_extractor.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "glog/logging.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/extract/seed_articles_for_test.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::ingest::testing::LoadSeedArticles;
using ::newsdesk::ingest::testing::SeedArticle;
using ::testing::ElementsAre;
using ::testing::IsSupersetOf;
using ::testing::UnorderedElementsAre;

constexpr char kWordList[] = "/usr/share/dict/american-english";
constexpr char kWordNet[] = "/usr/share/wordnet";

const entities::EntityLexicon& Lexicon() {
  static const entities::EntityLexicon* const lexicon = [] {
    auto loaded = entities::EntityLexicon::Load(
        {std::string(NEWSDESK_DATA_DIR) + "/entities/entities.tsv"});
    CHECK(loaded.ok()) << loaded.status();
    return loaded->release();
  }();
  return *lexicon;
}

std::map<std::string, ArticleEntity> ById(const std::vector<ArticleEntity>& entities) {
  std::map<std::string, ArticleEntity> by_id;
  for (const ArticleEntity& entity : entities) by_id[entity.id] = entity;
  return by_id;
}

std::vector<std::string> Ids(const std::vector<ArticleEntity>& entities) {
  std::vector<std::string> ids;
  for (const ArticleEntity& entity : entities) ids.push_back(entity.id);
  return ids;
}

// Every spelling of every entity found, to check that junk is absent.
std::vector<std::string> Spellings(const std::vector<ArticleEntity>& entities) {
  std::vector<std::string> spellings;
  for (const ArticleEntity& entity : entities) {
    spellings.insert(spellings.end(), entity.spellings.begin(), entity.spellings.end());
  }
  return spellings;
}

// The extractor with and without the Debian reference data (the word list
// and WordNet): the rules must hold up either way.
class RuleEntityExtractorTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    RuleEntityExtractorOptions options;
    if (GetParam()) {
      if (!std::filesystem::exists(kWordList))
        GTEST_SKIP() << "wamerican is not installed";
      if (!std::filesystem::exists(std::string(kWordNet) + "/data.noun"))
        GTEST_SKIP() << "wordnet-base is not installed";
      options.common_words_path = kWordList;
      options.wordnet_dir = kWordNet;
    } else {
      options.common_words_path = "";
      options.wordnet_dir = "";
    }
    extractor_ = std::make_unique<RuleEntityExtractor>(&Lexicon(), options);
  }

  std::vector<ArticleEntity> Extract(absl::string_view title,
                                     const std::vector<std::string>& paragraphs = {}) {
    Article article;
    article.title = std::string(title);
    article.paragraphs = paragraphs;
    return extractor_->Extract(article);
  }

  std::unique_ptr<RuleEntityExtractor> extractor_;
};

INSTANTIATE_TEST_SUITE_P(WordList, RuleEntityExtractorTest, ::testing::Bool(),
                         [](const auto& info) {
                           return info.param ? "With" : "Without";
                         });

TEST_P(RuleEntityExtractorTest, LinksSpellingVariantsToOneEntity) {
  const std::vector<ArticleEntity> entities = Extract(
      "Zelensky meets Xi",
      {"Mr Zelenskyy spoke to Kyiv's allies.", "Volodymyr Zelenskiy later left Kiev."});
  const auto by_id = ById(entities);
  ASSERT_TRUE(by_id.count("person-volodymyr-zelensky"));
  const ArticleEntity& zelensky = by_id.at("person-volodymyr-zelensky");
  EXPECT_EQ(zelensky.mention_count, 3);
  EXPECT_EQ(zelensky.display_name, "Volodymyr Zelensky");
  EXPECT_EQ(zelensky.type, EntityType::kPerson);
  EXPECT_TRUE(zelensky.linked);
  EXPECT_THAT(zelensky.spellings,
              ElementsAre("Zelensky", "Zelenskyy", "Volodymyr Zelenskiy"));
  ASSERT_TRUE(by_id.count("location-kyiv"));
  EXPECT_THAT(by_id.at("location-kyiv").spellings, ElementsAre("Kyiv", "Kiev"));
  EXPECT_TRUE(by_id.count("person-xi-jinping"));
}

TEST_P(RuleEntityExtractorTest, StripsTitlesAndDemonyms) {
  const auto by_id = ById(Extract(
      "Talks",
      {"Chinese President Xi Jinping met French President Emmanuel Macron and "
       "Ukrainian Foreign Minister Dmytro Kuleba, while NATO chief Jens Stoltenberg "
       "and European Union chief Ursula von der Leyen watched."}));
  EXPECT_THAT(by_id.at("person-xi-jinping").spellings, ElementsAre("Xi Jinping"));
  EXPECT_THAT(by_id.at("person-emmanuel-macron").spellings,
              ElementsAre("Emmanuel Macron"));
  EXPECT_THAT(by_id.at("person-dmytro-kuleba").spellings, ElementsAre("Dmytro Kuleba"));
  EXPECT_THAT(by_id.at("person-ursula-von-der-leyen").spellings,
              ElementsAre("Ursula von der Leyen"));
  EXPECT_TRUE(by_id.count("person-jens-stoltenberg"));
  // Demonyms are modifiers, not mentions of the country.
  EXPECT_FALSE(by_id.count("location-china"));
  EXPECT_FALSE(by_id.count("location-france"));
  EXPECT_FALSE(by_id.count("location-ukraine"));
}

TEST_P(RuleEntityExtractorTest, GivesEveryMentionItsSpan) {
  Article article;
  article.title = "Zelensky meets Xi";
  article.paragraphs = {"Mr Zelenskiy’s aides met in Kyiv.", "Later, Xi left."};
  article.key_points = {"Kyiv hosted talks."};
  article.removed_blocks = {
      {RemovedBlockKind::kShareTail, "Share on Kyiv Post"},
      {RemovedBlockKind::kCaption, "Volodymyr Zelensky in Kyiv."}};
  const auto by_id = ById(extractor_->Extract(article));
  ASSERT_TRUE(by_id.count("person-volodymyr-zelensky"));
  EXPECT_THAT(by_id.at("person-volodymyr-zelensky").mentions,
              ElementsAre(EntityMention{TextSection::kTitle, 0, 0, 8, "Zelensky"},
                          EntityMention{TextSection::kBody, 0, 3, 12, "Zelenskiy"},
                          EntityMention{TextSection::kCaption, 1, 0, 18,
                                        "Volodymyr Zelensky"}));
  // Offsets are bytes of UTF-8 text: "’" before "s" takes three.
  EXPECT_THAT(by_id.at("location-kyiv").mentions,
              ElementsAre(EntityMention{TextSection::kBody, 0, 30, 34, "Kyiv"},
                          EntityMention{TextSection::kKeyPoint, 0, 0, 4, "Kyiv"},
                          EntityMention{TextSection::kCaption, 1, 22, 26, "Kyiv"}));
  // Blocks other than captions and credits are not read.
  EXPECT_EQ(by_id.at("location-kyiv").mention_count, 3);
  EXPECT_FALSE(by_id.count("org-kyiv-post"));
}

TEST_P(RuleEntityExtractorTest, ReadsTheStandfirst) {
  Article article;
  article.title = "Talks resume";
  article.standfirst = "Volodymyr Zelensky is expected in Kyiv.";
  article.paragraphs = {"Officials said the talks would go on."};
  const auto by_id = ById(extractor_->Extract(article));
  ASSERT_TRUE(by_id.count("person-volodymyr-zelensky"));
  EXPECT_THAT(by_id.at("person-volodymyr-zelensky").mentions,
              ElementsAre(EntityMention{TextSection::kStandfirst, 0, 0, 18,
                                        "Volodymyr Zelensky"}));
}

TEST_P(RuleEntityExtractorTest, SalienceWeighsTitleAndLeadAndIgnoresCaptions) {
  Article article;
  article.title = "Macron in Beijing";
  article.paragraphs = {"Emmanuel Macron spoke.", "He left.", "Later, Moscow replied."};
  article.removed_blocks = {{RemovedBlockKind::kCredit, "Photo: Moscow, Moscow, Moscow"}};
  const auto by_id = ById(extractor_->Extract(article));
  // Weights: Macron 3 + 2, Beijing 3, Moscow 1 (the credit counts nothing).
  EXPECT_DOUBLE_EQ(by_id.at("person-emmanuel-macron").salience, 5.0 / 9);
  EXPECT_DOUBLE_EQ(by_id.at("location-beijing").salience, 3.0 / 9);
  EXPECT_DOUBLE_EQ(by_id.at("location-moscow").salience, 1.0 / 9);
  EXPECT_EQ(by_id.at("location-moscow").mention_count, 4);
  for (const auto& [id, entity] : by_id) EXPECT_EQ(entity.confidence, 1.0) << id;
}

TEST_P(RuleEntityExtractorTest, KeepsRolesApartFromNames) {
  const auto by_id = ById(Extract(
      "Talks",
      {"Chinese President Xi Jinping met NATO chief Jens Stoltenberg and Russia's "
       "Foreign Minister Sergei Lavrov.",
       "Mr Xi said little. Border guard Levko Stek watched."}));
  EXPECT_THAT(by_id.at("person-xi-jinping").roles,
              ElementsAre(EntityRole{"President", "location-china"}));
  EXPECT_THAT(by_id.at("person-jens-stoltenberg").roles,
              ElementsAre(EntityRole{"chief", "org-nato"}));
  EXPECT_THAT(by_id.at("person-sergei-lavrov").roles,
              ElementsAre(EntityRole{"Foreign Minister", "location-russia"}));
  EXPECT_THAT(by_id.at("person-levko-stek").roles, ElementsAre(EntityRole{"Border guard", ""}));
  EXPECT_EQ(by_id.at("person-xi-jinping").spellings,
            (std::vector<std::string>{"Xi Jinping", "Xi"}));
}

TEST_P(RuleEntityExtractorTest, JoinsUnambiguousDescriptions) {
  const auto one = ById(Extract(
      "Visit", {"Chinese President Xi Jinping arrived. Later the Chinese president "
                "spoke with French President Emmanuel Macron."}));
  EXPECT_EQ(one.at("person-xi-jinping").mention_count, 2);
  EXPECT_THAT(one.at("person-xi-jinping").spellings, ElementsAre("Xi Jinping"));
  EXPECT_EQ(one.at("person-xi-jinping").mentions.back().spelling, "Chinese president");
  EXPECT_EQ(one.at("person-emmanuel-macron").mention_count, 1);
  // Two Chinese presidents: the description stays unresolved.
  const auto two = ById(Extract(
      "History", {"Chinese President Xi Jinping and Chinese President Hu Jintao met; "
                  "the Chinese president spoke."}));
  EXPECT_EQ(two.at("person-xi-jinping").mention_count, 1);
  // A description with nobody of that role named is no entity.
  EXPECT_THAT(Extract("x", {"The French president spoke to the Chinese leader."}),
              ElementsAre());
}

TEST_P(RuleEntityExtractorTest, LocalEntitiesHaveAConfidence) {
  const auto by_id = ById(Extract(
      "Report", {"Analyst Taras Zhovtenko wrote that. Taras Zhovtenko said more.",
                 "Shelling hit Orikhiv overnight, and Orikhiv burned."}));
  const ArticleEntity& person = by_id.at("person-taras-zhovtenko");
  EXPECT_FALSE(person.linked);
  EXPECT_DOUBLE_EQ(person.confidence, 0.9);  // titled, name-shaped, twice
  ASSERT_TRUE(by_id.count("misc-orikhiv") || by_id.count("location-orikhiv"));
  for (const auto& [id, entity] : by_id) {
    EXPECT_GT(entity.confidence, 0) << id;
    EXPECT_LT(entity.confidence, 1) << id;
  }
}

TEST_P(RuleEntityExtractorTest, VersionNamesTheReferenceData) {
  EXPECT_THAT(extractor_->version(),
              ::testing::StartsWith("entities=" + Lexicon().version()));
  EXPECT_EQ(absl::StrContains(extractor_->version(), ";wamerican="), GetParam());
}

TEST_P(RuleEntityExtractorTest, ResolvesPartialReferences) {
  const std::vector<ArticleEntity> entities = Extract(
      "Mercenary chief speaks",
      {"Yevgeny Prigozhin said the city was surrounded.",
       "Mr Prigozhin has often complained. Prigozhin added that Bakhmut would fall.",
       "Border guard Anatoliy Demchenko spoke to reporters. Demchenko said the "
       "night was quiet, and Mr Demchenko left."});
  const auto by_id = ById(entities);
  EXPECT_EQ(by_id.at("person-yevgeny-prigozhin").mention_count, 3);
  ASSERT_TRUE(by_id.count("person-anatoliy-demchenko"));
  const ArticleEntity& demchenko = by_id.at("person-anatoliy-demchenko");
  EXPECT_FALSE(demchenko.linked);
  EXPECT_EQ(demchenko.mention_count, 3);
  EXPECT_EQ(demchenko.display_name, "Anatoliy Demchenko");
  EXPECT_THAT(demchenko.spellings, ElementsAre("Anatoliy Demchenko", "Demchenko"));
  EXPECT_FALSE(by_id.count("person-demchenko"));
}

TEST_P(RuleEntityExtractorTest, TypesUnknownNamesByContext) {
  const auto by_id = ById(Extract(
      "Report",
      {"The Ministry of Agrarian Policy and the Zhytomyr Regional Council met "
       "officials from Kernel Holding Group.",
       "Shelling hit homes near Velyka Novosilka and in Orikhiv, said Olena Hrytsenko.",
       "Analyst Taras Zhovtenko wrote that OSCE monitors and the ZNPP staff left."}));
  EXPECT_EQ(by_id.at("org-zhytomyr-regional-council").type, EntityType::kOrganization);
  EXPECT_EQ(by_id.at("org-kernel-holding-group").type, EntityType::kOrganization);
  EXPECT_TRUE(by_id.count("location-velyka-novosilka"));
  EXPECT_TRUE(by_id.count("location-orikhiv"));
  EXPECT_TRUE(by_id.count("person-olena-hrytsenko"));
  EXPECT_TRUE(by_id.count("person-taras-zhovtenko"));
  EXPECT_TRUE(by_id.count("org-znpp"));
  EXPECT_TRUE(by_id.count("org-osce"));  // linked
  for (const ArticleEntity& entity : Extract("x", {"Olena Hrytsenko spoke."})) {
    EXPECT_FALSE(entity.linked);
  }
}

TEST_P(RuleEntityExtractorTest, TakesKnownNamesIntoLongerNames) {
  const auto by_id = ById(Extract(
      "Markets", {"Shares of Rio Tinto rose, the Bank of China said, and Jordan Bardella "
                  "spoke in Jordan."}));
  EXPECT_TRUE(by_id.count("org-bank-of-china"));
  EXPECT_TRUE(by_id.count("person-jordan-bardella"));
  EXPECT_EQ(by_id.at("location-jordan").mention_count, 1);
  EXPECT_FALSE(by_id.count("location-china"));
}

TEST_P(RuleEntityExtractorTest, RejectsJunk) {
  const std::vector<ArticleEntity> entities =
      Extract("Key Points",
              {"Share", "Thursday", "March 17, 2023", "Talks begin at 1400 GMT; GDP fell.",
               "Elsewhere, fighting continued. Analysts say the Fighting will go on.",
               "Meanwhile Governments should act, he said on Thursday in March.",
               "Open to discussion", "More in Top Stories",
               "BREAKING: Officials Say Talks Will Resume"});
  EXPECT_THAT(entities, ElementsAre()) << ::testing::PrintToString(Ids(entities));
}

TEST_P(RuleEntityExtractorTest, ReadsThePlaceOfAWireDateline) {
  const auto by_id = ById(Extract(
      "SOCCER - ZORBA GET LUCKY WIN",
      {"TIRASPOL 1996-08-22", "KHARTOUM (Reuters) - The talks began.",
       "MBABANE, Feb 26 - Showers continued.", "ZORBA said nothing. CHEAP PRICES 1996"}));
  EXPECT_EQ(by_id.at("location-tiraspol").type, EntityType::kLocation);
  EXPECT_EQ(by_id.at("location-khartoum").type, EntityType::kLocation);
  EXPECT_EQ(by_id.at("location-mbabane").type, EntityType::kLocation);
  EXPECT_FALSE(by_id.count("location-soccer"));
  EXPECT_FALSE(by_id.count("location-zorba"));
  // A standings row opens with a place and numbers, but no date.
  const auto standings = ById(Extract(
      "BASEBALL - STANDINGS", {"NEW YORK 1996-08-22", "BALTIMORE 67 59 .532 5"}));
  EXPECT_EQ(standings.at("org-baltimore").type, EntityType::kOrganization);
  EXPECT_FALSE(standings.count("location-baltimore"));
}

// Type and id of every entity found, to check a few at once.
std::map<std::string, EntityType> Types(const std::vector<ArticleEntity>& entities) {
  std::map<std::string, EntityType> types;
  for (const ArticleEntity& entity : entities) types[entity.id] = entity.type;
  return types;
}

TEST_P(RuleEntityExtractorTest, SportsStoriesNameTeamsByTheirTown) {
  const auto types = Types(Extract(
      "SOCCER - CHICAGO BEAT TORONTO",
      {"NEW YORK 1996-08-30", "Chicago beat Toronto 2-1 in New York on Saturday.",
       "England captain Mike Atherton watched.", "Chicago 12 8 2 2 26",
       "Berlin 3 Paris 1", "At Madrid: Madrid 2 Toronto 0"}));
  EXPECT_EQ(types.at("org-chicago"), EntityType::kOrganization);
  EXPECT_EQ(types.at("org-toronto"), EntityType::kOrganization);
  EXPECT_EQ(types.at("org-berlin"), EntityType::kOrganization);
  EXPECT_EQ(types.at("org-paris"), EntityType::kOrganization);
  // The dateline, "in New York" and "At Madrid" are places; a country is
  // a nation's team, written as the place.
  EXPECT_EQ(types.at("location-new-york"), EntityType::kLocation);
  EXPECT_FALSE(types.count("org-new-york"));
  EXPECT_EQ(types.at("location-madrid"), EntityType::kLocation);
  EXPECT_EQ(types.at("org-madrid"), EntityType::kOrganization);
  EXPECT_EQ(types.at("location-england"), EntityType::kLocation);
  EXPECT_FALSE(types.count("location-chicago"));
  EXPECT_FALSE(types.count("location-toronto"));
  EXPECT_FALSE(types.count("location-berlin"));
}

TEST_P(RuleEntityExtractorTest, OtherStoriesKeepPlacesAsPlaces) {
  // Not opened by a team sport's name, so no teams.
  const auto types = Types(Extract(
      "Chicago and Toronto trade grows", {"Chicago 12 8 2 2 26 was the reading."}));
  EXPECT_EQ(types.at("location-chicago"), EntityType::kLocation);
  EXPECT_EQ(types.at("location-toronto"), EntityType::kLocation);
  EXPECT_FALSE(types.count("org-chicago"));
  const auto tennis = Types(Extract("TENNIS - RESULTS FROM TORONTO",
                                    {"Players left Chicago for Toronto."}));
  EXPECT_EQ(tennis.at("location-chicago"), EntityType::kLocation);
  EXPECT_EQ(tennis.at("location-toronto"), EntityType::kLocation);
}

TEST_P(RuleEntityExtractorTest, ScoresMarkTeamsNotBowlers) {
  const auto types = Types(Extract(
      "CRICKET - RESULTS", {"Ostrava 2 Zlinsko 1", "Bowling: Ostrava 10-2-31-1",
                            "Smith c Jones b Zlinsko 33", "Postponed: Brnovia v Olomova.",
                            "Hosts face struggling Nottinghamshire."}));
  EXPECT_EQ(types.at("org-ostrava"), EntityType::kOrganization);
  EXPECT_EQ(types.at("org-zlinsko"), EntityType::kOrganization);
  EXPECT_EQ(types.at("org-brnovia"), EntityType::kOrganization);  // sides of a fixture
  EXPECT_EQ(types.at("org-olomova"), EntityType::kOrganization);
  EXPECT_EQ(types.at("org-nottinghamshire"), EntityType::kOrganization);  // a county
  const auto others = Types(Extract(
      "Cricket: results", {"Bowling: Kumblovic 10-2-31-1, Smithers 8-0-20-0."}));
  EXPECT_FALSE(others.count("org-kumblovic"));
  EXPECT_FALSE(others.count("org-smithers"));
}

TEST_P(RuleEntityExtractorTest, ReadsLinesInCapitals) {
  const std::vector<ArticleEntity> entities =
      Extract("RUGBY UNION - NEW YORK TAKE OVER AT TOP AFTER FINE VICTORY .",
              {"LONDON 1996-08-30", "New York won."});
  const auto types = Types(entities);
  EXPECT_EQ(types.at("org-new-york"), EntityType::kOrganization);
  EXPECT_EQ(types.at("location-london"), EntityType::kLocation);
  if (GetParam()) {  // common words are known only from the word list
    for (const std::string& spelling : Spellings(entities)) {
      EXPECT_THAT(spelling, ::testing::AnyOf("NEW YORK", "New York", "LONDON"));
    }
  }
}

TEST_P(RuleEntityExtractorTest, ReadsListsThatLookLikeHeadings) {
  // Every long word capitalised, but lists of names, not headings.
  const auto types = Types(Extract(
      "Tennis results", {"Andre Agassi (Colombia) vs. Mauricio Hadad (Colombia)",
                         "Paul Goydos, Billy Mayfair, Hidemichi Tanaka"}));
  EXPECT_EQ(types.at("person-andre-agassi"), EntityType::kPerson);
  EXPECT_EQ(types.at("person-mauricio-hadad"), EntityType::kPerson);
  EXPECT_EQ(types.at("person-paul-goydos"), EntityType::kPerson);
  EXPECT_EQ(types.at("person-hidemichi-tanaka"), EntityType::kPerson);
}

TEST_P(RuleEntityExtractorTest, ReadsTheRegionOfADateline) {
  const auto types = Types(Extract(
      "Talks end", {"ROCHESTER, N.H. 1996-08-30", "Talks ended on Friday."}));
  EXPECT_EQ(types.at("location-rochester"), EntityType::kLocation);
  // The region is a place too, never a team.
  const auto golf = Types(Extract(
      "GOLF - SCORES", {"COMMACK, New York 1996-08-24", "Scores on Saturday."}));
  EXPECT_EQ(golf.at("location-new-york"), EntityType::kLocation);
  EXPECT_FALSE(golf.count("org-new-york"));
}

TEST_P(RuleEntityExtractorTest, TypesOrganisationsByTheirContext) {
  const auto types = Types(Extract(
      "Tyres", {"The Italian tyre giant Pirrelo announced a venture.",
                "Later the group said that Cofinax shares rose and that Zuchora "
                "spokesman Piotr Kowal agreed."}));
  EXPECT_EQ(types.at("org-pirrelo"), EntityType::kOrganization);
  EXPECT_EQ(types.at("org-cofinax"), EntityType::kOrganization);
  EXPECT_EQ(types.at("org-zuchora"), EntityType::kOrganization);
  EXPECT_EQ(types.at("person-piotr-kowal"), EntityType::kPerson);
}

TEST_P(RuleEntityExtractorTest, KeepsAPlaceApartFromTheOrganisationNamedAfterIt) {
  const auto by_id = ById(Extract(
      "Arrest", {"Neighbours in Zlinsko called police, the Zlinsko Post reported."}));
  EXPECT_EQ(by_id.at("location-zlinsko").mention_count, 1);
  EXPECT_EQ(by_id.at("org-zlinsko-post").mention_count, 1);
  // A surname still joins the person's full name.
  const auto people = ById(Extract(
      "Arrest", {"Police held Piotr Zlinsko on Friday.", "Later Zlinsko said nothing."}));
  EXPECT_EQ(people.at("person-piotr-zlinsko").mention_count, 2);
}

TEST_P(RuleEntityExtractorTest, KeepsInitialsInNames) {
  const auto types = Types(Extract("Scores", {"Later C. Lewis made 80 and J. R. Smith 12."}));
  EXPECT_EQ(types.at("person-c-lewis"), EntityType::kPerson);
  EXPECT_EQ(types.at("person-j-r-smith"), EntityType::kPerson);
}

TEST_P(RuleEntityExtractorTest, TypesNamesWithWordNet) {
  if (!GetParam()) GTEST_SKIP() << "needs WordNet and the word list";
  const auto types = Types(Extract(
      "Floods", {"Rain fell across Leicestershire, Kent and Surrey on Friday, when Kurds "
                 "marched and Einstein was remembered.",
                 "Tony Clark and Darryl Strawberry watched."}));
  EXPECT_EQ(types.at("location-leicestershire"), EntityType::kLocation);
  EXPECT_EQ(types.at("location-surrey"), EntityType::kLocation);  // a common word too
  EXPECT_EQ(types.at("location-kent"), EntityType::kLocation);    // and a painter
  EXPECT_EQ(types.at("person-einstein"), EntityType::kPerson);
  EXPECT_FALSE(types.count("person-kurds"));  // a kind of people, no one person
  // Given names from the word list, even before a common word.
  EXPECT_EQ(types.at("person-tony-clark"), EntityType::kPerson);
  EXPECT_EQ(types.at("person-darryl-strawberry"), EntityType::kPerson);
}

TEST_P(RuleEntityExtractorTest, SortsByMentionsThenId) {
  const std::vector<ArticleEntity> entities = Extract(
      "Moscow and Beijing", {"Beijing said Moscow and Beijing agree; Kyiv did not."});
  EXPECT_THAT(Ids(entities),
              ElementsAre("location-beijing", "location-moscow", "location-kyiv"));
}

// What the reference articles must yield: the linked entities each names.
struct SeedExpectation {
  const char* name;
  std::vector<std::string> ids;
};

const SeedExpectation kSeedExpectations[] = {
    {"000_bc9c7e850a66cecc",
     {"person-xi-jinping",
      "person-emmanuel-macron",
      "person-ursula-von-der-leyen",
      "person-volodymyr-zelensky",
      "person-vladimir-putin",
      "person-andriy-yermak",
      "person-yevgeny-prigozhin",
      "person-levko-stek",
      "location-beijing",
      "location-china",
      "location-russia",
      "location-ukraine",
      "location-france",
      "location-bakhmut",
      "location-kyiv",
      "location-moscow",
      "location-donetsk",
      "location-lysychansk",
      "location-the-west",
      "org-european-union",
      "org-tass",
      "org-ria-novosti",
      "org-reuters",
      "org-wagner-group",
      "org-telegram",
      "location-great-hall-of-the-people",
      "org-australian-associated-press"}},
    {"001_fc00426c0e321901",
     {"person-qin-gang", "person-dmytro-kuleba", "person-xi-jinping",
      "person-vladimir-putin", "person-volodymyr-zelensky", "person-serhiy-cherevatyi",
      "location-china", "location-russia", "location-ukraine", "location-bakhmut",
      "location-donetsk", "location-black-sea", "location-crimea",
      "location-united-states", "org-chinese-foreign-ministry", "org-reuters",
      "org-wagner-group", "org-80th-air-assault-brigade", "org-pentagon"}},
    {"002_b3046c6bb07cf1a6",
     {"person-xi-jinping", "person-volodymyr-zelensky", "person-vladimir-putin",
      "location-china", "location-ukraine", "location-russia", "location-kyiv",
      "location-beijing", "location-moscow", "location-europe", "location-the-west",
      "location-united-states", "org-un-security-council"}},
    {"003_a3f724cffde74e1a",
     {"person-xi-jinping", "person-emmanuel-macron", "person-vladimir-putin",
      "person-mao-ning", "person-li-qiang", "location-china", "location-russia",
      "location-ukraine", "location-moscow", "location-beijing", "location-france",
      "location-europe", "location-united-states", "org-nato", "org-kremlin",
      "org-the-diplomat", "org-communist-party-of-china"}},
    {"004_5ae21f2a0cf7424a",
     {"person-xi-jinping", "person-volodymyr-zelensky", "person-vladimir-putin",
      "person-serhiy-nykyforov", "person-yu-jun", "person-jens-stoltenberg",
      "location-china", "location-ukraine", "location-russia", "location-kyiv",
      "location-moscow", "location-beijing", "location-france", "org-cctv", "org-twitter",
      "org-facebook", "org-chinese-foreign-ministry", "org-russian-foreign-ministry",
      "org-nato"}},
};

// Words of the seeds that are no names.
const char* const kSeedJunk[] = {"Key Points",
                                 "Key",
                                 "Points",
                                 "Share",
                                 "ShareEstimated",
                                 "Thursday",
                                 "Wednesday",
                                 "Tuesday",
                                 "March",
                                 "February",
                                 "April",
                                 "Two",
                                 "Fighting",
                                 "Elsewhere",
                                 "Western",
                                 "Chinese",
                                 "Ukrainian",
                                 "Russian",
                                 "French",
                                 "Analysts",
                                 "Meanwhile",
                                 "Sometimes",
                                 "Governments",
                                 "Consequently",
                                 "Earlier",
                                 "Although",
                                 "During",
                                 "Open",
                                 "Open to discussion",
                                 "More",
                                 "Top Stories",
                                 "BREAKING",
                                 "Peace",
                                 "Since",
                                 "According",
                                 "Many",
                                 "His",
                                 "The",
                                 "Source",
                                 "Min",
                                 "No",
                                 "Battles",
                                 "Our",
                                 "Mosco",
                                 "Says",
                                 "Ready",
                                 "Facilitate",
                                 "Peace Talks",
                                 "Jinping"};

TEST_P(RuleEntityExtractorTest, FindsEveryoneInTheSeedArticles) {
  const std::vector<SeedArticle> seeds = LoadSeedArticles();
  ASSERT_EQ(seeds.size(), std::size(kSeedExpectations));
  for (size_t s = 0; s < seeds.size(); ++s) {
    const SeedArticle& seed = seeds[s];
    const SeedExpectation& expected = kSeedExpectations[s];
    ASSERT_EQ(seed.name, expected.name);
    const std::vector<ArticleEntity> entities = Extract(seed.title, seed.paragraphs);
    std::vector<std::string> linked;
    for (const ArticleEntity& entity : entities) {
      if (entity.linked) linked.push_back(entity.id);
      EXPECT_GT(entity.mention_count, 0);
      EXPECT_FALSE(entity.spellings.empty());
    }
    EXPECT_THAT(linked, IsSupersetOf(expected.ids)) << seed.name;
    for (const char* junk : kSeedJunk) {
      EXPECT_THAT(Spellings(entities), ::testing::Not(::testing::Contains(junk)))
          << seed.name;
    }
  }
}

TEST_P(RuleEntityExtractorTest, CountsAndSpellsSeedEntities) {
  const std::vector<SeedArticle> seeds = LoadSeedArticles();
  ASSERT_GE(seeds.size(), 2u);
  const auto first = ById(Extract(seeds[0].title, seeds[0].paragraphs));
  // Title, four "Chinese President/leader Xi Jinping" and two "Mr Xi".
  EXPECT_EQ(first.at("person-xi-jinping").mention_count, 7);
  EXPECT_THAT(first.at("person-xi-jinping").spellings, ElementsAre("Xi Jinping", "Xi"));
  EXPECT_THAT(first.at("person-volodymyr-zelensky").spellings,
              ElementsAre("Volodymyr Zelenskyy", "Zelenskyy"));
  EXPECT_THAT(first.at("person-yevgeny-prigozhin").spellings,
              ElementsAre("Yevgeny Prigozhin", "Prigozhin"));
  // Names outside the table, from the photo credits.
  EXPECT_EQ(first.at("person-ng-han-guan").type, EntityType::kPerson);
  EXPECT_FALSE(first.at("person-ng-han-guan").linked);
  EXPECT_TRUE(first.count("person-gavriil-grigorov"));

  const auto second = ById(Extract(seeds[1].title, seeds[1].paragraphs));
  EXPECT_THAT(second.at("person-volodymyr-zelensky").spellings,
              ElementsAre("Volodymyr Zelenskiy"));
  EXPECT_THAT(second.at("person-qin-gang").spellings, ElementsAre("Qin Gang", "Qin"));
  // "said Marian, 21, a member of ...": a soldier named only by first name.
  EXPECT_EQ(second.at("person-marian").type, EntityType::kPerson);
}

}  // namespace
}  // namespace newsdesk::ingest
