// Converts the domain model (common/model/article.h) to and from the
// newsdesk.v1 protobuf messages. Used by the gRPC adapters, by the stores for
// their on-disk encoding, and by the clients of the article log.
#ifndef COMMON_MODEL_ARTICLE_CONVERT_H_
#define COMMON_MODEL_ARTICLE_CONVERT_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/model/article.h"
#include "google/protobuf/timestamp.pb.h"
#include "newsdesk/v1/article.pb.h"
#include "newsdesk/v1/ingest_service.pb.h"

namespace newsdesk {

void ToProto(const Article& article, v1::Article* proto);
Article FromProto(const v1::Article& proto);

// The parts of an article a reader may leave undecoded. The id, times,
// source, language, sequence, derived links and other single values are
// always decoded; each flag adds a larger part.
struct ArticleParts {
  bool text = true;  // title, paragraphs, key points, standfirst, title labels,
                     // authors, quotes, removed blocks
  bool entities = true;
  bool topics = true;
  bool key_phrases = true;
  bool mentioned_dates = true;
  bool publish_time = true;
  bool source = true;
  // Byline, url, languages, external id, dateline place, update and hinted
  // publish times, ingest time, word count, table versions: what no filter
  // condition reads. (The id and the index's links are always read.)
  bool details = true;
};
// `parts` of `proto`; the parts left out stay empty.
Article FromProto(const v1::Article& proto, const ArticleParts& parts);

RawArticle FromProto(const v1::RawArticle& proto);
void ToProto(const RawArticle& raw, v1::RawArticle* proto);

v1::EntityType ToProto(EntityType type);
void ToProto(const EntityMention& mention, v1::EntityMention* proto);
void ToProto(const ArticleTopic& topic, v1::ArticleTopic* proto);
ArticleTopic FromProto(const v1::ArticleTopic& proto);
v1::TextSection ToProto(TextSection section);
void ToProto(const ArticleTime& time, v1::ArticleTime* proto);
void ToProto(const MentionedDate& date, v1::MentionedDate* proto);
EntityType FromProto(v1::EntityType type);

// Timestamps. An out-of-range timestamp (seconds outside years 1..9999 or
// nanos outside [0, 1e9)) is INVALID_ARGUMENT, naming `field`.
void ToProto(absl::Time time, google::protobuf::Timestamp* proto);
absl::StatusOr<absl::Time> FromProto(const google::protobuf::Timestamp& proto,
                                     absl::string_view field);

// Resource name of an article: "articles/{id}".
std::string ArticleName(absl::string_view article_id);

}  // namespace newsdesk

#endif  // COMMON_MODEL_ARTICLE_CONVERT_H_
