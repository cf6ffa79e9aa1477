// newsdesk-train-entities: trains the perceptron entity tagger on labelled
// text in CoNLL format (one "token ... tag" per line, IOB1 or IOB2 tags over
// PER, ORG, LOC, MISC) and writes the model where the ingest service can
// load it (--entity_model). With --dev, prints the exact-span scores on that
// held-out file after every epoch, to choose --epochs; the model written is
// the one after the last epoch. With --test, scores the final model there.
// With --unlabelled, first learns word clusters from plain text (files or
// folders) and uses them as features; they are stored inside the model.
// --clusters_from reuses the clusters of an earlier model instead.
//
//   newsdesk-train-entities --train=my.train --dev=my.dev --out=/var/lib/x/ner.model
//       --unlabelled=/data/news-text,/data/more.txt
#include <iostream>
#include <memory>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/entities/entity_lexicon.h"
#include "eval/conll.h"
#include "ingest_service/extract/perceptron_tagger.h"
#include "ingest_service/extract/word_clusters.h"
#include "ingest_service/extract/word_list.h"

ABSL_FLAG(std::string, train, "", "labelled training file (CoNLL format)");
ABSL_FLAG(std::string, dev, "", "optional held-out file scored after each epoch");
ABSL_FLAG(std::string, test, "", "optional file scored once with the final model");
ABSL_FLAG(std::string, out, "", "where to write the model (outside the repository)");
ABSL_FLAG(int, epochs, 8, "passes over the training data");
ABSL_FLAG(std::vector<std::string>, unlabelled, {},
          "plain-text files or folders (read recursively) to learn word clusters from; "
          "comma-separated");
ABSL_FLAG(std::string, clusters_from, "",
          "a model file whose word clusters to use instead of learning them");
ABSL_FLAG(std::vector<std::string>, clusters, (std::vector<std::string>{"1000", "250", "60", "15"}),
          "clusters per level, finest first (comma-separated)");
ABSL_FLAG(std::string, tag_scheme, "bilou",
          "bilou (each word of a name tagged Begin, Inside, Last or Unit) or iob2");
ABSL_FLAG(int, cluster_min_count, 3, "words seen fewer times in --unlabelled are not clustered");
ABSL_FLAG(int, cluster_iterations, 10, "exchange-algorithm passes per level");
ABSL_FLAG(std::string, word_list, newsdesk::ingest::kDefaultWordListPath,
          "English word list for word-list features (Debian's wamerican); the ingest "
          "service must load the same one");
ABSL_FLAG(std::string, data_dir, NEWSDESK_SOURCE_DATA_DIR,
          "the data files folder (entities/entities.tsv) for entity-table features");

