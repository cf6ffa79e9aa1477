// newsdesk-eval-conll: scores the shipped rule-based entity extractor on a
// CoNLL-2003 file (normally eng.testb) with CoNLL's exact-span definition:
// an entity is right only when its type and its exact token span match.
// Each document becomes an article whose title is its first sentence and
// whose paragraphs are the rest, the tokens joined by spaces (with no space
// before closing punctuation), so mention spans map back to tokens.
//
//   newsdesk-eval-conll --conll=.../eng.testa [--errors=30 [--show_misses="ORG not found"]]
#include <algorithm>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/entities/entity_lexicon.h"
#include "eval/conll.h"
#include "eval/conll_text.h"
#include "ingest_service/extract/entity_extractor.h"

ABSL_FLAG(std::string, conll, "", "CoNLL-2003 file to score, such as eng.testb");
ABSL_FLAG(std::string, data_dir, NEWSDESK_SOURCE_DATA_DIR,
          "the data files folder (entities/entities.tsv)");
ABSL_FLAG(std::string, common_words, "/usr/share/dict/american-english",
          "English word list (Debian's wamerican)");
ABSL_FLAG(int, errors, 0, "print this many most frequent false positives and negatives");
ABSL_FLAG(std::string, show_misses, "",
          "with --errors: print every missed name of this kind, such as \"ORG not found\" or "
          "\"PER found as MISC\", in its sentence");

namespace newsdesk::eval {
namespace {

const std::vector<std::string> kTypes = {"PER", "ORG", "LOC"};

std::string ConllType(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return "PER";
    case EntityType::kOrganization:
      return "ORG";
    case EntityType::kLocation:
      return "LOC";
    default:
      return "MISC";
  }
}

void PrintTop(const std::string& what, const std::map<std::string, int>& counts, int n) {
  std::vector<std::pair<int, std::string>> sorted;
  for (const auto& [text, count] : counts) sorted.push_back({-count, text});
  std::sort(sorted.begin(), sorted.end());
  std::cout << what << ":\n";
  for (int i = 0; i < n && i < static_cast<int>(sorted.size()); ++i) {
    std::cout << absl::StrFormat("  %4d  %s\n", -sorted[i].first, sorted[i].second);
  }
}

int Run() {
  const std::string path = absl::GetFlag(FLAGS_conll);
  if (path.empty()) {
    std::cerr << "--conll is required\n";
    return 2;
  }
  absl::StatusOr<std::vector<ConllDocument>> documents = ReadConll(path);
  if (!documents.ok()) {
    std::cerr << documents.status().message() << "\n";
    return 1;
  }
  entities::EntityLexiconOptions lexicon_options;
  lexicon_options.entities_path =
      absl::StrCat(absl::GetFlag(FLAGS_data_dir), "/entities/entities.tsv");
  auto lexicon = entities::EntityLexicon::Load(lexicon_options);
  if (!lexicon.ok()) {
    std::cerr << lexicon.status().message() << "\n";
    return 1;
  }
  ingest::RuleEntityExtractorOptions options;
  options.common_words_path = absl::GetFlag(FLAGS_common_words);
  const ingest::RuleEntityExtractor extractor(lexicon->get(), options);

  std::map<std::string, Score> scores;
  std::map<std::string, int> false_positives, false_negatives;
  // What became of each missed PER, ORG or LOC name.
  std::map<std::string, int> misses;
  int sentence_base = 0;
  for (const ConllDocument& document : *documents) {
    const DocumentText text = MakeArticle(document);
    std::vector<Span> predicted;
    for (const ArticleEntity& entity : extractor.Extract(text.article)) {
      for (const EntityMention& mention : entity.mentions) {
        // Descriptions ("the Chinese president") are no names.
        if (std::find(entity.spellings.begin(), entity.spellings.end(),
                      mention.spelling) == entity.spellings.end()) {
          continue;
        }
        std::optional<Span> span = text.ToSpan(mention);
        if (!span) continue;
        span->type = ConllType(entity.type);
        span->sentence += sentence_base;
        predicted.push_back(*span);
      }
    }
    std::vector<Span> gold;
    for (size_t s = 0; s < document.sentences.size(); ++s) {
      for (const Span& span : SpansFromTags(document.sentences[s].tags,
                                            sentence_base + static_cast<int>(s))) {
        gold.push_back(span);
      }
    }
    AddScores(gold, predicted, kTypes, &scores);
    if (absl::GetFlag(FLAGS_errors) > 0) {
      std::sort(gold.begin(), gold.end());
      std::sort(predicted.begin(), predicted.end());
      auto words = [&](const Span& span) {
        const ConllSentence& sentence = document.sentences[span.sentence - sentence_base];
        std::string out = span.type + " ";
        for (int t = span.begin; t < span.end; ++t) {
          absl::StrAppend(&out, t > span.begin ? " " : "", sentence.tokens[t]);
        }
        return out;
      };
      for (const Span& span : predicted) {
        if (span.type != "MISC" && !std::binary_search(gold.begin(), gold.end(), span)) {
          ++false_positives[words(span)];
        }
      }
      for (const Span& span : gold) {
        if (span.type != "MISC" &&
            !std::binary_search(predicted.begin(), predicted.end(), span)) {
          ++false_negatives[words(span)];
          std::string what = "not found";
          for (const Span& p : predicted) {
            if (p.sentence != span.sentence || p.end <= span.begin || p.begin >= span.end) {
              continue;
            }
            what = p.begin == span.begin && p.end == span.end
                       ? absl::StrCat("found as ", p.type)
                       : "found with other bounds";
            break;
          }
          const std::string kind = absl::StrCat(span.type, " ", what);
          ++misses[kind];
          if (kind == absl::GetFlag(FLAGS_show_misses)) {
            const ConllSentence& sentence = document.sentences[span.sentence - sentence_base];
            std::string line;
            for (int t = 0; t < static_cast<int>(sentence.tokens.size()); ++t) {
              absl::StrAppend(&line, t > 0 ? " " : "", t == span.begin ? "[[" : "",
                              sentence.tokens[t], t + 1 == span.end ? "]]" : "");
            }
            std::cout << kind << ": " << line << "\n";
          }
        }
      }
    }
    sentence_base += static_cast<int>(document.sentences.size());
  }
  std::cout << "CoNLL-2003 exact-span entity scores of the rule-based extractor on " << path
            << " (" << documents->size() << " documents, entity data "
            << extractor.version() << ")\n"
            << FormatScores(scores, kTypes);
  if (const int n = absl::GetFlag(FLAGS_errors); n > 0) {
    PrintTop("most frequent false positives", false_positives, n);
    PrintTop("most frequent false negatives", false_negatives, n);
    PrintTop("false negatives by what became of them", misses, 20);
  }
  return 0;
}

}  // namespace
}  // namespace newsdesk::eval

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return newsdesk::eval::Run();
}
