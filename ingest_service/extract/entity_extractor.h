// Entity extraction: finding the people, organisations, places and other
// names an article mentions, and linking them to the curated entity table.
#ifndef INGEST_SERVICE_EXTRACT_ENTITY_EXTRACTOR_H_
#define INGEST_SERVICE_EXTRACT_ENTITY_EXTRACTOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "common/entities/entity_lexicon.h"
#include "common/model/article.h"
#include "ingest_service/extract/wordnet_names.h"

namespace newsdesk::ingest {

// Finds the entities an article names. Implementations are immutable once
// built, so Extract may run on many threads at once.
class EntityExtractor {
 public:
  virtual ~EntityExtractor();

  // One entry per canonical entity named in the article's title, body
  // paragraphs, key points, or captions and credits (its removed blocks of
  // those kinds), with every mention and its span, the distinct spellings,
  // roles, salience and confidence; sorted by mention count (most first),
  // then by id. Other fields of `article` are not read.
  virtual std::vector<ArticleEntity> Extract(const Article& article) const = 0;

  // Identifies the reference data that links entities, for
  // Article.entity_table_version.
  virtual std::string version() const = 0;
};

struct RuleEntityExtractorOptions {
  // An English word list, one word a line: Debian's wamerican. Its lower-case
  // words are the "common words": a capitalised common word that the lexicon
  // does not know ("Analysts", "Fighting") is not a name on its own. Empty,
  // or a file that cannot be read (logged), leaves a built-in list of
  // function words.
  std::string common_words_path = "/usr/share/dict/american-english";
  // WordNet's folder (Debian's wordnet-base): the places, people and
  // organisations it names type names outside the lexicon ("Leicestershire"
  // is a place). Empty, or a folder without data.noun (logged), types them
  // by context only.
  std::string wordnet_dir = kDefaultWordNetDir;
};

// Finds names by rule, with hash lookups only (no regular expressions):
//  - words from the lexicon, longest first, in any case, possessive or
//    romanisation ("Zelenskiy's", "Chinese foreign ministry");
//  - other runs of capitalised words, with name particles ("von der",
//    "al-") and, after a head word, "of the" ("Bank of China");
//  - titles and roles are not names but mark a person and become its roles
//    ("Chinese President Xi Jinping" -> Xi Jinping, role President of China;
//    "NATO chief Jens Stoltenberg" -> role chief of NATO; "border guard Levko
//    Stek"); demonyms are read as modifiers, never as names;
//  - a later partial reference ("Prigozhin", "Mr Xi", "Li") counts for the
//    full name it abbreviates in the same article, and "the Chinese
//    president" for the one person the article gives that role, if only one;
//  - names outside the lexicon are typed by their shape and context (ending
//    in Ministry or Brigade: an organisation; ending in Sea or Province, or
//    after "in" or "near": a location; after a title or beside "said": a
//    person; "giant Pirelli", "Ruch's shares": an organisation; a given name
//    of the word list first: a person), else by WordNet (Leicestershire is
//    a place, Einstein a person; "Kurds" and "Islamic" are descriptions),
//    and get local ids (linked=false). One plain mention of an unknown word
//    is not enough: it may be a typo;
//  - sports stories (opened by a slug such as "SOCCER -") name teams by
//    their town: there a place that is no nation, outside "in"/"at" and the
//    dateline, is a local organisation, and so is a name before a score in
//    a results line or table row ("Leeds 2 Chelsea 1", "PSV Eindhoven 4 3 1
//    0") or ending with a town ("Hansa Rostock");
//  - lines in capitals are read with the word list (only names and uncommon
//    words stay capitalised); lists and results lines are no headings;
//  - junk is rejected: capitalised common words at a sentence start, words
//    in title-case headings ("Key Points"), weekdays, months, page furniture
//    ("Share").
// Local entities are displayed under their longest spelling. Confidence is 1
// for linked entities; for local ones 0.5, plus 0.2 for context that types
// them (a title, "said", an organisation or place shape), 0.1 for a
// multi-word name of capitalised uncommon words, 0.1 for a second mention,
// at most 0.9.
class RuleEntityExtractor : public EntityExtractor {
 public:
  // `lexicon` is not owned and must outlive the extractor.
  explicit RuleEntityExtractor(const entities::EntityLexicon* lexicon,
                               const RuleEntityExtractorOptions& options = {});

  std::vector<ArticleEntity> Extract(const Article& article) const override;

  // The lexicon's data_version(), and ";wamerican=<Debian version>" when the
  // word list was read.
  std::string version() const override { return version_; }

 private:
  class Scan;  // the state of one Extract call

  // The WordClass bits of a NameKey (see the .cc), 0 for most words.
  uint32_t ClassOf(absl::string_view key) const;

  const entities::EntityLexicon* const lexicon_;
  absl::flat_hash_map<std::string, uint32_t> word_classes_;
  WordNetNames wordnet_;
  std::string version_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_ENTITY_EXTRACTOR_H_
