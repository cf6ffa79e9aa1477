#include "ingest_service/extract/model_entity_extractor.h"

#include <filesystem>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/testing/status_matchers.h"
#include "glog/logging.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/extract/perceptron_tagger.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const entities::EntityLexicon& Lexicon() {
  static const entities::EntityLexicon* const lexicon = [] {
    auto loaded = entities::EntityLexicon::Load(
        {std::string(NEWSDESK_DATA_DIR) + "/entities/entities.tsv"});
    CHECK(loaded.ok()) << loaded.status();
    return loaded->release();
  }();
  return *lexicon;
}

// "word/TAG word ..." with tags written as in NerTags(); a bare word is O.
TaggedSentence Sentence(absl::string_view text) {
  TaggedSentence sentence;
  for (absl::string_view item : absl::StrSplit(text, ' ')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, '/');
    sentence.words.emplace_back(parts[0]);
    const std::string tag = parts.size() > 1 ? std::string(parts[1]) : "O";
    const auto& tags = NerTags();
    sentence.tags.push_back(static_cast<int>(std::find(tags.begin(), tags.end(), tag) -
                                             tags.begin()));
  }
  return sentence;
}

// A small hand-written training set: people after "said", places after
// "in", organisations before "shares"; one sentence a document.
std::vector<TaggedDocument> TrainingSet() {
  std::vector<TaggedDocument> out;
  const char* const kFirst[] = {"Anna", "Piotr", "Maria", "Jonas", "Elena", "Tomas"};
  const char* const kLast[] = {"Kowalski", "Novak", "Berg", "Santos", "Ivanova", "Lind"};
  const char* const kPlaces[] = {"Brno", "Tartu", "Gdansk", "Porto", "Tampere", "Graz"};
  const char* const kOrgs[] = {"Vexcorp", "Lumatek", "Orbiton", "Staalgroep", "Nordwind",
                               "Quorax"};
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 6; ++j) {
      out.push_back({Sentence(absl::StrCat("Officials said/O ", kFirst[i], "/B-PER ",
                                          kLast[j], "/I-PER met them in ", kPlaces[j],
                                          "/B-LOC on Monday ."))});
      out.push_back({Sentence(absl::StrCat("Officials said/O ", kLast[(i + j) % 6],
                                          "/B-PER met them in ", kPlaces[i],
                                          "/B-LOC on Monday ."))});
      out.push_back({Sentence(absl::StrCat("Shares of ", kOrgs[(i + j) % 6],
                                          "/B-ORG rose in ", kPlaces[i], "/B-LOC ."))});
    }
  }
  return out;
}

std::vector<std::string> TagNames(const PerceptronTagger& tagger, absl::string_view text) {
  Document document(1);
  document[0] = absl::StrSplit(text, ' ');
  std::vector<std::string> out;
  const std::vector<std::vector<int>> tags = tagger.Tag(document);
  for (int t : tags[0]) out.push_back(NerTags()[t]);
  return out;
}

TEST(PerceptronTaggerTest, LearnsFromExamplesAndGeneralises) {
  int epochs_seen = 0;
  PerceptronTrainingOptions options;
  options.epochs = 6;
  options.after_epoch = [&](int epoch, const PerceptronTagger&) { epochs_seen = epoch; };
  const auto tagger = PerceptronTagger::Train(TrainingSet(), &Lexicon(), nullptr, options);
  EXPECT_EQ(epochs_seen, 6);
  EXPECT_GT(tagger->feature_count(), 0u);
  EXPECT_THAT(TagNames(*tagger, "Officials said Maria Santos met them in Graz on Monday ."),
              ElementsAre("O", "O", "B-PER", "I-PER", "O", "O", "O", "B-LOC", "O", "O",
                          "O"));
  // Names never seen in training, in a seen context.
  EXPECT_THAT(TagNames(*tagger, "Shares of Zentrix rose in Linz ."),
              ElementsAre("O", "O", "B-ORG", "O", "O", "B-LOC", "O"));
}

