// Turns a CoNLL-2003 document into article text for an extractor and maps
// the extractor's mention spans back to token spans.
#ifndef EVAL_CONLL_TEXT_H_
#define EVAL_CONLL_TEXT_H_

#include <optional>
#include <vector>

#include "common/model/article.h"
#include "eval/conll.h"

namespace newsdesk::eval {

struct DocumentText {
  // Title: the first sentence; paragraphs: the others.
  Article article;
  // For each sentence, the byte offset of each token in its text.
  std::vector<std::vector<int>> token_begins;
  std::vector<std::vector<int>> token_ends;

  // The tokens a mention covers (sentence index within the document), or
  // nullopt when it lies outside the title and paragraphs.
  std::optional<Span> ToSpan(const EntityMention& mention) const;
};

// Joins each sentence's tokens with spaces, with none before closing
// punctuation and possessives (",", ".", "'s", ")") or after opening ones.
DocumentText MakeArticle(const ConllDocument& document);

}  // namespace newsdesk::eval

#endif  // EVAL_CONLL_TEXT_H_
