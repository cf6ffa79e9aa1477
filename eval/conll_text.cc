#include "eval/conll_text.h"

#include <string>

namespace newsdesk::eval {
namespace {

bool AttachesLeft(const std::string& token) {
  return token == "," || token == "." || token == ";" || token == ":" || token == "!" ||
         token == "?" || token == ")" || token == "]" || token == "%" || token == "'s" ||
         token == "'S" || token == "'" || token == "n't";
}

bool AttachesRight(const std::string& token) {
  return token == "(" || token == "[" || token == "$";
}

}  // namespace

DocumentText MakeArticle(const ConllDocument& document) {
  DocumentText out;
  for (size_t s = 0; s < document.sentences.size(); ++s) {
    const ConllSentence& sentence = document.sentences[s];
    std::string text;
    std::vector<int> begins, ends;
    for (size_t t = 0; t < sentence.tokens.size(); ++t) {
      const std::string& token = sentence.tokens[t];
      if (t > 0 && !AttachesLeft(token) && !AttachesRight(sentence.tokens[t - 1])) {
        text.push_back(' ');
      }
      begins.push_back(static_cast<int>(text.size()));
      text += token;
      ends.push_back(static_cast<int>(text.size()));
    }
    if (s == 0) {
      out.article.title = std::move(text);
    } else {
      out.article.paragraphs.push_back(std::move(text));
    }
    out.token_begins.push_back(std::move(begins));
    out.token_ends.push_back(std::move(ends));
  }
  return out;
}

std::optional<Span> DocumentText::ToSpan(const EntityMention& mention) const {
  int sentence = -1;
  if (mention.section == TextSection::kTitle) {
    sentence = 0;
  } else if (mention.section == TextSection::kBody) {
    sentence = mention.index + 1;
  }
  if (sentence < 0 || sentence >= static_cast<int>(token_begins.size())) return std::nullopt;
  const std::vector<int>& begins = token_begins[sentence];
  const std::vector<int>& ends = token_ends[sentence];
  // The tokens the mention overlaps.
  Span span;
  span.sentence = sentence;
  span.begin = -1;
  for (int t = 0; t < static_cast<int>(begins.size()); ++t) {
    if (ends[t] <= mention.begin || begins[t] >= mention.end) continue;
    if (span.begin < 0) span.begin = t;
    span.end = t + 1;
  }
  if (span.begin < 0) return std::nullopt;
  return span;
}

}  // namespace newsdesk::eval
