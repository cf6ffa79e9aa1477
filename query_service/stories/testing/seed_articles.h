// For tests and benchmarks: the sample articles of data/seeds parsed as the
// ingest service parses them (rule-based entities, the shipped topic term
// table), in file name order, with log sequences 1, 2, ... Three of the five
// name no date of their own; they are sent with the publish_time_hint the
// feed gave them (data/seeds.hints.tsv).
#ifndef QUERY_SERVICE_STORIES_TESTING_SEED_ARTICLES_H_
#define QUERY_SERVICE_STORIES_TESTING_SEED_ARTICLES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/data/shared_data.h"
#include "common/model/article.h"

namespace newsdesk::query {

struct SeedArticle {
  std::string file;  // file name, such as "000_bc9c7e850a66cecc.txt"
  Article article;
};

// `data_dir` holds seeds/, seeds.hints.tsv, iptc/, entities/ and topics/.
absl::StatusOr<std::vector<SeedArticle>> ParseSeedArticles(const std::string& data_dir,
                                                           const SharedData& data);

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_STORIES_TESTING_SEED_ARTICLES_H_
