#include "ingest_service/core/reclassifier.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/field_error.h"
#include "common/status/status_macros.h"

namespace newsdesk::ingest {
namespace {

// Entries read from the log at a time.
constexpr int kReadBatch = 256;

}  // namespace

Reclassifier::Reclassifier(const TopicClassifier* classifier, ArticleStore* store,
                           const ArticleLog* log)
    : classifier_(classifier), store_(store), log_(log) {}

absl::StatusOr<ReclassifyResult> Reclassifier::Run(
    const ReclassifyRequest& request) const {
  if (request.start_sequence < 0) {
    return InvalidFieldError("start_sequence",
                             absl::StrCat("start_sequence is ", request.start_sequence,
                                          "; it must not be negative"));
  }
  if (request.max_entries < 0) {
    return InvalidFieldError("max_entries",
                             absl::StrCat("max_entries is ", request.max_entries,
                                          "; it must not be negative"));
  }
  const int max_entries = request.max_entries == 0
                              ? kDefaultReclassifyEntries
                              : std::min(request.max_entries, kMaxReclassifyEntries);
  const std::string& version = classifier_->taxonomy_version();
  const int64_t head = log_->HeadSequence();
  int64_t next = std::max<int64_t>(request.start_sequence, 1);
  int visited_entries = 0;
  ReclassifyResult result;
  while (next <= head && visited_entries < max_entries) {
    const int want = static_cast<int>(
        std::min<int64_t>({kReadBatch, max_entries - visited_entries, head - next + 1}));
    ASSIGN_OR_RETURN(std::vector<LogEntry> entries, log_->ReadFrom(next, want));
    if (entries.empty()) break;
    for (const LogEntry& entry : entries) {
      ++visited_entries;
      next = entry.sequence + 1;
      if (!entry.article) continue;
      ++result.visited_count;
      // The article as it is now: its latest topic update applied.
      ASSIGN_OR_RETURN(const Article article, store_->Get(entry.article->id));
      if (!request.all && article.taxonomy_version == version) continue;
      std::vector<ArticleTopic> topics = classifier_->Classify(article);
      if (topics == article.topics && article.taxonomy_version == version) continue;
      RETURN_IF_ERROR(
          store_->UpdateTopics(TopicUpdate{article.id, std::move(topics), version})
              .status());
      ++result.updated_count;
    }
  }
  result.next_sequence = next <= head ? next : 0;
  return result;
}

}  // namespace newsdesk::ingest
