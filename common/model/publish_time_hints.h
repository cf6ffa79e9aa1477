// A feed's publication times for the files it delivered, kept beside them in
// a small text file (a sidecar manifest), for the articles that name no date
// of their own. One file a line: its name, a tab, and its publish-time hint
// as the ingest API takes it (RawArticle.metadata.publish_time_hint, e.g.
// "2023-04-06" or "2023-04-26T09:30:00Z"). Blank lines and lines starting
// with '#' are skipped. data/seeds.hints.tsv is the one of the sample
// articles.
#ifndef COMMON_MODEL_PUBLISH_TIME_HINTS_H_
#define COMMON_MODEL_PUBLISH_TIME_HINTS_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsdesk {

// File name -> publish-time hint.
using PublishTimeHints = absl::flat_hash_map<std::string, std::string>;

// Parses a manifest's text; `origin` names it in errors. INVALID_ARGUMENT
// for a line without a name, a tab and a hint, or a name given twice.
absl::StatusOr<PublishTimeHints> ParsePublishTimeHints(absl::string_view text,
                                                       absl::string_view origin);

// Reads and parses the manifest at `path`; NOT_FOUND when it cannot be read.
absl::StatusOr<PublishTimeHints> ReadPublishTimeHints(const std::string& path);

}  // namespace newsdesk

#endif  // COMMON_MODEL_PUBLISH_TIME_HINTS_H_
