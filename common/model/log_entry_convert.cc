#include "common/model/log_entry_convert.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/model/article_convert.h"

namespace newsdesk {
namespace {

constexpr char kAliasChangeTag = '\x00';
constexpr char kTopicUpdateTag = '\x01';

template <typename Message>
std::string Tagged(char tag, const Message& proto) {
  std::string out(1, tag);
  proto.AppendToString(&out);
  return out;
}

}  // namespace

v1::AliasChangeKind ToProto(AliasChangeKind kind) {
  switch (kind) {
    case AliasChangeKind::kUnspecified: return v1::ALIAS_CHANGE_KIND_UNSPECIFIED;
    case AliasChangeKind::kAddAlias: return v1::ALIAS_CHANGE_KIND_ADD_ALIAS;
    case AliasChangeKind::kRemoveAlias: return v1::ALIAS_CHANGE_KIND_REMOVE_ALIAS;
    case AliasChangeKind::kMerge: return v1::ALIAS_CHANGE_KIND_MERGE_ENTITIES;
    case AliasChangeKind::kSplit: return v1::ALIAS_CHANGE_KIND_SPLIT_ENTITY;
  }
  return v1::ALIAS_CHANGE_KIND_UNSPECIFIED;
}

AliasChangeKind FromProto(v1::AliasChangeKind kind) {
  switch (kind) {
    case v1::ALIAS_CHANGE_KIND_ADD_ALIAS: return AliasChangeKind::kAddAlias;
    case v1::ALIAS_CHANGE_KIND_REMOVE_ALIAS: return AliasChangeKind::kRemoveAlias;
    case v1::ALIAS_CHANGE_KIND_MERGE_ENTITIES: return AliasChangeKind::kMerge;
    case v1::ALIAS_CHANGE_KIND_SPLIT_ENTITY: return AliasChangeKind::kSplit;
    default: return AliasChangeKind::kUnspecified;
  }
}

void ToProto(const AliasChange& change, v1::AliasChange* proto) {
  proto->set_version(change.version);
  if (change.change_time != absl::InfinitePast()) {
    ToProto(change.change_time, proto->mutable_change_time());
  }
  proto->set_kind(ToProto(change.kind));
  proto->set_entity_id(change.entity_id);
  proto->set_source_entity_id(change.source_entity_id);
  for (const std::string& spelling : change.spellings) proto->add_spellings(spelling);
  proto->set_new_entity_id(change.new_entity_id);
  proto->set_display_name(change.display_name);
  proto->set_entity_type(ToProto(change.type));
  proto->set_created(change.created);
}

AliasChange FromProto(const v1::AliasChange& proto) {
  AliasChange change;
  change.version = proto.version();
  if (proto.has_change_time()) {
    change.change_time = absl::FromUnixSeconds(proto.change_time().seconds()) +
                         absl::Nanoseconds(proto.change_time().nanos());
  }
  change.kind = FromProto(proto.kind());
  change.entity_id = proto.entity_id();
  change.source_entity_id = proto.source_entity_id();
  change.spellings.assign(proto.spellings().begin(), proto.spellings().end());
  change.new_entity_id = proto.new_entity_id();
  change.display_name = proto.display_name();
  change.type = FromProto(proto.entity_type());
  change.created = proto.created();
  return change;
}

void ToProto(const TopicUpdate& update, v1::TopicUpdate* proto) {
  proto->set_article_id(update.article_id);
  for (const ArticleTopic& topic : update.topics) ToProto(topic, proto->add_topics());
  proto->set_taxonomy_version(update.taxonomy_version);
}

TopicUpdate FromProto(const v1::TopicUpdate& proto) {
  TopicUpdate update;
  update.article_id = proto.article_id();
  for (const v1::ArticleTopic& topic : proto.topics()) {
    update.topics.push_back(FromProto(topic));
  }
  update.taxonomy_version = proto.taxonomy_version();
  return update;
}

void ToProto(const LogEntry& entry, v1::LogEntry* proto) {
  proto->set_sequence(entry.sequence);
  if (entry.article) ToProto(*entry.article, proto->mutable_article());
  if (entry.alias_change) ToProto(*entry.alias_change, proto->mutable_alias_change());
  if (entry.topic_update) ToProto(*entry.topic_update, proto->mutable_topic_update());
}

absl::StatusOr<LogEntry> FromProto(const v1::LogEntry& proto) {
  const int kinds = (proto.has_article() ? 1 : 0) + (proto.has_alias_change() ? 1 : 0) +
                    (proto.has_topic_update() ? 1 : 0);
  if (kinds != 1) {
    return absl::DataLossError(absl::StrCat(
        "log entry ", proto.sequence(),
        " must hold exactly one of an article, an alias change and a topic update"));
  }
  LogEntry entry;
  entry.sequence = proto.sequence();
  if (proto.has_article()) {
    entry.article = FromProto(proto.article());
    entry.article->log_sequence = proto.sequence();
  } else if (proto.has_alias_change()) {
    entry.alias_change = FromProto(proto.alias_change());
  } else {
    entry.topic_update = FromProto(proto.topic_update());
  }
  return entry;
}

absl::StatusOr<LogEntry> FromReceivedProto(v1::LogEntry* proto) {
  if (proto->has_article()) proto->mutable_article()->set_log_sequence(proto->sequence());
  ASSIGN_OR_RETURN(LogEntry entry, FromProto(*proto));
  entry.encoded = EncodeLogValue(*proto);
  return entry;
}

std::string EncodeLogValue(const LogEntry& entry) {
  if (entry.alias_change) {
    v1::AliasChange proto;
    ToProto(*entry.alias_change, &proto);
    return Tagged(kAliasChangeTag, proto);
  }
  if (entry.topic_update) {
    v1::TopicUpdate proto;
    ToProto(*entry.topic_update, &proto);
    return Tagged(kTopicUpdateTag, proto);
  }
  v1::Article proto;
  if (entry.article) ToProto(*entry.article, &proto);
  if (entry.sequence != 0) proto.set_log_sequence(entry.sequence);
  return proto.SerializeAsString();
}

std::string EncodeLogValue(const v1::LogEntry& proto) {
  if (proto.has_alias_change()) return Tagged(kAliasChangeTag, proto.alias_change());
  if (proto.has_topic_update()) return Tagged(kTopicUpdateTag, proto.topic_update());
  return proto.article().SerializeAsString();
}

absl::Status DecodeLogValue(absl::string_view value, int64_t sequence, v1::LogEntry* proto) {
  proto->Clear();
  proto->set_sequence(sequence);
  if (!value.empty() && value.front() == kAliasChangeTag) {
    value.remove_prefix(1);
    if (!proto->mutable_alias_change()->ParseFromArray(value.data(),
                                                       static_cast<int>(value.size()))) {
      return absl::DataLossError(
          absl::StrCat("the alias change at log sequence ", sequence, " cannot be decoded"));
    }
    return absl::OkStatus();
  }
  if (!value.empty() && value.front() == kTopicUpdateTag) {
    value.remove_prefix(1);
    if (!proto->mutable_topic_update()->ParseFromArray(value.data(),
                                                       static_cast<int>(value.size()))) {
      return absl::DataLossError(absl::StrCat("the topic update at log sequence ",
                                              sequence, " cannot be decoded"));
    }
    return absl::OkStatus();
  }
  v1::Article* article = proto->mutable_article();
  if (!article->ParseFromArray(value.data(), static_cast<int>(value.size())) ||
      (article->log_sequence() != 0 && article->log_sequence() != sequence)) {
    return absl::DataLossError(
        absl::StrCat("the article at log sequence ", sequence, " cannot be decoded"));
  }
  article->set_log_sequence(sequence);
  return absl::OkStatus();
}

absl::StatusOr<LogEntry> DecodeLogValue(absl::string_view value, int64_t sequence) {
  v1::LogEntry proto;
  RETURN_IF_ERROR(DecodeLogValue(value, sequence, &proto));
  return FromProto(proto);
}

}  // namespace newsdesk
