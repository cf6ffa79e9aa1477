// Finds direct quotes and the speaker the sentence names:
//
//   "…," said Andriy Yermak, head of the presidential office.
//   "…," Zelensky said on Twitter.       (also says, added, told, wrote...)
//   Xi said: "…"                         Macron told reporters, "…"
//
// Quotes are text between curly (“ ”) or straight (") double quotation
// marks, of at least two words. A quote whose sentence names no speaker
// ("he said", or none) is not returned. The speaker is the run of
// capitalized words next to the speech verb, as written, without a leading
// title ending in a role ("Chinese President", "Foreign Minister").
#ifndef INGEST_SERVICE_PARSE_QUOTES_H_
#define INGEST_SERVICE_PARSE_QUOTES_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "common/model/article.h"

namespace newsdesk::ingest {

// At most this many quotes are kept per article.
inline constexpr size_t kMaxQuotes = 64;

// Appends the quotes of paragraph `paragraph_index`, whose text is
// `paragraph`, to `quotes` (up to kMaxQuotes). Speaker entity ids are left
// empty; LinkQuoteSpeakers sets them once entities are known.
void AppendQuotes(absl::string_view paragraph, int paragraph_index,
                  std::vector<Quote>* quotes);

// Sets each quote's speaker_entity_id to the person entity one of whose
// spellings is the speaker's name or its last word ("Xi" for "Xi Jinping").
void LinkQuoteSpeakers(const std::vector<ArticleEntity>& entities,
                       std::vector<Quote>* quotes);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_QUOTES_H_
