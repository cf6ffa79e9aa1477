#include "common/entities/name_key.h"

#include "common/entities/code_points.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::entities {
namespace {

TEST(NameKeyTest, LowerCasesAndCollapsesSeparators) {
  EXPECT_EQ(NameKey("Xi Jinping"), "xi jinping");
  EXPECT_EQ(NameKey("  Rolls-Royce \t Holdings "), "rolls royce holdings");
  EXPECT_EQ(NameKey("Ursula von der Leyen"), "ursula von der leyen");
  EXPECT_EQ(NameKey("Bashar al-Assad"), "bashar al assad");
  EXPECT_EQ(NameKey("Procter & Gamble"), "procter and gamble");
  EXPECT_EQ(NameKey("Zelensky – Kyiv"), "zelensky kyiv");
  EXPECT_EQ(NameKey(""), "");
  EXPECT_EQ(NameKey("--"), "");
}

TEST(NameKeyTest, RemovesDotsAndApostrophes) {
  EXPECT_EQ(NameKey("U.S."), "us");
  EXPECT_EQ(NameKey("US"), "us");
  EXPECT_EQ(NameKey("Mr. Xi"), "mr xi");
  EXPECT_EQ(NameKey("O'Brien"), "obrien");
  EXPECT_EQ(NameKey("Sana’a"), "sanaa");
}

TEST(NameKeyTest, StripsPossessives) {
  EXPECT_EQ(NameKey("Kyiv's"), "kyiv");
  EXPECT_EQ(NameKey("Kyiv’s"), "kyiv");
  EXPECT_EQ(NameKey("China's foreign ministry"), "china foreign ministry");
  EXPECT_EQ(NameKey("Reuters'"), "reuters");
  EXPECT_EQ(NameKey("People's Daily"), "people daily");
  // An apostrophe before an s that starts a longer word is no possessive.
  EXPECT_EQ(NameKey("Ba'sim"), "basim");
}

TEST(NameKeyTest, FoldsLatinDiacritics) {
  EXPECT_EQ(NameKey("Erdoğan"), "erdogan");
  EXPECT_EQ(NameKey("Médecins Sans Frontières"), "medecins sans frontieres");
  EXPECT_EQ(NameKey("Türkiye"), "turkiye");
  EXPECT_EQ(NameKey("Łódź"), "lodz");
  EXPECT_EQ(NameKey("Straße"), "strasse");
  EXPECT_EQ(NameKey("Øresund"), "oresund");
  EXPECT_EQ(NameKey("ÆTHELRED"), "aethelred");
  EXPECT_EQ(NameKey("Chișinău"), "chisinau");
  EXPECT_EQ(NameKey("İstanbul"), "istanbul");
  EXPECT_EQ(NameKey("Ærø"), NameKey("AERO"));
  // Decomposed accents (e + U+0301) fold like precomposed ones.
  EXPECT_EQ(NameKey("Mace\xCC\x81"), NameKey("Macé"));
}

TEST(NameKeyTest, KeepsOtherScripts) {
  EXPECT_EQ(NameKey("Путин"), "Путин");
  EXPECT_EQ(NameKey("习近平 Xi"), "习近平 xi");
}

TEST(NameKeyTest, MergesRomanisationVariants) {
  const std::string zelensky = NameKey("Zelensky");
  EXPECT_EQ(NameKey("Zelenskyy"), zelensky);
  EXPECT_EQ(NameKey("Zelenskiy"), zelensky);
  EXPECT_EQ(NameKey("Zelenskii"), zelensky);
  EXPECT_EQ(NameKey("Zelenskyi"), zelensky);
  EXPECT_EQ(NameKey("ZELENSKYY's"), zelensky);
  EXPECT_EQ(NameKey("Sergey"), NameKey("Sergei"));
  EXPECT_EQ(NameKey("Alexey"), NameKey("Alexei"));
  EXPECT_EQ(NameKey("Dmitriy"), NameKey("Dmitry"));
  EXPECT_EQ(NameKey("Andrii"), NameKey("Andriy"));
  EXPECT_EQ(NameKey("Kharkiv"), NameKey("Kharkov"));
  EXPECT_EQ(NameKey("Lviv"), NameKey("Lvov"));
}

TEST(NameKeyTest, KeepsDifferentNamesApart) {
  EXPECT_NE(NameKey("Kiev"), NameKey("Kyiv"));
  EXPECT_NE(NameKey("Austria"), NameKey("Australia"));
  EXPECT_NE(NameKey("Sergei"), NameKey("Sergio"));
  EXPECT_NE(NameKey("Ivanov"), NameKey("Ivanova"));
  EXPECT_NE(NameKey("Serhiy"), NameKey("Sergiy"));
  // Short words keep their endings: Wang Yi is not Wang Y.
  EXPECT_EQ(NameKey("Wang Yi"), "wang yi");
  EXPECT_EQ(NameKey("Kyiv"), "kyiv");
}

TEST(FoldNameTest, FoldsWithoutMergingVariants) {
  EXPECT_EQ(FoldName("Zelenskyy's"), "zelenskyy");
  EXPECT_EQ(FoldName("Kharkiv"), "kharkiv");
  EXPECT_EQ(FoldName("São Paulo"), "sao paulo");
}

TEST(CodePointsTest, ClassifiesLetters) {
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8("ğ", &pos), 0x11Fu);
  EXPECT_EQ(pos, 2u);
  pos = 0;
  EXPECT_EQ(DecodeUtf8("\xC3", &pos), 0xFFFDu);  // truncated
  EXPECT_EQ(pos, 1u);
  EXPECT_TRUE(IsUpperCase(U'Ł'));
  EXPECT_FALSE(IsUpperCase(U'ł'));
  EXPECT_TRUE(IsUpperCase(U'Ž'));
  EXPECT_TRUE(IsUpperCase(U'Д'));
  EXPECT_FALSE(IsUpperCase(U'ß'));
  EXPECT_TRUE(IsWordChar(U'é'));
  EXPECT_TRUE(IsWordChar(U'习'));
  EXPECT_FALSE(IsWordChar(U'’'));
  EXPECT_FALSE(IsWordChar(U'“'));
  EXPECT_FALSE(IsWordChar(U'•'));
  EXPECT_TRUE(IsAllCapitals("U.S."));
  EXPECT_TRUE(IsAllCapitals("NATO"));
  EXPECT_FALSE(IsAllCapitals("Nato"));
  EXPECT_FALSE(IsAllCapitals("1990"));
}

}  // namespace
}  // namespace newsdesk::entities
