// The parts of an article that entity extractors read, in order, and how
// much a mention in each counts towards an entity's salience. Shared by every
// EntityExtractor so they agree on both.
#ifndef INGEST_SERVICE_EXTRACT_ARTICLE_SEGMENTS_H_
#define INGEST_SERVICE_EXTRACT_ARTICLE_SEGMENTS_H_

#include "absl/strings/string_view.h"
#include "common/model/article.h"

namespace newsdesk::ingest {

// Calls fn(text, section, index) for the title, the standfirst, each body
// paragraph, each key point, then each removed block that is a caption or credit (index: its
// position among all removed blocks).
template <typename Fn>
void ForEachSegment(const Article& article, Fn fn) {
  fn(absl::string_view(article.title), TextSection::kTitle, 0);
  if (!article.standfirst.empty()) {
    fn(absl::string_view(article.standfirst), TextSection::kStandfirst, 0);
  }
  for (size_t p = 0; p < article.paragraphs.size(); ++p) {
    fn(absl::string_view(article.paragraphs[p]), TextSection::kBody, static_cast<int>(p));
  }
  for (size_t k = 0; k < article.key_points.size(); ++k) {
    fn(absl::string_view(article.key_points[k]), TextSection::kKeyPoint,
       static_cast<int>(k));
  }
  for (size_t r = 0; r < article.removed_blocks.size(); ++r) {
    const RemovedBlock& block = article.removed_blocks[r];
    if (block.kind == RemovedBlockKind::kCaption || block.kind == RemovedBlockKind::kCredit) {
      fn(absl::string_view(block.text), TextSection::kCaption, static_cast<int>(r));
    }
  }
}

// How much a mention counts for salience: the title 3, the lead (standfirst
// and first two paragraphs) and key points 2, the rest of the body 1, captions and credits 0.
inline double SalienceWeight(TextSection section, int index) {
  switch (section) {
    case TextSection::kTitle:
      return 3;
    case TextSection::kBody:
      return index < 2 ? 2 : 1;
    case TextSection::kStandfirst:
    case TextSection::kKeyPoint:
      return 2;
    case TextSection::kCaption:
    case TextSection::kUnspecified:
      return 0;
  }
  return 0;
}

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_ARTICLE_SEGMENTS_H_
