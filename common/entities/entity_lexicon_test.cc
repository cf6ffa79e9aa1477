#include "common/entities/entity_lexicon.h"

#include <string>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::entities {
namespace {

using ::newsdesk::testing::StatusIs;
using ::testing::Contains;
using ::testing::HasSubstr;

constexpr char kIsoCountries[] = "/usr/share/iso-codes/json/iso_3166-1.json";

std::string ShippedTable() {
  return std::string(NEWSDESK_DATA_DIR) + "/entities/entities.tsv";
}

// The id Lookup finds for `spelling`, or "" when it finds none.
std::string IdOf(const EntityLexicon& lexicon, absl::string_view spelling) {
  const EntityRecord* record = lexicon.Lookup(spelling);
  return record == nullptr ? "" : record->id;
}

class ShippedLexiconTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = EntityLexicon::Load({ShippedTable(), kIsoCountries});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    lexicon_ = loaded->release();
  }
  static void TearDownTestSuite() { delete lexicon_; }

  static const EntityLexicon* lexicon_;
};
const EntityLexicon* ShippedLexiconTest::lexicon_ = nullptr;

TEST_F(ShippedLexiconTest, FindsEntitiesByAnySpelling) {
  const EntityLexicon& lexicon = *lexicon_;
  EXPECT_EQ(IdOf(lexicon, "Zelenskyy"), "person-volodymyr-zelensky");
  EXPECT_EQ(IdOf(lexicon, "Zelenskiy"), "person-volodymyr-zelensky");
  EXPECT_EQ(IdOf(lexicon, "Volodymyr Zelenskyy's"), "person-volodymyr-zelensky");
  EXPECT_EQ(IdOf(lexicon, "Mr. Xi"), "person-xi-jinping");
  EXPECT_EQ(IdOf(lexicon, "XI JINPING"), "person-xi-jinping");
  EXPECT_EQ(IdOf(lexicon, "Kiev"), "location-kyiv");
  EXPECT_EQ(IdOf(lexicon, "Kyiv’s"), "location-kyiv");
  EXPECT_EQ(IdOf(lexicon, "Kharkov"), "location-kharkiv");
  EXPECT_EQ(IdOf(lexicon, "Artemivsk"), "location-bakhmut");
  EXPECT_EQ(IdOf(lexicon, "Peking"), "location-beijing");
  EXPECT_EQ(IdOf(lexicon, "North Atlantic Treaty Organization"), "org-nato");
  EXPECT_EQ(IdOf(lexicon, "Nato"), "org-nato");
  EXPECT_EQ(IdOf(lexicon, "China's foreign ministry"), "org-chinese-foreign-ministry");
  EXPECT_EQ(IdOf(lexicon, "Wagner militia"), "org-wagner-group");
  EXPECT_EQ(IdOf(lexicon, "Sergiy Nykyforov"), "person-serhiy-nykyforov");
  EXPECT_EQ(IdOf(lexicon, "Erdogan"), "person-recep-tayyip-erdogan");
  EXPECT_EQ(IdOf(lexicon, "nobody in particular"), "");
}

TEST_F(ShippedLexiconTest, FindsEntitiesById) {
  const EntityRecord* kyiv = lexicon_->FindById("location-kyiv");
  ASSERT_NE(kyiv, nullptr);
  EXPECT_EQ(kyiv->display_name, "Kyiv");
  EXPECT_EQ(kyiv->type, EntityType::kLocation);
  EXPECT_THAT(kyiv->aliases, Contains("Kiev"));
  EXPECT_EQ(lexicon_->Lookup("location-kyiv"), kyiv);
  EXPECT_EQ(lexicon_->FindById("location-atlantis"), nullptr);
}

TEST_F(ShippedLexiconTest, ShortCapitalAliasesAreCaseSensitive) {
  EXPECT_EQ(IdOf(*lexicon_, "US"), "location-united-states");
  EXPECT_EQ(IdOf(*lexicon_, "U.S."), "location-united-states");
  EXPECT_EQ(IdOf(*lexicon_, "us"), "");
  EXPECT_EQ(IdOf(*lexicon_, "Us"), "");
  EXPECT_EQ(IdOf(*lexicon_, "WHO"), "org-world-health-organization");
  EXPECT_EQ(IdOf(*lexicon_, "Who"), "");
}

TEST_F(ShippedLexiconTest, AddsEveryIsoCountry) {
  if (lexicon_->FindById("location-tuvalu") == nullptr) {
    GTEST_SKIP() << "Debian's iso-codes is not installed";
  }
  // Merged into curated records through a shared name...
  EXPECT_EQ(IdOf(*lexicon_, "Russian Federation"), "location-russia");
  EXPECT_EQ(IdOf(*lexicon_, "Republic of Korea"), "location-south-korea");
  EXPECT_EQ(IdOf(*lexicon_, "United Kingdom of Great Britain and Northern Ireland"),
            "location-united-kingdom");
  EXPECT_EQ(IdOf(*lexicon_, "Lao People's Democratic Republic"), "location-laos");
  // ... or added as new ones, with inverted names turned around.
  EXPECT_EQ(IdOf(*lexicon_, "Kingdom of Tonga"), "location-tonga");
  EXPECT_EQ(IdOf(*lexicon_, "British Virgin Islands"), "location-british-virgin-islands");
  EXPECT_EQ(IdOf(*lexicon_, "Falkland Islands"), "location-falkland-islands");
}

