// Key phrases: the few multi-word terms that say what an article is about
// ("peace talks", "grain export deal"), found without any trained model.
#ifndef INGEST_SERVICE_EXTRACT_KEY_PHRASE_EXTRACTOR_H_
#define INGEST_SERVICE_EXTRACT_KEY_PHRASE_EXTRACTOR_H_

#include <string>
#include <vector>

#include "common/model/article.h"

namespace newsdesk::ingest {

struct KeyPhraseOptions {
  // At most this many phrases per article.
  int max_phrases = 5;
  // A phrase has 2 to this many words.
  int max_words = 3;
  // A phrase must weigh at least this much (see below): twice in the body,
  // or once in the title, so one-off word pairs of the body are not
  // reported.
  double min_weight = 2.0;
};

// Candidates are runs of two or more content words inside one clause: no
// function word ("of", "the", "said"), number or punctuation between them,
// and no word that the article writes only capitalised (names, which are
// entities instead). Each candidate is weighted by its occurrences (title 2,
// lead paragraph 1.5, body 1) times its length in words, and the heaviest
// are reported, in lower case with single spaces, most telling first; a
// phrase that is part of a reported one, or contains one, is left out.
// Plurals count with their singular and are shown as written most often.
//
// Immutable after construction; Extract may run on many threads at once.
class KeyPhraseExtractor {
 public:
  explicit KeyPhraseExtractor(KeyPhraseOptions options = {});

  std::vector<std::string> Extract(const Article& article) const;

  // The form phrases are stored and compared in: lower-case runs of letters
  // and digits joined by single spaces ("Peace-talks " -> "peace talks").
  static std::string Normalize(absl::string_view phrase);

 private:
  const KeyPhraseOptions options_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_KEY_PHRASE_EXTRACTOR_H_
