// The domain model of newsdesk: a raw article as received and the structured
// article the ingest service makes of it. Plain structs with no gRPC or
// protobuf in them; common/model/article_convert.h maps them to the
// newsdesk.v1 messages.
#ifndef COMMON_MODEL_ARTICLE_H_
#define COMMON_MODEL_ARTICLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace newsdesk {

enum class ContentType { kAuto, kText, kHtml };

// What a caller knows about an article besides its content.
struct ArticleMetadata {
  std::string source;
  std::string url;
  std::string publish_time_hint;
  std::string language;
  std::string external_id;
};

// An article as received: bytes plus metadata. Not yet validated.
struct RawArticle {
  std::string content;
  ContentType content_type = ContentType::kAuto;
  ArticleMetadata metadata;
};

enum class TimePrecision { kUnknown, kYear, kMonth, kDay, kMinute };
enum class TimeSource { kNone, kText, kHtmlMetadata, kCallerHint };

// A point in time read from an article. `time` is the start of the period the
// evidence names, in UTC; it is meaningful only when precision is not
// kUnknown.
struct ArticleTime {
  absl::Time time = absl::InfinitePast();
  TimePrecision precision = TimePrecision::kUnknown;
  TimeSource source = TimeSource::kNone;
  std::string evidence;
  bool time_zone_known = false;
  double confidence = 0;   // [0, 1]; 0 when unknown
  std::string provenance;  // "line 3", "json-ld datePublished", "publish_time_hint"

  bool known() const { return precision != TimePrecision::kUnknown; }
};

enum class EntityType { kUnspecified, kPerson, kOrganization, kLocation, kMisc };

// The part of an article a text comes from. kCaption covers the captions and
// credits among the removed blocks.
enum class TextSection { kUnspecified, kTitle, kBody, kKeyPoint, kCaption, kStandfirst };

// One place an article names an entity.
struct EntityMention {
  TextSection section = TextSection::kUnspecified;
  int index = 0;  // of the paragraph, key point or removed block; 0 for the title
  int begin = 0;  // byte offsets into that text: [begin, end)
  int end = 0;
  std::string spelling;  // the text at [begin, end)

  bool operator==(const EntityMention& other) const {
    return section == other.section && index == other.index && begin == other.begin &&
           end == other.end && spelling == other.spelling;
  }
};

// A role or title an article gives an entity: "President" of location-china.
struct EntityRole {
  std::string role;          // as written
  std::string of_entity_id;  // empty when the article does not say

  bool operator==(const EntityRole& other) const {
    return role == other.role && of_entity_id == other.of_entity_id;
  }
};

// One canonical entity named in an article.
struct ArticleEntity {
  std::string id;            // e.g. "person-volodymyr-zelensky"
  std::string display_name;  // e.g. "Volodymyr Zelensky"
  EntityType type = EntityType::kUnspecified;
  int mention_count = 0;
  std::vector<std::string> spellings;  // distinct, as written, first seen first
  bool linked = false;                 // true when in the curated table
  std::vector<EntityMention> mentions;  // in article order
  std::vector<EntityRole> roles;        // distinct, first seen first
  double salience = 0;                  // [0, 1], see ArticleEntity in article.proto
  double confidence = 0;                // (0, 1]; 1 for linked entities
};

// One IPTC Media Topic on an article.
struct ArticleTopic {
  std::string code;   // "medtop:16000000"
  std::string label;  // "conflict, war and peace"
  double score = 0;   // [0, 1]
  bool implied = false;

  bool operator==(const ArticleTopic& other) const {
    return code == other.code && label == other.label && score == other.score &&
           implied == other.implied;
  }
};

enum class RemovedBlockKind {
  kUnspecified,
  kCaption,
  kCredit,
  kShareTail,
  kReadingTime,
  kRelatedLinks,
  kDateLine,
  kHeading,
  kDateline,  // "KYIV, April 26 (Reuters) -" opening the body
};

// A part of the content that is not body text, kept so nothing is lost.
struct RemovedBlock {
  RemovedBlockKind kind = RemovedBlockKind::kUnspecified;
  std::string text;
};

// A date or period the text mentions ("February 2022", "last month", "the
// 14-month war"), as the interval [start, end) in UTC with the precision the
// text gives. Relative expressions are resolved against the publication
// time, and only when it is known.
struct MentionedDate {
  std::string text;  // as written: "last month", "February 2022"
  absl::Time start = absl::InfinitePast();
  absl::Time end = absl::InfinitePast();
  TimePrecision precision = TimePrecision::kUnknown;
  bool relative = false;  // resolved against the publication time
};

// Where an article's language came from.
enum class LanguageSource { kUnspecified, kCaller, kPageMetadata, kDetected };

// A direct quote and who the sentence says spoke it.
struct Quote {
  std::string text;     // inside the quotation marks
  std::string speaker;  // as written, titles removed: "Andriy Yermak"
  std::string speaker_entity_id;  // the speaker's entity, when linked
  int paragraph = 0;    // index into Article::paragraphs
};

// A parsed, structured article.
struct Article {
  std::string id;  // 16 lower-case hex digits derived from the content
  std::string title;
  std::vector<std::string> paragraphs;
  std::vector<std::string> key_points;
  ArticleTime publish_time;
  ArticleTime update_time;
  // The caller's publish_time_hint as read, kept even when the content gave
  // its own publish time.
  ArticleTime hinted_publish_time;
  std::vector<std::string> title_labels;  // "BREAKING", "UPDATE 2"
  std::string standfirst;
  std::vector<std::string> authors;
  std::string dateline_place;  // "KYIV"
  std::string source;
  std::string byline;
  std::string url;
  std::string language;  // BCP 47; see language_source
  LanguageSource language_source = LanguageSource::kUnspecified;
  std::string detected_language;  // from the text; "und" when it cannot tell
  double detected_language_confidence = 0;  // [0, 1]
  std::string page_language;  // an HTML page's declared language
  std::string external_id;
  std::vector<ArticleEntity> entities;
  std::vector<ArticleTopic> topics;
  std::string taxonomy_version;  // IPTC release `topics` come from; empty if unclassified
  std::vector<std::string> key_phrases;  // lower case, most telling first
  std::vector<RemovedBlock> removed_blocks;
  std::vector<MentionedDate> mentioned_dates;
  std::vector<Quote> quotes;
  absl::Time ingest_time = absl::InfinitePast();  // set when stored
  int64_t log_sequence = 0;                       // set when stored
  int word_count = 0;
  std::string entity_table_version;  // reference data that linked the entities
  // Derived by the query service as it indexes the article (see
  // query_service/stories/): the story it joined, and the earlier article it
  // is a near-copy of with the share of word 4-grams they have in common.
  std::string story_id;
  std::string copy_of;
  double copy_similarity = 0;
};

}  // namespace newsdesk

#endif  // COMMON_MODEL_ARTICLE_H_
