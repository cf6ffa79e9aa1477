#include "common/model/log_entry_convert.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/model/article_convert.h"

namespace newsdesk {
namespace {

constexpr char kTopicUpdateTag = '\x01';

}  // namespace

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
  if (entry.topic_update) ToProto(*entry.topic_update, proto->mutable_topic_update());
}

absl::StatusOr<LogEntry> FromProto(const v1::LogEntry& proto) {
  if (proto.has_article() == proto.has_topic_update()) {
    return absl::DataLossError(
        absl::StrCat("log entry ", proto.sequence(),
                     " must hold exactly one of an article and a topic update"));
  }
  LogEntry entry;
  entry.sequence = proto.sequence();
  if (proto.has_article()) {
    entry.article = FromProto(proto.article());
  } else {
    entry.topic_update = FromProto(proto.topic_update());
  }
  return entry;
}

std::string EncodeLogValue(const LogEntry& entry) {
  if (entry.topic_update) {
    v1::TopicUpdate proto;
    ToProto(*entry.topic_update, &proto);
    return absl::StrCat(absl::string_view(&kTopicUpdateTag, 1),
                        proto.SerializeAsString());
  }
  v1::Article proto;
  if (entry.article) ToProto(*entry.article, &proto);
  return proto.SerializeAsString();
}

absl::StatusOr<LogEntry> DecodeLogValue(absl::string_view value, int64_t sequence) {
  LogEntry entry;
  entry.sequence = sequence;
  if (!value.empty() && value.front() == kTopicUpdateTag) {
    value.remove_prefix(1);
    v1::TopicUpdate proto;
    if (!proto.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return absl::DataLossError(absl::StrCat("the topic update at log sequence ",
                                              sequence, " cannot be decoded"));
    }
    entry.topic_update = FromProto(proto);
    return entry;
  }
  v1::Article proto;
  if (!proto.ParseFromArray(value.data(), static_cast<int>(value.size())) ||
      (proto.log_sequence() != 0 && proto.log_sequence() != sequence)) {
    return absl::DataLossError(
        absl::StrCat("the article at log sequence ", sequence, " cannot be decoded"));
  }
  entry.article = FromProto(proto);
  entry.article->log_sequence = sequence;
  return entry;
}

}  // namespace newsdesk
