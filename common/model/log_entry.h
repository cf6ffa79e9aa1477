// The entries of the article log: a stored article, a change of the entity
// alias table that query services apply to the articles they have indexed,
// or a topic update that gives an article stored earlier the topics it has
// after being classified again. Plain structs, like article.h.
#ifndef COMMON_MODEL_LOG_ENTRY_H_
#define COMMON_MODEL_LOG_ENTRY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/model/article.h"

namespace newsdesk {

enum class AliasChangeKind { kUnspecified, kAddAlias, kRemoveAlias, kMerge, kSplit };

// One change of the alias table; see AliasChange in
// proto/newsdesk/v1/entity_alias_service.proto for what each field means for
// each kind.
struct AliasChange {
  int64_t version = 0;  // 1, 2, 3, ... without gaps
  absl::Time change_time = absl::InfinitePast();
  AliasChangeKind kind = AliasChangeKind::kUnspecified;
  std::string entity_id;         // the entity given or losing spellings; a merge's target
  std::string source_entity_id;  // merges: the entity merged away
  std::vector<std::string> spellings;
  std::string new_entity_id;  // splits: where the spellings go
  std::string display_name;   // of entity_id, or of new_entity_id for a split
  EntityType type = EntityType::kUnspecified;
  bool created = false;  // the change created the entity it names

  bool operator==(const AliasChange& other) const {
    return version == other.version && change_time == other.change_time &&
           kind == other.kind && entity_id == other.entity_id &&
           source_entity_id == other.source_entity_id && spellings == other.spellings &&
           new_entity_id == other.new_entity_id && display_name == other.display_name &&
           type == other.type && created == other.created;
  }
};

// New topics for a stored article (see TopicUpdate in
// proto/newsdesk/v1/article_log_service.proto).
struct TopicUpdate {
  std::string article_id;
  std::vector<ArticleTopic> topics;  // replace all the article had
  std::string taxonomy_version;

  bool operator==(const TopicUpdate& other) const {
    return article_id == other.article_id && topics == other.topics &&
           taxonomy_version == other.taxonomy_version;
  }
};

// One entry of the article log: exactly one of `article`, `alias_change` and
// `topic_update` is set. An article entry's article carries the same
// log_sequence.
struct LogEntry {
  int64_t sequence = 0;
  std::optional<Article> article;
  std::optional<AliasChange> alias_change;
  std::optional<TopicUpdate> topic_update;
  // The entry's stored bytes (EncodeLogValue in log_entry_convert.h) when
  // they came with it, as from a log stream, so that keeping the entry
  // does not encode it again; empty when unknown.
  std::string encoded = {};
};

// `article` with the topics and taxonomy version of `update`.
inline void ApplyTopicUpdate(const TopicUpdate& update, Article* article) {
  article->topics = update.topics;
  article->taxonomy_version = update.taxonomy_version;
}

}  // namespace newsdesk

#endif  // COMMON_MODEL_LOG_ENTRY_H_
