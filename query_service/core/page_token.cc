#include "query_service/core/page_token.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status/field_error.h"

namespace newsdesk::query {
namespace {

constexpr char kVersion = 2;
constexpr size_t kChecksumBytes = 8;
constexpr size_t kMaxKeyBytes = 1024;

void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

bool GetU64(absl::string_view* in, uint64_t* v) {
  if (in->size() < 8) return false;
  *v = 0;
  for (int i = 0; i < 8; ++i) {
    *v |= static_cast<uint64_t>(static_cast<unsigned char>((*in)[i])) << (8 * i);
  }
  in->remove_prefix(8);
  return true;
}

absl::Status Invalid() {
  return InvalidFieldError(
      "page_token",
      "page_token is not valid for this request; send the next_page_token of the "
      "previous page unchanged, with the same filter and order");
}

// Detects a token changed after it was made (a checksum, not a secret).
uint64_t Checksum(absl::string_view raw) { return Fingerprint().Add(raw).value(); }

}  // namespace

std::string EncodePageToken(const PageToken& token) {
  std::string raw;
  raw.push_back(kVersion);
  PutU64(&raw, token.request_fingerprint);
  PutU64(&raw, static_cast<uint64_t>(token.snapshot));
  raw.push_back(token.has_time ? 1 : 0);
  PutU64(&raw, static_cast<uint64_t>(token.time_ns));
  uint64_t score_bits;
  std::memcpy(&score_bits, &token.score, sizeof(score_bits));
  PutU64(&raw, score_bits);
  PutU64(&raw, static_cast<uint64_t>(token.count));
  PutU64(&raw, static_cast<uint64_t>(token.sequence));
  raw.append(token.key);
  PutU64(&raw, Checksum(raw));
  std::string encoded;
  absl::WebSafeBase64Escape(raw, &encoded);
  return encoded;
}

absl::StatusOr<PageToken> DecodePageToken(absl::string_view encoded,
                                          uint64_t request_fingerprint) {
  std::string raw;
  if (encoded.size() > 2 * kMaxKeyBytes || !absl::WebSafeBase64Unescape(encoded, &raw)) {
    return Invalid();
  }
  absl::string_view in(raw);
  if (in.size() <= kChecksumBytes) return Invalid();
  absl::string_view checksum_bytes = in.substr(in.size() - kChecksumBytes);
  in.remove_suffix(kChecksumBytes);
  uint64_t checksum = 0;
  if (!GetU64(&checksum_bytes, &checksum) || checksum != Checksum(in)) return Invalid();
  if (in[0] != kVersion) return Invalid();
  in.remove_prefix(1);
  PageToken token;
  uint64_t snapshot, time_ns, score_bits, count, sequence;
  if (!GetU64(&in, &token.request_fingerprint) || !GetU64(&in, &snapshot) || in.empty()) {
    return Invalid();
  }
  token.has_time = in[0] == 1;
  in.remove_prefix(1);
  if (!GetU64(&in, &time_ns) || !GetU64(&in, &score_bits) || !GetU64(&in, &count) ||
      !GetU64(&in, &sequence)) {
    return Invalid();
  }
  if (token.request_fingerprint != request_fingerprint) return Invalid();
  token.snapshot = static_cast<int64_t>(snapshot);
  token.time_ns = static_cast<int64_t>(time_ns);
  std::memcpy(&token.score, &score_bits, sizeof(score_bits));
  token.count = static_cast<int64_t>(count);
  token.sequence = static_cast<int64_t>(sequence);
  token.key = std::string(in);
  if (token.snapshot < 0 || token.sequence < 0 || token.count < 0) return Invalid();
  return token;
}

Fingerprint& Fingerprint::Add(absl::string_view part) {
  for (unsigned char c : part) {
    hash_ ^= c;
    hash_ *= 1099511628211ull;
  }
  hash_ ^= 0xff;  // separator: ("ab","c") differs from ("a","bc")
  hash_ *= 1099511628211ull;
  return *this;
}

Fingerprint& Fingerprint::Add(int64_t part) { return Add(absl::StrCat(part)); }

absl::StatusOr<int> ResolvePageSize(int32_t requested, int default_size, int max_size) {
  if (requested < 0) {
    return InvalidFieldError(
        "page_size", absl::StrCat("page_size is ", requested, "; it must not be negative"));
  }
  if (requested == 0) return default_size;
  return std::min<int>(requested, max_size);
}

}  // namespace newsdesk::query
