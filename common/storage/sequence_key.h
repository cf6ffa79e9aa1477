// The key of a log entry in the RocksDB stores of both services:
// "l/" + the sequence number as 8 big-endian bytes, so keys sort in log order.
#ifndef COMMON_STORAGE_SEQUENCE_KEY_H_
#define COMMON_STORAGE_SEQUENCE_KEY_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace newsdesk {

inline constexpr absl::string_view kLogKeyPrefix = "l/";

inline std::string EncodeSequence(int64_t sequence) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(sequence & 0xff);
    sequence >>= 8;
  }
  return out;
}

inline int64_t DecodeSequence(absl::string_view bytes) {
  int64_t sequence = 0;
  for (unsigned char c : bytes.substr(0, 8)) sequence = (sequence << 8) | c;
  return sequence;
}

inline std::string LogKey(int64_t sequence) {
  std::string key(kLogKeyPrefix);
  key += EncodeSequence(sequence);
  return key;
}

}  // namespace newsdesk

#endif  // COMMON_STORAGE_SEQUENCE_KEY_H_
