// Converts log entries and topic updates (common/model/log_entry.h) to and
// from their newsdesk.v1 messages, and defines the one byte encoding of a log
// entry that the ingest store, the query replica and the JetStream payload
// all use:
//  - an article is its serialized newsdesk.v1.Article (as before topic
//    updates existed, so stored logs stay readable);
//  - a topic update is the byte 0x01 followed by its serialized
//    newsdesk.v1.TopicUpdate. No serialized message starts with a byte below
//    0x08 (field number 0 does not exist), so the two cannot be confused.
#ifndef COMMON_MODEL_LOG_ENTRY_CONVERT_H_
#define COMMON_MODEL_LOG_ENTRY_CONVERT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/model/log_entry.h"
#include "newsdesk/v1/article_log_service.pb.h"

namespace newsdesk {

void ToProto(const TopicUpdate& update, v1::TopicUpdate* proto);
TopicUpdate FromProto(const v1::TopicUpdate& proto);

void ToProto(const LogEntry& entry, v1::LogEntry* proto);
// DATA_LOSS when neither or both of article and topic_update are set.
absl::StatusOr<LogEntry> FromProto(const v1::LogEntry& proto);

// The stored bytes of `entry` (see the file comment). An article is stored
// with its log_sequence as given (0 when the sequence is not known yet).
std::string EncodeLogValue(const LogEntry& entry);

// The entry at `sequence` whose stored bytes are `value`. DATA_LOSS when the
// bytes cannot be decoded, or an article's log_sequence is set and differs
// from `sequence` (it is set to `sequence` when it is 0).
absl::StatusOr<LogEntry> DecodeLogValue(absl::string_view value, int64_t sequence);

}  // namespace newsdesk

#endif  // COMMON_MODEL_LOG_ENTRY_CONVERT_H_
