#include "ingest_service/core/ingestor.h"

#include <openssl/sha.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/field_error.h"
#include "common/status/status_macros.h"
#include "common/text/encoding.h"
#include "common/text/utf8.h"
#include "ingest_service/parse/parsed_article.h"
#include "ingest_service/parse/quotes.h"

namespace newsdesk::ingest {
namespace {

absl::Status CheckField(absl::string_view name, absl::string_view value, size_t limit) {
  if (value.size() > limit) {
    return InvalidFieldError(absl::StrCat("article.metadata.", name), absl::StrCat(
        "metadata.", name, " is ", value.size(), " bytes; the limit is ", limit));
  }
  if (!text::IsValidUtf8(value)) {
    return InvalidFieldError(absl::StrCat("article.metadata.", name),
                             absl::StrCat("metadata.", name, " is not valid UTF-8"));
  }
  return absl::OkStatus();
}

int CountWords(const std::vector<std::string>& paragraphs) {
  int words = 0;
  for (const std::string& p : paragraphs) {
    bool in_word = false;
    for (char c : p) {
      const bool space = absl::ascii_isspace(static_cast<unsigned char>(c));
      if (!space && !in_word) ++words;
      in_word = !space;
    }
  }
  return words;
}

}  // namespace

std::string ContentId(absl::string_view content) {
  if (absl::StartsWith(content, "\xEF\xBB\xBF")) content.remove_prefix(3);
  std::string normalized;
  normalized.reserve(content.size());
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    absl::StrAppend(&normalized, absl::StripTrailingAsciiWhitespace(line), "\n");
  }
  absl::string_view trimmed = absl::StripAsciiWhitespace(normalized);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(trimmed.data()), trimmed.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), 8));
}

Ingestor::Ingestor(IngestorOptions options, const ArticleParser* parser,
                   const EntityExtractor* entities, const TopicClassifier* topics,
                   ArticleStore* store, const entities::AliasTable* aliases)
    : options_(std::move(options)),
      parser_(parser),
      entities_(entities),
      topics_(topics),
      key_phrases_(options_.key_phrases),
      store_(store),
      aliases_(aliases) {}

absl::Status Ingestor::Validate(const RawArticle& raw) const {
  if (raw.content.size() > options_.max_content_bytes) {
    return InvalidFieldError("article.content",
                             absl::StrCat("content is ", raw.content.size(),
                                          " bytes; the limit is ", options_.max_content_bytes));
  }
  if (absl::StripAsciiWhitespace(raw.content).empty()) {
    return InvalidFieldError("article.content", "content is empty");
  }
  if (text::LooksBinary(raw.content)) {
    return InvalidFieldError(
        "article.content",
        "content looks like binary data (NUL or control bytes); send UTF-8 text or HTML");
  }
  const ArticleMetadata& m = raw.metadata;
  RETURN_IF_ERROR(CheckField("source", m.source, kMaxSourceBytes));
  RETURN_IF_ERROR(CheckField("url", m.url, kMaxUrlBytes));
  RETURN_IF_ERROR(CheckField("publish_time_hint", m.publish_time_hint, kMaxHintBytes));
  RETURN_IF_ERROR(CheckField("language", m.language, kMaxLanguageBytes));
  RETURN_IF_ERROR(CheckField("external_id", m.external_id, kMaxExternalIdBytes));
  if (!m.publish_time_hint.empty()) RETURN_IF_ERROR(ArticleParser::ValidateHint(m.publish_time_hint, m.language));
  return absl::OkStatus();
}

absl::StatusOr<Article> Ingestor::Parse(const RawArticle& raw) const {
  RETURN_IF_ERROR(Validate(raw));
  // UTF-8 in NFC from here on, whatever the caller's encoding.
  ASSIGN_OR_RETURN(text::DecodedText decoded, text::DecodeToUtf8(raw.content));
  RawArticle utf8;
  utf8.content = std::move(decoded.utf8);
  utf8.content_type = raw.content_type;
  utf8.metadata = raw.metadata;
  ParsedArticle parsed = parser_->Parse(utf8);
  Article article;
  article.id = ContentId(utf8.content);
  article.title = std::move(parsed.title);
  article.title_labels = std::move(parsed.title_labels);
  article.standfirst = std::move(parsed.standfirst);
  article.paragraphs = std::move(parsed.paragraphs);
  article.key_points = std::move(parsed.key_points);
  article.byline = std::move(parsed.byline);
  article.authors = std::move(parsed.authors);
  article.dateline_place = std::move(parsed.dateline_place);
  article.removed_blocks = std::move(parsed.removed_blocks);
  article.publish_time = std::move(parsed.publish_time);
  article.update_time = std::move(parsed.update_time);
  article.hinted_publish_time = std::move(parsed.hinted_publish_time);
  article.mentioned_dates = std::move(parsed.mentioned_dates);
  article.source = raw.metadata.source.empty() ? std::move(parsed.outlet) : raw.metadata.source;
  article.url = raw.metadata.url;
  article.language = std::move(parsed.language);
  article.language_source = parsed.language_source;
  article.detected_language = std::move(parsed.detected_language);
  article.detected_language_confidence = parsed.detected_language_confidence;
  article.page_language = std::move(parsed.page_language);
  article.external_id = raw.metadata.external_id;
  article.word_count = CountWords(article.paragraphs);
  article.entities = entities_->Extract(article);
  article.entity_table_version = entities_->version();
  article.quotes = std::move(parsed.quotes);
  LinkQuoteSpeakers(article.paragraphs, article.entities, &article.quotes);
  if (aliases_ != nullptr) {
    int64_t alias_version = 0;
    aliases_->Relink(&article, &alias_version);
    if (alias_version > 0) absl::StrAppend(&article.entity_table_version, ";aliases=", alias_version);
  }
  article.topics = topics_->Classify(article);
  article.taxonomy_version = topics_->taxonomy_version();
  article.key_phrases = key_phrases_.Extract(article);
  return article;
}

absl::StatusOr<PutResult> Ingestor::Ingest(const RawArticle& raw) {
  if (store_ == nullptr) return absl::FailedPreconditionError("this ingestor has no store");
  ASSIGN_OR_RETURN(Article article, Parse(raw));
  return store_->Put(std::move(article));
}

Ingestor::Batch Ingestor::StartBatch() { return Batch(this); }

void Ingestor::Batch::Add(const RawArticle& raw) {
  if (ingestor_->store_ == nullptr) {
    results_.push_back(absl::FailedPreconditionError("this ingestor has no store"));
    return;
  }
  absl::StatusOr<Article> article = ingestor_->Parse(raw);
  results_.push_back(absl::UnknownError("not stored"));
  if (!article.ok()) {
    results_.back() = article.status();
    return;
  }
  group_index_.push_back(results_.size() - 1);
  group_.push_back(*std::move(article));
  group_bytes_ += raw.content.size();
  if (group_.size() >= ingestor_->options_.batch_group_articles ||
      group_bytes_ >= ingestor_->options_.batch_group_bytes) {
    Store();
  }
}

void Ingestor::Batch::Store() {
  if (group_.empty()) return;
  std::vector<absl::StatusOr<PutResult>> stored = ingestor_->store_->PutAll(std::move(group_));
  for (size_t i = 0; i < group_index_.size(); ++i) {
    results_[group_index_[i]] = std::move(stored[i]);
  }
  group_.clear();
  group_index_.clear();
  group_bytes_ = 0;
}

std::vector<absl::StatusOr<PutResult>> Ingestor::Batch::Finish() && {
  Store();
  return std::move(results_);
}

}  // namespace newsdesk::ingest
