// Finds direct quotes and the speaker the sentence names:
//
//   "…," said Andriy Yermak, head of the presidential office.
//   "…," Zelensky said on Twitter.       (also says, added, told, wrote...)
//   Xi said: "…"                         Macron told reporters, "…"
//   "…," he said.                        (the person of the sentence before)
//
// Quotes are text between curly (“ ”) or straight (") double quotation
// marks, of at least two words. A quote left open at the end of a paragraph
// goes on in the following paragraphs that open with a quotation mark, as
// newspapers print quotes of several paragraphs, until one closes it. A
// quote whose sentence names no speaker is not returned. The speaker is the
// run of capitalized words next to the speech verb, as written, without a
// leading title ending in a role ("Chinese President", "Foreign Minister");
// "he" or "she" is kept as such until LinkQuoteSpeakers resolves it.
#ifndef INGEST_SERVICE_PARSE_QUOTES_H_
#define INGEST_SERVICE_PARSE_QUOTES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/model/article.h"

namespace newsdesk::ingest {

// At most this many quotes are kept per article.
inline constexpr size_t kMaxQuotes = 64;

// Appends the quotes of `paragraphs` (an article's body, in order) to
// `quotes` (up to kMaxQuotes), each with the index of the paragraph it
// opens in. Speaker entity ids are left empty; LinkQuoteSpeakers sets them
// once entities are known.
void AppendQuotes(absl::Span<const std::string> paragraphs, std::vector<Quote>* quotes);

// Sets each quote's speaker_entity_id to the person entity one of whose
// spellings is the speaker's name or its last word ("Xi" for "Xi Jinping").
// A quote whose speaker is "he" or "she" gets the one person entity
// mentioned (outside quotation marks) in the sentence before the quote's (in `paragraphs`, the body
// the quotes were found in), with its display name as speaker, and is
// removed when that sentence mentions no person or several.
void LinkQuoteSpeakers(absl::Span<const std::string> paragraphs,
                       const std::vector<ArticleEntity>& entities,
                       std::vector<Quote>* quotes);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_QUOTES_H_
