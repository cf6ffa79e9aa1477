#include "query_service/index/stored_article.h"

#include <algorithm>
#include <array>
#include <cstring>
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

// One field of a serialized message.
struct Field {
  int number = 0;
  absl::string_view bytes;    // the whole field, tag included
  absl::string_view payload;  // a length-delimited field's contents
  uint64_t varint = 0;        // a varint field's value
};

// Reads the varint at *at (before `end`) into *value and moves *at past it;
// false when it runs past `end` or is longer than ten bytes.
inline bool ReadVarint(const char** at, const char* end, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 70 && *at < end; shift += 7) {
    const auto byte = static_cast<uint8_t>(*(*at)++);
    result |= uint64_t{byte & 0x7Fu} << shift;
    if (byte < 0x80) {
      *value = result;
      return true;
    }
  }
  return false;
}

// Calls visit(Field) for each field of the serialized message `bytes`, in
// order. False when the bytes are not a message (a bad tag, wire type or
// length). A plain walk over the bytes: every page walks each of its
// articles' fields.
template <typename Visit>
bool ForEachField(absl::string_view bytes, Visit visit) {
  const char* at = bytes.data();
  const char* const end = bytes.data() + bytes.size();
  while (at != end) {
    const char* const begin = at;
    uint64_t tag = 0;
    if (!ReadVarint(&at, end, &tag) || tag > std::numeric_limits<uint32_t>::max()) return false;
    Field field;
    field.number = WireFormatLite::GetTagFieldNumber(static_cast<uint32_t>(tag));
    if (field.number == 0) return false;
    switch (WireFormatLite::GetTagWireType(static_cast<uint32_t>(tag))) {
      case WireFormatLite::WIRETYPE_VARINT:
        if (!ReadVarint(&at, end, &field.varint)) return false;
        break;
      case WireFormatLite::WIRETYPE_FIXED64:
        if (end - at < 8) return false;
        at += 8;
        break;
      case WireFormatLite::WIRETYPE_LENGTH_DELIMITED: {
        uint64_t length = 0;
        if (!ReadVarint(&at, end, &length) || length > static_cast<uint64_t>(end - at)) {
          return false;
        }
        field.payload = absl::string_view(at, length);
        at += length;
        break;
      }
      case WireFormatLite::WIRETYPE_FIXED32:
        if (end - at < 4) return false;
        at += 4;
        break;
      default:  // groups: no field of an article is one
        return false;
    }
    field.bytes = absl::string_view(begin, at - begin);
    visit(field);
  }
  return true;
}

// ForEachField over a stored article, which must hold no log_sequence other
// than its own: a serialized log entry holds none, an article the index
// changed may hold its own.
template <typename Visit>
bool ForEachArticleField(const StoredArticle& stored, Visit visit) {
  bool other_sequence = false;
  const bool framed = ForEachField(stored.bytes, [&](const Field& field) {
    if (field.number == v1::Article::kLogSequenceFieldNumber && field.varint != 0 &&
        static_cast<int64_t>(field.varint) != stored.log_sequence) {
      other_sequence = true;
    }
    visit(field);
  });
  return framed && !other_sequence;
}

