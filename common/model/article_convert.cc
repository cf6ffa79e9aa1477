#include "common/model/article_convert.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status/field_error.h"

namespace newsdesk {
namespace {

// Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range of
// google.protobuf.Timestamp.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;

v1::TimePrecision ToProto(TimePrecision precision) {
  switch (precision) {
    case TimePrecision::kUnknown: return v1::TIME_PRECISION_UNSPECIFIED;
    case TimePrecision::kYear: return v1::TIME_PRECISION_YEAR;
    case TimePrecision::kMonth: return v1::TIME_PRECISION_MONTH;
    case TimePrecision::kDay: return v1::TIME_PRECISION_DAY;
    case TimePrecision::kMinute: return v1::TIME_PRECISION_MINUTE;
  }
  return v1::TIME_PRECISION_UNSPECIFIED;
}

TimePrecision FromProto(v1::TimePrecision precision) {
  switch (precision) {
    case v1::TIME_PRECISION_YEAR: return TimePrecision::kYear;
    case v1::TIME_PRECISION_MONTH: return TimePrecision::kMonth;
    case v1::TIME_PRECISION_DAY: return TimePrecision::kDay;
    case v1::TIME_PRECISION_MINUTE: return TimePrecision::kMinute;
    default: return TimePrecision::kUnknown;
  }
}

v1::TimeSource ToProto(TimeSource source) {
  switch (source) {
    case TimeSource::kNone: return v1::TIME_SOURCE_NONE;
    case TimeSource::kText: return v1::TIME_SOURCE_TEXT;
    case TimeSource::kHtmlMetadata: return v1::TIME_SOURCE_HTML_METADATA;
    case TimeSource::kCallerHint: return v1::TIME_SOURCE_CALLER_HINT;
  }
  return v1::TIME_SOURCE_UNSPECIFIED;
}

v1::LanguageSource ToProto(LanguageSource source) {
  switch (source) {
    case LanguageSource::kCaller: return v1::LANGUAGE_SOURCE_CALLER;
    case LanguageSource::kPageMetadata: return v1::LANGUAGE_SOURCE_PAGE_METADATA;
    case LanguageSource::kDetected: return v1::LANGUAGE_SOURCE_DETECTED;
    case LanguageSource::kUnspecified: break;
  }
  return v1::LANGUAGE_SOURCE_UNSPECIFIED;
}

LanguageSource FromProto(v1::LanguageSource source) {
  switch (source) {
    case v1::LANGUAGE_SOURCE_CALLER: return LanguageSource::kCaller;
    case v1::LANGUAGE_SOURCE_PAGE_METADATA: return LanguageSource::kPageMetadata;
    case v1::LANGUAGE_SOURCE_DETECTED: return LanguageSource::kDetected;
    default: return LanguageSource::kUnspecified;
  }
}

TimeSource FromProto(v1::TimeSource source) {
  switch (source) {
    case v1::TIME_SOURCE_TEXT: return TimeSource::kText;
    case v1::TIME_SOURCE_HTML_METADATA: return TimeSource::kHtmlMetadata;
    case v1::TIME_SOURCE_CALLER_HINT: return TimeSource::kCallerHint;
    default: return TimeSource::kNone;
  }
}

v1::RemovedBlockKind ToProto(RemovedBlockKind kind) {
  switch (kind) {
    case RemovedBlockKind::kUnspecified: return v1::REMOVED_BLOCK_KIND_UNSPECIFIED;
    case RemovedBlockKind::kCaption: return v1::REMOVED_BLOCK_KIND_CAPTION;
    case RemovedBlockKind::kCredit: return v1::REMOVED_BLOCK_KIND_CREDIT;
    case RemovedBlockKind::kShareTail: return v1::REMOVED_BLOCK_KIND_SHARE_TAIL;
    case RemovedBlockKind::kReadingTime: return v1::REMOVED_BLOCK_KIND_READING_TIME;
    case RemovedBlockKind::kRelatedLinks: return v1::REMOVED_BLOCK_KIND_RELATED_LINKS;
    case RemovedBlockKind::kDateLine: return v1::REMOVED_BLOCK_KIND_DATE_LINE;
    case RemovedBlockKind::kHeading: return v1::REMOVED_BLOCK_KIND_HEADING;
    case RemovedBlockKind::kDateline: return v1::REMOVED_BLOCK_KIND_DATELINE;
  }
  return v1::REMOVED_BLOCK_KIND_UNSPECIFIED;
}

RemovedBlockKind FromProto(v1::RemovedBlockKind kind) {
  switch (kind) {
    case v1::REMOVED_BLOCK_KIND_CAPTION: return RemovedBlockKind::kCaption;
    case v1::REMOVED_BLOCK_KIND_CREDIT: return RemovedBlockKind::kCredit;
    case v1::REMOVED_BLOCK_KIND_SHARE_TAIL: return RemovedBlockKind::kShareTail;
    case v1::REMOVED_BLOCK_KIND_READING_TIME: return RemovedBlockKind::kReadingTime;
    case v1::REMOVED_BLOCK_KIND_RELATED_LINKS: return RemovedBlockKind::kRelatedLinks;
    case v1::REMOVED_BLOCK_KIND_DATE_LINE: return RemovedBlockKind::kDateLine;
    case v1::REMOVED_BLOCK_KIND_HEADING: return RemovedBlockKind::kHeading;
    case v1::REMOVED_BLOCK_KIND_DATELINE: return RemovedBlockKind::kDateline;
    default: return RemovedBlockKind::kUnspecified;
  }
}

v1::ContentType ToProto(ContentType type) {
  switch (type) {
    case ContentType::kAuto: return v1::CONTENT_TYPE_UNSPECIFIED;
    case ContentType::kText: return v1::CONTENT_TYPE_TEXT;
    case ContentType::kHtml: return v1::CONTENT_TYPE_HTML;
  }
  return v1::CONTENT_TYPE_UNSPECIFIED;
}

ContentType FromProto(v1::ContentType type) {
  switch (type) {
    case v1::CONTENT_TYPE_TEXT: return ContentType::kText;
    case v1::CONTENT_TYPE_HTML: return ContentType::kHtml;
    default: return ContentType::kAuto;
  }
}

}  // namespace

void ToProto(const ArticleTime& time, v1::ArticleTime* proto) {
  if (time.known()) newsdesk::ToProto(time.time, proto->mutable_time());
  proto->set_precision(ToProto(time.precision));
  proto->set_source(ToProto(time.source));
  proto->set_evidence(time.evidence);
  proto->set_time_zone_known(time.time_zone_known);
  proto->set_confidence(time.confidence);
  proto->set_provenance(time.provenance);
}

void ToProto(const MentionedDate& date, v1::MentionedDate* proto) {
  proto->set_text(date.text);
  newsdesk::ToProto(date.start, proto->mutable_start_time());
  newsdesk::ToProto(date.end, proto->mutable_end_time());
  proto->set_precision(ToProto(date.precision));
  proto->set_relative(date.relative);
}

namespace {

ArticleTime FromProto(const v1::ArticleTime& proto) {
  ArticleTime time;
  time.precision = FromProto(proto.precision());
  time.source = FromProto(proto.source());
  time.evidence = proto.evidence();
  time.time_zone_known = proto.time_zone_known();
  time.confidence = proto.confidence();
  time.provenance = proto.provenance();
  if (time.known()) {
    time.time = absl::FromUnixSeconds(proto.time().seconds()) +
                absl::Nanoseconds(proto.time().nanos());
  }
  return time;
}

}  // namespace

v1::EntityType ToProto(EntityType type) {
  switch (type) {
    case EntityType::kUnspecified: return v1::ENTITY_TYPE_UNSPECIFIED;
    case EntityType::kPerson: return v1::ENTITY_TYPE_PERSON;
    case EntityType::kOrganization: return v1::ENTITY_TYPE_ORGANIZATION;
    case EntityType::kLocation: return v1::ENTITY_TYPE_LOCATION;
    case EntityType::kMisc: return v1::ENTITY_TYPE_MISC;
  }
  return v1::ENTITY_TYPE_UNSPECIFIED;
}

v1::TextSection ToProto(TextSection section) {
  switch (section) {
    case TextSection::kUnspecified: return v1::TEXT_SECTION_UNSPECIFIED;
    case TextSection::kTitle: return v1::TEXT_SECTION_TITLE;
    case TextSection::kBody: return v1::TEXT_SECTION_BODY;
    case TextSection::kKeyPoint: return v1::TEXT_SECTION_KEY_POINT;
    case TextSection::kCaption: return v1::TEXT_SECTION_CAPTION;
    case TextSection::kStandfirst: return v1::TEXT_SECTION_STANDFIRST;
  }
  return v1::TEXT_SECTION_UNSPECIFIED;
}

namespace {

TextSection FromProto(v1::TextSection section) {
  switch (section) {
    case v1::TEXT_SECTION_TITLE: return TextSection::kTitle;
    case v1::TEXT_SECTION_BODY: return TextSection::kBody;
    case v1::TEXT_SECTION_KEY_POINT: return TextSection::kKeyPoint;
    case v1::TEXT_SECTION_CAPTION: return TextSection::kCaption;
    case v1::TEXT_SECTION_STANDFIRST: return TextSection::kStandfirst;
    default: return TextSection::kUnspecified;
  }
}

}  // namespace

EntityType FromProto(v1::EntityType type) {
  switch (type) {
    case v1::ENTITY_TYPE_PERSON: return EntityType::kPerson;
    case v1::ENTITY_TYPE_ORGANIZATION: return EntityType::kOrganization;
    case v1::ENTITY_TYPE_LOCATION: return EntityType::kLocation;
    case v1::ENTITY_TYPE_MISC: return EntityType::kMisc;
    default: return EntityType::kUnspecified;
  }
}

void ToProto(absl::Time time, google::protobuf::Timestamp* proto) {
  const absl::Duration since_epoch = time - absl::UnixEpoch();
  int64_t seconds = absl::ToInt64Seconds(since_epoch);
  int64_t nanos = absl::ToInt64Nanoseconds(since_epoch - absl::Seconds(seconds));
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1000000000;
  }
  proto->set_seconds(seconds);
  proto->set_nanos(static_cast<int32_t>(nanos));
}

