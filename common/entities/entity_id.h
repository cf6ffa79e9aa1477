// Canonical entity ids: "<type>-<slug>", type one of person, org, location,
// misc, and the slug the lower-case ASCII words of a name joined by '-':
// "person-volodymyr-zelensky", "location-united-states", "org-nato".
// Curated entities carry ids written in data/entities/entities.tsv; entities
// an extractor finds outside the table get ids from EntityId.
#ifndef COMMON_ENTITIES_ENTITY_ID_H_
#define COMMON_ENTITIES_ENTITY_ID_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "common/model/article.h"

namespace newsdesk::entities {

// "person", "org", "location" or "misc" (also for kUnspecified).
absl::string_view EntityTypeName(EntityType type);

// The inverse of EntityTypeName; nullopt for any other string.
std::optional<EntityType> ParseEntityTypeName(absl::string_view name);

// The id of an entity of `type` named `name`: EntityTypeName(type), '-', and
// FoldName(name) with words joined by '-'. Code points that do not fold to
// ASCII are written as 'u' and their hex number, so names in other scripts
// keep distinct ids: EntityId(kPerson, "Ursula von der Leyen") is
// "person-ursula-von-der-leyen". A name with no word at all gets the slug
// "unnamed".
std::string EntityId(EntityType type, absl::string_view name);

// True when `id` has the form EntityId produces for the type it names.
bool IsValidEntityId(absl::string_view id);

}  // namespace newsdesk::entities

#endif  // COMMON_ENTITIES_ENTITY_ID_H_