TEST_F(ShippedLexiconTest, ReportsDemonymsAndPrefixes) {
  EntityLexicon::KeyMatch chinese = lexicon_->MatchKey("chinese", false);
  EXPECT_EQ(chinese.record, nullptr);
  ASSERT_NE(chinese.demonym, nullptr);
  EXPECT_EQ(chinese.demonym->id, "location-china");
  ASSERT_NE(lexicon_->MatchKey("south korean", false).demonym, nullptr);
  EXPECT_EQ(lexicon_->Lookup("Chinese"), nullptr);  // a demonym is not a name

  EntityLexicon::KeyMatch xi = lexicon_->MatchKey("xi", false);
  ASSERT_NE(xi.record, nullptr);
  EXPECT_TRUE(xi.extends);  // "xi jinping"
  EXPECT_FALSE(lexicon_->MatchKey("xi jinping", false).extends);
  EXPECT_GE(lexicon_->max_key_words(), 4);
}

TEST_F(ShippedLexiconTest, VersionIsStable) {
  auto again = EntityLexicon::Load({ShippedTable(), kIsoCountries});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->version(), lexicon_->version());
  EXPECT_EQ(lexicon_->version().size(), 16u);
}

TEST(EntityLexiconTest, LoadsWithoutCountryList) {
  auto lexicon = EntityLexicon::Load({ShippedTable(), "/nonexistent/iso.json"});
  ASSERT_TRUE(lexicon.ok()) << lexicon.status();
  EXPECT_EQ(IdOf(**lexicon, "Kiev"), "location-kyiv");
  EXPECT_EQ((*lexicon)->FindById("location-tuvalu"), nullptr);
}

TEST(EntityLexiconTest, ParsesCommentsHeadersAndOptionalColumns) {
  auto lexicon = EntityLexicon::LoadFromStrings(
      "# comment\n"
      "id\ttype\tdisplay_name\taliases\tdemonyms\n"
      "\n"
      "person-ada-lovelace\tperson\tAda Lovelace\r\n"
      "location-wonderland\tlocation\tWonderland\tWonder Land|\tWonderlandish\n",
      "");
  ASSERT_TRUE(lexicon.ok()) << lexicon.status();
  EXPECT_EQ((*lexicon)->records().size(), 2u);
  EXPECT_EQ(IdOf(**lexicon, "ada lovelace"), "person-ada-lovelace");
  EXPECT_EQ(IdOf(**lexicon, "Wonder-Land"), "location-wonderland");
  EXPECT_NE((*lexicon)->MatchKey("wonderlandish", false).demonym, nullptr);
}

TEST(EntityLexiconTest, ScansTolerantJson) {
  auto lexicon = EntityLexicon::LoadFromStrings(
      "location-kyiv\tlocation\tKyiv\n",
      R"({"3166-1": [ {"name": "Korea, Republic of", "common_name": "South Korea",
          "numeric": "410"}, {"name": "C\u00f4te d'Ivoire"}, {"name": "Broken)");
  ASSERT_TRUE(lexicon.ok()) << lexicon.status();
  EXPECT_EQ(IdOf(**lexicon, "Republic of Korea"), "location-south-korea");
  EXPECT_EQ(IdOf(**lexicon, "Cote d'Ivoire"), "location-cote-divoire");
  EXPECT_EQ((*lexicon)->records().size(), 3u);
  // The list's entries are countries; other places are not.
  EXPECT_TRUE((*lexicon)->Lookup("South Korea")->country);
  EXPECT_FALSE((*lexicon)->Lookup("Kyiv")->country);
}

TEST(EntityLexiconTest, RejectsMalformedTables) {
  EXPECT_THAT(EntityLexicon::LoadFromStrings("person-a\tperson\n", ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1")));
  EXPECT_THAT(EntityLexicon::LoadFromStrings(
                  "# c\nperson-a\tperson\tA\nperson-b\thuman\tB\n", ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 3")));
  EXPECT_THAT(EntityLexicon::LoadFromStrings("org-a\tperson\tA\n", ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1")));
  EXPECT_THAT(EntityLexicon::LoadFromStrings("person-A\tperson\tA\n", ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      EntityLexicon::LoadFromStrings("person-a\tperson\tA\nperson-a\tperson\tB\n", ""),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2")));
  EXPECT_THAT(EntityLexicon::LoadFromStrings(
                  "person-a\tperson\tA\tAy\nperson-b\tperson\tB\tay\n", ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2: \"ay\" already names person-a")));
  EXPECT_THAT(EntityLexicon::LoadFromStrings("person-a\tperson\tA\t\tAish\n", ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("demonyms")));
  EXPECT_THAT(EntityLexicon::LoadFromStrings("# only comments\n", ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(EntityLexicon::Load({"/nonexistent/entities.tsv", ""}),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace newsdesk::entities
