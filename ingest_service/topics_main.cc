// newsdesk-topics: trains a topic model on labelled articles, and classifies
// articles in bulk the way the ingest service does (parse, entities,
// topics, key phrases), for evaluation.
//
//   newsdesk-topics train --input=labelled.tsv --output=model.txt
//   newsdesk-topics classify --input=articles.tsv [--model=model.txt] > out.jsonl
//
// Input files are described in ingest_service/extract/topic_dataset.h. The
// classify output has one JSON object per input line:
//   {"line":1,"labels":["medtop:..."],"taxonomy_version":"2025-10-09",
//    "topics":[{"code":"medtop:...","score":0.93,"implied":false},...],
//    "key_phrases":["..."],"entities":["person-...",...],
//    "roles":["person-...: Prime Minister of location-...",...]}
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/data/shared_data.h"
#include "common/server/server_util.h"
#include "glog/logging.h"
#include "ingest_service/core/ingestor.h"
#include "ingest_service/extract/topic_dataset.h"
#include "ingest_service/extract/topic_model.h"

ABSL_FLAG(std::string, input, "", "labelled-article file (see topic_dataset.h)");
ABSL_FLAG(std::string, output, "", "train: where to write the model");
ABSL_FLAG(std::string, model, "", "classify: a model written by train; default the term table");
ABSL_FLAG(std::string, data_files_dir,
          newsdesk::EnvOr("NEWSDESK_DATA_FILES_DIR", NEWSDESK_DEFAULT_DATA_FILES_DIR),
          "directory of the shipped data files [env NEWSDESK_DATA_FILES_DIR]");
ABSL_FLAG(int, epochs, 25, "train: passes over the articles");

namespace newsdesk::ingest {
namespace {

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

int Run(absl::string_view command) {
  auto data = LoadSharedData(absl::GetFlag(FLAGS_data_files_dir),
                             "/usr/share/iso-codes/json/iso_3166-1.json");
  if (!data.ok()) {
    std::cerr << data.status() << "\n";
    return EXIT_FAILURE;
  }
  auto lines = ReadDataset(absl::GetFlag(FLAGS_input));
  if (!lines.ok()) {
    std::cerr << lines.status() << "\n";
    return EXIT_FAILURE;
  }
  const Taxonomy& taxonomy = *data->taxonomy;
  ArticleParser parser;
  RuleEntityExtractor extractor(data->lexicon.get());
  std::unique_ptr<TopicModel> model;
  std::unique_ptr<TopicClassifier> classifier;
  if (command == "classify" && !absl::GetFlag(FLAGS_model).empty()) {
    auto loaded = TopicModel::Load(absl::GetFlag(FLAGS_model), taxonomy);
    if (!loaded.ok()) {
      std::cerr << loaded.status() << "\n";
      return EXIT_FAILURE;
    }
    model = std::move(*loaded);
    classifier = std::make_unique<ModelTopicClassifier>(model.get(), &taxonomy);
  } else {
    auto keyword = KeywordTopicClassifier::Load(
        &taxonomy, absl::GetFlag(FLAGS_data_files_dir) + "/topics/topic_terms.tsv");
    if (!keyword.ok()) {
      std::cerr << keyword.status() << "\n";
      return EXIT_FAILURE;
    }
    classifier = std::move(*keyword);
  }
  IngestorOptions ingestor_options;
  ingestor_options.max_content_bytes = 16 << 20;
  Ingestor ingestor(ingestor_options, &parser, &extractor, classifier.get(), nullptr);

  std::vector<LabelledArticle> labelled;
  for (const DatasetLine& line : *lines) {
    RawArticle raw;
    raw.content = line.content;
    auto article = ingestor.Parse(raw);
    if (!article.ok()) {
      std::cerr << "line " << line.line_number << ": " << article.status() << "\n";
      return EXIT_FAILURE;
    }
    if (command == "train") {
      labelled.push_back({std::move(*article), line.labels});
      continue;
    }
    std::vector<std::string> topics;
    for (const ArticleTopic& t : article->topics) {
      topics.push_back(absl::StrFormat("{\"code\":%s,\"score\":%.10g,\"implied\":%s}",
                                       JsonString(t.code), t.score,
                                       t.implied ? "true" : "false"));
    }
    std::vector<std::string> labels, phrases, entities;
    for (const std::string& l : line.labels) labels.push_back(JsonString(l));
    for (const std::string& k : article->key_phrases) phrases.push_back(JsonString(k));
    std::vector<std::string> roles;
    for (const ArticleEntity& e : article->entities) {
      entities.push_back(JsonString(e.id));
      for (const EntityRole& r : e.roles) {
        roles.push_back(JsonString(absl::StrCat(
            e.id, ": ", r.role, r.of_entity_id.empty() ? "" : " of ", r.of_entity_id)));
      }
    }
    std::cout << "{\"line\":" << line.line_number << ",\"labels\":["
              << absl::StrJoin(labels, ",")
              << "],\"taxonomy_version\":" << JsonString(article->taxonomy_version)
              << ",\"topics\":[" << absl::StrJoin(topics, ",") << "],\"key_phrases\":["
              << absl::StrJoin(phrases, ",") << "],\"entities\":["
              << absl::StrJoin(entities, ",") << "],\"roles\":[" << absl::StrJoin(roles, ",")
              << "]}\n";
  }
  if (command != "train") return EXIT_SUCCESS;

  TopicModelTrainingOptions options;
  options.epochs = absl::GetFlag(FLAGS_epochs);
  auto trained = TopicModel::Train(labelled, taxonomy, options);
  if (!trained.ok()) {
    std::cerr << trained.status() << "\n";
    return EXIT_FAILURE;
  }
  std::ofstream out(absl::GetFlag(FLAGS_output), std::ios::binary | std::ios::trunc);
  out << (*trained)->Serialize();
  out.close();
  if (!out) {
    std::cerr << "cannot write " << absl::GetFlag(FLAGS_output) << "\n";
    return EXIT_FAILURE;
  }
  std::cerr << "trained on " << labelled.size() << " articles: "
            << (*trained)->codes().size() << " topics, threshold "
            << (*trained)->threshold() << "; wrote " << absl::GetFlag(FLAGS_output) << "\n";
  return EXIT_SUCCESS;
}

}  // namespace
}  // namespace newsdesk::ingest

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "newsdesk-topics train --input=labelled.tsv --output=model.txt\n"
      "newsdesk-topics classify --input=articles.tsv [--model=model.txt]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  const std::string command = args.size() == 2 ? args[1] : "";
  if ((command != "train" && command != "classify") || absl::GetFlag(FLAGS_input).empty() ||
      (command == "train" && absl::GetFlag(FLAGS_output).empty())) {
    std::cerr << absl::ProgramUsageMessage() << "\n";
    return EXIT_FAILURE;
  }
  return newsdesk::ingest::Run(command);
}
