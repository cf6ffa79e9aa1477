// Reading CoNLL-2003 NER files and scoring entity spans the way the shared
// task's conlleval does: an entity counts only when its type and its exact
// token span both match. Used by the evaluation and training tools; the
// corpus itself is research-only and never part of the repository.
#ifndef EVAL_CONLL_H_
#define EVAL_CONLL_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsdesk::eval {

struct ConllSentence {
  std::vector<std::string> tokens;
  std::vector<std::string> tags;  // "O", "I-PER", "B-LOC", ... (IOB1 or IOB2)
};

struct ConllDocument {
  std::vector<ConllSentence> sentences;
};

// A labelled span of tokens [begin, end) of one sentence.
struct Span {
  int sentence = 0;
  int begin = 0;
  int end = 0;
  std::string type;  // "PER", "ORG", "LOC", "MISC"

  bool operator<(const Span& o) const {
    if (sentence != o.sentence) return sentence < o.sentence;
    if (begin != o.begin) return begin < o.begin;
    if (end != o.end) return end < o.end;
    return type < o.type;
  }
  bool operator==(const Span& o) const {
    return sentence == o.sentence && begin == o.begin && end == o.end && type == o.type;
  }
};

// Parses the four-column CoNLL-2003 format ("token POS chunk NER"; the
// last column is the tag), documents split at -DOCSTART-, sentences at
// blank lines. InvalidArgument naming the line when a line has fewer than
// two columns.
absl::StatusOr<std::vector<ConllDocument>> ParseConll(absl::string_view text);

// ParseConll of the file at `path`; NotFound when it cannot be read.
absl::StatusOr<std::vector<ConllDocument>> ReadConll(const std::string& path);

// The entity spans a tag sequence encodes. IOB1 and IOB2 both read right: a
// chunk starts at B-X, or at I-X after a tag of another type or O.
std::vector<Span> SpansFromTags(const std::vector<std::string>& tags, int sentence);

// Counts for one type.
struct Score {
  int gold = 0;
  int predicted = 0;
  int correct = 0;
  double precision() const { return predicted ? 100.0 * correct / predicted : 0; }
  double recall() const { return gold ? 100.0 * correct / gold : 0; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

// Adds exact-span matches of `predicted` against `gold` to `scores`, by type
// and under "ALL" for the types in `types` together.
void AddScores(const std::vector<Span>& gold, const std::vector<Span>& predicted,
               const std::vector<std::string>& types, std::map<std::string, Score>* scores);

// A table of precision, recall and F1 per type and for ALL.
std::string FormatScores(const std::map<std::string, Score>& scores,
                         const std::vector<std::string>& types);

}  // namespace newsdesk::eval

#endif  // EVAL_CONLL_H_
