// gMock matchers for the parse tests:
//   EXPECT_THAT(article.removed_blocks,
//               Contains(RemovedBlockIs(RemovedBlockKind::kShareTail, "Share")));
#ifndef INGEST_SERVICE_PARSE_PARSED_ARTICLE_MATCHERS_H_
#define INGEST_SERVICE_PARSE_PARSED_ARTICLE_MATCHERS_H_

#include <ostream>
#include <string>

#include "common/model/article.h"
#include "gmock/gmock.h"

namespace newsdesk {

// Lets failure messages show removed blocks as {kind, "text"}.
inline void PrintTo(const RemovedBlock& block, std::ostream* os) {
  *os << "{" << static_cast<int>(block.kind) << ", \"" << block.text << "\"}";
}

namespace ingest {

MATCHER_P2(RemovedBlockIs, kind, text,
           "is a removed block of kind " +
               ::testing::PrintToString(static_cast<int>(kind)) + " with text \"" +
               std::string(text) + "\"") {
  return arg.kind == kind && arg.text == text;
}

}  // namespace ingest
}  // namespace newsdesk

#endif  // INGEST_SERVICE_PARSE_PARSED_ARTICLE_MATCHERS_H_
