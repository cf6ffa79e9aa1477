// newsdesk-extract-tsv: runs an entity extractor over articles read from
// standard input, one a line: "<id> TAB <title> TAB <paragraphs>", the
// paragraphs separated by the byte 0x1F. Writes one line per entity found:
// "<id> TAB <entity id> TAB <type> TAB <display name> TAB <spellings>", the
// spellings separated by '|'. For evaluation scripts in other languages.
//
//   newsdesk-extract-tsv [--entity_model=path] < articles.tsv > entities.tsv
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/entities/entity_id.h"
#include "common/entities/entity_lexicon.h"
#include "ingest_service/extract/entity_extractor.h"
#include "ingest_service/extract/model_entity_extractor.h"
#include "ingest_service/extract/word_list.h"

ABSL_FLAG(std::string, data_dir, NEWSDESK_SOURCE_DATA_DIR,
          "the data files folder (entities/entities.tsv)");
ABSL_FLAG(std::string, word_list, newsdesk::ingest::kDefaultWordListPath,
          "English word list (Debian's wamerican)");
ABSL_FLAG(std::string, entity_model, "",
          "model from newsdesk-train-entities; empty for the rule-based extractor");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using namespace newsdesk;  // NOLINT: a small tool
  entities::EntityLexiconOptions lexicon_options;
  lexicon_options.entities_path =
      absl::StrCat(absl::GetFlag(FLAGS_data_dir), "/entities/entities.tsv");
  auto lexicon = entities::EntityLexicon::Load(lexicon_options);
  if (!lexicon.ok()) {
    std::cerr << lexicon.status().message() << "\n";
    return 1;
  }
  const ingest::WordList word_list = ingest::WordList::Load(absl::GetFlag(FLAGS_word_list));
  std::unique_ptr<ingest::EntityExtractor> extractor;
  if (const std::string model = absl::GetFlag(FLAGS_entity_model); model.empty()) {
    ingest::RuleEntityExtractorOptions options;
    options.common_words_path = absl::GetFlag(FLAGS_word_list);
    extractor = std::make_unique<ingest::RuleEntityExtractor>(lexicon->get(), options);
  } else {
    auto tagger = ingest::PerceptronTagger::Load(model, lexicon->get(), &word_list);
    if (!tagger.ok()) {
      std::cerr << tagger.status().message() << "\n";
      return 1;
    }
    extractor = std::make_unique<ingest::ModelEntityExtractor>(lexicon->get(),
                                                               *std::move(tagger), model);
  }
  int line_number = 0;
  for (std::string line; std::getline(std::cin, line);) {
    ++line_number;
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    if (cols.size() != 3) {
      std::cerr << "line " << line_number << ": want 3 tab-separated columns, got "
                << cols.size() << "\n";
      return 1;
    }
    Article article;
    article.title = cols[1];
    article.paragraphs = absl::StrSplit(cols[2], '\x1f', absl::SkipEmpty());
    for (const ArticleEntity& entity : extractor->Extract(article)) {
      std::cout << cols[0] << '\t' << entity.id << '\t' << entities::EntityTypeName(entity.type)
                << '\t' << entity.display_name << '\t' << absl::StrJoin(entity.spellings, "|")
                << '\n';
    }
  }
  return 0;
}
