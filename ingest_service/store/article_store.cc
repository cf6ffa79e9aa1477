#include "ingest_service/store/article_store.h"

#include "common/model/log_entry_convert.h"
#include "glog/logging.h"

namespace newsdesk::ingest {

absl::StatusOr<std::vector<LogEntry>> ArticleLog::ReadFrom(int64_t start_sequence,
                                                           int max_entries) const {
  start_sequence = std::max<int64_t>(start_sequence, 1);
  absl::StatusOr<std::vector<std::string>> values = ReadEncodedFrom(start_sequence, max_entries);
  if (!values.ok()) return values.status();
  std::vector<LogEntry> entries;
  entries.reserve(values->size());
  for (size_t i = 0; i < values->size(); ++i) {
    absl::StatusOr<LogEntry> entry =
        DecodeLogValue((*values)[i], start_sequence + static_cast<int64_t>(i));
    if (!entry.ok()) {
      LOG(ERROR) << entry.status();
      return entry.status();
    }
    entries.push_back(*std::move(entry));
  }
  return entries;
}

}  // namespace newsdesk::ingest
