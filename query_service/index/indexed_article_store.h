// Where the query index keeps its articles: it holds in memory only what
// queries test and sort by, and reads an article through this seam when a
// page, GetArticle, a watcher's replay or a re-linking needs it whole.
//
// The index writes every article it takes (`as_logged` when it is the log
// entry unchanged) and every article it changes (re-linked by an alias
// table change, re-classified by a topic update), before it changes its
// postings, and reads under its own lock, so what Get returns is always
// the article as the index has it. Derived links (story_id, copy_of,
// copy_similarity) are the index's: it sets them on what it reads.
//
// query_service/replica/replica_store implements it over the local copy of
// the log (an unchanged article is read from its log entry);
// InMemoryIndexedArticleStore keeps them on the heap, for tests and tools.
#ifndef QUERY_SERVICE_INDEX_INDEXED_ARTICLE_STORE_H_
#define QUERY_SERVICE_INDEX_INDEXED_ARTICLE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/model/article.h"

namespace newsdesk::query {

// Several articles' bytes back to back in one buffer (one allocation for a
// page, whatever its size).
struct EncodedArticles {
  std::string bytes;
  std::vector<size_t> ends;  // where each article's bytes end in `bytes`

  size_t size() const { return ends.size(); }
  absl::string_view operator[](size_t i) const {
    const size_t begin = i == 0 ? 0 : ends[i - 1];
    return absl::string_view(bytes).substr(begin, ends[i] - begin);
  }
  void Add(absl::string_view value) {
    bytes.append(value.data(), value.size());
    ends.push_back(bytes.size());
  }
};

class IndexedArticleStore {
 public:
  virtual ~IndexedArticleStore() = default;

  // Keeps `articles`, each under its log_sequence, replacing what was kept
  // under the same sequences: all of them or, on an error, none. With
  // `as_logged` they are exactly the articles the log holds at their
  // sequences (a store that reads the log may keep nothing for them).
  virtual absl::Status Put(absl::Span<const Article* const> articles, bool as_logged) = 0;

  // Copies of the articles kept under `sequences`, in that order. An article missing
  // or unreadable is an error (NOT_FOUND, DATA_LOSS, UNAVAILABLE) naming its
  // sequence; nothing is returned then.
  virtual absl::StatusOr<std::vector<Article>> Get(
      absl::Span<const int64_t> sequences) const = 0;

  // The same articles undecoded: each as the bytes of its log entry (a
  // serialized newsdesk.v1.Article, EncodeLogValue), in the order of
  // `sequences`, back to back in one buffer; the same errors. What pages
  // read (stored_article.h).
  virtual absl::StatusOr<EncodedArticles> GetEncoded(
      absl::Span<const int64_t> sequences) const = 0;
};

// Articles on the heap. Thread-safe.
class InMemoryIndexedArticleStore final : public IndexedArticleStore {
 public:
  absl::Status Put(absl::Span<const Article* const> articles, bool as_logged) override;
  absl::StatusOr<std::vector<Article>> Get(
      absl::Span<const int64_t> sequences) const override;
  // Encodes the articles kept.
  absl::StatusOr<EncodedArticles> GetEncoded(
      absl::Span<const int64_t> sequences) const override;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<int64_t, std::unique_ptr<const Article>> articles_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_INDEXED_ARTICLE_STORE_H_
