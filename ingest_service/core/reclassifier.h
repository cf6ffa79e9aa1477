// Classifies stored articles again, without ingesting them again: after a
// new IPTC release, term table or topic model, old articles get the topics
// the service would give them now. Each changed article gets a topic update
// (ArticleStore::UpdateTopics), durable and in the article log, which query
// services apply. Knows nothing of gRPC.
#ifndef INGEST_SERVICE_CORE_RECLASSIFIER_H_
#define INGEST_SERVICE_CORE_RECLASSIFIER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "ingest_service/extract/topic_classifier.h"
#include "ingest_service/store/article_store.h"

namespace newsdesk::ingest {

struct ReclassifyRequest {
  // The log sequence to start at; 0 is the start of the log.
  int64_t start_sequence = 0;
  // Most log entries visited; 0 is the default, larger values are clamped.
  int max_entries = 0;
  // Classify every article, not only those of another taxonomy version.
  bool all = false;
};

struct ReclassifyResult {
  int64_t visited_count = 0;  // articles visited
  int64_t updated_count = 0;  // articles given a topic update
  int64_t next_sequence = 0;  // where to continue; 0 at the end of the log
};

inline constexpr int kDefaultReclassifyEntries = 1000;
inline constexpr int kMaxReclassifyEntries = 10000;

class Reclassifier {
 public:
  // None of the pointers is owned; each must outlive the Reclassifier.
  Reclassifier(const TopicClassifier* classifier, ArticleStore* store, const ArticleLog* log);

  // Visits the log from request.start_sequence: each article (with its
  // latest topics) whose taxonomy_version differs from the classifier's, or
  // every one with `all`, is classified, and gets a topic update when its
  // topics or version change. Stops after max_entries entries or at the head
  // of the log as it was when called. INVALID_ARGUMENT (naming the field)
  // for a negative start_sequence or max_entries; store errors as the store
  // gives them.
  absl::StatusOr<ReclassifyResult> Run(const ReclassifyRequest& request) const;

  // The IPTC release the classifier classifies with.
  const std::string& taxonomy_version() const { return classifier_->taxonomy_version(); }

 private:
  const TopicClassifier* const classifier_;
  ArticleStore* const store_;
  const ArticleLog* const log_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_CORE_RECLASSIFIER_H_
