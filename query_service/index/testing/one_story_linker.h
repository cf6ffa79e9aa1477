// A linker for tests of what follows links (queries, watches): puts every
// article in story "s" and links no near-copies.
#ifndef QUERY_SERVICE_INDEX_TESTING_ONE_STORY_LINKER_H_
#define QUERY_SERVICE_INDEX_TESTING_ONE_STORY_LINKER_H_

#include "absl/status/status.h"
#include "common/model/article.h"
#include "query_service/index/article_linker.h"

namespace newsdesk::query {

class OneStoryLinker final : public ArticleLinker {
 public:
  absl::Status Link(Article* article, const EarlierArticles&) override {
    article->story_id = "s";
    return absl::OkStatus();
  }
  void Changed(const Article&, const Article&) override {}
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_TESTING_ONE_STORY_LINKER_H_
