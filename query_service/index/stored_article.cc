#include "query_service/index/stored_article.h"

#include <array>
#include <limits>

#include "absl/base/casts.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

namespace newsdesk::query {
namespace {

using ::google::protobuf::internal::WireFormatLite;

absl::Status Damaged(const StoredArticle& stored) {
  return absl::DataLossError(
      absl::StrCat("the article at log sequence ", stored.log_sequence, " cannot be decoded"));
}

// Calls visit(field number, the field's bytes with its tag) for each field of
// the serialized message `bytes`, in order. False when the bytes are not a
// message (a bad tag, wire type or length), or when they hold a log_sequence
// other than `sequence`.
template <typename Visit>
bool ForEachField(absl::string_view bytes, int64_t sequence, Visit visit) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  for (;;) {
    const int begin = in.CurrentPosition();
    if (begin == static_cast<int>(bytes.size())) return true;
    const uint32_t tag = in.ReadTag();
    const int number = WireFormatLite::GetTagFieldNumber(tag);
    if (number == 0) return false;
    bool ok = false;
    switch (WireFormatLite::GetTagWireType(tag)) {
      case WireFormatLite::WIRETYPE_VARINT: {
        uint64_t value = 0;
        ok = in.ReadVarint64(&value);
        // A serialized log entry holds no log_sequence; an article the
        // index changed may hold its own.
        if (number == v1::Article::kLogSequenceFieldNumber && value != 0 &&
            static_cast<int64_t>(value) != sequence) {
          return false;
        }
        break;
      }
      case WireFormatLite::WIRETYPE_FIXED64:
        ok = in.Skip(8);
        break;
      case WireFormatLite::WIRETYPE_LENGTH_DELIMITED: {
        uint32_t length = 0;
        ok = in.ReadVarint32(&length) && in.Skip(static_cast<int>(length));
        break;
      }
      case WireFormatLite::WIRETYPE_FIXED32:
        ok = in.Skip(4);
        break;
      default:  // groups: no field of an article is one
        break;
    }
    if (!ok) return false;
    visit(number, bytes.substr(begin, in.CurrentPosition() - begin));
  }
}

bool IsDerived(int number) {
  return number == v1::Article::kLogSequenceFieldNumber ||
         number == v1::Article::kStoryIdFieldNumber ||
         number == v1::Article::kCopyOfFieldNumber ||
         number == v1::Article::kCopySimilarityFieldNumber;
}

// Whether FromProto reads field `number` with `parts` (it reads every field
// not listed here).
bool Read(const ArticleParts& parts, int number) {
  switch (number) {
    case v1::Article::kTitleFieldNumber:
    case v1::Article::kParagraphsFieldNumber:
    case v1::Article::kKeyPointsFieldNumber:
    case v1::Article::kTitleLabelsFieldNumber:
    case v1::Article::kStandfirstFieldNumber:
    case v1::Article::kAuthorsFieldNumber:
    case v1::Article::kQuotesFieldNumber:
    case v1::Article::kRemovedBlocksFieldNumber:
      return parts.text;
    case v1::Article::kEntitiesFieldNumber:
      return parts.entities;
    case v1::Article::kTopicsFieldNumber:
      return parts.topics;
    case v1::Article::kKeyPhrasesFieldNumber:
      return parts.key_phrases;
    case v1::Article::kMentionedDatesFieldNumber:
      return parts.mentioned_dates;
    default:
      return true;
  }
}

void AppendVarint(uint64_t value, std::string* out) {
  uint8_t buffer[10];  // the longest varint
  const uint8_t* end =
      google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(value, buffer);
  out->append(reinterpret_cast<const char*>(buffer), end - buffer);
}

void AppendTag(int number, WireFormatLite::WireType type, std::string* out) {
  AppendVarint(WireFormatLite::MakeTag(number, type), out);
}

void AppendString(int number, absl::string_view value, std::string* out) {
  if (value.empty()) return;  // proto3 leaves default values out
  AppendTag(number, WireFormatLite::WIRETYPE_LENGTH_DELIMITED, out);
  AppendVarint(value.size(), out);
  out->append(value.data(), value.size());
}

// Appends the derived field `number` of `stored` as the generated code
// serializes it.
void AppendDerived(const StoredArticle& stored, int number, std::string* out) {
  switch (number) {
    case v1::Article::kLogSequenceFieldNumber:
      if (stored.log_sequence == 0) return;
      AppendTag(number, WireFormatLite::WIRETYPE_VARINT, out);
      AppendVarint(static_cast<uint64_t>(stored.log_sequence), out);
      return;
    case v1::Article::kStoryIdFieldNumber:
      AppendString(number, stored.story_id, out);
      return;
    case v1::Article::kCopyOfFieldNumber:
      AppendString(number, stored.copy_of, out);
      return;
    case v1::Article::kCopySimilarityFieldNumber: {
      const uint64_t bits = absl::bit_cast<uint64_t>(stored.copy_similarity);
      if (bits == 0) return;
      AppendTag(number, WireFormatLite::WIRETYPE_FIXED64, out);
      uint8_t buffer[8];
      google::protobuf::io::CodedOutputStream::WriteLittleEndian64ToArray(bits, buffer);
      out->append(reinterpret_cast<const char*>(buffer), sizeof buffer);
      return;
    }
  }
}

}  // namespace