absl::StatusOr<absl::Time> FromProto(const google::protobuf::Timestamp& proto,
                                     absl::string_view field) {
  if (proto.seconds() < kMinTimestampSeconds ||
      proto.seconds() > kMaxTimestampSeconds || proto.nanos() < 0 ||
      proto.nanos() > 999999999) {
    return InvalidFieldError(field, absl::StrCat(
        field, " is not a valid timestamp (years 1 to 9999, nanos in [0, 1e9))"));
  }
  return absl::FromUnixSeconds(proto.seconds()) + absl::Nanoseconds(proto.nanos());
}

void ToProto(const ArticleTopic& topic, v1::ArticleTopic* proto) {
  proto->set_code(topic.code);
  proto->set_label(topic.label);
  proto->set_score(topic.score);
  proto->set_implied(topic.implied);
}

ArticleTopic FromProto(const v1::ArticleTopic& proto) {
  return ArticleTopic{proto.code(), proto.label(), proto.score(), proto.implied()};
}

std::string ArticleName(absl::string_view article_id) {
  return absl::StrCat("articles/", article_id);
}

void ToProto(const EntityMention& mention, v1::EntityMention* proto) {
  proto->set_section(ToProto(mention.section));
  proto->set_index(mention.index);
  proto->set_begin_offset(mention.begin);
  proto->set_end_offset(mention.end);
  proto->set_spelling(mention.spelling);
}

