#include "ingest_service/extract/wordnet_names.h"

#include <filesystem>

#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

// A few synsets in data.noun's format, with WordNet 3.0's offsets for the
// three roots (person, location, organization).
constexpr char kDataNoun[] =
    "  1 This software and database is being provided to you, the LICENSEE\n"
    "00007846 03 n 02 person 0 individual 0 001 @ 00004475 n 0000 | a human being  \n"
    "00027167 03 n 01 location 0 001 @ 00002684 n 0000 | a point or extent in space  \n"
    "08008335 14 n 02 organization 0 organisation 0 001 @ 07950920 n 0000 | a group  \n"
    "08524735 15 n 01 city 0 001 @ 00027167 n 0000 | a large town  \n"
    "08879197 15 n 01 Leicester 0 002 @i 08524735 n 0000 #p 08884012 n 0000 | a city  \n"
    "10467395 18 n 01 president 0 001 @ 00007846 n 0000 | a head of state  \n"
    "10974740 18 n 02 Ford 1 Gerald_Ford 0 001 @i 10467395 n 0000 | 38th President  \n"
    "09044862 15 n 02 Jordan 0 Hashemite_Kingdom_of_Jordan 0 001 @i 08524735 n 0000 | x  \n"
    "11084895 18 n 02 Jordan 0 Michael_Jordan 0 001 @i 10467395 n 0000 | a player  \n"
    "08294696 14 n 01 international_organization 0 001 @ 08008335 n 0000 | x  \n"
    "08295580 14 n 02 United_Nations 0 UN 0 001 @ 08294696 n 0000 | an organization  \n"
    "09750891 18 n 01 Democrat 0 001 @ 00007846 n 0000 | a member of a party  \n"
    "09999999 18 n 01 Broken 0 999 @i 10467395 n 0000 | too many pointers  \n";

TEST(WordNetNamesTest, TypesInstancesOfPeopleAndPlacesAndOrganisations) {
  const WordNetNames names = WordNetNames::Parse(kDataNoun);
  EXPECT_TRUE(names.loaded());
  EXPECT_EQ(names.Lookup("leicester"), WordNetNames::kLocation);
  EXPECT_EQ(names.Lookup("gerald ford"), WordNetNames::kPerson);
  EXPECT_EQ(names.Lookup("ford"), WordNetNames::kPerson);
  EXPECT_EQ(names.Lookup("united nations"), WordNetNames::kOrganization);
  EXPECT_EQ(names.Lookup("un"), WordNetNames::kOrganization);
  // Two synsets, two types.
  EXPECT_EQ(names.Lookup("jordan"), WordNetNames::kLocation | WordNetNames::kPerson);
}

TEST(WordNetNamesTest, KindsOfPeopleAreDescriptionsNotNames) {
  const WordNetNames names = WordNetNames::Parse(kDataNoun);
  EXPECT_EQ(names.Lookup("democrat"), WordNetNames::kDescription);  // a kind of person
  EXPECT_EQ(names.Lookup("city"), 0);      // lower case
  EXPECT_EQ(names.Lookup("president"), 0);
  EXPECT_EQ(names.Lookup("broken"), 0);  // its pointer count overruns the line
  EXPECT_EQ(names.Lookup("license"), 0);
}

TEST(WordNetNamesTest, CapitalisedAdjectivesAreDescriptions) {
  const WordNetNames names = WordNetNames::Parse(
      kDataNoun,
      "02923511 01 a 01 Islamic 0 001 + 08095426 n 0101 | of or relating to Islam  \n"
      "01691976 00 s 01 Reformed(a) 0 000 | of or relating to a church  \n"
      "00001740 00 a 01 able 0 000 | having the means  \n");
  EXPECT_EQ(names.Lookup("islamic"), WordNetNames::kDescription);
  EXPECT_EQ(names.Lookup("reformed"), WordNetNames::kDescription);
  EXPECT_EQ(names.Lookup("able"), 0);
}

TEST(WordNetNamesTest, MissingFolderGivesNoNames) {
  EXPECT_FALSE(WordNetNames::Load("").loaded());
  EXPECT_FALSE(WordNetNames::Load("/nonexistent/wordnet").loaded());
  EXPECT_FALSE(WordNetNames::Parse("garbage\n\n12 x\n").loaded());
}

TEST(WordNetNamesTest, ReadsDebiansWordNet) {
  if (!std::filesystem::exists(std::string(kDefaultWordNetDir) + "/data.noun")) {
    GTEST_SKIP() << "wordnet-base is not installed";
  }
  const WordNetNames names = WordNetNames::Load(kDefaultWordNetDir);
  EXPECT_GT(names.size(), 5000u);
  EXPECT_TRUE(names.Lookup("leicestershire") & WordNetNames::kLocation);
  EXPECT_TRUE(names.Lookup("einstein") & WordNetNames::kPerson);
  EXPECT_TRUE(names.Lookup("north atlantic treaty organization") &
              WordNetNames::kOrganization);
  EXPECT_EQ(names.Lookup("kurd"), WordNetNames::kDescription);
  EXPECT_EQ(names.Lookup("islamic"), WordNetNames::kDescription);
}

}  // namespace
}  // namespace newsdesk::ingest
