// The ingest core: validates a raw article, parses it, extracts its entities
// and topics, gives it a content-derived id and stores it. Knows nothing of
// gRPC; every error is an absl::Status with a message meant for the caller.
#ifndef INGEST_SERVICE_CORE_INGESTOR_H_
#define INGEST_SERVICE_CORE_INGESTOR_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "common/entities/alias_table.h"
#include "common/model/article.h"
#include "ingest_service/extract/entity_extractor.h"
#include "ingest_service/extract/key_phrase_extractor.h"
#include "ingest_service/extract/topic_classifier.h"
#include "ingest_service/parse/article_parser.h"
#include "ingest_service/store/article_store.h"

namespace newsdesk::ingest {

struct IngestorOptions {
  // Largest content accepted, in bytes.
  size_t max_content_bytes = 1 << 20;
  // An IngestBatch stores its parsed articles together once it holds this
  // many, or this many bytes of content.
  size_t batch_group_articles = 64;
  size_t batch_group_bytes = 4 << 20;
  KeyPhraseOptions key_phrases;
};

// Limits on the caller's metadata fields, in bytes.
inline constexpr size_t kMaxSourceBytes = 256;
inline constexpr size_t kMaxUrlBytes = 2048;
inline constexpr size_t kMaxHintBytes = 128;
inline constexpr size_t kMaxLanguageBytes = 35;
inline constexpr size_t kMaxExternalIdBytes = 256;

class Ingestor {
 public:
  // None of the pointers is owned; each must outlive the Ingestor. `store`
  // may be null for an Ingestor that only parses. `aliases`, when given,
  // re-links the extracted entities with the edited alias table, and the
  // article records its version (";aliases=<version>" in
  // entity_table_version) once it has one.
  Ingestor(IngestorOptions options, const ArticleParser* parser,
           const EntityExtractor* entities, const TopicClassifier* topics,
           ArticleStore* store, const entities::AliasTable* aliases = nullptr);

  // The article `raw` would be stored as, without storing it: no log sequence
  // or ingest time. Content in Latin-1 or Windows-1252 is converted to UTF-8
  // and all content is normalized to NFC first (common/text/encoding.h).
  // INVALID_ARGUMENT for empty, oversized or binary content, content in
  // another encoding, and malformed metadata.
  absl::StatusOr<Article> Parse(const RawArticle& raw) const;

  // Parses and stores `raw`; returns once the article is durable. Sending the
  // same content again stores nothing and returns the first article with
  // already_existed set.
  absl::StatusOr<PutResult> Ingest(const RawArticle& raw);

  // Ingests a stream of articles (see IngestBatch).
  class Batch;
  Batch StartBatch();

 private:
  absl::Status Validate(const RawArticle& raw) const;

  const IngestorOptions options_;
  const ArticleParser* const parser_;
  const EntityExtractor* const entities_;
  const TopicClassifier* const topics_;
  const KeyPhraseExtractor key_phrases_;
  ArticleStore* const store_;
  const entities::AliasTable* const aliases_;
};

// A stream of articles ingested as Ingest would, each parsed as it is
// added, the parsed ones stored in groups (ArticleStore::PutAll: one durable
// write per group where the store can) of IngestorOptions'
// batch_group_articles or batch_group_bytes, and the last group at Finish.
// An article is durable only once the call that stored its group returns;
// results come from Finish, one per article added, in order. Not
// thread-safe; the Ingestor must outlive it.
class Ingestor::Batch {
 public:
  explicit Batch(Ingestor* ingestor) : ingestor_(ingestor) {}
  Batch(Batch&&) = default;

  void Add(const RawArticle& raw);
  std::vector<absl::StatusOr<PutResult>> Finish() &&;

 private:
  void Store();

  Ingestor* ingestor_;
  std::vector<absl::StatusOr<PutResult>> results_;
  std::vector<Article> group_;
  std::vector<size_t> group_index_;  // the result each article of group_ fills
  size_t group_bytes_ = 0;
};

// The id of an article with this content: the first 16 hex digits of the
// SHA-256 of the content with line endings, trailing spaces and surrounding
// blank lines normalised, so the same text sent twice gets the same id.
// Ingestor passes the content decoded to UTF-8 NFC, so the same text in
// Latin-1 and in UTF-8 is one article.
std::string ContentId(absl::string_view content);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_CORE_INGESTOR_H_