void ToProto(const Article& article, v1::Article* proto) {
  proto->Clear();
  proto->set_name(ArticleName(article.id));
  proto->set_article_id(article.id);
  proto->set_title(article.title);
  for (const auto& p : article.paragraphs) proto->add_paragraphs(p);
  for (const auto& k : article.key_points) proto->add_key_points(k);
  ToProto(article.publish_time, proto->mutable_publish_time());
  ToProto(article.update_time, proto->mutable_update_time());
  ToProto(article.hinted_publish_time, proto->mutable_hinted_publish_time());
  for (const auto& label : article.title_labels) proto->add_title_labels(label);
  proto->set_standfirst(article.standfirst);
  for (const auto& author : article.authors) proto->add_authors(author);
  proto->set_dateline_place(article.dateline_place);
  for (const MentionedDate& date : article.mentioned_dates) {
    ToProto(date, proto->add_mentioned_dates());
  }
  for (const Quote& quote : article.quotes) {
    v1::Quote* pq = proto->add_quotes();
    pq->set_text(quote.text);
    pq->set_speaker(quote.speaker);
    pq->set_speaker_entity_id(quote.speaker_entity_id);
    pq->set_paragraph_index(quote.paragraph);
  }
  proto->set_source(article.source);
  proto->set_byline(article.byline);
  proto->set_url(article.url);
  proto->set_language(article.language);
  proto->set_language_source(ToProto(article.language_source));
  proto->set_detected_language(article.detected_language);
  proto->set_detected_language_confidence(article.detected_language_confidence);
  proto->set_page_language(article.page_language);
  proto->set_external_id(article.external_id);
  for (const auto& e : article.entities) {
    v1::ArticleEntity* pe = proto->add_entities();
    pe->set_entity_id(e.id);
    pe->set_display_name(e.display_name);
    pe->set_type(ToProto(e.type));
    pe->set_mention_count(e.mention_count);
    for (const auto& s : e.spellings) pe->add_spellings(s);
    pe->set_linked(e.linked);
    for (const auto& m : e.mentions) ToProto(m, pe->add_mentions());
    for (const auto& r : e.roles) {
      v1::EntityRole* pr = pe->add_roles();
      pr->set_role(r.role);
      pr->set_of_entity_id(r.of_entity_id);
    }
    pe->set_salience(e.salience);
    pe->set_confidence(e.confidence);
  }
  for (const auto& t : article.topics) ToProto(t, proto->add_topics());
  proto->set_taxonomy_version(article.taxonomy_version);
  for (const auto& k : article.key_phrases) proto->add_key_phrases(k);
  for (const auto& r : article.removed_blocks) {
    v1::RemovedBlock* pr = proto->add_removed_blocks();
    pr->set_kind(ToProto(r.kind));
    pr->set_text(r.text);
  }
  if (article.ingest_time != absl::InfinitePast()) {
    ToProto(article.ingest_time, proto->mutable_ingest_time());
  }
  proto->set_log_sequence(article.log_sequence);
  proto->set_word_count(article.word_count);
  proto->set_entity_table_version(article.entity_table_version);
  proto->set_story_id(article.story_id);
  proto->set_copy_of(article.copy_of);
  proto->set_copy_similarity(article.copy_similarity);
}

