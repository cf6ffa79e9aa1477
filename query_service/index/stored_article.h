// An article as the index's store keeps it, not decoded: the bytes of its
// log entry (a serialized newsdesk.v1.Article, common/model/log_entry_convert.h)
// and the fields the index derives, which replace what the bytes hold.
//
// Pages carry their articles through the query core this way, and each byte
// is parsed at most once: the core parses only the fields the match
// explanation reads (DecodeStoredArticle with ArticleParts), and the gRPC
// adapter copies the other fields into its response as they are stored
// (AppendStoredArticle), so a page never parses an article whole, never
// builds the whole domain Article, and never serializes it again.
#ifndef QUERY_SERVICE_INDEX_STORED_ARTICLE_H_
#define QUERY_SERVICE_INDEX_STORED_ARTICLE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/model/article.h"
#include "common/model/article_convert.h"
#include "newsdesk/v1/article.pb.h"

namespace newsdesk::query {

struct StoredArticle {
  // The serialized article, in `buffer` (a page's articles share one).
  absl::string_view bytes;
  std::shared_ptr<const std::string> buffer;
  // Derived by the index (see IndexedArticleStore).
  int64_t log_sequence = 0;
  std::string story_id;
  std::string copy_of;
  double copy_similarity = 0;
};

// Parses `stored` into `proto` (cleared first) and sets the derived fields.
// DATA_LOSS naming the sequence when the bytes are no article or one of
// another sequence.
absl::Status DecodeStoredArticle(const StoredArticle& stored, v1::Article* proto);

// The `parts` of `stored` as a domain Article, the derived fields set; only
// the fields those parts read are parsed, and with `entity_ids` only the
// entities with one of those ids. The same errors.
absl::StatusOr<Article> DecodeStoredArticle(const StoredArticle& stored,
                                            const ArticleParts& parts,
                                            const std::vector<std::string>* entity_ids = nullptr);

// Appends to *out the serialized newsdesk.v1.Article of `stored` with only
// the fields whose number `keep` accepts (the derived fields among them
// taken from `stored`): what DecodeStoredArticle's message, with the other
// fields cleared, serializes to, built without parsing the fields (they are
// copied as stored; their framing is checked). The same errors; *out is
// then left partly written.
absl::Status AppendStoredArticle(const StoredArticle& stored,
                                 absl::FunctionRef<bool(int field_number)> keep,
                                 std::string* out);

// Whether field `number` of newsdesk.v1.Article is part of an article's
// summary: what a listing shows (name, article_id, title, publish_time,
// source, url) and the fields the index derives. The index keeps each
// article's summary in memory, so that a page whose caller reads no other
// field reads nothing from the store (IndexQuery::summaries).
bool InSummary(int number);

// The summary of `article` as a stored article's bytes: the serialized
// newsdesk.v1.Article with only the summary fields that are not derived,
// which AppendStoredArticle copies like any other stored article's.
std::string EncodeSummary(const Article& article);

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_STORED_ARTICLE_H_
