// Converts log entries, alias changes and topic updates
// (common/model/log_entry.h) to and from their newsdesk.v1 messages, and
// defines the one byte encoding of a log entry that the ingest store, the
// query replica and the JetStream payload all use:
//  - an article is its serialized newsdesk.v1.Article (as before alias
//    changes and topic updates existed, so stored logs stay readable);
//  - an alias change is the byte 0x00 followed by its serialized
//    newsdesk.v1.AliasChange;
//  - a topic update is the byte 0x01 followed by its serialized
//    newsdesk.v1.TopicUpdate.
// No serialized message starts with a byte below 0x08 (field number 0 does
// not exist), so the three cannot be confused.
#ifndef COMMON_MODEL_LOG_ENTRY_CONVERT_H_
#define COMMON_MODEL_LOG_ENTRY_CONVERT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/model/log_entry.h"
#include "newsdesk/v1/article_log_service.pb.h"
#include "newsdesk/v1/entity_alias_service.pb.h"

namespace newsdesk {

void ToProto(const AliasChange& change, v1::AliasChange* proto);
AliasChange FromProto(const v1::AliasChange& proto);

v1::AliasChangeKind ToProto(AliasChangeKind kind);
AliasChangeKind FromProto(v1::AliasChangeKind kind);

void ToProto(const TopicUpdate& update, v1::TopicUpdate* proto);
TopicUpdate FromProto(const v1::TopicUpdate& proto);

void ToProto(const LogEntry& entry, v1::LogEntry* proto);
// DATA_LOSS unless exactly one of article, alias_change and topic_update is
// set.
absl::StatusOr<LogEntry> FromProto(const v1::LogEntry& proto);

// The entry a log stream delivered, with its stored bytes kept in
// `encoded` (an article's log_sequence is set to the entry's sequence
// first); FromProto's errors.
absl::StatusOr<LogEntry> FromReceivedProto(v1::LogEntry* proto);

// The stored bytes of `entry` (see the file comment). An article is stored
// with the entry's sequence as its log_sequence, or, when the entry's
// sequence is 0 (not known yet, the JetStream payload), with the article's
// own log_sequence.
std::string EncodeLogValue(const LogEntry& entry);
// The stored bytes of the entry as its message: the same bytes as
// EncodeLogValue(*FromProto(proto)) when an article's log_sequence is the
// entry's sequence, without building the LogEntry.
std::string EncodeLogValue(const v1::LogEntry& proto);

// The entry at `sequence` whose stored bytes are `value`. DATA_LOSS when the
// bytes cannot be decoded, or an article's log_sequence is set and differs
// from `sequence` (it is set to `sequence` when it is 0).
absl::StatusOr<LogEntry> DecodeLogValue(absl::string_view value, int64_t sequence);
// The same, decoded into `proto` (cleared first) without building the
// LogEntry: what the ingest service sends its log subscribers.
absl::Status DecodeLogValue(absl::string_view value, int64_t sequence, v1::LogEntry* proto);

}  // namespace newsdesk

#endif  // COMMON_MODEL_LOG_ENTRY_CONVERT_H_
