// The ingest service's durable store, seen through two interfaces: the
// writing side (ArticleStore) used by the ingest core, and the reading side
// of the article log (ArticleLog) used to publish articles to query services.
// The embedded implementation is RocksDbArticleStore; a cluster backend
// implements the same interfaces.
#ifndef INGEST_SERVICE_STORE_ARTICLE_STORE_H_
#define INGEST_SERVICE_STORE_ARTICLE_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/model/article.h"
#include "common/model/log_entry.h"

namespace newsdesk::ingest {

struct PutResult {
  Article article;               // as stored: log_sequence and ingest_time set
  bool already_existed = false;  // an article with the same id was stored before
};

class ArticleStore {
 public:
  virtual ~ArticleStore() = default;

  // Stores `article` unless an article with the same id is already stored,
  // in which case the stored one is returned with already_existed set.
  // A new article gets the next log sequence number and its ingest time.
  // Returns only once the article is durable on disk. UNAVAILABLE when the
  // store cannot be written or is closed.
  virtual absl::StatusOr<PutResult> Put(Article article) = 0;

  // Stores each article as Put would, in order, and returns once all are
  // durable: one result per article, in the same order. A store that can
  // writes them together (one durable write for the group); this default
  // puts them one by one.
  virtual std::vector<absl::StatusOr<PutResult>> PutAll(std::vector<Article> articles) {
    std::vector<absl::StatusOr<PutResult>> results;
    results.reserve(articles.size());
    for (Article& article : articles) results.push_back(Put(std::move(article)));
    return results;
  }

  // The stored article with this id, with the topics of its latest topic
  // update; NOT_FOUND if there is none.
  virtual absl::StatusOr<Article> Get(absl::string_view article_id) const = 0;

  // Gives a stored article new topics (it was classified again): once
  // durable, Get returns it with them and the log holds a topic update entry
  // at the returned sequence. NOT_FOUND when no article has the id;
  // UNAVAILABLE as for Put.
  virtual absl::StatusOr<int64_t> UpdateTopics(const TopicUpdate& update) = 0;
};

class ArticleLog {
 public:
  virtual ~ArticleLog() = default;

  // Sequence number of the last entry; 0 when the log is empty.
  virtual int64_t HeadSequence() const = 0;

  // Up to `max_entries` entries (articles, as first stored, alias table
  // changes and topic updates) with sequence numbers from `start_sequence`
  // (at least 1) on, in order and without gaps, in their stored encoding
  // (common/model/log_entry_convert.h, DecodeLogValue): the first is at
  // start_sequence, the next at start_sequence + 1, and so on.
  virtual absl::StatusOr<std::vector<std::string>> ReadEncodedFrom(int64_t start_sequence,
                                                                   int max_entries) const = 0;

  // The same entries decoded. DATA_LOSS when one cannot be decoded.
  absl::StatusOr<std::vector<LogEntry>> ReadFrom(int64_t start_sequence, int max_entries) const;

  // Blocks until the head reaches `sequence`, the deadline passes or the log
  // is closed; returns the head sequence then.
  virtual int64_t WaitForSequence(int64_t sequence, absl::Time deadline) const = 0;

  // True once the log is closed; waiters return at once.
  virtual bool closed() const = 0;
};

// Where the alias table's changes are kept: each is appended to the article
// log (so query services apply it in log order) and to the table's history
// (so the ingest service rebuilds the table at start-up), in one durable
// write.
class AliasChangeStore {
 public:
  virtual ~AliasChangeStore() = default;

  // Stores `change` (its version set by the caller, one above the last
  // stored) and returns its log sequence once it is durable. UNAVAILABLE
  // when the store cannot be written or is closed; ABORTED when another
  // writer sharing the store (an ingest replica on the same JetStream log)
  // stored that version first: read the changes after the table's version,
  // apply them and prepare the edit again.
  virtual absl::StatusOr<int64_t> AppendAliasChange(const AliasChange& change) = 0;

  // The changes stored with versions above `after_version`, in version
  // order.
  virtual absl::StatusOr<std::vector<AliasChange>> ReadAliasChanges(
      int64_t after_version) const = 0;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_STORE_ARTICLE_STORE_H_
