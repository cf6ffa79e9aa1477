#include "query_service/index/stored_article.h"

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "google/protobuf/arena.h"

namespace newsdesk::query {

absl::Status DecodeStoredArticle(const StoredArticle& stored, v1::Article* proto) {
  // No serialized article starts with a byte below 0x08 (the tags of the
  // other log entries), so those fail to parse too.
  if (!proto->ParseFromArray(stored.bytes.data(), static_cast<int>(stored.bytes.size())) ||
      (proto->log_sequence() != 0 && proto->log_sequence() != stored.log_sequence)) {
    return absl::DataLossError(absl::StrCat("the article at log sequence ",
                                            stored.log_sequence, " cannot be decoded"));
  }
  proto->set_log_sequence(stored.log_sequence);
  proto->set_story_id(stored.story_id);
  proto->set_copy_of(stored.copy_of);
  proto->set_copy_similarity(stored.copy_similarity);
  return absl::OkStatus();
}

absl::StatusOr<Article> DecodeStoredArticle(const StoredArticle& stored,
                                            const ArticleParts& parts) {
  // The message lives only while its parts are copied out: on an arena, its
  // strings and sub-messages cost one allocation together and no frees.
  google::protobuf::ArenaOptions options;
  options.start_block_size = 4096;
  options.max_block_size = 64 << 10;
  google::protobuf::Arena arena(options);
  auto* proto = google::protobuf::Arena::CreateMessage<v1::Article>(&arena);
  RETURN_IF_ERROR(DecodeStoredArticle(stored, proto));
  return FromProto(*proto, parts);
}

}  // namespace newsdesk::query
