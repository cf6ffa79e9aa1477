// The seam through which derived links are computed for the articles the
// index takes: the index's link stage (ArticleIndex::LinkPending) calls its
// ArticleLinker once per article after indexing it, and Changed for every
// change of an indexed article, all in log order, then applies the links the
// linker set (query_service/stories/ implements it: near-copies and
// stories). Because it sees the log in order and nothing else, every replica
// derives the same links for the same log, and a restart derives them again
// by replaying, whether the link stage runs in step with indexing or behind.
#ifndef QUERY_SERVICE_INDEX_ARTICLE_LINKER_H_
#define QUERY_SERVICE_INDEX_ARTICLE_LINKER_H_

#include <cstdint>
#include <functional>
#include <string>

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
    std::function<std::string(uint32_t n)> id;
    // Article `n` as stored, without its derived links; null when there is
    // none; an error when it cannot be read. Its body is the one it was
    // indexed with (bodies never change); its entities and topics may be
    // those of a later alias change or topic update. The article stays valid
    // until the call returns.
    std::function<absl::StatusOr<const Article*>(uint32_t n)> read;
  };

  virtual ~ArticleLinker() = default;

  // Sets `article`'s derived fields (story_id, copy_of, copy_similarity).
  // Called outside the index's locks, one call at a time; `earlier` reads
  // the index. When `earlier` fails, returns its error having remembered
  // nothing of `article` (the link stage then calls Link for it again
  // later).
  virtual absl::Status Link(Article* article, const EarlierArticles& earlier) = 0;

  // An indexed article changed: an alias table change re-linked its
  // entities, or a topic update re-classified it. `before` and `after` are
  // the article as indexed before and after (its derived fields unchanged).
  // Called in log order with Link, one call at a time.
  virtual void Changed(const Article& before, const Article& after) = 0;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_ARTICLE_LINKER_H_
