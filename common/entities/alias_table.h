// The editable alias table: the edits made to the curated entity table
// (EntityLexicon) after it shipped. It says which spellings name which
// canonical entity, which entities were merged into which, and re-links an
// article's entities accordingly. The ingest service validates and stores
// each change and links new articles with the table; each query service
// replays the same changes from the article log and re-links the articles it
// has indexed, so nothing is re-ingested.
//
// The table is a function of the changes applied, in version order:
//  - AddAlias: the spelling (by NameKey) names the entity.
//  - RemoveAlias: the spelling names no entity of the table; mentions so
//    written become a local entity of their own (EntityId of the spelling).
//  - Merge: the source id resolves to the target id (chains are followed).
//  - Split: the spellings name the new entity; a new id that had been merged
//    into the entity stops resolving to it.
// A mention's entity is then Link(spelling, linked id): the entity its
// spelling names if the table says so, else the canonical id of the entity
// it was linked to.
//
// Thread-safe: reads take a shared lock, Apply an exclusive one.
#ifndef COMMON_ENTITIES_ALIAS_TABLE_H_
#define COMMON_ENTITIES_ALIAS_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/entities/entity_lexicon.h"
#include "common/model/article.h"
#include "common/model/log_entry.h"

namespace newsdesk::entities {

// Longest spelling, display name or id accepted, in bytes.
inline constexpr size_t kMaxAliasBytes = 200;
// Most spellings one split moves.
inline constexpr int kMaxSplitSpellings = 100;

struct AddAliasRequest {
  std::string spelling;
  std::string entity_id;         // the entity; or empty with the two below
  std::string new_display_name;  // creates an entity of new_type
  EntityType new_type = EntityType::kUnspecified;
};

struct RemoveAliasRequest {
  std::string spelling;
  std::string entity_id;
};

struct MergeRequest {
  std::string source_entity_id;
  std::string target_entity_id;
};

struct SplitRequest {
  std::string entity_id;
  std::vector<std::string> spellings;
  std::string new_entity_id;     // optional
  std::string new_display_name;  // optional
};

// What the table says of one entity.
struct AliasTableEntry {
  std::string id;
  std::string display_name;
  EntityType type = EntityType::kUnspecified;
  std::vector<std::string> aliases;     // curated and added, without removed or moved
  std::vector<std::string> merged_ids;  // ids merged into it, directly or not
};

class AliasTable {
 public:
  // `lexicon` is the curated table the edits apply to; not owned, may be
  // null (a query service needs none: every change names what it creates).
  explicit AliasTable(const EntityLexicon* lexicon);

  // Each Prepare* checks a request against the table and returns the change
  // it makes, without version or time, or why it cannot be made:
  // INVALID_ARGUMENT naming the request field (InvalidFieldError) for a
  // missing, malformed or oversized value; NOT_FOUND for an entity the table
  // does not know; FAILED_PRECONDITION for an edit of an entity merged away,
  // a merge into itself's own source (a cycle), or different types;
  // ALREADY_EXISTS when the edit is made already or its new entity exists.
  absl::StatusOr<AliasChange> PrepareAddAlias(const AddAliasRequest& request) const;
  absl::StatusOr<AliasChange> PrepareRemoveAlias(const RemoveAliasRequest& request) const;
  absl::StatusOr<AliasChange> PrepareMerge(const MergeRequest& request) const;
  absl::StatusOr<AliasChange> PrepareSplit(const SplitRequest& request) const;

  // Applies a change whose version is version() + 1. A change at or below
  // version() was applied already: nothing changes and OK is returned. A gap
  // is FAILED_PRECONDITION.
  absl::Status Apply(const AliasChange& change);

  // The version of the last change applied; 0 for none.
  int64_t version() const;

  // The id `id` resolves to after merges (itself when not merged).
  std::string Canonical(absl::string_view id) const;

  // The entity a mention written `spelling`, linked to `id`, belongs to now
  // (see the file comment); `type` names a local entity a removed alias
  // leaves.
  std::string Link(absl::string_view spelling, absl::string_view id, EntityType type) const;

  // Re-links `article`'s entities with Link: mentions moved to another
  // entity join it (counts, spellings, salience and roles follow; an entity
  // split in two shares its salience by mention count), role and quote ids
  // are made canonical, entities stay most mentioned first. Returns true
  // when anything changed; `version`, when given, is set to the version of
  // the table that linked the article.
  bool Relink(Article* article, int64_t* version = nullptr) const;

  // The entity `id` resolves to, as the table knows it: NOT_FOUND when
  // neither the curated table nor a change names it.
  absl::StatusOr<AliasTableEntry> Describe(absl::string_view id) const;

  // The canonical entity the table (curated and edited) gives `spelling`, or
  // the entity with that id; empty for none.
  std::string Lookup(absl::string_view spelling) const;

  // True when `id` is the curated table's or a change named it.
  bool Known(absl::string_view id) const;

 private:
  struct Name {
    std::string display_name;
    EntityType type = EntityType::kUnspecified;
  };
  struct Override {
    std::string spelling;  // as the change gave it
    std::string id;        // empty: no entity of the table
  };

  std::string CanonicalLocked(absl::string_view id) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  bool KnownLocked(absl::string_view id) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  std::optional<Name> NameLocked(absl::string_view id) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The canonical entity the table links `spelling` to; empty for none.
  std::string CurrentIdLocked(absl::string_view spelling) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  std::string LinkLocked(absl::string_view spelling, absl::string_view id,
                         EntityType type) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // NOT_FOUND / FAILED_PRECONDITION unless `id` names a canonical entity
  // the table knows.
  absl::Status CheckEditable(absl::string_view field, absl::string_view id) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const EntityLexicon* const lexicon_;
  mutable absl::Mutex mu_;
  int64_t version_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, Override> overrides_ ABSL_GUARDED_BY(mu_);  // by NameKey
  absl::flat_hash_map<std::string, std::string> redirects_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Name> names_ ABSL_GUARDED_BY(mu_);
};

}  // namespace newsdesk::entities

#endif  // COMMON_ENTITIES_ALIAS_TABLE_H_
