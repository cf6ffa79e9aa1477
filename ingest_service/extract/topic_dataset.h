// The labelled-article file `newsdesk-topics` reads: one article a line,
//   labels <TAB> content
// where labels are comma-separated IPTC qcodes (may be empty when only
// classifying) and content is the article as it would be sent to
// IngestArticle (text or HTML), with "\n", "\t" and "\\" standing for a line
// break, a tab and a backslash.
#ifndef INGEST_SERVICE_EXTRACT_TOPIC_DATASET_H_
#define INGEST_SERVICE_EXTRACT_TOPIC_DATASET_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsdesk::ingest {

struct DatasetLine {
  int line_number = 0;
  std::vector<std::string> labels;
  std::string content;
};

// Parses the whole file. INVALID_ARGUMENT naming the line for a line without
// a tab, an unknown escape or empty content.
absl::StatusOr<std::vector<DatasetLine>> ParseDataset(absl::string_view text);

// Reads and parses a file; NOT_FOUND when it cannot be read.
absl::StatusOr<std::vector<DatasetLine>> ReadDataset(const std::string& path);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_TOPIC_DATASET_H_