// The id of a serialized newsdesk.v1.ArticleEntity (the last one it holds,
// as parsing keeps); empty when it has none or is no message.
absl::string_view EntityIdOf(absl::string_view entity) {
  absl::string_view id;
  ForEachField(entity, [&id](const Field& field) {
    if (field.number == v1::ArticleEntity::kEntityIdFieldNumber) id = field.payload;
  });
  return id;
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
    case v1::Article::kPublishTimeFieldNumber:
      return parts.publish_time;
    case v1::Article::kSourceFieldNumber:
      return parts.source;
    case v1::Article::kBylineFieldNumber:
    case v1::Article::kUrlFieldNumber:
    case v1::Article::kLanguageFieldNumber:
    case v1::Article::kExternalIdFieldNumber:
    case v1::Article::kIngestTimeFieldNumber:
    case v1::Article::kTaxonomyVersionFieldNumber:
    case v1::Article::kEntityTableVersionFieldNumber:
    case v1::Article::kDatelinePlaceFieldNumber:
    case v1::Article::kUpdateTimeFieldNumber:
    case v1::Article::kHintedPublishTimeFieldNumber:
    case v1::Article::kDetectedLanguageFieldNumber:
    case v1::Article::kDetectedLanguageConfidenceFieldNumber:
    case v1::Article::kLanguageSourceFieldNumber:
    case v1::Article::kPageLanguageFieldNumber:
    case v1::Article::kWordCountFieldNumber:
      return parts.details;
    case v1::Article::kNameFieldNumber:  // derived from the id
      return false;
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
                                            const ArticleParts& parts,
                                            const std::vector<std::string>* entity_ids) {
  // The message lives only while its parts are copied out: on an arena whose
  // first block is on the stack, so that a small article costs no
  // allocation but those of the Article returned.
  alignas(8) char first_block[8192];
  google::protobuf::ArenaOptions options;
  options.initial_block = first_block;
  options.initial_block_size = sizeof first_block;
  options.max_block_size = 64 << 10;
  google::protobuf::Arena arena(options);
  // Only the fields the parts read (and of the entities those asked for)
  // are parsed: the others, the body for most filters, are left out of the
  // bytes parsed.
  char* const wanted = google::protobuf::Arena::CreateArray<char>(&arena, stored.bytes.size());
  size_t size = 0;
  const bool framed = ForEachArticleField(stored, [&](const Field& field) {
    if (IsDerived(field.number) || !Read(parts, field.number)) return;
    if (field.number == v1::Article::kEntitiesFieldNumber && entity_ids != nullptr &&
        std::find(entity_ids->begin(), entity_ids->end(), EntityIdOf(field.payload)) ==
            entity_ids->end()) {
      return;
    }
    std::memcpy(wanted + size, field.bytes.data(), field.bytes.size());
    size += field.bytes.size();
  });
  if (!framed) return Damaged(stored);
  auto* proto = google::protobuf::Arena::CreateMessage<v1::Article>(&arena);
  if (!proto->ParseFromArray(wanted, static_cast<int>(size))) return Damaged(stored);
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
  // Consecutive kept fields are copied with one append.
  const char* run_begin = nullptr;
  const char* run_end = nullptr;
  auto flush = [&]() {
    if (run_begin != run_end) out->append(run_begin, run_end - run_begin);
    run_begin = run_end = nullptr;
  };
  size_t next = 0;  // into kDerived
  auto derived_before = [&](int number) {
    for (; next < kDerived.size() && kDerived[next] < number; ++next) {
      if (!keep(kDerived[next])) continue;
      flush();
      AppendDerived(stored, kDerived[next], out);
    }
  };
  out->reserve(out->size() + stored.bytes.size() + 64);
  const bool framed = ForEachArticleField(stored, [&](const Field& field) {
    derived_before(field.number);
    if (IsDerived(field.number) || !keep(field.number)) return;
    if (field.bytes.data() != run_end) {
      flush();
      run_begin = field.bytes.data();
    }
    run_end = field.bytes.data() + field.bytes.size();
  });
  flush();
  if (!framed) return Damaged(stored);
  derived_before(std::numeric_limits<int>::max());
  return absl::OkStatus();
}

bool InSummary(int number) {
  switch (number) {
    case v1::Article::kNameFieldNumber:
    case v1::Article::kArticleIdFieldNumber:
    case v1::Article::kTitleFieldNumber:
    case v1::Article::kPublishTimeFieldNumber:
    case v1::Article::kSourceFieldNumber:
    case v1::Article::kUrlFieldNumber:
      return true;
    default:
      return IsDerived(number);
  }
}

std::string EncodeSummary(const Article& article) {
  v1::Article proto;
  proto.set_name(ArticleName(article.id));
  proto.set_article_id(article.id);
  proto.set_title(article.title);
  ToProto(article.publish_time, proto.mutable_publish_time());
  proto.set_source(article.source);
  proto.set_url(article.url);
  return proto.SerializeAsString();
}

}  // namespace newsdesk::query
