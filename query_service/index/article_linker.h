// The seam through which derived links are computed as the index takes each
// article: the index calls its ArticleLinker once per new article, in log
// order, before indexing it, and indexes what the linker set
// (query_service/stories/ implements it: near-copies and stories). Because
// it sees the log in order and nothing else, every replica derives the same
// links for the same log, and a restart derives them again by replaying.
#ifndef QUERY_SERVICE_INDEX_ARTICLE_LINKER_H_
#define QUERY_SERVICE_INDEX_ARTICLE_LINKER_H_

#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/model/article.h"

namespace newsdesk::query {

class ArticleLinker {
 public:
  // The articles linked before, by number: those Link succeeded for,
  // numbered from 0 in that order (the index's doc numbers). Valid only
  // during the call they are passed to.
  struct EarlierArticles {
    // The id of article `n` (n below the number linked before).
    std::function<absl::string_view(uint32_t n)> id;
    // Article `n`, read; null when there is none; an error when it cannot be
    // read. The article stays valid until the call returns.
    std::function<absl::StatusOr<const Article*>(uint32_t n)> read;
  };

  virtual ~ArticleLinker() = default;

  // Sets `article`'s derived fields (story_id, copy_of, copy_similarity).
  // Called under the index's write lock: it must not call the index. When
  // `earlier` fails, returns its error having remembered nothing of
  // `article` (the index then does not take it, and takes it again later).
  virtual absl::Status Link(Article* article, const EarlierArticles& earlier) = 0;

  // An indexed article changed: an alias table change re-linked its
  // entities, or a topic update re-classified it. `before` and `after` are
  // the article as indexed before and after (its derived fields unchanged).
  // Called in log order under the index's write lock, like Link.
  virtual void Changed(const Article& before, const Article& after) = 0;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_ARTICLE_LINKER_H_
