// Opaque page tokens (AIP-158). A token carries a fingerprint of the request
// it continues, the log position the first page was read at, and the sort
// key of the last item returned, so later pages neither repeat nor skip
// items while new articles arrive. A checksum catches tokens changed by
// hand. Encoded as unpadded base64url.
#ifndef QUERY_SERVICE_CORE_PAGE_TOKEN_H_
#define QUERY_SERVICE_CORE_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsdesk::query {

struct PageToken {
  uint64_t request_fingerprint = 0;
  int64_t snapshot = 0;   // highest log sequence of the first page
  bool has_time = false;  // sort key of the last item returned
  int64_t time_ns = 0;
  double score = 0;
  int64_t count = 0;      // lists ordered by count: the last item's; searches: the total
  int64_t sequence = 0;
  std::string key;        // id or code of the last item, for lists
};

std::string EncodePageToken(const PageToken& token);

// INVALID_ARGUMENT naming page_token when `encoded` is not a token this
// service made, was changed since, or was made for another request.
absl::StatusOr<PageToken> DecodePageToken(absl::string_view encoded,
                                          uint64_t request_fingerprint);

// Builds a request fingerprint from its parts: 64-bit FNV-1a over each part
// with a separator, stable across processes and versions.
class Fingerprint {
 public:
  Fingerprint& Add(absl::string_view part);
  Fingerprint& Add(int64_t part);
  uint64_t value() const { return hash_; }

 private:
  uint64_t hash_ = 14695981039346656037ull;
};

// Page size per AIP-158: 0 means `default_size`, above `max_size` is read as
// `max_size`, negative is INVALID_ARGUMENT.
absl::StatusOr<int> ResolvePageSize(int32_t requested, int default_size, int max_size);

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_CORE_PAGE_TOKEN_H_