namespace newsdesk::eval {
namespace {

const std::vector<std::string> kTypes = {"PER", "ORG", "LOC"};

int TagIndex(const std::string& tag) {
  const auto& tags = ingest::NerTags();
  return static_cast<int>(std::find(tags.begin(), tags.end(), tag) - tags.begin());
}

// The documents with IOB2 tag indices.
std::vector<ingest::TaggedDocument> ToTagged(const std::vector<ConllDocument>& documents) {
  std::vector<ingest::TaggedDocument> out;
  for (const ConllDocument& document : documents) {
    ingest::TaggedDocument& tagged_document = out.emplace_back();
    for (const ConllSentence& sentence : document.sentences) {
      ingest::TaggedSentence tagged;
      tagged.words = sentence.tokens;
      tagged.tags.assign(sentence.tokens.size(), 0);
      for (const Span& span : SpansFromTags(sentence.tags, 0)) {
        const int b = TagIndex("B-" + span.type), i = TagIndex("I-" + span.type);
        if (b >= static_cast<int>(ingest::NerTags().size())) continue;  // unknown type
        tagged.tags[span.begin] = b;
        for (int t = span.begin + 1; t < span.end; ++t) tagged.tags[t] = i;
      }
      tagged_document.push_back(std::move(tagged));
    }
  }
  return out;
}

std::map<std::string, Score> Evaluate(const ingest::PerceptronTagger& tagger,
                                      const std::vector<ConllDocument>& documents) {
  std::map<std::string, Score> scores;
  int index = 0;
  for (const ConllDocument& document : documents) {
    ingest::Document words;
    for (const ConllSentence& sentence : document.sentences) {
      words.emplace_back(sentence.tokens.begin(), sentence.tokens.end());
    }
    const std::vector<std::vector<int>> tags = tagger.Tag(words);
    for (size_t s = 0; s < document.sentences.size(); ++s) {
      std::vector<std::string> predicted;
      for (int t : tags[s]) predicted.push_back(ingest::NerTags()[t]);
      AddScores(SpansFromTags(document.sentences[s].tags, index),
                SpansFromTags(predicted, index), kTypes, &scores);
      ++index;
    }
  }
  return scores;
}

absl::StatusOr<std::vector<ConllDocument>> ReadIfSet(const std::string& path) {
  if (path.empty()) return std::vector<ConllDocument>();
  return ReadConll(path);
}

// The word clusters the flags ask for: none, those of --clusters_from, or
// learned from --unlabelled.
absl::StatusOr<std::shared_ptr<const ingest::WordClusters>> Clusters(
    const entities::EntityLexicon* lexicon, const ingest::WordList* word_list) {
  const std::vector<std::string> unlabelled = absl::GetFlag(FLAGS_unlabelled);
  const std::string from = absl::GetFlag(FLAGS_clusters_from);
  if (!from.empty() && !unlabelled.empty()) {
    return absl::InvalidArgumentError("give --unlabelled or --clusters_from, not both");
  }
  if (!from.empty()) {
    auto model = ingest::PerceptronTagger::Load(from, lexicon, word_list);
    if (!model.ok()) return model.status();
    if ((*model)->clusters().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(from, " holds no word clusters"));
    }
    // The model owns its clusters; share them through an aliasing pointer.
    std::shared_ptr<ingest::PerceptronTagger> shared(std::move(*model));
    std::cout << "word clusters from " << from << ": " << shared->clusters().word_count()
              << " words\n";
    return std::shared_ptr<const ingest::WordClusters>(shared, &shared->clusters());
  }
  if (unlabelled.empty()) return nullptr;
  ingest::WordClusteringOptions options;
  options.clusters.clear();
  for (const std::string& level : absl::GetFlag(FLAGS_clusters)) {
    int count = 0;
    if (!absl::SimpleAtoi(level, &count)) {
      return absl::InvalidArgumentError(absl::StrCat("--clusters: not a number: ", level));
    }
    options.clusters.push_back(count);
  }
  options.min_count = absl::GetFlag(FLAGS_cluster_min_count);
  options.iterations = absl::GetFlag(FLAGS_cluster_iterations);
  const absl::Time start = absl::Now();
  ingest::WordClusterLearner learner(options);
  for (const std::string& path : unlabelled) {
    if (absl::Status added = learner.AddPath(path); !added.ok()) return added;
  }
  auto clusters = learner.Learn();
  if (!clusters.ok()) return clusters.status();
  std::cout << absl::StrFormat("word clusters: %d words of %d in the unlabelled text, "
                               "learned in %.1f s\n",
                               clusters->word_count(), learner.word_count(),
                               absl::ToDoubleSeconds(absl::Now() - start));
  return std::make_shared<const ingest::WordClusters>(*std::move(clusters));
}

int Run() {
  const std::string train_path = absl::GetFlag(FLAGS_train);
  const std::string out_path = absl::GetFlag(FLAGS_out);
  if (train_path.empty() || out_path.empty()) {
    std::cerr << "--train and --out are required\n";
    return 2;
  }
  auto train = ReadConll(train_path);
  auto dev = ReadIfSet(absl::GetFlag(FLAGS_dev));
  auto test = ReadIfSet(absl::GetFlag(FLAGS_test));
  for (const auto* read : {&train, &dev, &test}) {
    if (!read->ok()) {
      std::cerr << read->status().message() << "\n";
      return 1;
    }
  }
  entities::EntityLexiconOptions lexicon_options;
  lexicon_options.entities_path =
      absl::StrCat(absl::GetFlag(FLAGS_data_dir), "/entities/entities.tsv");
  auto lexicon = entities::EntityLexicon::Load(lexicon_options);
  if (!lexicon.ok()) {
    std::cerr << lexicon.status().message() << "\n";
    return 1;
  }
  const std::vector<ingest::TaggedDocument> documents = ToTagged(*train);
  const ingest::WordList word_list = ingest::WordList::Load(absl::GetFlag(FLAGS_word_list));
  std::cout << "training on " << documents.size() << " documents of " << train_path
            << (word_list.loaded() ? "" : " (no word list)") << "\n";
  ingest::PerceptronTrainingOptions options;
  options.epochs = absl::GetFlag(FLAGS_epochs);
  const std::string scheme = absl::GetFlag(FLAGS_tag_scheme);
  if (scheme != "bilou" && scheme != "iob2") {
    std::cerr << "--tag_scheme must be bilou or iob2\n";
    return 2;
  }
  options.bilou = scheme == "bilou";
  auto clusters = Clusters(lexicon->get(), &word_list);
  if (!clusters.ok()) {
    std::cerr << clusters.status().message() << "\n";
    return 1;
  }
  options.clusters = *clusters;
  const absl::Time start = absl::Now();
  if (!dev->empty()) {
    options.after_epoch = [&](int epoch, const ingest::PerceptronTagger& tagger) {
      const auto scores = Evaluate(tagger, *dev);
      std::cout << absl::StrFormat("epoch %d  dev F1 %.2f (PER %.2f ORG %.2f LOC %.2f)\n",
                                   epoch, scores.at("ALL").f1(), scores.at("PER").f1(),
                                   scores.at("ORG").f1(), scores.at("LOC").f1());
    };
  }
  const auto tagger =
      ingest::PerceptronTagger::Train(documents, lexicon->get(), &word_list, options);
  std::cout << "trained in " << absl::ToDoubleSeconds(absl::Now() - start) << " s, "
            << tagger->feature_count() << " features\n";
  if (const absl::Status saved = tagger->Save(out_path); !saved.ok()) {
    std::cerr << saved.message() << "\n";
    return 1;
  }
  std::cout << "model written to " << out_path << "\n";
  if (!test->empty()) {
    std::cout << "exact-span scores on " << absl::GetFlag(FLAGS_test) << ":\n"
              << FormatScores(Evaluate(*tagger, *test), kTypes);
  }
  return 0;
}

}  // namespace
}  // namespace newsdesk::eval

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return newsdesk::eval::Run();
}
