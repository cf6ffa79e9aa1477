// An article as the index's store keeps it, not decoded: the bytes of its
// log entry (a serialized newsdesk.v1.Article, common/model/log_entry_convert.h)
// and the fields the index derives, which replace what the bytes hold.
//
// Pages carry their articles through the query core this way: the core
// decodes only the parts the match explanation reads, and the gRPC adapter
// parses the bytes straight into its response message, so a page never
// builds the whole domain Article nor converts it back to a message.
#ifndef QUERY_SERVICE_INDEX_STORED_ARTICLE_H_
#define QUERY_SERVICE_INDEX_STORED_ARTICLE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/model/article.h"
#include "common/model/article_convert.h"
#include "newsdesk/v1/article.pb.h"

namespace newsdesk::query {

struct StoredArticle {
  std::string bytes;
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

// The `parts` of `stored` as a domain Article, the derived fields set; the
// same errors.
absl::StatusOr<Article> DecodeStoredArticle(const StoredArticle& stored,
                                            const ArticleParts& parts);

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_STORED_ARTICLE_H_
