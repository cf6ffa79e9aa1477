#include "common/entities/entity_id.h"

#include "gtest/gtest.h"

namespace newsdesk::entities {
namespace {

TEST(EntityIdTest, MakesTypedSlugs) {
  EXPECT_EQ(EntityId(EntityType::kPerson, "Volodymyr Zelensky"),
            "person-volodymyr-zelensky");
  EXPECT_EQ(EntityId(EntityType::kLocation, "United States"), "location-united-states");
  EXPECT_EQ(EntityId(EntityType::kOrganization, "NATO"), "org-nato");
  EXPECT_EQ(EntityId(EntityType::kMisc, "COVID-19"), "misc-covid-19");
  EXPECT_EQ(EntityId(EntityType::kUnspecified, "Thing"), "misc-thing");
  EXPECT_EQ(EntityId(EntityType::kLocation, "Côte d'Ivoire"), "location-cote-divoire");
  EXPECT_EQ(EntityId(EntityType::kPerson, "Kyiv's mayor"), "person-kyiv-mayor");
  EXPECT_EQ(EntityId(EntityType::kPerson, "Путин"), "person-u41fu443u442u438u43d");
  EXPECT_EQ(EntityId(EntityType::kMisc, "!!"), "misc-unnamed");
}

TEST(EntityIdTest, KeepsSpellingVariantsInIds) {
  // Ids name what was written; only matching merges variants.
  EXPECT_EQ(EntityId(EntityType::kPerson, "Zelenskyy"), "person-zelenskyy");
}

TEST(EntityIdTest, ValidatesIds) {
  EXPECT_TRUE(IsValidEntityId("person-xi-jinping"));
  EXPECT_TRUE(IsValidEntityId("org-80th-air-assault-brigade"));
  EXPECT_TRUE(IsValidEntityId(EntityId(EntityType::kPerson, "Путин")));
  EXPECT_FALSE(IsValidEntityId("people-xi"));
  EXPECT_FALSE(IsValidEntityId("person-"));
  EXPECT_FALSE(IsValidEntityId("person-Xi"));
  EXPECT_FALSE(IsValidEntityId("person-xi--jinping"));
  EXPECT_FALSE(IsValidEntityId("person-xi-"));
  EXPECT_FALSE(IsValidEntityId("xi"));
}

TEST(EntityIdTest, NamesTypes) {
  for (EntityType type : {EntityType::kPerson, EntityType::kOrganization,
                          EntityType::kLocation, EntityType::kMisc}) {
    EXPECT_EQ(ParseEntityTypeName(EntityTypeName(type)), type);
  }
  EXPECT_FALSE(ParseEntityTypeName("organization").has_value());
}

}  // namespace
}  // namespace newsdesk::entities
