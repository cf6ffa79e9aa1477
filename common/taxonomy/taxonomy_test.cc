#include "common/taxonomy/taxonomy.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk {
namespace {

using ::newsdesk::testing::StatusIs;
using ::testing::ElementsAre;

TEST(TaxonomyTest, LoadsTheShippedVocabulary) {
  auto taxonomy = Taxonomy::LoadFromFile(
      std::string(NEWSDESK_DATA_DIR) + "/iptc/mediatopics.tsv", "2025-10-09");
  ASSERT_TRUE(taxonomy.ok()) << taxonomy.status();
  EXPECT_EQ((*taxonomy)->topics().size(), 1392u);
  const Taxonomy::Topic* diplomacy = (*taxonomy)->Find("medtop:20000639");
  ASSERT_NE(diplomacy, nullptr);
  EXPECT_EQ(diplomacy->label, "diplomacy");
  EXPECT_EQ(diplomacy->level, 3);
  EXPECT_THAT((*taxonomy)->Ancestors("medtop:20000639"),
              ElementsAre("medtop:20000638", "medtop:11000000"));
  EXPECT_TRUE((*taxonomy)->IsBelow("medtop:20000639", "medtop:11000000"));
  EXPECT_TRUE((*taxonomy)->IsBelow("medtop:20000639", "medtop:20000638"));
  EXPECT_FALSE((*taxonomy)->IsBelow("medtop:20000639", "medtop:20000639"));
  EXPECT_FALSE((*taxonomy)->IsBelow("medtop:11000000", "medtop:20000639"));
  EXPECT_FALSE((*taxonomy)->IsBelow("medtop:20000639", "medtop:16000000"));
  EXPECT_EQ((*taxonomy)->Find("Conflict, War and Peace")->code, "medtop:16000000");
  EXPECT_EQ((*taxonomy)->Find("16000000")->code, "medtop:16000000");
  EXPECT_EQ((*taxonomy)->Find("no such topic"), nullptr);
  EXPECT_EQ((*taxonomy)->version(), "2025-10-09");
}

TEST(TaxonomyTest, RejectsMalformedFiles) {
  EXPECT_THAT(Taxonomy::LoadFromString("header\nmedtop:1\tx\n", "v"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Taxonomy::LoadFromString("header\n", "v"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Taxonomy::LoadFromFile("/nonexistent/topics.tsv", "v"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(TaxonomyTest, RetiredTopicsAreFlagged) {
  auto taxonomy = Taxonomy::LoadFromString(
      "h\nmedtop:1\t\t1\t0\tparent\td\nmedtop:2\tmedtop:1\t2\t1\told child\td\n", "v");
  ASSERT_TRUE(taxonomy.ok());
  EXPECT_TRUE((*taxonomy)->Find("old child")->retired);
  EXPECT_FALSE((*taxonomy)->Find("parent")->retired);
}

}  // namespace
}  // namespace newsdesk