absl::Status DecodeStoredArticle(const StoredArticle& stored, v1::Article* proto) {
  // No serialized article starts with a byte below 0x08 (the tags of the
  // other log entries), so those fail to parse too.
  if (!proto->ParseFromArray(stored.bytes.data(), static_cast<int>(stored.bytes.size())) ||
      (proto->log_sequence() != 0 && proto->log_sequence() != stored.log_sequence)) {
    return Damaged(stored);
  }
  proto->set_log_sequence(stored.log_sequence);
  proto->set_story_id(stored.story_id);
  proto->set_copy_of(stored.copy_of);
  proto->set_copy_similarity(stored.copy_similarity);
  return absl::OkStatus();
}

absl::StatusOr<Article> DecodeStoredArticle(const StoredArticle& stored,
                                            const ArticleParts& parts) {
  // Only the fields the parts read are parsed: the others (the body, for
  // most filters) are left out of the bytes parsed.
  std::string wanted;
  wanted.reserve(stored.bytes.size());
  const bool framed = ForEachField(stored.bytes, stored.log_sequence,
                                   [&](int number, absl::string_view field) {
                                     if (!IsDerived(number) && Read(parts, number)) {
                                       wanted.append(field.data(), field.size());
                                     }
                                   });
  if (!framed) return Damaged(stored);
  // The message lives only while its parts are copied out: on an arena, its
  // strings and sub-messages cost one allocation together and no frees.
  google::protobuf::ArenaOptions options;
  options.start_block_size = 4096;
  options.max_block_size = 64 << 10;
  google::protobuf::Arena arena(options);
  auto* proto = google::protobuf::Arena::CreateMessage<v1::Article>(&arena);
  if (!proto->ParseFromArray(wanted.data(), static_cast<int>(wanted.size()))) {
    return Damaged(stored);
  }
  Article article = FromProto(*proto, parts);
  article.log_sequence = stored.log_sequence;
  article.story_id = stored.story_id;
  article.copy_of = stored.copy_of;
  article.copy_similarity = stored.copy_similarity;
  return article;
}

absl::Status AppendStoredArticle(const StoredArticle& stored,
                                 absl::FunctionRef<bool(int field_number)> keep,
                                 std::string* out) {
  // The generated code writes fields in number order, so the derived fields
  // go where that order puts them (the stored fields are in it already).
  static constexpr std::array<int, 4> kDerived = {
      v1::Article::kLogSequenceFieldNumber, v1::Article::kStoryIdFieldNumber,
      v1::Article::kCopyOfFieldNumber, v1::Article::kCopySimilarityFieldNumber};
  size_t next = 0;  // into kDerived
  auto derived_before = [&](int number) {
    for (; next < kDerived.size() && kDerived[next] < number; ++next) {
      if (keep(kDerived[next])) AppendDerived(stored, kDerived[next], out);
    }
  };
  const bool framed = ForEachField(stored.bytes, stored.log_sequence,
                                   [&](int number, absl::string_view field) {
                                     derived_before(number);
                                     if (!IsDerived(number) && keep(number)) {
                                       out->append(field.data(), field.size());
                                     }
                                   });
  if (!framed) return Damaged(stored);
  derived_before(std::numeric_limits<int>::max());
  return absl::OkStatus();
}

}  // namespace newsdesk::query