TEST(PerceptronTaggerTest, TagsInIob2WhateverTheSchemeInside) {
  for (const bool bilou : {true, false}) {
    PerceptronTrainingOptions options;
    options.bilou = bilou;
    const auto tagger = PerceptronTagger::Train(TrainingSet(), &Lexicon(), nullptr, options);
    const std::string text = "Officials said Maria Santos met them in Graz on Monday .";
    EXPECT_THAT(TagNames(*tagger, text),
                ElementsAre("O", "O", "B-PER", "I-PER", "O", "O", "O", "B-LOC", "O", "O", "O"))
        << bilou;
    const std::string path = ::testing::TempDir() + "/scheme.model";
    ASSERT_TRUE(tagger->Save(path).ok());
    auto loaded = PerceptronTagger::Load(path, &Lexicon(), nullptr);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(TagNames(**loaded, text), TagNames(*tagger, text)) << bilou;
  }
}

TEST(PerceptronTaggerTest, SavesAndLoads) {
  const auto tagger = PerceptronTagger::Train(TrainingSet(), &Lexicon(), nullptr, {});
  const std::string path = ::testing::TempDir() + "/ner.model";
  ASSERT_TRUE(tagger->Save(path).ok());
  auto loaded = PerceptronTagger::Load(path, &Lexicon(), nullptr);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->feature_count(), tagger->feature_count());
  const std::string text = "Officials said Jonas Lind met them in Porto on Monday .";
  EXPECT_EQ(TagNames(**loaded, text), TagNames(*tagger, text));

  EXPECT_THAT(PerceptronTagger::Load(path + ".missing", &Lexicon(), nullptr),
              StatusIs(absl::StatusCode::kNotFound));
  const std::string junk = ::testing::TempDir() + "/junk.model";
  std::ofstream(junk) << "not a model";
  EXPECT_THAT(PerceptronTagger::Load(junk, &Lexicon(), nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // A model cut short is refused, not half loaded.
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 7);
  EXPECT_THAT(PerceptronTagger::Load(path, &Lexicon(), nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Word clusters learned from the training sentences' words as plain text.
std::shared_ptr<const WordClusters> TrainingSetClusters() {
  std::string text;
  for (const TaggedDocument& document : TrainingSet()) {
    for (const TaggedSentence& sentence : document) {
      absl::StrAppend(&text, absl::StrJoin(sentence.words, " "), "\n");
    }
  }
  WordClusteringOptions options;
  options.clusters = {8, 3};
  WordClusterLearner learner(options);
  CHECK(learner.AddText(text).ok());
  auto clusters = learner.Learn();
  CHECK(clusters.ok()) << clusters.status();
  return std::make_shared<const WordClusters>(*std::move(clusters));
}

TEST(PerceptronTaggerTest, SavesAndLoadsWithWordClusters) {
  PerceptronTrainingOptions options;
  options.clusters = TrainingSetClusters();
  const auto tagger = PerceptronTagger::Train(TrainingSet(), &Lexicon(), nullptr, options);
  const auto without = PerceptronTagger::Train(TrainingSet(), &Lexicon(), nullptr, {});
  // The cluster features change what is learned.
  EXPECT_NE(tagger->feature_count(), without->feature_count());
  const std::string path = ::testing::TempDir() + "/clusters.model";
  ASSERT_TRUE(tagger->Save(path).ok());
  auto loaded = PerceptronTagger::Load(path, &Lexicon(), nullptr);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const WordClusters& clusters = (*loaded)->clusters();
  EXPECT_EQ(clusters.levels(), options.clusters->levels());
  EXPECT_EQ(clusters.word_count(), options.clusters->word_count());
  for (const char* word : {"Brno", "Novak", "Vexcorp", "said"}) {
    ASSERT_NE(clusters.Find(word), nullptr) << word;
    EXPECT_EQ(clusters.Find(word)[0], options.clusters->Find(word)[0]) << word;
    EXPECT_EQ(clusters.Find(word)[1], options.clusters->Find(word)[1]) << word;
  }
  for (const char* text : {"Officials said Jonas Lind met them in Porto on Monday .",
                           "Shares of Zentrix rose in Linz ."}) {
    EXPECT_EQ(TagNames(**loaded, text), TagNames(*tagger, text));
  }
  // Damage inside the clusters is refused.
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 3);
  EXPECT_THAT(PerceptronTagger::Load(path, &Lexicon(), nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("clusters")));
}

TEST(PerceptronTaggerTest, ReadsModelsOfTheFormatBeforeClustersAndNamesOthers) {
  // Format 3: the magic line, the feature count and the features; no clusters.
  const std::string old_path = ::testing::TempDir() + "/format3.model";
  {
    std::ofstream out(old_path, std::ios::binary);
    out << "newsdesk-ner-perceptron-3\n";
    const uint64_t count = 1, feature = 42;
    const float weights[9] = {1, 0, 0, 0, 0, 0, 0, 0, 0};
    out.write(reinterpret_cast<const char*>(&count), sizeof(count));
    out.write(reinterpret_cast<const char*>(&feature), sizeof(feature));
    out.write(reinterpret_cast<const char*>(weights), sizeof(weights));
  }
  auto old = PerceptronTagger::Load(old_path, &Lexicon(), nullptr);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ((*old)->feature_count(), 1u);
  EXPECT_TRUE((*old)->clusters().empty());

  const std::string future_path = ::testing::TempDir() + "/format9.model";
  std::ofstream(future_path) << "newsdesk-ner-perceptron-9\n" << std::string(64, '\0');
  EXPECT_THAT(PerceptronTagger::Load(future_path, &Lexicon(), nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("format 9")));
}

TEST(ModelEntityExtractorTest, LinksKnownNamesAndKeepsLocalOnes) {
  std::vector<TaggedDocument> training = TrainingSet();
  training.push_back({Sentence("Officials said/O Volodymyr/B-PER Zelensky/I-PER met them "
                              "in Kiev/B-LOC on Monday .")});
  const std::string path = ::testing::TempDir() + "/ner2.model";
  ASSERT_TRUE(PerceptronTagger::Train(training, &Lexicon(), nullptr, {})->Save(path).ok());
  auto tagger = PerceptronTagger::Load(path, &Lexicon(), nullptr);
  ASSERT_TRUE(tagger.ok());
  const ModelEntityExtractor extractor(&Lexicon(), *std::move(tagger), path);
  EXPECT_EQ(extractor.version(), Lexicon().data_version() + ";model=ner2.model");

  Article article;
  article.title = "Talks";
  article.paragraphs = {"Officials said Elena Berg met them in Kyiv on Monday.",
                        "Officials said Berg met them in Kiev on Monday."};
  std::map<std::string, ArticleEntity> by_id;
  for (ArticleEntity& e : extractor.Extract(article)) by_id[e.id] = e;
  ASSERT_TRUE(by_id.count("location-kyiv"));
  EXPECT_TRUE(by_id.at("location-kyiv").linked);
  EXPECT_THAT(by_id.at("location-kyiv").spellings, ElementsAre("Kyiv", "Kiev"));
  ASSERT_TRUE(by_id.count("person-elena-berg"));
  const ArticleEntity& berg = by_id.at("person-elena-berg");
  EXPECT_FALSE(berg.linked);
  EXPECT_EQ(berg.confidence, 0.75);
  EXPECT_THAT(berg.mentions,
              ElementsAre(EntityMention{TextSection::kBody, 0, 15, 25, "Elena Berg"},
                          EntityMention{TextSection::kBody, 1, 15, 19, "Berg"}));
}

}  // namespace
}  // namespace newsdesk::ingest
