// Which article log a service uses: the embedded RocksDB one of a single
// machine (the default) or a NATS JetStream stream shared by a cluster.
#ifndef COMMON_SERVER_LOG_BACKEND_H_
#define COMMON_SERVER_LOG_BACKEND_H_

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace newsdesk {

enum class LogBackend { kEmbedded, kJetStream };

// "embedded" or "jetstream"; INVALID_ARGUMENT otherwise.
inline absl::StatusOr<LogBackend> ParseLogBackend(absl::string_view name) {
  if (name == "embedded") return LogBackend::kEmbedded;
  if (name == "jetstream") return LogBackend::kJetStream;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown log backend '", name, "': expected embedded or jetstream"));
}

}  // namespace newsdesk

#endif  // COMMON_SERVER_LOG_BACKEND_H_
