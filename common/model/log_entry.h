// The entries of the article log: a stored article, or a topic update that
// gives an article stored earlier the topics it has after being classified
// again. Plain structs, like article.h.
#ifndef COMMON_MODEL_LOG_ENTRY_H_
#define COMMON_MODEL_LOG_ENTRY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/model/article.h"

namespace newsdesk {

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

// One entry of the article log: exactly one of `article` and `topic_update`
// is set. An article entry's article carries the same log_sequence.
struct LogEntry {
  int64_t sequence = 0;
  std::optional<Article> article;
  std::optional<TopicUpdate> topic_update;
};

// `article` with the topics and taxonomy version of `update`.
inline void ApplyTopicUpdate(const TopicUpdate& update, Article* article) {
  article->topics = update.topics;
  article->taxonomy_version = update.taxonomy_version;
}

}  // namespace newsdesk

#endif  // COMMON_MODEL_LOG_ENTRY_H_