Article FromProto(const v1::Article& proto) { return FromProto(proto, ArticleParts()); }

Article FromProto(const v1::Article& proto, const ArticleParts& parts) {
  Article article;
  article.id = proto.article_id();
  if (parts.text) {
    article.title = proto.title();
    article.paragraphs.assign(proto.paragraphs().begin(), proto.paragraphs().end());
    article.key_points.assign(proto.key_points().begin(), proto.key_points().end());
    article.title_labels.assign(proto.title_labels().begin(), proto.title_labels().end());
    article.standfirst = proto.standfirst();
    article.authors.assign(proto.authors().begin(), proto.authors().end());
    for (const v1::Quote& pq : proto.quotes()) {
      article.quotes.push_back(
          Quote{pq.text(), pq.speaker(), pq.speaker_entity_id(), pq.paragraph_index()});
    }
    for (const auto& pr : proto.removed_blocks()) {
      article.removed_blocks.push_back(RemovedBlock{FromProto(pr.kind()), pr.text()});
    }
  }
  if (parts.publish_time) article.publish_time = FromProto(proto.publish_time());
  if (parts.details) {
    article.update_time = FromProto(proto.update_time());
    article.hinted_publish_time = FromProto(proto.hinted_publish_time());
    article.dateline_place = proto.dateline_place();
  }
  if (parts.mentioned_dates) {
    for (const v1::MentionedDate& pd : proto.mentioned_dates()) {
      MentionedDate date;
      date.text = pd.text();
      date.start = absl::FromUnixSeconds(pd.start_time().seconds()) +
                   absl::Nanoseconds(pd.start_time().nanos());
      date.end = absl::FromUnixSeconds(pd.end_time().seconds()) +
                 absl::Nanoseconds(pd.end_time().nanos());
      date.precision = FromProto(pd.precision());
      date.relative = pd.relative();
      article.mentioned_dates.push_back(std::move(date));
    }
  }
  if (parts.source) article.source = proto.source();
  if (parts.details) {
    article.byline = proto.byline();
    article.url = proto.url();
    article.language = proto.language();
    article.language_source = FromProto(proto.language_source());
    article.detected_language = proto.detected_language();
    article.detected_language_confidence = proto.detected_language_confidence();
    article.page_language = proto.page_language();
    article.external_id = proto.external_id();
  }
  if (parts.entities) {
    article.entities.reserve(proto.entities_size());
    for (const auto& pe : proto.entities()) {
      ArticleEntity e;
      e.id = pe.entity_id();
      e.display_name = pe.display_name();
      e.type = FromProto(pe.type());
      e.mention_count = pe.mention_count();
      e.spellings.assign(pe.spellings().begin(), pe.spellings().end());
      e.linked = pe.linked();
      e.mentions.reserve(pe.mentions_size());
      for (const auto& pm : pe.mentions()) {
        e.mentions.push_back(EntityMention{FromProto(pm.section()), pm.index(),
                                           pm.begin_offset(), pm.end_offset(), pm.spelling()});
      }
      for (const auto& pr : pe.roles()) {
        e.roles.push_back(EntityRole{pr.role(), pr.of_entity_id()});
      }
      e.salience = pe.salience();
      e.confidence = pe.confidence();
      article.entities.push_back(std::move(e));
    }
  }
  if (parts.topics) {
    for (const auto& ptop : proto.topics()) article.topics.push_back(FromProto(ptop));
  }
  if (parts.details) article.taxonomy_version = proto.taxonomy_version();
  if (parts.key_phrases) {
    article.key_phrases.assign(proto.key_phrases().begin(), proto.key_phrases().end());
  }
  if (parts.details) {
    if (proto.has_ingest_time()) {
      article.ingest_time = absl::FromUnixSeconds(proto.ingest_time().seconds()) +
                            absl::Nanoseconds(proto.ingest_time().nanos());
    }
    article.word_count = proto.word_count();
    article.entity_table_version = proto.entity_table_version();
  }
  article.log_sequence = proto.log_sequence();
  article.story_id = proto.story_id();
  article.copy_of = proto.copy_of();
  article.copy_similarity = proto.copy_similarity();
  return article;
}

RawArticle FromProto(const v1::RawArticle& proto) {
  RawArticle raw;
  raw.content = proto.content();
  raw.content_type = FromProto(proto.content_type());
  raw.metadata.source = proto.metadata().source();
  raw.metadata.url = proto.metadata().url();
  raw.metadata.publish_time_hint = proto.metadata().publish_time_hint();
  raw.metadata.language = proto.metadata().language();
  raw.metadata.external_id = proto.metadata().external_id();
  return raw;
}

void ToProto(const RawArticle& raw, v1::RawArticle* proto) {
  proto->set_content(raw.content);
  proto->set_content_type(ToProto(raw.content_type));
  v1::ArticleMetadata* m = proto->mutable_metadata();
  m->set_source(raw.metadata.source);
  m->set_url(raw.metadata.url);
  m->set_publish_time_hint(raw.metadata.publish_time_hint);
  m->set_language(raw.metadata.language);
  m->set_external_id(raw.metadata.external_id);
}

}  // namespace newsdesk
